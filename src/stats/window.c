/*
 * window: the rolling window of one model version (see window.h for what
 * is kept and the invariants).  Layout: struct column holds a column's
 * reference reduction, its current counts and its per-slot codes; the
 * ring's per-slot arrays (id hash, time, prediction, flags) live in
 * struct window; an open-addressing table maps id hashes to slots.
 * tally_*() apply one row's contribution with a sign, so appending,
 * evicting and relabelling are the same code run forwards or backwards.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/window.h"
#include "util/xmalloc.h"

__extension__ typedef __int128 i128;

/* Per-row flags. */
#define FL_LABEL	0x03	/* 0 none, else LB_* */
#define LB_ZERO		1
#define LB_ONE		2
#define LB_VALUE	3	/* regression: some number */
#define FL_SCORED	0x04	/* numeric prediction present */
#define FL_SELECTED	0x08	/* prediction >= threshold */
#define FL_BIG		0x10	/* contribution outside the fixed-point range */

/* Table entries: slot + 1 in the low bits, 6 bits of the id hash above. */
#define TAB_BITS	26
#define TAB_SLOT(e)	((e) & ((1u << TAB_BITS) - 1))
#define TAB_FP(h)	((uint32_t)((h) >> 58) << TAB_BITS)

/* Contributions up to this magnitude are kept exactly in units of 2^-52. */
#define FIXED_RANGE	1024.0
#define FIXED_SHIFT	52

#define EDGES_PADDED	16	/* for a four-step branch-free search */

#define PREFETCH_AHEAD	8	/* rows */

struct column {
	enum stats_kind	 kind;
	unsigned	 bits;		/* code width: 4, 8, 16 or 32 */
	void		*codes;		/* per slot */
	double		 edges[EDGES_PADDED];	/* +inf after nedges */
	size_t		 nedges;
	struct cat_dict	*dict;		/* categorical only */
	long		*ref, *cur;	/* [cap] counts by bin or id */
	size_t		 cap;
	long		 ref_missing, cur_missing;
};

struct window {
	struct window_config	 cfg;
	char			**names;
	enum stats_kind		*kinds;
	size_t			 ncols;		/* nfeatures + 1 (prediction) */
	struct column		*cols;
	size_t			 ref_rows;

	size_t			 cap, head, n;	/* ring: n rows from head */
	uint64_t		*idh;
	int64_t			*ts;
	double			*p;		/* classification only */
	uint8_t			*flags;
	uint32_t		*tab;		/* slot + 1, 0 empty */
	size_t			 tcap;

	size_t			 scored, labels, tp, fp, tn, fn;
	i128			 est_fixed;
	double			 est_big;
	size_t			 nbig;
	long			*seg_rows, *seg_sel, *seg_pos, *seg_tp;
	size_t			 seg_cap;
};

static uint32_t
missing_code(unsigned bits)
{
	return bits == 32 ? UINT32_MAX : (1u << bits) - 1;
}

static uint32_t
code_get(const struct column *c, size_t slot)
{
	const uint8_t	*b = c->codes;

	switch (c->bits) {
	case 4:
		return (b[slot >> 1] >> ((slot & 1) * 4)) & 0xf;
	case 8:
		return b[slot];
	case 16:
		return ((const uint16_t *)c->codes)[slot];
	}
	return ((const uint32_t *)c->codes)[slot];
}

static void
code_set(struct column *c, size_t slot, uint32_t v)
{
	uint8_t	*b = c->codes;
	int	 sh = (slot & 1) * 4;

	switch (c->bits) {
	case 4:
		b[slot >> 1] = (uint8_t)((b[slot >> 1] & ~(0xf << sh)) |
		    (v << sh));
		return;
	case 8:
		b[slot] = (uint8_t)v;
		return;
	case 16:
		((uint16_t *)c->codes)[slot] = (uint16_t)v;
		return;
	}
	((uint32_t *)c->codes)[slot] = v;
}

static void *
codes_alloc(unsigned bits, size_t cap)
{
	return xcalloc(bits == 4 ? cap / 2 + 1 : cap, bits == 4 ? 1 : bits / 8);
}

/* Double the code width of c, keeping every slot's code (and missing). */
static void
column_widen(struct column *c, size_t cap)
{
	struct column	old = *c;
	uint32_t	v, miss = missing_code(c->bits);
	size_t		i;

	c->bits *= 2;
	c->codes = codes_alloc(c->bits, cap);
	for (i = 0; i < cap; i++) {
		v = code_get(&old, i);
		code_set(c, i, v == miss ? missing_code(c->bits) : v);
	}
	free(old.codes);
}

/* Make room for id in the count arrays. */
static void
column_reserve(struct column *c, size_t id)
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

/* The code of value v in column c (interning a new category). */
static uint32_t
column_code(struct window *w, struct column *c, const struct window_value *v)
{
	size_t		id;
	const double	*e = c->edges;
	double		 x = v->x;
	uint32_t	 b = 0;

	if (c->kind == STATS_NUMERIC) {
		if (isnan(x))
			return missing_code(c->bits);
		/*
		 * The number of edges <= x (bins_index) over the 16 sorted
		 * padded edges, in four steps instead of nine compares.
		 */
		b += (uint32_t)(e[b + 7] <= x) * 8;
		b += (uint32_t)(e[b + 3] <= x) * 4;
		b += (uint32_t)(e[b + 1] <= x) * 2;
		b += (uint32_t)(e[b] <= x);
		return b;
	}
	if (v->s == NULL)
		return missing_code(c->bits);
	id = cat_dict_intern(c->dict, v->s);
	while (c->bits < 32 && id >= missing_code(c->bits))
		column_widen(c, w->cap);
	column_reserve(c, id);
	return (uint32_t)id;
}

static const struct window_value *
row_value(const struct window *w, const struct window_row *r, size_t col)
{
	return col < w->cfg.nfeatures ? &r->values[col] : &r->prediction;
}

/* ---- id table: linear probing, backward-shift deletion ----------------- */

static uint64_t
id_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ull;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static size_t
home(const struct window *w, uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (size_t)(((h >> 32) * (uint64_t)w->tcap) >> 32);
}

/* The table position holding h, or of the empty cell ending its probe. */
static size_t
tab_find(const struct window *w, uint64_t h)
{
	size_t		i = home(w, h);
	uint32_t	fp = TAB_FP(h), e;

	/* The fingerprint spares a cache miss on idh for most probes. */
	while ((e = w->tab[i]) != 0 && ((e & ~TAB_SLOT(~0u)) != fp ||
	    w->idh[TAB_SLOT(e) - 1] != h))
		i = i + 1 == w->tcap ? 0 : i + 1;
	return i;
}

static void
tab_delete(struct window *w, uint64_t h)
{
	size_t	i = tab_find(w, h), j = i, k;

	if (w->tab[i] == 0)
		return;
	for (;;) {
		w->tab[i] = 0;
		for (;;) {
			j = j + 1 == w->tcap ? 0 : j + 1;
			if (w->tab[j] == 0)
				return;
			k = home(w, w->idh[TAB_SLOT(w->tab[j]) - 1]);
			/* Move j back unless its home lies cyclically in (i, j]. */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		w->tab[i] = w->tab[j];
		i = j;
	}
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

static const char *
col_name(const struct window *w, size_t col)
{
	return col < w->cfg.nfeatures ? w->names[col] : "prediction";
}

/* 0, or -1 when a numeric cell of row r is infinite. */
static int
check_values(const struct window *w, const struct window_row *r,
    const char *what, size_t i, char **cause)
{
	const struct window_value	*v;
	size_t				 col;

	for (col = 0; col < w->ncols; col++) {
		v = row_value(w, r, col);
		if (w->cols[col].kind == STATS_NUMERIC && isinf(v->x))
			return xcause(cause, "window: %s row %zu: %s is infinite",
			    what, i + 1, col_name(w, col));
	}
	return 0;
}

static void
reference_numeric(struct window *w, struct column *c, size_t col,
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
	sort_doubles(v, k);
	c->nedges = bins_edges(v, k, c->edges);
	for (i = c->nedges; i < EDGES_PADDED; i++)
		c->edges[i] = INFINITY;
	column_reserve(c, BINS_MAX - 1);
	bins_count(c->edges, c->nedges, v, k, c->ref);
	c->ref_missing = (long)(nref - k);
	free(v);
}

static void
reference_categorical(struct window *w, struct column *c, size_t col,
    const struct window_row *ref, size_t nref)
{
	const char	*s;
	size_t		 i, id;

	c->dict = cat_dict_new();
	column_reserve(c, 0);
	for (i = 0; i < nref; i++) {
		s = row_value(w, &ref[i], col)->s;
		if (s == NULL) {
			c->ref_missing++;
			continue;
		}
		id = cat_dict_intern(c->dict, s);
		column_reserve(c, id);
		c->ref[id]++;
	}
	while (c->bits < 32 && cat_dict_size(c->dict) >= missing_code(c->bits))
		c->bits *= 2;
}

static void
alloc_ring(struct window *w)
{
	size_t	col;

	w->cap = w->cfg.max_rows;
	w->idh = xcalloc(w->cap, sizeof *w->idh);
	w->ts = xcalloc(w->cap, sizeof *w->ts);
	w->flags = xcalloc(w->cap, sizeof *w->flags);
	if (w->cfg.classification)
		w->p = xcalloc(w->cap, sizeof *w->p);
	w->tcap = w->cap + w->cap / 3 + 8;
	w->tab = xcalloc(w->tcap, sizeof *w->tab);
	for (col = 0; col < w->ncols; col++)
		w->cols[col].codes = codes_alloc(w->cols[col].bits, w->cap);
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
	for (i = 0; i < w->ncols; i++) {
		w->cols[i].kind = w->kinds[i];
		w->cols[i].bits = 4;
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
		if (check_values(w, &ref[i], "reference", i, cause) != 0) {
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
		if (w->cols[i].dict != NULL)
			cat_dict_free(w->cols[i].dict);
	}
	for (i = 0; i < w->cfg.nfeatures; i++)
		free(w->names[i]);
	free(w->names);
	free(w->kinds);
	free(w->cols);
	free(w->idh);
	free(w->ts);
	free(w->p);
	free(w->flags);
	free(w->tab);
	free(w->seg_rows);
	free(w->seg_sel);
	free(w->seg_pos);
	free(w->seg_tp);
	free(w);
}

/* ---- tallies: one row's contribution, sign +1 or -1 --------------------- */

static void
tally_columns(struct window *w, size_t slot, long sign)
{
	struct column	*c;
	uint32_t	 v;
	size_t		 col;

	for (col = 0; col < w->ncols; col++) {
		c = &w->cols[col];
		v = code_get(c, slot);
		if (v == missing_code(c->bits))
			c->cur_missing += sign;
		else
			c->cur[v] += sign;
	}
}

/* The segment id of slot, or -1. */
static long
segment_of(const struct window *w, size_t slot)
{
	const struct column	*c;
	uint32_t		 v;

	if (w->cfg.segment < 0)
		return -1;
	c = &w->cols[w->cfg.segment];
	v = code_get(c, slot);
	return v == missing_code(c->bits) ? -1 : (long)v;
}

static void
segments_reserve(struct window *w, long id)
{
	size_t	ncap, sz = sizeof *w->seg_rows;

	if ((size_t)id < w->seg_cap)
		return;
	for (ncap = w->seg_cap ? w->seg_cap : 16; ncap <= (size_t)id; ncap *= 2)
		;
	w->seg_rows = xreallocarray(w->seg_rows, ncap, sz);
	w->seg_sel = xreallocarray(w->seg_sel, ncap, sz);
	w->seg_pos = xreallocarray(w->seg_pos, ncap, sz);
	w->seg_tp = xreallocarray(w->seg_tp, ncap, sz);
	memset(w->seg_rows + w->seg_cap, 0, (ncap - w->seg_cap) * sz);
	memset(w->seg_sel + w->seg_cap, 0, (ncap - w->seg_cap) * sz);
	memset(w->seg_pos + w->seg_cap, 0, (ncap - w->seg_cap) * sz);
	memset(w->seg_tp + w->seg_cap, 0, (ncap - w->seg_cap) * sz);
	w->seg_cap = ncap;
}

static double
contribution(const struct window *w, size_t slot)
{
	double	p = w->p[slot];

	return (w->flags[slot] & FL_SELECTED) ? p : 1 - p;
}

/* Scored-row figures: the estimated-accuracy sum, segment selection. */
static void
tally_score(struct window *w, size_t slot, long sign)
{
	uint8_t	f = w->flags[slot];
	long	seg;
	double	c;

	if (!(f & FL_SCORED))
		return;
	w->scored += sign;
	if (!w->cfg.classification)
		return;
	c = contribution(w, slot);
	if (f & FL_BIG) {
		w->nbig += sign;
		w->est_big = w->nbig == 0 ? 0 : w->est_big + sign * c;
	} else
		w->est_fixed += sign * (i128)llrint(ldexp(c, FIXED_SHIFT));
	if ((seg = segment_of(w, slot)) >= 0) {
		segments_reserve(w, seg);
		w->seg_rows[seg] += sign;
		w->seg_sel[seg] += (f & FL_SELECTED) ? sign : 0;
	}
}

/* Label-dependent figures: confusion matrix, segment positives. */
static void
tally_label(struct window *w, size_t slot, long sign)
{
	uint8_t	f = w->flags[slot];
	int	sel = (f & FL_SELECTED) != 0, lb = f & FL_LABEL;
	long	seg;

	if (lb == 0 || !(f & FL_SCORED))
		return;
	w->labels += sign;
	if (!w->cfg.classification)
		return;
	if (lb == LB_ONE)
		*(sel ? &w->tp : &w->fn) += sign;
	else
		*(sel ? &w->fp : &w->tn) += sign;
	if (lb == LB_ONE && (seg = segment_of(w, slot)) >= 0) {
		segments_reserve(w, seg);
		w->seg_pos[seg] += sign;
		w->seg_tp[seg] += sel ? sign : 0;
	}
}

/* ---- appending, evicting, labelling ------------------------------------ */

static int
check_label(const struct window *w, double y, char **cause)
{
	if (isnan(y))
		return 0;
	if (w->cfg.classification && y != 0 && y != 1)
		return xcause(cause, "label %.17g is not 0 or 1", y);
	if (!isfinite(y))
		return xcause(cause, "label is infinite");
	return 0;
}

static uint8_t
label_flags(const struct window *w, double y)
{
	if (isnan(y))
		return 0;
	if (!w->cfg.classification)
		return LB_VALUE;
	return y == 1 ? LB_ONE : LB_ZERO;
}

static void
evict_oldest(struct window *w)
{
	size_t	slot = w->head;

	tally_label(w, slot, -1);
	tally_score(w, slot, -1);
	tally_columns(w, slot, -1);
	tab_delete(w, w->idh[slot]);
	w->head = w->head + 1 == w->cap ? 0 : w->head + 1;
	w->n--;
}

static void
store_row(struct window *w, const struct window_row *r, uint64_t h)
{
	size_t		 slot = (w->head + w->n) % w->cap, col;
	double		 p = r->prediction.x;
	uint8_t		 f = label_flags(w, r->label);
	struct column	*c;
	uint32_t	 v;

	for (col = 0; col < w->ncols; col++) {
		c = &w->cols[col];
		v = column_code(w, c, row_value(w, r, col));
		code_set(c, slot, v);
		if (v == missing_code(c->bits))
			c->cur_missing++;
		else
			c->cur[v]++;
	}
	if (w->cfg.prediction_kind == STATS_NUMERIC && !isnan(p)) {
		f |= FL_SCORED;
		if (w->cfg.classification) {
			w->p[slot] = p;
			f |= p >= w->cfg.threshold ? FL_SELECTED : 0;
			if (fabs(f & FL_SELECTED ? p : 1 - p) > FIXED_RANGE)
				f |= FL_BIG;
		}
	}
	w->idh[slot] = h;
	w->ts[slot] = r->ts_ms;
	w->flags[slot] = f;
	w->n++;
	tally_score(w, slot, 1);
	tally_label(w, slot, 1);
}

/*
 * The table is random access and a fleet's windows do not fit in cache:
 * fetch the cells row `ahead` will probe (its id, and the id evicted for
 * it) while the rows before it are being stored.
 */
static void
prefetch_ahead(const struct window *w, const uint64_t *hs, size_t n,
    size_t ahead)
{
	size_t	old;

	if (ahead >= n)
		return;
	__builtin_prefetch(&w->tab[home(w, hs[ahead])]);
	if (w->n == w->cap) {
		old = (w->head + (ahead % w->cap)) % w->cap;
		__builtin_prefetch(&w->tab[home(w, w->idh[old])]);
	}
}

int
window_append(struct window *w, const struct window_row *rows, size_t n,
    size_t *added, char **cause)
{
	size_t		 i, pos, k = 0;
	uint64_t	 h, *hs;
	char		*why = NULL;

	for (i = 0; i < n; i++) {
		if (rows[i].id == NULL)
			return xcause(cause, "window: row %zu has no id", i + 1);
		if (check_values(w, &rows[i], "current", i, cause) != 0)
			return -1;
		if (check_label(w, rows[i].label, &why) != 0) {
			xcause(cause, "window: row %zu: %s", i + 1, why);
			free(why);
			return -1;
		}
	}
	hs = xreallocarray(NULL, n ? n : 1, sizeof *hs);
	for (i = 0; i < n; i++)
		hs[i] = id_hash(rows[i].id);
	for (i = 0; i < n; i++) {
		prefetch_ahead(w, hs, n, i + PREFETCH_AHEAD);
		h = hs[i];
		pos = tab_find(w, h);
		if (w->tab[pos] != 0)
			continue;
		if (w->n == w->cap) {
			evict_oldest(w);
			pos = tab_find(w, h);
		}
		w->tab[pos] = TAB_FP(h) |
		    ((uint32_t)((w->head + w->n) % w->cap) + 1);
		store_row(w, &rows[i], h);
		k++;
	}
	free(hs);
	if (added != NULL)
		*added = k;
	return 0;
}

size_t
window_evict_age(struct window *w, int64_t now_ms)
{
	int64_t	cutoff = now_ms - w->cfg.max_age_ms;
	size_t	k = 0;

	while (w->n > 0 && w->ts[w->head] < cutoff) {
		evict_oldest(w);
		k++;
	}
	return k;
}

int
window_label(struct window *w, const char *id, double label, char **cause)
{
	size_t	 pos, slot;
	uint8_t	 lb;
	char	*why = NULL;

	if (isnan(label))
		return xcause(cause, "window: label for %s is missing", id);
	if (check_label(w, label, &why) != 0) {
		xcause(cause, "window: label for %s: %s", id, why);
		free(why);
		return -1;
	}
	pos = tab_find(w, id_hash(id));
	if (w->tab[pos] == 0)
		return 0;
	slot = TAB_SLOT(w->tab[pos]) - 1;
	lb = label_flags(w, label);
	if ((w->flags[slot] & FL_LABEL) == lb && lb != LB_VALUE)
		return 0;
	tally_label(w, slot, -1);
	w->flags[slot] = (uint8_t)((w->flags[slot] & ~FL_LABEL) | lb);
	tally_label(w, slot, 1);
	return 1;
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
	const struct column	*c = &w->cols[col];

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

const char *
window_category(const struct window *w, size_t col, size_t id)
{
	const struct column	*c = &w->cols[col];

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

	window_feature(w, col, out);
	if (out->kind != STATS_NUMERIC)
		return xcause(cause, "window: %s is not numeric",
		    col_name(w, col));
	if (n != out->rows_ref || present(ref, n) != n - out->missing_ref)
		return xcause(cause, "window: %s: the reference given has %zu "
		    "values (%zu present), the window's %zu (%zu present)",
		    col_name(w, col), n, present(ref, n), out->rows_ref,
		    out->rows_ref - out->missing_ref);
	if (m != out->rows_cur || present(cur, m) != m - out->missing_cur)
		return xcause(cause, "window: %s: the current rows given have "
		    "%zu values (%zu present), the window's %zu (%zu present)",
		    col_name(w, col), m, present(cur, m), out->rows_cur,
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

/* max - min and min / max of the qualifying segments' rates. */
static void
spread(const struct fairness *f, int tpr, size_t min_count, double *diff,
    double *ratio)
{
	const struct fairness_segment	*s;
	double				 lo = INFINITY, hi = -INFINITY, r;
	size_t				 i, count;

	for (i = 0; i < f->nsegments; i++) {
		s = &f->segments[i];
		count = tpr ? s->positives : s->rows;
		if (count == 0 || count < min_count)
			continue;
		r = tpr ? s->tpr : s->selection_rate;
		lo = r < lo ? r : lo;
		hi = r > hi ? r : hi;
	}
	*diff = hi < lo ? NAN : hi - lo;
	if (ratio != NULL)
		*ratio = hi < lo || hi == 0 ? NAN : lo / hi;
}

void
window_fairness(const struct window *w, const struct stats_thresholds *t,
    struct fairness *out)
{
	struct fairness_segment	*s;
	size_t			 i, nseg = 0;

	if (w->cfg.segment >= 0 && w->cfg.classification)
		nseg = cat_dict_size(w->cols[w->cfg.segment].dict);
	out->nsegments = nseg;
	out->segments = xcalloc(nseg ? nseg : 1, sizeof *out->segments);
	for (i = 0; i < nseg; i++) {
		s = &out->segments[i];
		if (i < w->seg_cap) {
			s->rows = (size_t)w->seg_rows[i];
			s->selected = (size_t)w->seg_sel[i];
			s->positives = (size_t)w->seg_pos[i];
			s->true_positives = (size_t)w->seg_tp[i];
		}
		s->selection_rate = s->rows ? (double)s->selected /
		    (double)s->rows : NAN;
		s->tpr = s->positives ? (double)s->true_positives /
		    (double)s->positives : NAN;
	}
	spread(out, 0, (size_t)t->fairness_min_rows,
	    &out->demographic_parity_difference, &out->disparate_impact);
	spread(out, 1, (size_t)t->fairness_min_positives,
	    &out->equal_opportunity_difference, NULL);
}
