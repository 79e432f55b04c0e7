/*
 * status: the status snapshot of one model version, taken from its window:
 * per-feature statistics and status, the prediction's, the model drift
 * status (stats-spec.md, "model drift" row), labelled and estimated
 * accuracy with the accuracy-vs-baseline status, and the fairness figures
 * with the disparate-impact status.  The console's screens and
 * `status --json` both show this one struct (status_json writes it).
 *
 * Ownership: a struct status owns copies of every name in it; status_free
 * frees them.  The snapshot does not refer to the window afterwards, so
 * the console may keep it while the poller moves the window on.
 */
#ifndef MD_STATUS_H
#define MD_STATUS_H

#include <stddef.h>

#include "stats/stats.h"
#include "stats/window.h"
#include "util/strbuf.h"

struct status_feature {
	char			*name;		/* owned */
	struct stats_feature	 stats;
	enum stats_status	 status;
};

/*
 * Raw columns for the exact statistics (KS, Wasserstein), read by the
 * caller from the cached reference and the store (window.h, "Exact
 * statistics").  Arrays indexed by column (features, then the
 * prediction); a NULL entry or a NULL struct means "not supplied": the
 * exact fields stay NaN, and a status set by them is unknown.
 */
struct status_raw {
	const double *const	*ref;		/* [ncols] or NULL */
	const size_t		*nref;
	const double *const	*cur;
	const size_t		*ncur;
};

struct status_segment {
	char			*name;		/* owned */
	struct fairness_segment	 figures;
};

struct status {
	size_t			 rows_ref, rows_cur;
	enum stats_status	 drift;		/* model drift */
	size_t			 nfeatures;
	struct status_feature	*features;
	struct status_feature	 prediction;

	struct window_perf	 perf;
	size_t			 labels;
	double			 accuracy;	/* NaN under min_labels labels */
	double			 accuracy_estimated;
	double			 baseline_accuracy;	/* NaN when none */
	enum stats_status	 accuracy_status;

	size_t			 nsegments;
	struct status_segment	*segments;
	double			 demographic_parity_difference;
	double			 disparate_impact;
	double			 equal_opportunity_difference;
	enum stats_status	 fairness_status;

	/* The worst of the three; too_few_rows (for all) when drift is. */
	enum stats_status	 overall;
};

/*
 * The model drift rule over feature statuses and the prediction: too few
 * rows when a side has fewer than t->min_rows; alert when at least
 * t->model_alert_share of the nfeatures features are at alert, or the
 * prediction PSI is >= t->prediction_psi_alert; warn when a feature or the
 * prediction is at warn or alert; ok when something had a status; else
 * unknown.  A prediction never seen gives STATS_UNKNOWN and a NaN PSI.
 */
enum stats_status status_model_drift(const enum stats_status *features,
	    size_t nfeatures, enum stats_status prediction,
	    double prediction_psi, size_t rows_ref, size_t rows_cur,
	    const struct stats_thresholds *t);
/*
 * Take the snapshot of w under t (baseline_accuracy NaN when the
 * reference gives none; raw may be NULL).  0, or -1 with *cause when a
 * raw column does not match the window; *out is then empty.
 */
int	 status_compute(const struct window *w,
	    const struct stats_thresholds *t, double baseline_accuracy,
	    const struct status_raw *raw, struct status *out, char **cause);
/* A deep copy of src into dst, which the caller frees with status_free. */
void	 status_copy(struct status *dst, const struct status *src);
/* Free what status_compute allocated; s stays valid (empty). */
void	 status_free(struct status *s);
/*
 * Append s as one JSON object: NaN as null, infinity as "inf", the keys of
 * `modeldeck drift --json` for features plus the model's figures.
 */
void	 status_json(const struct status *s, struct strbuf *b);

#endif
