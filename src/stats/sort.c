/*
 * sort: radix sort of doubles, the engine's hot path (Wasserstein, ROC AUC
 * and KS with Wasserstein are sort-bound).  Each double's bit pattern is
 * mapped to an unsigned key that orders like the value (flip every bit of
 * a negative, the sign bit of a positive).
 *
 * A large array is first split by the key's top 16 bits (sign, exponent,
 * 4 mantissa bits) into scratch, then each bucket, small enough to stay in
 * the L2 cache, is sorted on its low 48 bits by LSD passes of 8 bits and
 * written back; that is about 1.35x faster than LSD over the whole array
 * at a million normal values, where 8-bit LSD passes otherwise stream 16
 * MB each.  Data the split does not suit (more than TOP_MAX_USED buckets
 * in use, as for random bit patterns, or one bucket holding over half the
 * values, as for timestamps) gets the plain LSD sort: 8 passes, one
 * histogram pass for all of them, a pass whose digit is the same for
 * every key skipped.  8-bit digits measured twice as fast as 11-bit ones:
 * 256 scatter targets stay in L1 and the TLB, 2048 do not.  The first pass
 * maps doubles to keys and the last maps them back, so no separate pass
 * does.  -0.0 sorts just before +0.0, which compare equal, so every
 * consumer comparing values sees a sorted array.  NaN is not allowed
 * (stats.h).  Keys live in the double arrays themselves, moved through
 * memcpy so no aliasing rule is broken; counts are uint32_t (a window
 * never nears 4 billion rows).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/sortkey.h"
#include "stats/stats.h"
#include "util/xmalloc.h"

#define DIGIT_BITS	8
#define NDIGITS		8
#define RADIX		(1u << DIGIT_BITS)
#define SMALL_N		64
#define TOP_BITS	16
#define TOP		(1u << TOP_BITS)
#define TOP_MIN_N	4096		/* below, the split does not pay */
#define TOP_MAX_USED	4096		/* above, too many scatter targets */
#define LOW_DIGITS	((64 - TOP_BITS) / DIGIT_BITS)

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

/*
 * Insertion sort of n < SMALL_N values of src (doubles, or keys when keys
 * is set) into dst as doubles; keys are compared, so -0.0 goes before
 * +0.0 here too.
 */
static void
small_sort(const double *src, size_t n, int keys, double *dst)
{
	uint64_t	k[SMALL_N], x;
	size_t		i, j;

	for (i = 0; i < n; i++)
		k[i] = keys ? get_raw(src, i) : sortkey_from_bits(get_raw(src, i));
	for (i = 1; i < n; i++) {
		x = k[i];
		for (j = i; j > 0 && k[j - 1] > x; j--)
			k[j] = k[j - 1];
		k[j] = x;
	}
	for (i = 0; i < n; i++)
		put_raw(dst, i, from_key(k[i]));
}

/* Count digits 0 .. ndig - 1 of every key in one read-only pass. */
static void
histogram(const double *v, size_t n, unsigned ndig, int keys,
    uint32_t (*hist)[RADIX])
{
	size_t		 i;
	unsigned	 d;
	uint64_t	 k;

	memset(hist, 0, sizeof(uint32_t) * NDIGITS * RADIX);
	for (i = 0; i < n; i++) {
		k = get_raw(v, i);
		if (!keys)
			k = sortkey_from_bits(k);
		for (d = 0; d < ndig; d++)
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
			k = sortkey_from_bits(k);
		put_raw(dst, off[(k >> shift) & (RADIX - 1)]++,
		    last ? from_key(k) : k);
	}
}

/*
 * LSD sort of the n values in src (doubles, or keys when keys is set) on
 * digits 0 .. ndig - 1, with other as scratch; the sorted doubles end in
 * out, which is src or other.
 */
static void
lsd(double *src, double *other, size_t n, unsigned ndig, int keys,
    double *out, uint32_t (*hist)[RADIX])
{
	unsigned	 pass[NDIGITS], npass = 0, p, d;
	double		*a = src, *b = other, *t;
	uint64_t	 k0;
	size_t		 i;

	histogram(src, n, ndig, keys, hist);
	k0 = keys ? get_raw(src, 0) : sortkey_from_bits(get_raw(src, 0));
	for (d = 0; d < ndig; d++)
		if (hist[d][(k0 >> (d * DIGIT_BITS)) & (RADIX - 1)] != n)
			pass[npass++] = d;
	for (p = 0; p < npass; p++) {
		scatter(a, b, n, hist[pass[p]], pass[p], p == 0 && !keys,
		    p == npass - 1);
		t = a;
		a = b;
		b = t;
	}
	/* No pass ran: every key is the same, and may still be a key. */
	if (npass == 0 && keys)
		for (i = 0; i < n; i++)
			put_raw(a, i, from_key(get_raw(a, i)));
	if (a != out)
		memcpy(out, a, n * sizeof *out);
}

/* Sort the keys of one top bucket (in scratch) into v. */
static void
bucket(double *keys, double *v, size_t n, uint32_t (*hist)[RADIX])
{
	if (n < SMALL_N)
		small_sort(keys, n, 1, v);
	else
		lsd(keys, v, n, LOW_DIGITS, 1, v, hist);
}

/*
 * Split v by the top TOP_BITS of the key into scratch, then sort each
 * bucket back into v; -1, with v untouched, when the data does not suit.
 */
static int
split_top(double *v, size_t n, double *scratch, uint32_t (*hist)[RADIX])
{
	uint32_t	*top = xcalloc(TOP, sizeof *top), sum = 0, c, big = 0;
	size_t		 i, b, used = 0;
	uint64_t	 k;

	for (i = 0; i < n; i++)
		top[sortkey_from_bits(get_raw(v, i)) >> (64 - TOP_BITS)]++;
	for (b = 0; b < TOP; b++) {
		used += top[b] != 0;
		big = top[b] > big ? top[b] : big;
	}
	if (used > TOP_MAX_USED || big > n / 2) {
		free(top);
		return -1;
	}
	for (b = 0; b < TOP; b++) {
		c = top[b];
		top[b] = sum;
		sum += c;
	}
	for (i = 0; i < n; i++) {
		k = sortkey_from_bits(get_raw(v, i));
		put_raw(scratch, top[k >> (64 - TOP_BITS)]++, k);
	}
	/* Each top[b] has moved to the end of its bucket. */
	for (b = 0, sum = 0; b < TOP; sum = top[b], b++)
		if (top[b] != sum)
			bucket(scratch + sum, v + sum, top[b] - sum, hist);
	free(top);
	return 0;
}

void
sort_doubles_buf(double *v, size_t n, double *scratch)
{
	uint32_t	(*hist)[RADIX];

	if (n < SMALL_N) {
		small_sort(v, n, 0, v);
		return;
	}
	hist = xmalloc(sizeof(uint32_t) * NDIGITS * RADIX);
	if (n < TOP_MIN_N || split_top(v, n, scratch, hist) != 0)
		lsd(v, scratch, n, NDIGITS, 0, v, hist);
	free(hist);
}

void
sort_doubles(double *v, size_t n)
{
	double	*scratch;

	if (n < SMALL_N) {
		small_sort(v, n, 0, v);
		return;
	}
	scratch = xmalloc(n * sizeof *scratch);
	sort_doubles_buf(v, n, scratch);
	free(scratch);
}
