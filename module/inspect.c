// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab inspect: one `page` line per virtual page of the range, the page
 * state (pageinfo.c) of what it maps, then a summary.
 */
#include <linux/mm.h>
#include <linux/memcontrol.h>
#include <linux/cgroup.h>
#include "cmd.h"
#include "core.h"

/* The memcg path of @id, or "-" for none. */
static void memcg_path(unsigned short id, struct folio *folio, char *buf, size_t len)
{
	struct mem_cgroup *memcg;

	snprintf(buf, len, "-");
	if (!id || !folio)
		return;
	rcu_read_lock();
	memcg = folio_memcg(folio);
	if (memcg && css_tryget(&memcg->css)) {
		rcu_read_unlock();
		cgroup_path(memcg->css.cgroup, buf, len);
		css_put(&memcg->css);
		return;
	}
	rcu_read_unlock();
}

/*
 * A large folio that is not hugetlb (nor the huge zero page): its mapcounts
 * and deferred-split state.  @ptes: the PTEs of the walked batch (up to
 * MMLAB_BATCH pages of this command's range) that map it; other processes'
 * and other batches' PTEs are not in it (rmap counts those).
 */
static void reply_large(struct mmlab_ctx *ctx, const struct mmlab_pstate *st, int ptes)
{
	mmlab_reply(ctx, " entire_mapcount=%d", st->entire_mapcount);
	if (!strcmp(st->kind, "zero"))
		return;
	if (st->large_mapcount >= 0)
		mmlab_reply(ctx, " large_mapcount=%d", st->large_mapcount);
	mmlab_reply(ctx, " walk_ptes=%d", ptes);
	if (st->partially_mapped >= 0)
		mmlab_reply(ctx, " partially_mapped=%d", st->partially_mapped);
	mmlab_reply(ctx, " deferred_split=%d", st->deferred_split);
}

static void reply_pstate(struct mmlab_ctx *ctx, const struct mmlab_page *p,
			 const struct mmlab_pstate *st, int ptes)
{
	char path[128];

	if (!p->page) {
		if (p->swp)
			mmlab_reply(ctx, "page addr=0x%lx pte=%s kind=none swp=0x%lx\n", p->addr,
				    mmlab_map_name(p->map), p->swp);
		else
			mmlab_reply(ctx, "page addr=0x%lx pte=%s kind=none\n", p->addr,
				    mmlab_map_name(p->map));
		return;
	}
	memcg_path(st->memcg_id, mmlab_page_folio(p), path, sizeof(path));
	mmlab_reply(ctx,
		    "page addr=0x%lx pte=%s pfn=0x%lx nid=%d zone=%s order=%u kind=%s flags=%s refs=%d mapcount=%d folio_mapcount=%d",
		    p->addr, mmlab_map_name(p->map), st->pfn, st->nid, st->zone, st->order,
		    st->kind, st->flags, st->refs, st->mapcount, st->folio_mapcount);
	if (st->order && strcmp(st->kind, "hugetlb"))
		reply_large(ctx, st, ptes);
	mmlab_reply(ctx, " young=%d dirty_pte=%d vma_locked=%d memcg=%s memcg_id=%u\n",
		    p->young, p->dirty, st->vma_locked, path, st->memcg_id);
}

struct inspect_sum {
	unsigned long total, present;
};

/* PTEs among pages[0..n) that map @folio. */
static int batch_ptes(const struct mmlab_page *pages, int n, struct folio *folio)
{
	int i, ptes = 0;

	for (i = 0; i < n; i++)
		ptes += pages[i].map == MMLAB_MAP_PTE && page_folio(pages[i].page) == folio;
	return ptes;
}

static void inspect_batch(struct mmlab_ctx *ctx, struct mmlab_page *pages, int n, void *arg)
{
	struct inspect_sum *s = arg;
	struct folio *folio, *prev = NULL;
	struct mmlab_pstate st;
	int i, ours = 0, ptes = 0;

	for (i = 0; i < n; i++) {
		folio = mmlab_page_folio(&pages[i]);
		/* Counted once per run of pages of one folio, not once per page. */
		if (folio && folio != prev) {
			ours = mmlab_ours(pages, n, folio);
			ptes = folio_test_large(folio) ? batch_ptes(pages, n, folio) : 0;
		}
		prev = folio;
		mmlab_pstate(&pages[i], folio ? ours : 0, false, &st);
		reply_pstate(ctx, &pages[i], &st, ptes);
		s->present += !!pages[i].page;
	}
	s->total += n;
}

int mmlab_cmd_inspect(struct mmlab_ctx *ctx)
{
	struct inspect_sum s = {};
	int ret;

	if (mmlab_has(ctx->cmd, MMLAB_KEY_pfn))
		return mmlab_fail(ctx, -EOPNOTSUPP, "inspect pfn= is not implemented yet");
	ret = mmlab_range_batches(ctx, inspect_batch, &s);
	if (!ret)
		mmlab_reply(ctx, "summary op=inspect pages=%lu present=%lu\n", s.total, s.present);
	return ret;
}
