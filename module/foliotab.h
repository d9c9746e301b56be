/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab folio table: folio pointer -> small index, for the folios of one
 * batch (MMLAB_BATCH pages, so at most that many folios).  Open addressing
 * at twice the batch: per-page work that asks "which of this batch's
 * folios is this" stays constant, where a scan of the batch made a batch
 * quadratic (issue 20).  The caller owns the slots and clears them.
 */
#ifndef MMLAB_FOLIOTAB_H
#define MMLAB_FOLIOTAB_H

#include <linux/bits.h>
#include <linux/hash.h>
#include <linux/string.h>

#define MMLAB_FTAB_BITS 10	/* 1024 slots: 2 x MMLAB_BATCH */
#define MMLAB_FTAB_SIZE BIT(MMLAB_FTAB_BITS)

struct mmlab_ftab_slot {
	const void *key;	/* the folio, NULL: free */
	int idx;
};

struct mmlab_ftab {
	struct mmlab_ftab_slot *slot;	/* MMLAB_FTAB_SIZE of them */
	int nr;				/* indexes handed out: 0..nr-1 */
};

static inline void mmlab_ftab_clear(struct mmlab_ftab *t)
{
	memset(t->slot, 0, MMLAB_FTAB_SIZE * sizeof(*t->slot));
	t->nr = 0;
}

static inline struct mmlab_ftab_slot *mmlab_ftab_at(const struct mmlab_ftab *t, const void *key)
{
	unsigned int h = hash_ptr((void *)key, MMLAB_FTAB_BITS);

	while (t->slot[h].key && t->slot[h].key != key)
		h = (h + 1) & (MMLAB_FTAB_SIZE - 1);
	return &t->slot[h];
}

/* The index of @key, or -1. */
static inline int mmlab_ftab_find(const struct mmlab_ftab *t, const void *key)
{
	const struct mmlab_ftab_slot *s = mmlab_ftab_at(t, key);

	return s->key ? s->idx : -1;
}

/* The index of @key, a new one if it had none (or -1 when the table is full). */
static inline int mmlab_ftab_add(struct mmlab_ftab *t, const void *key)
{
	struct mmlab_ftab_slot *s;

	if (t->nr >= MMLAB_FTAB_SIZE / 2)
		return mmlab_ftab_find(t, key);
	s = mmlab_ftab_at(t, key);
	if (!s->key) {
		s->key = key;
		s->idx = t->nr++;
	}
	return s->idx;
}

#endif /* MMLAB_FOLIOTAB_H */
