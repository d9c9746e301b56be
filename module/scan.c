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
 * Reply: one "scan" line per page that breaks an invariant, then a summary.
 */
#include <linux/mm.h>
#include "cmd.h"
#include "core.h"
#include "kcall.h"

struct scan_sum {
	unsigned long pages, present, swap, migration, none, other;
	unsigned long rmap_ok, rmap_mismatch, rmap_unknown;
	struct folio *last;	/* of the page before: a PMD-mapped folio is walked once */
};

static void scan_page(struct mmlab_ctx *ctx, struct mmlab_page *p, struct folio *last,
		      struct scan_sum *s)
{
	int agree;

	switch (p->map) {
	case MMLAB_MAP_PTE:
	case MMLAB_MAP_PMD:
		s->present++;
		/* One walk per PMD-mapped folio: its pages share the mapping. */
		if (p->map == MMLAB_MAP_PMD && page_folio(p->page) == last)
			return;
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
	int i;

	for (i = 0; i < n; i++) {
		scan_page(ctx, &pages[i], s->last, s);
		s->last = pages[i].page ? page_folio(pages[i].page) : NULL;
	}
	s->pages += n;
}

int mmlab_cmd_scan(struct mmlab_ctx *ctx)
{
	struct scan_sum s = {};
	int ret;

	ret = mmlab_range_batches(ctx, scan_batch, &s);
	if (!ret)
		mmlab_reply(ctx,
			    "summary op=scan pages=%lu present=%lu swap=%lu migration_entries=%lu none=%lu other=%lu rmap_ok=%lu rmap_mismatch=%lu rmap_unknown=%lu%s ok=%s\n",
			    s.pages, s.present, s.swap, s.migration, s.none, s.other, s.rmap_ok,
			    s.rmap_mismatch, s.rmap_unknown,
			    /* no total_forks: a fork during a walk goes unseen */
			    mmlab_syms_ok(MMLAB_SYMS_FORK_CHECK) ? "" : " fork_check=no",
			    s.migration || s.rmap_mismatch ? "no" : "yes");
	return ret;
}
