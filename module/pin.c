// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab pin/unpin: hold an extra folio reference on the target pages, on
 * the open file that asked, so that "migration must fail while someone
 * holds a reference" can be run on purpose.  Pins go with `unpin`, with the
 * file's last close, and so at the latest before the module can unload.
 *
 * mode=get (default) takes a plain folio reference, as FOLL_GET does;
 * mode=pin takes a FOLL_PIN through pin_user_pages_remote(), which the
 * kernel tells apart (folio_maybe_dma_pinned): migration then fails
 * earlier, when try_to_migrate_one() cannot share a pinned exclusive anon
 * page (experiment E03), instead of at the refcount check (E02).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "mmlab.h"
#include "compat.h"

#define MMLAB_MAX_PINS 65536	/* per open file */

struct mmlab_pin {
	struct list_head list;
	struct folio *folio;	/* one reference held */
	struct page *pinned;	/* mode=pin: the FOLL_PIN page, else NULL */
	unsigned long addr, pfn;
	pid_t pid;
};

static void pin_drop(struct mmlab_fd *fd, struct mmlab_pin *pin)
{
	list_del(&pin->list);
	if (pin->pinned)
		unpin_user_page(pin->pinned);
	else
		folio_put(pin->folio);
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
	pin->folio = page_folio(page);
	mmlab_count(pins_foll_pin);
	return 0;
}

static int pin_page(struct mmlab_ctx *ctx, struct mmlab_target *t, struct mmlab_page *p,
		    struct mmlab_page *pages, int n)
{
	struct mmlab_fd *fd = ctx->fd;
	struct mmlab_pin *pin;
	struct folio *folio = page_folio(p->page);
	int ret;

	if (fd->nr_pins >= MMLAB_MAX_PINS)
		return mmlab_fail(ctx, -E2BIG, "at most %d pins per open file", MMLAB_MAX_PINS);
	pin = kzalloc(sizeof(*pin), GFP_KERNEL);
	if (!pin)
		return mmlab_fail(ctx, -ENOMEM, "out of memory");
	if (ctx->cmd->num[MMLAB_KEY_mode] == MMLAB_PIN_PIN) {
		ret = foll_pin(ctx, t, p, pin);
		if (ret) {
			kfree(pin);
			return ret;
		}
		folio = pin->folio;
	} else {
		folio_get(folio);	/* the walk's reference keeps it alive until here */
		pin->folio = folio;
	}
	pin->addr = p->addr;
	pin->pfn = page_to_pfn(p->page);
	pin->pid = t->pid;
	list_add_tail(&pin->list, &fd->pins);
	fd->nr_pins++;
	mmlab_count(pins_taken);
	mmlab_reply(ctx, "pin addr=0x%lx pfn=0x%lx refs=%d mode=%s\n", p->addr, pin->pfn,
		    folio_ref_count(folio) - mmlab_ours(pages, n, folio),
		    pin->pinned ? "pin" : "get");
	return 0;
}

static bool pinnable(const struct mmlab_page *p)
{
	return p->ref || (p->page && p->map != MMLAB_MAP_ZERO);
}

int mmlab_cmd_pin(struct mmlab_ctx *ctx)
{
	struct mmlab_target t;
	struct mmlab_page *pages;
	unsigned long addr, pinned = 0;
	int i, n = 0, ret;

	ret = mmlab_target_get(ctx, &t);
	if (ret)
		return ret;
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
			ret = mmlab_fail(ctx, -ENOENT, "no pinnable page at 0x%lx (%s)",
					 addr, mmlab_map_name(pages[0].map));
		for (i = 0; i < n && !ret; i++) {
			if (!pinnable(&pages[i]))
				continue;
			ret = pin_page(ctx, &t, &pages[i], pages, n);
			pinned += !ret;
		}
		mmlab_pages_put(pages, n);
	}
	if (!ret)
		mmlab_reply(ctx, "summary op=pin pinned=%lu held=%u\n", pinned, ctx->fd->nr_pins);
	kvfree(pages);
	mmlab_target_put(&t);
	return ret;
}

int mmlab_cmd_unpin(struct mmlab_ctx *ctx)
{
	const struct mmlab_cmd *cmd = ctx->cmd;
	bool all = !mmlab_has(cmd, MMLAB_KEY_pid);
	unsigned long start = cmd->num[MMLAB_KEY_addr] & PAGE_MASK;
	unsigned long len = mmlab_has(cmd, MMLAB_KEY_len) ? cmd->num[MMLAB_KEY_len] : 1;
	unsigned long end = PAGE_ALIGN(cmd->num[MMLAB_KEY_addr] + len);
	struct mmlab_pin *pin, *tmp;
	unsigned long released = 0;

	list_for_each_entry_safe(pin, tmp, &ctx->fd->pins, list) {
		if (!all && (pin->pid != cmd->num[MMLAB_KEY_pid] ||
			     pin->addr < start || pin->addr >= end))
			continue;
		mmlab_reply(ctx, "unpin addr=0x%lx pfn=0x%lx\n", pin->addr, pin->pfn);
		pin_drop(ctx->fd, pin);
		released++;
	}
	mmlab_reply(ctx, "summary op=unpin released=%lu held=%u\n", released, ctx->fd->nr_pins);
	return 0;
}
