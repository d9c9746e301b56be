// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab targets: the process named by pid=, and what each virtual page of
 * addr= len= maps, found with the kernel's page-table walker under the
 * mmap lock and the page-table locks, as the kernel does it.
 *
 * Every page found gets a folio reference taken under its page-table lock,
 * so it cannot be freed while mmlab looks at it; mmlab_pages_put() drops
 * them.  The walk changes nothing: no faults, no THP split, no accessed bit.
 */
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/mmap_lock.h>
#include <linux/pagewalk.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/hugetlb.h>
#include <linux/huge_mm.h>
#include "core.h"
#include "kcall.h"
#include "foliotab.h"

static const char * const map_names[] = {
	[MMLAB_MAP_NONE] = "none",
	[MMLAB_MAP_PTE] = "pte",
	[MMLAB_MAP_PMD] = "pmd",
	[MMLAB_MAP_HUGETLB] = "hugetlb",
	[MMLAB_MAP_ZERO] = "zero",
	[MMLAB_MAP_SWAP] = "swap",
	[MMLAB_MAP_MIGRATION] = "migration",
	[MMLAB_MAP_SPECIAL] = "special",
	[MMLAB_MAP_DEVICE_PRIVATE] = "device_private",
};

const char *mmlab_map_name(enum mmlab_map map)
{
	return map_names[map];
}

/*
 * A node= pages can be put on: online, with memory.  node= parses up to
 * 1023 whatever the kernel: a node id past nr_node_ids (MAX_NUMNODES is 64
 * on the lab kernel) must not reach the node bitmaps.
 */
int mmlab_check_node(struct mmlab_ctx *ctx, int node)
{
	if (node >= nr_node_ids || !node_online(node))
		return mmlab_fail(ctx, -ENODEV, "node %d is not online", node);
	if (!node_state(node, N_MEMORY))
		return mmlab_fail(ctx, -ENODEV, "node %d has no memory", node);
	return 0;
}

int mmlab_target_get(struct mmlab_ctx *ctx, struct mmlab_target *t)
{
	const struct mmlab_cmd *cmd = ctx->cmd;
	unsigned long addr = cmd->num[MMLAB_KEY_addr];
	unsigned long len = mmlab_has(cmd, MMLAB_KEY_len) ? cmd->num[MMLAB_KEY_len] : 1;
	struct task_struct *task;
	struct pid *pid;

	if (addr >= TASK_SIZE_MAX || len > TASK_SIZE_MAX - addr)
		return mmlab_fail(ctx, -EFAULT, "0x%lx is not a user address", addr);
	t->pid = cmd->num[MMLAB_KEY_pid];
	t->start = addr & PAGE_MASK;
	t->end = PAGE_ALIGN(addr + len);
	pid = find_get_pid(t->pid);
	task = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	put_pid(pid);
	if (!task)
		return mmlab_fail(ctx, -ESRCH, "no process %d", t->pid);
	t->mm = get_task_mm(task);
	put_task_struct(task);
	if (!t->mm)
		return mmlab_fail(ctx, -ESRCH, "process %d has no mm (kernel thread or exiting)",
				  t->pid);
	return 0;
}

void mmlab_target_put(struct mmlab_target *t)
{
	mmput(t->mm);
}

struct walk_state {
	struct mmlab_page *pages;
	unsigned long start;
	int n;
};

static struct mmlab_page *slot(struct mm_walk *walk, unsigned long addr)
{
	struct walk_state *ws = walk->private;
	unsigned long i = (addr - ws->start) >> PAGE_SHIFT;

	return i < ws->n ? &ws->pages[i] : NULL;
}

/*
 * Take a folio reference for @p, under the page-table lock.  Consecutive
 * pages of one folio share the reference taken for the first of them.
 */
static void hold(struct mm_walk *walk, struct mmlab_page *p, struct page *page)
{
	struct walk_state *ws = walk->private;
	struct mmlab_page *prev = p > ws->pages ? p - 1 : NULL;
	struct folio *folio = page_folio(page);

	if (prev && prev->page && prev->map == p->map && page_folio(prev->page) == folio) {
		p->page = page;
		return;
	}
	if (folio_try_get(folio)) {
		p->page = page;
		p->ref = true;
	} else {
		p->map = MMLAB_MAP_NONE;	/* being freed right now */
	}
}

static int walk_pte(pte_t *ptep, unsigned long addr, unsigned long next,
		    struct mm_walk *walk)
{
	struct mmlab_page *p = slot(walk, addr);
	pte_t pte = ptep_get(ptep);
	unsigned long pfn;
	swp_entry_t e;

	if (!p || pte_none(pte))
		return 0;
	p->vm_flags = walk->vma->vm_flags;
	if (!pte_present(pte)) {
		e = pte_to_swp_entry(pte);
		p->swp = e.val;
		if (is_migration_entry(e)) {
			p->map = MMLAB_MAP_MIGRATION;
		} else if (is_device_private_entry(e)) {
			/* Its struct page is real (ZONE_DEVICE): held like any other. */
			p->map = MMLAB_MAP_DEVICE_PRIVATE;
			hold(walk, p, pfn_swap_entry_to_page(e));
		} else {
			p->map = non_swap_entry(e) ? MMLAB_MAP_SPECIAL : MMLAB_MAP_SWAP;
		}
		return 0;
	}
	pfn = pte_pfn(pte);
	p->young = pte_young(pte);
	p->dirty = pte_dirty(pte);
	if (is_zero_pfn(pfn)) {
		p->map = MMLAB_MAP_ZERO;	/* never freed: no reference needed */
		p->page = pfn_to_page(pfn);
		return 0;
	}
	if (pte_special(pte) || !pfn_valid(pfn)) {
		p->map = MMLAB_MAP_SPECIAL;
		return 0;
	}
	p->map = MMLAB_MAP_PTE;
	hold(walk, p, pfn_to_page(pfn));
	return 0;
}

/* A PMD-mapped THP is handled here whole, so that the walker never splits it. */
static int walk_pmd(pmd_t *pmdp, unsigned long addr, unsigned long next,
		    struct mm_walk *walk)
{
	struct mmlab_page *p;
	spinlock_t *ptl;	/* the PMD's page-table lock */
	struct page *head;
	unsigned long a;
	pmd_t pmd;

	ptl = pmd_lock(walk->mm, pmdp);
	pmd = *pmdp;
	if (!pmd_trans_huge(pmd) && !is_pmd_migration_entry(pmd)) {
		spin_unlock(ptl);
		return 0;	/* a page table: walk_pte() sees its entries */
	}
	walk->action = ACTION_CONTINUE;
	head = pmd_trans_huge(pmd) ? pmd_page(pmd) : NULL;
	for (a = addr; a < next; a += PAGE_SIZE) {
		p = slot(walk, a);
		if (!p)
			continue;
		p->vm_flags = walk->vma->vm_flags;
		if (!head) {
			p->map = MMLAB_MAP_MIGRATION;
			continue;
		}
		p->young = pmd_young(pmd);
		p->dirty = pmd_dirty(pmd);
		/* Neither anon nor file: the huge zero page, never freed. */
		if (!folio_test_anon(page_folio(head)) && !page_folio(head)->mapping) {
			p->map = MMLAB_MAP_ZERO;
			p->page = head + ((a & ~HPAGE_PMD_MASK) >> PAGE_SHIFT);
			continue;
		}
		p->map = MMLAB_MAP_PMD;
		hold(walk, p, head + ((a & ~HPAGE_PMD_MASK) >> PAGE_SHIFT));
	}
	spin_unlock(ptl);
	return 0;
}

#ifdef CONFIG_HUGETLB_PAGE
/*
 * What a non-present, non-none hugetlb pte holds.  A hugetlb page is never
 * swapped, so besides a migration entry there are only a hwpoison entry
 * (memory_failure() unmapped a poisoned page) and pte markers (uffd-wp left
 * on a zapped pte; 6.1's swapin error marker): those map nothing to look
 * at, as for walk_pte()'s non-swap entries.
 */
static enum mmlab_map hugetlb_nonpresent(pte_t pte, unsigned long *swp)
{
	swp_entry_t e = pte_to_swp_entry(pte);

	*swp = e.val;
	return is_migration_entry(e) ? MMLAB_MAP_MIGRATION : MMLAB_MAP_SPECIAL;
}

/*
 * The pte is read and the folio referenced under huge_pte_lock(), as
 * queue_folios_hugetlb() (mm/mempolicy.c) does: a page still mapped there
 * cannot be unmapped and freed meanwhile (hole punch, then the pool shrunk).
 * 6.12's walk_hugetlb_range() also holds the hugetlb vma lock, so a shared
 * PMD cannot be unshared (and its page table freed) under us; 6.1's takes
 * none, nor does 6.1's own queue_pages_hugetlb(), and 6.1 does not export
 * hugetlb_vma_lock_read(): there this walk has the kernel's own window.
 */
static int walk_hugetlb(pte_t *ptep, unsigned long hmask, unsigned long addr,
			unsigned long next, struct mm_walk *walk)
{
	spinlock_t *ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, ptep);
	pte_t pte = mmlab_huge_ptep_get(walk->mm, addr, ptep);
	enum mmlab_map map = MMLAB_MAP_HUGETLB;
	unsigned long swp = 0;
	struct mmlab_page *p;
	unsigned long a;

	if (huge_pte_none(pte))
		map = MMLAB_MAP_NONE;
	else if (!pte_present(pte))
		map = hugetlb_nonpresent(pte, &swp);
	for (a = addr; a < next; a += PAGE_SIZE) {
		p = slot(walk, a);
		if (!p)
			continue;
		p->vm_flags = walk->vma->vm_flags;
		p->map = map;
		p->swp = swp;
		if (map != MMLAB_MAP_HUGETLB)
			continue;
		p->young = pte_young(pte);
		p->dirty = pte_dirty(pte);
		hold(walk, p, pte_page(pte) + ((a & ~hmask) >> PAGE_SHIFT));
	}
	spin_unlock(ptl);
	return 0;
}
#endif

/* VM_IO and pfn mappings have no struct pages to speak of: mark, skip. */
static int walk_test(unsigned long start, unsigned long end, struct mm_walk *walk)
{
	unsigned long a;
	struct mmlab_page *p;

	if (!(walk->vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP)))
		return 0;
	for (a = start; a < end; a += PAGE_SIZE) {
		p = slot(walk, a);
		if (p) {
			p->map = MMLAB_MAP_SPECIAL;
			p->vm_flags = walk->vma->vm_flags;
		}
	}
	return 1;
}

static const struct mm_walk_ops walk_ops = {
	.pmd_entry = walk_pmd,
	.pte_entry = walk_pte,
#ifdef CONFIG_HUGETLB_PAGE
	.hugetlb_entry = walk_hugetlb,
#endif
	.test_walk = walk_test,
};

/*
 * Fill pages[] for up to @nr (at most MMLAB_BATCH) virtual pages from
 * @start (not past t->end).  Returns how many, or -errno.  A range whose
 * first page has no mapping at all, or a VM_IO/VM_PFNMAP one, is refused.
 */
int mmlab_walk_n(struct mmlab_ctx *ctx, struct mmlab_target *t, unsigned long start, int nr,
		 struct mmlab_page *pages)
{
	struct walk_state ws = { .pages = pages, .start = start };
	unsigned long end = min(t->end, start + min(nr, MMLAB_BATCH) * PAGE_SIZE);
	struct vm_area_struct *vma;
	int i, ret;

	ws.n = (end - start) >> PAGE_SHIFT;
	memset(pages, 0, ws.n * sizeof(*pages));
	for (i = 0; i < ws.n; i++)
		pages[i].addr = start + i * PAGE_SIZE;
	if (mmap_read_lock_killable(t->mm))
		return mmlab_fail(ctx, -EINTR, "interrupted");
	vma = find_vma(t->mm, start);
	if (start == t->start && (!vma || vma->vm_start >= end)) {
		mmap_read_unlock(t->mm);
		return mmlab_fail(ctx, -EFAULT, "nothing mapped at 0x%lx in process %d",
				  start, t->pid);
	}
	if (start == t->start && vma->vm_start <= start &&
	    (vma->vm_flags & (VM_IO | VM_PFNMAP))) {
		mmap_read_unlock(t->mm);
		return mmlab_fail(ctx, -EFAULT, "0x%lx is in a VM_IO/VM_PFNMAP mapping", start);
	}
	ret = kcall(walk_page_range)(t->mm, start, end, &walk_ops, &ws);
	mmap_read_unlock(t->mm);
	if (ret < 0) {
		mmlab_pages_put(pages, ws.n);
		return mmlab_fail(ctx, ret, "page-table walk failed");
	}
	return ws.n;
}

/* A batch: up to MMLAB_BATCH pages. */
int mmlab_walk(struct mmlab_ctx *ctx, struct mmlab_target *t, unsigned long start,
	       struct mmlab_page *pages)
{
	return mmlab_walk_n(ctx, t, start, MMLAB_BATCH, pages);
}

/*
 * The loop of the read-only range commands (inspect, scan, copy): walk the
 * target range a batch at a time and hand each batch, with its page
 * references held, to @fn; a fatal signal stops it between batches.
 */
int mmlab_range_batches(struct mmlab_ctx *ctx, mmlab_batch_fn *fn, void *arg)
{
	struct mmlab_target t;
	struct mmlab_page *pages;
	unsigned long addr;
	int n = 0, ret;

	ret = mmlab_target_get(ctx, &t);
	if (ret)
		return ret;
	pages = kvcalloc(MMLAB_BATCH, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		mmlab_target_put(&t);
		return mmlab_fail(ctx, -ENOMEM, "out of memory");
	}
	for (addr = t.start; addr < t.end; addr += n * PAGE_SIZE) {
		n = mmlab_walk(ctx, &t, addr, pages);
		if (n < 0) {
			ret = n;
			break;
		}
		fn(ctx, pages, n, arg);
		mmlab_pages_put(pages, n);
		/* 256 MiB is 128 batches: minutes under TCG, no soft lockup. */
		cond_resched();
		if (fatal_signal_pending(current)) {
			ret = mmlab_fail(ctx, -EINTR, "interrupted");
			break;
		}
	}
	kvfree(pages);
	mmlab_target_put(&t);
	return ret;
}

void mmlab_pages_put(struct mmlab_page *pages, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (pages[i].ref)
			folio_put(page_folio(pages[i].page));
		pages[i].ref = false;
	}
}

/*
 * How many of the @n entries from @p map pages of one folio, present, the
 * way @p does (PTE or PMD): a large folio's pages, handled once.
 */
int mmlab_folio_run(const struct mmlab_page *p, int n)
{
	int i;

	if (p->map != MMLAB_MAP_PTE && p->map != MMLAB_MAP_PMD)
		return 1;
	for (i = 1; i < n && p[i].map == p->map; i++)
		if (page_folio(p[i].page) != page_folio(p->page))
			break;
	return i;
}

/*
 * Index the folios of pages[0..n) in @t: of[i] is page i's folio's index
 * (-1: no page), ours[k] the references the walk holds on folio k (what
 * mmlab_ours() counts, for every page at once: linear, not quadratic).
 */
void mmlab_pages_index(const struct mmlab_page *pages, int n, struct mmlab_ftab *t, int *of,
		       int *ours)
{
	int i, k, nr;

	mmlab_ftab_clear(t);
	for (i = 0; i < n; i++) {
		of[i] = -1;
		if (!pages[i].page)
			continue;
		nr = t->nr;
		k = mmlab_ftab_add(t, page_folio(pages[i].page));
		if (k < 0)
			continue;	/* more folios than a batch has pages: cannot be */
		if (t->nr > nr)
			ours[k] = 0;
		of[i] = k;
		ours[k] += pages[i].ref;
	}
}

/* References mmlab holds on @folio among pages[0..n). */
int mmlab_ours(const struct mmlab_page *pages, int n, struct folio *folio)
{
	int i, ours = 0;

	for (i = 0; i < n; i++)
		ours += pages[i].ref && page_folio(pages[i].page) == folio;
	return ours;
}

/*
 * The swap-cache folio of swap entry @swp, with a reference, or NULL: what
 * the charge mover's mc_handle_swap_pte() finds behind a swap pte, and what
 * `migrate swapcache=1` migrates (E07).  get_swap_device() keeps swapoff out
 * while the swap address space is looked at.
 */
struct folio *mmlab_swapcache_folio(unsigned long swp)
{
	struct address_space **spaces = (void *)mmlab_ksym_addr(KC_swapper_spaces);
	swp_entry_t e = { .val = swp };
	struct swap_info_struct *si;
	struct folio *folio;

	si = spaces ? kcall(get_swap_device)(e) : NULL;
	if (!si)
		return NULL;	/* swapoff raced with us, or no symbol */
	folio = __filemap_get_folio(&spaces[swp_type(e)][swp_offset(e) >> MMLAB_SWAP_SPACE_SHIFT],
				    mmlab_swap_cache_index(e), 0, 0);
	put_swap_device(si);
	return IS_ERR_OR_NULL(folio) ? NULL : folio;
}
