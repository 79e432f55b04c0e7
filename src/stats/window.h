/*
 * window: the rolling window of one model version, compared against that
 * version's fixed reference (stats-spec.md, last paragraph).
 *
 * What it keeps.  The reference is reduced once, in window_new, to what the
 * binned statistics need: per numeric column its decile edges and bin
 * counts, per categorical column its category counts (ids from a
 * per-column cat_dict), and missing counts.  The reference rows are not
 * kept.  The current window is a ring of at most max_rows rows in arrival
 * order; per row it keeps only the column codes (numeric: the bin, 4 bits;
 * categorical: the category id, 4 bits widened to 8, 16 or 32 as the
 * dictionary grows; one code means missing), a 64-bit hash of the sample
 * id and its id-map cell (idmap.h), the timestamp, the raw prediction
 * (classification only) and a flags byte (label state, selected).  That is
 * about 55 bytes a row for 25 numeric and 5 categorical features, 2.7 MB
 * for a full 50,000-row window; raw feature values are not kept (50,000 x
 * 30 doubles would be 12 MB per window).
 *
 * Invariants.  Every count (bin and category counts, missing counts,
 * confusion matrix, per-segment fairness counts, the estimated-accuracy
 * sum) always equals what a recount over the rows now in the ring would
 * give: window_append and the evictions adjust them by the rows added and
 * removed, so a poll costs time proportional to its new and evicted rows.
 * The estimated-accuracy sum is kept in fixed point (units of 2^-52), so
 * additions and removals cancel exactly and never drift.
 *
 * Exact statistics.  The sort-based statistics (KS, Wasserstein, ROC AUC,
 * log loss, Brier, regression errors) need raw values, which the store
 * keeps (store_ops samples_window, the cached reference): the caller reads
 * them and hands them to window_exact, which checks they match the
 * window's counts.
 *
 * Order and ids.  Rows are assumed to arrive oldest first (the host
 * contract's samples order).  Eviction by count drops the earliest
 * arrived row; eviction by age drops earliest-arrived rows while they are
 * older than the cutoff (a row arriving out of time order leaves with its
 * arrival neighbours).  A sample id already in the window is ignored, as
 * the store ignores it.  Ids are matched by a 64-bit hash (idmap_hash):
 * two different ids of one window colliding is a 1-in-10^10 event at
 * 50,000 rows, accepted.
 *
 * Dictionaries.  A category dictionary grows as new categories arrive; a
 * feature with ever-new values (an id sent as a feature) would grow it
 * without bound.  So once a column's dictionary holds more than twice its
 * reference's categories plus the window's rows (the most categories the
 * window can hold), plus a floor, it is compacted
 * (window_compact.c): the reference's categories keep their ids, the
 * current-only categories still in the window are renumbered in their old
 * order, the rest dropped, and the codes narrowed to what the kept ids
 * need.  Every figure is the same before and after, but the id of a
 * current-only category (window_counts, window_category, window_fairness)
 * is only good until the next window_append, window_evict_age or
 * window_compact.  Amortised, a compaction costs O(1) per appended row.
 *
 * Cost.  A poll's rows are appended in chunks, column by column
 * (window_append.c); for the fleet of issue 5 (160 windows of 50,000 rows,
 * 30 features, 1,000 new rows and 300 labels each) appending, labelling
 * (window_labels) and the statuses take some 50-60 ms of CPU a cycle on a
 * quiet machine (tests/bench/fleet.sh).
 *
 * Ownership.  The window copies what it keeps from the config and rows;
 * the caller owns everything passed in.  window_free frees the window.
 */
#ifndef MD_WINDOW_H
#define MD_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "stats/stats.h"

#define WINDOW_DEFAULT_ROWS	50000
#define WINDOW_DEFAULT_AGE_MS	(7 * 24 * 3600 * 1000LL)
#define WINDOW_MAX_ROWS		((1UL << 26) - 1)	/* a sanity bound, 67M rows */

/* A model version's schema and window policy; window_new copies it. */
struct window_config {
	size_t			 nfeatures;
	const char *const	*names;		/* [nfeatures] feature names */
	const enum stats_kind	*kinds;		/* [nfeatures] */
	enum stats_kind		 prediction_kind;
	/*
	 * Binary classification: labels are 0 or 1, a numeric prediction is
	 * positive when >= threshold, and the window keeps the confusion
	 * matrix, the estimated-accuracy sum and the fairness counts.
	 * Otherwise (regression) labels are any finite number.
	 */
	int			 classification;
	double			 threshold;
	long			 segment;	/* categorical segment_by, or -1 */
	size_t			 max_rows;	/* 0: WINDOW_DEFAULT_ROWS */
	int64_t			 max_age_ms;	/* 0: WINDOW_DEFAULT_AGE_MS */
};

/* One cell: x for a numeric column (NaN = missing), s for a categorical one. */
struct window_value {
	double		 x;
	const char	*s;		/* NULL = missing */
};

/* One row, reference or current. */
struct window_row {
	const char			*id;		/* current rows: required */
	int64_t				 ts_ms;
	const struct window_value	*values;	/* [nfeatures] */
	struct window_value		 prediction;
	double				 label;		/* NaN: none (yet) */
};

/* Counts of one column, both sides (indexed alike). */
struct window_counts {
	enum stats_kind	 kind;
	const long	*ref;		/* [k] */
	const long	*cur;		/* [k] */
	size_t		 k;		/* bins or categories */
	long		 ref_rows, ref_missing;
	long		 cur_rows, cur_missing;
};

/* Classification figures kept incrementally (NaN: none to compute from). */
struct window_perf {
	size_t	labels;		/* labelled rows with a prediction */
	size_t	positives;	/* of them, label 1 */
	size_t	tp, fp, tn, fn;
	double	accuracy;	/* NaN when labels is 0 */
	double	precision, recall, f1;	/* zero_division=0; NaN: no labels */
	size_t	scored;		/* rows with a prediction */
	double	estimated_accuracy;	/* NaN when scored is 0 */
};

struct window;

/*
 * A window for cfg against the nref reference rows; NULL with *cause for a
 * bad config (no columns, segment not a categorical feature, max_rows too
 * large) or a bad reference value (infinite, a label not 0/1).
 */
struct window	*window_new(const struct window_config *cfg,
		    const struct window_row *ref, size_t nref, char **cause);
/* Free the window and everything it keeps. */
void		 window_free(struct window *w);

/*
 * Append n current rows, evicting the oldest beyond max_rows.  Every row
 * is checked first: a row without id, an infinite value or a bad label
 * fails the whole call (-1, *cause names the row) with nothing appended.
 * Rows whose id is already in the window are skipped; *added (may be
 * NULL) is how many were appended.
 */
int		 window_append(struct window *w, const struct window_row *rows,
		    size_t n, size_t *added, char **cause);
/* Evict rows older than now_ms - max_age_ms; returns how many went. */
size_t		 window_evict_age(struct window *w, int64_t now_ms);
/*
 * Join a late label to the row with this id: 1 when applied (a changed
 * label replaces the old one), 0 when the id is unknown or evicted or the
 * label is unchanged, -1 with *cause for a bad label.
 */
int		 window_label(struct window *w, const char *id, double label,
		    char **cause);
/*
 * window_label for n ids at once (ids[i] gets labels[i], in order), with
 * the lookups overlapped: several times faster for a poll's worth of
 * labels.  A missing id or a bad label fails the whole call (-1, *cause
 * names it) with nothing applied; *applied (may be NULL) is how many
 * labels were applied (window_label returning 1).
 */
int		 window_labels(struct window *w, const char *const *ids,
		    const double *labels, size_t n, size_t *applied,
		    char **cause);

/* Rows in the window now. */
size_t		 window_rows(const struct window *w);
/* Reference rows. */
size_t		 window_ref_rows(const struct window *w);
/* The config as copied (names owned by the window). */
const struct window_config *window_config(const struct window *w);
/*
 * Counts of column col: 0..nfeatures-1 the features, nfeatures the
 * prediction.  The arrays stay valid until the next call that changes w.
 */
void		 window_counts(const struct window *w, size_t col,
		    struct window_counts *out);
/* The category name of id in categorical column col (NULL if none). */
const char	*window_category(const struct window *w, size_t col, size_t id);
/*
 * Entries in the category dictionary of column col (0 for a numeric one):
 * bounded by the reference's and the window's categories (see above).
 */
size_t		 window_dict_size(const struct window *w, size_t col);
/*
 * Compact every category dictionary now: only the reference's categories
 * and those in the window stay (see above); no figure changes.
 */
void		 window_compact(struct window *w);
/*
 * The binned statistics of column col from the counts: rows, missing
 * rates, PSI, JS and (categorical) chi-square; the rest NaN.
 */
void		 window_feature(const struct window *w, size_t col,
		    struct stats_feature *out);
/*
 * window_feature plus the exact statistics in `which` (STATS_KS,
 * STATS_WASSERSTEIN) of numeric column col over caller-supplied raw
 * values: ref the reference column (n values, NaN = missing), cur the
 * window's rows (m values).  -1 with *cause when col is not numeric or the
 * arrays do not hold as many non-missing values as the window's counts.
 */
int		 window_exact(const struct window *w, size_t col,
		    const double *ref, size_t n, const double *cur, size_t m,
		    unsigned which, struct stats_feature *out, char **cause);
/* The classification figures (all NaN/0 for regression). */
void		 window_perf(const struct window *w, struct window_perf *out);
/*
 * Fairness by the segment feature from the kept counts, as
 * fairness_compute over the window's rows would give; out->segments is
 * indexed by category id (window_category names it); free with
 * fairness_free.  No segment feature or regression: nsegments 0, NaN.
 */
void		 window_fairness(const struct window *w,
		    const struct stats_thresholds *t, struct fairness *out);

#endif
