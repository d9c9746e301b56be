// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab folio holds: LRU (or hugetlb) isolation as move_pages(2) does it,
 * and the registry of the folios mmlab holds locked.
 *
 * A folio an mmlab lock holds (pin.c's `lock` verb) would make mmlab's own
 * sync migration or rmap walk of it wait for ever (folio_lock() is not
 * killable in migration), so those ask mmlab_held_locked() first and refuse.
 */
#include <linux/mm.h>
#include <linux/hugetlb.h>
#include <linux/mm_inline.h>
#include <linux/spinlock.h>
#include <linux/vmstat.h>
#include "core.h"
#include "kcall.h"

static bool mmlab_isolate_hugetlb(struct folio *folio, struct list_head *list)
{
#ifdef MMLAB_HAVE_ISOLATE_HUGETLB_FOLIO
	return kcall(isolate_hugetlb)(folio, list);
#else
	return kcall(isolate_hugetlb)(&folio->page, list) == 0;
#endif
}

/* Isolate as the kernel's move_pages() does; 0 or -EBUSY. */
int mmlab_isolate(struct folio *folio, struct list_head *list)
{
	if (folio_test_hugetlb(folio))
		return mmlab_isolate_hugetlb(folio, list) ? 0 : -EBUSY;
	if (!MMLAB_ISOLATED(kcall(folio_isolate_lru)(folio)))
		return -EBUSY;
	list_add_tail(&folio->lru, list);
	node_stat_mod_folio(folio, NR_ISOLATED_ANON + folio_is_file_lru(folio),
			    folio_nr_pages(folio));
	return 0;
}

static LIST_HEAD(locked_folios);
static DEFINE_SPINLOCK(locked_lock);

/* @folio, locked by the caller, is held locked by mmlab until mmlab_held_del(). */
void mmlab_held_add(struct mmlab_held *h, struct folio *folio)
{
	h->folio = folio;
	spin_lock(&locked_lock);
	list_add(&h->node, &locked_folios);
	spin_unlock(&locked_lock);
}

void mmlab_held_del(struct mmlab_held *h)
{
	spin_lock(&locked_lock);
	list_del(&h->node);
	spin_unlock(&locked_lock);
}

bool mmlab_held_locked(struct folio *folio)
{
	struct mmlab_held *h;
	bool held = false;

	spin_lock(&locked_lock);
	list_for_each_entry(h, &locked_folios, node)
		held |= h->folio == folio;
	spin_unlock(&locked_lock);
	return held;
}
