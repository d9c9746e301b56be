// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab pin/unpin: hold an extra folio reference on the target pages, on
 * the open file that asked, so that "migration must fail while someone
 * holds a reference" can be run on purpose.  Pins go with `unpin`, with the
 * file's last close, and so at the latest before the module can unload.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "mmlab.h"

#define MMLAB_MAX_PINS 65536	/* per open file */

struct mmlab_pin {
	struct list_head list;
	struct folio *folio;	/* one reference held */
	unsigned long addr, pfn;
	pid_t pid;
};

static void pin_drop(struct mmlab_fd *fd, struct mmlab_pin *pin)
{
	list_del(&pin->list);
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

static int pin_page(struct mmlab_ctx *ctx, struct mmlab_target *t, struct mmlab_page *p,
		    struct mmlab_page *pages, int n)
{
	struct mmlab_fd *fd = ctx->fd;
	struct mmlab_pin *pin;
	struct folio *folio = page_folio(p->page);

	if (fd->nr_pins >= MMLAB_MAX_PINS)
		return mmlab_fail(ctx, -E2BIG, "at most %d pins per open file", MMLAB_MAX_PINS);
	pin = kzalloc(sizeof(*pin), GFP_KERNEL);
	if (!pin)
		return mmlab_fail(ctx, -ENOMEM, "out of memory");
	folio_get(folio);	/* the walk's reference keeps it alive until here */
	pin->folio = folio;
	pin->addr = p->addr;
	pin->pfn = page_to_pfn(p->page);
	pin->pid = t->pid;
	list_add_tail(&pin->list, &fd->pins);
	fd->nr_pins++;
	mmlab_count(pins_taken);
	mmlab_reply(ctx, "pin addr=0x%lx pfn=0x%lx refs=%d\n", p->addr, pin->pfn,
		    folio_ref_count(folio) - mmlab_ours(pages, n, folio));
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
