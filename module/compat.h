/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab: the one place where kernel-version differences live.
 *
 * Targets: Debian 6.1 (bookworm) and 6.12 (bookworm-backports).  Prefer a
 * test of the interface itself over LINUX_VERSION_CODE where a stable update
 * may change an interface without a version bump.
 */
#ifndef MMLAB_COMPAT_H
#define MMLAB_COMPAT_H

#include <linux/kconfig.h>
#include <linux/migrate.h>
#include <linux/hugetlb.h>
#include <linux/swapops.h>
#include <linux/huge_mm.h>
#include <linux/mm.h>

/*
 * cgroup-v1 memcg (and with it the charge mover) became optional in 6.10
 * (CONFIG_MEMCG_V1); Debian's 6.12 is built without it.  Kbuild defines
 * MMLAB_MEMCG_V1_OPTIONAL when the target's memcontrol.h knows the option.
 */
#if defined(MMLAB_MEMCG_V1_OPTIONAL) && !IS_ENABLED(CONFIG_MEMCG_V1)
#define MMLAB_HAVE_MEMCG_V1 0
#else
#define MMLAB_HAVE_MEMCG_V1 IS_ENABLED(CONFIG_MEMCG)
#endif

/*
 * Interfaces of mm/internal.h are not in the headers, so no feature probe:
 * Kbuild defines these from the target's VERSION and PATCHLEVEL.
 *   MMLAB_ISOLATE_LRU_BOOL  folio_isolate_lru() returns bool, true on
 *                           success (6.4+); before, int, 0 on success.
 *   MMLAB_MTC_HAS_REASON    struct migration_target_control has the
 *                           migrate reason (read for hugetlb); seen in 6.12.
 *   MMLAB_HUGETLB_CACHE_PER_PAGE  hugetlb's page cache holds a reference
 *                           per base page, and migration's refcount checks
 *                           count them (6.7+); 6.1: one per huge page.
 */
#ifdef MMLAB_ISOLATE_LRU_BOOL
#define mmlab_isolate_ret bool
#define MMLAB_ISOLATED(ret) (ret)
#define MMLAB_ISOLATE_FAILED false
#else
#define mmlab_isolate_ret int
#define MMLAB_ISOLATED(ret) ((ret) == 0)
#define MMLAB_ISOLATE_FAILED (-EBUSY)
#endif

/*
 * MMLAB_MOVE_ACCOUNT_CALLER_LOCKS (Kbuild, 6.2+): mem_cgroup_move_account()
 * wants its caller to hold the folio lock; 6.1's took a trylock itself.
 */
#ifdef MMLAB_MOVE_ACCOUNT_CALLER_LOCKS
#define MMLAB_MOVER_LOCKS_FOLIO true
#else
#define MMLAB_MOVER_LOCKS_FOLIO false
#endif

/*
 * The swap cache is one address space per SWAP_ADDRESS_SPACE_PAGES slots
 * of a swap device (swapper_spaces[type][offset >> 14], mm/swap.h).  Which
 * index a slot has in its space: 6.12 (Kbuild's MMLAB_SWAP_INDEX_IN_SPACE,
 * "mm/swap: reduce swap cache search space", v6.12-rc1) keeps only the
 * offset within the space, swap_cache_index(); 6.1 the whole swp_offset.
 */
#define MMLAB_SWAP_SPACE_SHIFT 14	/* SWAP_ADDRESS_SPACE_SHIFT, mm/swap.h */

static inline pgoff_t mmlab_swap_cache_index(swp_entry_t entry)
{
#ifdef MMLAB_SWAP_INDEX_IN_SPACE
	return swp_offset(entry) & ((1UL << MMLAB_SWAP_SPACE_SHIFT) - 1);
#else
	return swp_offset(entry);
#endif
}

/* Private argument of alloc_migration_target(); checked on 6.1 and 6.12. */
struct mmlab_mtc {
	int nid;
	nodemask_t *nmask;
	gfp_t gfp_mask;
#ifdef MMLAB_MTC_HAS_REASON
	enum migrate_reason reason;
#endif
};

/* The migration allocation callbacks went from pages to folios. */
#ifdef MMLAB_HAVE_NEW_FOLIO_T
#define mmlab_mig_t struct folio
#define mmlab_new_t new_folio_t
#define mmlab_free_t free_folio_t
#define mmlab_mig_folio(p) (p)
#else
#define mmlab_mig_t struct page
#define mmlab_new_t new_page_t
#define mmlab_free_t free_page_t
#define mmlab_mig_folio(p) page_folio(p)
#endif

/* One FOLL_PIN reference on the page at @addr (mmap_lock held for read). */
static inline long mmlab_pin_user_page(struct mm_struct *mm, unsigned long addr,
				       struct page **page)
{
#ifdef MMLAB_GUP_HAS_VMAS
	return pin_user_pages_remote(mm, addr, 1, 0, page, NULL, NULL);
#else
	return pin_user_pages_remote(mm, addr, 1, 0, page, NULL);
#endif
}

#ifdef CONFIG_HUGETLB_PAGE
static inline pte_t mmlab_huge_ptep_get(struct mm_struct *mm, unsigned long addr,
					pte_t *ptep)
{
#ifdef MMLAB_HUGE_PTEP_GET_MM
	return huge_ptep_get(mm, addr, ptep);
#else
	return huge_ptep_get(ptep);
#endif
}
#endif

/*
 * Large folios.  What a reviewer of a large-folio patch asks of one, read
 * lockless under the walk's folio reference, as /proc/kpageflags reads
 * flags: a snapshot that a concurrent split, unmap or shrinker may change
 * the moment after.  Only for a large folio that is not hugetlb.
 *
 * The deferred-split queue: 6.12 links it through folio->_deferred_list,
 * which exists for a large_rmappable folio of order 2 or more (an order-1
 * folio has no third page to hold it); 6.1 through page[2].deferred_list,
 * page_deferred_list(), which prep_transhuge_page() initialised for a
 * folio of TRANSHUGE_PAGE_DTOR only (a hugetlb or other compound page
 * uses those words for something else).  Read as list_empty() without
 * split_queue_lock, as 6.12's migrate_pages_batch() reads it.
 */
static inline bool mmlab_folio_has_deferred_list(struct folio *folio)
{
	if (folio_order(folio) < 2 || folio_test_hugetlb(folio))
		return false;
#ifdef MMLAB_HAVE_FOLIO_DEFERRED_LIST
	return folio_test_large_rmappable(folio);
#else
	return folio->_folio_dtor == TRANSHUGE_PAGE_DTOR;
#endif
}

static inline bool mmlab_folio_deferred_split(struct folio *folio)
{
	if (!mmlab_folio_has_deferred_list(folio))
		return false;
#ifdef MMLAB_HAVE_FOLIO_DEFERRED_LIST
	/* Racy by design: split_queue_lock not held, a snapshot. */
	return !data_race(list_empty(&folio->_deferred_list));
#else
	/* Racy by design: split_queue_lock not held, a snapshot. */
	return !data_race(list_empty(page_deferred_list(&folio->page)));
#endif
}

/*
 * PG_partially_mapped (6.12): set when deferred_split_folio() queues a
 * folio some of whose pages were unmapped.  6.1 has no such flag (its
 * queue holds partially unmapped THPs only): -1, "not on this kernel".
 */
static inline int mmlab_folio_partially_mapped(struct folio *folio)
{
#ifdef MMLAB_HAVE_PARTIALLY_MAPPED
	return folio_test_partially_mapped(folio);
#else
	return -1;
#endif
}

/*
 * _large_mapcount (6.12): every mapping of any page of a large folio,
 * PMD or PTE, counted once; what 6.12's folio_mapcount() returns.  6.1
 * sums the pages' mapcounts instead: -1, not on this kernel.
 */
static inline int mmlab_folio_large_mapcount(struct folio *folio)
{
#ifdef MMLAB_HAVE_LARGE_MAPCOUNT
	return folio_large_mapcount(folio);
#else
	return -1;
#endif
}

/*
 * The mapcount of one page of a folio: its PTE mappings plus the folio's
 * PMD mappings, which /proc/kpagecount reports.  6.1 has page_mapcount(),
 * whose rules for file THPs (their _mapcount includes the PMD mappings)
 * and anon PageDoubleMap a raw reading of _mapcount would get wrong; 6.12
 * is folio_precise_page_mapcount(): _mapcount + 1 + _entire_mapcount
 * (a private mm/internal.h helper, so spelled out).
 */
static inline int mmlab_precise_page_mapcount(struct folio *folio, struct page *page)
{
#ifndef MMLAB_HAVE_INLINE_FOLIO_MAPCOUNT
	return page_mapcount(page);
#else
	int n;

	if (folio_test_hugetlb(folio))
		return folio_mapcount(folio);	/* mapped whole, never by page */
	n = atomic_read(&page->_mapcount) + 1;
	if (n < 0)
		n = 0;	/* a page type, not a mapcount */
	if (folio_test_large(folio))
		n += folio_entire_mapcount(folio);
	return n;
#endif
}

/*
 * What the cgroup-v1 charge mover, mem_cgroup_move_charge_pte_range(),
 * does with a large folio it meets through one page-table entry of the
 * moving task (@pmd: a PMD mapping).  Mapped by PTEs it is skipped (6.1
 * PageTransCompound(), 6.12 folio_test_large(): "a part of the split pmd
 * ... keep it in original memcg").  Mapped by a PMD it moves whole, except
 * that since "mm/thp: fix deferred split unqueue naming and locking"
 * (6.12-rc, MMLAB_MOVER_SPLITS_DEFERRED) a folio on the deferred-split
 * queue is split first (the queue is per memcg) and its pages moved one by
 * one, or skipped if the split fails; 6.12 queues every new anon PMD THP
 * (shrink_underused).  6.1 moves a queued one whole.
 */
enum mmlab_mover_fate { MMLAB_MOVER_MOVES, MMLAB_MOVER_SKIPS, MMLAB_MOVER_SPLITS };

static inline enum mmlab_mover_fate mmlab_mover_large(struct folio *folio, bool pmd)
{
	if (!folio_test_large(folio))
		return MMLAB_MOVER_MOVES;
	if (!pmd)
		return MMLAB_MOVER_SKIPS;
#ifdef MMLAB_MOVER_SPLITS_DEFERRED
	if (mmlab_folio_deferred_split(folio))
		return MMLAB_MOVER_SPLITS;
#endif
	return MMLAB_MOVER_MOVES;
}

#endif /* MMLAB_COMPAT_H */
