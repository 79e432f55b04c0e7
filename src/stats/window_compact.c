/*
 * window_compact: keeping a window's category dictionaries bounded
 * (window.h, "Dictionaries").
 *
 * A categorical column's dictionary only grows as rows arrive, but the
 * window holds at most max_rows rows, so at most that many categories are
 * live (counted in the window) at once.  Compaction rebuilds a dictionary
 * with only the reference's categories (ids 0..nref_cats-1, which keep
 * their ids, so the reference counts and what PSI, JS and chi-square
 * compare never change) and the live ones, in their old order, then
 * renumbers the column's per-slot codes, its current counts and, for the
 * segment column, the per-segment fairness counts.  The dropped entries
 * all had zero counts on both sides, which add exactly nothing to any
 * figure, and the kept ones keep their relative order, so every figure
 * (down to the bits of the summed statistics) is the same before and
 * after; only the ids of current-only categories change.
 *
 * When.  window_compact_check compacts a column once its dictionary holds
 * more than 2 x (reference categories + rows in the window) + a floor
 * entries.  Then more than half the entries are dead, so a compaction, at
 * O(entries + max_rows) cost, frees more entries than it keeps and more
 * than the floor: each appended row pays O(1) for it, amortised.  The
 * floor (COMPACT_FLOOR + max_rows / 16) keeps small windows from compacting
 * every chunk and covers the O(max_rows) parts (a new codes array, a later
 * widening).  A dictionary thus stays under 2 x (reference categories +
 * max_rows) + the floor + the categories of one append chunk, which also
 * keeps 32-bit ids clear of the missing code for any reference that fits in
 * memory.
 */
#include <stdlib.h>
#include <string.h>

#include "stats/window_int.h"
#include "util/xmalloc.h"

#define COMPACT_FLOOR	256	/* dead entries always tolerated */
#define DROPPED		UINT32_MAX

/* The smallest code width whose ids 0..k-1 stay below its missing code. */
static unsigned
width_for(size_t k)
{
	unsigned	bits = 4;

	while (bits < 32 && k > window_missing_code(bits))
		bits *= 2;
	return bits;
}

/* The count arrays' size for ids 0..k-1, as window_column_reserve sizes. */
static size_t
count_cap(size_t k)
{
	size_t	cap = 16;

	while (cap < k)
		cap *= 2;
	return cap;
}

/*
 * Old id -> new id, DROPPED for a category neither in the reference nor
 * in the window; *kept is how many stay.
 */
static uint32_t *
renumber(const struct window_column *c, size_t *kept)
{
	size_t		 i, k = 0, n = cat_dict_size(c->dict);
	uint32_t	*map = xreallocarray(NULL, n ? n : 1, sizeof *map);

	for (i = 0; i < n; i++)
		map[i] = i < c->nref_cats || c->cur[i] > 0 ? (uint32_t)k++ :
		    DROPPED;
	*kept = k;
	return map;
}

/* A new dictionary of the kept names; old id order gives the new ids. */
static struct cat_dict *
rebuild_dict(const struct cat_dict *old, const uint32_t *map)
{
	struct cat_dict	*d = cat_dict_new();
	size_t		 i, n = cat_dict_size(old);

	for (i = 0; i < n; i++)
		if (map[i] != DROPPED)
			cat_dict_intern(d, cat_dict_name(old, i));
	return d;
}

/* a (acap entries) moved to new ids in an array of ncap; a is freed. */
static long *
remap_longs(long *a, size_t acap, const uint32_t *map, size_t n, size_t ncap)
{
	long	*b = xcalloc(ncap, sizeof *b);
	size_t	 i;

	for (i = 0; i < n && i < acap; i++)
		if (map[i] != DROPPED)
			b[map[i]] = a[i];
	free(a);
	return b;
}

/*
 * Rewrite the codes of the rows in the ring with the new ids, at the
 * width the kept categories need (narrower, often: the memory a column's
 * codes take follows the live categories, not every one ever seen).
 * Slots outside the ring hold nothing anyone reads.
 */
static void
remap_codes(struct window *w, struct window_column *c, const uint32_t *map,
    size_t kept)
{
	struct window_column	old = *c;
	uint32_t		v, omiss = window_missing_code(c->bits), nmiss;
	size_t			i, slot = w->head;

	c->bits = width_for(kept);
	nmiss = window_missing_code(c->bits);
	if (c->bits != old.bits)
		c->codes = window_codes_alloc(c->bits, w->cap);
	for (i = 0; i < w->n; i++) {
		v = window_code_get(&old, slot);
		window_code_set(c, slot, v == omiss ? nmiss : map[v]);
		slot = slot + 1 == w->cap ? 0 : slot + 1;
	}
	if (c->bits != old.bits)
		free(old.codes);
}

static void
remap_segments(struct window *w, const uint32_t *map, size_t n, size_t kept)
{
	size_t	ncap = count_cap(kept);

	/* No scored row yet: nothing counted, the arrays come on demand. */
	if (w->seg_cap == 0)
		return;
	w->seg_rows = remap_longs(w->seg_rows, w->seg_cap, map, n, ncap);
	w->seg_sel = remap_longs(w->seg_sel, w->seg_cap, map, n, ncap);
	w->seg_pos = remap_longs(w->seg_pos, w->seg_cap, map, n, ncap);
	w->seg_tp = remap_longs(w->seg_tp, w->seg_cap, map, n, ncap);
	w->seg_cap = ncap;
}

static void
compact_column(struct window *w, size_t col)
{
	struct window_column	*c = &w->cols[col];
	struct cat_dict		*d;
	uint32_t		*map;
	size_t			 n = cat_dict_size(c->dict), kept, ncap;

	map = renumber(c, &kept);
	d = rebuild_dict(c->dict, map);
	cat_dict_free(c->dict);
	c->dict = d;
	ncap = count_cap(kept);
	c->ref = remap_longs(c->ref, c->cap, map, n, ncap);
	c->cur = remap_longs(c->cur, c->cap, map, n, ncap);
	c->cap = ncap;
	remap_codes(w, c, map, kept);
	if ((long)col == w->cfg.segment)
		remap_segments(w, map, n, kept);
	/* Its pointers may be of this very append call: their ids are old. */
	memset(c->cache, 0, sizeof *c->cache);
	free(map);
}

/* Whether c's dictionary has outgrown the window (see the top comment). */
static int
outgrown(const struct window *w, const struct window_column *c)
{
	size_t	limit = 2 * (c->nref_cats + w->n) + COMPACT_FLOOR +
		    w->cap / 16;

	return cat_dict_size(c->dict) > limit;
}

void
window_compact_check(struct window *w)
{
	size_t	col;

	for (col = 0; col < w->ncols; col++)
		if (w->cols[col].kind == STATS_CATEGORICAL &&
		    outgrown(w, &w->cols[col]))
			compact_column(w, col);
}

void
window_compact(struct window *w)
{
	size_t	col;

	for (col = 0; col < w->ncols; col++)
		if (w->cols[col].kind == STATS_CATEGORICAL)
			compact_column(w, col);
}
