// SPDX-License-Identifier: GPL-2.0
/*
 * migrate trace=1: the life of the command's folios (timeline.c records
 * it), attached around the command and written after its page lines.
 *
 *   step t_us= what=isolated|unmap|move|remap|putback|freed pfn= order= refs=
 *        mapcount= flags= memcg= [vma= addr=] [rc= dst_pfn=]
 *   timeline steps= lost= folios=
 *
 * Each step is also an mmlab:folio_step event, fired as its line is
 * written, after the command: not from inside the kprobe handlers.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "cmd.h"
#include "core.h"
#include "observe.h"
#include "mmlab_trace.h"

/* At most one batch's pages: a timeline is for a few folios, read by a person. */
#define TRACE_MAX_PAGES 512

struct mmlab_timeline *mmlab_migtrace_begin(struct mmlab_ctx *ctx)
{
	const struct mmlab_cmd *cmd = ctx->cmd;
	unsigned long len = mmlab_has(cmd, MMLAB_KEY_len) ? cmd->num[MMLAB_KEY_len] : 1;
	unsigned long off = cmd->num[MMLAB_KEY_addr] & ~PAGE_MASK;
	struct mmlab_timeline *tl;
	int ret;

	if (!mmlab_has(cmd, MMLAB_KEY_trace) || !cmd->num[MMLAB_KEY_trace])
		return NULL;
	if (DIV_ROUND_UP(len + off, PAGE_SIZE) > TRACE_MAX_PAGES)
		return ERR_PTR(mmlab_fail(ctx, -EINVAL, "trace=1 follows at most %d pages",
					  TRACE_MAX_PAGES));
	tl = kvzalloc(sizeof(*tl), GFP_KERNEL);
	if (!tl)
		return ERR_PTR(mmlab_fail(ctx, -ENOMEM, "out of memory"));
	ret = mmlab_timeline_begin(tl);
	if (ret) {
		kvfree(tl);
		return ERR_PTR(mmlab_fail(ctx, ret, "the timeline's kprobes: %s",
					  mmlab_errname(ret)));
	}
	return tl;
}

/* The command's own step for each folio on @list. */
void mmlab_migtrace_list(struct mmlab_timeline *tl, struct list_head *list,
			 enum mmlab_tl_what what)
{
	struct folio *folio;

	if (tl)
		list_for_each_entry(folio, list, lru)
			mmlab_timeline_note(tl, folio, what);
}

static void reply_step(struct mmlab_ctx *ctx, const struct mmlab_tl_step *s)
{
	char flags[96];

	trace_folio_step(task_tgid_nr(current), s, mmlab_timeline_what(s),
			 mmlab_timeline_flags(s, flags, sizeof(flags)));

	mmlab_reply(ctx, "step t_us=%llu what=%s pfn=0x%lx order=%u refs=%d ",
		    s->ns / NSEC_PER_USEC, mmlab_timeline_what(s), s->pfn, s->order, s->refs);
	mmlab_reply(ctx, "mapcount=%d flags=%s memcg=%u", s->mapcount,
		    mmlab_timeline_flags(s, flags, sizeof(flags)), s->memcg);
	if (s->what == MMLAB_TL_UNMAP || s->what == MMLAB_TL_REMAP)
		mmlab_reply(ctx, " vma=0x%lx addr=0x%lx", s->vma, s->addr);
	if (s->what == MMLAB_TL_MOVE)
		mmlab_reply(ctx, " rc=%s dst_pfn=0x%lx", s->rc ? mmlab_errname(s->rc) : "0",
			    s->dst_pfn);
	mmlab_reply(ctx, "\n");
}

/* Detach, then write the steps (@reply: the command did not fail). */
void mmlab_migtrace_end(struct mmlab_ctx *ctx, struct mmlab_timeline *tl, bool reply)
{
	int i;

	if (!tl)
		return;
	mmlab_timeline_end(tl);
	if (reply) {
		for (i = 0; i < tl->nr; i++)
			reply_step(ctx, &tl->steps[i]);
		mmlab_reply(ctx, "timeline steps=%d lost=%u folios=%d\n", tl->nr, tl->lost,
			    tl->nr_seen);
	}
	kvfree(tl);
}
