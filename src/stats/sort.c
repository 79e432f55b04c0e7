/*
 * sort: LSD radix sort of doubles, the engine's hot path (KS, Wasserstein
 * and ROC AUC are sort-bound).  Each double's bit pattern is mapped to an
 * unsigned key that orders like the value (flip every bit of a negative,
 * the sign bit of a positive), sorted 8 bits at a time (8 passes, one
 * histogram pass for all of them; a pass whose digit is the same for every
 * key is skipped), then mapped back.  8-bit digits measured twice as fast
 * as 11-bit ones at a million rows: 256 scatter targets stay in L1 and
 * the TLB, 2048 do not.  -0.0 sorts just before +0.0, which
 * compare equal, so every consumer comparing values sees a sorted array.
 * NaN is not allowed (stats.h).  Keys live in the double arrays themselves,
 * moved through memcpy so no aliasing rule is broken.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "util/xmalloc.h"

#define DIGIT_BITS	8
#define NDIGITS		8
#define RADIX		(1u << DIGIT_BITS)
#define SMALL_N		64

static inline uint64_t
to_key(uint64_t u)
{
	return (u & 0x8000000000000000ull) ? ~u : u | 0x8000000000000000ull;
}

static inline uint64_t
from_key(uint64_t k)
{
	return (k & 0x8000000000000000ull) ? k & ~0x8000000000000000ull : ~k;
}

static inline uint64_t
get_raw(const double *v, size_t i)
{
	uint64_t	u;

	memcpy(&u, &v[i], sizeof u);
	return u;
}

static inline void
put_raw(double *v, size_t i, uint64_t u)
{
	memcpy(&v[i], &u, sizeof u);
}

static void
insertion_sort(double *v, size_t n)
{
	size_t	i, j;
	double	x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Count every digit of every key in one read-only pass. */
static void
histogram(const double *v, size_t n, uint32_t (*hist)[RADIX])
{
	size_t		 i;
	unsigned	 d;
	uint64_t	 k;

	memset(hist, 0, sizeof(uint32_t) * NDIGITS * RADIX);
	for (i = 0; i < n; i++) {
		k = to_key(get_raw(v, i));
		for (d = 0; d < NDIGITS; d++)
			hist[d][(k >> (d * DIGIT_BITS)) & (RADIX - 1)]++;
	}
}

/*
 * One scatter pass on digit d.  The first pass reads raw doubles and
 * writes keys, the last writes doubles back (both when there is only one),
 * so no separate pass maps keys in or out.
 */
static void
scatter(const double *src, double *dst, size_t n, const uint32_t *count,
    unsigned d, int first, int last)
{
	uint32_t	off[RADIX], sum = 0;
	unsigned	b, shift = d * DIGIT_BITS;
	size_t		i;
	uint64_t	k;

	for (b = 0; b < RADIX; b++) {
		off[b] = sum;
		sum += count[b];
	}
	for (i = 0; i < n; i++) {
		k = get_raw(src, i);
		if (first)
			k = to_key(k);
		put_raw(dst, off[(k >> shift) & (RADIX - 1)]++,
		    last ? from_key(k) : k);
	}
}

void
sort_doubles_buf(double *v, size_t n, double *scratch)
{
	uint32_t	(*hist)[RADIX];
	unsigned	 pass[NDIGITS], npass = 0, p, d;
	double		*src = v, *dst = scratch, *tmp;

	if (n < SMALL_N) {
		insertion_sort(v, n);
		return;
	}
	/* uint32_t counts: a window never nears 4 billion rows. */
	hist = xmalloc(sizeof(uint32_t) * NDIGITS * RADIX);
	histogram(v, n, hist);
	for (d = 0; d < NDIGITS; d++)
		if (hist[d][(to_key(get_raw(v, 0)) >> (d * DIGIT_BITS)) &
		    (RADIX - 1)] != n)
			pass[npass++] = d;
	for (p = 0; p < npass; p++) {
		scatter(src, dst, n, hist[pass[p]], pass[p], p == 0,
		    p == npass - 1);
		tmp = src;
		src = dst;
		dst = tmp;
	}
	free(hist);
	if (src != v)
		memcpy(v, src, n * sizeof *v);
}

void
sort_doubles(double *v, size_t n)
{
	double	*scratch;

	if (n < SMALL_N) {
		insertion_sort(v, n);
		return;
	}
	scratch = xmalloc(n * sizeof *scratch);
	sort_doubles_buf(v, n, scratch);
	free(scratch);
}
