/*
 * idmap: id hashes to ring slots (idmap.h).  Table cells are 64-bit:
 * the high 32 bits of the hash above slot + 1, 0 for an empty cell.
 */
#include <stdlib.h>

#include "stats/idmap.h"
#include "util/xmalloc.h"

struct idmap {
	uint64_t	*tab;		/* [tcap] cells */
	size_t		 tcap;
	uint64_t	*hs;		/* [nslots] the hash in each slot */
	size_t		 nslots;
};

#define CELL_HI(e)	((uint32_t)((e) >> 32))
#define CELL_SLOT(e)	((size_t)(uint32_t)(e) - 1)

uint64_t
idmap_hash(const char *id)
{
	uint64_t	h = 14695981039346656037ull;

	for (; *id != '\0'; id++) {
		h ^= (unsigned char)*id;
		h *= 1099511628211ull;
	}
	/* FNV-1a's high bits mix poorly for short ids: finish them. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

struct idmap *
idmap_new(size_t nslots)
{
	struct idmap	*m = xcalloc(1, sizeof *m);

	m->nslots = nslots;
	m->tcap = nslots + nslots / 2 + 8;
	m->tab = xcalloc(m->tcap, sizeof *m->tab);
	m->hs = xcalloc(nslots ? nslots : 1, sizeof *m->hs);
	return m;
}

void
idmap_free(struct idmap *m)
{
	if (m == NULL)
		return;
	free(m->tab);
	free(m->hs);
	free(m);
}

static size_t
home(const struct idmap *m, uint32_t hi)
{
	return (size_t)(((uint64_t)hi * m->tcap) >> 32);
}

static size_t
next(const struct idmap *m, size_t i)
{
	return i + 1 == m->tcap ? 0 : i + 1;
}

size_t
idmap_find(const struct idmap *m, uint64_t h)
{
	uint32_t	hi = (uint32_t)(h >> 32);
	size_t		i = home(m, hi);
	uint64_t	e;

	while ((e = m->tab[i]) != 0) {
		if (CELL_HI(e) == hi && m->hs[CELL_SLOT(e)] == h)
			return CELL_SLOT(e);
		i = next(m, i);
	}
	return IDMAP_NONE;
}

void
idmap_insert(struct idmap *m, uint64_t h, size_t slot)
{
	uint32_t	hi = (uint32_t)(h >> 32);
	size_t		i = home(m, hi);

	while (m->tab[i] != 0)
		i = next(m, i);
	m->tab[i] = (uint64_t)hi << 32 | (uint64_t)(slot + 1);
	m->hs[slot] = h;
}

void
idmap_delete(struct idmap *m, size_t slot)
{
	uint64_t	want = (m->hs[slot] & 0xffffffff00000000ull) |
	    (uint64_t)(slot + 1);
	size_t		i = home(m, CELL_HI(want)), j, k;

	while (m->tab[i] != want) {
		if (m->tab[i] == 0)
			return;
		i = next(m, i);
	}
	/*
	 * Backward shift: move each later cell of the run back into the hole
	 * unless its home lies cyclically in (hole, cell], which would put it
	 * before its home.
	 */
	for (j = i;;) {
		m->tab[i] = 0;
		for (;;) {
			j = next(m, j);
			if (m->tab[j] == 0)
				return;
			k = home(m, CELL_HI(m->tab[j]));
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		m->tab[i] = m->tab[j];
		i = j;
	}
}

void
idmap_prefetch(const struct idmap *m, uint64_t h)
{
	__builtin_prefetch(&m->tab[home(m, (uint32_t)(h >> 32))]);
}

void
idmap_prefetch_slot(const struct idmap *m, size_t slot)
{
	__builtin_prefetch(&m->tab[home(m, (uint32_t)(m->hs[slot] >> 32))]);
}
