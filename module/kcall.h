/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab calling layer: the kernel functions mmlab needs that are not
 * exported, resolved once at load, and called safely with IBT enforced.
 *
 * Debian 6.12 is built with CONFIG_X86_KERNEL_IBT: at boot the kernel seals
 * (overwrites the ENDBR of) every function whose address is never taken,
 * e.g. kallsyms_lookup_name, migrate_pages, rmap_walk.  An indirect call to
 * one is a #CP oops on an IBT CPU.  So each such function gets a module stub
 * with its exact prototype, and mmlab only ever makes direct calls to stubs:
 *
 *  - redirect path: an int3 kprobe on the stub's entry (the stubs are
 *    notrace, see kstubs.c) sets the instruction pointer to the kernel
 *    function and skips the stub, as fail_function does; the function
 *    returns straight to the stub's caller.  Entering the function this way
 *    is an iret, not an indirect call, so IBT does not apply.
 *  - direct path: the stub's body calls the function through a pointer.
 *    Used only where IBT is not enforced.
 *
 * A symbol is resolved from a kprobe registered on it (no kernel function
 * is called through a pointer for that), corrected back to the symbol's
 * start with sprint_symbol(), because a kprobe skips an ENDBR (or the seal
 * poison that replaced it).  Clones (.constprop.N, .isra.N, .part.N) and
 * aliases are tried in order.
 */
#ifndef MMLAB_KCALL_H
#define MMLAB_KCALL_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/mmzone.h>
#include <linux/pagewalk.h>
#include <linux/rmap.h>
#include <linux/page_counter.h>
#include <linux/memcontrol.h>
#include <linux/swap.h>
#include "compat.h"

/*
 * Every non-exported kernel symbol mmlab knows (names and aliases: the
 * table in kcall.c).  Those with a stub below can be called; the others
 * are only resolved, for the capabilities that will call or probe them.
 */
enum kc_sym {
	KC_kallsyms_lookup_name,
	KC_node_page_state,
	KC_walk_page_range,
	KC_migrate_pages,
	KC_alloc_migration_target,
	KC_folio_isolate_lru,
	KC_isolate_hugetlb,
	KC_putback_movable_pages,
	KC_lru_add_drain_all,
	KC_folio_mapcount,
	KC_rmap_walk,
	KC_page_vma_mapped_walk,
	KC_folio_referenced,
	KC_mem_cgroup_move_account,
	KC_page_counter_try_charge,
	KC_page_counter_uncharge,
	KC_memcg_page_state,
	KC_cgroup_rstat_flush,
	KC_get_swap_device,
	KC_split_huge_page,
	KC_swapper_spaces,
	KC_total_forks,
	KC_NR_SYMS
};

/* The variables some capabilities need (caps.c, and the code that reads them). */
#define MMLAB_SYMS_SWAPCACHE (BIT(KC_swapper_spaces) | BIT(KC_get_swap_device))
#define MMLAB_SYMS_FORK_CHECK BIT(KC_total_forks)
#define MMLAB_SYMS_RMAPWALK (BIT(KC_rmap_walk) | BIT(KC_page_vma_mapped_walk))

/* The stubs (kstubs.c), one per callable symbol, with its prototype. */
unsigned long mmlab_kc_kallsyms_lookup_name(const char *name);
unsigned long mmlab_kc_node_page_state(struct pglist_data *pgdat,
				       enum node_stat_item item);
int mmlab_kc_walk_page_range(struct mm_struct *mm, unsigned long start,
			     unsigned long end, const struct mm_walk_ops *ops,
			     void *private);
int mmlab_kc_migrate_pages(struct list_head *l, mmlab_new_t new, mmlab_free_t free,
			   unsigned long private, enum migrate_mode mode, int reason,
			   unsigned int *ret_succeeded);
mmlab_mig_t *mmlab_kc_alloc_migration_target(mmlab_mig_t *src, unsigned long private);
mmlab_isolate_ret mmlab_kc_folio_isolate_lru(struct folio *folio);
#ifdef MMLAB_HAVE_ISOLATE_HUGETLB_FOLIO
bool mmlab_kc_isolate_hugetlb(struct folio *folio, struct list_head *list);
#else
int mmlab_kc_isolate_hugetlb(struct page *page, struct list_head *list);
#endif
void mmlab_kc_putback_movable_pages(struct list_head *l);
void mmlab_kc_lru_add_drain_all(void);
int mmlab_kc_folio_mapcount(struct folio *folio);
void mmlab_kc_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc);
bool mmlab_kc_page_vma_mapped_walk(struct page_vma_mapped_walk *pvmw);
int mmlab_kc_folio_referenced(struct folio *folio, int is_locked, struct mem_cgroup *memcg,
			      unsigned long *vm_flags);

int mmlab_kc_mem_cgroup_move_account(struct page *page, bool compound,
				     struct mem_cgroup *from, struct mem_cgroup *to);
bool mmlab_kc_page_counter_try_charge(struct page_counter *counter, unsigned long nr_pages,
				      struct page_counter **fail);
void mmlab_kc_page_counter_uncharge(struct page_counter *counter, unsigned long nr_pages);
unsigned long mmlab_kc_memcg_page_state(struct mem_cgroup *memcg, int idx);
void mmlab_kc_cgroup_rstat_flush(struct cgroup *cgrp);
struct swap_info_struct *mmlab_kc_get_swap_device(swp_entry_t entry);
#ifdef MMLAB_HAVE_SPLIT_TO_ORDER
int mmlab_kc_split_huge_page(struct page *page, struct list_head *list, unsigned int new_order);
#else
int mmlab_kc_split_huge_page(struct page *page, struct list_head *list);
#endif

/* Direct calls to the stubs above are the only way mmlab calls them. */
#define kcall(id) mmlab_kc_##id

enum kcall_path { KCALL_DIRECT, KCALL_REDIRECT };

int mmlab_kcall_init(void);
void mmlab_kcall_exit(void);
bool mmlab_ksym_found(enum kc_sym id);
bool mmlab_ksym_callable(enum kc_sym id);
bool mmlab_ksym_data(enum kc_sym id);
unsigned long mmlab_ksym_addr(enum kc_sym id);
const char *mmlab_ksym_name(enum kc_sym id);
const char *mmlab_ksym_why(enum kc_sym id);
const char *mmlab_ksym_via(enum kc_sym id);
void *mmlab_kcall_body(enum kc_sym id);	/* for the stubs only */
bool mmlab_kcall_live(void);

/*
 * Releases whose redirect was missed where no direct call may be made
 * (release.c): done another way, or kept and retried, never skipped.
 */
void mmlab_release_missed_putback(struct list_head *l);
void mmlab_release_missed(enum kc_sym id);
void mmlab_release_exit(void);

struct mmlab_kcall_info {
	const char *mode;		/* the kcall= module parameter */
	enum kcall_path path;
	bool ibt_kernel, ibt_cpu, ibt_enforced, direct_refused;
	bool no_direct;			/* never call through a pointer */
	int selftest;			/* 0 ok, -errno failed */
	char selftest_msg[256];
};

extern struct mmlab_kcall_info mmlab_kcall;
int mmlab_kcall_selftest(char *msg, size_t len);

#endif /* MMLAB_KCALL_H */
