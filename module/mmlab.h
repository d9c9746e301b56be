/* SPDX-License-Identifier: GPL-2.0 */
/* mmlab: what the module's files share. */
#ifndef MMLAB_H
#define MMLAB_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/fs.h>
#include "base.h"

extern const struct file_operations mmlab_stats_fops;


extern const struct file_operations mmlab_control_fops;

/* ---- capabilities, and running a command's handler (caps.c) ----------- */
const char *mmlab_verb_unavailable(enum mmlab_verb verb, char *buf, size_t len);
unsigned int mmlab_nr_caps(void);
const char *mmlab_cap_name(unsigned int i);
const char *mmlab_cap_why(unsigned int i, char *buf, size_t len);
int mmlab_run(struct mmlab_ctx *ctx, mmlab_handler handler);

/* ---- the features file (features.c) --------------------------------------- */
extern const struct file_operations mmlab_features_fops;

/* ---- probes file (probes.c) -------------------------------------------- */
extern const struct file_operations mmlab_probes_fops;
void mmlab_probes_exit(void);
void mmlab_scope_enter(void);	/* current runs an mmlab command */
void mmlab_scope_exit(void);

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

int mmlab_target_get(struct mmlab_ctx *ctx, struct mmlab_target *t);
void mmlab_target_put(struct mmlab_target *t);
int mmlab_walk(struct mmlab_ctx *ctx, struct mmlab_target *t, unsigned long start,
	       struct mmlab_page *pages);
void mmlab_pages_put(struct mmlab_page *pages, int n);
typedef void mmlab_batch_fn(struct mmlab_ctx *ctx, struct mmlab_page *pages, int n, void *arg);
int mmlab_range_batches(struct mmlab_ctx *ctx, mmlab_batch_fn *fn, void *arg);
struct folio *mmlab_swapcache_folio(unsigned long swp);
int mmlab_ours(const struct mmlab_page *pages, int n, struct folio *folio);
const char *mmlab_map_name(enum mmlab_map map);

/* ---- page state (pageinfo.c) --------------------------------------------- */
struct mmlab_pstate {
	enum mmlab_map map;
	unsigned long pfn;
	int nid;
	const char *zone;
	unsigned int order;
	const char *kind;
	char flags[160];
	int refs;		/* folio refcount, mmlab's own references excluded */
	int mapcount;		/* of this page */
	int folio_mapcount;
	int entire_mapcount;	/* large folios: PMD mappings */
	unsigned short memcg_id;
	bool mlocked, unevictable, dirty, swapcache, vma_locked;
	u32 csum;
};

void mmlab_pstate(const struct mmlab_page *p, int ours, bool csum, struct mmlab_pstate *st);
struct folio *mmlab_page_folio(const struct mmlab_page *p);
int mmlab_folio_mapcount(struct folio *folio);
int mmlab_page_mapcount(struct folio *folio, struct page *page);
void mmlab_add_name(char *buf, size_t len, bool set, const char *name);

/* ---- an ftrace kprobe entered through an int3 (kguard.c) ----------------- */
struct kprobe;
struct pt_regs;
bool mmlab_kprobe_stale_int3(struct kprobe *kp, struct pt_regs *regs);
int mmlab_kguard_register(struct kprobe *guard, const char *symbol);

/* ---- what the mmlab:* tracepoints carry (mmlab_trace.h) ------------------ */
struct mmlab_tp_migrate {
	int pid;
	unsigned long addr, old_pfn, new_pfn;
	int old_nid, new_nid;
	unsigned int old_order, new_order;
	int err, refs, expected_refs, attempts, batch_pages;
	u64 batch_ns;		/* the migrate_pages() call of the page's batch */
	const char *result, *reason, *kind, *checks;
};

struct mmlab_tp_charge {
	unsigned long addr, pfn;
	unsigned int order;
	int mapcount;		/* -1: not moved */
	unsigned short from_id, to_id;
	const char *pte, *result, *reason;
};

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
};

struct mmlab_rmap_result {
	struct page *page;	/* the target page */
	struct mmlab_rmap_map *maps;
	int listed, vmas;	/* vma records kept, vmas seen */
	int found;		/* mappings of the target page */
	int pmds, ptes;		/* entries mapping the folio: PMD (or hugetlb), PTE */
	int young;		/* of those, with the accessed bit set */
	int overlaps;		/* mappings seen again through a second vma */
};

/* The kernel's own counts, read under the folio lock. */
struct mmlab_rmap_counts {
	int mapcount, folio_mapcount, entire;
};

/* Walk the locked folio once; with the kernel's counts, until they hold still. */
void mmlab_rmap_list(struct folio *folio, struct page *page, struct mmlab_rmap_result *r);
bool mmlab_rmap_stable_walk(struct folio *folio, struct page *page,
			    struct mmlab_rmap_result *r, struct mmlab_rmap_counts *c);
bool mmlab_rmap_agrees(struct folio *folio, const struct mmlab_rmap_result *r,
		       const struct mmlab_rmap_counts *c);
int mmlab_rmap_consistent(struct page *page);

/* ---- pins (pin.c) --------------------------------------------------------- */
void mmlab_pins_release(struct mmlab_fd *fd);

/* ---- migration attempts seen by the kernel (observe.c) ------------------- */
int mmlab_observe_init(void);
void mmlab_observe_exit(void);
void mmlab_observe_begin(void);
int mmlab_observe_end(int *attempts);	/* last error move_to_new_folio() returned */

/* ---- the kernel's charge mover, watched (mcwatch.c) ---------------------- */
void mmlab_mcwatch_init(void);
void mmlab_mcwatch_exit(void);
const char *mmlab_mcwatch_why(void);
bool mmlab_mc_page_unmapped(struct pt_regs *regs);	/* kprobe entry test */

/* ---- commands ------------------------------------------------------------ */
int mmlab_cmd_selftest(struct mmlab_ctx *ctx);
int mmlab_cmd_inspect(struct mmlab_ctx *ctx);
int mmlab_cmd_migrate(struct mmlab_ctx *ctx);
int mmlab_cmd_rmap(struct mmlab_ctx *ctx);
int mmlab_cmd_move_charge(struct mmlab_ctx *ctx);
int mmlab_cmd_pin(struct mmlab_ctx *ctx);
int mmlab_cmd_unpin(struct mmlab_ctx *ctx);
int mmlab_cmd_scan(struct mmlab_ctx *ctx);
int mmlab_cmd_copy(struct mmlab_ctx *ctx);
int mmlab_cmd_stress(struct mmlab_ctx *ctx);
int mmlab_cmd_reset(struct mmlab_ctx *ctx);

#endif /* MMLAB_H */
