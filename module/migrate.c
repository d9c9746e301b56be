// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab migrate: move the target pages through the kernel's own migration
 * core, isolating and putting back as move_pages(2) does, and check what
 * the new pages kept.
 *
 * Per batch of up to MMLAB_BATCH pages: walk (folio references), snapshot,
 * isolate each folio (LRU or hugetlb, NR_ISOLATED accounted), drop the walk
 * references, migrate_pages() with alloc_migration_target() as the
 * allocator (the move_pages(2) target control), put back what failed, walk
 * again and compare.  The kernel's error for a failed folio is the last one
 * move_to_new_folio() returned, seen by observe.c.
 */
#include <linux/mm.h>
#include <linux/migrate.h>
#include <linux/hugetlb.h>
#include <linux/vmstat.h>
#include <linux/mm_inline.h>
#include <linux/nodemask.h>
#include <linux/swapops.h>
#include "cmd.h"
#include "core.h"
#include "observe.h"
#include "kcall.h"
#include "foliotab.h"
#include "line.h"
#include "mmlab_trace.h"

/* A folio migrate_pages() was given a destination for: pfns, pages. */
struct mig_dst {
	unsigned long src, dst;
	unsigned int nr;
};

struct mig_batch;

struct mig_ctl {
	struct mmlab_mtc mtc;
	bool same_node;
	int dst_mode;			/* MMLAB_DST_*: who provides destinations */
	int reason;			/* MMLAB_REASON_*: what migrate_pages() is told */
	unsigned int allocated, alloc_failed;
	unsigned int returned, not_pristine;	/* dst=pool|locked: given back */
	struct mig_batch *b;		/* the batch being migrated */
	struct mmlab_timeline *tl;	/* trace=1, else NULL */
	/* Destinations of pieces of folios split on the way (not in b->ftab). */
	struct mig_dst *pieces;
	unsigned int nr_pieces, max_pieces;
};

#define HELD_PINNED 1	/* folio_maybe_dma_pinned() */
#define HELD_LOCKED 2	/* someone held the folio lock */

struct mig_batch {
	struct mmlab_page *pages;	/* before, then after */
	/* The before-walk's folios: of[page] indexes ours[], fdst[], obs[], first[]. */
	struct mmlab_ftab ftab;
	int *of, *ours, *first;
	struct mig_dst *fdst;		/* the newest destination of each folio */
	struct mmlab_mig_obs *obs;	/* move_to_new_folio() per folio */
	/* The after-walk's, for its snapshots' reference counts. */
	struct mmlab_ftab ftab_after;
	int *of_after, *ours_after;
	struct mmlab_pstate *before;
	struct mmlab_pstate after;
	int *isolated;			/* per page: 1 isolated, <0 -errno */
	int *expected, *refs;		/* per page: reference counts at isolation */
	u8 *held;			/* per page: HELD_* seen at isolation */
	u8 *fdirty;			/* per before-walk folio: a page of it seen dirty */
	int n;
	u64 ns;				/* the migrate_pages() call */
	unsigned int alloc_failed;	/* mc->alloc_failed before it */
	unsigned int succeeded;		/* pages migrate_pages() moved */
	unsigned int isolated_pages;	/* pages of the folios it was given */
	unsigned long pgpgout;		/* write I/O submitted, before the first snapshot */
	unsigned long *events;		/* all_vm_events() */
	char checks[128];		/* failed and unchecked checks of the page reported */
	unsigned int raced;		/* RACED_*: of the page reported */
	/* Pages the batch's lines stand for each: 1, or a giant folio's (giant_span()). */
	unsigned int span;
	char span_str[24];		/* " pages=N" on a giant folio's line, else "" */
};

/* Checks whose failure another party explains: counted and reported as races. */
#define RACED_MAPCOUNT	BIT(0)
#define RACED_DIRTY	BIT(1)
#define RACED_SWAPCACHE	BIT(2)

static const char * const mode_names[] = { "async", "sync_light", "sync" };
static const char * const dst_names[] = { "kernel", "pool", "locked" };
static const enum migrate_mode modes[] = { MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT, MIGRATE_SYNC };

/*
 * reason=: what migrate_pages() and alloc_migration_target() are told
 * (docs/inspect-migrate.md has what each changes per kernel).  In 6.12's
 * mm/migrate.c: MR_NUMA_MISPLACED never splits a large folio on -ENOMEM
 * (migrate_pages_batch()'s nosplit; a partially mapped folio on the
 * deferred split queue is still split first, whatever the reason);
 * MR_LONGTERM_PIN retries a split that failed with -EAGAIN instead of
 * giving up; MR_COMPACTION changes nothing mmlab can see (hugetlb
 * allocation fallback, which __GFP_THISNODE already rules out; page_owner
 * and tracepoints).  6.1's migrate_pages() has the same nosplit and, since
 * 6.1.116's stable backport of fd4a7ac32918, the MR_LONGTERM_PIN retry.
 */
static const char * const reason_names[] = {
	"syscall", "numa_misplaced", "longterm_pin", "compaction", "demotion", "memory_failure",
};

static const enum migrate_reason reasons[] = {
	MR_SYSCALL, MR_NUMA_MISPLACED, MR_LONGTERM_PIN, MR_COMPACTION, MR_DEMOTION,
	MR_MEMORY_FAILURE,
};

#define POOL_FILL 0xa5	/* what a pool page holds until migration copies into it */

/*
 * dst=pool|locked: an order-0 destination page of mmlab's own (a custom
 * new-page pool, as [S003 6/12, 7/12] discuss), filled with POOL_FILL so
 * that put_target() can tell whether migration copied into a page it then
 * gave back.  dst=locked hands it out with its folio lock held, which
 * migration must answer with -EAGAIN (folio_trylock(dst) fails), not BUG.
 */
static mmlab_mig_t *pool_target(struct mig_ctl *mc, mmlab_mig_t *src, int nid)
{
	struct folio *folio = mmlab_mig_folio(src);
	struct page *page;

	if (folio_nr_pages(folio) != 1 || folio_test_hugetlb(folio))
		return NULL;	/* the pool has order-0 pages only: counted alloc_failed */
	page = alloc_pages_node(nid, mc->mtc.gfp_mask, 0);
	if (!page)
		return NULL;
	memset(page_address(page), POOL_FILL, PAGE_SIZE);	/* no highmem on x86_64 */
	if (mc->dst_mode == MMLAB_DST_LOCKED && !trylock_page(page)) {
		__free_page(page);	/* nobody else can know this page yet */
		return NULL;
	}
	mmlab_count(migrate_dst_pool_allocated);
#ifdef MMLAB_HAVE_NEW_FOLIO_T
	return page_folio(page);
#else
	return page;
#endif
}

/*
 * The put_new callback: a pool page migration did not use.  It must come
 * back as it went out [S003 6/12, 11/12]: only our reference, no mapping,
 * not swap-backed, no memcg, not copied into, and locked only if we locked it.
 */
static void put_target(mmlab_mig_t *dst, unsigned long private)
{
	struct mig_ctl *mc = (struct mig_ctl *)private;
	struct folio *folio = mmlab_mig_folio(dst);
	const u8 *data = page_address(&folio->page);
	bool pristine = folio_ref_count(folio) == 1 && !folio->mapping &&
			!folio_test_swapbacked(folio) && !folio_memcg(folio) &&
			folio_test_locked(folio) == (mc->dst_mode == MMLAB_DST_LOCKED) &&
			data[0] == POOL_FILL && data[PAGE_SIZE - 1] == POOL_FILL;

	mc->returned++;
	mmlab_count(migrate_dst_pool_returned);
	if (!pristine) {
		mc->not_pristine++;
		mmlab_count(migrate_dst_pool_not_pristine);
	}
	if (mc->dst_mode == MMLAB_DST_LOCKED && folio_test_locked(folio))
		folio_unlock(folio);
	folio_put(folio);
}

/* Room for one more piece's destination; false when memory ran out. */
static bool pieces_room(struct mig_ctl *mc)
{
	struct mig_dst *p;
	unsigned int max;

	if (mc->nr_pieces < mc->max_pieces)
		return true;
	max = max(2 * mc->max_pieces, 64U);
	p = kvmalloc_array(max, sizeof(*p), GFP_KERNEL | __GFP_NOWARN);
	if (!p)
		return false;
	if (mc->pieces)
		memcpy(p, mc->pieces, mc->nr_pieces * sizeof(*p));
	kvfree(mc->pieces);
	mc->pieces = p;
	mc->max_pieces = max;
	return true;
}

/*
 * Each source folio keeps its newest destination: the kernel allocates one
 * on every unmap pass that failed before (6.1: before the trylock and the
 * writeback wait), so the last one is where it went.  A piece of a folio
 * split on the way is not one of the batch's folios: kept in a list that
 * grows (counted when even that fails: the page then reads as raced).
 */
static void record_dst(struct mig_ctl *mc, struct folio *src, struct folio *dst)
{
	struct mig_dst d = {
		.src = folio_pfn(src), .dst = folio_pfn(dst), .nr = folio_nr_pages(src),
	};
	int k = mmlab_ftab_find(&mc->b->ftab, src);

	if (k >= 0 && mc->b->fdst[k].src == d.src && mc->b->fdst[k].nr == d.nr)
		mc->b->fdst[k] = d;
	else if (pieces_room(mc))
		mc->pieces[mc->nr_pieces++] = d;
	else
		mmlab_count(migrate_dst_unrecorded);
}

/* The allocation callback migrate_pages() calls (a module function: IBT-safe). */
static mmlab_mig_t *new_target(mmlab_mig_t *src, unsigned long private)
{
	struct mig_ctl *mc = (struct mig_ctl *)private;
	struct mmlab_mtc mtc = mc->mtc;
	mmlab_mig_t *dst;

	if (mc->same_node)
		mtc.nid = folio_nid(mmlab_mig_folio(src));
	if (mc->dst_mode == MMLAB_DST_KERNEL)
		dst = kcall(alloc_migration_target)(src, (unsigned long)&mtc);
	else
		dst = pool_target(mc, src, mtc.nid);
	if (!dst) {
		mc->alloc_failed++;
		return NULL;
	}
	mc->allocated++;
	record_dst(mc, mmlab_mig_folio(src), mmlab_mig_folio(dst));
	return dst;
}

/*
 * Where migration put page @pfn (page @i of the batch): the newest
 * destination given to the piece of its folio that holds @pfn when the
 * folio was split on the way, else to its folio; 0 when none was.
 */
static unsigned long dst_of(const struct mig_ctl *mc, const struct mig_batch *b, int i,
			    unsigned long pfn)
{
	const struct mig_dst *d;
	int k = b->of[i], j;

	for (j = mc->nr_pieces - 1; j >= 0; j--) {
		d = &mc->pieces[j];
		if (pfn >= d->src && pfn < d->src + d->nr)
			return d->dst + (pfn - d->src);
	}
	d = k >= 0 ? &b->fdst[k] : NULL;
	if (d && d->dst && pfn >= d->src && pfn < d->src + d->nr)
		return d->dst + (pfn - d->src);
	return 0;
}

/*
 * References migration expects on an isolated folio that is still mapped:
 * what the kernel's refcount check wants once it has unmapped the folio,
 * plus the mappings it will have removed.  The isolation's reference is
 * the caller's one that check counts.
 *
 * 6.12 (MMLAB_HUGETLB_CACHE_PER_PAGE, 6.7+): __folio_migrate_mapping() and
 * migrate_huge_page_move_mapping() both want folio_expected_ref_count() + 1
 * (which counts the mappings, and a page-cache reference per base page,
 * hugetlb's too).  6.1 mirrored: folio_expected_refs() for a regular folio
 * (1, + nr_pages + PG_private with a page or swap cache mapping); a
 * hugetlbfs folio goes to migrate_huge_page_move_mapping(), which wants
 * 2 + folio_has_private(): its page cache held one reference for the huge
 * page; an anon hugetlb folio to migrate_folio(), 1.
 */
static int expected_refs(struct folio *folio)
{
#ifdef MMLAB_HUGETLB_CACHE_PER_PAGE
	return folio_expected_ref_count(folio) + 1;
#else
	struct address_space *mapping = folio_mapping(folio);	/* move_to_new_folio()'s */
	int refs = mmlab_folio_mapcount(folio) + 1;

	if (!mapping)
		return refs;
	if (folio_test_hugetlb(folio))
		return refs + 1 + folio_has_private(folio);
	return refs + folio_nr_pages(folio) + folio_test_private(folio);
#endif
}

static bool movable(const struct mmlab_page *p)
{
	return p->page && (p->map == MMLAB_MAP_PTE || p->map == MMLAB_MAP_PMD ||
			   p->map == MMLAB_MAP_HUGETLB || p->map == MMLAB_MAP_SWAP);
}

/*
 * swapcache=1: a swap pte's page, when the swap cache still holds it, is
 * the page to migrate (E07: an unmapped swapcache page; the pte stays a
 * swap entry and the next fault finds the new page).  The reference taken
 * here is the page entry's own, dropped with the walk's.
 */
static void resolve_swapcache(struct mmlab_page *pages, int n)
{
	struct folio *folio;
	int i;

	for (i = 0; i < n; i++) {
		if (pages[i].map != MMLAB_MAP_SWAP || pages[i].page)
			continue;
		folio = mmlab_swapcache_folio(pages[i].swp);
		if (!folio)
			continue;
		pages[i].page = folio_file_page(folio, swp_offset((swp_entry_t){ pages[i].swp }));
		pages[i].ref = true;
	}
}

/*
 * Isolate each folio of the batch once (its first page does; the others
 * copy what it found); record why the others cannot go.
 */
static void isolate_batch(struct mig_batch *b, struct list_head *list, int mode)
{
	struct mmlab_page *p;
	struct folio *folio;
	int i, j, k;

	for (k = 0; k < b->ftab.nr; k++) {
		b->first[k] = -1;
		b->fdst[k] = (struct mig_dst){};
		b->obs[k] = (struct mmlab_mig_obs){};
	}
	for (i = 0; i < b->n; i++) {
		p = &b->pages[i];
		b->isolated[i] = movable(p) ? 0 : -ENOENT;
		if (!movable(p))
			continue;
		folio = page_folio(p->page);
		k = b->of[i];
		j = b->first[k];
		if (j >= 0) {
			b->isolated[i] = b->isolated[j];
			b->expected[i] = b->expected[j];
			b->refs[i] = b->refs[j];
			b->held[i] = b->held[j];
			continue;
		}
		b->first[k] = i;
		b->fdst[k].src = folio_pfn(folio);
		b->fdst[k].nr = folio_nr_pages(folio);
		b->obs[k].pfn = b->fdst[k].src;
		b->obs[k].nr = b->fdst[k].nr;
		/* Sync migration would wait for ever on a folio an mmlab lock holds. */
		if (mode != MMLAB_MODE_ASYNC && mmlab_held_locked(folio))
			b->isolated[i] = -EDEADLK;
		else
			b->isolated[i] = mmlab_isolate(folio, list) ?: 1;
		if (b->isolated[i] > 0)
			b->isolated_pages += folio_nr_pages(folio);
		b->refs[i] = folio_ref_count(folio) - b->ours[k];
		b->expected[i] = expected_refs(folio);
		b->held[i] = (folio_maybe_dma_pinned(folio) ? HELD_PINNED : 0) |
			     (folio_test_locked(folio) ? HELD_LOCKED : 0);
	}
}

/* One check: counted, named in @failed and traced when it fails. */
static int check(int id, long expected, long actual, const char *name,
		 const struct mmlab_page *p, unsigned long pfn, char *failed, size_t len)
{
	size_t n = strlen(failed);
	bool ok = expected == actual;

	mmlab_count_id(id + !ok);
	if (ok)
		return 0;
	snprintf(failed + n, len - n, "%s%s", n ? "," : "", name);
	trace_check_failed("migrate", name, p->addr, pfn, expected, actual);
	return 1;
}

#define CHECK(name, expected, actual) \
	check(MMLAB_CTR_check_##name##_passed, expected, actual, #name, p, s->pfn, \
	      failed, sizeof(failed))

/* Write I/O submitted since boot (sectors), summed by the kernel. */
static unsigned long pgpgout(unsigned long *events)
{
	all_vm_events(events);
	return events[PGPGOUT];
}

/*
 * A mapcount that changed across the migration is a broken check only if
 * the new page's counts disagree with the mappings a stable rmap walk finds
 * (0; for a large folio the walk also compares the folio's and its PMD
 * mappings' counts).  If they agree (1), the target or its children mapped
 * or unmapped the page meanwhile; if the counts never held still for a walk
 * (-EAGAIN), they were doing it during the walks: both races.  Any other
 * answer is a walk not done (-EDEADLK: an mmlab lock holds the folio;
 * -ENOMEM; -EINTR: a fatal signal while waiting for the folio lock), which
 * judges nothing: the check is reported unchecked, never passed.  @id and
 * @name: the check (mapcount, or folio_mapcount for the folio's counts).
 */
static int mapcount_check(int id, const char *name, long before, long after,
			  const struct mmlab_page *p, unsigned long pfn, struct mig_batch *b,
			  char *failed, size_t len)
{
	size_t n = strlen(failed);
	int ret;

	if (before == after)
		return check(id, before, after, name, p, pfn, failed, len);
	ret = mmlab_rmap_consistent(p->page);
	if (ret == 1 || ret == -EAGAIN) {
		mmlab_count(check_mapcount_raced);
		b->raced |= RACED_MAPCOUNT;
		return 0;
	}
	if (ret < 0) {
		mmlab_count(check_mapcount_unchecked);
		snprintf(failed + n, len - n, "%s%s_unchecked", n ? "," : "", name);
		return 0;
	}
	return check(id, before, after, name, p, pfn, failed, len);
}

/*
 * A large folio's own counts, when it moved whole (same order): all its
 * mappings (6.1 sums its pages' and PMD mappings, 6.12 reads
 * _large_mapcount), and its PMD mappings (a PMD-mapped THP comes back
 * PMD-mapped: remove_migration_pmd()); one check judges both, with the
 * pair that differs.  A folio split on the way has no such count to
 * compare: its pieces are other folios (each page's own mapcount is still
 * checked).
 */
static int folio_mapcount_check(const struct mmlab_page *p, const struct mmlab_pstate *a,
				const struct mmlab_pstate *s, struct mig_batch *b, char *failed,
				size_t len)
{
	bool pmd = a->entire_mapcount != s->entire_mapcount;

	return mapcount_check(MMLAB_CTR_check_folio_mapcount_passed, "folio_mapcount",
			      pmd ? a->entire_mapcount : a->folio_mapcount,
			      pmd ? s->entire_mapcount : s->folio_mapcount, p, s->pfn, b, failed,
			      len);
}

/*
 * A dirty page found clean: writeback cleaned it between the snapshots
 * (folio_clear_dirty_for_io() cleans the folio and its ptes) if the new
 * page is under writeback, or write I/O was submitted meanwhile: a race.
 * Writeback cleans a folio under its lock and marks it under writeback
 * before it unlocks it, so a folio found locked and clean may be between
 * the two (seen on the lab kernel: clean, no writeback, no I/O yet): wait
 * for the unlock and look again, unless mmlab's own `lock` holds it.
 * (Writeback that submits no bio, a network file system's, is not seen:
 * the check then fails.)
 */
static bool written_back(struct mig_batch *b, const struct mmlab_page *p,
			 const struct mmlab_pstate *s)
{
	struct folio *folio = mmlab_page_folio(p);	/* the after-walk's reference */

	if (s->writeback || pgpgout(b->events) != b->pgpgout)
		return true;
	if (!folio || mmlab_held_locked(folio))
		return false;
	folio_wait_locked(folio);
	return folio_test_writeback(folio) || pgpgout(b->events) != b->pgpgout;
}

/*
 * A swapcache page found out of the swap cache: it left it between the
 * snapshots (a write fault's or reclaim's folio_free_swap(), swapoff) if
 * its swap entry has no page in the swap cache any more: a race.  A new
 * page migration left there without the flag is still found.
 */
static bool left_swapcache(const struct mmlab_pstate *a)
{
	struct folio *folio;

	if (!a->swap)
		return false;
	folio = mmlab_swapcache_folio(a->swap);
	if (!folio)
		return true;
	folio_put(folio);
	return false;
}

/*
 * Dirty is the folio's: try_to_migrate_one() moves a dirty pte's bit to
 * its folio and folio_migrate_flags() the folio's to the new one, so a
 * large folio that moved whole is dirty at every page when any page of it
 * (walked here) was dirty before, by its own pte or not.
 */
static bool was_dirty(const struct mig_batch *b, int i)
{
	const struct mmlab_pstate *a = &b->before[i], *s = &b->after;

	return a->dirty || (a->order && s->order == a->order && b->fdirty[b->of[i]]);
}

/* Compare before and after for a migrated page; returns broken checks. */
static int run_checks(struct mig_batch *b, int i, int node, bool verify)
{
	const struct mmlab_page *p = &b->pages[i];
	const struct mmlab_pstate *a = &b->before[i], *s = &b->after;
	bool dirty = was_dirty(b, i);
	char failed[sizeof(b->checks)] = "";
	int broken = 0;

	b->raced = 0;
	broken += CHECK(node, node >= 0 ? node : a->nid, s->nid);
	/*
	 * A munlock() that ran meanwhile unlocks the page rightly: no check
	 * then.  PG_mlocked is the folio's, as for a large folio (6.12 mlocks
	 * one only when the range covers it whole: allow_mlock_munlock()).
	 */
	if (a->mlocked && a->vma_locked && s->vma_locked)
		broken += CHECK(mlocked, 1, s->mlocked && s->unevictable);
	if (dirty && !s->dirty && written_back(b, p, s)) {
		mmlab_count(check_dirty_raced);
		b->raced |= RACED_DIRTY;
	} else if (dirty) {
		broken += CHECK(dirty, 1, s->dirty);
	}
	if (a->swapcache && !s->swapcache && left_swapcache(a)) {
		mmlab_count(check_swapcache_raced);
		b->raced |= RACED_SWAPCACHE;
	} else if (a->swapcache) {
		broken += CHECK(swapcache, 1, s->swapcache);
	}
	broken += CHECK(kind, 1, !strcmp(a->kind, s->kind));
	broken += CHECK(memcg, a->memcg_id, s->memcg_id);
	broken += mapcount_check(MMLAB_CTR_check_mapcount_passed, "mapcount", a->mapcount,
				 s->mapcount, p, s->pfn, b, failed, sizeof(failed));
	if (a->order && s->order == a->order)
		broken += folio_mapcount_check(p, a, s, b, failed, sizeof(failed));
	if (verify)
		broken += CHECK(contents, a->csum, s->csum);
	strscpy(b->checks, failed[0] ? failed : "ok", sizeof(b->checks));
	return broken;
}

struct mig_sum {
	unsigned long pages, migrated, failed, skipped, raced, checks_failed, split;
	unsigned long zeropage;	/* zero-filled pages a split gave the zero page */
	/* Where the command's time went (ns), summed over its batches. */
	u64 walk_ns, isolate_ns, migrate_ns, check_ns;
};

static const char *skip_reason(enum mmlab_map map)
{
	switch (map) {
	case MMLAB_MAP_ZERO:
		return "zero_page";
	case MMLAB_MAP_SWAP:
		return "swapped_out";
	case MMLAB_MAP_MIGRATION:
		return "under_migration";
	case MMLAB_MAP_SPECIAL:
		return "special";
	case MMLAB_MAP_DEVICE_PRIVATE:
		return "device_private";
	default:
		return "not_present";
	}
}

/* What the after-walk found instead of a page: a swap or a migration entry. */
static const char *entry_name(const struct mmlab_page *p)
{
	if (p->map == MMLAB_MAP_SWAP)
		return "swap_entry";
	return p->map == MMLAB_MAP_MIGRATION ? "migration_entry" : NULL;
}

/*
 * The page behind the swap or migration entry the after-walk found, when
 * it can be known: a pte migration entry names it, a swap entry's page may
 * still be in the swap cache.  0 when not.
 */
static unsigned long pfn_behind(const struct mmlab_page *p)
{
	swp_entry_t e = { .val = p->swp };
	struct folio *folio;
	unsigned long pfn;

	if (!p->swp)
		return 0;	/* a PMD or hugetlb migration entry: not recorded */
	if (p->map == MMLAB_MAP_MIGRATION)
		return swp_offset_pfn(e);	/* unlocked: not pfn_swap_entry_to_page() */
	folio = mmlab_swapcache_folio(p->swp);
	if (!folio)
		return 0;
	pfn = page_to_pfn(folio_file_page(folio, swp_offset(e)));
	folio_put(folio);
	return pfn;
}

enum moved { MOVED_NO, MOVED_YES, MOVED_UNKNOWN };

/*
 * Whether an isolated page that reclaim or another migration took away
 * before the after-walk had moved: the page behind the entry says so (the
 * destination, or still the old page), else the batch does when
 * migrate_pages() moved all of it or none.  *@pfn: the destination.
 */
static enum moved moved_behind(const struct mig_ctl *mc, const struct mig_batch *b, int i,
			       unsigned long *pfn)
{
	unsigned long old = b->before[i].pfn, behind = pfn_behind(&b->pages[i]);

	*pfn = dst_of(mc, b, i, old);
	if (behind && behind == old)
		return MOVED_NO;
	if (behind)
		return behind == *pfn ? MOVED_YES : MOVED_UNKNOWN;
	if (!b->succeeded)
		return MOVED_NO;
	return b->succeeded == b->isolated_pages && *pfn ? MOVED_YES : MOVED_UNKNOWN;
}

/*
 * The reply line of a page that was gone behind a swap or migration entry
 * when mmlab looked again, and had moved (or may have): nothing left to
 * check on it.
 */
static void reply_moved_on(struct mmlab_ctx *ctx, struct mig_batch *b, int i, enum moved moved,
			   unsigned long pfn, struct mig_sum *sum, struct mmlab_tp_migrate *e)
{
	const struct mmlab_page *p = &b->pages[i];
	const char *after = entry_name(p);

	if (moved == MOVED_UNKNOWN) {
		sum->raced += b->span;
		mmlab_count_add(migrate_pages_raced, b->span);
		e->result = "raced";
		e->reason = p->map == MMLAB_MAP_SWAP ? "swapped_out" : "under_migration";
		mmlab_reply(ctx, "migrate addr=0x%lx%s old_pfn=0x%lx result=raced reason=%s\n",
			    p->addr, b->span_str, b->before[i].pfn, e->reason);
		return;
	}
	sum->migrated += b->span;
	mmlab_count_add(migrate_pages_migrated, b->span);
	mmlab_count_add(migrate_pages_moved_on, b->span);
	e->result = "migrated";
	e->checks = "unchecked";
	e->new_pfn = pfn;
	e->new_nid = pfn_to_nid(pfn);
	mmlab_reply(ctx,
		    "migrate addr=0x%lx%s old_pfn=0x%lx new_pfn=0x%lx old_nid=%d new_nid=%d result=migrated checks=unchecked after=%s\n",
		    p->addr, b->span_str, b->before[i].pfn, pfn, b->before[i].nid, e->new_nid,
		    after);
}

/*
 * Why a page that was isolated did not move.  With no copy attempted
 * (attempts 0) the kernel gave up before move_to_new_folio(): a FOLL_PIN
 * on an exclusive anon page stops try_to_migrate_one() (E03), and a locked
 * destination stops folio_trylock(dst) (E39).
 */
static const char *fail_reason(const struct mig_ctl *mc, const struct mig_batch *b, int i,
			       int attempts)
{
	if (!b->after.pfn && !entry_name(&b->pages[i]))
		return "unmapped";
	if ((b->held[i] & HELD_PINNED) && attempts <= 0)
		return "pinned";
	if ((b->held[i] & HELD_LOCKED) && attempts <= 0)
		return "locked";	/* async: folio_trylock(src) failed */
	if (mc->dst_mode == MMLAB_DST_LOCKED && attempts <= 0)
		return "dst_locked";
	return b->refs[i] > b->expected[i] ? "refcount" : "not_migrated";
}

/*
 * A large folio that is not hugetlb: on the deferred-split queue before
 * (the source) and after (the destination, or the piece of a folio split
 * on the way: order 0, never queued), and 6.12's PG_partially_mapped the
 * same way (a piece reads 0).  6.12.118 requeues the destination where
 * the source was queued (migrate_folio_move(): "requeue destination folio
 * on deferred split queue"); 6.1 does not.
 */
static void reply_queue(struct mmlab_line *l, const struct mmlab_pstate *a,
			const struct mmlab_pstate *s)
{
	mmlab_line_int(l, " deferred_split=", a->deferred_split);
	mmlab_line_int(l, "->", s->deferred_split);
	if (a->partially_mapped < 0)
		return;
	mmlab_line_int(l, " partially_mapped=", a->partially_mapped);
	mmlab_line_int(l, "->", max_t(int, s->partially_mapped, 0));
}

/*
 * The line of a page that moved, the one written per page of a command that
 * went well: by the line writer (line.h), not vsnprintf().  Not inlined:
 * its line buffer stays off the frames of the callers (with KASAN's
 * redzones mmlab_cmd_migrate() went past 2 KiB).
 */
static noinline_for_stack void
reply_migrated(struct mmlab_ctx *ctx, const struct mig_batch *b, int i)
{
	const struct mmlab_pstate *a = &b->before[i], *s = &b->after;
	struct mmlab_line l;

	l.len = 0;
	mmlab_line_hex(&l, "migrate addr=", b->pages[i].addr);
	mmlab_line_str(&l, b->span_str);
	mmlab_line_hex(&l, " old_pfn=", a->pfn);
	mmlab_line_hex(&l, " new_pfn=", s->pfn);
	mmlab_line_int(&l, " old_nid=", a->nid);
	mmlab_line_int(&l, " new_nid=", s->nid);
	mmlab_line_int(&l, " order=", a->order);
	mmlab_line_int(&l, "->", s->order);
	if (s->order < a->order)
		mmlab_line_str(&l, " split=1");
	if (a->order && strcmp(a->kind, "hugetlb"))
		reply_queue(&l, a, s);
	mmlab_line_str(&l, " result=migrated checks=");
	mmlab_line_str(&l, b->checks);
	if (b->raced & RACED_MAPCOUNT)
		mmlab_line_str(&l, " mapcount_raced=1");
	if (b->raced & RACED_DIRTY)
		mmlab_line_str(&l, " dirty_raced=1");
	if (b->raced & RACED_SWAPCACHE)
		mmlab_line_str(&l, " swapcache_raced=1");
	mmlab_line_end(&l);
	mmlab_reply_text(ctx, l.buf, l.len);
}

static void reply_page(struct mmlab_ctx *ctx, const struct mig_ctl *mc, struct mig_batch *b,
		       int i, int node, int err, int attempts, struct mig_sum *sum,
		       struct mmlab_tp_migrate *e)
{
	bool no_mem = mc->alloc_failed > b->alloc_failed;
	const struct mmlab_pstate *a = &b->before[i], *s = &b->after;
	bool verify = mmlab_has(ctx->cmd, MMLAB_KEY_verify) && ctx->cmd->num[MMLAB_KEY_verify];
	const char *after = entry_name(&b->pages[i]);
	enum moved moved = MOVED_NO;
	unsigned long pfn;

	sum->pages += b->span;
	if (b->isolated[i] == -ENOENT) {
		sum->skipped++;
		mmlab_count(migrate_pages_skipped);
		e->result = "skipped";
		e->reason = skip_reason(a->map);
		mmlab_reply(ctx, "migrate addr=0x%lx result=skipped reason=%s\n",
			    b->pages[i].addr, e->reason);
		return;
	}
	if (!s->pfn && after && b->isolated[i] > 0)
		moved = moved_behind(mc, b, i, &pfn);
	if (moved != MOVED_NO) {
		reply_moved_on(ctx, b, i, moved, pfn, sum, e);
		return;
	}
	if (b->pages[i].map == MMLAB_MAP_ZERO && a->order && b->isolated[i] > 0 &&
	    !strcmp(a->kind, "anon")) {
		/*
		 * 6.12: the split on the way (-ENOMEM, or a partially mapped
		 * folio) mapped this zero-filled page of the anon folio to
		 * the shared zero page and freed it (__split_huge_page()'s
		 * remap_page(RMP_USE_SHARED_ZEROPAGE)): nothing left to move,
		 * and no failure.
		 */
		sum->zeropage++;
		sum->split++;
		mmlab_count(migrate_thp_split);
		e->result = "zeropage";
		e->reason = "zero_filled_split";
		mmlab_reply(ctx,
			    "migrate addr=0x%lx old_pfn=0x%lx order=%u->0 split=1 result=zeropage reason=zero_filled_split\n",
			    b->pages[i].addr, a->pfn, a->order);
		return;
	}
	if (s->pfn && s->pfn != a->pfn && movable(&b->pages[i]) &&
	    s->pfn != dst_of(mc, b, i, a->pfn)) {
		/* Unmapped and faulted again, or moved by someone else, meanwhile. */
		sum->raced += b->span;
		mmlab_count_add(migrate_pages_raced, b->span);
		e->result = "raced";
		e->reason = "page_replaced";
		mmlab_reply(ctx,
			    "migrate addr=0x%lx%s old_pfn=0x%lx new_pfn=0x%lx result=raced reason=page_replaced\n",
			    b->pages[i].addr, b->span_str, a->pfn, s->pfn);
		return;
	}
	if (s->pfn && s->pfn != a->pfn && movable(&b->pages[i])) {
		sum->migrated += b->span;
		mmlab_count_add(migrate_pages_migrated, b->span);
		if (s->order < a->order) {
			sum->split++;
			mmlab_count(migrate_thp_split);
		}
		sum->checks_failed += run_checks(b, i, node, verify);
		e->result = "migrated";
		e->checks = b->checks;
		reply_migrated(ctx, b, i);
		return;
	}
	sum->failed += b->span;
	mmlab_count_add(migrate_pages_failed, b->span);
	if (s->pfn && s->order < a->order) {
		/* Split on the way, then not moved (6.12 gives up on ENOMEM). */
		sum->split++;
		mmlab_count(migrate_thp_split);
	}
	e->result = "failed";
	if (b->isolated[i] < 0) {
		e->err = b->isolated[i];
		e->reason = e->err == -EDEADLK ? "mmlab_locked" : "isolation";
		mmlab_reply(ctx, "migrate addr=0x%lx%s old_pfn=0x%lx result=failed",
			    b->pages[i].addr, b->span_str, a->pfn);
		mmlab_reply(ctx, " err=%s reason=%s\n", mmlab_errname(e->err), e->reason);
		return;
	}
	if (err >= 0 && no_mem) {
		/* Never reached move_to_new_folio(): no page on the target node. */
		e->err = -ENOMEM;
		e->reason = "no_memory_on_target";
		mmlab_reply(ctx,
			    "migrate addr=0x%lx%s old_pfn=0x%lx order=%u->%u%s result=failed err=ENOMEM reason=no_memory_on_target\n",
			    b->pages[i].addr, b->span_str, a->pfn, a->order, s->order,
			    s->pfn && s->order < a->order ? " split=1" : "");
		return;
	}
	e->err = min(err, 0);
	e->reason = fail_reason(mc, b, i, attempts);
	mmlab_reply(ctx, "migrate addr=0x%lx%s old_pfn=0x%lx result=failed err=%s reason=%s",
		    b->pages[i].addr, b->span_str, a->pfn,
		    err < 0 ? mmlab_errname(err) : "unknown", e->reason);
	mmlab_reply(ctx, " expected_refs=%d refs=%d attempts=%d%s%s\n", b->expected[i], b->refs[i],
		    attempts, after ? " after=" : "", after ?: "");
}

static void report_page(struct mmlab_ctx *ctx, const struct mig_ctl *mc, struct mig_batch *b,
			int i, int node, int err, int attempts, struct mig_sum *sum)
{
	const struct mmlab_pstate *a = &b->before[i], *s = &b->after;
	struct mmlab_tp_migrate e = {
		.pid = ctx->cmd->num[MMLAB_KEY_pid], .addr = b->pages[i].addr,
		.old_pfn = a->pfn, .old_nid = a->nid, .old_order = a->order, .kind = a->kind,
		.refs = b->refs[i], .expected_refs = b->expected[i], .attempts = attempts,
		.batch_pages = b->n, .batch_ns = b->ns,
	};

	reply_page(ctx, mc, b, i, node, err, attempts, sum, &e);
	if (s->pfn) {
		e.new_pfn = s->pfn;
		e.new_nid = s->nid;
		e.new_order = s->order;
	}
	trace_migrate(&e);
}

/* A one-page command on a page that cannot move is refused, not reported. */
static int refuse_single(struct mmlab_ctx *ctx, struct mmlab_target *t, struct mmlab_page *p)
{
	if (t->end - t->start != PAGE_SIZE || movable(p))
		return 0;
	if (p->map == MMLAB_MAP_ZERO)
		return mmlab_fail(ctx, -EFAULT, "0x%lx maps the shared zero page", p->addr);
	if (p->map == MMLAB_MAP_SPECIAL)
		return mmlab_fail(ctx, -EFAULT, "0x%lx has no movable page (special mapping)",
				  p->addr);
	/*
	 * As move_pages(2): its folio_walk sees no page behind the swap-type
	 * pte (status -ENOENT).  Only the device's driver moves it, back to
	 * system memory, through migrate_vma (a CPU fault does that).
	 */
	if (p->map == MMLAB_MAP_DEVICE_PRIVATE)
		return mmlab_fail(ctx, -ENOENT,
				  "0x%lx is in device-private memory: migrate_pages() never sees it, only its driver's migrate_vma moves it",
				  p->addr);
	return mmlab_fail(ctx, -ENOENT, "no page present at 0x%lx (%s)", p->addr,
			  mmlab_map_name(p->map));
}

/*
 * A batch that ends inside a large folio ends before it instead, so that
 * the next batch migrates it once, whole (ending there, it would move now
 * and its new folio again in the next batch).  A folio longer than a batch
 * (a 1 GiB hugetlb page) cannot be: it is the batch.  Returns the pages
 * kept; the references of those cut off are dropped.
 */
static int end_at_folio(struct mmlab_page *pages, int n)
{
	struct mmlab_page *last = &pages[n - 1];
	struct folio *folio;
	int j;

	if (n < MMLAB_BATCH || !movable(last))
		return n;	/* the range's end, or no folio there */
	folio = page_folio(last->page);
	if (folio_page_idx(folio, last->page) == folio_nr_pages(folio) - 1)
		return n;
	for (j = n - 1; j > 0 && movable(&pages[j - 1]) &&
	     page_folio(pages[j - 1].page) == folio; j--)
		;
	if (!j)
		return n;
	mmlab_pages_put(pages + j, n - j);
	return j;
}

/*
 * A folio longer than a batch (a 1 GiB hugetlb page, 262144 pages) is a
 * batch by itself, all of its pages in the range: migrated once, whole,
 * and reported in one line, its first page's, with pages=N for the N pages
 * of the range it holds (a line per page would be up to 65536 identical
 * lines, 10 MiB).  Hugetlb only: its folio is mapped whole and in order
 * from its first page, so the range's pages from @p on are its pages.
 * Returns N, 0 for any other batch.
 */
static unsigned int giant_span(const struct mmlab_target *t, const struct mmlab_page *p)
{
	struct folio *folio;
	unsigned long end;

	if (p->map != MMLAB_MAP_HUGETLB || !p->page)
		return 0;
	folio = page_folio(p->page);
	if (folio_nr_pages(folio) <= MMLAB_BATCH)
		return 0;
	end = p->addr + (folio_nr_pages(folio) - folio_page_idx(folio, p->page)) * PAGE_SIZE;
	return (min(end, t->end) - p->addr) >> PAGE_SHIFT;
}

/* Which of the batch's folios had a page seen dirty (its pte or the folio's flag). */
static void folios_dirty(struct mig_batch *b)
{
	int i;

	memset(b->fdirty, 0, b->ftab.nr);
	for (i = 0; i < b->n; i++)
		if (b->of[i] >= 0 && b->before[i].dirty)
			b->fdirty[b->of[i]] = 1;
}

static int migrate_batch(struct mmlab_ctx *ctx, struct mmlab_target *t, struct mig_ctl *mc,
			 struct mig_batch *b, unsigned long start, int node, struct mig_sum *sum)
{
	const struct mmlab_cmd *cmd = ctx->cmd;
	int mode = mmlab_has(cmd, MMLAB_KEY_mode) ? cmd->num[MMLAB_KEY_mode] : MMLAB_MODE_SYNC;
	bool verify = mmlab_has(cmd, MMLAB_KEY_verify) && cmd->num[MMLAB_KEY_verify];
	bool swapcache = mmlab_has(cmd, MMLAB_KEY_swapcache) && cmd->num[MMLAB_KEY_swapcache];
	unsigned int succeeded = 0;
	int i, k, n, err, attempts;
	struct mmlab_mig_obs *o;
	bool observed;
	u64 t0 = ktime_get_ns(), t1;
	LIST_HEAD(list);

	/*
	 * Before any page is seen dirty: the walk reads the pte dirty bits, and
	 * writeback that cleans one after it must count as a race (a make check
	 * run's 11_migrate, lab and 6.1: clean, written, no I/O after a later
	 * baseline).
	 */
	b->pgpgout = pgpgout(b->events);
	n = mmlab_walk(ctx, t, start, b->pages);
	if (n < 0)
		return n;
	if (swapcache)
		resolve_swapcache(b->pages, n);
	n = end_at_folio(b->pages, n);
	b->span = giant_span(t, &b->pages[0]);
	b->span_str[0] = 0;
	if (b->span) {
		mmlab_pages_put(b->pages + 1, n - 1);	/* the first page stands for all */
		n = 1;
		snprintf(b->span_str, sizeof(b->span_str), " pages=%u", b->span);
	} else {
		b->span = 1;
	}
	b->n = n;
	b->isolated_pages = 0;
	err = refuse_single(ctx, t, &b->pages[0]);
	if (err) {
		mmlab_pages_put(b->pages, n);
		return err;
	}
	mmlab_pages_index(b->pages, n, &b->ftab, b->of, b->ours);
	for (i = 0; i < n; i++) {
		k = b->of[i];
		mmlab_pstate_mig(&b->pages[i], k >= 0 ? b->ours[k] : 0,
				 verify && movable(&b->pages[i]),
				 i && k >= 0 && k == b->of[i - 1] ? &b->before[i - 1] : NULL,
				 &b->before[i]);
	}
	folios_dirty(b);
	t1 = ktime_get_ns();
	sum->walk_ns += t1 - t0;
	isolate_batch(b, &list, mode);
	mmlab_migtrace_list(mc->tl, &list, MMLAB_TL_ISOLATED);
	mmlab_pages_put(b->pages, n);	/* isolation holds its own references */
	b->alloc_failed = mc->alloc_failed;
	mc->nr_pieces = 0;
	mmlab_observe_begin(&b->ftab, b->obs, b->ftab.nr);
	b->ns = ktime_get_ns();
	sum->isolate_ns += b->ns - t1;
	if (!list_empty(&list))
		kcall(migrate_pages)(&list, new_target,
				     mc->dst_mode == MMLAB_DST_KERNEL ? NULL : put_target,
				     (unsigned long)mc, modes[mode],
				     reasons[mc->reason], &succeeded);
	t0 = ktime_get_ns();
	b->ns = t0 - b->ns;
	sum->migrate_ns += b->ns;
	b->succeeded = succeeded;
	observed = mmlab_observe_end();
	mmlab_migtrace_list(mc->tl, &list, MMLAB_TL_PUTBACK);
	if (!list_empty(&list))
		kcall(putback_movable_pages)(&list);
	n = mmlab_walk_n(ctx, t, start, b->n, b->pages);
	if (n < 0)
		return n;
	if (swapcache)
		resolve_swapcache(b->pages, n);
	mmlab_pages_index(b->pages, n, &b->ftab_after, b->of_after, b->ours_after);
	for (i = 0; i < n; i++) {
		k = b->of_after[i];
		/* b->after still holds page i - 1's snapshot. */
		mmlab_pstate_mig(&b->pages[i], k >= 0 ? b->ours_after[k] : 0,
				 verify && movable(&b->pages[i]),
				 i && k >= 0 && k == b->of_after[i - 1] ? &b->after : NULL,
				 &b->after);
		/* What move_to_new_folio() did with this page's source folio. */
		o = b->of[i] >= 0 ? &b->obs[b->of[i]] : NULL;
		err = !observed ? 1 : o ? o->err : 0;
		attempts = observed && o ? o->attempts : -1;
		report_page(ctx, mc, b, i, node, err, attempts, sum);
	}
	mmlab_pages_put(b->pages, n);
	sum->check_ns += ktime_get_ns() - t0;
	return b->span > 1 ? b->span : n;	/* a giant folio: on past all of it */
}

static void batch_free(struct mig_batch *b)
{
	kvfree(b->ftab.slot);
	kvfree(b->ftab_after.slot);
	kvfree(b->of);
	kvfree(b->ours);
	kvfree(b->first);
	kvfree(b->fdst);
	kvfree(b->obs);
	kvfree(b->of_after);
	kvfree(b->ours_after);
	kvfree(b->pages);
	kvfree(b->before);
	kvfree(b->isolated);
	kvfree(b->expected);
	kvfree(b->refs);
	kvfree(b->held);
	kvfree(b->fdirty);
	kvfree(b->events);
}

static int batch_alloc(struct mig_batch *b)
{
	b->pages = kvcalloc(MMLAB_BATCH, sizeof(*b->pages), GFP_KERNEL);
	b->before = kvcalloc(MMLAB_BATCH, sizeof(*b->before), GFP_KERNEL);
	b->isolated = kvcalloc(MMLAB_BATCH, sizeof(int), GFP_KERNEL);
	b->expected = kvcalloc(MMLAB_BATCH, sizeof(int), GFP_KERNEL);
	b->refs = kvcalloc(MMLAB_BATCH, sizeof(int), GFP_KERNEL);
	b->held = kvcalloc(MMLAB_BATCH, sizeof(*b->held), GFP_KERNEL);
	b->fdirty = kvcalloc(MMLAB_BATCH, sizeof(*b->fdirty), GFP_KERNEL);
	b->events = kvcalloc(NR_VM_EVENT_ITEMS, sizeof(*b->events), GFP_KERNEL);
	b->ftab.slot = kvcalloc(MMLAB_FTAB_SIZE, sizeof(*b->ftab.slot), GFP_KERNEL);
	b->ftab_after.slot = kvcalloc(MMLAB_FTAB_SIZE, sizeof(*b->ftab_after.slot), GFP_KERNEL);
	b->of = kvcalloc(MMLAB_BATCH, sizeof(int), GFP_KERNEL);
	b->ours = kvcalloc(MMLAB_BATCH, sizeof(int), GFP_KERNEL);
	b->first = kvcalloc(MMLAB_BATCH, sizeof(int), GFP_KERNEL);
	b->fdst = kvcalloc(MMLAB_BATCH, sizeof(*b->fdst), GFP_KERNEL);
	b->obs = kvcalloc(MMLAB_BATCH, sizeof(*b->obs), GFP_KERNEL);
	b->of_after = kvcalloc(MMLAB_BATCH, sizeof(int), GFP_KERNEL);
	b->ours_after = kvcalloc(MMLAB_BATCH, sizeof(int), GFP_KERNEL);
	if (b->pages && b->before && b->isolated && b->expected && b->refs && b->held &&
	    b->fdirty && b->events && b->ftab.slot && b->ftab_after.slot && b->of && b->ours &&
	    b->first && b->fdst && b->obs && b->of_after && b->ours_after)
		return 0;
	batch_free(b);
	return -ENOMEM;
}

/*
 * The reasons whose migration leaves work to its caller that mmlab's
 * isolation does not expect (6.12 migrate_folio_done(); 6.1's
 * unmap_and_move() keeps the same reference for MR_MEMORY_FAILURE).
 * stress op=migrate refuses them the same way, before any thread starts.
 */
int mmlab_migrate_check_reason(struct mmlab_ctx *ctx, int reason)
{
	if (reason == MMLAB_REASON_MEMORY_FAILURE)
		return mmlab_fail(ctx, -EOPNOTSUPP,
				  "reason=memory_failure: migrate_pages() keeps the source's reference for memory_failure()'s page_handle_poison(): a migrated page would leak");
	if (reason == MMLAB_REASON_DEMOTION)
		return mmlab_fail(ctx, -EOPNOTSUPP,
				  "reason=demotion: migrate_pages() leaves NR_ISOLATED_* of a migrated folio to reclaim (6.12 migrate_folio_done()): mmlab's isolation count would leak");
	return 0;
}

/* reason=N's name, as the summary says it. */
const char *mmlab_migrate_reason_name(int reason)
{
	return (unsigned int)reason < ARRAY_SIZE(reason_names) ? reason_names[reason] : "?";
}

/* swapcache=1 and verify=1 need more of the kernel than migrate itself. */
static int check_keys(struct mmlab_ctx *ctx)
{
	const struct mmlab_cmd *cmd = ctx->cmd;
	const char *why;
	char buf[128];
	int ret;

	ret = mmlab_migrate_check_reason(ctx, mmlab_has(cmd, MMLAB_KEY_reason) ?
					      cmd->num[MMLAB_KEY_reason] : MMLAB_REASON_SYSCALL);
	if (ret)
		return ret;

	if (mmlab_has(cmd, MMLAB_KEY_swapcache) && cmd->num[MMLAB_KEY_swapcache]) {
		why = mmlab_syms_why(MMLAB_SYMS_SWAPCACHE, buf, sizeof(buf));
		if (why)
			return mmlab_fail(ctx, -EOPNOTSUPP, "swapcache=1 %s", why);
	}
	if (mmlab_has(cmd, MMLAB_KEY_verify) && cmd->num[MMLAB_KEY_verify]) {
		why = mmlab_syms_why(MMLAB_SYMS_RMAPWALK, buf, sizeof(buf));
		if (why)
			return mmlab_fail(ctx, -EOPNOTSUPP, "verify=1 %s", why);
	}
	return 0;
}

int mmlab_cmd_migrate(struct mmlab_ctx *ctx)
{
	const struct mmlab_cmd *cmd = ctx->cmd;
	int node = mmlab_has(cmd, MMLAB_KEY_node) ? cmd->num[MMLAB_KEY_node] : -1;
	int mode = mmlab_has(cmd, MMLAB_KEY_mode) ? cmd->num[MMLAB_KEY_mode] : MMLAB_MODE_SYNC;
	struct mig_ctl mc = {
		.mtc.nid = node,
		/* move_pages(2)'s mask; quiet: a full node is reported, not splatted. */
		.mtc.gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NOWARN,
		.same_node = node < 0,
		.dst_mode = mmlab_has(cmd, MMLAB_KEY_dst) ? cmd->num[MMLAB_KEY_dst] :
			    MMLAB_DST_KERNEL,
		.reason = mmlab_has(cmd, MMLAB_KEY_reason) ? cmd->num[MMLAB_KEY_reason] :
			  MMLAB_REASON_SYSCALL,
	};
	struct mig_sum sum = {};
	struct mmlab_target t;
	struct mig_batch b = {};
	unsigned long addr;
	int ret, n = 0;

#ifdef MMLAB_MTC_HAS_REASON
	mc.mtc.reason = reasons[mc.reason];	/* alloc_migration_target() reads it for hugetlb */
#endif
	ret = node < 0 ? 0 : mmlab_check_node(ctx, node);
	if (!ret)
		ret = check_keys(ctx);
	if (ret)
		return ret;
	ret = mmlab_target_get(ctx, &t);
	if (ret)
		return ret;
	if (batch_alloc(&b)) {
		mmlab_target_put(&t);
		return mmlab_fail(ctx, -ENOMEM, "out of memory");
	}
	mc.b = &b;
	mc.tl = mmlab_migtrace_begin(ctx);
	if (IS_ERR(mc.tl)) {
		batch_free(&b);
		mmlab_target_put(&t);
		return PTR_ERR(mc.tl);
	}
	/* A migrated page's line is about 150 bytes: the room for all at once. */
	mmlab_reply_reserve(ctx, ((t.end - t.start) >> PAGE_SHIFT) * 160);
	/* As move_pages(2) does (lru_cache_disable()): no folio waits in a per-CPU batch. */
	kcall(lru_add_drain_all)();
	for (addr = t.start; addr < t.end; addr += n * PAGE_SIZE) {
		n = migrate_batch(ctx, &t, &mc, &b, addr, node, &sum);
		if (n < 0) {
			ret = n;
			break;
		}
		cond_resched();	/* between batches, no lock or reference held */
		if (fatal_signal_pending(current)) {
			ret = mmlab_fail(ctx, -EINTR, "interrupted");
			break;
		}
	}
	ctx->pages_failed += sum.failed;
	ctx->checks_failed += sum.checks_failed;
	if (!ret)
		mmlab_reply(ctx,
			    "summary op=migrate pages=%lu migrated=%lu failed=%lu skipped=%lu raced=%lu checks_failed=%lu split=%lu zeropage=%lu mode=%s node=%d dst=%s reason=%s allocated=%u alloc_failed=%u returned=%u not_pristine=%u walk_ns=%llu isolate_ns=%llu migrate_ns=%llu check_ns=%llu\n",
			    sum.pages, sum.migrated, sum.failed, sum.skipped, sum.raced,
			    sum.checks_failed, sum.split, sum.zeropage, mode_names[mode], node,
			    dst_names[mc.dst_mode], reason_names[mc.reason], mc.allocated,
			    mc.alloc_failed, mc.returned, mc.not_pristine, sum.walk_ns,
			    sum.isolate_ns, sum.migrate_ns, sum.check_ns);
	mmlab_migtrace_end(ctx, mc.tl, !ret);
	batch_free(&b);
	kvfree(mc.pieces);
	mmlab_target_put(&t);
	return ret;
}
