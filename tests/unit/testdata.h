/*
 * testdata.h: seeded random data for the unit tests (header-only, static
 * inline functions, so a test includes it whole and uses what it needs).
 * A generator is one uint64_t of state stepped by xorshift64 (13, 7, 17);
 * a zero state stays zero, so start from td_seed or another nonzero value.
 * The same seed gives the same data on every machine, so a failing case
 * can be rerun by its seed.  Nothing here allocates.
 */
#ifndef MD_TESTDATA_H
#define MD_TESTDATA_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Step the generator and return its new state. */
static inline uint64_t
td_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A uniform double in [0, 1) from the top 53 bits of the next step. */
static inline double
td_uniform01(uint64_t *s)
{
	return (double)(td_next(s) >> 11) / 9007199254740992.0;
}

/* A standard normal by Box-Muller (two uniforms, the first for the radius). */
static inline double
td_normal(uint64_t *s)
{
	double	u = td_uniform01(s), v = td_uniform01(s);

	return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(6.283185307179586 * v);
}

/* A starting state spread from a small seed (0, 1, 2... give unrelated data). */
static inline uint64_t
td_seed(uint64_t seed)
{
	return seed * 2654435761u + 88172645463325252ull;
}

/* Any bit pattern as a double; NaN and infinities become if_not_finite. */
static inline double
td_finite_bits(uint64_t *s, double if_not_finite)
{
	uint64_t	r = td_next(s);
	double		x;

	memcpy(&x, &r, sizeof x);
	return isfinite(x) ? x : if_not_finite;
}

#endif
