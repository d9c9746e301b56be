// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab page state: what a page is (kind, flags, counts, memcg) as one
 * snapshot, for `inspect` (inspect.c formats it) and for the before/after
 * checks of `migrate`.
 * Read under the folio reference the walk took; flags are read without the
 * folio lock, as /proc/kpageflags does.
 */
#include <linux/mm.h>
#include <linux/memcontrol.h>
#include <linux/cgroup.h>
#include <linux/highmem.h>
#include <linux/crc32.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/swap.h>
#include "core.h"
#include "compat.h"
#include "kcall.h"

struct folio *mmlab_page_folio(const struct mmlab_page *p)
{
	return p->page ? page_folio(p->page) : NULL;
}

static const char *kind_of(const struct mmlab_page *p, struct folio *folio)
{
	if (p->map == MMLAB_MAP_ZERO)
		return "zero";
	if (folio_test_hugetlb(folio))
		return "hugetlb";
	if (folio_test_ksm(folio))
		return "ksm";
	if (folio_test_anon(folio))
		return "anon";
	if (!folio->mapping)
		return "none";
	return folio_test_swapbacked(folio) ? "shmem" : "file";
}

/* Append @name to the comma-separated list in @buf when @set. */
void mmlab_add_name(char *buf, size_t len, bool set, const char *name)
{
	size_t n = strlen(buf);

	if (set)
		snprintf(buf + n, len - n, "%s%s", n ? "," : "", name);
}

/*
 * PG_anon_exclusive of an anon page.  A hugetlb folio keeps it on its head
 * page only; 6.1's PageAnonExclusive() must be given the head
 * (VM_BUG_ON_PGFLAGS(PageHuge && !PageHead)) and on a tail would read that
 * page's own, unused bit; 6.12's goes to the head itself.  THP keeps the
 * flag per page.
 */
static bool anon_exclusive(struct folio *folio, struct page *page)
{
	if (!folio_test_anon(folio))
		return false;
	return PageAnonExclusive(folio_test_hugetlb(folio) ? &folio->page : page);
}

static void flags_of(struct folio *folio, struct page *page, char *buf, size_t len)
{
	buf[0] = '\0';
	mmlab_add_name(buf, len, folio_test_lru(folio), "lru");
	mmlab_add_name(buf, len, folio_test_active(folio), "active");
	mmlab_add_name(buf, len, folio_test_unevictable(folio), "unevictable");
	mmlab_add_name(buf, len, folio_test_mlocked(folio), "mlocked");
	mmlab_add_name(buf, len, folio_test_dirty(folio), "dirty");
	mmlab_add_name(buf, len, folio_test_writeback(folio), "writeback");
	mmlab_add_name(buf, len, folio_test_swapcache(folio), "swapcache");
	mmlab_add_name(buf, len, folio_test_uptodate(folio), "uptodate");
	mmlab_add_name(buf, len, folio_test_referenced(folio), "referenced");
	mmlab_add_name(buf, len, folio_test_workingset(folio), "workingset");
	mmlab_add_name(buf, len, folio_test_swapbacked(folio), "swapbacked");
	mmlab_add_name(buf, len, folio_test_locked(folio), "locked");
	mmlab_add_name(buf, len, folio_test_large(folio), "large");
	mmlab_add_name(buf, len, folio_test_large(folio) && !folio_test_hugetlb(folio) &&
		       folio_order(folio) == HPAGE_PMD_ORDER, "thp");
	mmlab_add_name(buf, len, anon_exclusive(folio, page), "anon_exclusive");
	if (!buf[0])
		snprintf(buf, len, "none");
}

int mmlab_folio_mapcount(struct folio *folio)
{
#ifdef MMLAB_HAVE_INLINE_FOLIO_MAPCOUNT
	return folio_mapcount(folio);
#else
	if (!folio_test_large(folio))
		return atomic_read(&folio->_mapcount) + 1;
	return kcall(folio_mapcount)(folio);
#endif
}

/* Mappings of this one page: by PTE, plus the PMD mappings of its folio. */
int mmlab_page_mapcount(struct folio *folio, struct page *page)
{
	return mmlab_precise_page_mapcount(folio, page);
}

/* The swap entry of @page in a swapcache @folio. */
static unsigned long swap_of(struct folio *folio, struct page *page)
{
#ifdef MMLAB_HAVE_FOLIO_SWAP_ENTRY
	swp_entry_t e = folio_swap_entry(folio);
#else
	swp_entry_t e = folio->swap;
#endif

	return e.val + folio_page_idx(folio, page);
}

static u32 csum_of(struct page *page)
{
	void *va = kmap_local_page(page);
	u32 c = crc32_le(~0U, va, PAGE_SIZE);

	kunmap_local(va);
	return c;
}

static unsigned short memcg_id_of(struct folio *folio)
{
	struct mem_cgroup *memcg;
	unsigned short id = 0;

	rcu_read_lock();
	memcg = folio_memcg(folio);
	if (memcg)
		id = mem_cgroup_id(memcg);
	rcu_read_unlock();
	return id;
}

/* What is the folio's: the same for every page of it. */
static void folio_facts(struct folio *folio, int ours, struct mmlab_pstate *st)
{
	st->order = folio_order(folio);
	st->refs = folio_ref_count(folio) - ours;
	st->folio_mapcount = mmlab_folio_mapcount(folio);
	if (folio_test_large(folio) && !folio_test_hugetlb(folio)) {
		st->entire_mapcount = folio_entire_mapcount(folio);
		st->large_mapcount = mmlab_folio_large_mapcount(folio);
		st->partially_mapped = mmlab_folio_partially_mapped(folio);
		st->deferred_split = mmlab_folio_deferred_split(folio);
	} else {
		st->entire_mapcount = 0;
		st->large_mapcount = -1;
		st->partially_mapped = -1;
		st->deferred_split = false;
	}
	st->memcg_id = memcg_id_of(folio);
	st->mlocked = folio_test_mlocked(folio);
	st->unevictable = folio_test_unevictable(folio);
	st->swapcache = folio_test_swapcache(folio);
	st->writeback = folio_test_writeback(folio);
}

/* What is the page's own (its pte, its mapcount, its swap entry, its bytes). */
static void page_facts(const struct mmlab_page *p, struct folio *folio, bool csum,
		       struct mmlab_pstate *st)
{
	struct page *page = p->page;

	st->map = p->map;
	st->vma_locked = p->vm_flags & VM_LOCKED;
	st->pfn = page_to_pfn(page);
	st->nid = page_to_nid(page);
	st->zone = page_zone(page)->name;
	st->mapcount = mmlab_page_mapcount(folio, page);
	st->dirty = p->dirty || folio_test_dirty(folio);
	st->swap = st->swapcache ? swap_of(folio, page) : 0;
	/* A device-private page has no CPU-addressable memory behind it. */
	st->csum = csum && !folio_is_device_private(folio) ? csum_of(page) : 0;
}

static void pstate(const struct mmlab_page *p, int ours, bool csum, bool names,
		   struct mmlab_pstate *st)
{
	struct folio *folio = mmlab_page_folio(p);

	memset(st, 0, sizeof(*st));
	st->map = p->map;
	st->vma_locked = p->vm_flags & VM_LOCKED;
	st->dirty = p->dirty;
	if (!folio) {
		st->kind = "none";
		return;
	}
	st->pfn = page_to_pfn(p->page);
	st->nid = page_to_nid(p->page);
	st->zone = page_zone(p->page)->name;
	st->order = folio_order(folio);
	st->kind = kind_of(p, folio);
	if (p->map == MMLAB_MAP_ZERO) {
		snprintf(st->flags, sizeof(st->flags), "zero");
		return;
	}
	if (names)
		flags_of(folio, p->page, st->flags, sizeof(st->flags));
	folio_facts(folio, ours, st);
	page_facts(p, folio, csum, st);
}

void mmlab_pstate(const struct mmlab_page *p, int ours, bool csum, struct mmlab_pstate *st)
{
	pstate(p, ours, csum, true, st);
}

/*
 * migrate's snapshot: no flag names (migrate reports none), and for the
 * next page of the folio whose snapshot @prev is (may be @st itself), the
 * folio's facts copied rather than read again: a THP reads
 * folio_mapcount() once, not once per page (6.1's loops over all 512).
 */
void mmlab_pstate_mig(const struct mmlab_page *p, int ours, bool csum,
		      const struct mmlab_pstate *prev, struct mmlab_pstate *st)
{
	struct folio *folio = mmlab_page_folio(p);

	if (!folio || p->map == MMLAB_MAP_ZERO || !prev) {
		pstate(p, ours, csum, false, st);
		return;
	}
	if (prev != st)
		*st = *prev;
	page_facts(p, folio, csum, st);
}
