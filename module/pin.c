// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab holds: keep something on the target pages, on the open file that
 * asked, so that the experiments that need another party in the way can be
 * run on purpose.  Holds go with their release verb, with the file's last
 * close, and so at the latest before the module can unload.
 *
 *   pin [mode=get]  an extra folio reference, as FOLL_GET takes: migration
 *                   fails at the refcount check (E02);
 *   pin mode=pin    a FOLL_PIN through pin_user_pages_remote(), which the
 *                   kernel tells apart (folio_maybe_dma_pinned): migration
 *                   fails earlier, when try_to_migrate_one() cannot share a
 *                   pinned exclusive anon page (E03);             -> unpin
 *   lock            the folio lock (trylock: never waits), as a racing
 *                   reader or truncation would hold it (E25)      -> unlock
 *   isolate         off the LRU, as reclaim or compaction hold a folio
 *                   while they work on it (E12, E25)              -> putback
 *
 * A lock is also entered in hold.c's registry of folios mmlab holds locked,
 * which migrate and rmap ask (mmlab_held_locked()) before they would wait
 * for that lock.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "cmd.h"
#include "core.h"
#include "compat.h"
#include "kcall.h"

#define MMLAB_MAX_PINS 65536	/* holds per open file */

enum hold { HOLD_GET, HOLD_PIN, HOLD_LOCK, HOLD_ISOLATE };
static const char * const hold_verb[] = { "pin", "pin", "lock", "isolate" };
static const char * const hold_done[] = { "pinned", "pinned", "locked", "isolated" };

struct mmlab_pin {
	struct list_head list;	/* on the fd's list */
	struct mmlab_held locked;	/* HOLD_LOCK: in hold.c's registry */
	enum hold how;
	struct folio *folio;	/* one reference held (isolation's, for HOLD_ISOLATE) */
	struct page *pinned;	/* HOLD_PIN: the FOLL_PIN page */
	unsigned long addr, pfn;
	pid_t pid;
};

static void pin_drop(struct mmlab_fd *fd, struct mmlab_pin *pin)
{
	LIST_HEAD(list);

	list_del(&pin->list);
	switch (pin->how) {
	case HOLD_GET:
		folio_put(pin->folio);
		break;
	case HOLD_PIN:
		unpin_user_page(pin->pinned);
		break;
	case HOLD_LOCK:
		mmlab_held_del(&pin->locked);
		folio_unlock(pin->folio);
		folio_put(pin->folio);
		break;
	case HOLD_ISOLATE:
		/* As migration gives back what it did not move. */
		list_add(&pin->folio->lru, &list);
		kcall(putback_movable_pages)(&list);
		break;
	}
	kfree(pin);
	fd->nr_pins--;
	mmlab_count(pins_released);
}

void mmlab_pins_release(struct mmlab_fd *fd)
{
	struct mmlab_pin *pin, *tmp;

	list_for_each_entry_safe(pin, tmp, &fd->pins, list)
		pin_drop(fd, pin);
}

/*
 * FOLL_PIN the page at p->addr through GUP, as a driver would.  GUP may
 * fault or unshare (a COW-shared anon page gets a copy of its own), so the
 * pinned page must still be the one the walk saw: otherwise refuse.
 */
static int foll_pin(struct mmlab_ctx *ctx, struct mmlab_target *t, struct mmlab_page *p,
		    struct mmlab_pin *pin)
{
	struct page *page;
	long got;

	if (mmap_read_lock_killable(t->mm))
		return mmlab_fail(ctx, -EINTR, "interrupted");
	got = mmlab_pin_user_page(t->mm, p->addr, &page);
	mmap_read_unlock(t->mm);
	if (got != 1)
		return mmlab_fail(ctx, got < 0 ? (int)got : -EFAULT,
				  "pin_user_pages_remote failed at 0x%lx", p->addr);
	if (page != p->page) {
		unpin_user_page(page);
		return mmlab_fail(ctx, -EAGAIN, "page at 0x%lx changed while pinning", p->addr);
	}
	pin->pinned = page;
	mmlab_count(pins_foll_pin);
	return 0;
}

/* Take @how on @folio for @pin.  Returns 0 or -errno with a reply. */
static int hold(struct mmlab_ctx *ctx, struct mmlab_target *t, struct mmlab_page *p,
		struct mmlab_pin *pin)
{
	struct folio *folio = page_folio(p->page);
	LIST_HEAD(list);

	switch (pin->how) {
	case HOLD_PIN:
		/*
		 * GUP would fault the page back to system memory, which the
		 * walk's reference makes the driver's migrate_vma refuse: the
		 * fault returns, GUP retries it, forever.
		 */
		if (p->map == MMLAB_MAP_DEVICE_PRIVATE)
			return mmlab_fail(ctx, -EBUSY,
					  "0x%lx is in device-private memory: a FOLL_PIN would fault it back while mmlab holds it",
					  p->addr);
		return foll_pin(ctx, t, p, pin);
	case HOLD_GET:
		folio_get(folio);	/* the walk's reference keeps it alive until here */
		return 0;
	case HOLD_LOCK:
		if (!folio_trylock(folio))
			return mmlab_fail(ctx, -EBUSY, "folio at 0x%lx is locked by someone else",
					  p->addr);
		folio_get(folio);
		mmlab_held_add(&pin->locked, folio);
		mmlab_count(folio_locks_taken);
		return 0;
	case HOLD_ISOLATE:
		if (folio_test_hugetlb(folio) || mmlab_isolate(folio, &list))
			return mmlab_fail(ctx, -EBUSY, "folio at 0x%lx is not on an LRU list",
					  p->addr);
		list_del(&folio->lru);	/* held on our own: folio->lru is ours */
		mmlab_count(isolations_taken);
		return 0;
	}
	return -EINVAL;
}

/* Is @folio already held this way on this file (a lock or isolation is per folio)? */
static bool held_here(struct mmlab_fd *fd, struct folio *folio, enum hold how)
{
	struct mmlab_pin *pin;

	if (how == HOLD_GET || how == HOLD_PIN)
		return false;
	list_for_each_entry(pin, &fd->pins, list)
		if (pin->how == how && pin->folio == folio)
			return true;
	return false;
}

static int pin_page(struct mmlab_ctx *ctx, struct mmlab_target *t, struct mmlab_page *p,
		    struct mmlab_page *pages, int n, enum hold how)
{
	struct mmlab_fd *fd = ctx->fd;
	struct folio *folio = page_folio(p->page);
	struct mmlab_pin *pin;
	int ret;

	if (held_here(fd, folio, how))
		return 0;
	if (fd->nr_pins >= MMLAB_MAX_PINS)
		return mmlab_fail(ctx, -E2BIG, "at most %d holds per open file", MMLAB_MAX_PINS);
	pin = kzalloc(sizeof(*pin), GFP_KERNEL);
	if (!pin)
		return mmlab_fail(ctx, -ENOMEM, "out of memory");
	pin->how = how;
	pin->folio = folio;
	pin->addr = p->addr;
	pin->pfn = page_to_pfn(p->page);
	pin->pid = t->pid;
	ret = hold(ctx, t, p, pin);
	if (ret) {
		kfree(pin);
		return ret;
	}
	list_add_tail(&pin->list, &fd->pins);
	fd->nr_pins++;
	mmlab_count(pins_taken);
	mmlab_reply(ctx, "%s addr=0x%lx pfn=0x%lx refs=%d", hold_verb[how], p->addr, pin->pfn,
		    folio_ref_count(folio) - mmlab_ours(pages, n, folio));
	if (how == HOLD_GET || how == HOLD_PIN)
		mmlab_reply(ctx, " mode=%s", how == HOLD_PIN ? "pin" : "get");
	mmlab_reply(ctx, "\n");
	return 0;
}

static bool pinnable(const struct mmlab_page *p)
{
	return p->ref || (p->page && p->map != MMLAB_MAP_ZERO);
}

static enum hold hold_of(const struct mmlab_cmd *cmd)
{
	switch (cmd->verb) {
	case MMLAB_VERB_lock:
		return HOLD_LOCK;
	case MMLAB_VERB_isolate:
		return HOLD_ISOLATE;
	default:
		return cmd->num[MMLAB_KEY_mode] == MMLAB_PIN_PIN ? HOLD_PIN : HOLD_GET;
	}
}

/* pin, lock and isolate: take the hold on every page of the range. */
int mmlab_cmd_pin(struct mmlab_ctx *ctx)
{
	enum hold how = hold_of(ctx->cmd);
	struct mmlab_target t;
	struct mmlab_page *pages;
	unsigned long addr, held = 0;
	int i, n = 0, ret;

	ret = mmlab_target_get(ctx, &t);
	if (ret)
		return ret;
	if (how == HOLD_ISOLATE)	/* no folio may wait in a per-CPU batch, off the LRU */
		kcall(lru_add_drain_all)();
	pages = kvcalloc(MMLAB_BATCH, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		mmlab_target_put(&t);
		return mmlab_fail(ctx, -ENOMEM, "out of memory");
	}
	for (addr = t.start; addr < t.end && !ret; addr += n * PAGE_SIZE) {
		n = mmlab_walk(ctx, &t, addr, pages);
		if (n < 0) {
			ret = n;
			break;
		}
		if (t.end - t.start == PAGE_SIZE && !pinnable(&pages[0]))
			ret = mmlab_fail(ctx, -ENOENT, "no page to %s at 0x%lx (%s)",
					 hold_verb[how], addr, mmlab_map_name(pages[0].map));
		for (i = 0; i < n && !ret; i++) {
			if (!pinnable(&pages[i]))
				continue;
			ret = pin_page(ctx, &t, &pages[i], pages, n, how);
			held += !ret;
		}
		mmlab_pages_put(pages, n);
		cond_resched();	/* between batches: a 256 MiB range is 128 of them */
	}
	if (!ret)
		mmlab_reply(ctx, "summary op=%s %s=%lu held=%u\n", hold_verb[how],
			    hold_done[how], held, ctx->fd->nr_pins);
	kvfree(pages);
	mmlab_target_put(&t);
	return ret;
}

static bool releases(enum mmlab_verb verb, enum hold how)
{
	switch (verb) {
	case MMLAB_VERB_unlock:
		return how == HOLD_LOCK;
	case MMLAB_VERB_putback:
		return how == HOLD_ISOLATE;
	default:
		return how == HOLD_GET || how == HOLD_PIN;
	}
}

/* unpin, unlock and putback: release this file's holds of that kind in the range. */
int mmlab_cmd_unpin(struct mmlab_ctx *ctx)
{
	const struct mmlab_cmd *cmd = ctx->cmd;
	bool all = !mmlab_has(cmd, MMLAB_KEY_pid);
	unsigned long addr = cmd->num[MMLAB_KEY_addr];
	unsigned long len = mmlab_has(cmd, MMLAB_KEY_len) ? cmd->num[MMLAB_KEY_len] : 1;
	const char *verb = mmlab_verb_name(cmd->verb);
	unsigned long start = addr & PAGE_MASK, end;
	struct mmlab_pin *pin, *tmp;
	unsigned long released = 0;

	/*
	 * As pin refuses it (mmlab_target_get()): a range past the user
	 * address space, whose end would wrap and match no hold, silently.
	 */
	if (!all && (addr >= TASK_SIZE_MAX || len > TASK_SIZE_MAX - addr))
		return mmlab_fail(ctx, -EFAULT, "0x%lx+0x%lx is not a user address range",
				  addr, len);
	end = PAGE_ALIGN(addr + len);
	list_for_each_entry_safe(pin, tmp, &ctx->fd->pins, list) {
		if (!releases(cmd->verb, pin->how))
			continue;
		if (!all && (pin->pid != cmd->num[MMLAB_KEY_pid] ||
			     pin->addr < start || pin->addr >= end))
			continue;
		mmlab_reply(ctx, "%s addr=0x%lx pfn=0x%lx\n", verb, pin->addr, pin->pfn);
		pin_drop(ctx->fd, pin);
		released++;
	}
	mmlab_reply(ctx, "summary op=%s released=%lu held=%u\n", verb, released,
		    ctx->fd->nr_pins);
	return 0;
}
