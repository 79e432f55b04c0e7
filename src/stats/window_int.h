/*
 * window_int.h: the inside of struct window, shared by window.c (creation,
 * the reference, the figures), window_append.c (appending),
 * window_tally.c (counting, evicting) and window_compact.c (bounding the
 * dictionaries); nothing else includes it.
 *
 * Layout.  struct column holds a column's reference reduction, its current
 * counts and its per-slot codes; the ring's per-slot arrays (time,
 * prediction, flags) live in struct window, the id index in an idmap.
 * Codes are column-major: a column's codes for consecutive slots are
 * adjacent, 4, 8, 16 or 32 bits each, the all-ones code meaning missing.
 */
#ifndef MD_WINDOW_INT_H
#define MD_WINDOW_INT_H

#include <stdint.h>

#include "stats/idmap.h"
#include "stats/window.h"

__extension__ typedef __int128 window_i128;

/* Per-row flags. */
#define FL_LABEL	0x03	/* 0 none, else LB_* */
#define LB_ZERO		1
#define LB_ONE		2
#define LB_VALUE	3	/* regression: some number */
#define FL_SCORED	0x04	/* numeric prediction present */
#define FL_SELECTED	0x08	/* prediction >= threshold */
#define FL_BIG		0x10	/* contribution outside the fixed-point range */

/* Contributions up to this magnitude are kept exactly in units of 2^-52. */
#define FIXED_RANGE	1024.0
#define FIXED_SHIFT	52
#define FIXED_SCALE	0x1p52	/* 2^FIXED_SHIFT: scaling by it is exact */

#define EDGES_PADDED	BINS_MAX_EDGES	/* edges, +inf after nedges */
#define PREFETCH_AHEAD	16	/* rows whose id-map cells are fetched early */
#define WINDOW_NO_CODE	UINT32_MAX	/* missing, whatever the code width */
#define CACHE_BITS	6
#define CACHE_SIZE	(1 << CACHE_BITS)	/* pointers kept per column */

/*
 * The category ids of the string pointers seen during one window_append
 * call: a pointer the caller passed twice in one call names the same
 * string, so its id is looked up once.  Entries of earlier calls (their
 * strings may be gone, their addresses reused) are told apart by gen.
 */
struct window_catcache {
	const char	*ptr[CACHE_SIZE];
	uint32_t	 id[CACHE_SIZE];
	uint64_t	 gen[CACHE_SIZE];
};

struct window_column {
	enum stats_kind		 kind;
	unsigned		 bits;		/* code width: 4, 8, 16 or 32 */
	void			*codes;		/* per slot */
	double			 edges[EDGES_PADDED];	/* +inf after nedges */
	size_t			 nedges;
	struct cat_dict		*dict;		/* categorical only */
	size_t			 nref_cats;	/* ids below: the reference's */
	struct window_catcache	*cache;		/* categorical only */
	long			*ref, *cur;	/* [cap] counts by bin or id */
	size_t			 cap;
	long			 ref_missing, cur_missing;
};

struct window {
	struct window_config	 cfg;
	char			**names;
	enum stats_kind		*kinds;
	size_t			 ncols;		/* nfeatures + 1 (prediction) */
	struct window_column	*cols;
	size_t			*numeric;	/* numeric feature columns */
	size_t			 nnumeric;
	size_t			 ref_rows;
	uint64_t		 gen;		/* window_append calls so far */

	size_t			 cap, head, n;	/* ring: n rows from head */
	struct idmap		*ids;
	int64_t			*ts;
	double			*p;		/* classification only */
	uint8_t			*flags;

	size_t			 scored, labels, tp, fp, tn, fn;
	window_i128		 est_fixed;
	double			 est_big;
	size_t			 nbig;
	long			*seg_rows, *seg_sel, *seg_pos, *seg_tp;
	size_t			 seg_cap;
};

static inline uint32_t
window_missing_code(unsigned bits)
{
	return bits == 32 ? UINT32_MAX : (1u << bits) - 1;
}

static inline uint32_t
window_code_get(const struct window_column *c, size_t slot)
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

static inline void
window_code_set(struct window_column *c, size_t slot, uint32_t v)
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

/* Room for id in the count arrays of c (window.c). */
void	 window_column_reserve(struct window_column *c, size_t id);
/* Codes array of bits-wide codes for cap slots, zeroed (window.c). */
void	*window_codes_alloc(unsigned bits, size_t cap);
/* The name of column col: a feature's, or "prediction" (window.c). */
const char *window_col_name(const struct window *w, size_t col);
/* 0, or -1 with *cause naming row i when a numeric cell is infinite. */
int	 window_check_values(const struct window *w,
	    const struct window_row *r, const char *what, size_t i,
	    char **cause);

/*
 * Compact each categorical column whose dictionary holds many more
 * entries than the reference's and the window's categories
 * (window_compact.c); call it with every count consistent.
 */
void	 window_compact_check(struct window *w);

/* ---- window_tally.c: one row's contribution, sign +1 or -1 ------------- */

/* Label-dependent figures of slot: confusion matrix, segment positives. */
void	 window_tally_label(struct window *w, size_t slot, long sign);
/*
 * Every figure of the k ring slots from first (wrapping) but their column
 * codes: scores, estimated accuracy, labels, segments.
 */
void	 window_tally_rows(struct window *w, size_t first, size_t k,
	    long sign);
/*
 * Count (sign +1) or uncount (-1) in every column the codes of the k
 * ring slots from first (wrapping).
 */
void	 window_tally_count(struct window *w, size_t first, size_t k,
	    long sign);
/*
 * Add sign * hist[v] to the current count of code v in c, for the nh
 * codes of a 4- or 8-bit column (16 or 256; hist[nh - 1] is missing).
 */
void	 window_tally_hist(struct window_column *c, const long *hist,
	    size_t nh, long sign);
/* Evict the k oldest rows (k <= w->n): counts, figures and ids. */
void	 window_tally_evict(struct window *w, size_t k);
/* 0, or -1 with an allocated *why when y is not a valid label. */
int	 window_tally_check_label(const struct window *w, double y,
	    char **why);
/* The FL_LABEL bits for label y (NaN: none). */
uint8_t	 window_tally_label_flags(const struct window *w, double y);

#endif
