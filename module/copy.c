// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab copy: the physical floor of migration, for `make bench`.  It copies
 * the bytes of the target pages into new pages on node= (allocated as
 * migration allocates them: the folio's order, __GFP_THISNODE) and frees
 * them again.  The reply times the copies alone and allocation + copy +
 * free, so that migrating the same pages can be put against what moving
 * their bytes between the nodes costs.  Nothing of the target changes.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include "cmd.h"
#include "core.h"

struct copy_sum {
	int nid;
	unsigned long pages, folios, alloc_failed;
	u64 copy_ns, total_ns;
};

/* Copy one folio to a new one on @nid; the new one is freed again. */
static void copy_folio(struct folio *src, int nid, struct copy_sum *s)
{
	gfp_t gfp = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NOWARN;
	unsigned int order = folio_order(src);
	long i, nr = folio_nr_pages(src);
	struct folio *dst;
	u64 t0 = ktime_get_ns(), t1;

	if (order)
		gfp |= __GFP_NORETRY;
	dst = __folio_alloc_node(gfp, order, nid);
	if (!dst) {
		s->alloc_failed++;
		return;
	}
	t1 = ktime_get_ns();
	for (i = 0; i < nr; i++) {
		copy_highpage(folio_page(dst, i), folio_page(src, i));
		cond_resched();
	}
	s->copy_ns += ktime_get_ns() - t1;
	folio_put(dst);
	s->total_ns += ktime_get_ns() - t0;
	s->folios++;
	s->pages += nr;
}

static void copy_batch(struct mmlab_ctx *ctx, struct mmlab_page *pages, int n, void *arg)
{
	struct folio *last = NULL, *folio;
	struct copy_sum *s = arg;
	int i;

	for (i = 0; i < n; i++) {
		if (!pages[i].page || pages[i].map == MMLAB_MAP_ZERO ||
		    pages[i].map == MMLAB_MAP_DEVICE_PRIVATE)	/* no CPU access */
			continue;
		folio = page_folio(pages[i].page);
		if (folio != last && !folio_test_hugetlb(folio))
			copy_folio(folio, s->nid, s);
		last = folio;
	}
}

int mmlab_cmd_copy(struct mmlab_ctx *ctx)
{
	int nid = ctx->cmd->num[MMLAB_KEY_node];
	struct copy_sum s = { .nid = nid };
	int ret;

	ret = mmlab_check_node(ctx, nid);
	if (!ret)
		ret = mmlab_range_batches(ctx, copy_batch, &s);
	if (!ret)
		mmlab_reply(ctx,
			    "summary op=copy pages=%lu folios=%lu bytes=%lu node=%d copy_ns=%llu total_ns=%llu alloc_failed=%lu\n",
			    s.pages, s.folios, s.pages << PAGE_SHIFT, nid, s.copy_ns, s.total_ns,
			    s.alloc_failed);
	return ret;
}
