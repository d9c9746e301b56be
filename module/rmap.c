// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab rmap: list every mapping of one page with the kernel's own reverse
 * map walk, rmap_walk() (anon_vma chains for anon and KSM folios, the
 * i_mmap tree for file and shmem folios), and compare what it found with
 * the mapcounts the kernel keeps.  action=referenced runs reclaim's
 * referenced walk, folio_referenced(), on the folio the way reclaim does:
 * locked and isolated from its LRU list.
 *
 * The walk is rmapwalk.c's; this file finds the target, takes the folio
 * lock, and formats.  Locks are the kernel's, in its order: the folio lock
 * (rmap_walk() needs it for file and KSM folios, and it keeps
 * folio->mapping stable), then the anon_vma or i_mmap lock rmap_walk()
 * takes, then the page-table lock page_vma_mapped_walk() takes.  No
 * mmap_lock is held during the walk, and reply lines are written only
 * after it: the walk records what it sees.
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
#include "cmd.h"
#include "core.h"
#include "compat.h"
#include "mmlab_trace.h"
#include "kcall.h"

static const char * const level_names[] = {
	[MMLAB_RMAP_PTE] = "pte", [MMLAB_RMAP_PMD] = "pmd", [MMLAB_RMAP_HUGETLB] = "hugetlb",
};

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

/*
 * A large folio in one vma: how many of its pages it maps by PTE, which
 * ones (first-last, by index in the folio), and where the folio's first
 * page falls in it: aligned=1 when that is a multiple of the folio's size,
 * as a fault maps a fresh one; mremap() or a different mmap offset moves it.
 */
static void reply_map_large(struct mmlab_ctx *ctx, struct folio *folio,
			    const struct mmlab_rmap_map *m)
{
	mmlab_reply(ctx, " ptes=%d", m->ptes);
	if (m->first < 0)
		return;
	mmlab_reply(ctx, " folio_pages=%d-%d folio_addr=0x%lx aligned=%d", m->first, m->last,
		    m->base, IS_ALIGNED(m->base, folio_size(folio)));
}

static void reply_map(struct mmlab_ctx *ctx, struct folio *folio, struct mmlab_rmap_map *m)
{
	char flags[96];

	mmlab_quotable(m->comm);
	vm_flag_names(m->vm_flags, flags, sizeof(flags));
	mmlab_reply(ctx,
		    "map pid=%d comm=\"%s\" vma=0x%lx-0x%lx addr=0x%lx level=%s young=%d dirty=%d vm_flags=%s page=%d",
		    m->pid, m->comm, m->vm_start, m->vm_end, m->addr, level_names[m->level],
		    m->young, m->dirty, flags, m->page);
	if (folio_test_large(folio) && !folio_test_hugetlb(folio))
		reply_map_large(ctx, folio, m);
	mmlab_reply(ctx, "\n");
	trace_rmap_map(folio_pfn(folio), m->pid, m->vm_start, m->vm_end, m->addr,
		       level_names[m->level], m->young, m->dirty, m->page, m->ptes);
}

/*
 * Every page of a large folio, in runs of pages alike:
 * "FIRST[-LAST]:FOUND/MAPCOUNT", FOUND the mappings the walk found of each
 * page (its PTE entries plus the folio's PMD entries), MAPCOUNT the
 * kernel's count of it (/proc/kpagecount's).
 */
static void reply_pages(struct mmlab_ctx *ctx, const struct mmlab_rmap_result *r)
{
	const int *found = r->page_found, *count = r->page_count;
	int i, start = 0;

	if (!r->nr)
		return;
	mmlab_reply(ctx, "pages nr=%d runs=", r->nr);
	for (i = 1; i <= r->nr; i++) {
		if (i < r->nr && found[i] == found[start] && count[i] == count[start])
			continue;
		mmlab_reply(ctx, "%s%d", start ? "," : "", start);
		if (i - 1 > start)
			mmlab_reply(ctx, "-%d", i - 1);
		mmlab_reply(ctx, ":%d/%d", found[start] + r->pmds, count[start]);
		start = i;
	}
	mmlab_reply(ctx, "\n");
}

/*
 * A large folio's own counts against the walk: PMD entries against
 * entire_mapcount, all entries against folio_mapcount (6.12 reads
 * _large_mapcount for it, shown as large_mapcount=; 6.1 sums the pages,
 * total_mapcount()), and the pages' mapcounts one by one
 * (page_mismatches=, the first at bad_page=) and summed: PTE entries plus
 * nr x PMD entries.
 */
static void reply_summary_large(struct mmlab_ctx *ctx, struct folio *folio,
				const struct mmlab_rmap_result *r,
				const struct mmlab_rmap_counts *c)
{
	int bad, n = mmlab_rmap_page_mismatches(r, &bad);

	mmlab_reply(ctx, " folio_pmd=%d entire_mapcount=%d folio_ptes=%d folio_mapcount=%d",
		    r->pmds, c->entire, r->ptes, c->folio_mapcount);
	if (mmlab_folio_large_mapcount(folio) >= 0)
		mmlab_reply(ctx, " large_mapcount=%d", mmlab_folio_large_mapcount(folio));
	if (!r->nr)
		return;
	mmlab_reply(ctx, " pages_checked=%d page_mismatches=%d page_mapcount_sum=%d",
		    r->nr, n, c->page_sum);
	if (n)
		mmlab_reply(ctx, " bad_page=%d", bad);
}

static void reply_summary(struct mmlab_ctx *ctx, struct folio *folio,
			  const struct mmlab_rmap_result *r, const struct mmlab_rmap_counts *c,
			  bool stable)
{
	bool agrees = mmlab_rmap_agrees(folio, r, c);
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
		reply_summary_large(ctx, folio, r, c);
	mmlab_reply(ctx, " young=%d", r->young);
	/* No total_forks (CONFIG_KALLSYMS_ALL): a fork during a walk goes unseen. */
	if (!mmlab_syms_ok(MMLAB_SYMS_FORK_CHECK))
		mmlab_reply(ctx, " fork_check=no");
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

static void reply_maps(struct mmlab_ctx *ctx, struct folio *folio, struct mmlab_rmap_result *r)
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
			   struct mmlab_rmap_result *r)
{
	struct folio *folio = tg->folio;
	struct mmlab_rmap_counts c;
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
	stable = mmlab_rmap_stable_walk(folio, tg->p.page, r, &c);
	young_before = r->young;
	referenced = kcall(folio_referenced)(folio, 1, NULL, &vm_flags);
	mmlab_count(rmap_referenced_walks);
	reply_head(ctx, tg);
	reply_maps(ctx, folio, r);
	reply_pages(ctx, r);
	reply_summary(ctx, folio, r, &c, stable);
	mmlab_rmap_list(folio, tg->p.page, r);
	folio_unlock(folio);
	kcall(putback_movable_pages)(&list);
	vm_flag_names(vm_flags, flags, sizeof(flags));
	mmlab_reply(ctx, " action=referenced referenced=%d referenced_vm_flags=%s",
		    referenced, flags);
	mmlab_reply(ctx, " young_before=%d young_after=%d\n", young_before, r->young);
	return 0;
}

static int rmap_run(struct mmlab_ctx *ctx, struct rmap_target *tg, struct mmlab_rmap_result *r)
{
	struct mmlab_rmap_counts c;
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
	stable = mmlab_rmap_stable_walk(tg->folio, tg->p.page, r, &c);
	folio_unlock(tg->folio);
	reply_head(ctx, tg);
	reply_maps(ctx, tg->folio, r);
	reply_pages(ctx, r);
	reply_summary(ctx, tg->folio, r, &c, stable);
	mmlab_reply(ctx, "\n");
	return 0;
}

int mmlab_cmd_rmap(struct mmlab_ctx *ctx)
{
	struct rmap_target tg = {};
	struct mmlab_rmap_result r = {};
	int ret;

	if (mmlab_has(ctx->cmd, MMLAB_KEY_pfn))
		ret = target_pfn(ctx, &tg);
	else
		ret = target_addr(ctx, &tg);
	if (ret) {
		mmlab_pages_put(&tg.p, 1);
		return ret;
	}
	r.maps = kvcalloc(MMLAB_RMAP_LISTED_MAX, sizeof(*r.maps), GFP_KERNEL);
	if (r.maps && !mmlab_rmap_pages_alloc(&r, tg.folio))
		ret = rmap_run(ctx, &tg, &r);
	else
		ret = mmlab_fail(ctx, -ENOMEM, "out of memory");
	mmlab_rmap_pages_free(&r);
	kvfree(r.maps);
	folio_put(tg.folio);
	return ret;
}
