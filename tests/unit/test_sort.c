/*
 * Unit tests of the radix sort (src/stats/sort.c) against qsort with a
 * comparator that orders -0.0 before +0.0, compared bit for bit.  The
 * data is chosen to take each path: the split by the top 16 key bits
 * (normal, uniform, small integers, magnitudes), the plain LSD fallback
 * (random bit patterns use too many top buckets; timestamps and constant
 * arrays put over half the values in one), buckets whose keys are all the
 * same (no LSD pass runs), buckets under and over the insertion-sort size,
 * and sizes around every threshold.
 */
#include <float.h>
#include <stdint.h>

#include "testdata.h"
#include "testhelp.h"
#include "stats/stats.h"
#include "util/xmalloc.h"

enum gen {
	GEN_NORMAL,
	GEN_UNIFORM,
	GEN_SMALL_INTS,		/* -3 .. 3 as doubles, with -0.0 and +0.0 */
	GEN_MAGNITUDES,		/* huge, tiny, subnormal, both signs */
	GEN_BITS,		/* any finite bit pattern */
	GEN_NARROW,		/* 1.7e9 + small steps */
	GEN_CONST,
	GEN_THREE_VALUES,	/* 1.0, 3.0, -5.0: constant buckets */
	GEN_COUNT
};

static double
gen_value(enum gen g, uint64_t *s)
{
	static const double	mags[] = {
		1e300, -1e300, DBL_MAX, -DBL_MAX, 4.9406564584124654e-324,
		-4.9406564584124654e-324, 2.2250738585072009e-308, -1e-300,
		0.0, -0.0, 1.0,
	};
	uint64_t		r;

	switch (g) {
	case GEN_NORMAL:
		return td_normal(s);
	case GEN_UNIFORM:
		return td_uniform01(s);
	case GEN_SMALL_INTS:
		r = td_next(s) % 8;
		return r == 7 ? -0.0 : (double)((int)r - 3);
	case GEN_MAGNITUDES:
		r = td_next(s);
		return mags[r % (sizeof mags / sizeof mags[0])] *
		    (1 + (double)(r >> 58) / 64);
	case GEN_BITS:
		return td_finite_bits(s, 0.5);
	case GEN_NARROW:
		return 1.7e9 + (double)(td_next(s) % 100000) * 1e-3;
	case GEN_CONST:
		return -2.75;
	default:
		r = td_next(s) % 10;
		return r < 4 ? 1.0 : (r < 7 ? 3.0 : -5.0);
	}
}

/* Value order, then -0.0 before +0.0: the order of the key bits. */
static int
cmp_total(const void *pa, const void *pb)
{
	double	x = *(const double *)pa, y = *(const double *)pb;

	if (x != y)
		return x < y ? -1 : 1;
	return (signbit(y) != 0) - (signbit(x) != 0);
}

static int
sorts_like_qsort(enum gen g, size_t n, uint64_t seed, int with_buf)
{
	double	*a = xmalloc((n ? n : 1) * sizeof *a);
	double	*b = xmalloc((n ? n : 1) * sizeof *b);
	double	*scratch = xmalloc((n ? n : 1) * sizeof *scratch);
	size_t	 i;
	int	 ok;

	seed = td_seed(seed);
	for (i = 0; i < n; i++)
		a[i] = b[i] = gen_value(g, &seed);
	if (with_buf)
		sort_doubles_buf(a, n, scratch);
	else
		sort_doubles(a, n);
	qsort(b, n, sizeof *b, cmp_total);
	ok = memcmp(a, b, n * sizeof *a) == 0;
	if (!ok)
		printf("# gen %d n %zu differs from qsort\n", (int)g, n);
	free(a);
	free(b);
	free(scratch);
	return ok;
}

static void
test_sort_every_path(void)
{
	static const size_t	sizes[] = {
		0, 1, 2, 63, 64, 65, 1000, 4095, 4096, 4097, 20000, 70000,
	};
	size_t			i;
	int			g;

	for (g = 0; g < GEN_COUNT; g++)
		for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			CHECK(sorts_like_qsort(g, sizes[i], i + 1, 0));
			CHECK(sorts_like_qsort(g, sizes[i], i + 101, 1));
		}
}

static void
test_sort_large(void)
{
	/* Buckets of tens of thousands: every LSD pass inside them runs. */
	CHECK(sorts_like_qsort(GEN_NORMAL, 600000, 7, 1));
	CHECK(sorts_like_qsort(GEN_UNIFORM, 300000, 8, 0));
	CHECK(sorts_like_qsort(GEN_BITS, 300000, 9, 1));
	CHECK(sorts_like_qsort(GEN_NARROW, 300000, 10, 1));
}

static void
test_sort_signed_zeros(void)
{
	double	v[5000];
	size_t	i;
	int	ok = 1;

	/* Zeros alone: over half in one bucket, the plain LSD path. */
	for (i = 0; i < 5000; i++)
		v[i] = (i % 3) ? 0.0 : -0.0;
	sort_doubles(v, 5000);
	for (i = 0; i < 5000; i++)
		ok &= v[i] == 0 && (signbit(v[i]) != 0) == (i < 1667);
	CHECK(ok);
	/* Zeros among spread values: the split path, -0.0 and +0.0 apart. */
	for (i = 0; i < 5000; i++)
		v[i] = (i % 4 == 0) ? -0.0 : (i % 4 == 1 ? 0.0 :
		    (double)i - 2500.5);
	sort_doubles(v, 5000);
	for (i = 1, ok = 1; i < 5000; i++)
		ok &= v[i - 1] < v[i] || (v[i - 1] == v[i] &&
		    (signbit(v[i - 1]) != 0) >= (signbit(v[i]) != 0));
	CHECK(ok);
	/* 1250 negatives, 1250 times -0.0, then 1250 times +0.0. */
	CHECK(v[1249] < 0 && signbit(v[1250]) && v[1250] == 0);
	CHECK(signbit(v[2499]) && v[2499] == 0);
	CHECK(!signbit(v[2500]) && v[2500] == 0);
}

int
main(void)
{
	RUN(test_sort_every_path);
	RUN(test_sort_large);
	RUN(test_sort_signed_zeros);
	return TEST_REPORT();
}
