/*
 * window_tally: one ring row's contribution to a window's counts and
 * figures, applied with a sign, so appending, evicting and relabelling are
 * the same code run forwards or backwards (window_int.h).  The segment
 * counts grow on demand as the segment dictionary does.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/window_int.h"
#include "util/xmalloc.h"

/* The segment id of slot, or -1. */
static inline long
segment_of(const struct window *w, size_t slot)
{
	const struct window_column	*c;
	uint32_t			 v;

	if (w->cfg.segment < 0)
		return -1;
	c = &w->cols[w->cfg.segment];
	v = window_code_get(c, slot);
	return v == window_missing_code(c->bits) ? -1 : (long)v;
}

static void
segments_reserve(struct window *w, long id)
{
	size_t	ncap, sz = sizeof *w->seg_rows;

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
static inline void
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
		/*
		 * Truncated, not rounded (a libm call): a row adds and later
		 * removes the very same integer either way.
		 */
		w->est_fixed += sign * (window_i128)(int64_t)(c * FIXED_SCALE);
	if ((seg = segment_of(w, slot)) >= 0) {
		if ((size_t)seg >= w->seg_cap)
			segments_reserve(w, seg);
		w->seg_rows[seg] += sign;
		w->seg_sel[seg] += (f & FL_SELECTED) ? sign : 0;
	}
}

/* Label-dependent figures: confusion matrix, segment positives. */
static inline void
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
		if ((size_t)seg >= w->seg_cap)
			segments_reserve(w, seg);
		w->seg_pos[seg] += sign;
		w->seg_tp[seg] += sel ? sign : 0;
	}
}

void
window_tally_hist(struct window_column *c, const long *hist, size_t nh,
    long sign)
{
	size_t	v, n = nh - 1 < c->cap ? nh - 1 : c->cap;

	for (v = 0; v < n; v++)
		c->cur[v] += sign * hist[v];
	c->cur_missing += sign * hist[nh - 1];
}

/* Count (sign +1) or uncount (-1) the codes of slots [first, first + k). */
static void
count_run(struct window_column *c, size_t first, size_t k, long sign)
{
	const uint8_t	*b = c->codes;
	long		 hist[256];
	size_t		 i, nh = c->bits == 4 ? 16 : 256;
	uint32_t	 v, miss = window_missing_code(c->bits);

	if (c->bits > 8) {
		for (i = first; i < first + k; i++) {
			v = window_code_get(c, i);
			if (v == miss)
				c->cur_missing += sign;
			else
				c->cur[v] += sign;
		}
		return;
	}
	/* A histogram first: no count waits for the one before it. */
	memset(hist, 0, nh * sizeof *hist);
	if (c->bits == 4) {
		i = first;
		if (k > 0 && (i & 1)) {
			hist[b[i >> 1] >> 4]++;
			i++;
		}
		for (; i + 1 < first + k; i += 2) {
			hist[b[i >> 1] & 0xf]++;
			hist[b[i >> 1] >> 4]++;
		}
		if (i < first + k)
			hist[b[i >> 1] & 0xf]++;
	} else {
		for (i = first; i < first + k; i++)
			hist[b[i]]++;
	}
	window_tally_hist(c, hist, nh, sign);
}

void
window_tally_count(struct window *w, size_t first, size_t k, long sign)
{
	size_t	col, run;

	while (k > 0) {
		run = k < w->cap - first ? k : w->cap - first;
		for (col = 0; col < w->ncols; col++)
			count_run(&w->cols[col], first, run, sign);
		first = first + run == w->cap ? 0 : first + run;
		k -= run;
	}
}

void
window_tally_label(struct window *w, size_t slot, long sign)
{
	tally_label(w, slot, sign);
}

void
window_tally_rows(struct window *w, size_t first, size_t k, long sign)
{
	size_t	i, slot = first;

	for (i = 0; i < k; i++) {
		tally_score(w, slot, sign);
		tally_label(w, slot, sign);
		slot = slot + 1 == w->cap ? 0 : slot + 1;
	}
}

void
window_tally_evict(struct window *w, size_t k)
{
	size_t	i, slot = w->head;

	for (i = 0; i < k; i++) {
		/* The id map is random access: start the misses ahead. */
		if (i + PREFETCH_AHEAD < k)
			idmap_prefetch_slot(w->ids,
			    (slot + PREFETCH_AHEAD) % w->cap);
		idmap_delete(w->ids, slot);
		slot = slot + 1 == w->cap ? 0 : slot + 1;
	}
	window_tally_rows(w, w->head, k, -1);
	window_tally_count(w, w->head, k, -1);
	w->head = slot;
	w->n -= k;
}

int
window_tally_check_label(const struct window *w, double y, char **why)
{
	if (isnan(y))
		return 0;
	if (w->cfg.classification && y != 0 && y != 1)
		return xcause(why, "label %.17g is not 0 or 1", y);
	if (!isfinite(y))
		return xcause(why, "label is infinite");
	return 0;
}

uint8_t
window_tally_label_flags(const struct window *w, double y)
{
	if (isnan(y))
		return 0;
	if (!w->cfg.classification)
		return LB_VALUE;
	return y == 1 ? LB_ONE : LB_ZERO;
}
