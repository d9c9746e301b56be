// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab split: split the large folio mapped at addr= to order= (default 0)
 * with the kernel's own THP split, as debugfs split_huge_pages does for a
 * pid's range (mm/huge_memory.c, split_huge_pages_pid()), for one folio and
 * with before/after checks.
 *
 * As that code: our own folio reference (the one can_split_folio() counts
 * as the caller's), folio_trylock() (never wait: mmlab's own `lock` may
 * hold it), then split_huge_page_to_list_to_order() (6.10+; 6.1:
 * split_huge_page_to_list(), order 0 only) with no list, so the new folios
 * go on the LRU, then unlock and put the folio of the page we passed (the
 * head page: the split moves our reference and lock to its new folio and
 * unlocks the others).  What the kernel would refuse with a VM_WARN (order
 * 1 of an anon folio, a non-zero order of shmem or of a mapping without
 * large folios) is refused here first, with a reason.
 *
 * Before and after, the pages of the folio that the process maps are
 * walked: the same pfns must stay mapped, on the same node, with the same
 * mapcount and (verify=1) the same bytes.  A file or shmem folio's split
 * unmaps its pages instead (remap_page() remaps anon folios only: the
 * process refaults them from the page cache), so its pages are checked in
 * the page cache: the same pfns at the same indices, same node, same bytes.
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/crc32.h>
#include "cmd.h"
#include "core.h"
#include "kcall.h"

/* A page of the folio, as the before-walk found it. */
struct split_rec {
	unsigned long pfn;	/* 0: the process does not map this page of the folio */
	int nid, mapcount;
	u32 csum;
};

struct split_ctl {
	struct mmlab_target t;
	struct mmlab_page *pages;	/* the folio's span of virtual pages */
	struct split_rec *rec;
	struct folio *folio;
	struct inode *inode;	/* a file folio's, held across the split (igrab()) */
	pgoff_t index;		/* a file folio's first index */
	unsigned long head_pfn, start;	/* start: the span's first address */
	unsigned int order, new_order, nr;
	int folio_mapcount;
	long mapcount_sum;	/* of the pages the before-walk recorded */
	const char *kind;
	bool verify, anon;
};

/* Why a page that is not a large folio's cannot be split; 0 when it is one. */
static int refuse_page(struct mmlab_ctx *ctx, const struct mmlab_page *p)
{
	struct folio *folio;

	switch (p->map) {
	case MMLAB_MAP_PTE:
	case MMLAB_MAP_PMD:
		break;
	case MMLAB_MAP_HUGETLB:
		return mmlab_fail(ctx, -EOPNOTSUPP,
				  "0x%lx is a hugetlb page: hugetlb folios are never split (only dissolved)",
				  p->addr);
	case MMLAB_MAP_ZERO:
		return mmlab_fail(ctx, -EINVAL,
				  "0x%lx maps the shared zero page: the kernel splits its PMD, never the folio",
				  p->addr);
	default:
		return mmlab_fail(ctx, -ENOENT, "no page mapped at 0x%lx (%s)", p->addr,
				  mmlab_map_name(p->map));
	}
	folio = page_folio(p->page);
	if (!folio_test_large(folio))
		return mmlab_fail(ctx, -EINVAL, "0x%lx is not in a large folio (order 0 pfn 0x%lx)",
				  p->addr, page_to_pfn(p->page));
	if (folio_test_hugetlb(folio))
		return mmlab_fail(ctx, -EOPNOTSUPP, "0x%lx is a hugetlb folio: never split",
				  p->addr);
	if (folio_nr_pages(folio) > MMLAB_BATCH)
		return mmlab_fail(ctx, -E2BIG,
				  "folio of order %u: mmlab splits folios of up to %d pages",
				  folio_order(folio), MMLAB_BATCH);
	return 0;
}

/*
 * The orders the kernel can split @folio to, checked before the call: the
 * kernel answers some with VM_WARN_ONCE() (a splat on a DEBUG_VM kernel),
 * so they are refused here with its reason (6.12: the checks at the top of
 * split_huge_page_to_list_to_order()).
 */
static int refuse_order(struct mmlab_ctx *ctx, struct folio *folio, unsigned int order)
{
	struct address_space *mapping = folio->mapping;
	bool anon = folio_test_anon(folio);

	if (order >= folio_order(folio))
		return mmlab_fail(ctx, -EINVAL, "order %u is not below the folio's order %u", order,
				  folio_order(folio));
	if (!anon && !mapping)
		return mmlab_fail(ctx, -EBUSY, "the file folio was truncated (no mapping)");
#ifndef MMLAB_HAVE_SPLIT_TO_ORDER
	if (order)
		return mmlab_fail(ctx, -EOPNOTSUPP,
				  "this kernel splits to order 0 only (split_huge_page_to_list(); split_huge_page_to_list_to_order() came in 6.10)");
#else
	if (anon && order == 1)
		return mmlab_fail(ctx, -EINVAL,
				  "an anon folio cannot be split to order 1 (its _deferred_list lives in page 2)");
	if (!anon && order && shmem_mapping(mapping))
		return mmlab_fail(ctx, -EINVAL,
				  "a shmem folio splits to order 0 only on this kernel");
	if (!anon && order && !mapping_large_folio_support(mapping))
		return mmlab_fail(ctx, -EINVAL,
				  "the file system does not support large folios: order 0 only");
	if (!anon && order < mapping_min_folio_order(mapping))
		return mmlab_fail(ctx, -EINVAL, "order %u is below the mapping's minimum order %u",
				  order, mapping_min_folio_order(mapping));
	if (order && folio_test_swapcache(folio))
		return mmlab_fail(ctx, -EINVAL,
				  "a folio in the swap cache splits to order 0 only");
#endif
	return 0;
}

static int split_call(struct folio *folio, unsigned int order)
{
#ifdef MMLAB_HAVE_SPLIT_TO_ORDER
	return kcall(split_huge_page)(&folio->page, NULL, order);
#else
	return kcall(split_huge_page)(&folio->page, NULL);
#endif
}

/* Page @i of the span maps page @pfn of the folio: its index there, else -1. */
static int folio_index_of(const struct split_ctl *s, const struct mmlab_page *p)
{
	unsigned long pfn;

	if (!p->page || (p->map != MMLAB_MAP_PTE && p->map != MMLAB_MAP_PMD))
		return -1;
	pfn = page_to_pfn(p->page);
	if (pfn < s->head_pfn || pfn >= s->head_pfn + s->nr)
		return -1;
	return pfn - s->head_pfn;
}

/* Walk the folio's span and record the pages of it the process maps. */
static int walk_before(struct mmlab_ctx *ctx, struct split_ctl *s)
{
	struct mmlab_pstate st;
	int n, i, k, mapped = 0;

	n = mmlab_walk_n(ctx, &s->t, s->start, s->nr, s->pages);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		k = folio_index_of(s, &s->pages[i]);
		if (k < 0 || page_folio(s->pages[i].page) != s->folio)
			continue;
		mmlab_pstate_mig(&s->pages[i], 0, s->verify, NULL, &st);
		s->rec[k] = (struct split_rec){ .pfn = st.pfn, .nid = st.nid,
						.mapcount = st.mapcount, .csum = st.csum };
		s->mapcount_sum += st.mapcount;
		if (!mapped++) {
			s->folio_mapcount = st.folio_mapcount;
			s->kind = st.kind;
		}
	}
	mmlab_pages_put(s->pages, n);
	return mapped;
}

struct split_sum {
	unsigned int mapped, folios, unmapped, zeropage, checks_failed;
	int cached;	/* a file folio's pages found in the page cache; -1: anon */
	long mapcount_sum;
	char orders[64];	/* order x count of the mapped resulting folios */
	char failed[64];
};

static void add_order(struct split_sum *sum, unsigned int order, unsigned int *last,
		      unsigned int *count)
{
	size_t n = strlen(sum->orders);

	if (*count && order == *last) {
		(*count)++;
		return;
	}
	if (*count)
		snprintf(sum->orders + n, sizeof(sum->orders) - n, "%s%ux%u", n ? "," : "",
			 *last, *count);
	*last = order;
	*count = 1;
}

/* The crc32 pageinfo.c's verify=1 gives a page of zeroes. */
static u32 zero_csum(void)
{
	return crc32_le(~0U, page_address(ZERO_PAGE(0)), PAGE_SIZE);
}

/* One check of page @i: false (and its name in sum->failed) when it fails. */
static bool check(struct split_sum *sum, bool ok, const char *name)
{
	if (ok || strstr(sum->failed, name))
		return ok;
	mmlab_add_name(sum->failed, sizeof(sum->failed), true, name);
	return false;
}

/*
 * Walk the span again: a line per resulting folio the process maps, and
 * the checks of every page the before-walk recorded.
 */
static int walk_after(struct mmlab_ctx *ctx, struct split_ctl *s, struct split_sum *sum)
{
	struct folio *folio, *last = NULL;
	unsigned int last_order = 0, count = 0;
	struct mmlab_pstate st;
	int n, i, k;
	bool ok;

	n = mmlab_walk_n(ctx, &s->t, s->start, s->nr, s->pages);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		k = (s->pages[i].addr - s->start) >> PAGE_SHIFT;
		if (!s->rec[k].pfn)
			continue;	/* the process did not map that page of the folio */
		if (s->pages[i].map == MMLAB_MAP_ZERO) {
			/*
			 * 6.12 (6.12-rc1, "mm: remap unused subpages to shared
			 * zeropage when splitting isolated thp"): the split
			 * maps a zero-filled page of an anon folio to the
			 * shared zero page and frees it.  Its bytes: still 0.
			 */
			sum->zeropage++;
			ok = check(sum, !s->verify || zero_csum() == s->rec[k].csum, "contents");
			sum->checks_failed += !ok;
			continue;
		}
		if (folio_index_of(s, &s->pages[i]) != k) {
			sum->unmapped++;
			/* What the split of a file folio does (cache_after()). */
			if (s->anon)
				check(sum, false, "mapped");
			continue;
		}
		mmlab_pstate_mig(&s->pages[i], 0, s->verify, NULL, &st);
		ok = check(sum, st.nid == s->rec[k].nid, "node");
		ok &= check(sum, st.mapcount == s->rec[k].mapcount, "mapcount");
		ok &= check(sum, !s->verify || st.csum == s->rec[k].csum, "contents");
		sum->checks_failed += !ok;
		sum->mapped++;
		sum->mapcount_sum += st.mapcount;
		folio = page_folio(s->pages[i].page);
		if (folio == last || !s->anon)
			continue;	/* a file folio's orders: cache_after() */
		last = folio;
		sum->folios++;
		add_order(sum, st.order, &last_order, &count);
		mmlab_reply(ctx, "split addr=0x%lx pfn=0x%lx order=%u nid=%d folio_mapcount=%d\n",
			    s->pages[i].addr, folio_pfn(folio), st.order, st.nid,
			    st.folio_mapcount);
	}
	add_order(sum, ~0U, &last_order, &count);
	mmlab_pages_put(s->pages, n);
	return 0;
}

/* pageinfo.c's verify=1 checksum of a page. */
static u32 page_csum(struct page *page)
{
	void *va = kmap_local_page(page);
	u32 c = crc32_le(~0U, va, PAGE_SIZE);

	kunmap_local(va);
	return c;
}

/*
 * A file or shmem folio after its split: each of its indices looked up in
 * the page cache (a reference per lookup), where the same page must be,
 * on the same node, with the same bytes (verify=1) for the pages the
 * before-walk recorded; a line per resulting folio.  Pages the split
 * dropped (past EOF) or that went since count as not cached.
 */
static void cache_after(struct mmlab_ctx *ctx, struct split_ctl *s, struct split_sum *sum)
{
	struct address_space *mapping = s->inode->i_mapping;
	unsigned int last_order = 0, count = 0, k;
	struct folio *folio, *last = NULL;
	struct page *page;
	bool ok;

	sum->cached = 0;
	for (k = 0; k < s->nr; k++) {
		folio = __filemap_get_folio(mapping, s->index + k, 0, 0);
		if (IS_ERR_OR_NULL(folio)) {
			check(sum, false, "cached");
			sum->checks_failed++;
			continue;
		}
		page = folio_file_page(folio, s->index + k);
		ok = check(sum, page_to_pfn(page) == s->head_pfn + k, "pfn");
		if (s->rec[k].pfn) {
			ok &= check(sum, page_to_nid(page) == s->rec[k].nid, "node");
			ok &= check(sum, !s->verify || page_csum(page) == s->rec[k].csum,
				    "contents");
		}
		sum->checks_failed += !ok;
		sum->cached++;
		/* @last is compared by address only: no reference kept. */
		if (folio == last) {
			folio_put(folio);
			continue;
		}
		last = folio;
		sum->folios++;
		add_order(sum, folio_order(folio), &last_order, &count);
		mmlab_reply(ctx, "split index=%lu pfn=0x%lx order=%u nid=%d in=page_cache\n",
			    folio->index, folio_pfn(folio), folio_order(folio), folio_nid(folio));
		folio_put(folio);
	}
	add_order(sum, ~0U, &last_order, &count);
}

/* Why the kernel refused: what its checks found, for the reason line. */
static int kernel_refused(struct mmlab_ctx *ctx, struct split_ctl *s, int err, int refs)
{
	if (err == -EAGAIN)
		return mmlab_fail(ctx, err,
				  "the kernel's split refused: unexpected references (refs=%d besides mmlab's, mapcount=%d: pinned or held by someone)",
				  refs, s->folio_mapcount);
	if (err == -EBUSY)
		return mmlab_fail(ctx, err,
				  "the kernel's split refused: busy (writeback, private data not released, anon_vma gone or truncated)");
	return mmlab_fail(ctx, err, "the kernel's split refused");
}

/*
 * Lock (trylock, as debugfs split_huge_pages: never wait), split, unlock.
 * @refs: the references besides ours when the kernel was asked.
 */
static int lock_and_split(struct mmlab_ctx *ctx, struct split_ctl *s, int *refs)
{
	struct folio *folio = s->folio;
	int ret;

	if (!folio_trylock(folio)) {
		if (mmlab_held_locked(folio))
			return mmlab_fail(ctx, -EBUSY,
					  "folio locked by mmlab's own `lock` (unlock it first)");
		return mmlab_fail(ctx, -EBUSY, "folio locked by someone else (trylock failed)");
	}
	*refs = folio_ref_count(folio) - 1;
	/*
	 * A file folio's pages are looked up in its page cache after the
	 * split: its inode held (igrab() under the folio lock, while the
	 * folio is in the mapping: eviction cannot pass the locked folio).
	 */
	if (!s->anon && folio->mapping) {
		s->inode = igrab(folio->mapping->host);
		s->index = folio->index;
	}
	ret = split_call(folio, s->new_order);
	folio_unlock(folio);	/* the head page's folio: ours after the split too */
	return ret ? kernel_refused(ctx, s, ret, *refs) : 0;
}

static int split_folio_at(struct mmlab_ctx *ctx, struct split_ctl *s)
{
	struct split_sum sum = { .cached = -1 };
	char cached[16] = "-";
	int ret, refs = 0;

	ret = walk_before(ctx, s);
	if (ret < 0)
		return ret;
	if (!ret)
		return mmlab_fail(ctx, -EAGAIN, "the folio at 0x%lx changed before the split",
				  s->t.start);
	ret = lock_and_split(ctx, s, &refs);
	if (!ret)
		ret = walk_after(ctx, s, &sum);
	if (!ret && s->inode)
		cache_after(ctx, s, &sum);
	if (ret)
		return ret;
	if (sum.cached >= 0)
		snprintf(cached, sizeof(cached), "%d", sum.cached);
	ctx->checks_failed += sum.checks_failed;
	mmlab_reply(ctx,
		    "summary op=split pid=%d addr=0x%lx kind=%s pfn=0x%lx order=%u->%u pieces=%u mapped_pages=%u mapped_folios=%u orders=%s unmapped=%u zeropage=%u mapcount_sum=%ld->%ld checks=%s refs=%d cached=%s\n",
		    s->t.pid, s->t.start, s->kind, s->head_pfn, s->order, s->new_order,
		    s->nr >> s->new_order, sum.mapped, sum.folios, sum.orders[0] ? sum.orders : "-",
		    sum.unmapped, sum.zeropage, s->mapcount_sum, sum.mapcount_sum,
		    sum.failed[0] ? sum.failed : "ok", refs, cached);
	return 0;
}

/*
 * The folio at the target page: its span of virtual pages (the pages of
 * the folio around addr, if the process maps them in order), and the
 * reference the split counts as the caller's.
 */
static int find_folio(struct mmlab_ctx *ctx, struct split_ctl *s)
{
	struct mmlab_page p;
	unsigned long idx;
	int n, ret;

	n = mmlab_walk_n(ctx, &s->t, s->t.start, 1, &p);
	if (n < 0)
		return n;
	ret = refuse_page(ctx, &p);
	if (!ret)
		ret = refuse_order(ctx, page_folio(p.page), s->new_order);
	if (ret) {
		mmlab_pages_put(&p, n);
		return ret;
	}
	s->folio = page_folio(p.page);
	folio_get(s->folio);	/* ours, for the split; the walk's goes now */
	mmlab_pages_put(&p, n);
	s->head_pfn = folio_pfn(s->folio);
	s->anon = folio_test_anon(s->folio);
	s->order = folio_order(s->folio);
	s->nr = folio_nr_pages(s->folio);
	idx = page_to_pfn(p.page) - s->head_pfn;
	s->start = p.addr >= idx * PAGE_SIZE ? p.addr - idx * PAGE_SIZE : 0;
	return 0;
}

int mmlab_cmd_split(struct mmlab_ctx *ctx)
{
	const struct mmlab_cmd *cmd = ctx->cmd;
	struct split_ctl s = {
		.new_order = mmlab_has(cmd, MMLAB_KEY_order) ? cmd->num[MMLAB_KEY_order] : 0,
		.verify = mmlab_has(cmd, MMLAB_KEY_verify) && cmd->num[MMLAB_KEY_verify],
		.kind = "?",
	};
	int ret;

	ret = mmlab_target_get(ctx, &s.t);
	if (ret)
		return ret;
	s.pages = kvcalloc(MMLAB_BATCH, sizeof(*s.pages), GFP_KERNEL);
	s.rec = kvcalloc(MMLAB_BATCH, sizeof(*s.rec), GFP_KERNEL);
	if (!s.pages || !s.rec) {
		ret = mmlab_fail(ctx, -ENOMEM, "out of memory");
		goto out;
	}
	/* A folio waiting in a per-CPU LRU batch holds a reference the split refuses. */
	kcall(lru_add_drain_all)();
	ret = find_folio(ctx, &s);
	if (ret)
		goto out;
	/* The walks cover the folio's span (t.start stays the page asked for). */
	s.t.end = s.start + s.nr * PAGE_SIZE;
	ret = split_folio_at(ctx, &s);
	folio_put(s.folio);
	if (s.inode)
		iput(s.inode);
out:
	kvfree(s.pages);
	kvfree(s.rec);
	mmlab_target_put(&s.t);
	return ret;
}
