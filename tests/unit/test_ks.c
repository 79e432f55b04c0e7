/*
 * Unit tests of ks_statistic_unsorted (src/stats/ks.c): on every kind of
 * sample it must give exactly the double that sorting both samples and
 * calling ks_statistic gives (the conformance suite ties that one to
 * SciPy), and agree with a brute-force D computed straight from the
 * definition.  Sizes go past the point where the search switches to wide
 * digits, and the data is chosen to hit its edges: all-equal values, ties
 * across the samples, -0.0 against +0.0, huge, tiny and subnormal
 * magnitudes, one value a side, identical samples (every bucket a
 * candidate), values packed in a narrow range (deep splitting), NaN.
 */
#include <float.h>
#include <stdint.h>

#include "testdata.h"
#include "testhelp.h"
#include "stats/stats.h"
#include "util/xmalloc.h"

enum gen {
	GEN_NORMAL,		/* N(0, 1) */
	GEN_NORMAL_SHIFT,	/* N(0.05, 1.1) */
	GEN_SMALL_INTS,		/* -3 .. 3: heavy ties across samples */
	GEN_ZEROS,		/* -0.0, +0.0, and a few +-1 */
	GEN_MAGNITUDES,		/* +-1e300, DBL_MAX, subnormals, 1e-300 */
	GEN_NARROW,		/* 1.7e9 + tiny steps: one top bucket */
	GEN_BITS,		/* any finite bit pattern */
	GEN_CONST,		/* 2.5 only */
};

static double
gen_value(enum gen g, uint64_t *s)
{
	static const double	mags[] = {
		1e300, -1e300, DBL_MAX, -DBL_MAX, 4.9406564584124654e-324,
		-4.9406564584124654e-324, 2.2250738585072009e-308, 1e-300,
		-1e-300, 0.0, 1.0,
	};
	double			x;
	uint64_t		r;

	switch (g) {
	case GEN_NORMAL:
	case GEN_NORMAL_SHIFT:
		x = td_normal(s);
		return g == GEN_NORMAL ? x : 0.05 + 1.1 * x;
	case GEN_SMALL_INTS:
		return (double)((int)(td_next(s) % 7) - 3);
	case GEN_ZEROS:
		r = td_next(s) % 8;
		return r < 3 ? -0.0 : (r < 6 ? 0.0 : (r == 6 ? -1.0 : 1.0));
	case GEN_MAGNITUDES:
		r = td_next(s);
		return mags[r % (sizeof mags / sizeof mags[0])] *
		    (1 + (double)(r >> 60) / 16);
	case GEN_NARROW:
		return 1.7e9 + (double)(td_next(s) % 5000) * 1e-6;
	case GEN_BITS:
		return td_finite_bits(s, -1.5);
	default:
		return 2.5;
	}
}

static double *
sample(enum gen g, size_t n, uint64_t seed)
{
	double	*x = xmalloc((n ? n : 1) * sizeof *x);
	size_t	 i;

	seed = td_seed(seed);
	for (i = 0; i < n; i++)
		x[i] = gen_value(g, &seed);
	return x;
}

/* The simple exact path: drop NaN, sort, walk. */
static double
ks_sorted_path(const double *a, size_t n, const double *b, size_t m)
{
	double	*x = xmalloc((n ? n : 1) * sizeof *x);
	double	*y = xmalloc((m ? m : 1) * sizeof *y);
	double	 d;
	size_t	 nx, ny;

	nx = stats_drop_missing(a, n, x);
	ny = stats_drop_missing(b, m, y);
	sort_doubles(x, nx);
	sort_doubles(y, ny);
	d = ks_statistic(x, nx, y, ny);
	free(x);
	free(y);
	return d;
}

/* D from the definition: max over every value of |F_a - F_b|, O(nm). */
static double
ks_brute(const double *a, size_t n, const double *b, size_t m)
{
	size_t	k, i, ca, cb;
	double	x, d = 0, g;

	for (k = 0; k < n + m; k++) {
		x = k < n ? a[k] : b[k - n];
		for (ca = 0, i = 0; i < n; i++)
			ca += a[i] <= x;
		for (cb = 0, i = 0; i < m; i++)
			cb += b[i] <= x;
		g = fabs((double)ca / (double)n - (double)cb / (double)m);
		if (g > d)
			d = g;
	}
	return d;
}

static int
same_double(double x, double y)
{
	return (isnan(x) && isnan(y)) || memcmp(&x, &y, sizeof x) == 0;
}

/* Unsorted == sorted path, bit for bit, and the inputs left untouched. */
static int
agrees(const double *a, size_t n, const double *b, size_t m)
{
	double	*ca = xmalloc((n ? n : 1) * sizeof *ca);
	double	*cb = xmalloc((m ? m : 1) * sizeof *cb);
	double	 u, s;
	int	 ok;

	memcpy(ca, a, n * sizeof *a);
	memcpy(cb, b, m * sizeof *b);
	u = ks_statistic_unsorted(a, n, b, m);
	s = ks_sorted_path(a, n, b, m);
	ok = same_double(u, s) && memcmp(ca, a, n * sizeof *a) == 0 &&
	    memcmp(cb, b, m * sizeof *b) == 0;
	if (!ok)
		printf("# n=%zu m=%zu unsorted %.17g sorted %.17g\n", n, m, u, s);
	free(ca);
	free(cb);
	return ok;
}

static int
agrees_gen(enum gen ga, size_t n, enum gen gb, size_t m, uint64_t seed)
{
	double	*a = sample(ga, n, seed), *b = sample(gb, m, seed + 7);
	int	 ok = agrees(a, n, b, m);

	free(a);
	free(b);
	return ok;
}

static void
test_ks_unsorted_random_sizes(void)
{
	static const size_t	sizes[] = { 1, 2, 3, 7, 33, 100, 1000, 5000 };
	size_t			i, j;
	enum gen		g;

	for (g = GEN_NORMAL; g <= GEN_CONST; g++)
		for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
			for (j = 0; j < sizeof sizes / sizeof sizes[0]; j++)
				CHECK(agrees_gen(g, sizes[i],
				    g == GEN_NORMAL ? GEN_NORMAL_SHIFT : g,
				    sizes[j], i * 31 + j));
}

static void
test_ks_unsorted_wide_digits(void)
{
	/* 2^18 values and more take 16-bit digits at the top. */
	CHECK(agrees_gen(GEN_NORMAL, 200000, GEN_NORMAL_SHIFT, 150000, 1));
	CHECK(agrees_gen(GEN_SMALL_INTS, 150000, GEN_SMALL_INTS, 150000, 2));
	CHECK(agrees_gen(GEN_NARROW, 140000, GEN_NARROW, 130000, 3));
	CHECK(agrees_gen(GEN_BITS, 300000, GEN_NORMAL, 1, 4));
	CHECK(agrees_gen(GEN_MAGNITUDES, 140000, GEN_ZEROS, 140000, 5));
}

static void
test_ks_unsorted_identical_samples(void)
{
	double	*a = sample(GEN_NORMAL, 20000, 11);
	double	*b = sample(GEN_NARROW, 3000, 12);

	/* Every gap is 0 and every bucket a candidate. */
	CHECK(agrees(a, 20000, a, 20000));
	CHECK(ks_statistic_unsorted(a, 20000, a, 20000) == 0);
	CHECK(agrees(b, 3000, b, 3000));
	/* Half of a against a: gaps tie all over. */
	CHECK(agrees(a, 10000, a, 20000));
	free(a);
	free(b);
}

static void
test_ks_unsorted_all_equal(void)
{
	double	a[3000], b[2000];
	size_t	i;

	for (i = 0; i < 3000; i++)
		a[i] = 7.25;
	for (i = 0; i < 2000; i++)
		b[i] = 7.25;
	CHECK(ks_statistic_unsorted(a, 3000, b, 2000) == 0);
	CHECK(agrees(a, 3000, b, 2000));
	b[1999] = 7.5;		/* all of a before one value of b */
	CHECK(agrees(a, 3000, b, 2000));
	CHECK_NEAR(ks_statistic_unsorted(a, 3000, b, 2000), 1.0 / 2000, 1e-12, 0);
	for (i = 0; i < 2000; i++)
		b[i] = -7.25;	/* disjoint: D = 1 */
	CHECK(ks_statistic_unsorted(a, 3000, b, 2000) == 1);
	CHECK(agrees(a, 3000, b, 2000));
}

static void
test_ks_unsorted_signed_zero(void)
{
	double	a[100], b[100];
	size_t	i;

	/* -0.0 == +0.0: one value, so D = 0 however they are split. */
	for (i = 0; i < 100; i++) {
		a[i] = -0.0;
		b[i] = 0.0;
	}
	CHECK(ks_statistic_unsorted(a, 100, b, 100) == 0);
	CHECK(agrees(a, 100, b, 100));
	for (i = 0; i < 50; i++)
		a[i] = -1e-300;
	/* Half of a below zero, then everything at zero: D = 0.5. */
	CHECK(ks_statistic_unsorted(a, 100, b, 100) == 0.5);
	CHECK(agrees(a, 100, b, 100));
}

static void
test_ks_unsorted_one_value(void)
{
	double	x = 1, y = 2, *b = sample(GEN_NORMAL, 4000, 21);

	CHECK(ks_statistic_unsorted(&x, 1, &y, 1) == 1);
	CHECK(ks_statistic_unsorted(&x, 1, &x, 1) == 0);
	CHECK(agrees(&x, 1, b, 4000));
	CHECK(agrees(b, 4000, &y, 1));
	free(b);
}

static void
test_ks_unsorted_brute_force(void)
{
	enum gen	g;
	double		*a, *b;
	uint64_t	seed;

	for (g = GEN_NORMAL; g <= GEN_CONST; g++)
		for (seed = 1; seed <= 4; seed++) {
			a = sample(g, 40 + seed * 37, seed);
			b = sample(g == GEN_NORMAL ? GEN_NORMAL_SHIFT : g,
			    50 + seed * 13, seed * 3);
			CHECK_NEAR(ks_statistic_unsorted(a, 40 + seed * 37, b,
			    50 + seed * 13), ks_brute(a, 40 + seed * 37, b,
			    50 + seed * 13), 1e-15, 0);
			free(a);
			free(b);
		}
}

/*
 * Two positions with the same exact gap 2/10 give different doubles:
 * 3/10 - 1/10 inside one bucket, then 4/10 - 2/10 at a later bucket's
 * end.  The sorted walk keeps the first, so the search must look into the
 * bucket although its bound only ties the best gap it knows.
 */
static void
test_ks_unsorted_first_maximum(void)
{
	double	a[10], b[10];
	size_t	k;

	a[0] = 1e-30;			/* P: (1, 1) */
	b[0] = 2e-30;
	a[1] = 1e-10;			/* A: (2, 1), (3, 1), (3, 2) */
	a[2] = 1.1e-10;
	b[1] = 1.2e-10;
	a[3] = 1.0;			/* C: (4, 2) */
	for (k = 0; k < 8; k++)		/* D: b a b a ... b b */
		b[2 + k] = 1e10 + 2.0 * (double)k;
	for (k = 0; k < 6; k++)
		a[4 + k] = 1e10 + 2.0 * (double)k + 1;
	CHECK(3.0 / 10 - 1.0 / 10 != 4.0 / 10 - 2.0 / 10);
	CHECK(ks_statistic_unsorted(a, 10, b, 10) == 3.0 / 10 - 1.0 / 10);
	CHECK(agrees(a, 10, b, 10));
	CHECK_NEAR(ks_brute(a, 10, b, 10), 0.2, 1e-15, 0);
}

static void
test_ks_unsorted_nan(void)
{
	double	*a = sample(GEN_NORMAL, 1000, 31);
	double	*b = sample(GEN_NORMAL_SHIFT, 800, 32);
	double	 nan[4] = { NAN, NAN, NAN, NAN }, x = 1;
	size_t	 i;

	for (i = 0; i < 1000; i += 3)
		a[i] = NAN;
	for (i = 0; i < 800; i += 5)
		b[i] = -NAN;
	/* NaN values are left out, as stats_drop_missing does. */
	CHECK(agrees(a, 1000, b, 800));
	CHECK(isnan(ks_statistic_unsorted(nan, 4, &x, 1)));
	CHECK(isnan(ks_statistic_unsorted(&x, 1, nan, 4)));
	CHECK(isnan(ks_statistic_unsorted(&x, 0, &x, 1)));
	CHECK(isnan(ks_statistic_unsorted(&x, 1, &x, 0)));
	free(a);
	free(b);
}

int
main(void)
{
	RUN(test_ks_unsorted_random_sizes);
	RUN(test_ks_unsorted_wide_digits);
	RUN(test_ks_unsorted_identical_samples);
	RUN(test_ks_unsorted_all_equal);
	RUN(test_ks_unsorted_signed_zero);
	RUN(test_ks_unsorted_one_value);
	RUN(test_ks_unsorted_brute_force);
	RUN(test_ks_unsorted_first_maximum);
	RUN(test_ks_unsorted_nan);
	return TEST_REPORT();
}
