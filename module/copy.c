// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab copy: the physical floor of migration, for `make bench`.  It copies
 * the bytes of the target pages into new pages on node= (allocated as
 * migration allocates them: the folio's order, __GFP_THISNODE) and frees
 * them again.  The reply times the copies alone and allocation + copy +
 * free (each a batch at a time), so that migrating the same pages can be put against what moving
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
	struct folio **src, **dst;	/* a batch's folios: MMLAB_BATCH of each */
};

/*
 * A destination as migration allocates it: the folio's order on @nid,
 * __GFP_THISNODE (and no retrying for a large one).
 */
static struct folio *dst_alloc(struct folio *src, int nid)
{
	gfp_t gfp = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NOWARN;
	unsigned int order = folio_order(src);

	if (order)
		gfp |= __GFP_NORETRY;
	return __folio_alloc_node(gfp, order, nid);
}

/*
 * Copy the batch's @n folios: allocate every destination, copy every
 * folio, free every destination, each phase timed once for the batch (a
 * clock read per folio, HPET under tsc=unstable, would weigh on the
 * 4 KiB case; and the caller reschedules between batches, outside them).
 */
static void copy_folios(struct copy_sum *s, int n)
{
	u64 t0 = ktime_get_ns(), t1, t2;
	int i, got = 0;
	long j;

	for (i = 0; i < n; i++) {
		s->dst[got] = dst_alloc(s->src[i], s->nid);
		if (s->dst[got])
			s->src[got++] = s->src[i];
		else
			s->alloc_failed++;
	}
	t1 = ktime_get_ns();
	for (i = 0; i < got; i++)
		for (j = 0; j < folio_nr_pages(s->src[i]); j++)
			copy_highpage(folio_page(s->dst[i], j), folio_page(s->src[i], j));
	t2 = ktime_get_ns();
	for (i = 0; i < got; i++) {
		s->pages += folio_nr_pages(s->src[i]);
		folio_put(s->dst[i]);
	}
	s->folios += got;
	s->copy_ns += t2 - t1;
	s->total_ns += ktime_get_ns() - t0;
}

static void copy_batch(struct mmlab_ctx *ctx, struct mmlab_page *pages, int n, void *arg)
{
	struct folio *last = NULL, *folio;
	struct copy_sum *s = arg;
	int i, nr = 0;

	for (i = 0; i < n; i++) {
		if (!pages[i].page || pages[i].map == MMLAB_MAP_ZERO ||
		    pages[i].map == MMLAB_MAP_DEVICE_PRIVATE)	/* no CPU access */
			continue;
		folio = page_folio(pages[i].page);
		if (folio != last && !folio_test_hugetlb(folio))
			s->src[nr++] = folio;	/* the walk's reference holds it */
		last = folio;
	}
	copy_folios(s, nr);
}

int mmlab_cmd_copy(struct mmlab_ctx *ctx)
{
	int nid = ctx->cmd->num[MMLAB_KEY_node];
	struct copy_sum s = { .nid = nid };
	int ret;

	ret = mmlab_check_node(ctx, nid);
	if (ret)
		return ret;
	s.src = kvcalloc(MMLAB_BATCH, sizeof(*s.src), GFP_KERNEL);
	s.dst = kvcalloc(MMLAB_BATCH, sizeof(*s.dst), GFP_KERNEL);
	if (s.src && s.dst)
		ret = mmlab_range_batches(ctx, copy_batch, &s);
	else
		ret = mmlab_fail(ctx, -ENOMEM, "out of memory");
	kvfree(s.src);
	kvfree(s.dst);
	if (!ret)
		mmlab_reply(ctx,
			    "summary op=copy pages=%lu folios=%lu bytes=%lu node=%d copy_ns=%llu total_ns=%llu alloc_failed=%lu\n",
			    s.pages, s.folios, s.pages << PAGE_SHIFT, nid, s.copy_ns, s.total_ns,
			    s.alloc_failed);
	return ret;
}
