/*
 * idmap: the sample-id index of a window's ring, from 64-bit id hashes to
 * ring slots 0..nslots-1, one id per slot.
 *
 * Layout.  An open-addressing table with linear probing, at most 2/3 full,
 * and a per-slot array of the full hashes.  A table entry packs the high
 * 32 bits of its hash (which decide its home cell) with its slot + 1, so
 * probing, deleting by slot and the backward shift that follows a delete
 * read only the table, whose cells in a probe run are adjacent; the
 * per-slot array is read only to confirm a match on the high bits (and
 * to find a slot's hash when it is deleted, reading the slot being evicted,
 * in ring order).  Deletion is by backward shift, so no tombstones build
 * up however long the window runs.
 *
 * Hashes.  idmap_hash is FNV-1a followed by the MurmurHash3 finaliser (a
 * bijection, so two ids collide only when FNV-1a does); ids are compared
 * by their 64-bit hash, a 1-in-10^10 event for two ids of a 50,000-row
 * window, accepted (window.h).
 *
 * Ownership: the map owns its arrays; idmap_free frees them.
 */
#ifndef MD_IDMAP_H
#define MD_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#define IDMAP_NONE	((size_t)-1)
#define IDMAP_MAX_SLOTS	((size_t)UINT32_MAX - 1)

struct idmap;

/* The 64-bit hash of a NUL-terminated id. */
uint64_t	 idmap_hash(const char *id);
/* An empty map for nslots slots (at most IDMAP_MAX_SLOTS). */
struct idmap	*idmap_new(size_t nslots);
/* Free the map. */
void		 idmap_free(struct idmap *m);
/* The slot holding hash h, or IDMAP_NONE. */
size_t		 idmap_find(const struct idmap *m, uint64_t h);
/* Map h to slot: h must be absent and slot unused. */
void		 idmap_insert(struct idmap *m, uint64_t h, size_t slot);
/* Forget the id of slot (which must be in use). */
void		 idmap_delete(struct idmap *m, size_t slot);
/* Start loading the table cells a find or insert of h will read. */
void		 idmap_prefetch(const struct idmap *m, uint64_t h);
/* Start loading the table cells a delete of slot will read. */
void		 idmap_prefetch_slot(const struct idmap *m, size_t slot);

#endif
