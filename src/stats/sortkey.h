/*
 * sortkey: the order-preserving map from a double to a uint64_t, so that
 * comparing keys as unsigned integers compares the doubles (NaN excluded).
 * Header-only (static inline) because the radix passes call it once per
 * value in their hottest loops.  Negative values have every bit flipped,
 * the others only the sign bit; -0.0 therefore keys just below +0.0 unless
 * folded first, as sortkey_of does.
 */
#ifndef MD_SORTKEY_H
#define MD_SORTKEY_H

#include <stdint.h>
#include <string.h>

/* The key of a double given as its raw bits; -0.0 and +0.0 differ. */
static inline uint64_t
sortkey_from_bits(uint64_t u)
{
	return (u & 0x8000000000000000ull) ? ~u : u | 0x8000000000000000ull;
}

/* The key of x, with -0.0 and +0.0 sharing one key (equal values tie). */
static inline uint64_t
sortkey_of(double x)
{
	uint64_t	u;

	/* x + 0.0 turns -0.0 into +0.0 and leaves every other value alone. */
	x += 0.0;
	memcpy(&u, &x, sizeof u);
	return sortkey_from_bits(u);
}

#endif
