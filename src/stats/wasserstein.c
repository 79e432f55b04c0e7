/*
 * wasserstein: the Wasserstein-1 distance of two sorted samples, as
 * scipy.stats.wasserstein_distance computes it: the integral of
 * |F_ref - F_cur| over the merged sorted values, the sum over consecutive
 * merged values z, z' of |i/n - j/m| * (z' - z).  Equal neighbours add 0,
 * so no grouping of ties is needed and the merge runs branch-free; the CDF
 * gap is kept exactly as the integer |i*m - j*n| and divided by n*m once.
 * The sum is compensated (Kahan) so a million terms lose nothing.
 */
#include <math.h>
#include <stdint.h>

#include "stats/stats.h"

struct wsum {
	double	sum, c;
};

static inline void
wsum_add(struct wsum *s, double term)
{
	double	y = term - s->c, t = s->sum + y;

	s->c = (t - s->sum) - y;
	s->sum = t;
}

static inline double
gap(size_t i, size_t j, size_t n, size_t m)
{
	uint64_t	x = (uint64_t)i * m, y = (uint64_t)j * n;

	return (double)(x > y ? x - y : y - x);
}

double
wasserstein_distance(const double *a, size_t n, const double *b, size_t m)
{
	struct wsum	s = { 0, 0 };
	size_t		i = 0, j = 0, ta;
	double		v, x, y;

	if (n == 0 || m == 0)
		return NAN;
	while (i < n && j < m) {
		x = a[i];
		y = b[j];
		ta = x <= y;
		v = ta ? x : y;
		i += ta;
		j += 1 - ta;
		if (i == n || j == m)
			break;
		x = a[i] < b[j] ? a[i] : b[j];
		wsum_add(&s, gap(i, j, n, m) * (x - v));
	}
	/* One side is used up: walk the other with the first's count fixed. */
	for (; i < n; i++) {
		x = a[i];
		wsum_add(&s, gap(i, j, n, m) * (x - v));
		v = x;
	}
	for (; j < m; j++) {
		y = b[j];
		wsum_add(&s, gap(i, j, n, m) * (y - v));
		v = y;
	}
	return s.sum / ((double)n * (double)m);
}

double
wasserstein_normed(double w, double ref_std)
{
	if (isnan(w) || isnan(ref_std))
		return NAN;
	if (ref_std == 0)
		return w == 0 ? 0 : INFINITY;
	return w / ref_std;
}
