// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab rmap: list every mapping of one page with the kernel's own reverse
 * map walk, rmap_walk() (anon_vma chains for anon and KSM folios, the
 * i_mmap tree for file and shmem folios), and compare what it found with
 * the mapcounts the kernel keeps.  action=referenced runs reclaim's
 * referenced walk, folio_referenced(), on the folio the way reclaim does:
 * locked and isolated from its LRU list.
 *
 * Locks are the kernel's, in its order: the folio lock (rmap_walk() needs
 * it for file and KSM folios, and it keeps folio->mapping stable), then the
 * anon_vma or i_mmap lock rmap_walk() takes, then the page-table lock
 * page_vma_mapped_walk() takes.  No mmap_lock is held during the walk, and
 * reply lines are written only after it: the walk records what it sees.
 *
 * Mappings come and go without the folio lock (fork, exit, munmap), so a
 * count that changed while the walk ran is walked again, and reported as
 * unstable rather than as a broken invariant if it keeps changing.
 */
#include <linux/mm.h>
#include <linux/rmap.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/memory_hotplug.h>
#include "mmlab.h"
#include "mmlab_trace.h"
#include "kcall.h"

#define RMAP_LISTED_MAX 4096	/* vmas listed one by one; the rest counted */
#define RMAP_TRIES 5		/* walks of a folio whose mapcount moves */

enum mmlab_rmap_level { LVL_PTE, LVL_PMD, LVL_HUGETLB };
static const char * const level_names[] = { "pte", "pmd", "hugetlb" };

/* One vma that maps the folio. */
struct rmap_map {
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

struct rmap_result {
	struct page *page;	/* the target page */
	struct rmap_map *maps;
	int listed, vmas;	/* vma records kept, vmas seen */
	int found;		/* mappings of the target page */
	int pmds, ptes;		/* entries mapping the folio: PMD (or hugetlb), PTE */
	int young;		/* of those, with the accessed bit set */
	int overlaps;		/* mappings seen again through a second vma */
};

/* The kernel's own counts, read under the folio lock. */
struct rmap_counts {
	int mapcount, folio_mapcount, entire;
};

static void owner_of(struct mm_struct *mm, struct rmap_map *m)
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

static void rmap_entry(struct rmap_result *r, struct rmap_map *m, struct folio *folio,
		       struct page_vma_mapped_walk *pvmw, bool first)
{
	bool young, dirty, page;
	unsigned long addr = pvmw->address;

	if (!pvmw->pte) {
		pmd_t pmd = *pvmw->pmd;

		m->level = LVL_PMD;
		young = pmd_young(pmd);
		dirty = pmd_dirty(pmd);
		page = true;
		addr += (folio_page_idx(folio, r->page)) << PAGE_SHIFT;
		r->pmds++;
	} else {
		pte_t pte = ptep_get(pvmw->pte);

		young = pte_present(pte) && pte_young(pte);
		dirty = pte_present(pte) && pte_dirty(pte);
		if (folio_test_hugetlb(folio)) {
			m->level = LVL_HUGETLB;
			page = true;
			addr += (folio_page_idx(folio, r->page)) << PAGE_SHIFT;
			r->pmds++;
		} else {
			page = pte_maps(pte, r->page);
			m->ptes++;
			r->ptes++;
		}
	}
	r->young += young;
	if (page || first) {
		m->addr = addr;
		m->young = young;
		m->dirty = dirty;
	}
	m->page |= page;
}

/*
 * Whether @m's entries were already counted through another vma of the
 * same mm.  __split_vma() links the new vma into the anon_vma tree before
 * it shrinks the old one, without the anon_vma lock in between: a walk in
 * that window meets the same ptes through both.
 */
static bool seen_before(const struct rmap_result *r, const struct rmap_map *m)
{
	int i;

	for (i = 0; i < r->listed; i++) {
		const struct rmap_map *o = &r->maps[i];

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
	struct rmap_result *r = arg, before = *r;
	struct rmap_map m = {
		.mm = vma->vm_mm, .vm_start = vma->vm_start, .vm_end = vma->vm_end,
		.vm_flags = vma->vm_flags, .addr = addr,
	};
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

	while (kcall(page_vma_mapped_walk)(&pvmw)) {
		rmap_entry(r, &m, folio, &pvmw, !any);
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
	if (r->listed < RMAP_LISTED_MAX) {
		owner_of(vma->vm_mm, &m);
		r->maps[r->listed++] = m;
	}
	return true;
}

static void rmap_list(struct folio *folio, struct page *page, struct rmap_result *r)
{
	struct rmap_walk_control rwc = { .arg = r, .rmap_one = rmap_one };
	struct rmap_map *maps = r->maps;

	memset(r, 0, sizeof(*r));
	r->maps = maps;
	r->page = page;
	kcall(rmap_walk)(folio, &rwc);
	mmlab_count(rmap_walks);
	mmlab_count_add(rmap_mappings, r->pmds + r->ptes);
}

static void counts_of(struct folio *folio, struct page *page, struct rmap_counts *c)
{
	c->mapcount = mmlab_page_mapcount(folio, page);
	c->folio_mapcount = mmlab_folio_mapcount(folio);
	c->entire = folio_test_large(folio) ? folio_entire_mapcount(folio) : 0;
}

/* What the walk found agrees with what the kernel counts. */
static bool rmap_agrees(struct folio *folio, const struct rmap_result *r,
			const struct rmap_counts *c)
{
	if (r->found != c->mapcount)
		return false;
	if (!folio_test_large(folio))
		return true;
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

static bool rmap_stable_walk(struct folio *folio, struct page *page, struct rmap_result *r,
			     struct rmap_counts *c)
{
	struct rmap_counts after, seen_c = {};
	int seen_found = -1, seen_entries = -1;
	unsigned long f;
	int try;

	for (try = 0; try < RMAP_TRIES; try++) {
		if (try)
			mmlab_count(rmap_retries);
		f = forks();
		counts_of(folio, page, c);
		rmap_list(folio, page, r);
		counts_of(folio, page, &after);
		if (memcmp(c, &after, sizeof(after)) || forks() != f) {
			seen_found = -1;
			continue;
		}
		if (rmap_agrees(folio, r, c))
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

/* The vma flags that matter to rmap, migration and reclaim. */
static void vm_flag_names(unsigned long f, char *buf, size_t len)
{
	buf[0] = '\0';
	mmlab_add_name(buf, len, f & VM_READ, "read");
	mmlab_add_name(buf, len, f & VM_WRITE, "write");
	mmlab_add_name(buf, len, f & VM_EXEC, "exec");
	mmlab_add_name(buf, len, f & VM_MAYSHARE, "shared");
	mmlab_add_name(buf, len, f & VM_LOCKED, "locked");
	mmlab_add_name(buf, len, f & VM_MERGEABLE, "mergeable");
	mmlab_add_name(buf, len, f & VM_HUGEPAGE, "hugepage");
	mmlab_add_name(buf, len, f & VM_NOHUGEPAGE, "nohugepage");
	mmlab_add_name(buf, len, f & VM_HUGETLB, "hugetlb");
	if (!buf[0])
		snprintf(buf, len, "none");
}

static void reply_map(struct mmlab_ctx *ctx, struct folio *folio, struct rmap_map *m)
{
	char flags[96];

	mmlab_quotable(m->comm);
	vm_flag_names(m->vm_flags, flags, sizeof(flags));
	mmlab_reply(ctx,
		    "map pid=%d comm=\"%s\" vma=0x%lx-0x%lx addr=0x%lx level=%s young=%d dirty=%d vm_flags=%s page=%d",
		    m->pid, m->comm, m->vm_start, m->vm_end, m->addr, level_names[m->level],
		    m->young, m->dirty, flags, m->page);
	if (folio_test_large(folio) && !folio_test_hugetlb(folio))
		mmlab_reply(ctx, " ptes=%d", m->ptes);
	mmlab_reply(ctx, "\n");
	trace_rmap_map(folio_pfn(folio), m->pid, m->vm_start, m->vm_end, m->addr,
		       level_names[m->level], m->young, m->dirty, m->page, m->ptes);
}

static void reply_summary(struct mmlab_ctx *ctx, struct folio *folio,
			  const struct rmap_result *r, const struct rmap_counts *c,
			  bool stable)
{
	bool agrees = rmap_agrees(folio, r, c);
	const char *match = !stable ? "unstable" : agrees ? "yes" : "no";

	if (!stable)
		mmlab_count(rmap_unstable);
	else
		mmlab_count_id(MMLAB_CTR_check_rmap_mapcount_passed + !agrees);
	if (stable && !agrees) {
		ctx->checks_failed++;
		trace_check_failed("rmap", "rmap_mapcount", 0, page_to_pfn(r->page),
				   c->folio_mapcount, r->pmds + r->ptes);
	}
	trace_rmap(page_to_pfn(r->page), folio_order(folio), r->found, c->mapcount,
		   c->folio_mapcount, r->vmas, match);
	mmlab_reply(ctx, "summary op=rmap found=%d mapcount=%d match=%s vmas=%d listed=%d",
		    r->found, c->mapcount, match, r->vmas, r->listed);
	if (folio_test_large(folio))
		mmlab_reply(ctx, " folio_pmd=%d entire_mapcount=%d folio_ptes=%d folio_mapcount=%d",
			    r->pmds, c->entire, r->ptes, c->folio_mapcount);
	mmlab_reply(ctx, " young=%d", r->young);
	if (r->overlaps) {
		mmlab_count_add(rmap_overlaps, r->overlaps);
		mmlab_reply(ctx, " overlaps=%d", r->overlaps);
	}
}

/* The target: a folio reference, and the page in it. */
struct rmap_target {
	struct mmlab_page p;
	struct folio *folio;
};

static int target_addr(struct mmlab_ctx *ctx, struct rmap_target *tg)
{
	struct mmlab_target t;
	int n, ret;

	ret = mmlab_target_get(ctx, &t);
	if (ret)
		return ret;
	n = mmlab_walk(ctx, &t, t.start, &tg->p);
	mmlab_target_put(&t);
	if (n < 0)
		return n;
	switch (tg->p.map) {
	case MMLAB_MAP_PTE:
	case MMLAB_MAP_PMD:
	case MMLAB_MAP_HUGETLB:
	case MMLAB_MAP_DEVICE_PRIVATE:	/* mapped through its pte, in the rmap */
		tg->folio = page_folio(tg->p.page);	/* the walk's reference */
		return 0;
	case MMLAB_MAP_ZERO:
		return mmlab_fail(ctx, -EINVAL,
				  "0x%lx maps the shared zero page: it has no reverse map",
				  tg->p.addr);
	case MMLAB_MAP_SPECIAL:
		return mmlab_fail(ctx, -EFAULT, "0x%lx maps a special or device page", tg->p.addr);
	default:
		return mmlab_fail(ctx, -ENOENT, "no page present at 0x%lx (pte=%s)", tg->p.addr,
				  mmlab_map_name(tg->p.map));
	}
}

/* A folio on an LRU list, as page_idle finds one by pfn; a reference on it. */
static struct folio *lru_folio_get(struct page *page)
{
	struct folio *folio = page_folio(page);

	if (!folio_test_lru(folio) || !folio_try_get(folio))
		return NULL;
	if (unlikely(folio != page_folio(page) || !folio_test_lru(folio))) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

static int target_pfn(struct mmlab_ctx *ctx, struct rmap_target *tg)
{
	unsigned long pfn = ctx->cmd->num[MMLAB_KEY_pfn];
	struct page *page = pfn_to_online_page(pfn);

	if (!page)
		return mmlab_fail(ctx, -ENXIO, "pfn 0x%lx is not an online page", pfn);
	if (!page_count(page))
		return mmlab_fail(ctx, -ENOENT, "pfn 0x%lx is free, not in use", pfn);
	tg->folio = lru_folio_get(page);
	if (!tg->folio) {
		kcall(lru_add_drain_all)();	/* it may sit in a per-CPU batch */
		tg->folio = lru_folio_get(page);
	}
	if (!tg->folio)
		return mmlab_fail(ctx, -EINVAL,
				  "pfn 0x%lx is not on an LRU list (kernel, free, hugetlb or isolated page)",
				  pfn);
	tg->p.page = page;
	tg->p.map = folio_test_pmd_mappable(tg->folio) ? MMLAB_MAP_PMD : MMLAB_MAP_PTE;
	tg->p.ref = true;
	return 0;
}

static void reply_head(struct mmlab_ctx *ctx, const struct rmap_target *tg)
{
	struct mmlab_pstate st;

	mmlab_pstate(&tg->p, 1, false, &st);
	mmlab_reply(ctx, "rmap");
	if (!mmlab_has(ctx->cmd, MMLAB_KEY_pfn))
		mmlab_reply(ctx, " pid=%llu addr=0x%lx", ctx->cmd->num[MMLAB_KEY_pid], tg->p.addr);
	mmlab_reply(ctx, " pfn=0x%lx nid=%d order=%u kind=%s flags=%s refs=%d\n",
		    st.pfn, st.nid, st.order, st.kind, st.flags, st.refs);
}

static void reply_maps(struct mmlab_ctx *ctx, struct folio *folio, struct rmap_result *r)
{
	int i;

	for (i = 0; i < r->listed; i++)
		reply_map(ctx, folio, &r->maps[i]);
}

/* Isolate as reclaim has the folio when it asks folio_referenced(). */
static int isolate_for_reclaim(struct folio *folio, struct list_head *list)
{
	if (!mmlab_isolate(folio, list))
		return 0;
	kcall(lru_add_drain_all)();
	return mmlab_isolate(folio, list);
}

static int rmap_referenced(struct mmlab_ctx *ctx, struct rmap_target *tg,
			   struct rmap_result *r)
{
	struct folio *folio = tg->folio;
	struct rmap_counts c;
	unsigned long vm_flags = 0;
	char flags[96];
	int referenced, young_before;
	LIST_HEAD(list);
	bool stable;

	if (folio_test_hugetlb(folio))
		return mmlab_fail(ctx, -EOPNOTSUPP,
				  "reclaim never runs the referenced walk on hugetlb folios");
	if (isolate_for_reclaim(folio, &list))
		return mmlab_fail(ctx, -EBUSY,
				  "folio is not on an LRU list (being migrated, reclaimed or isolated)");
	stable = rmap_stable_walk(folio, tg->p.page, r, &c);
	young_before = r->young;
	referenced = kcall(folio_referenced)(folio, 1, NULL, &vm_flags);
	mmlab_count(rmap_referenced_walks);
	reply_head(ctx, tg);
	reply_maps(ctx, folio, r);
	reply_summary(ctx, folio, r, &c, stable);
	rmap_list(folio, tg->p.page, r);
	folio_unlock(folio);
	kcall(putback_movable_pages)(&list);
	vm_flag_names(vm_flags, flags, sizeof(flags));
	mmlab_reply(ctx, " action=referenced referenced=%d referenced_vm_flags=%s",
		    referenced, flags);
	mmlab_reply(ctx, " young_before=%d young_after=%d\n", young_before, r->young);
	return 0;
}

static int rmap_run(struct mmlab_ctx *ctx, struct rmap_target *tg, struct rmap_result *r)
{
	struct rmap_counts c;
	bool stable;
	int ret = 0;

	if (mmlab_held_locked(tg->folio))	/* we would wait for ourselves */
		return mmlab_fail(ctx, -EDEADLK,
				  "folio held locked by an mmlab lock: unlock it first");
	if (folio_lock_killable(tg->folio))
		return mmlab_fail(ctx, -EINTR, "interrupted");
	if (ctx->cmd->num[MMLAB_KEY_action] == MMLAB_ACTION_REFERENCED) {
		ret = rmap_referenced(ctx, tg, r);
		if (ret)
			folio_unlock(tg->folio);
		return ret;
	}
	stable = rmap_stable_walk(tg->folio, tg->p.page, r, &c);
	folio_unlock(tg->folio);
	reply_head(ctx, tg);
	reply_maps(ctx, tg->folio, r);
	reply_summary(ctx, tg->folio, r, &c, stable);
	mmlab_reply(ctx, "\n");
	return 0;
}

/*
 * Whether the kernel's counts of @page (referenced by the caller) agree
 * with the mappings a stable rmap walk finds: 1 yes, 0 no, -errno when it
 * cannot tell (the counts never held still).
 */
int mmlab_rmap_consistent(struct page *page)
{
	struct folio *folio = page_folio(page);
	struct rmap_result r = {};
	struct rmap_counts c;
	int ret = -EAGAIN;

	if (mmlab_held_locked(folio))
		return -EDEADLK;
	r.maps = kvcalloc(RMAP_LISTED_MAX, sizeof(*r.maps), GFP_KERNEL);
	if (!r.maps)
		return -ENOMEM;
	if (folio_lock_killable(folio)) {
		kvfree(r.maps);
		return -EINTR;
	}
	if (rmap_stable_walk(folio, page, &r, &c))
		ret = rmap_agrees(folio, &r, &c);
	folio_unlock(folio);
	kvfree(r.maps);
	return ret;
}

int mmlab_cmd_rmap(struct mmlab_ctx *ctx)
{
	struct rmap_target tg = {};
	struct rmap_result r = {};
	int ret;

	if (mmlab_has(ctx->cmd, MMLAB_KEY_pfn))
		ret = target_pfn(ctx, &tg);
	else
		ret = target_addr(ctx, &tg);
	if (ret) {
		mmlab_pages_put(&tg.p, 1);
		return ret;
	}
	r.maps = kvcalloc(RMAP_LISTED_MAX, sizeof(*r.maps), GFP_KERNEL);
	if (r.maps)
		ret = rmap_run(ctx, &tg, &r);
	else
		ret = mmlab_fail(ctx, -ENOMEM, "out of memory");
	kvfree(r.maps);
	folio_put(tg.folio);
	return ret;
}
