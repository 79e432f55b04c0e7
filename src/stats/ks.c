/*
 * ks: the two-sample Kolmogorov-Smirnov statistic over sorted samples and
 * its asymptotic p-value.  D is evaluated, as scipy.stats.ks_2samp does,
 * at every sample value after all values equal to it have been counted on
 * both sides.  The walk compares CDF differences exactly as integers,
 * |i*m - j*n| (= n*m*|i/n - j/m|), and only the winning (i, j) is turned
 * into SciPy's double expression i/n - j/m; its hot loop is branch-free
 * (the merge direction is data-dependent and would mispredict half the
 * time).
 *
 * ks_statistic_unsorted finds the same D without sorting either sample;
 * how is explained above it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/sortkey.h"
#include "stats/stats.h"
#include "util/xmalloc.h"

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

/*
 * ---- ks_statistic_unsorted: the same D without sorting ------------------
 *
 * A part is a range of keys (the order-preserving bit patterns of sort.c,
 * with -0.0 made +0.0 so that equal values share a key) and the values of
 * each side in it.  Its values are counted into buckets by the next digit
 * of the key.  The CDF gap at a bucket's end is exact; inside a bucket it
 * can only move between the counts before the bucket and the counts after
 * it, so a bucket whose bound is below the best gap already known cannot
 * hold the maximum and is never looked into.  The others (a few percent of
 * the values, on real data) are gathered and split by the next digit, down
 * to parts small enough to sort.  Positions are scored in ascending order
 * with the same strict ">" as the sorted walk, and a bucket whose bound
 * only ties the best known gap is still looked into when it comes before
 * the position holding that gap, so the first maximum wins and the result
 * is bit-identical to ks_statistic on the sorted samples.  Cost: two
 * counting passes and one gathering pass over the input, then work on the
 * candidates only; identical samples are the worst case (every bucket is
 * a candidate: about a radix sort's work).
 */

#define KS_WIDE_BITS	16		/* digit of a large part */
#define KS_NARROW_BITS	8
#define KS_WIDE_MIN	(1u << 18)	/* values for a wide digit */
#define KS_SORT_MAX	32		/* a part this small is sorted */

struct ks_search {
	size_t		n, m;		/* values of each side, NaN left out */
	uint64_t	best;		/* the first maximum scored so far */
	size_t		bi, bj;
	uint64_t	known;		/* the largest gap known to exist */
	size_t		known_at;	/* its first position, as i + j */
};

struct ks_part {
	const double	*a, *b;
	size_t		 na, nb;	/* values (NaN included at the top) */
	size_t		 i0, j0;	/* values of each side below the part */
	unsigned	 left;		/* low key bits the part leaves free */
};

struct ks_buckets {
	unsigned	 shift;		/* digit = (key >> shift) & mask */
	size_t		 count;		/* buckets, a power of 2 */
	uint32_t	*ca, *cb;	/* values per bucket */
	uint32_t	*pa, *pb;	/* gather cursors */
	uint8_t		*cand;		/* looked into */
	uint32_t	 ta, tb;	/* values gathered, each side */
};

static void	solve(struct ks_search *, const struct ks_part *, double *,
		    double *);

static void
know(struct ks_search *s, uint64_t g, size_t at)
{
	if (g > s->known || (g == s->known && at < s->known_at)) {
		s->known = g;
		s->known_at = at;
	}
}

/* Score position (i, j), reached in ascending order. */
static void
note(struct ks_search *s, size_t i, size_t j)
{
	uint64_t	g = gap(i, j, s->n, s->m);

	if (g > s->best) {
		s->best = g;
		s->bi = i;
		s->bj = j;
	}
	know(s, g, i + j);
}

static void
buckets_init(struct ks_buckets *h, const struct ks_part *p)
{
	unsigned	bits;

	bits = p->na + p->nb >= KS_WIDE_MIN ? KS_WIDE_BITS : KS_NARROW_BITS;
	if (bits > p->left)
		bits = p->left;
	h->shift = p->left - bits;
	h->count = (size_t)1 << bits;
	h->ca = xcalloc(h->count, sizeof *h->ca);
	h->cb = xcalloc(h->count, sizeof *h->cb);
	h->pa = xcalloc(h->count, sizeof *h->pa);
	h->pb = xcalloc(h->count, sizeof *h->pb);
	h->cand = xcalloc(h->count, sizeof *h->cand);
	h->ta = h->tb = 0;
}

static void
buckets_free(struct ks_buckets *h)
{
	free(h->ca);
	free(h->cb);
	free(h->pa);
	free(h->pb);
	free(h->cand);
}

/* Count x's values by digit; returns how many were not NaN. */
static size_t
count_digits(const double *x, size_t n, const struct ks_buckets *h,
    uint32_t *count)
{
	uint64_t	mask = h->count - 1;
	size_t		i, k = 0;

	for (i = 0; i < n; i++) {
		if (isnan(x[i]))
			continue;
		count[(sortkey_of(x[i]) >> h->shift) & mask]++;
		k++;
	}
	return k;
}

/*
 * Could a position strictly inside the bucket after (i0, j0) holding ca
 * and cb values be the first maximum?  Its gap is at most the larger of
 * the two corners (all of a's values taken, none of b's, and the reverse).
 */
static int
worth(const struct ks_search *s, size_t i0, size_t j0, uint32_t ca,
    uint32_t cb)
{
	uint64_t	x, y, up, down, bound;

	if ((size_t)ca + cb < 2)
		return 0;
	x = (uint64_t)(i0 + ca) * s->m;
	y = (uint64_t)j0 * s->n;
	up = x > y ? x - y : 0;
	x = (uint64_t)i0 * s->m;
	y = (uint64_t)(j0 + cb) * s->n;
	down = y > x ? y - x : 0;
	bound = up > down ? up : down;
	return bound > s->known ||
	    (bound == s->known && i0 + j0 + 1 < s->known_at);
}

/*
 * Learn the gaps at the ends of the nonempty buckets, then choose the
 * candidates and give each its slice of the gather buffers; every other
 * bucket's cursor is the spare slot at the end.
 */
static void
choose(struct ks_search *s, const struct ks_part *p, struct ks_buckets *h)
{
	size_t	d, i = p->i0, j = p->j0;

	for (d = 0; d < h->count; d++) {
		i += h->ca[d];
		j += h->cb[d];
		if (h->ca[d] != 0 || h->cb[d] != 0)
			know(s, gap(i, j, s->n, s->m), i + j);
	}
	i = p->i0;
	j = p->j0;
	for (d = 0; d < h->count; d++) {
		/* At shift 0 a bucket is one value: nothing inside it. */
		h->cand[d] = h->shift > 0 && worth(s, i, j, h->ca[d], h->cb[d]);
		if (h->cand[d]) {
			h->pa[d] = h->ta;
			h->pb[d] = h->tb;
			h->ta += h->ca[d];
			h->tb += h->cb[d];
		}
		i += h->ca[d];
		j += h->cb[d];
	}
	for (d = 0; d < h->count; d++)
		if (!h->cand[d]) {
			h->pa[d] = h->ta;
			h->pb[d] = h->tb;
		}
}

/*
 * Copy the values of candidate buckets into buf, grouped by bucket.  A
 * value of another bucket goes to the spare slot buf[spare] and its cursor
 * stays put, which keeps the loop free of branches on the data.
 */
static void
gather(const double *x, size_t n, const struct ks_buckets *h, uint32_t *cur,
    double *buf, uint32_t spare)
{
	uint64_t	mask = h->count - 1;
	size_t		i;
	uint32_t	c, *p;
	double		v;

	for (i = 0; i < n; i++) {
		if (isnan(x[i]))
			continue;
		v = x[i] + 0.0;
		p = &cur[(sortkey_of(v) >> h->shift) & mask];
		c = *p;
		buf[c] = v;
		*p = c + (c != spare);
	}
}

/* Walk the buckets in order: score ends, look into candidates. */
static void
search(struct ks_search *s, const struct ks_part *p, struct ks_buckets *h)
{
	struct ks_part	 sub;
	double		*ga, *gb;
	size_t		 d, i = p->i0, j = p->j0;

	choose(s, p, h);
	ga = xreallocarray(NULL, (size_t)h->ta + 1, sizeof *ga);
	gb = xreallocarray(NULL, (size_t)h->tb + 1, sizeof *gb);
	gather(p->a, p->na, h, h->pa, ga, h->ta);
	gather(p->b, p->nb, h, h->pb, gb, h->tb);
	for (d = 0; d < h->count; d++) {
		if (h->ca[d] == 0 && h->cb[d] == 0)
			continue;
		if (h->cand[d]) {
			/* The cursors stopped at each slice's end. */
			sub.a = ga + h->pa[d] - h->ca[d];
			sub.b = gb + h->pb[d] - h->cb[d];
			sub.na = h->ca[d];
			sub.nb = h->cb[d];
			sub.i0 = i;
			sub.j0 = j;
			sub.left = h->shift;
			solve(s, &sub, ga + h->pa[d] - h->ca[d],
			    gb + h->pb[d] - h->cb[d]);
		}
		i += h->ca[d];
		j += h->cb[d];
		if (!h->cand[d])
			note(s, i, j);
	}
	free(ga);
	free(gb);
}

/* Score every group end of a small part, sorted in place (a, b = p's). */
static void
walk_part(struct ks_search *s, const struct ks_part *p, double *a, double *b)
{
	size_t	i = 0, j = 0;
	double	v;

	sort_doubles(a, p->na);
	sort_doubles(b, p->nb);
	while (i < p->na || j < p->nb) {
		if (j == p->nb || (i < p->na && a[i] <= b[j]))
			v = a[i];
		else
			v = b[j];
		while (i < p->na && a[i] <= v)
			i++;
		while (j < p->nb && b[j] <= v)
			j++;
		note(s, p->i0 + i, p->j0 + j);
	}
}

/* Score the positions of part p, whose values a and b may be reordered. */
static void
solve(struct ks_search *s, const struct ks_part *p, double *a, double *b)
{
	struct ks_buckets	h;

	if (p->na + p->nb <= KS_SORT_MAX) {
		walk_part(s, p, a, b);
		return;
	}
	buckets_init(&h, p);
	count_digits(p->a, p->na, &h, h.ca);
	count_digits(p->b, p->nb, &h, h.cb);
	search(s, p, &h);
	buckets_free(&h);
}

double
ks_statistic_unsorted(const double *ref, size_t n, const double *cur,
    size_t m)
{
	struct ks_search	s = { 0, 0, 0, 0, 0, 0, SIZE_MAX };
	struct ks_part		p = { ref, cur, n, m, 0, 0, 64 };
	struct ks_buckets	h;

	buckets_init(&h, &p);
	s.n = count_digits(ref, n, &h, h.ca);
	s.m = count_digits(cur, m, &h, h.cb);
	if (s.n != 0 && s.m != 0)
		search(&s, &p, &h);
	buckets_free(&h);
	if (s.n == 0 || s.m == 0)
		return NAN;
	return fabs((double)s.bi / (double)s.n - (double)s.bj / (double)s.m);
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
