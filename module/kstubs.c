// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab stubs: one per non-exported kernel function mmlab calls, with its
 * exact prototype.  See kcall.h.
 *
 * Kept alone in this file and marked noipa so that no caller is compiled
 * with knowledge of a stub's body (inter-procedural register allocation
 * would otherwise assume the trivial body preserves registers the real
 * kernel function clobbers).  notrace, so that the redirect kprobe is an
 * int3 on the stub's first instruction: an ftrace-based kprobe costs a
 * pass over every ftrace record of the kernel at each arm and disarm
 * (about 4 of a load's 10 s on the debug kernel under TCG), an int3 one
 * a text_poke().
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include "kcall.h"

#define __kstub noinline

/*
 * A stub's body runs only on the direct path, or if the redirect kprobe
 * missed (then mmlab_kcall_body() counts it and refuses when IBT is
 * enforced, and the stub returns @fallback).
 */
#define KSTUB_CALL(id, fallback, args...) ({				\
	typeof(mmlab_kc_##id) *fn = mmlab_kcall_body(KC_##id);		\
	fn ? fn(args) : (fallback);					\
})

/*
 * The same for a function returning nothing: a missed call that may not
 * be made directly does nothing, or, for a release, @missed (release.c),
 * which must not skip it.
 */
#define KSTUB_VOID_OR(id, missed, args...) do {				\
	typeof(mmlab_kc_##id) *fn = mmlab_kcall_body(KC_##id);		\
									\
	if (fn)								\
		fn(args);						\
	else								\
		missed;							\
} while (0)
#define KSTUB_VOID(id, args...) KSTUB_VOID_OR(id, (void)0, args)

__kstub notrace __attribute__((__noipa__))
unsigned long mmlab_kc_kallsyms_lookup_name(const char *name)
{
	return KSTUB_CALL(kallsyms_lookup_name, 0, name);
}

__kstub notrace __attribute__((__noipa__))
unsigned long mmlab_kc_node_page_state(struct pglist_data *pgdat, enum node_stat_item item)
{
	return KSTUB_CALL(node_page_state, 0, pgdat, item);
}

__kstub notrace __attribute__((__noipa__))
int mmlab_kc_walk_page_range(struct mm_struct *mm, unsigned long start,
			     unsigned long end, const struct mm_walk_ops *ops,
			     void *private)
{
	return KSTUB_CALL(walk_page_range, -EOPNOTSUPP, mm, start, end, ops, private);
}

__kstub notrace __attribute__((__noipa__))
int mmlab_kc_migrate_pages(struct list_head *l, mmlab_new_t new, mmlab_free_t free,
			   unsigned long private, enum migrate_mode mode, int reason,
			   unsigned int *ret_succeeded)
{
	return KSTUB_CALL(migrate_pages, -EOPNOTSUPP, l, new, free, private, mode,
			  reason, ret_succeeded);
}

__kstub notrace __attribute__((__noipa__))
mmlab_mig_t *mmlab_kc_alloc_migration_target(mmlab_mig_t *src, unsigned long private)
{
	return KSTUB_CALL(alloc_migration_target, NULL, src, private);
}

__kstub notrace __attribute__((__noipa__))
mmlab_isolate_ret mmlab_kc_folio_isolate_lru(struct folio *folio)
{
	/* Never report success for a call that did not happen. */
	return KSTUB_CALL(folio_isolate_lru, MMLAB_ISOLATE_FAILED, folio);
}

#ifdef MMLAB_HAVE_ISOLATE_HUGETLB_FOLIO
__kstub notrace __attribute__((__noipa__))
bool mmlab_kc_isolate_hugetlb(struct folio *folio, struct list_head *list)
{
	return KSTUB_CALL(isolate_hugetlb, false, folio, list);
}
#else
__kstub notrace __attribute__((__noipa__))
int mmlab_kc_isolate_hugetlb(struct page *page, struct list_head *list)
{
	return KSTUB_CALL(isolate_hugetlb, -EBUSY, page, list);
}
#endif

__kstub notrace __attribute__((__noipa__))
void mmlab_kc_putback_movable_pages(struct list_head *l)
{
	KSTUB_VOID_OR(putback_movable_pages, mmlab_release_missed_putback(l), l);
}

__kstub notrace __attribute__((__noipa__))
void mmlab_kc_lru_add_drain_all(void)
{
	KSTUB_VOID(lru_add_drain_all);
}

__kstub notrace __attribute__((__noipa__))
int mmlab_kc_folio_mapcount(struct folio *folio)
{
	return KSTUB_CALL(folio_mapcount, 0, folio);
}

__kstub notrace __attribute__((__noipa__))
void mmlab_kc_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc)
{
	KSTUB_VOID(rmap_walk, folio, rwc);
}

__kstub notrace __attribute__((__noipa__))
bool mmlab_kc_page_vma_mapped_walk(struct page_vma_mapped_walk *pvmw)
{
	return KSTUB_CALL(page_vma_mapped_walk, false, pvmw);
}

__kstub notrace __attribute__((__noipa__))
int mmlab_kc_folio_referenced(struct folio *folio, int is_locked, struct mem_cgroup *memcg,
			      unsigned long *vm_flags)
{
	return KSTUB_CALL(folio_referenced, 0, folio, is_locked, memcg, vm_flags);
}

__kstub notrace __attribute__((__noipa__))
int mmlab_kc_mem_cgroup_move_account(struct page *page, bool compound,
				     struct mem_cgroup *from, struct mem_cgroup *to)
{
	return KSTUB_CALL(mem_cgroup_move_account, -EOPNOTSUPP, page, compound, from, to);
}

__kstub notrace __attribute__((__noipa__))
bool mmlab_kc_page_counter_try_charge(struct page_counter *counter, unsigned long nr_pages,
				      struct page_counter **fail)
{
	return KSTUB_CALL(page_counter_try_charge, false, counter, nr_pages, fail);
}

__kstub notrace __attribute__((__noipa__))
void mmlab_kc_page_counter_uncharge(struct page_counter *counter, unsigned long nr_pages)
{
	KSTUB_VOID_OR(page_counter_uncharge, mmlab_release_missed(KC_page_counter_uncharge),
		      counter, nr_pages);
}

__kstub notrace __attribute__((__noipa__))
unsigned long mmlab_kc_memcg_page_state(struct mem_cgroup *memcg, int idx)
{
	return KSTUB_CALL(memcg_page_state, 0, memcg, idx);
}

__kstub notrace __attribute__((__noipa__))
void mmlab_kc_cgroup_rstat_flush(struct cgroup *cgrp)
{
	KSTUB_VOID(cgroup_rstat_flush, cgrp);
}

__kstub notrace __attribute__((__noipa__))
struct swap_info_struct *mmlab_kc_get_swap_device(swp_entry_t entry)
{
	return KSTUB_CALL(get_swap_device, NULL, entry);
}

#ifdef MMLAB_HAVE_SPLIT_TO_ORDER
__kstub notrace __attribute__((__noipa__))
int mmlab_kc_split_huge_page(struct page *page, struct list_head *list, unsigned int new_order)
{
	return KSTUB_CALL(split_huge_page, -EOPNOTSUPP, page, list, new_order);
}
#else
__kstub notrace __attribute__((__noipa__))
int mmlab_kc_split_huge_page(struct page *page, struct list_head *list)
{
	return KSTUB_CALL(split_huge_page, -EOPNOTSUPP, page, list);
}
#endif
