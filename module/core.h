/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab layer 2, the core: the helpers commands are built from.  Each
 * returns an errno (and, for the target walk, a reason through
 * mmlab_fail()); none writes a reply line or names a command.
 *
 *   target.c    the target process and what its pages map (page-table walk)
 *   pageinfo.c  the state of one page, as a snapshot
 *   hold.c      LRU isolation, and the folios mmlab holds locked
 *   rmapwalk.c  the rmap walk and its consistency check
 *   caps.c      which verbs this kernel can run; mmlab_run() runs a handler
 */
#ifndef MMLAB_CORE_H
#define MMLAB_CORE_H

#include <linux/mm_types.h>
#include <linux/sched.h>
#include "base.h"

/* ---- target pages (target.c) -------------------------------------------- */
enum mmlab_map {
	MMLAB_MAP_NONE,		/* nothing mapped (pte none, or no vma) */
	MMLAB_MAP_PTE,		/* present pte */
	MMLAB_MAP_PMD,		/* part of a PMD-mapped THP */
	MMLAB_MAP_HUGETLB,	/* hugetlb page */
	MMLAB_MAP_ZERO,		/* the shared zero page (or huge zero page) */
	MMLAB_MAP_SWAP,		/* swap entry */
	MMLAB_MAP_MIGRATION,	/* migration entry */
	MMLAB_MAP_SPECIAL,	/* pfn/special/device mapping, VM_IO or VM_PFNMAP */
	/*
	 * Device-private entry: the page is in device memory, mapped (and
	 * counted in the rmap) through a swap-type pte; no CPU access.
	 */
	MMLAB_MAP_DEVICE_PRIVATE,
};

/* What one virtual page maps, found under the page-table lock. */
struct mmlab_page {
	unsigned long addr;
	enum mmlab_map map;
	struct page *page;	/* the mapped page, or NULL */
	bool ref;		/* this entry holds one reference on page's folio */
	bool young, dirty;	/* pte/pmd bits */
	unsigned long vm_flags;
	unsigned long swp;	/* swap or migration entry value */
};

struct mmlab_target {
	pid_t pid;
	struct mm_struct *mm;	/* holds mm_users: the address space stays */
	unsigned long start, end;	/* page aligned, end exclusive */
};

#define MMLAB_BATCH 512		/* pages walked, and handled, at a time */

int mmlab_folio_run(const struct mmlab_page *p, int n);

int mmlab_check_node(struct mmlab_ctx *ctx, int node);
int mmlab_target_get(struct mmlab_ctx *ctx, struct mmlab_target *t);
void mmlab_target_put(struct mmlab_target *t);
int mmlab_walk_n(struct mmlab_ctx *ctx, struct mmlab_target *t, unsigned long start, int nr,
		 struct mmlab_page *pages);
int mmlab_walk(struct mmlab_ctx *ctx, struct mmlab_target *t, unsigned long start,
	       struct mmlab_page *pages);
void mmlab_pages_put(struct mmlab_page *pages, int n);
typedef void mmlab_batch_fn(struct mmlab_ctx *ctx, struct mmlab_page *pages, int n, void *arg);
int mmlab_range_batches(struct mmlab_ctx *ctx, mmlab_batch_fn *fn, void *arg);
struct folio *mmlab_swapcache_folio(unsigned long swp);
int mmlab_ours(const struct mmlab_page *pages, int n, struct folio *folio);
struct mmlab_ftab;
void mmlab_pages_index(const struct mmlab_page *pages, int n, struct mmlab_ftab *t, int *of,
		       int *ours);
const char *mmlab_map_name(enum mmlab_map map);

/* ---- page state (pageinfo.c) --------------------------------------------- */
struct mmlab_pstate {
	enum mmlab_map map;
	unsigned long pfn;
	int nid;
	/*
	 * Large folios that are not hugetlb (compat.h; -1: not on this
	 * kernel), placed in what was padding: migrate keeps a snapshot per
	 * page and one on a stack that KASAN's frame limit already fills.
	 */
	int large_mapcount;	/* 6.12's _large_mapcount */
	const char *zone;
	unsigned int order;
	s8 partially_mapped;	/* 6.12's PG_partially_mapped */
	bool deferred_split;	/* on the deferred-split queue (a snapshot) */
	const char *kind;
	char flags[160];
	int refs;		/* folio refcount, mmlab's own references excluded */
	int mapcount;		/* of this page */
	int folio_mapcount;
	int entire_mapcount;	/* large folios: PMD mappings */
	unsigned short memcg_id;
	bool mlocked, unevictable, dirty, swapcache, vma_locked;
	bool writeback;
	unsigned long swap;	/* a swapcache folio's swap entry (of this page) */
	u32 csum;
};

void mmlab_pstate(const struct mmlab_page *p, int ours, bool csum, struct mmlab_pstate *st);
void mmlab_pstate_mig(const struct mmlab_page *p, int ours, bool csum,
		      const struct mmlab_pstate *prev, struct mmlab_pstate *st);
struct folio *mmlab_page_folio(const struct mmlab_page *p);
int mmlab_folio_mapcount(struct folio *folio);
int mmlab_page_mapcount(struct folio *folio, struct page *page);
void mmlab_add_name(char *buf, size_t len, bool set, const char *name);

/* ---- folio holds: isolation, and the folios mmlab holds locked (hold.c) -- */
int mmlab_isolate(struct folio *folio, struct list_head *list);

struct mmlab_held {
	struct list_head node;	/* in the registry */
	struct folio *folio;
};

void mmlab_held_add(struct mmlab_held *h, struct folio *folio);
void mmlab_held_del(struct mmlab_held *h);
bool mmlab_held_locked(struct folio *folio);

/* ---- the rmap walk (rmapwalk.c) ------------------------------------------ */
#define MMLAB_RMAP_LISTED_MAX 4096	/* vmas listed one by one; the rest counted */

enum mmlab_rmap_level { MMLAB_RMAP_PTE, MMLAB_RMAP_PMD, MMLAB_RMAP_HUGETLB };

/* One vma that maps the folio. */
struct mmlab_rmap_map {
	const struct mm_struct *mm;	/* compared, never dereferenced */
	unsigned long vm_start, vm_end, vm_flags;
	unsigned long addr;	/* of the target page, else of the folio's first entry */
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u8 level;
	bool young, dirty;
	bool page;		/* maps the target page */
	int ptes;		/* pages of the folio it maps by PTE */
	int first, last;	/* the first and last of them (index in the folio), or -1 */
	unsigned long base;	/* where page 0 of the folio is, or would be, in the vma */
};

struct mmlab_rmap_result {
	struct page *page;	/* the target page */
	struct mmlab_rmap_map *maps;
	int listed, vmas;	/* vma records kept, vmas seen */
	int found;		/* mappings of the target page */
	int pmds, ptes;		/* entries mapping the folio: PMD (or hugetlb), PTE */
	int young;		/* of those, with the accessed bit set */
	int overlaps;		/* mappings seen again through a second vma */
	/*
	 * Every page of a large folio (not hugetlb), when the caller asked
	 * (mmlab_rmap_pages_alloc()): PTE entries found mapping each page,
	 * and the kernel's mapcount of each, read after the walk.  nr is 0
	 * when not tracked.
	 */
	int nr;
	int *page_found, *page_count;
};

/* The kernel's own counts, read under the folio lock. */
struct mmlab_rmap_counts {
	int mapcount, folio_mapcount, entire;
	/* Of page_count[], plain and weighted by index; ints: no padding, memcmp()ed. */
	int page_sum, page_wsum;
};

/*
 * The largest folio whose pages are tracked one by one: PMD order, the
 * largest anon, shmem or page-cache folio on x86-64 (MAX_PAGECACHE_ORDER).
 */
#define MMLAB_RMAP_PAGES_MAX 512

int mmlab_rmap_pages_alloc(struct mmlab_rmap_result *r, struct folio *folio);
void mmlab_rmap_pages_free(struct mmlab_rmap_result *r);
int mmlab_rmap_page_mismatches(const struct mmlab_rmap_result *r, int *first_bad);

/* Walk the locked folio once; with the kernel's counts, until they hold still. */
void mmlab_rmap_list(struct folio *folio, struct page *page, struct mmlab_rmap_result *r);
bool mmlab_rmap_stable_walk(struct folio *folio, struct page *page,
			    struct mmlab_rmap_result *r, struct mmlab_rmap_counts *c);
bool mmlab_rmap_agrees(struct folio *folio, const struct mmlab_rmap_result *r,
		       const struct mmlab_rmap_counts *c);
int mmlab_rmap_consistent(struct page *page);

/* ---- capabilities, and running a command's handler (caps.c) ----------- */
const char *mmlab_verb_unavailable(enum mmlab_verb verb, char *buf, size_t len);
const char *mmlab_syms_why(unsigned long syms, char *buf, size_t len);
bool mmlab_syms_ok(unsigned long syms);
unsigned int mmlab_nr_caps(void);
const char *mmlab_cap_name(unsigned int i);
const char *mmlab_cap_why(unsigned int i, char *buf, size_t len);
int mmlab_run(struct mmlab_ctx *ctx, mmlab_handler handler);

#endif /* MMLAB_CORE_H */
