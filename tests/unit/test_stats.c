/*
 * Unit tests of src/stats beyond the conformance data: the radix sort
 * against qsort, incremental bin counts, the "cannot be computed" and
 * infinity conventions, error paths, the status rules and the category
 * dictionary.  Expected values here follow from the definitions by hand
 * (stated next to each); numeric agreement with the references is
 * test_stats_conformance's job.
 */
#include <stdint.h>

#include "testhelp.h"
#include "stats/stats.h"
#include "util/xmalloc.h"

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
check_sort(size_t n, uint64_t seed, int kind)
{
	double	*a = xmalloc(n * sizeof *a), *b = xmalloc(n * sizeof *b);
	size_t	 i;
	int	 same = 1;
	uint64_t r;

	for (i = 0; i < n; i++) {
		r = next_rand(&seed);
		if (kind == 0)		/* any finite bit pattern */
			memcpy(&a[i], &r, sizeof r);
		else			/* few distinct values, signs, zeros */
			a[i] = (double)((int)(r % 7) - 3) * 0.5;
		if (isnan(a[i]) || isinf(a[i]))
			a[i] = -1.25;
		b[i] = a[i];
	}
	sort_doubles(a, n);
	qsort(b, n, sizeof *b, cmp_double);
	for (i = 0; i < n; i++)
		same &= a[i] == b[i];
	for (i = 1; i < n; i++)
		same &= a[i - 1] <= a[i];
	CHECK(same);
	free(a);
	free(b);
}

static void
test_sort_matches_qsort(void)
{
	size_t	sizes[] = { 0, 1, 2, 63, 64, 65, 1000, 100000 };
	size_t	i;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		check_sort(sizes[i], 88172645463325252ull + i, 0);
		check_sort(sizes[i], 1234567 + i, 1);
	}
}

static void
test_sort_signed_zero_and_subnormals(void)
{
	double	v[100];
	size_t	i;

	for (i = 0; i < 100; i++)
		v[i] = (i % 4 == 0) ? -0.0 : (i % 4 == 1) ? 0.0 :
		    (i % 4 == 2) ? 4.9e-324 : -4.9e-324;
	sort_doubles(v, 100);
	CHECK(v[0] == -4.9e-324 && v[24] == -4.9e-324);
	CHECK(v[25] == 0 && v[74] == 0);
	CHECK(v[75] == 4.9e-324 && v[99] == 4.9e-324);
}

static void
test_bins_incremental(void)
{
	double	ref[20], edges[BINS_MAX_EDGES], add[3] = { -5, NAN, 100 };
	long	c1[BINS_MAX] = { 0 }, c2[BINS_MAX] = { 0 };
	size_t	i, ne;

	for (i = 0; i < 20; i++)
		ref[i] = (double)i;
	ne = bins_edges(ref, 20, edges);
	CHECK_INT(ne, 9);
	/* (20 - 1) * 0.5 = 9.5: between 9 and 10. */
	CHECK(edges[4] == 9.5);
	CHECK_INT(bins_index(edges, ne, -1e300), 0);
	CHECK_INT(bins_index(edges, ne, 1e300), 9);
	CHECK_INT(bins_index(edges, ne, edges[3]), 4);	/* side="right" */
	bins_count(edges, ne, ref, 20, c1);
	bins_count(edges, ne, ref, 20, c2);
	CHECK_INT(bins_count(edges, ne, add, 3, c2), 1);
	CHECK_INT(bins_uncount(edges, ne, add, 3, c2), 1);
	CHECK(memcmp(c1, c2, sizeof c1) == 0);
	CHECK_INT(bins_edges(ref, 0, edges), 0);
}

/* Sample kinds for the unsorted-edges check. */
static double
sample_value(int kind, size_t i, uint64_t *s)
{
	double	u = (double)(next_rand(s) >> 11) / 9007199254740992.0;

	switch (kind) {
	case 0:
		return u * 2 - 1;
	case 1:
		return 3.5;				/* constant */
	case 2:
		return i % 10 ? 7.0 : u;		/* mostly one value */
	case 3:
		return (double)(int)(u * 5) - 2.0;	/* integer ties */
	case 4:
		return i % 3 ? -0.0 : 0.0;		/* signed zeros */
	case 5:
		return i % 4 ? u / (1 - u) : NAN;	/* heavy tail, NaN */
	default:
		return 1.0 + u * 0x1p-40;		/* one 16-bit bucket */
	}
}

static void
test_bins_edges_unsorted_matches_sorted(void)
{
	size_t	sizes[] = { 10, 4095, 4096, 5000, 200000 };
	double	e1[BINS_MAX_EDGES], e2[BINS_MAX_EDGES], *x, *y;
	size_t	i, k, n, n1, n2, ny;
	int	kind, same = 1;
	uint64_t s = 99;

	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		for (kind = 0; kind <= 6; kind++) {
			n = sizes[k];
			x = xmalloc(n * sizeof *x);
			y = xmalloc(n * sizeof *y);
			for (i = 0; i < n; i++)
				x[i] = sample_value(kind, i, &s);
			ny = stats_drop_missing(x, n, y);
			sort_doubles(y, ny);
			n1 = bins_edges(y, ny, e1);
			n2 = bins_edges_unsorted(x, n, e2);
			same &= n1 == n2 && memcmp(e1, e2, n1 * sizeof *e1) == 0;
			free(x);
			free(y);
		}
	CHECK(same);
}

static void
test_cannot_compute_is_nan(void)
{
	long	z[3] = { 0, 0, 0 }, c[3] = { 1, 2, 3 };
	double	x[2] = { 1, 2 }, st, pv;

	CHECK(isnan(psi_from_counts(z, c, 3)));
	CHECK(isnan(js_from_counts(c, z, 3)));
	chi2_from_counts(z, c, 3, &st, &pv);
	CHECK(isnan(st) && isnan(pv));
	CHECK(isnan(ks_statistic(x, 2, x, 0)));
	CHECK(isnan(ks_pvalue(NAN, 2, 2)));
	CHECK(isnan(ks_pvalue(0.5, 0, 2)));
	CHECK(isnan(wasserstein_distance(x, 0, x, 2)));
	CHECK(isnan(stats_mean(x, 0)) && isnan(stats_std(x, 0)));
	CHECK(isnan(stats_missing_rate(0, 0)));
	CHECK(isnan(perf_roc_auc(x, x, 0)));
}

static void
test_identical_counts(void)
{
	long	c[4] = { 5, 0, 7, 1 };
	double	st, pv;

	CHECK(psi_from_counts(c, c, 4) == 0);
	CHECK(js_from_counts(c, c, 4) == 0);
	chi2_from_counts(c, c, 4, &st, &pv);
	CHECK(st == 0 && pv == 1);
}

static void
test_chi2_single_column(void)
{
	long	r[3] = { 0, 9, 0 }, c[3] = { 0, 4, 0 };
	double	st, pv;

	/* One category seen: dof 0, SciPy's 0 and 1. */
	chi2_from_counts(r, c, 3, &st, &pv);
	CHECK(st == 0 && pv == 1);
}

static void
test_wasserstein_normed_rules(void)
{
	CHECK(wasserstein_normed(0, 0) == 0);
	CHECK(isinf(wasserstein_normed(0.5, 0)));
	CHECK(wasserstein_normed(1, 4) == 0.25);
	CHECK(isnan(wasserstein_normed(NAN, 1)));
	CHECK(isnan(wasserstein_normed(1, NAN)));
}

static void
test_special_function_domains(void)
{
	CHECK(kolmogorov_sf(-1) == 1 && kolmogorov_sf(0) == 1);
	CHECK(isnan(kolmogorov_sf(NAN)));
	CHECK(kolmogorov_sf(1e6) == 0);
	CHECK(isnan(gammainc_q(-1, 1)) && isnan(gammainc_q(1, -1)));
	CHECK(gammainc_q(1, 0) == 1 && gammainc_q(1, INFINITY) == 0);
	CHECK(gammainc_q(0, 2) == 0 && isnan(gammainc_q(0, 0)));
	/* Q(1, x) = exp(-x); P + Q = 1. */
	CHECK_NEAR(gammainc_q(1, 3), exp(-3), 1e-14, 0);
	CHECK_NEAR(gammainc_p(2.5, 1.7) + gammainc_q(2.5, 1.7), 1, 1e-15, 0);
	CHECK_NEAR(gammainc_p(30, 45) + gammainc_q(30, 45), 1, 1e-15, 0);
	CHECK(gammainc_chi2_sf(-1, 3) == 1 && isnan(gammainc_chi2_sf(1, 0)));
	/* chi2 sf with 2 dof is exp(-x/2). */
	CHECK_NEAR(gammainc_chi2_sf(7, 2), exp(-3.5), 1e-14, 0);
}

static void
test_perf_bad_label(void)
{
	double			 p[3] = { 0.1, 0.9, 0.5 }, y[3] = { 0, 2, 1 };
	struct perf_classification pc;
	char			*cause = NULL;

	CHECK_INT(perf_classification(p, y, 3, 0.5, &pc, &cause), -1);
	CHECK_STR(cause, "label 2 on row 2 is not 0 or 1");
	free(cause);
}

static void
test_perf_small_by_hand(void)
{
	/* Scores 0.9 (y=1), 0.4 (y=1), 0.6 (y=0), 0.4 (y=0), NaN label. */
	double			p[5] = { 0.9, 0.4, 0.6, 0.4, 0.7 };
	double			y[5] = { 1, 1, 0, 0, NAN };
	struct perf_classification pc;

	CHECK_INT(perf_classification(p, y, 5, 0.5, &pc, NULL), 0);
	CHECK_INT(pc.labelled, 4);
	CHECK(pc.accuracy == 0.5);		/* 0.9 and 0.4(y=0) right */
	CHECK(pc.precision == 0.5 && pc.recall == 0.5 && pc.f1 == 0.5);
	/* Pairs (pos, neg): (0.9, 0.6) 1, (0.9, 0.4) 1, (0.4, 0.6) 0,
	 * (0.4, 0.4) 1/2: AUC = 2.5 / 4. */
	CHECK(pc.roc_auc == 0.625);
	/* (0.9 + 0.6 + 0.6 + 0.6 + 0.7) / 5 */
	CHECK_NEAR(pc.estimated_accuracy, 3.4 / 5, 1e-15, 0);
}

static void
test_regression_by_hand(void)
{
	double			p[3] = { 2, 0, NAN }, y[3] = { 1, 0, 5 };
	struct perf_regression	r;

	perf_regression(p, y, 3, &r);
	CHECK_INT(r.rows, 2);
	CHECK(r.mae == 0.5);
	CHECK(r.rmse == sqrt(0.5));
	CHECK(r.mape == 0.5);	/* (1/1 + 0/eps) / 2 */
	perf_regression(p, y, 0, &r);
	CHECK(isnan(r.mae) && r.rows == 0);
}

static void
test_fairness_min_rows(void)
{
	struct stats_thresholds	t = stats_thresholds_default();
	struct fairness		f;
	int			seg[40];
	double			p[40], y[40];
	size_t			i;

	/* Segment 0: 30 rows all selected; segment 1: 10 rows, too few. */
	for (i = 0; i < 40; i++) {
		seg[i] = i < 30 ? 0 : 1;
		p[i] = i < 30 ? 0.9 : 0.1;
		y[i] = 1;
	}
	fairness_compute(seg, 2, p, y, 40, 0.5, &t, &f);
	CHECK(f.segments[0].selection_rate == 1 && f.segments[1].rows == 10);
	CHECK(f.demographic_parity_difference == 0);
	CHECK(f.disparate_impact == 1);
	CHECK(f.equal_opportunity_difference == 0);
	fairness_free(&f);
	seg[0] = -1;
	fairness_compute(seg, 2, p, y, 40, 0.5, &t, &f);
	CHECK(isnan(f.demographic_parity_difference));
	CHECK(isnan(f.disparate_impact));
	fairness_free(&f);
}

static void
test_feature_status_rules(void)
{
	struct stats_thresholds	t = stats_thresholds_default();
	struct stats_feature	f;

	stats_feature_init(&f, STATS_NUMERIC);
	f.rows_ref = f.rows_cur = 100;
	f.psi = 0.1;
	CHECK_INT(stats_feature_status(&f, &t), STATS_WARN);
	f.psi = 0.25;
	CHECK_INT(stats_feature_status(&f, &t), STATS_ALERT);
	f.psi = 0.0999;
	CHECK_INT(stats_feature_status(&f, &t), STATS_OK);
	f.rows_cur = 99;
	CHECK_INT(stats_feature_status(&f, &t), STATS_TOO_FEW_ROWS);
	f.rows_cur = 100;
	t.method = STATS_METHOD_KS;
	f.ks_pvalue = 0.049;
	f.chi2_pvalue = 0.5;
	CHECK_INT(stats_feature_status(&f, &t), STATS_ALERT);
	f.kind = STATS_CATEGORICAL;
	CHECK_INT(stats_feature_status(&f, &t), STATS_OK);
	t.method = STATS_METHOD_WASSERSTEIN;
	f.js = 0.1;
	CHECK_INT(stats_feature_status(&f, &t), STATS_ALERT);
	f.kind = STATS_NUMERIC;
	f.wasserstein_normed = INFINITY;
	CHECK_INT(stats_feature_status(&f, &t), STATS_ALERT);
	f.wasserstein_normed = NAN;
	CHECK_INT(stats_feature_status(&f, &t), STATS_UNKNOWN);
	t.method = STATS_METHOD_JS;
	f.js = 0.05;
	CHECK_INT(stats_feature_status(&f, &t), STATS_OK);
}

static void
test_model_level_status(void)
{
	struct stats_thresholds	t = stats_thresholds_default();

	CHECK_INT(stats_accuracy_status(0.8, 0.9, 199, &t), STATS_TOO_FEW_ROWS);
	CHECK_INT(stats_accuracy_status(0.28, 0.30, 200, &t), STATS_WARN);
	CHECK_INT(stats_accuracy_status(0.85, 0.90, 200, &t), STATS_ALERT);
	CHECK_INT(stats_accuracy_status(0.89, 0.90, 200, &t), STATS_OK);
	CHECK_INT(stats_accuracy_status(NAN, 0.90, 200, &t), STATS_UNKNOWN);
	CHECK_INT(stats_fairness_status(0.79, &t), STATS_ALERT);
	CHECK_INT(stats_fairness_status(0.8, &t), STATS_OK);
	CHECK_INT(stats_fairness_status(NAN, &t), STATS_UNKNOWN);
	CHECK_STR(stats_status_name(STATS_TOO_FEW_ROWS), "too_few_rows");
	CHECK_STR(stats_status_name(STATS_WARN), "warn");
	CHECK_INT(stats_status_worst(STATS_OK, STATS_ALERT), STATS_ALERT);
	CHECK_INT(stats_status_worst(STATS_WARN, STATS_OK), STATS_WARN);
	CHECK_INT(stats_status_worst(STATS_TOO_FEW_ROWS, STATS_OK), STATS_OK);
}

static void
test_cat_dict(void)
{
	struct cat_dict	*d = cat_dict_new();
	char		 name[32];
	size_t		 i;

	CHECK_INT(cat_dict_intern(d, "b"), 0);
	CHECK_INT(cat_dict_intern(d, "a"), 1);
	CHECK_INT(cat_dict_intern(d, "b"), 0);
	CHECK_INT(cat_dict_find(d, "zz"), (size_t)-1);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "c%zu", i);
		cat_dict_intern(d, name);
	}
	CHECK_INT(cat_dict_size(d), 1002);
	CHECK_INT(cat_dict_find(d, "c999"), 1001);
	CHECK_STR(cat_dict_name(d, 1001), "c999");
	CHECK(cat_dict_name(d, 1002) == NULL);
	cat_dict_free(d);
	cat_dict_free(NULL);
}

static void
test_numeric_selected_statistics(void)
{
	double			ref[4] = { 1, NAN, 2, 3 }, cur[2] = { NAN, 2 };
	struct stats_feature	f;

	stats_numeric(ref, 4, cur, 2, STATS_PSI, &f);
	CHECK(!isnan(f.psi) && isnan(f.js) && isnan(f.ks_statistic));
	CHECK_INT(f.missing_ref, 1);
	CHECK(f.missing_rate_cur == 0.5);
	CHECK(ref[1] != ref[1] && ref[3] == 3);	/* input untouched */
}

int
main(void)
{
	RUN(test_sort_matches_qsort);
	RUN(test_sort_signed_zero_and_subnormals);
	RUN(test_bins_incremental);
	RUN(test_bins_edges_unsorted_matches_sorted);
	RUN(test_cannot_compute_is_nan);
	RUN(test_identical_counts);
	RUN(test_chi2_single_column);
	RUN(test_wasserstein_normed_rules);
	RUN(test_special_function_domains);
	RUN(test_perf_bad_label);
	RUN(test_perf_small_by_hand);
	RUN(test_regression_by_hand);
	RUN(test_fairness_min_rows);
	RUN(test_feature_status_rules);
	RUN(test_model_level_status);
	RUN(test_cat_dict);
	RUN(test_numeric_selected_statistics);
	return TEST_REPORT();
}
