/*
 * stats: the per-feature entry points (a column pair in, every drift
 * statistic out), the status rules of stats-spec.md ("Default status
 * thresholds", "Which statistic sets a feature's status") and small
 * helpers (missing values, mean, standard deviation).  Everything
 * allocated here is freed before returning.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "util/xmalloc.h"

void
stats_feature_init(struct stats_feature *f, enum stats_kind kind)
{
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->missing_rate_ref = f->missing_rate_cur = NAN;
	f->psi = f->js = NAN;
	f->ks_statistic = f->ks_pvalue = NAN;
	f->wasserstein = f->wasserstein_normed = NAN;
	f->chi2_statistic = f->chi2_pvalue = NAN;
}

static void
set_rows(struct stats_feature *f, size_t n, size_t m, size_t kept_ref,
    size_t kept_cur)
{
	f->rows_ref = n;
	f->rows_cur = m;
	f->missing_ref = n - kept_ref;
	f->missing_cur = m - kept_cur;
	f->missing_rate_ref = stats_missing_rate(f->missing_ref, n);
	f->missing_rate_cur = stats_missing_rate(f->missing_cur, m);
}

static size_t
count_present(const double *x, size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		k += !isnan(x[i]);
	return k;
}

/*
 * PSI and JS: edges from the reference (sorted a without NaN, else the raw
 * column), counts of both sides.
 */
static void
numeric_binned(const double *a, size_t na, const double *ref, size_t n,
    const double *cur, size_t m, unsigned which, struct stats_feature *out)
{
	double	edges[BINS_MAX_EDGES];
	long	cr[BINS_MAX] = { 0 }, cc[BINS_MAX] = { 0 };
	size_t	ne;

	if (a != NULL) {
		ne = bins_edges(a, na, edges);
		bins_count(edges, ne, a, na, cr);
	} else {
		ne = bins_edges_unsorted(ref, n, edges);
		bins_count(edges, ne, ref, n, cr);
	}
	bins_count(edges, ne, cur, m, cc);
	if (which & STATS_PSI)
		out->psi = psi_from_counts(cr, cc, ne + 1);
	if (which & STATS_JS)
		out->js = js_from_counts(cr, cc, ne + 1);
}

/* KS and Wasserstein, which need both samples sorted. */
static void
numeric_sorted(double *a, size_t na, const double *cur, size_t m,
    unsigned which, struct stats_feature *out)
{
	double	*b = xreallocarray(NULL, m ? m : 1, sizeof *b), *scratch;
	size_t	 nb = stats_drop_missing(cur, m, b);

	scratch = xreallocarray(NULL, na > nb ? na : (nb ? nb : 1),
	    sizeof *scratch);
	sort_doubles_buf(a, na, scratch);
	sort_doubles_buf(b, nb, scratch);
	free(scratch);
	if (which & STATS_KS) {
		out->ks_statistic = ks_statistic(a, na, b, nb);
		out->ks_pvalue = ks_pvalue(out->ks_statistic, na, nb);
	}
	if (which & STATS_WASSERSTEIN) {
		out->wasserstein = wasserstein_distance(a, na, b, nb);
		out->wasserstein_normed = wasserstein_normed(out->wasserstein,
		    stats_std(a, na));
	}
	free(b);
}

void
stats_numeric(const double *ref, size_t n, const double *cur, size_t m,
    unsigned which, struct stats_feature *out)
{
	double	*a = NULL;
	size_t	 na;

	stats_feature_init(out, STATS_NUMERIC);
	/*
	 * Binned statistics need no sorted copy (bins_edges_unsorted), nor
	 * does KS alone (ks_statistic_unsorted); Wasserstein does.
	 */
	if ((which & (STATS_KS | STATS_WASSERSTEIN)) == STATS_KS) {
		na = count_present(ref, n);
		out->ks_statistic = ks_statistic_unsorted(ref, n, cur, m);
		out->ks_pvalue = ks_pvalue(out->ks_statistic, na,
		    count_present(cur, m));
	} else if (which & STATS_WASSERSTEIN) {
		a = xreallocarray(NULL, n ? n : 1, sizeof *a);
		na = stats_drop_missing(ref, n, a);
		numeric_sorted(a, na, cur, m, which, out);
	} else
		na = count_present(ref, n);
	set_rows(out, n, m, na, count_present(cur, m));
	if (which & (STATS_PSI | STATS_JS))
		numeric_binned(a, na, ref, n, cur, m, which, out);
	free(a);
}

/* Count x into *counts by category id, growing both arrays alike. */
static size_t
count_side(struct cat_dict *d, const char *const *x, size_t n, long **counts,
    size_t *cap, long **other)
{
	size_t	i, id, kept = 0;

	for (i = 0; i < n; i++) {
		if (x[i] == NULL)
			continue;
		id = cat_dict_intern(d, x[i]);
		while (id >= *cap) {
			*counts = xreallocarray(*counts, *cap * 2, sizeof **counts);
			*other = xreallocarray(*other, *cap * 2, sizeof **other);
			memset(*counts + *cap, 0, *cap * sizeof **counts);
			memset(*other + *cap, 0, *cap * sizeof **other);
			*cap *= 2;
		}
		(*counts)[id]++;
		kept++;
	}
	return kept;
}

void
stats_categorical(const char *const *ref, size_t n, const char *const *cur,
    size_t m, unsigned which, struct stats_feature *out)
{
	struct cat_dict	*d = cat_dict_new();
	size_t		 cap = 16, na, nb, k;
	long		*cr = xcalloc(cap, sizeof *cr), *cc = xcalloc(cap,
			    sizeof *cc);

	stats_feature_init(out, STATS_CATEGORICAL);
	na = count_side(d, ref, n, &cr, &cap, &cc);
	nb = count_side(d, cur, m, &cc, &cap, &cr);
	set_rows(out, n, m, na, nb);
	k = cat_dict_size(d);
	if (which & STATS_PSI)
		out->psi = psi_from_counts(cr, cc, k);
	if (which & STATS_JS)
		out->js = js_from_counts(cr, cc, k);
	if (which & STATS_CHI2)
		chi2_from_counts(cr, cc, k, &out->chi2_statistic,
		    &out->chi2_pvalue);
	free(cr);
	free(cc);
	cat_dict_free(d);
}

/* A points drop like 0.30 - 0.28 must count as 2 points despite rounding. */
#define DROP_SLACK	1e-12

enum stats_status
stats_value_status(enum stats_kind kind, double value,
    const struct stats_thresholds *t)
{
	if (isnan(value))
		return STATS_UNKNOWN;
	switch (t->method) {
	case STATS_METHOD_PSI:
		if (value >= t->psi_alert)
			return STATS_ALERT;
		return value >= t->psi_warn ? STATS_WARN : STATS_OK;
	case STATS_METHOD_KS:
		return value < t->pvalue_alert ? STATS_ALERT : STATS_OK;
	case STATS_METHOD_JS:
	case STATS_METHOD_WASSERSTEIN:
		break;
	}
	(void)kind;	/* JS and normed Wasserstein share one cut */
	return value >= t->distance_alert ? STATS_ALERT : STATS_OK;
}

/* The statistic that decides a feature's status under t->method. */
static double
deciding_value(const struct stats_feature *f, enum stats_method method)
{
	int	numeric = f->kind == STATS_NUMERIC;

	switch (method) {
	case STATS_METHOD_PSI:
		return f->psi;
	case STATS_METHOD_JS:
		return f->js;
	case STATS_METHOD_KS:
		return numeric ? f->ks_pvalue : f->chi2_pvalue;
	case STATS_METHOD_WASSERSTEIN:
		return numeric ? f->wasserstein_normed : f->js;
	}
	return NAN;
}

enum stats_status
stats_feature_status(const struct stats_feature *f,
    const struct stats_thresholds *t)
{
	if (f->rows_ref < (size_t)t->min_rows || f->rows_cur < (size_t)t->min_rows)
		return STATS_TOO_FEW_ROWS;
	return stats_value_status(f->kind, deciding_value(f, t->method), t);
}

enum stats_status
stats_accuracy_status(double accuracy, double baseline, size_t labels,
    const struct stats_thresholds *t)
{
	double	drop;

	if (labels < (size_t)t->min_labels)
		return STATS_TOO_FEW_ROWS;
	if (isnan(accuracy) || isnan(baseline))
		return STATS_UNKNOWN;
	drop = baseline - accuracy;
	if (drop >= t->accuracy_alert_drop - DROP_SLACK)
		return STATS_ALERT;
	if (drop >= t->accuracy_warn_drop - DROP_SLACK)
		return STATS_WARN;
	return STATS_OK;
}

enum stats_status
stats_fairness_status(double disparate_impact,
    const struct stats_thresholds *t)
{
	if (isnan(disparate_impact))
		return STATS_UNKNOWN;
	return disparate_impact < t->disparate_impact_min ? STATS_ALERT :
	    STATS_OK;
}

const char *
stats_status_name(enum stats_status s)
{
	switch (s) {
	case STATS_OK:
		return "ok";
	case STATS_WARN:
		return "warn";
	case STATS_ALERT:
		return "alert";
	case STATS_TOO_FEW_ROWS:
		return "too_few_rows";
	case STATS_UNKNOWN:
		break;
	}
	return "unknown";
}

static int
severity(enum stats_status s)
{
	static const int	rank[] = {
		[STATS_TOO_FEW_ROWS] = 0, [STATS_UNKNOWN] = 1, [STATS_OK] = 2,
		[STATS_WARN] = 3, [STATS_ALERT] = 4,
	};

	return (unsigned)s < sizeof rank / sizeof rank[0] ? rank[s] : 0;
}

enum stats_status
stats_status_worst(enum stats_status a, enum stats_status b)
{
	return severity(b) > severity(a) ? b : a;
}

size_t
stats_drop_missing(const double *x, size_t n, double *out)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		if (!isnan(x[i]))
			out[k++] = x[i];
	return k;
}

double
stats_missing_rate(size_t missing, size_t rows)
{
	return rows == 0 ? NAN : (double)missing / (double)rows;
}

/* Neumaier-compensated sum. */
static double
sum_exact(const double *x, size_t n, double shift, int square)
{
	double	s = 0, c = 0, v, t;
	size_t	i;

	for (i = 0; i < n; i++) {
		v = x[i] - shift;
		if (square)
			v *= v;
		t = s + v;
		if (fabs(s) >= fabs(v))
			c += (s - t) + v;
		else
			c += (v - t) + s;
		s = t;
	}
	return s + c;
}

double
stats_mean(const double *x, size_t n)
{
	return n == 0 ? NAN : sum_exact(x, n, 0, 0) / (double)n;
}

double
stats_std(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	return sqrt(sum_exact(x, n, stats_mean(x, n), 1) / (double)n);
}
