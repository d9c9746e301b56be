// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab rmap walk: every mapping of a folio found with the kernel's own
 * reverse map walk, rmap_walk(), and the kernel's counts to compare it with.
 * The rmap command (rmap.c) formats what it finds; migrate and scan ask
 * mmlab_rmap_consistent() whether the counts of a page agree with it.
 *
 * The caller holds the folio lock (rmap_walk() needs it for file and KSM
 * folios, and it keeps folio->mapping stable); rmap_walk() takes the
 * anon_vma or i_mmap lock, page_vma_mapped_walk() the page-table lock.
 * Mappings come and go without the folio lock (fork, exit, munmap), so a
 * count that changed while the walk ran is walked again.
 */
#include <linux/error-injection.h>
#include <linux/mm.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include "core.h"
#include "compat.h"
#include "kcall.h"

#define RMAP_TRIES 5		/* walks of a folio whose mapcount moves */

static void owner_of(struct mm_struct *mm, struct mmlab_rmap_map *m)
{
#ifdef CONFIG_MEMCG
	struct task_struct *task;

	rcu_read_lock();
	task = rcu_dereference(mm->owner);
	if (task) {
		m->pid = task_tgid_nr(task);
		get_task_comm(m->comm, task);
	}
	rcu_read_unlock();
#endif
	if (!m->comm[0])
		strscpy(m->comm, "?", sizeof(m->comm));
}

/*
 * One entry page_vma_mapped_walk() found, under its page-table lock; @first
 * when it is the vma's first.  The vma's line shows the target page's
 * entry, else its first.
 */
/*
 * Whether @pte maps @page: present, or a device-private entry for it
 * (page_vma_mapped_walk() matches those too: they hold a mapcount).
 */
static bool pte_maps(pte_t pte, struct page *page)
{
	swp_entry_t e;

	if (pte_present(pte))
		return pte_pfn(pte) == page_to_pfn(page);
	if (pte_none(pte))
		return false;
	e = pte_to_swp_entry(pte);
	return is_device_private_entry(e) && pfn_swap_entry_to_page(e) == page;
}

/*
 * The page of @folio that the PTE entry @pte maps: its index in the folio,
 * or -1 (a PMD or hugetlb entry, or a page not tracked one by one).
 */
static int entry_page_idx(struct folio *folio, pte_t pte)
{
	unsigned long pfn;

	if (pte_present(pte)) {
		pfn = pte_pfn(pte);
	} else {
		swp_entry_t e = pte_to_swp_entry(pte);

		if (!is_device_private_entry(e))
			return -1;
		pfn = page_to_pfn(pfn_swap_entry_to_page(e));
	}
	pfn -= folio_pfn(folio);	/* wraps below the folio: out of range */
	return pfn < folio_nr_pages(folio) ? (int)pfn : -1;
}

/* Returns the index of the page a PTE entry maps (-1: none, or a PMD entry). */
static int rmap_entry(struct mmlab_rmap_result *r, struct mmlab_rmap_map *m,
		      struct folio *folio, struct page_vma_mapped_walk *pvmw, bool first)
{
	bool young, dirty, page;
	unsigned long addr = pvmw->address;
	int idx = -1;

	if (!pvmw->pte) {
		pmd_t pmd = *pvmw->pmd;

		m->level = MMLAB_RMAP_PMD;
		young = pmd_young(pmd);
		dirty = pmd_dirty(pmd);
		page = true;
		addr += (folio_page_idx(folio, r->page)) << PAGE_SHIFT;
		r->pmds++;
		m->first = 0;
		m->last = folio_nr_pages(folio) - 1;
		m->base = pvmw->address;
	} else {
		pte_t pte = ptep_get(pvmw->pte);

		young = pte_present(pte) && pte_young(pte);
		dirty = pte_present(pte) && pte_dirty(pte);
		if (folio_test_hugetlb(folio)) {
			m->level = MMLAB_RMAP_HUGETLB;
			page = true;
			addr += (folio_page_idx(folio, r->page)) << PAGE_SHIFT;
			r->pmds++;
		} else {
			page = pte_maps(pte, r->page);
			m->ptes++;
			r->ptes++;
			idx = entry_page_idx(folio, pte);
			if (idx >= 0 && m->first < 0)
				m->base = pvmw->address - ((unsigned long)idx << PAGE_SHIFT);
			if (idx >= 0 && (m->first < 0 || idx < m->first))
				m->first = idx;
			if (idx > m->last)
				m->last = idx;
		}
	}
	r->young += young;
	if (page || first) {
		m->addr = addr;
		m->young = young;
		m->dirty = dirty;
	}
	m->page |= page;
	return idx;
}

/*
 * Whether @m's entries were already counted through another vma of the
 * same mm.  __split_vma() links the new vma into the anon_vma tree before
 * it shrinks the old one, without the anon_vma lock in between: a walk in
 * that window meets the same ptes through both.
 */
static bool seen_before(const struct mmlab_rmap_result *r, const struct mmlab_rmap_map *m)
{
	int i;

	for (i = 0; i < r->listed; i++) {
		const struct mmlab_rmap_map *o = &r->maps[i];

		if (o->mm == m->mm && o->addr == m->addr && o->page == m->page &&
		    o->vm_start < m->vm_end && m->vm_start < o->vm_end)
			return true;
	}
	return false;
}

/* rmap_walk() callback: how @vma maps @folio (a module function: IBT-safe). */
static bool rmap_one(struct folio *folio, struct vm_area_struct *vma, unsigned long addr,
		     void *arg)
{
	struct mmlab_rmap_result *r = arg, before = *r;
	struct mmlab_rmap_map m = {
		.mm = vma->vm_mm, .vm_start = vma->vm_start, .vm_end = vma->vm_end,
		.vm_flags = vma->vm_flags, .addr = addr, .first = -1, .last = -1,
	};
	/* The pages this vma maps by PTE: counted once it is not a repeat. */
	DECLARE_BITMAP(seen, MMLAB_RMAP_PAGES_MAX);
	/*
	 * Filled by hand: 6.1's DEFINE_FOLIO_VMA_WALK needs an unexported
	 * helper.  PVMW_SYNC, as try_to_unmap(TTU_SYNC): without it the walk
	 * skips an empty pte without its lock, so a fork or zap that has
	 * changed the mapcount but not yet the pte (both under that lock)
	 * would look like a missing mapping for as long as its CPU is stalled
	 * there, e.g. a preempted vCPU: seen as match=no under single-threaded
	 * TCG.  Taking the lock waits for it.
	 */
	struct page_vma_mapped_walk pvmw = {
		.pfn = folio_pfn(folio),
		.nr_pages = folio_nr_pages(folio),
		.pgoff = folio_test_hugetlb(folio) ? 0 : folio->index,
		.vma = vma,
		.address = addr,
		.flags = PVMW_SYNC,
	};
	bool any = false;
	int idx;

	bitmap_zero(seen, MMLAB_RMAP_PAGES_MAX);
	while (kcall(page_vma_mapped_walk)(&pvmw)) {
		idx = rmap_entry(r, &m, folio, &pvmw, !any);
		if (idx >= 0 && idx < r->nr)
			__set_bit(idx, seen);
		any = true;
	}
	if (!any)
		return true;	/* the vma covers the folio's index, maps none of it */
	if (seen_before(r, &m)) {
		/* The same page-table entries: count them once. */
		before.overlaps++;
		*r = before;
		return true;
	}
	r->vmas++;
	r->found += m.page;
	for_each_set_bit(idx, seen, r->nr)
		r->page_found[idx]++;
	if (r->listed < MMLAB_RMAP_LISTED_MAX) {
		owner_of(vma->vm_mm, &m);
		r->maps[r->listed++] = m;
	}
	return true;
}

void mmlab_rmap_list(struct folio *folio, struct page *page, struct mmlab_rmap_result *r)
{
	struct rmap_walk_control rwc = { .arg = r, .rmap_one = rmap_one };
	struct mmlab_rmap_map *maps = r->maps;
	int *found = r->page_found, *count = r->page_count, nr = r->nr;

	memset(r, 0, sizeof(*r));
	r->maps = maps;
	r->page_found = found;
	r->page_count = count;
	r->nr = nr;
	if (nr)
		memset(found, 0, nr * sizeof(*found));
	r->page = page;
	kcall(rmap_walk)(folio, &rwc);
	mmlab_count(rmap_walks);
	mmlab_count_add(rmap_mappings, r->pmds + r->ptes);
}

/*
 * Every page of a large folio tracked one by one: what the walk found, and
 * the kernel's mapcounts, for a large folio that is not hugetlb and not
 * above MMLAB_RMAP_PAGES_MAX pages (else nothing is allocated: nr stays 0).
 */
int mmlab_rmap_pages_alloc(struct mmlab_rmap_result *r, struct folio *folio)
{
	int nr = folio_nr_pages(folio);

	r->nr = 0;
	if (!folio_test_large(folio) || folio_test_hugetlb(folio) || nr > MMLAB_RMAP_PAGES_MAX)
		return 0;
	r->page_found = kvcalloc(2 * nr, sizeof(int), GFP_KERNEL);
	if (!r->page_found)
		return -ENOMEM;
	r->page_count = r->page_found + nr;
	r->nr = nr;
	return 0;
}

void mmlab_rmap_pages_free(struct mmlab_rmap_result *r)
{
	kvfree(r->page_found);
	r->page_found = NULL;
	r->page_count = NULL;
	r->nr = 0;
}

/*
 * The kernel's counts.  With pages tracked, every page's mapcount too
 * (into r->page_count), summed plainly and weighted by index, so that a
 * count that moved between two readings shows.
 */
static void counts_of(struct folio *folio, struct page *page, struct mmlab_rmap_result *r,
		      struct mmlab_rmap_counts *c)
{
	int i;

	c->mapcount = mmlab_page_mapcount(folio, page);
	c->folio_mapcount = mmlab_folio_mapcount(folio);
	c->entire = folio_test_large(folio) ? folio_entire_mapcount(folio) : 0;
	c->page_sum = 0;
	c->page_wsum = 0;
	for (i = 0; i < r->nr; i++) {
		r->page_count[i] = mmlab_precise_page_mapcount(folio, folio_page(folio, i));
		c->page_sum += r->page_count[i];
		c->page_wsum += (i + 1) * r->page_count[i];
	}
}

/*
 * Pages whose mapcount is not the mappings found: PTE entries of that page
 * plus the folio's PMD entries.  *first_bad: the first such page, or -1.
 */
int mmlab_rmap_page_mismatches(const struct mmlab_rmap_result *r, int *first_bad)
{
	int i, n = 0;

	*first_bad = -1;
	for (i = 0; i < r->nr; i++) {
		if (r->page_found[i] + r->pmds == r->page_count[i])
			continue;
		if (!n++)
			*first_bad = i;
	}
	return n;
}

/* What the walk found agrees with what the kernel counts. */
bool mmlab_rmap_agrees(struct folio *folio, const struct mmlab_rmap_result *r,
		       const struct mmlab_rmap_counts *c)
{
	int bad;

	if (r->found != c->mapcount)
		return false;
	if (!folio_test_large(folio))
		return true;
	if (mmlab_rmap_page_mismatches(r, &bad))
		return false;
	return r->pmds == c->entire && r->pmds + r->ptes == c->folio_mapcount;
}

/*
 * Walk the locked folio until the kernel's counts hold still across a walk
 * and agree with it, at most RMAP_TRIES times.  Fork, exit and munmap change
 * mappings without the folio lock, and an exit and a fork during one walk
 * leave the counts as they were (the walk saw one of them): a walk during
 * which the system forked (total_forks moved) does not count, and a
 * disagreement is only reported when the next still walk finds the same.
 * Returns false when that never happened: the answer is then unstable, not
 * a broken invariant.
 */
static unsigned long forks(void)
{
	unsigned long *n = (unsigned long *)mmlab_ksym_addr(KC_total_forks);

	return n ? READ_ONCE(*n) : 0;
}

bool mmlab_rmap_stable_walk(struct folio *folio, struct page *page,
			    struct mmlab_rmap_result *r, struct mmlab_rmap_counts *c)
{
	struct mmlab_rmap_counts after, seen_c = {};
	int seen_found = -1, seen_entries = -1;
	unsigned long f;
	int try;

	for (try = 0; try < RMAP_TRIES; try++) {
		if (try)
			mmlab_count(rmap_retries);
		f = forks();
		counts_of(folio, page, r, c);
		mmlab_rmap_list(folio, page, r);
		counts_of(folio, page, r, &after);
		if (memcmp(c, &after, sizeof(after)) || forks() != f) {
			seen_found = -1;
			continue;
		}
		if (mmlab_rmap_agrees(folio, r, c))
			return true;
		if (seen_found == r->found && seen_entries == r->pmds + r->ptes &&
		    !memcmp(&seen_c, c, sizeof(*c)))
			return true;	/* the same disagreement twice */
		seen_found = r->found;
		seen_entries = r->pmds + r->ptes;
		seen_c = *c;
	}
	return false;
}

/*
 * Whether the kernel's counts of @page (referenced by the caller) agree
 * with the mappings a stable rmap walk finds: 1 yes, 0 no, -errno when it
 * cannot tell (the counts never held still).
 */
int mmlab_rmap_consistent(struct page *page)
{
	struct folio *folio = page_folio(page);
	struct mmlab_rmap_result r = {};
	struct mmlab_rmap_counts c;
	int ret = -EAGAIN;

	if (mmlab_held_locked(folio))
		return -EDEADLK;
	r.maps = kvcalloc(MMLAB_RMAP_LISTED_MAX, sizeof(*r.maps), GFP_KERNEL);
	if (!r.maps || mmlab_rmap_pages_alloc(&r, folio)) {
		kvfree(r.maps);
		return -ENOMEM;
	}
	if (folio_lock_killable(folio)) {
		ret = -EINTR;
		goto out;
	}
	if (mmlab_rmap_stable_walk(folio, page, &r, &c))
		ret = mmlab_rmap_agrees(folio, &r, &c);
	folio_unlock(folio);
out:
	mmlab_rmap_pages_free(&r);
	kvfree(r.maps);
	return ret;
}

/*
 * Its error answers (the folio locked by mmlab, no memory, a fatal signal)
 * are hard to reach on purpose: a kernel with CONFIG_FAIL_FUNCTION can
 * make it return one (fail_function), as 11_migrate does.
 */
ALLOW_ERROR_INJECTION(mmlab_rmap_consistent, ERRNO);
