/*
 * window_append: appending current rows to a window (window.h), evicting
 * the oldest beyond max_rows.  The rows of a call are checked first, all
 * or nothing; then each new id is entered in the id map and its row's
 * codes stored and counted.  A category string is looked up in the
 * column's dictionary once per distinct pointer per call (window_int.h,
 * struct window_catcache), since a parser hands the same pointer for a
 * repeated category.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/window_int.h"
#include "util/xmalloc.h"

#define PREFETCH_AHEAD	8	/* rows */

/* Double the code width of c, keeping every slot's code (and missing). */
static void
column_widen(struct window_column *c, size_t cap)
{
	struct window_column	old = *c;
	uint32_t		v, miss = window_missing_code(c->bits);
	size_t			i;

	c->bits *= 2;
	c->codes = window_codes_alloc(c->bits, cap);
	for (i = 0; i < cap; i++) {
		v = window_code_get(&old, i);
		window_code_set(c, i, v == miss ?
		    window_missing_code(c->bits) : v);
	}
	free(old.codes);
}

/* The id of category s in c, interning it (and widening c) when new. */
static uint32_t
category_id(struct window *w, struct window_column *c, const char *s)
{
	struct window_catcache	*cc = c->cache;
	uintptr_t		 u = (uintptr_t)s;
	size_t			 k = (u >> 3 ^ u >> 11) & (CACHE_SIZE - 1), id;

	if (cc->gen[k] == w->gen && cc->ptr[k] == s)
		return cc->id[k];
	id = cat_dict_intern(c->dict, s);
	while (c->bits < 32 && id >= window_missing_code(c->bits))
		column_widen(c, w->cap);
	window_column_reserve(c, id);
	cc->ptr[k] = s;
	cc->id[k] = (uint32_t)id;
	cc->gen[k] = w->gen;
	return (uint32_t)id;
}

/* The code of value v in column c. */
static uint32_t
column_code(struct window *w, struct window_column *c,
    const struct window_value *v)
{
	const double	*e = c->edges;
	double		 x = v->x;
	uint32_t	 b = 0;

	if (c->kind == STATS_NUMERIC) {
		if (isnan(x))
			return window_missing_code(c->bits);
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
		return window_missing_code(c->bits);
	return category_id(w, c, v->s);
}

static int
check_rows(const struct window *w, const struct window_row *rows, size_t n,
    char **cause)
{
	size_t	 i;
	char	*why = NULL;

	for (i = 0; i < n; i++) {
		if (rows[i].id == NULL)
			return xcause(cause, "window: row %zu has no id", i + 1);
		if (window_check_values(w, &rows[i], "current", i, cause) != 0)
			return -1;
		if (window_tally_check_label(w, rows[i].label, &why) != 0) {
			xcause(cause, "window: row %zu: %s", i + 1, why);
			free(why);
			return -1;
		}
	}
	return 0;
}

static void
store_row(struct window *w, const struct window_row *r, size_t slot)
{
	struct window_column	*c;
	double			 p = r->prediction.x;
	uint8_t			 f = window_tally_label_flags(w, r->label);
	uint32_t		 v;
	size_t			 col;

	for (col = 0; col < w->ncols; col++) {
		c = &w->cols[col];
		v = column_code(w, c, col < w->cfg.nfeatures ?
		    &r->values[col] : &r->prediction);
		window_code_set(c, slot, v);
		if (v == window_missing_code(c->bits))
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
	w->ts[slot] = r->ts_ms;
	w->flags[slot] = f;
	w->n++;
	window_tally_score(w, slot, 1);
	window_tally_label(w, slot, 1);
}

/*
 * A fleet's windows do not fit in cache and the id map is random access:
 * fetch the cells row `ahead` will probe (its id, and the id evicted for
 * it) while the rows before it are being stored.
 */
static void
prefetch_ahead(const struct window *w, const uint64_t *hs, size_t n,
    size_t ahead)
{
	if (ahead >= n)
		return;
	idmap_prefetch(w->ids, hs[ahead]);
	if (w->n == w->cap)
		idmap_prefetch_slot(w->ids, (w->head + ahead % w->cap) % w->cap);
}

int
window_append(struct window *w, const struct window_row *rows, size_t n,
    size_t *added, char **cause)
{
	size_t		 i, slot, k = 0;
	uint64_t	*hs;

	if (check_rows(w, rows, n, cause) != 0)
		return -1;
	w->gen++;
	hs = xreallocarray(NULL, n ? n : 1, sizeof *hs);
	for (i = 0; i < n; i++)
		hs[i] = idmap_hash(rows[i].id);
	for (i = 0; i < n; i++) {
		prefetch_ahead(w, hs, n, i + PREFETCH_AHEAD);
		if (idmap_find(w->ids, hs[i]) != IDMAP_NONE)
			continue;
		if (w->n == w->cap)
			window_tally_evict(w);
		slot = (w->head + w->n) % w->cap;
		idmap_insert(w->ids, hs[i], slot);
		store_row(w, &rows[i], slot);
		k++;
	}
	free(hs);
	if (added != NULL)
		*added = k;
	return 0;
}
