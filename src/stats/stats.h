/*
 * stats: the statistics engine of stats-spec.md, plain functions over
 * arrays (no I/O, no SQLite, no network, no curses).  Every number matches
 * NumPy 1.24 / SciPy 1.10 / scikit-learn 1.2 to a relative 1e-9 (absolute
 * 1e-12 near zero); tests/conformance/ holds the reference values.
 *
 * One header for the whole engine (the rolling windows, the drift command
 * and the store use it as a unit); each section names the .c file holding
 * its functions, and every function carries that file's stem.
 *
 * Conventions, for every function here:
 * - "Cannot be computed" (an empty side, one class only, 0/0) is NaN in a
 *   double result; JSON writers print NaN as null.  Nothing here returns
 *   NaN for any other reason.  An infinite result (normed Wasserstein with
 *   a constant reference) is +INFINITY, printed as the string "inf".
 * - Sample arrays given to ks_*, wasserstein_*, bins_edges and sort_* hold
 *   no NaN (a missing value is removed first: stats_drop_missing); the
 *   stats_numeric/stats_categorical entry points take raw columns with
 *   missing values and do that themselves.  No input is infinite (the
 *   readers reject infinities as bad input).
 * - "sorted" means ascending, as sort_doubles leaves it.
 * - Counts are long: the windows keep them incrementally and decrement on
 *   eviction.  Bin and category count arrays are indexed alike on both
 *   sides.
 * - The caller owns every array passed in and every array it asked to be
 *   filled; functions that allocate say so, and say what frees it.
 */
#ifndef MD_STATS_H
#define MD_STATS_H

#include <stddef.h>

#include "stats/thresholds.h"

/* ---- sort.c: LSD radix sort of doubles ---------------------------------- */

/* Sort v ascending (radix sort on the IEEE bit pattern; allocates scratch). */
void	 sort_doubles(double *v, size_t n);
/* Sort v ascending using scratch, a caller buffer of n doubles. */
void	 sort_doubles_buf(double *v, size_t n, double *scratch);

/* ---- kolmogorov.c: the Kolmogorov distribution -------------------------- */

/*
 * Survival function Q(x) = P(K > x) of the Kolmogorov distribution,
 * = scipy.special.kolmogorov(x); 1 for x <= 0, NaN for NaN.
 */
double	 kolmogorov_sf(double x);

/* ---- gammainc.c: regularised incomplete gamma --------------------------- */

/* Regularised upper incomplete gamma Q(a, x) = scipy.special.gammaincc. */
double	 gammainc_q(double a, double x);
/* Regularised lower incomplete gamma P(a, x) = scipy.special.gammainc. */
double	 gammainc_p(double a, double x);
/* Chi-square survival function = scipy.stats.chi2.sf(x, dof) (dof >= 1). */
double	 gammainc_chi2_sf(double x, double dof);

/* ---- ks.c: two-sample Kolmogorov-Smirnov -------------------------------- */

/*
 * The KS statistic D = max |F_ref - F_cur| of two sorted samples,
 * = ks_2samp(ref, cur).statistic; NaN when a side is empty.
 */
double	 ks_statistic(const double *sorted_ref, size_t n,
	    const double *sorted_cur, size_t m);
/*
 * ks_statistic of the non-NaN values of two unsorted samples (neither is
 * modified), bit-identical to sorting them first, in O(n + m) on real
 * data; NaN when a side has no value.  Fewer than 2^32 values a side.
 */
double	 ks_statistic_unsorted(const double *ref, size_t n,
	    const double *cur, size_t m);
/*
 * The asymptotic p-value kolmogorov(sqrt(n*m/(n+m)) * d); NaN when d is
 * NaN or a side is empty.
 */
double	 ks_pvalue(double d, size_t n, size_t m);

/* ---- bins.c: reference-decile binning ----------------------------------- */

#define BINS_MAX_EDGES	9			/* the nine deciles */
#define BINS_MAX	(BINS_MAX_EDGES + 1)	/* bins of a numeric feature */

/*
 * The unique reference deciles np.unique(np.quantile(ref, [.1 ... .9]))
 * of a sorted sample into edges[BINS_MAX_EDGES]; returns how many (0 when
 * n is 0, then everything falls in one bin).
 */
size_t	 bins_edges(const double *sorted_ref, size_t n, double *edges);
/*
 * bins_edges for an unsorted sample that may hold NaN (skipped), in O(n)
 * without sorting it; ref is not modified.
 */
size_t	 bins_edges_unsorted(const double *ref, size_t n, double *edges);
/* The bin of x: the number of edges <= x (np.searchsorted side="right"). */
size_t	 bins_index(const double *edges, size_t nedges, double x);
/*
 * Add the bin counts of x[0..n-1] into counts[0..nedges] (not zeroed
 * first, so a window can add new rows; subtract with bins_uncount).
 * NaN values are skipped; returns how many were.
 */
size_t	 bins_count(const double *edges, size_t nedges, const double *x,
	    size_t n, long *counts);
/* Subtract the bin counts of x[0..n-1] (NaN skipped); returns skipped. */
size_t	 bins_uncount(const double *edges, size_t nedges, const double *x,
	    size_t n, long *counts);

/* ---- psi.c / js.c: binned distances from counts ------------------------- */

/*
 * Population stability index over k bins: proportions p (ref), q (cur),
 * zeros replaced by 1e-4, sum((q - p) * ln(q / p)).  NaN when a side's
 * total is 0.
 */
double	 psi_from_counts(const long *ref, const long *cur, size_t k);
/*
 * Jensen-Shannon distance, base 2, of the raw proportions
 * (scipy.spatial.distance.jensenshannon(p, q, base=2)); NaN when a side's
 * total is 0.
 */
double	 js_from_counts(const long *ref, const long *cur, size_t k);

/* ---- wasserstein.c ------------------------------------------------------ */

/*
 * Wasserstein-1 distance of two sorted samples
 * (scipy.stats.wasserstein_distance); NaN when a side is empty.
 */
double	 wasserstein_distance(const double *sorted_ref, size_t n,
	    const double *sorted_cur, size_t m);
/*
 * w / ref_std: 0 when both are 0, +INFINITY when only ref_std is 0, NaN
 * when either is NaN.
 */
double	 wasserstein_normed(double w, double ref_std);

/* ---- chi2.c: 2 x K contingency ------------------------------------------ */

/*
 * chi2_contingency([ref, cur], correction=False) over k categories:
 * statistic and p-value.  Columns zero on both sides are left out (they are
 * not in the union); fewer than 2 columns left gives 0 and 1; an empty side
 * gives NaN and NaN.
 */
void	 chi2_from_counts(const long *ref, const long *cur, size_t k,
	    double *statistic, double *pvalue);

/* ---- cat.c: category dictionary ----------------------------------------- */

/*
 * Interns category strings (compared as bytes) to dense ids 0, 1, 2...
 * in order of first appearance, so count arrays index by id.  The dict
 * owns copies of the names; cat_dict_free frees them.
 */
struct cat_dict;

struct cat_dict	*cat_dict_new(void);
void		 cat_dict_free(struct cat_dict *d);
/* The id of name, adding it when new. */
size_t		 cat_dict_intern(struct cat_dict *d, const char *name);
/* The id of name, or (size_t)-1 when it was never interned. */
size_t		 cat_dict_find(const struct cat_dict *d, const char *name);
/* The name of id (owned by the dict; id < cat_dict_size). */
const char	*cat_dict_name(const struct cat_dict *d, size_t id);
/* How many categories. */
size_t		 cat_dict_size(const struct cat_dict *d);

/* ---- perf.c: performance on labelled rows ------------------------------- */

/*
 * Classification metrics.  Inputs: predictions p (a score or probability),
 * labels y (0 or 1; NaN = unlabelled), n rows; a row is positive when
 * p >= threshold.  Rows with p NaN are skipped everywhere; rows with y NaN
 * count only for estimated_accuracy.  NaN fields: no labelled rows (all
 * but estimated_accuracy), one class only (roc_auc), a labelled p outside
 * [0, 1] (brier, which sklearn refuses; log_loss clips, as sklearn does).
 */
struct perf_classification {
	size_t	labelled;		/* rows with a label */
	size_t	positives;		/* labelled rows with y = 1 */
	double	accuracy;		/* accuracy_score */
	double	precision;		/* precision_score, zero_division=0 */
	double	recall;			/* recall_score, zero_division=0 */
	double	f1;			/* f1_score, zero_division=0 */
	double	roc_auc;		/* roc_auc_score, ties averaged */
	double	log_loss;		/* log_loss, eps 2.22e-16, labels [0, 1] */
	double	brier;			/* brier_score_loss */
	double	estimated_accuracy;	/* mean(p >= t ? p : 1 - p), all rows */
};

/*
 * Fill out from n rows; 0, or -1 with *cause when a label is neither 0,
 * 1 nor NaN.
 */
int	 perf_classification(const double *p, const double *y, size_t n,
	    double threshold, struct perf_classification *out, char **cause);
/* roc_auc_score(y, p) over rows with both values; NaN for one class. */
double	 perf_roc_auc(const double *p, const double *y, size_t n);

/* Regression metrics over rows where both values are present. */
struct perf_regression {
	size_t	rows;
	double	mae;			/* mean_absolute_error */
	double	rmse;			/* sqrt(mean_squared_error) */
	double	mape;			/* mean_absolute_percentage_error */
};

/* Fill out from predictions p and targets y (NaN = missing). */
void	 perf_regression(const double *p, const double *y, size_t n,
	    struct perf_regression *out);

/* ---- fairness.c: fairness by segment ------------------------------------ */

struct fairness_segment {
	size_t	rows;			/* rows with a prediction */
	size_t	selected;		/* of them, p >= threshold */
	size_t	positives;		/* labelled positives (y = 1) */
	size_t	true_positives;		/* positives also selected */
	double	selection_rate;		/* selected / rows; NaN when 0 rows */
	double	tpr;			/* true_positives / positives; NaN if 0 */
};

struct fairness {
	size_t			 nsegments;
	struct fairness_segment	*segments;	/* indexed by segment id */
	double	demographic_parity_difference;	/* NaN: no segment qualifies */
	double	disparate_impact;		/* NaN: none qualify or max 0 */
	double	equal_opportunity_difference;	/* NaN: no segment qualifies */
};

/*
 * Fairness over nseg segments: seg[i] is row i's segment id (< nseg), or
 * -1 for a missing segment value (row left out); p NaN rows are left out;
 * y as for perf_classification.  Segments qualify with
 * t->fairness_min_rows rows (parity, impact) and
 * t->fairness_min_positives labelled positives (opportunity).  out->segments
 * is allocated; free it with fairness_free.  A single qualifying segment
 * gives differences of 0 and an impact of 1, as max - min over one value.
 */
void	 fairness_compute(const int *seg, size_t nseg, const double *p,
	    const double *y, size_t n, double threshold,
	    const struct stats_thresholds *t, struct fairness *out);
/*
 * The rates and spread figures of f from the counts (rows, selected,
 * positives, true_positives) of its f->nsegments segments, as
 * fairness_compute gives them after counting.
 */
void	 fairness_from_segments(struct fairness *f,
	    const struct stats_thresholds *t);
/* Free what fairness_compute allocated. */
void	 fairness_free(struct fairness *f);

/* ---- stats.c: features, status, helpers --------------------------------- */

enum stats_kind {
	STATS_NUMERIC,
	STATS_CATEGORICAL,
};

/* Severity order: OK < WARN < ALERT; the other two are not severities. */
enum stats_status {
	STATS_OK,
	STATS_WARN,
	STATS_ALERT,
	STATS_TOO_FEW_ROWS,	/* a side has fewer than t->min_rows rows */
	STATS_UNKNOWN,		/* the deciding statistic cannot be computed */
};

/* Which statistics stats_numeric / stats_categorical compute. */
#define STATS_PSI		0x01
#define STATS_JS		0x02
#define STATS_KS		0x04	/* numeric: statistic and p-value */
#define STATS_WASSERSTEIN	0x08	/* numeric: raw and normed */
#define STATS_CHI2		0x10	/* categorical */
#define STATS_BINNED		(STATS_PSI | STATS_JS | STATS_CHI2)
#define STATS_ALL		0x1f

/*
 * Every drift statistic of one feature.  Fields not asked for, not
 * applying to the kind, or not computable are NaN.
 */
struct stats_feature {
	enum stats_kind kind;
	size_t	rows_ref, rows_cur;	/* rows, missing included */
	size_t	missing_ref, missing_cur;
	double	missing_rate_ref;	/* NaN when the side has no rows */
	double	missing_rate_cur;
	double	psi;
	double	js;
	double	ks_statistic;
	double	ks_pvalue;		/* asymptotic */
	double	wasserstein;
	double	wasserstein_normed;	/* may be +INFINITY */
	double	chi2_statistic;
	double	chi2_pvalue;
};

/* Set every statistic of f to NaN and the counts to 0. */
void	 stats_feature_init(struct stats_feature *f, enum stats_kind kind);
/*
 * All statistics in `which` of a numeric column pair (NaN = missing).
 * Sorts private copies; ref and cur are not modified.
 */
void	 stats_numeric(const double *ref, size_t n, const double *cur,
	    size_t m, unsigned which, struct stats_feature *out);
/*
 * All statistics in `which` of a categorical column pair (NULL = missing;
 * categories compared as strings, one bin per category of the union).
 */
void	 stats_categorical(const char *const *ref, size_t n,
	    const char *const *cur, size_t m, unsigned which,
	    struct stats_feature *out);
/*
 * A feature's status by the method rules of stats-spec.md: psi -> PSI
 * (warn/alert cuts); js -> JS distance; ks -> KS p-value (numeric) or
 * chi-square p-value (categorical); wasserstein -> normed Wasserstein
 * (numeric) or JS distance (categorical).  TOO_FEW_ROWS when rows_ref or
 * rows_cur < t->min_rows; UNKNOWN when the deciding statistic is NaN.
 */
enum stats_status stats_feature_status(const struct stats_feature *f,
	    const struct stats_thresholds *t);
/* Status of one deciding value for a kind and method (same rules). */
enum stats_status stats_value_status(enum stats_kind kind, double value,
	    const struct stats_thresholds *t);
/*
 * Accuracy against a baseline: TOO_FEW_ROWS under t->min_labels labels,
 * WARN at a drop >= accuracy_warn_drop, ALERT >= accuracy_alert_drop;
 * UNKNOWN when either accuracy is NaN.
 */
enum stats_status stats_accuracy_status(double accuracy, double baseline,
	    size_t labels, const struct stats_thresholds *t);
/* Disparate impact: ALERT below t->disparate_impact_min; UNKNOWN if NaN. */
enum stats_status stats_fairness_status(double disparate_impact,
	    const struct stats_thresholds *t);
/* "ok", "warn", "alert", "too_few_rows" or "unknown". */
const char	*stats_status_name(enum stats_status s);
/* The more severe of a and b (ALERT > WARN > OK > UNKNOWN > TOO_FEW). */
enum stats_status stats_status_worst(enum stats_status a,
	    enum stats_status b);

/* Copy the non-NaN values of x into out (n slots); returns how many. */
size_t	 stats_drop_missing(const double *x, size_t n, double *out);
/* missing / rows, NaN when rows is 0. */
double	 stats_missing_rate(size_t missing, size_t rows);
/* np.mean(x) (compensated sum); NaN when n is 0. */
double	 stats_mean(const double *x, size_t n);
/* np.std(x) with ddof 0 (two passes); NaN when n is 0. */
double	 stats_std(const double *x, size_t n);

#endif
