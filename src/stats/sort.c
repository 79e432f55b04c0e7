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
get_key(const double *v, size_t i)
{
	uint64_t u;

	memcpy(&u, &v[i], sizeof u);
	return (u & 0x8000000000000000ull) ? ~u : u | 0x8000000000000000ull;
}

static inline void
put_raw(double *v, size_t i, uint64_t u)
{
	memcpy(&v[i], &u, sizeof u);
}

static inline uint64_t
get_raw(const double *v, size_t i)
{
	uint64_t u;

	memcpy(&u, &v[i], sizeof u);
	return u;
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

/* Map to keys in place and count every digit in one pass. */
static void
histogram(double *v, size_t n, uint32_t (*hist)[RADIX])
{
	size_t		 i;
	unsigned	 d;
	uint64_t	 k;

	memset(hist, 0, sizeof(uint32_t) * NDIGITS * RADIX);
	for (i = 0; i < n; i++) {
		k = get_key(v, i);
		put_raw(v, i, k);
		for (d = 0; d < NDIGITS; d++)
			hist[d][(k >> (d * DIGIT_BITS)) & (RADIX - 1)]++;
	}
}

static void
unkey(double *v, size_t n)
{
	size_t		i;
	uint64_t	k;

	for (i = 0; i < n; i++) {
		k = get_raw(v, i);
		k = (k & 0x8000000000000000ull) ? k & ~0x8000000000000000ull : ~k;
		put_raw(v, i, k);
	}
}

void
sort_doubles_buf(double *v, size_t n, double *scratch)
{
	static const size_t	 hsize = sizeof(uint32_t) * NDIGITS * RADIX;
	uint32_t		(*hist)[RADIX];
	uint32_t		 off[RADIX], sum, c;
	double			*src = v, *dst = scratch, *tmp;
	unsigned		 d, b, shift;
	size_t			 i;
	uint64_t		 k;

	if (n < SMALL_N) {
		insertion_sort(v, n);
		return;
	}
	/* uint32_t counts: a window never nears 4 billion rows. */
	hist = xmalloc(hsize);
	histogram(v, n, hist);
	for (d = 0; d < NDIGITS; d++) {
		shift = d * DIGIT_BITS;
		if (hist[d][(get_raw(src, 0) >> shift) & (RADIX - 1)] == n)
			continue;
		for (sum = 0, b = 0; b < RADIX; b++) {
			c = hist[d][b];
			off[b] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			k = get_raw(src, i);
			put_raw(dst, off[(k >> shift) & (RADIX - 1)]++, k);
		}
		tmp = src;
		src = dst;
		dst = tmp;
	}
	free(hist);
	if (src != v)
		memcpy(v, src, n * sizeof *v);
	unkey(v, n);
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
