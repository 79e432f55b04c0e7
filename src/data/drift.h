/*
 * drift: the report of `modeldeck drift` (issue 5 item 3, stats-spec.md):
 * a reference and a current file compared feature by feature, the
 * prediction's drift, performance on labelled current rows, fairness by
 * segment, and one model status.  drift.c builds it; drift_print.c writes
 * it as JSON (the pipeline contract) or as a table, worst feature first.
 *
 * Which columns are what: "id" is ignored; the prediction (--prediction,
 * default "prediction") and label (--label, default "label") columns are
 * not features; every other column is one, the segment column included.
 * The threshold is --threshold, else the reference body's, else 0.5.
 * Regression (mae/rmse/mape instead of classification metrics) when the
 * reference body says task "regression" or a label is not 0 or 1.
 *
 * The model status is the spec's "model drift" row: too_few_rows when a
 * side has under min_rows rows; alert when half or more of the features
 * are at alert or the prediction PSI is >= prediction_psi_alert; warn when
 * a feature or the prediction is at warn or alert; else ok.
 *
 * A reference without data rows is bad input; a current file without any
 * is a report with no numbers and the status too_few_rows.
 *
 * Streaming: when the statistics asked are all binned (PSI, JS, chi-square,
 * missing rates) and neither performance nor fairness is, the current file
 * is read in chunks of DRIFT_CHUNK_ROWS and only counted, so its size does
 * not matter; the reference is always loaded whole (its deciles are
 * sorted).
 *
 * Ownership: the report owns every string and array in it;
 * drift_report_free releases them.
 */
#ifndef MD_DRIFT_H
#define MD_DRIFT_H

#include <stddef.h>

#include "stats/stats.h"
#include "util/strbuf.h"

#define DRIFT_CHUNK_ROWS	65536

#define DRIFT_PERFORMANCE	0x100	/* --stats: performance metrics */
#define DRIFT_FAIRNESS		0x200	/* --stats: fairness by segment */
#define DRIFT_ALL		(STATS_ALL | DRIFT_PERFORMANCE | DRIFT_FAIRNESS)

struct drift_opts {
	const char	*reference;
	const char	*current;
	const char	*prediction;	/* NULL: "prediction" if present */
	const char	*label;		/* NULL: "label" if present */
	const char	*segment;	/* NULL: the reference's segment_by */
	double		 threshold;	/* NaN: the reference's, else 0.5 */
	unsigned	 which;		/* STATS_* and DRIFT_* bits */
	struct stats_thresholds t;	/* cut-offs and the method */
};

struct drift_feature {
	char			*name;
	struct stats_feature	 f;
	enum stats_status	 status;
};

struct drift_segment {
	char			*name;
	struct fairness_segment	 s;
};

struct drift_report {
	char			*reference;
	char			*current;
	enum stats_status	 status;
	enum stats_method	 method;
	size_t			 rows_ref;
	size_t			 rows_cur;
	int			 streamed;	/* current file only counted */
	double			 threshold;
	size_t			 nfeatures;
	struct drift_feature	*features;
	struct drift_feature	*prediction;	/* NULL: no prediction column */
	int			 has_classification;
	struct perf_classification cls;
	int			 has_regression;
	struct perf_regression	 reg;
	char			*segment;	/* NULL: no fairness */
	size_t			 nsegments;	/* segments with rows, by name */
	struct drift_segment	*segments;
	double			 demographic_parity_difference;
	double			 disparate_impact;
	double			 equal_opportunity_difference;
};

/* Default options: everything computed, the spec's thresholds. */
void	 drift_opts_init(struct drift_opts *o);
/*
 * Parse a --stats list ("psi,js,missing"; names psi js ks wasserstein chi2
 * missing performance fairness all) into o->which.  0, or -1 with *cause.
 */
int	 drift_parse_stats(const char *list, unsigned *which, char **cause);
/* Parse a method name into *m; 0, or -1 with *cause. */
int	 drift_parse_method(const char *s, enum stats_method *m, char **cause);
/*
 * Read both files and compute the report.  0, or -1 with *cause naming the
 * file, line and column of the bad input (r is then empty: nothing to free).
 */
int	 drift_report_build(const struct drift_opts *o, struct drift_report *r,
	    char **cause);
void	 drift_report_free(struct drift_report *r);

struct dataset;
/*
 * drift_perf.c: performance and fairness of the current rows into r
 * (column indices pred, label, seg, each -1 when absent).  0, or -1 with
 * *cause (a label column that is not numeric).
 */
int	 drift_perf_compute(struct drift_report *r, const struct dataset *ref,
	    const struct dataset *cur, long pred, long label, long seg,
	    unsigned which, const struct stats_thresholds *t, char **cause);

/* drift_print.c: the report as the JSON of the pipeline contract. */
void	 drift_print_json(const struct drift_report *r, struct strbuf *b);
/* drift_print.c: the report as a readable table, worst feature first. */
void	 drift_print_table(const struct drift_report *r, struct strbuf *b);

#endif
