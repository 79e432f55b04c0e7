/*
 * thresholds: the status cut-offs of stats-spec.md ("Default status
 * thresholds"), overridable per model in the configuration.  Plain data,
 * shared by the statistics (which apply them) and the configuration (which
 * fills them); stats_thresholds_default() gives the spec's values.
 */
#ifndef MD_THRESHOLDS_H
#define MD_THRESHOLDS_H

enum stats_method {
	STATS_METHOD_PSI,		/* PSI for both kinds (default) */
	STATS_METHOD_JS,		/* JS distance for both kinds */
	STATS_METHOD_KS,		/* KS p-value / chi-square p-value */
	STATS_METHOD_WASSERSTEIN,	/* normed Wasserstein / JS distance */
};

struct stats_thresholds {
	enum stats_method method;
	double	psi_warn;		/* 0.1: PSI >= this is warn */
	double	psi_alert;		/* 0.25: PSI >= this is alert */
	double	pvalue_alert;		/* 0.05: p-value < this is alert */
	double	distance_alert;		/* 0.1: JS or normed W >= this is alert */
	double	model_alert_share;	/* 0.5: this share of features at alert */
	double	prediction_psi_alert;	/* 0.25 */
	double	accuracy_warn_drop;	/* 0.02: 2 points below baseline */
	double	accuracy_alert_drop;	/* 0.05 */
	double	disparate_impact_min;	/* 0.8: the four-fifths rule */
	long	min_rows;		/* 100: fewer on a side = too few rows */
	long	min_labels;		/* 200: labelled accuracy needs this many */
	long	fairness_min_rows;	/* 30 rows per segment */
	long	fairness_min_positives;	/* 30 labelled positives per segment */
};

static inline struct stats_thresholds
stats_thresholds_default(void)
{
	struct stats_thresholds t = {
		.method = STATS_METHOD_PSI,
		.psi_warn = 0.1, .psi_alert = 0.25, .pvalue_alert = 0.05,
		.distance_alert = 0.1, .model_alert_share = 0.5,
		.prediction_psi_alert = 0.25, .accuracy_warn_drop = 0.02,
		.accuracy_alert_drop = 0.05, .disparate_impact_min = 0.8,
		.min_rows = 100, .min_labels = 200, .fairness_min_rows = 30,
		.fairness_min_positives = 30,
	};
	return t;
}

#endif
