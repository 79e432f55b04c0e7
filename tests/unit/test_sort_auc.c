/*
 * Unit tests of perf_roc_auc (src/stats/perf.c), which counts the
 * Mann-Whitney U by key digits instead of sorting.  U is an integer, so
 * the result must be exactly the double of the simple path: sort each
 * class, merge with ties counted half (sort_merge_auc below), and, on
 * small data, of counting every pair.  The data takes every path: parts
 * split by wide, middle and narrow digits, tiny parts counted pair by
 * pair, a part whose keys are all the same (every pair a tie), -0.0
 * against +0.0 (one score), huge, tiny and subnormal scores, one row of
 * a class, NaN scores and labels, one class only.
 */
#include <float.h>
#include <stdint.h>

#include "testdata.h"
#include "testhelp.h"
#include "stats/stats.h"
#include "util/xmalloc.h"

enum gen {
	GEN_UNIFORM,		/* p ~ U(0, 1), y ~ Bernoulli(p) */
	GEN_NORMAL_SCORES,	/* scores of both signs */
	GEN_FEW_SCORES,		/* 0, 0.25, ..., 1: ties everywhere */
	GEN_ZEROS,		/* -0.0, +0.0 and 1 */
	GEN_MAGNITUDES,		/* huge, tiny, subnormal, both signs */
	GEN_CONST,		/* one score for every row */
	GEN_COUNT
};

static double
gen_score(enum gen g, uint64_t *s)
{
	static const double	mags[] = {
		1e300, -1e300, DBL_MAX, -DBL_MAX, 4.9406564584124654e-324,
		-4.9406564584124654e-324, 2.2250738585072009e-308, 1e-300,
		-0.0, 0.0, 1.0,
	};
	uint64_t		r;

	switch (g) {
	case GEN_UNIFORM:
		return td_uniform01(s);
	case GEN_NORMAL_SCORES:
		return td_normal(s);
	case GEN_FEW_SCORES:
		return (double)(td_next(s) % 5) * 0.25;
	case GEN_ZEROS:
		r = td_next(s) % 5;
		return r < 2 ? -0.0 : (r < 4 ? 0.0 : 1.0);
	case GEN_MAGNITUDES:
		r = td_next(s);
		return mags[r % (sizeof mags / sizeof mags[0])] *
		    (1 + (double)(r >> 60) / 16);
	default:
		return 0.375;
	}
}

static void
make_rows(enum gen g, size_t n, uint64_t seed, double *p, double *y)
{
	size_t	i;

	seed = td_seed(seed);
	for (i = 0; i < n; i++) {
		p[i] = gen_score(g, &seed);
		/* Labels follow the score where it is a probability. */
		y[i] = td_uniform01(&seed) < (g == GEN_UNIFORM ? p[i] : 0.4);
	}
}

/* The simple path: sort each class, merge runs of equal scores. */
static double
sort_merge_auc(const double *p, const double *y, size_t n)
{
	double		*pos = xmalloc((n + 1) * sizeof *pos);
	double		*neg = xmalloc((n + 1) * sizeof *neg);
	size_t		 i, j = 0, np = 0, nn = 0, pe, ne;
	uint64_t	 u2 = 0;
	double		 v;

	for (i = 0; i < n; i++) {
		if (isnan(p[i]) || isnan(y[i]))
			continue;
		if (y[i] == 1)
			pos[np++] = p[i];
		else
			neg[nn++] = p[i];
	}
	sort_doubles(pos, np);
	sort_doubles(neg, nn);
	for (i = 0; i < np;) {
		v = pos[i];
		while (j < nn && neg[j] < v)
			j++;
		for (ne = 0; j + ne < nn && neg[j + ne] == v; ne++)
			;
		for (pe = 0; i < np && pos[i] == v; i++)
			pe++;
		u2 += (uint64_t)pe * (2 * (uint64_t)j + ne);
	}
	free(pos);
	free(neg);
	if (np == 0 || nn == 0)
		return NAN;
	return (double)u2 / (2.0 * (double)np * (double)nn);
}

/* AUC from the definition: P(score_pos > score_neg) + P(tie) / 2. */
static double
pairs_auc(const double *p, const double *y, size_t n)
{
	size_t		i, j, np = 0, nn = 0;
	uint64_t	u2 = 0;

	for (i = 0; i < n; i++) {
		if (isnan(p[i]) || isnan(y[i]) || y[i] != 1)
			continue;
		np++;
		for (j = 0; j < n; j++)
			if (!isnan(p[j]) && !isnan(y[j]) && y[j] == 0)
				u2 += 2 * (p[i] > p[j]) + (p[i] == p[j]);
	}
	for (j = 0; j < n; j++)
		nn += !isnan(p[j]) && !isnan(y[j]) && y[j] == 0;
	if (np == 0 || nn == 0)
		return NAN;
	return (double)u2 / (2.0 * (double)np * (double)nn);
}

static int
same_double(double x, double y)
{
	return (isnan(x) && isnan(y)) || memcmp(&x, &y, sizeof x) == 0;
}

static int
agrees(enum gen g, size_t n, uint64_t seed, int brute)
{
	double	*p = xmalloc((n + 1) * sizeof *p);
	double	*y = xmalloc((n + 1) * sizeof *y);
	double	 a, b;
	int	 ok;

	make_rows(g, n, seed, p, y);
	a = perf_roc_auc(p, y, n);
	b = brute ? pairs_auc(p, y, n) : sort_merge_auc(p, y, n);
	ok = same_double(a, b);
	if (!ok)
		printf("# gen %d n %zu: %.17g vs %.17g\n", (int)g, n, a, b);
	free(p);
	free(y);
	return ok;
}

static void
test_auc_brute_force(void)
{
	static const size_t	sizes[] = { 2, 3, 10, 40, 300, 2000 };
	size_t			i;
	int			g;

	for (g = 0; g < GEN_COUNT; g++)
		for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
			CHECK(agrees(g, sizes[i], i + 1, 1));
}

static void
test_auc_every_digit_width(void)
{
	int	g;

	/* 2^12 and 2^18 rows switch to 11- and 16-bit digits. */
	for (g = 0; g < GEN_COUNT; g++) {
		CHECK(agrees(g, 5000, 3, 0));
		CHECK(agrees(g, 70000, 4, 0));
	}
	CHECK(agrees(GEN_UNIFORM, 400000, 5, 0));
	CHECK(agrees(GEN_NORMAL_SCORES, 300000, 6, 0));
	CHECK(agrees(GEN_FEW_SCORES, 300000, 7, 0));
}

static void
test_auc_ties_and_zeros(void)
{
	double	p[600], y[600];
	size_t	i;

	/* One score for all: every pair a tie, AUC 1/2. */
	for (i = 0; i < 600; i++) {
		p[i] = 0.5;
		y[i] = i % 3 == 0;
	}
	CHECK(perf_roc_auc(p, y, 600) == 0.5);
	/* -0.0 positives, +0.0 negatives: equal scores, still 1/2. */
	for (i = 0; i < 600; i++)
		p[i] = y[i] == 1 ? -0.0 : 0.0;
	CHECK(perf_roc_auc(p, y, 600) == 0.5);
	/* Every positive above every negative, then below. */
	for (i = 0; i < 600; i++)
		p[i] = y[i] == 1 ? 1e-300 : -1e-300;
	CHECK(perf_roc_auc(p, y, 600) == 1);
	for (i = 0; i < 600; i++)
		p[i] = y[i] == 1 ? -DBL_MAX : DBL_MAX;
	CHECK(perf_roc_auc(p, y, 600) == 0);
}

static void
test_auc_one_row_a_class(void)
{
	double	p[5000], y[5000];
	size_t	i;
	uint64_t s = 99;

	for (i = 0; i < 5000; i++) {
		p[i] = td_uniform01(&s);
		y[i] = 0;
	}
	y[1234] = 1;
	CHECK(same_double(perf_roc_auc(p, y, 5000), pairs_auc(p, y, 5000)));
	for (i = 0; i < 5000; i++)
		y[i] = i != 77;
	CHECK(same_double(perf_roc_auc(p, y, 5000), pairs_auc(p, y, 5000)));
	y[0] = 1;
	CHECK(isnan(perf_roc_auc(p, y, 1)));	/* one row, one class */
}

static void
test_auc_nan_rows(void)
{
	double	*p = xmalloc(3000 * sizeof *p), *y = xmalloc(3000 * sizeof *y);
	size_t	 i;

	make_rows(GEN_UNIFORM, 3000, 12, p, y);
	for (i = 0; i < 3000; i += 7)
		p[i] = NAN;
	for (i = 3; i < 3000; i += 11)
		y[i] = NAN;
	/* Rows missing a score or a label are left out. */
	CHECK(same_double(perf_roc_auc(p, y, 3000), pairs_auc(p, y, 3000)));
	for (i = 0; i < 3000; i++)
		y[i] = isnan(y[i]) ? NAN : 1;
	CHECK(isnan(perf_roc_auc(p, y, 3000)));
	CHECK(isnan(perf_roc_auc(p, y, 0)));
	free(p);
	free(y);
}

int
main(void)
{
	RUN(test_auc_brute_force);
	RUN(test_auc_every_digit_width);
	RUN(test_auc_ties_and_zeros);
	RUN(test_auc_one_row_a_class);
	RUN(test_auc_nan_rows);
	return TEST_REPORT();
}
