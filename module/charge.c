// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab move_charge: move the memcg charge of the target pages the way the
 * cgroup-v1 charge mover does it for one page (mm/memcontrol.c, 6.1), with
 * a choice of which pages may move, so that the rules argued in the
 * lock_page_memcg() NAK thread run side by side on the same pages:
 *
 *   kernel       what get_mctgt_type() takes: present pages, swapcache
 *                pages behind swap ptes, page-cache pages behind empty
 *                ptes of file vmas (mapped elsewhere, or by nobody),
 *                device-private pages behind their swap-type ptes
 *   present      present ptes only
 *   skip-mapped  a page found through a non-present pte is refused while
 *                it is mapped anywhere, checked under the folio lock
 *
 * Per page, as mem_cgroup_move_charge_pte_range() does: a folio reference,
 * the folio locked (6.2+; 6.1's mem_cgroup_move_account() trylocks itself)
 * and off its LRU list, mem_cgroup_move_account() (which moves the
 * statistics and memcg_data), then the
 * page_counter charge: charged to the destination first, as the mover's
 * precharge, uncharged from the source once moved (memory and, in v1,
 * memsw).  Around it all, the source's moving_account is raised and
 * synchronize_rcu() waited for, as the mover does, so that rmap's
 * lock_page_memcg() callers take the move lock meanwhile.
 *
 * cgroup-v1 only: kernels built without CONFIG_MEMCG_V1 never reach here
 * (caps.c gates the verb).
 */
#include <linux/mm.h>
#include <linux/memcontrol.h>
#include <linux/cgroup.h>
#include <linux/pagemap.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/mmap_lock.h>
#include "cmd.h"
#include "core.h"
#include "mmlab_trace.h"
#include "kcall.h"
#include "compat.h"

#if MMLAB_HAVE_MEMCG_V1

/*
 * MC_DEVICE: a device-private pte, get_mctgt_type()'s MC_TARGET_DEVICE
 * ("charged like a regular page", never on an LRU list: moved unisolated).
 * MC_HUGETLB: any page of a hugetlb vma, which the mover never looks at.
 */
enum mc_pte { MC_PRESENT, MC_SWAP, MC_FILE, MC_NONE, MC_DEVICE, MC_HUGETLB };
static const char * const pte_names[] = {
	"present", "swap", "file", "none", "device", "hugetlb"
};

/* The memcg statistics the reply compares, as memory.stat names them. */
static const struct { int idx; const char *name; } mc_stats[] = {
	{ NR_ANON_MAPPED, "anon" },
	{ NR_FILE_PAGES, "file" },
	{ NR_FILE_MAPPED, "file_mapped" },
	{ NR_SHMEM, "shmem" },
	{ NR_FILE_DIRTY, "file_dirty" },
	{ NR_WRITEBACK, "writeback" },
};

#define MC_NR_STATS ARRAY_SIZE(mc_stats)

struct mc_snap {
	long v[MC_NR_STATS + 1];	/* the stats, then usage in pages */
};

struct mc_ctl {
	struct mem_cgroup *from, *to;
	int policy;
	unsigned long pages, moved, skipped, unmapped;
};

/* Flushed first: memory.stat lags a few seconds otherwise. */
static void snap(struct mem_cgroup *memcg, struct mc_snap *s)
{
	unsigned int i;

	kcall(cgroup_rstat_flush)(memcg->css.cgroup);
	for (i = 0; i < MC_NR_STATS; i++)
		s->v[i] = kcall(memcg_page_state)(memcg, mc_stats[i].idx);
	s->v[MC_NR_STATS] = page_counter_read(&memcg->memory);
}

/*
 * The online memcg whose v1 path (inside the memory hierarchy) is @path.
 * A removed memcg that charges still keep alive has the same path: skip it.
 */
static struct mem_cgroup *memcg_by_path(struct mem_cgroup *any, const char *path)
{
	struct cgroup_subsys_state *root, *pos;
	struct mem_cgroup *found = NULL;
	bool removed = false;
	char *buf;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	while (parent_mem_cgroup(any))
		any = parent_mem_cgroup(any);
	root = &any->css;
	rcu_read_lock();
	css_for_each_descendant_pre(pos, root) {
		if (cgroup_path(pos->cgroup, buf, PATH_MAX) < 0 || strcmp(buf, path))
			continue;
		if (css_tryget_online(pos)) {
			found = mem_cgroup_from_css(pos);
			break;
		}
		removed = true;
	}
	rcu_read_unlock();
	kfree(buf);
	return found ?: ERR_PTR(removed ? -EBUSY : -ENOENT);
}

static int memcgs_get(struct mmlab_ctx *ctx, struct mm_struct *mm, struct mc_ctl *mc)
{
	const char *path = ctx->cmd->str[MMLAB_KEY_to];

	if (cgroup_subsys_on_dfl(memory_cgrp_subsys))
		return mmlab_fail(ctx, -EOPNOTSUPP,
				  "no cgroup-v1 memory hierarchy is mounted: the controller is on cgroup v2, which has no charge mover");
	mc->from = get_mem_cgroup_from_mm(mm);
	mc->to = memcg_by_path(mc->from, path);
	if (IS_ERR(mc->to)) {
		int err = PTR_ERR(mc->to);

		mc->to = NULL;
		if (err == -EBUSY)
			return mmlab_fail(ctx, err, "memcg %s is being removed", path);
		return mmlab_fail(ctx, err, err == -ENOMEM ? "out of memory" :
				  "no memcg %s in the v1 memory hierarchy", path);
	}
	if (mc->to == mc->from)
		return mmlab_fail(ctx, -EINVAL, "%s is the process's own memcg already", path);
	/* Stress moves the pages back on every other round. */
	if (ctx->reverse)
		swap(mc->from, mc->to);
	return 0;
}

static void memcgs_put(struct mc_ctl *mc)
{
	if (mc->to)
		css_put(&mc->to->css);
	mem_cgroup_put(mc->from);
}

/*
 * The page behind a non-present pte, with a reference, as get_mctgt_type()
 * finds it: a swap pte's swapcache folio, or the page-cache folio at an
 * empty pte's offset in a file vma.  Under the mmap read lock.
 *
 * Nothing in a hugetlb vma: the mover's walk_page_range() has no
 * hugetlb_entry, so it skips those vmas whole; and the 4 KiB
 * linear_page_index() is not the index of hugetlb page cache, which 6.1
 * keeps in huge-page units (it would find an unrelated huge page).
 */
static struct folio *behind(struct mm_struct *mm, struct mmlab_page *p, enum mc_pte *type)
{
	struct vm_area_struct *vma = vma_lookup(mm, p->addr);
	struct folio *folio = NULL;

	*type = MC_NONE;
	if (!vma)
		return NULL;
	if (is_vm_hugetlb_page(vma)) {
		*type = MC_HUGETLB;
	} else if (p->map == MMLAB_MAP_SWAP) {
		*type = MC_SWAP;
		return mmlab_swapcache_folio(p->swp);
	} else if (p->map == MMLAB_MAP_NONE && vma->vm_file) {
		*type = MC_FILE;
		folio = __filemap_get_folio(vma->vm_file->f_mapping,
					    linear_page_index(vma, p->addr), 0, 0);
	}
	return IS_ERR_OR_NULL(folio) ? NULL : folio;
}

/* Why @folio may not move under the command's policy, or NULL. */
static const char *refused(struct mc_ctl *mc, struct folio *folio, enum mc_pte type,
			   bool pmd)
{
	bool mapped;

	if (type != MC_PRESENT && mc->policy == MMLAB_POLICY_PRESENT)
		return "policy";
	if (folio_memcg(folio) != mc->from)
		return "not_charged_to_source";
	/* The mover skips a PTE-mapped large folio (PageTransCompound). */
	if (mmlab_mover_large(folio, pmd) == MMLAB_MOVER_SKIPS)
		return "pte_mapped_large_folio";
	/*
	 * The deferred-split queue a folio is on is its memcg's: moved, it
	 * would stay on the source's queue, handled under the destination's
	 * lock (6.12's mem_cgroup_move_account() unqueues it with a
	 * WARN_ON_ONCE, and its mover splits such a folio first; 6.1 moves it
	 * whole).  mmlab neither splits a folio behind the user's back nor
	 * corrupts a queue: refused on both.
	 */
	if (pmd && mmlab_folio_deferred_split(folio))
		return "deferred_split";
	/* A device-private page is mapped by this very pte, as a present one. */
	if (type == MC_PRESENT || type == MC_DEVICE || mc->policy != MMLAB_POLICY_SKIP_MAPPED)
		return NULL;
	if (!folio_trylock(folio))
		return "trylock_failed";
	mapped = folio_mapped(folio);
	folio_unlock(folio);
	return mapped ? "mapped_elsewhere" : NULL;
}

/*
 * mm/memcontrol.c's do_memsw_account(), which try_charge() and
 * cancel_charge() ask: memory+swap is counted only while the memory
 * controller is on a cgroup-v1 hierarchy.
 */
static bool memsw_account(void)
{
	return !cgroup_subsys_on_dfl(memory_cgrp_subsys);
}

/* root_mem_cgroup, which mem_cgroup_is_root() reads, is not exported. */
static bool is_root(struct mem_cgroup *memcg)
{
	return !memcg->css.parent;
}

/*
 * The destination's charge, as the mover's precharge; false if over limit.
 * The root memcg keeps no page_counter charges (try_charge() and
 * cancel_charge() skip it).
 */
static bool charge_to(struct mem_cgroup *to, unsigned long nr)
{
	struct page_counter *fail;

	if (is_root(to))
		return true;
	if (!kcall(page_counter_try_charge)(&to->memory, nr, &fail))
		return false;
	if (!memsw_account() || kcall(page_counter_try_charge)(&to->memsw, nr, &fail))
		return true;
	kcall(page_counter_uncharge)(&to->memory, nr);
	return false;
}

static void uncharge(struct mem_cgroup *memcg, unsigned long nr)
{
	if (is_root(memcg))
		return;
	kcall(page_counter_uncharge)(&memcg->memory, nr);
	if (memsw_account())
		kcall(page_counter_uncharge)(&memcg->memsw, nr);
}

/*
 * Since v6.2 (the fix that came out of seed 000's thread: "mm: memcontrol:
 * skip moving non-present pages that are mapped elsewhere") the mover's
 * get_mctgt_type() trylocks the folio and mem_cgroup_move_account() asserts
 * it (VM_BUG_ON_FOLIO on a DEBUG_VM kernel); 6.1's took the trylock itself
 * and fails -EBUSY on a folio its caller holds locked.
 */
static bool move_lock(struct folio *folio)
{
	return !MMLAB_MOVER_LOCKS_FOLIO || folio_trylock(folio);
}

static void move_unlock(struct folio *folio)
{
	if (MMLAB_MOVER_LOCKS_FOLIO)
		folio_unlock(folio);
}

/*
 * Move one folio; NULL when moved, else why not.  *mapped: at move time.
 * A device-private folio (@device) is never on an LRU list: the mover
 * moves it as it is.
 */
static const char *move_one(struct mc_ctl *mc, struct folio *folio, bool pmd, bool device,
			    int *mapped)
{
	unsigned long nr = pmd ? folio_nr_pages(folio) : 1;
	LIST_HEAD(list);
	int ret;

	if (!move_lock(folio))
		return "trylock_failed";
	if (!device && mmlab_isolate(folio, &list)) {
		move_unlock(folio);
		return "isolation_failed";
	}
	if (!charge_to(mc->to, nr)) {
		kcall(putback_movable_pages)(&list);
		move_unlock(folio);
		return "destination_over_limit";
	}
	*mapped = mmlab_folio_mapcount(folio);
	/* &folio->page is the folio itself, for 6.2+'s struct folio * too. */
	ret = kcall(mem_cgroup_move_account)(&folio->page, pmd, mc->from, mc->to);
	kcall(putback_movable_pages)(&list);	/* empty for a device folio */
	move_unlock(folio);
	if (ret) {
		uncharge(mc->to, nr);
		return ret == -EBUSY ? "trylock_failed" : "memcg_changed";
	}
	uncharge(mc->from, nr);
	return NULL;
}

static void trace_page(struct mc_ctl *mc, struct mmlab_page *p, struct folio *folio,
		       enum mc_pte type, const char *why, int mapped)
{
	struct mmlab_tp_charge c = {
		.addr = p->addr, .pte = pte_names[type], .mapcount = why ? -1 : mapped,
		.from_id = mem_cgroup_id(mc->from), .to_id = mem_cgroup_id(mc->to),
		.result = why ? "skipped" : "moved", .reason = why,
	};

	if (folio) {
		c.pfn = folio_pfn(folio);
		c.order = folio_order(folio);
	}
	trace_move_charge(&c);
}

/* @nr: the range's pages that @folio stands for (a large folio's run). */
static void one_page(struct mmlab_ctx *ctx, struct mc_ctl *mc, struct mmlab_page *p,
		     struct folio *folio, enum mc_pte type, int nr)
{
	bool pmd = p->map == MMLAB_MAP_PMD;
	const char *why = type == MC_HUGETLB ? "hugetlb_vma" : "no_page";
	int mapped = -1;

	mc->pages++;
	/* Without swapper_spaces (a variable: CONFIG_KALLSYMS_ALL) nobody looked. */
	if (!folio && type == MC_SWAP && !mmlab_syms_ok(MMLAB_SYMS_SWAPCACHE))
		why = "swapcache_unavailable";
	if (folio) {
		why = refused(mc, folio, type, pmd);
		if (!why)
			why = move_one(mc, folio, pmd, type == MC_DEVICE, &mapped);
	}
	trace_page(mc, p, folio, type, why, mapped);
	mmlab_reply(ctx, "move_charge addr=0x%lx pte=%s", p->addr, pte_names[type]);
	if (folio)
		mmlab_reply(ctx, " pfn=0x%lx order=%u", folio_pfn(folio), folio_order(folio));
	if (folio && folio_test_large(folio))
		mmlab_reply(ctx, " folio_pages=%d", nr);
	if (why) {
		mc->skipped++;
		mmlab_count(move_charge_pages_skipped);
		mmlab_reply(ctx, " result=skipped reason=%s\n", why);
		return;
	}
	mc->moved++;
	mmlab_count(move_charge_pages_moved);
	if (!mapped) {
		mc->unmapped++;
		mmlab_count(move_charge_unmapped);
	}
	mmlab_reply(ctx, " mapped=%d mapcount=%d result=moved\n", !!mapped, mapped);
}

/* The pages of one batch: present ones from the walk, the others looked up. */
static int batch(struct mmlab_ctx *ctx, struct mc_ctl *mc, struct mmlab_target *t,
		 struct mmlab_page *pages, int n)
{
	struct folio *folio;
	enum mc_pte type;
	int i, nr;

	for (i = 0; i < n; i += nr) {
		struct mmlab_page *p = &pages[i];

		/*
		 * A large folio's pages are one line: a PMD-mapped THP moves
		 * once, whole, as the mover does; a PTE-mapped one is skipped.
		 */
		nr = mmlab_folio_run(p, n - i);
		if (p->map == MMLAB_MAP_PTE || p->map == MMLAB_MAP_PMD) {
			one_page(ctx, mc, p, page_folio(p->page), MC_PRESENT, nr);
			continue;
		}
		if (p->map == MMLAB_MAP_DEVICE_PRIVATE) {
			/* The walk's reference holds it, as for a present page. */
			one_page(ctx, mc, p, page_folio(p->page), MC_DEVICE, 1);
			continue;
		}
		if (mmap_read_lock_killable(t->mm))
			return mmlab_fail(ctx, -EINTR, "interrupted");
		folio = behind(t->mm, p, &type);
		mmap_read_unlock(t->mm);
		one_page(ctx, mc, p, folio, type, 1);
		if (folio)
			folio_put(folio);
	}
	return 0;
}

static void reply_summary(struct mmlab_ctx *ctx, struct mc_ctl *mc, struct mc_snap *s0,
			  struct mc_snap *d0)
{
	static const char * const policies[] = { "kernel", "present", "skip-mapped" };
	struct mc_snap s1, d1;
	unsigned int i;

	snap(mc->from, &s1);
	snap(mc->to, &d1);
	mmlab_reply(ctx, "summary op=move_charge policy=%s to=%s pages=%lu",
		    policies[mc->policy], ctx->cmd->str[MMLAB_KEY_to], mc->pages);
	mmlab_reply(ctx, " moved=%lu skipped=%lu unmapped_moved=%lu", mc->moved, mc->skipped,
		    mc->unmapped);
	for (i = 0; i <= MC_NR_STATS; i++) {
		const char *name = i < MC_NR_STATS ? mc_stats[i].name : "usage";

		mmlab_reply(ctx, " src_%s=%+ld dst_%s=%+ld", name, s1.v[i] - s0->v[i],
			    name, d1.v[i] - d0->v[i]);
	}
	mmlab_reply(ctx, "\n");
}

static int move_range(struct mmlab_ctx *ctx, struct mc_ctl *mc, struct mmlab_target *t)
{
	struct mmlab_page *pages;
	struct mc_snap s0, d0;
	unsigned long addr;
	int n, ret = 0;

	pages = kvcalloc(MMLAB_BATCH, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return mmlab_fail(ctx, -ENOMEM, "out of memory");
	snap(mc->from, &s0);
	snap(mc->to, &d0);
	kcall(lru_add_drain_all)();
	/* As the mover: rmap's lock_page_memcg() takes the move lock from now on. */
	atomic_inc(&mc->from->moving_account);
	synchronize_rcu();
	for (addr = t->start; addr < t->end && !ret; addr += n * PAGE_SIZE) {
		n = mmlab_walk(ctx, t, addr, pages);
		if (n < 0) {
			ret = n;
			break;
		}
		ret = batch(ctx, mc, t, pages, n);
		mmlab_pages_put(pages, n);
		cond_resched();	/* as the mover does per pmd: a long range must not lock up a CPU */
		if (!ret && fatal_signal_pending(current))
			ret = mmlab_fail(ctx, -EINTR, "interrupted");
	}
	atomic_dec(&mc->from->moving_account);
	kvfree(pages);
	if (!ret)
		reply_summary(ctx, mc, &s0, &d0);
	return ret;
}

int mmlab_cmd_move_charge(struct mmlab_ctx *ctx)
{
	struct mc_ctl mc = { .policy = ctx->cmd->num[MMLAB_KEY_policy] };
	struct mmlab_target t;
	int ret;

	ret = mmlab_target_get(ctx, &t);
	if (ret)
		return ret;
	ret = memcgs_get(ctx, t.mm, &mc);
	if (!ret)
		ret = move_range(ctx, &mc, &t);
	memcgs_put(&mc);
	mmlab_target_put(&t);
	return ret;
}

#else

int mmlab_cmd_move_charge(struct mmlab_ctx *ctx)
{
	return mmlab_fail(ctx, -EOPNOTSUPP, "kernel built without CONFIG_MEMCG_V1");
}

#endif /* MMLAB_HAVE_MEMCG_V1 */
