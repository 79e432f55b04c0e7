/*
 * window_append: appending current rows to a window (window.h), evicting
 * the oldest beyond max_rows.
 *
 * The rows of a call are checked first, all or nothing.  Then, in chunks
 * of at most CHUNK kept rows (and never more than the ring holds, so no
 * slot is written twice in a chunk): (1) row by row, each new id is
 * entered in the id map and the id of the row it evicts removed; (2) the
 * evicted rows' figures and codes are uncounted; (3) the new rows' time,
 * prediction and flags are stored, then their codes computed and written
 * column by column, in tight loops with no per-cell dispatch on the
 * column's kind or width, and counted; (4) the new rows' figures (scores,
 * labels, segments) are tallied.
 *
 * A category string is looked up in the column's dictionary once per
 * distinct pointer per call (window_int.h, struct window_catcache), since
 * a parser hands the same pointer for a repeated category.  After each
 * chunk, a dictionary that has outgrown the window is compacted
 * (window_compact.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/window_int.h"
#include "util/xmalloc.h"

#define CHUNK		1024	/* kept rows per chunk */

/* The rows of one chunk and the scratch to store them, column by column. */
struct chunk {
	const struct window_row		 *rows;		/* the call's rows */
	size_t				 *kept;		/* [k] indexes in rows */
	const struct window_value	**vals;		/* [k] their values */
	size_t				  k;
	size_t				  first;	/* slot of the first */
	uint32_t			 *codes;	/* [k + 1] */
	double				 *xs;		/* [k + 1] */
};

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
	size_t			 k, id;

	/* Fibonacci hashing: neighbouring addresses spread over the cache. */
	k = (size_t)((u * 0x9e3779b97f4a7c15ull) >> (64 - CACHE_BITS));
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

/* ---- checking ----------------------------------------------------------- */

static int
label_ok(const struct window *w, double y)
{
	if (isnan(y))
		return 1;
	return w->cfg.classification ? y == 0 || y == 1 : isfinite(y);
}

/* The larger of top and |x|; a NaN x never wins. */
static inline double
magnitude_max(double top, double x)
{
	double	a = fabs(x);

	return a > top ? a : top;
}

/* Whether row r passes every check (the message comes from check_row). */
static int
row_ok(const struct window *w, const struct window_row *r)
{
	const struct window_value	*v = r->values;
	const size_t			*num = w->numeric;
	size_t				 j, n = w->nnumeric;
	double				 t0 = 0, t1 = 0;

	if (r->id == NULL)
		return 0;
	/* The largest magnitude, two chains at a time, then one test. */
	for (j = 0; j + 1 < n; j += 2) {
		t0 = magnitude_max(t0, v[num[j]].x);
		t1 = magnitude_max(t1, v[num[j + 1]].x);
	}
	if (j < n)
		t0 = magnitude_max(t0, v[num[j]].x);
	if (w->cfg.prediction_kind == STATS_NUMERIC)
		t1 = magnitude_max(t1, r->prediction.x);
	return !isinf(t0) && !isinf(t1) && label_ok(w, r->label);
}

/* -1 with *cause for the first problem of row i, in the documented order. */
static int
check_row(const struct window *w, const struct window_row *r, size_t i,
    char **cause)
{
	char	*why = NULL;

	if (r->id == NULL)
		return xcause(cause, "window: row %zu has no id", i + 1);
	if (window_check_values(w, r, "current", i, cause) != 0)
		return -1;
	if (window_tally_check_label(w, r->label, &why) != 0) {
		xcause(cause, "window: row %zu: %s", i + 1, why);
		free(why);
		return -1;
	}
	return 0;
}

/* ---- (1) ids and per-row values ----------------------------------------- */

static void
store_scalars(struct window *w, const struct window_row *r, size_t slot)
{
	double	p = r->prediction.x;
	uint8_t	f = window_tally_label_flags(w, r->label);

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
}

/*
 * Enter the rows from *next on (hs their id hashes) whose ids are new, up
 * to max of them:
 * kept[] gets their indexes, *evicted how many old rows made room.  Only
 * the id map is final then: the evicted rows' figures and codes are still
 * in their slots, to be uncounted before the new rows' overwrite them.
 */
static size_t
enter_rows(struct window *w, const uint64_t *hs, size_t n, size_t *next,
    size_t max, size_t *kept, size_t *evicted)
{
	size_t	i, a, k = 0, slot;

	*evicted = 0;
	for (i = *next; i < n && k < max; i++) {
		a = i + PREFETCH_AHEAD;
		if (a < n) {
			idmap_prefetch(w->ids, hs[a]);
			if (w->n == w->cap)
				idmap_prefetch_slot(w->ids,
				    (w->head + (a - i)) % w->cap);
		}
		if (idmap_find(w->ids, hs[i]) != IDMAP_NONE)
			continue;
		if (w->n == w->cap) {
			idmap_delete(w->ids, w->head);
			w->head = w->head + 1 == w->cap ? 0 : w->head + 1;
			w->n--;
			(*evicted)++;
		}
		slot = (w->head + w->n) % w->cap;
		idmap_insert(w->ids, hs[i], slot);
		w->n++;
		kept[k++] = i;
	}
	*next = i;
	return k;
}

/* ---- (3) codes, column by column ---------------------------------------- */

/* Two doubles, and two 64-bit compare masks (GNU C vectors). */
typedef double	v2d __attribute__((vector_size(16)));
typedef int64_t	v2i __attribute__((vector_size(16)));

/*
 * The codes of numeric column col of the chunk's rows: the number of
 * edges <= x (bins_index), counted by nine independent compares (the
 * padding is +inf) for two rows at a time, rather than by a search whose
 * every step waits for the one before.  The values are gathered into
 * ch->xs first, so the counting loop reads one array.
 */
static void
codes_numeric(const struct window_column *c, const struct chunk *ch,
    size_t col, int prediction)
{
	v2d	 e[BINS_MAX_EDGES], xx;
	v2i	 code;
	double	*xs = ch->xs;
	size_t	 i, j, k = ch->k;

	for (i = 0; i < BINS_MAX_EDGES; i++)
		e[i] = (v2d){ c->edges[i], c->edges[i] };
	if (prediction) {
		for (j = 0; j < k; j++)
			xs[j] = ch->rows[ch->kept[j]].prediction.x;
	} else {
		for (j = 0; j < k; j++)
			xs[j] = ch->vals[j][col].x;
	}
	xs[k] = 0;
	for (j = 0; j < k; j += 2) {
		xx = (v2d){ xs[j], xs[j + 1] };
		code = (v2i)(e[0] <= xx) + (v2i)(e[1] <= xx) +
		    (v2i)(e[2] <= xx) + (v2i)(e[3] <= xx) +
		    (v2i)(e[4] <= xx) + (v2i)(e[5] <= xx) +
		    (v2i)(e[6] <= xx) + (v2i)(e[7] <= xx) + (v2i)(e[8] <= xx);
		/* A NaN's mask is all ones: WINDOW_NO_CODE once truncated. */
		code = -code | (v2i)(xx != xx);
		ch->codes[j] = (uint32_t)code[0];
		ch->codes[j + 1] = (uint32_t)code[1];
	}
}

static void
codes_categorical(struct window *w, struct window_column *c,
    const struct chunk *ch, size_t col, int prediction)
{
	const char	*s;
	size_t		 j;

	for (j = 0; j < ch->k; j++) {
		s = prediction ? ch->rows[ch->kept[j]].prediction.s :
		    ch->vals[j][col].s;
		ch->codes[j] = s == NULL ? WINDOW_NO_CODE :
		    category_id(w, c, s);
	}
}

/*
 * Write the codes v[0..k-1] into slots [slot, slot + k) (no wrapping) and
 * count them: into hist (indexed by code, missing last) for widths up to
 * 8 bits, else straight into c's counts.  Masked to the width,
 * WINDOW_NO_CODE becomes the missing code.  4-bit codes go in whole
 * bytes, two at a time, so no byte is read back right after being written.
 */
static void
write_run(struct window_column *c, size_t slot, const uint32_t *v, size_t k,
    long *hist)
{
	uint8_t		*b = c->codes;
	uint32_t	 lo, hi;
	size_t		 j = 0;

	switch (c->bits) {
	case 4:
		if (k > 0 && (slot & 1)) {
			hi = v[0] & 0xf;
			hist[hi]++;
			b[slot >> 1] = (uint8_t)((b[slot >> 1] & 0x0f) | hi << 4);
			j = 1;
		}
		for (; j + 1 < k; j += 2) {
			lo = v[j] & 0xf;
			hi = v[j + 1] & 0xf;
			hist[lo]++;
			hist[hi]++;
			b[(slot + j) >> 1] = (uint8_t)(lo | hi << 4);
		}
		if (j < k) {
			lo = v[j] & 0xf;
			hist[lo]++;
			b[(slot + j) >> 1] = (uint8_t)((b[(slot + j) >> 1] &
			    0xf0) | lo);
		}
		return;
	case 8:
		for (; j < k; j++) {
			hist[v[j] & 0xff]++;
			b[slot + j] = (uint8_t)v[j];
		}
		return;
	}
	for (; j < k; j++) {
		window_code_set(c, slot + j, v[j] == WINDOW_NO_CODE ?
		    window_missing_code(c->bits) : v[j]);
		if (v[j] == WINDOW_NO_CODE)
			c->cur_missing++;
		else
			c->cur[v[j]]++;
	}
}

static void
store_codes(struct window *w, const struct chunk *ch)
{
	struct window_column	*c;
	long			 hist[256];
	size_t			 col, run, k = ch->k;
	int			 pred;

	for (col = 0; col < w->ncols; col++) {
		c = &w->cols[col];
		pred = col == w->cfg.nfeatures;
		if (c->kind == STATS_NUMERIC)
			codes_numeric(c, ch, col, pred);
		else
			codes_categorical(w, c, ch, col, pred);
		memset(hist, 0, sizeof hist);
		run = k < w->cap - ch->first ? k : w->cap - ch->first;
		write_run(c, ch->first, ch->codes, run, hist);
		write_run(c, (ch->first + run) % w->cap, ch->codes + run,
		    k - run, hist);
		if (c->bits <= 8)
			window_tally_hist(c, hist, c->bits == 4 ? 16 : 256, 1);
	}
}

int
window_append(struct window *w, const struct window_row *rows, size_t n,
    size_t *added, char **cause)
{
	struct chunk	 ch = { .rows = rows };
	size_t		 i, total = 0, next = 0, head, ev, max;
	uint64_t	*hs;

	for (i = 0; i < n; i++)
		if (!row_ok(w, &rows[i]))
			return check_row(w, &rows[i], i, cause);
	w->gen++;
	hs = xreallocarray(NULL, n ? n : 1, sizeof *hs);
	for (i = 0; i < n; i++)
		hs[i] = idmap_hash(rows[i].id);
	max = w->cap < CHUNK ? w->cap : CHUNK;
	ch.kept = xreallocarray(NULL, max, sizeof *ch.kept);
	ch.vals = xreallocarray(NULL, max, sizeof *ch.vals);
	ch.codes = xreallocarray(NULL, max + 1, sizeof *ch.codes);
	ch.xs = xreallocarray(NULL, max + 1, sizeof *ch.xs);
	while (next < n) {
		head = w->head;
		ch.first = (w->head + w->n) % w->cap;
		ch.k = enter_rows(w, hs, n, &next, max, ch.kept, &ev);
		window_tally_rows(w, head, ev, -1);
		window_tally_count(w, head, ev, -1);
		for (i = 0; i < ch.k; i++) {
			ch.vals[i] = rows[ch.kept[i]].values;
			store_scalars(w, &rows[ch.kept[i]],
			    (ch.first + i) % w->cap);
		}
		store_codes(w, &ch);
		window_tally_rows(w, ch.first, ch.k, 1);
		/* Per chunk: a big call cannot grow a dictionary far past it. */
		window_compact_check(w);
		total += ch.k;
	}
	free(hs);
	free(ch.kept);
	free(ch.vals);
	free(ch.codes);
	free(ch.xs);
	if (added != NULL)
		*added = total;
	return 0;
}
