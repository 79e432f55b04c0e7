/*
 * ks: the two-sample Kolmogorov-Smirnov statistic over sorted samples and
 * its asymptotic p-value.  D is evaluated, as scipy.stats.ks_2samp does,
 * at every sample value after all values equal to it have been counted on
 * both sides.  The walk compares CDF differences exactly as integers,
 * |i*m - j*n| (= n*m*|i/n - j/m|), and only the winning (i, j) is turned
 * into SciPy's double expression i/n - j/m; its hot loop is branch-free
 * (the merge direction is data-dependent and would mispredict half the
 * time).
 */
#include <math.h>
#include <stdint.h>

#include "stats/stats.h"

struct ks_walk {
	size_t		i, j;		/* consumed from a and b */
	uint64_t	best;		/* max |i*m - j*n| at group ends */
	size_t		bi, bj;
	double		last;		/* the last value walk_both took */
	int		took;
};


static inline uint64_t
gap(size_t i, size_t j, size_t n, size_t m)
{
	uint64_t	x = (uint64_t)i * m, y = (uint64_t)j * n;

	return x > y ? x - y : y - x;
}

static void
score(struct ks_walk *w, size_t n, size_t m)
{
	uint64_t	g = gap(w->i, w->j, n, m);

	if (g > w->best) {
		w->best = g;
		w->bi = w->i;
		w->bj = w->j;
	}
}

/* While both sides have values left: take the smaller, score group ends. */
static void
walk_both(const double *a, size_t n, const double *b, size_t m,
    struct ks_walk *w)
{
	size_t		i = w->i, j = w->j, ta;
	double		v = 0, x, y;
	uint64_t	g;

	while (i < n && j < m) {
		x = a[i];
		y = b[j];
		ta = x <= y;
		v = ta ? x : y;
		i += ta;
		j += 1 - ta;
		if (i == n || j == m)
			break;
		g = (a[i] > v && b[j] > v) ? gap(i, j, n, m) : 0;
		if (g > w->best) {
			w->best = g;
			w->bi = i;
			w->bj = j;
		}
	}
	if (w->i != i || w->j != j) {
		w->took = 1;
		w->last = v;
	}
	w->i = i;
	w->j = j;
}

/* The rest, one group of equal values at a time. */
static void
walk_rest(const double *a, size_t n, const double *b, size_t m,
    struct ks_walk *w)
{
	double		v;

	/* The group walk_both stopped in is complete: score it. */
	if (w->took && (w->i == n || a[w->i] > w->last) &&
	    (w->j == m || b[w->j] > w->last))
		score(w, n, m);
	while (w->i < n || w->j < m) {
		if (w->j == m || (w->i < n && a[w->i] <= b[w->j]))
			v = a[w->i];
		else
			v = b[w->j];
		while (w->i < n && a[w->i] <= v)
			w->i++;
		while (w->j < m && b[w->j] <= v)
			w->j++;
		score(w, n, m);
	}
}

double
ks_statistic(const double *a, size_t n, const double *b, size_t m)
{
	struct ks_walk	w = { 0, 0, 0, 0, 0, 0, 0 };

	if (n == 0 || m == 0)
		return NAN;
	walk_both(a, n, b, m, &w);
	/* walk_both may stop inside a group: walk_rest finishes it first. */
	walk_rest(a, n, b, m, &w);
	return fabs((double)w.bi / (double)n - (double)w.bj / (double)m);
}

double
ks_pvalue(double d, size_t n, size_t m)
{
	double	en;

	if (isnan(d) || n == 0 || m == 0)
		return NAN;
	/* n*m exact in double for any realistic window; one rounding. */
	en = sqrt((double)n * (double)m / (double)(n + m));
	return kolmogorov_sf(en * d);
}
