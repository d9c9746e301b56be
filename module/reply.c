// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab replies: the lines a command writes, in a buffer per open file that
 * grows up to MMLAB_REPLY_MAX, and the one-line `error=... reason="..."`
 * reply of a command that fails.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "base.h"

void mmlab_reply_clear(struct mmlab_reply *r)
{
	r->len = 0;
	r->off = 0;
	r->truncated = false;
}

/*
 * Lines stop 32 bytes short of MMLAB_REPLY_MAX, so that the truncated=1
 * line still fits once they are cut off.
 */
#define REPLY_LINES_MAX (MMLAB_REPLY_MAX - 32)

static bool reply_grow(struct mmlab_reply *r, size_t need, size_t limit)
{
	size_t cap = max_t(size_t, 2 * r->cap, PAGE_SIZE);
	char *buf;

	if (r->len + need > limit)
		return false;
	while (cap < r->len + need)
		cap *= 2;
	if (cap > MMLAB_REPLY_MAX)
		return false;
	buf = kvmalloc(cap, GFP_KERNEL);
	if (!buf)
		return false;
	if (r->buf)
		memcpy(buf, r->buf, r->len);
	kvfree(r->buf);
	r->buf = buf;
	r->cap = cap;
	return true;
}

static __printf(2, 0) void reply_vadd(struct mmlab_reply *r, const char *fmt, va_list args)
{
	va_list again;
	int n;

	if (r->truncated)
		return;
	va_copy(again, args);
	n = vsnprintf(r->buf ? r->buf + r->len : NULL,
		      r->buf ? r->cap - r->len : 0, fmt, again);
	va_end(again);
	if (r->buf && r->len + n < min_t(size_t, r->cap, REPLY_LINES_MAX)) {
		r->len += n;
		return;
	}
	if (!reply_grow(r, n + 1, REPLY_LINES_MAX)) {
		r->truncated = true;
		return;
	}
	r->len += vsnprintf(r->buf + r->len, r->cap - r->len, fmt, args);
}

/* The last line of a reply that was cut: it goes in the room kept for it. */
void mmlab_reply_mark_truncated(struct mmlab_reply *r)
{
	static const char line[] = "truncated=1\n";

	if (r->len + sizeof(line) > r->cap &&
	    !reply_grow(r, sizeof(line), MMLAB_REPLY_MAX))
		return;
	memcpy(r->buf + r->len, line, sizeof(line) - 1);
	r->len += sizeof(line) - 1;
}

void mmlab_reply(struct mmlab_ctx *ctx, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	reply_vadd(&ctx->fd->reply, fmt, args);
	va_end(args);
}

/* Record why a command cannot run; returns err for `return mmlab_fail(...)`. */
int mmlab_fail(struct mmlab_ctx *ctx, int err, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(ctx->reason, sizeof(ctx->reason), fmt, args);
	va_end(args);
	return err;
}

/* A value that goes inside double quotes: keep it printable and unbroken. */
void mmlab_quotable(char *s)
{
	for (; *s; s++)
		*s = mmlab_quotable_char(*s);
}

/* The reply of a command that failed: one line, whatever it wrote before. */
void mmlab_reply_error(struct mmlab_ctx *ctx, int err)
{
	mmlab_quotable(ctx->reason);
	mmlab_reply_clear(&ctx->fd->reply);
	mmlab_reply(ctx, "error=%s reason=\"%s\"\n", mmlab_errname(err),
		    ctx->reason[0] ? ctx->reason : "unknown");
}
