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

#endif /* MMLAB_COMPAT_H */
