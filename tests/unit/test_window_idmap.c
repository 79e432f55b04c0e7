/*
 * test_window_idmap: the window's id map (src/stats/idmap.c) against a
 * plain array of what each slot holds, under random inserts and deletes
 * in FIFO order and at random, with hashes chosen to pile up on a few
 * home cells (including the table's last cell, so runs wrap) and to share
 * their high 32 bits (so a match on them alone must not count).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats/idmap.h"
#include "util/xmalloc.h"
#include "testhelp.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A hash whose high half is one of four values: runs pile up. */
static uint64_t
crowded_hash(void)
{
	static const uint32_t	hi[4] = { 0, 1, 0x80000000u, 0xffffffffu };
	uint64_t		lo;

	do
		lo = rng() & 0xffffffffull;
	while (lo == 0);
	return (uint64_t)hi[rng() % 4] << 32 | lo;
}

/* Every slot's hash is found where it is; absent ones are not. */
static void
check_all(const struct idmap *m, const uint64_t *model, size_t nslots)
{
	size_t	s;

	for (s = 0; s < nslots; s++) {
		if (model[s] != 0)
			CHECK_INT(idmap_find(m, model[s]), s);
	}
	CHECK(idmap_find(m, 0xffffffff00000000ull) == IDMAP_NONE);
	CHECK(idmap_find(m, 0x0000000100000000ull) == IDMAP_NONE);
}

static int
present(const uint64_t *model, size_t nslots, uint64_t h)
{
	size_t	s;

	for (s = 0; s < nslots; s++)
		if (model[s] == h)
			return 1;
	return 0;
}

static void
churn(size_t nslots, size_t steps, int fifo)
{
	struct idmap	*m = idmap_new(nslots);
	uint64_t	*model = xcalloc(nslots, sizeof *model), h;
	size_t		 i, s, head = 0, n = 0;

	for (i = 0; i < steps; i++) {
		if (n == nslots || (n > 0 && rng() % 3 == 0)) {
			s = fifo ? head : (size_t)(rng() % nslots);
			if (model[s] == 0)
				continue;
			idmap_delete(m, s);
			model[s] = 0;
			head = (head + 1) % nslots;
			n--;
		} else {
			s = (head + n) % nslots;
			if (!fifo)
				for (s = 0; model[s] != 0; s++)
					;
			do
				h = crowded_hash();
			while (present(model, nslots, h));
			CHECK(idmap_find(m, h) == IDMAP_NONE);
			idmap_insert(m, h, s);
			model[s] = h;
			n++;
		}
		if (i % 7 == 0)
			check_all(m, model, nslots);
	}
	check_all(m, model, nslots);
	idmap_free(m);
	free(model);
}

static void
test_idmap_fifo(void)
{
	churn(37, 20000, 1);
	churn(1, 200, 1);
}

static void
test_idmap_random_deletes(void)
{
	churn(64, 20000, 0);
	churn(5, 2000, 0);
}

/* FNV-1a then the MurmurHash3 finaliser; values from Python. */
static void
test_idmap_hash(void)
{
	CHECK(idmap_hash("") == 0xefd01f60ba992926ull);
	CHECK(idmap_hash("r-1") == 0x3f36081409f265bfull);
	CHECK(idmap_hash("m159-49999") == 0x7ec572e978fae65bull);
}

static void
test_idmap_empty(void)
{
	struct idmap	*m = idmap_new(0);

	CHECK(idmap_find(m, idmap_hash("x")) == IDMAP_NONE);
	idmap_free(m);
	idmap_free(NULL);
}

int
main(void)
{
	RUN(test_idmap_fifo);
	RUN(test_idmap_random_deletes);
	RUN(test_idmap_hash);
	RUN(test_idmap_empty);
	return TEST_REPORT();
}
