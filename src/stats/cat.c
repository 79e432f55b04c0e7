/*
 * cat: a dictionary of category strings to dense ids 0..n-1 in order of
 * first appearance, so categorical counts are plain arrays indexed by id.
 * Open addressing (FNV-1a, linear probing) at most half full; the dict
 * owns a copy of every name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "util/xmalloc.h"

#define EMPTY	((size_t)-1)

struct cat_dict {
	char	**names;	/* names[id], owned */
	size_t	  n;
	size_t	  names_cap;
	size_t	 *slots;	/* id or EMPTY; size is a power of two */
	size_t	  nslots;
};

static uint64_t
hash(const char *s)
{
	uint64_t	h = 14695981039346656037ull;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static void
alloc_slots(struct cat_dict *d, size_t nslots)
{
	size_t	i;

	d->slots = xreallocarray(NULL, nslots, sizeof *d->slots);
	d->nslots = nslots;
	for (i = 0; i < nslots; i++)
		d->slots[i] = EMPTY;
}

struct cat_dict *
cat_dict_new(void)
{
	struct cat_dict	*d = xcalloc(1, sizeof *d);

	alloc_slots(d, 16);
	return d;
}

void
cat_dict_free(struct cat_dict *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		free(d->names[i]);
	free(d->names);
	free(d->slots);
	free(d);
}

/* The slot holding name, or the empty slot where it would go. */
static size_t
probe(const struct cat_dict *d, const char *name)
{
	size_t	mask = d->nslots - 1, i = hash(name) & mask;

	while (d->slots[i] != EMPTY && strcmp(d->names[d->slots[i]], name) != 0)
		i = (i + 1) & mask;
	return i;
}

static void
grow(struct cat_dict *d)
{
	size_t	id, i;

	free(d->slots);
	alloc_slots(d, d->nslots * 2);
	for (id = 0; id < d->n; id++) {
		i = probe(d, d->names[id]);
		d->slots[i] = id;
	}
}

size_t
cat_dict_intern(struct cat_dict *d, const char *name)
{
	size_t	i = probe(d, name);

	if (d->slots[i] != EMPTY)
		return d->slots[i];
	if (d->n == d->names_cap) {
		d->names_cap = d->names_cap ? d->names_cap * 2 : 16;
		d->names = xreallocarray(d->names, d->names_cap,
		    sizeof *d->names);
	}
	d->names[d->n] = xstrdup(name);
	d->slots[i] = d->n++;
	if (d->n * 2 > d->nslots)
		grow(d);
	return d->n - 1;
}

size_t
cat_dict_find(const struct cat_dict *d, const char *name)
{
	return d->slots[probe(d, name)];
}

const char *
cat_dict_name(const struct cat_dict *d, size_t id)
{
	return id < d->n ? d->names[id] : NULL;
}

size_t
cat_dict_size(const struct cat_dict *d)
{
	return d->n;
}
