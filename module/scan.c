// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab scan: check invariants over a range of a live process, after an
 * experiment has done its worst (E36, E37: migration racing VMA changes,
 * munmap and exit).  For every page: what its pte holds, and for a mapped
 * page whether the mappings a stable rmap walk finds agree with the
 * mapcounts the kernel keeps (the same test migrate's mapcount check uses).
 * A migration entry left behind after every command has returned is a bug
 * by itself: nothing would ever remove it.
 *
 * Reply: one "scan" line per page that breaks an invariant, a "folio" line
 * per large folio with what the cgroup-v1 charge mover will do with it
 * (kernels with one), then a summary.
 */
#include <linux/mm.h>
#include "cmd.h"
#include "core.h"
#include "kcall.h"
#include "compat.h"

struct scan_sum {
	unsigned long pages, present, swap, migration, none, other;
	unsigned long rmap_ok, rmap_mismatch, rmap_unknown;
	unsigned long large, mover_skip, mover_split;
	struct folio *last;	/* of the run before: a folio is walked once */
};

static const char * const fate_names[] = {
	[MMLAB_MOVER_MOVES] = "move", [MMLAB_MOVER_SKIPS] = "skip", [MMLAB_MOVER_SPLITS] = "split",
};

static const char * const fate_reasons[] = {
	[MMLAB_MOVER_MOVES] = "", [MMLAB_MOVER_SKIPS] = " reason=pte_mapped_large_folio",
	[MMLAB_MOVER_SPLITS] = " reason=deferred_split",
};

/*
 * A large folio (not hugetlb) met in the range, @nr of its pages in a run:
 * what the cgroup-v1 charge mover will do with it when this process moves
 * to another memcg (compat.h's mmlab_mover_large()), one "folio" line.
 * No mover on a kernel without cgroup-v1 memcg.
 */
static void scan_large(struct mmlab_ctx *ctx, struct mmlab_page *p, int nr, struct scan_sum *s)
{
	struct folio *folio = page_folio(p->page);
	bool pmd = p->map == MMLAB_MAP_PMD;
	enum mmlab_mover_fate fate;

	s->large++;
	if (!MMLAB_HAVE_MEMCG_V1)
		return;
	fate = mmlab_mover_large(folio, pmd);
	s->mover_skip += fate == MMLAB_MOVER_SKIPS;
	s->mover_split += fate == MMLAB_MOVER_SPLITS;
	mmlab_reply(ctx, "folio addr=0x%lx pfn=0x%lx order=%u map=%s pages=%d mover=%s%s\n",
		    p->addr, folio_pfn(folio), folio_order(folio), pmd ? "pmd" : "pte", nr,
		    fate_names[fate], fate_reasons[fate]);
}

/* @nr entries from @p: one page, or a run of pages of one folio. */
static void scan_page(struct mmlab_ctx *ctx, struct mmlab_page *p, int nr, struct scan_sum *s)
{
	struct folio *folio;
	int agree;

	switch (p->map) {
	case MMLAB_MAP_PTE:
	case MMLAB_MAP_PMD:
		s->present += nr;
		folio = page_folio(p->page);
		/* One walk per folio: it checks every page of a large one. */
		if (folio == s->last)
			return;
		if (folio_test_large(folio) && !folio_test_hugetlb(folio))
			scan_large(ctx, p, nr, s);
		agree = mmlab_rmap_consistent(p->page);
		if (agree > 0) {
			s->rmap_ok++;
			return;
		}
		if (agree < 0) {
			s->rmap_unknown++;
			return;
		}
		s->rmap_mismatch++;
		mmlab_reply(ctx, "scan addr=0x%lx pfn=0x%lx problem=rmap_mismatch\n", p->addr,
			    page_to_pfn(p->page));
		return;
	case MMLAB_MAP_MIGRATION:
		s->migration++;
		mmlab_reply(ctx, "scan addr=0x%lx problem=migration_entry entry=0x%lx\n",
			    p->addr, p->swp);
		return;
	case MMLAB_MAP_SWAP:
		s->swap++;
		return;
	case MMLAB_MAP_NONE:
		s->none++;
		return;
	default:
		s->other++;
	}
}

static void scan_batch(struct mmlab_ctx *ctx, struct mmlab_page *pages, int n, void *arg)
{
	struct scan_sum *s = arg;
	int i, nr;

	for (i = 0; i < n; i += nr) {
		nr = mmlab_folio_run(&pages[i], n - i);
		scan_page(ctx, &pages[i], nr, s);
		s->last = pages[i].page ? page_folio(pages[i].page) : NULL;
	}
	s->pages += n;
}

static void reply_mover(struct mmlab_ctx *ctx, struct scan_sum *s)
{
	mmlab_reply(ctx, " large_folios=%lu", s->large);
	if (MMLAB_HAVE_MEMCG_V1)
		mmlab_reply(ctx, " mover_skip=%lu mover_split=%lu", s->mover_skip, s->mover_split);
	else
		mmlab_reply(ctx, " mover=none");
}

int mmlab_cmd_scan(struct mmlab_ctx *ctx)
{
	struct scan_sum s = {};
	int ret;

	ret = mmlab_range_batches(ctx, scan_batch, &s);
	if (ret)
		return ret;
	mmlab_reply(ctx,
		    "summary op=scan pages=%lu present=%lu swap=%lu migration_entries=%lu none=%lu other=%lu rmap_ok=%lu rmap_mismatch=%lu rmap_unknown=%lu",
		    s.pages, s.present, s.swap, s.migration, s.none, s.other, s.rmap_ok,
		    s.rmap_mismatch, s.rmap_unknown);
	reply_mover(ctx, &s);
	mmlab_reply(ctx, "%s ok=%s\n",
		    /* no total_forks: a fork during a walk goes unseen */
		    mmlab_syms_ok(MMLAB_SYMS_FORK_CHECK) ? "" : " fork_check=no",
		    s.migration || s.rmap_mismatch ? "no" : "yes");
	return 0;
}
