/*
 * window: the rolling window of one model version (see window.h for what
 * is kept and the invariants, window_int.h for the layout).  This file
 * makes a window from its config and reference, evicts by age, joins late
 * labels and reads the figures out of the counts; window_append.c appends
 * rows and window_tally.c applies one row's contribution to the counts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/window_int.h"
#include "util/xmalloc.h"

void *
window_codes_alloc(unsigned bits, size_t cap)
{
	return xcalloc(bits == 4 ? cap / 2 + 1 : cap, bits == 4 ? 1 : bits / 8);
}

void
window_column_reserve(struct window_column *c, size_t id)
{
	size_t	ncap;

	if (id < c->cap)
		return;
	for (ncap = c->cap ? c->cap : 16; ncap <= id; ncap *= 2)
		;
	c->ref = xreallocarray(c->ref, ncap, sizeof *c->ref);
	c->cur = xreallocarray(c->cur, ncap, sizeof *c->cur);
	memset(c->ref + c->cap, 0, (ncap - c->cap) * sizeof *c->ref);
	memset(c->cur + c->cap, 0, (ncap - c->cap) * sizeof *c->cur);
	c->cap = ncap;
}

const char *
window_col_name(const struct window *w, size_t col)
{
	return col < w->cfg.nfeatures ? w->names[col] : "prediction";
}

static const struct window_value *
row_value(const struct window *w, const struct window_row *r, size_t col)
{
	return col < w->cfg.nfeatures ? &r->values[col] : &r->prediction;
}

int
window_check_values(const struct window *w, const struct window_row *r,
    const char *what, size_t i, char **cause)
{
	const struct window_value	*v;
	size_t				 col;

	for (col = 0; col < w->ncols; col++) {
		v = row_value(w, r, col);
		if (w->cols[col].kind == STATS_NUMERIC && isinf(v->x))
			return xcause(cause, "window: %s row %zu: %s is infinite",
			    what, i + 1, window_col_name(w, col));
	}
	return 0;
}

/* ---- creation ----------------------------------------------------------- */

static int
check_config(const struct window_config *cfg, char **cause)
{
	size_t	i;

	if (cfg->nfeatures > 0 && (cfg->names == NULL || cfg->kinds == NULL))
		return xcause(cause, "window: feature names or kinds missing");
	for (i = 0; i < cfg->nfeatures; i++)
		if (cfg->names[i] == NULL)
			return xcause(cause, "window: feature %zu has no name",
			    i + 1);
	if (cfg->segment >= (long)cfg->nfeatures)
		return xcause(cause, "window: segment column %ld out of range",
		    cfg->segment);
	if (cfg->segment >= 0 && cfg->kinds[cfg->segment] != STATS_CATEGORICAL)
		return xcause(cause, "window: segment feature %s is not "
		    "categorical", cfg->names[cfg->segment]);
	if (cfg->max_rows > WINDOW_MAX_ROWS)
		return xcause(cause, "window: %zu rows is over the limit of %lu",
		    cfg->max_rows, WINDOW_MAX_ROWS);
	if (cfg->max_age_ms < 0)
		return xcause(cause, "window: negative maximum age");
	if (cfg->classification && !isfinite(cfg->threshold))
		return xcause(cause, "window: threshold is not a finite number");
	return 0;
}

static void
reference_numeric(struct window *w, struct window_column *c, size_t col,
    const struct window_row *ref, size_t nref)
{
	double	*v = xreallocarray(NULL, nref ? nref : 1, sizeof *v);
	size_t	 i, k = 0;
	double	 x;

	for (i = 0; i < nref; i++) {
		x = row_value(w, &ref[i], col)->x;
		if (!isnan(x))
			v[k++] = x;
	}
	c->nedges = bins_edges_unsorted(v, k, c->edges);
	for (i = c->nedges; i < EDGES_PADDED; i++)
		c->edges[i] = INFINITY;
	window_column_reserve(c, BINS_MAX - 1);
	bins_count(c->edges, c->nedges, v, k, c->ref);
	c->ref_missing = (long)(nref - k);
	free(v);
}

static void
reference_categorical(struct window *w, struct window_column *c, size_t col,
    const struct window_row *ref, size_t nref)
{
	const char	*s;
	size_t		 i, id;

	c->dict = cat_dict_new();
	c->cache = xcalloc(1, sizeof *c->cache);
	window_column_reserve(c, 0);
	for (i = 0; i < nref; i++) {
		s = row_value(w, &ref[i], col)->s;
		if (s == NULL) {
			c->ref_missing++;
			continue;
		}
		id = cat_dict_intern(c->dict, s);
		window_column_reserve(c, id);
		c->ref[id]++;
	}
	c->nref_cats = cat_dict_size(c->dict);
	while (c->bits < 32 &&
	    cat_dict_size(c->dict) >= window_missing_code(c->bits))
		c->bits *= 2;
}

static void
alloc_ring(struct window *w)
{
	size_t	col;

	w->cap = w->cfg.max_rows;
	w->ts = xcalloc(w->cap, sizeof *w->ts);
	w->flags = xcalloc(w->cap, sizeof *w->flags);
	if (w->cfg.classification)
		w->p = xcalloc(w->cap, sizeof *w->p);
	w->ids = idmap_new(w->cap);
	for (col = 0; col < w->ncols; col++)
		w->cols[col].codes = window_codes_alloc(w->cols[col].bits,
		    w->cap);
}

static void
copy_config(struct window *w, const struct window_config *cfg)
{
	size_t	i;

	w->cfg = *cfg;
	if (w->cfg.max_rows == 0)
		w->cfg.max_rows = WINDOW_DEFAULT_ROWS;
	if (w->cfg.max_age_ms == 0)
		w->cfg.max_age_ms = WINDOW_DEFAULT_AGE_MS;
	w->ncols = cfg->nfeatures + 1;
	w->names = xcalloc(cfg->nfeatures + 1, sizeof *w->names);
	w->kinds = xcalloc(w->ncols, sizeof *w->kinds);
	for (i = 0; i < cfg->nfeatures; i++) {
		w->names[i] = xstrdup(cfg->names[i]);
		w->kinds[i] = cfg->kinds[i];
	}
	w->kinds[cfg->nfeatures] = cfg->prediction_kind;
	w->cfg.names = (const char *const *)w->names;
	w->cfg.kinds = w->kinds;
	w->cols = xcalloc(w->ncols, sizeof *w->cols);
	w->numeric = xcalloc(w->ncols, sizeof *w->numeric);
	for (i = 0; i < w->ncols; i++) {
		w->cols[i].kind = w->kinds[i];
		w->cols[i].bits = 4;
		if (i < cfg->nfeatures && w->kinds[i] == STATS_NUMERIC)
			w->numeric[w->nnumeric++] = i;
	}
}

struct window *
window_new(const struct window_config *cfg, const struct window_row *ref,
    size_t nref, char **cause)
{
	struct window	*w;
	size_t		 i, col;

	if (check_config(cfg, cause) != 0)
		return NULL;
	w = xcalloc(1, sizeof *w);
	copy_config(w, cfg);
	for (i = 0; i < nref; i++) {
		if (window_check_values(w, &ref[i], "reference", i,
		    cause) != 0) {
			window_free(w);
			return NULL;
		}
	}
	for (col = 0; col < w->ncols; col++) {
		if (w->cols[col].kind == STATS_NUMERIC)
			reference_numeric(w, &w->cols[col], col, ref, nref);
		else
			reference_categorical(w, &w->cols[col], col, ref, nref);
	}
	w->ref_rows = nref;
	alloc_ring(w);
	return w;
}

void
window_free(struct window *w)
{
	size_t	i;

	if (w == NULL)
		return;
	for (i = 0; i < w->ncols; i++) {
		free(w->cols[i].codes);
		free(w->cols[i].ref);
		free(w->cols[i].cur);
		free(w->cols[i].cache);
		if (w->cols[i].dict != NULL)
			cat_dict_free(w->cols[i].dict);
	}
	for (i = 0; i < w->cfg.nfeatures; i++)
		free(w->names[i]);
	free(w->names);
	free(w->kinds);
	free(w->cols);
	free(w->numeric);
	idmap_free(w->ids);
	free(w->ts);
	free(w->p);
	free(w->flags);
	free(w->seg_rows);
	free(w->seg_sel);
	free(w->seg_pos);
	free(w->seg_tp);
	free(w);
}

/* ---- evicting by age, labelling ---------------------------------------- */

size_t
window_evict_age(struct window *w, int64_t now_ms)
{
	int64_t	cutoff = now_ms - w->cfg.max_age_ms;
	size_t	k = 0;

	while (k < w->n && w->ts[(w->head + k) % w->cap] < cutoff)
		k++;
	window_tally_evict(w, k);
	/* Fewer rows may leave a dictionary mostly dead entries. */
	window_compact_check(w);
	return k;
}

static int
check_label(const struct window *w, const char *id, double label,
    char **cause)
{
	char	*why = NULL;

	if (isnan(label))
		return xcause(cause, "window: label for %s is missing", id);
	if (window_tally_check_label(w, label, &why) != 0) {
		xcause(cause, "window: label for %s: %s", id, why);
		free(why);
		return -1;
	}
	return 0;
}

/* Set the label of slot: 1 when that changed a figure, else 0. */
static int
relabel(struct window *w, size_t slot, double label)
{
	uint8_t	lb = window_tally_label_flags(w, label);

	if ((w->flags[slot] & FL_LABEL) == lb && lb != LB_VALUE)
		return 0;
	window_tally_label(w, slot, -1);
	w->flags[slot] = (uint8_t)((w->flags[slot] & ~FL_LABEL) | lb);
	window_tally_label(w, slot, 1);
	return 1;
}

int
window_label(struct window *w, const char *id, double label, char **cause)
{
	size_t	slot;

	if (check_label(w, id, label, cause) != 0)
		return -1;
	slot = idmap_find(w->ids, idmap_hash(id));
	return slot == IDMAP_NONE ? 0 : relabel(w, slot, label);
}

int
window_labels(struct window *w, const char *const *ids, const double *labels,
    size_t n, size_t *applied, char **cause)
{
	uint64_t	*hs;
	size_t		*slots, i, k = 0;

	for (i = 0; i < n; i++) {
		if (ids[i] == NULL)
			return xcause(cause, "window: label %zu has no id",
			    i + 1);
		if (check_label(w, ids[i], labels[i], cause) != 0)
			return -1;
	}
	/*
	 * In passes, so the cache misses of one pass (the id map, then the
	 * rows' flags) are all under way together rather than one by one.
	 */
	hs = xreallocarray(NULL, n ? n : 1, sizeof *hs);
	slots = xreallocarray(NULL, n ? n : 1, sizeof *slots);
	for (i = 0; i < n; i++) {
		hs[i] = idmap_hash(ids[i]);
		idmap_prefetch(w->ids, hs[i]);
	}
	for (i = 0; i < n; i++) {
		slots[i] = idmap_find(w->ids, hs[i]);
		if (slots[i] != IDMAP_NONE)
			__builtin_prefetch(&w->flags[slots[i]]);
	}
	for (i = 0; i < n; i++)
		if (slots[i] != IDMAP_NONE)
			k += (size_t)relabel(w, slots[i], labels[i]);
	free(hs);
	free(slots);
	if (applied != NULL)
		*applied = k;
	return 0;
}

/* ---- reading ------------------------------------------------------------ */

size_t
window_rows(const struct window *w)
{
	return w->n;
}

size_t
window_ref_rows(const struct window *w)
{
	return w->ref_rows;
}

const struct window_config *
window_config(const struct window *w)
{
	return &w->cfg;
}

void
window_counts(const struct window *w, size_t col, struct window_counts *out)
{
	const struct window_column	*c = &w->cols[col];

	out->kind = c->kind;
	out->ref = c->ref;
	out->cur = c->cur;
	out->k = c->kind == STATS_NUMERIC ? c->nedges + 1 :
	    cat_dict_size(c->dict);
	out->ref_rows = (long)w->ref_rows;
	out->ref_missing = c->ref_missing;
	out->cur_rows = (long)w->n;
	out->cur_missing = c->cur_missing;
}

size_t
window_dict_size(const struct window *w, size_t col)
{
	const struct window_column	*c = &w->cols[col];

	return c->dict == NULL ? 0 : cat_dict_size(c->dict);
}

const char *
window_category(const struct window *w, size_t col, size_t id)
{
	const struct window_column	*c = &w->cols[col];

	if (c->dict == NULL || id >= cat_dict_size(c->dict))
		return NULL;
	return cat_dict_name(c->dict, id);
}

void
window_feature(const struct window *w, size_t col, struct stats_feature *out)
{
	struct window_counts	wc;

	window_counts(w, col, &wc);
	stats_feature_init(out, wc.kind);
	out->rows_ref = (size_t)wc.ref_rows;
	out->rows_cur = (size_t)wc.cur_rows;
	out->missing_ref = (size_t)wc.ref_missing;
	out->missing_cur = (size_t)wc.cur_missing;
	out->missing_rate_ref = stats_missing_rate(out->missing_ref,
	    out->rows_ref);
	out->missing_rate_cur = stats_missing_rate(out->missing_cur,
	    out->rows_cur);
	out->psi = psi_from_counts(wc.ref, wc.cur, wc.k);
	out->js = js_from_counts(wc.ref, wc.cur, wc.k);
	if (wc.kind == STATS_CATEGORICAL)
		chi2_from_counts(wc.ref, wc.cur, wc.k, &out->chi2_statistic,
		    &out->chi2_pvalue);
}

static size_t
present(const double *x, size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		k += !isnan(x[i]);
	return k;
}

int
window_exact(const struct window *w, size_t col, const double *ref, size_t n,
    const double *cur, size_t m, unsigned which, struct stats_feature *out,
    char **cause)
{
	struct stats_feature	ex;
	const char		*name = window_col_name(w, col);

	window_feature(w, col, out);
	if (out->kind != STATS_NUMERIC)
		return xcause(cause, "window: %s is not numeric", name);
	if (n != out->rows_ref || present(ref, n) != n - out->missing_ref)
		return xcause(cause, "window: %s: the reference given has %zu "
		    "values (%zu present), the window's %zu (%zu present)",
		    name, n, present(ref, n), out->rows_ref,
		    out->rows_ref - out->missing_ref);
	if (m != out->rows_cur || present(cur, m) != m - out->missing_cur)
		return xcause(cause, "window: %s: the current rows given have "
		    "%zu values (%zu present), the window's %zu (%zu present)",
		    name, m, present(cur, m), out->rows_cur,
		    out->rows_cur - out->missing_cur);
	which &= STATS_KS | STATS_WASSERSTEIN;
	if (which == 0)
		return 0;
	stats_numeric(ref, n, cur, m, which, &ex);
	out->ks_statistic = ex.ks_statistic;
	out->ks_pvalue = ex.ks_pvalue;
	out->wasserstein = ex.wasserstein;
	out->wasserstein_normed = ex.wasserstein_normed;
	return 0;
}

static double
ratio0(size_t a, size_t b)
{
	return b == 0 ? 0 : (double)a / (double)b;
}

void
window_perf(const struct window *w, struct window_perf *out)
{
	double	pr, re, sum;

	memset(out, 0, sizeof *out);
	out->labels = w->labels;
	out->scored = w->scored;
	out->accuracy = out->precision = out->recall = out->f1 = NAN;
	out->estimated_accuracy = NAN;
	if (!w->cfg.classification)
		return;
	out->tp = w->tp;
	out->fp = w->fp;
	out->tn = w->tn;
	out->fn = w->fn;
	out->positives = w->tp + w->fn;
	if (w->scored > 0) {
		sum = ldexp((double)w->est_fixed, -FIXED_SHIFT) + w->est_big;
		out->estimated_accuracy = sum / (double)w->scored;
	}
	if (w->labels == 0)
		return;
	/* The same operations as sklearn (and perf.c), for the same bits. */
	out->accuracy = ratio0(w->tp + w->tn, w->labels);
	pr = out->precision = ratio0(w->tp, w->tp + w->fp);
	re = out->recall = ratio0(w->tp, w->tp + w->fn);
	out->f1 = pr + re == 0 ? 0 : 2 * pr * re / (pr + re);
}

void
window_fairness(const struct window *w, const struct stats_thresholds *t,
    struct fairness *out)
{
	struct fairness_segment	*s;
	size_t			 i, nseg = 0;

	memset(out, 0, sizeof *out);
	if (w->cfg.segment >= 0 && w->cfg.classification)
		nseg = cat_dict_size(w->cols[w->cfg.segment].dict);
	out->nsegments = nseg;
	out->segments = xcalloc(nseg ? nseg : 1, sizeof *out->segments);
	for (i = 0; i < nseg && i < w->seg_cap; i++) {
		s = &out->segments[i];
		s->rows = (size_t)w->seg_rows[i];
		s->selected = (size_t)w->seg_sel[i];
		s->positives = (size_t)w->seg_pos[i];
		s->true_positives = (size_t)w->seg_tp[i];
	}
	fairness_from_segments(out, t);
}
