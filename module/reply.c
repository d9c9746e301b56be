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
	r->line = 0;
	r->tail = 0;
	r->truncated = false;
}

/*
 * A reply keeps its last MMLAB_REPLY_TAIL bytes for the line a command
 * writes last: its summary.  Lines go in up to REPLY_LINES_MAX.  The first
 * that does not fit truncates the reply: it goes on in the tail instead
 * (with the part of it already written), and from then on every line the
 * command writes replaces the one kept there.  So the page lines stop
 * early, whole, and the last line always arrives; a successful command's
 * reply then gets truncated=1 on it (mmlab_reply_mark_truncated()).  One
 * mechanism for every verb, whatever its last line is.
 */
#define REPLY_MARK " truncated=1"
#define REPLY_LINES_MAX (MMLAB_REPLY_MAX - MMLAB_REPLY_TAIL)
#define REPLY_TAIL_MAX (MMLAB_REPLY_MAX - sizeof(REPLY_MARK))	/* the mark still fits */

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

/* A line to add: printf-style, or text already made (line.h). */
struct piece {
	const char *fmt;
	va_list *args;
	const char *text;
	size_t n;
};

/* Append, the reply ending below @limit; false (nothing added) if it cannot. */
static bool reply_put(struct mmlab_reply *r, size_t limit, const struct piece *p)
{
	size_t room = r->buf ? min(r->cap, limit) - r->len : 0;
	va_list again;
	size_t n = p->n;

	if (p->fmt) {
		va_copy(again, *p->args);
		n = vsnprintf(r->buf ? r->buf + r->len : NULL, room, p->fmt, again);
		va_end(again);
	} else if (n < room) {
		memcpy(r->buf + r->len, p->text, n);
	}
	if (n < room) {
		r->len += n;
		return true;
	}
	if (!reply_grow(r, n + 1, limit))
		return false;
	if (p->fmt) {
		va_copy(again, *p->args);
		n = vsnprintf(r->buf + r->len, r->cap - r->len, p->fmt, again);
		va_end(again);
	} else {
		memcpy(r->buf + r->len, p->text, n);
	}
	r->len += n;
	return true;
}

static void reply_add(struct mmlab_reply *r, const struct piece *p)
{
	if (r->truncated && r->len > r->tail && r->buf[r->len - 1] == '\n')
		r->len = r->tail;	/* the kept line gives way to the next one */
	if (!r->truncated && !reply_put(r, REPLY_LINES_MAX, p)) {
		r->truncated = true;
		r->tail = r->line;	/* this line, begun or not, goes on in the tail */
	}
	if (r->truncated && !reply_put(r, REPLY_TAIL_MAX, p))
		r->len = r->tail;	/* a line longer than the tail: left out */
	if (r->len && r->buf[r->len - 1] == '\n')
		r->line = r->len;
}

/*
 * A reply that was cut: truncated=1 at the end of its last line (before
 * its newline), or alone when no line was kept.  The tail has room for it.
 */
void mmlab_reply_mark_truncated(struct mmlab_reply *r)
{
	static const char mark[] = REPLY_MARK "\n";
	const char *s = mark;
	size_t at = r->len;

	if (r->len + strlen(mark) > r->cap &&
	    !reply_grow(r, strlen(mark), MMLAB_REPLY_MAX))
		return;
	if (at > r->tail && r->buf[at - 1] == '\n')
		at--;
	else if (at == r->tail)
		s++;	/* the leading blank */
	memcpy(r->buf + at, s, strlen(s));
	r->len = at + strlen(s);
}

void mmlab_reply(struct mmlab_ctx *ctx, const char *fmt, ...)
{
	va_list args;
	struct piece p = { .fmt = fmt, .args = &args };

	va_start(args, fmt);
	reply_add(&ctx->fd->reply, &p);
	va_end(args);
}

/* Text made by the caller (a line.h line): added as mmlab_reply() adds. */
void mmlab_reply_text(struct mmlab_ctx *ctx, const char *text, size_t n)
{
	struct piece p = { .text = text, .n = n };

	reply_add(&ctx->fd->reply, &p);
}

/*
 * Room for about @bytes more, made at once (a command that knows how many
 * lines it will write): the buffer is not doubled and copied on the way.
 * Best effort: without it the reply grows as it goes.
 */
void mmlab_reply_reserve(struct mmlab_ctx *ctx, size_t bytes)
{
	struct mmlab_reply *r = &ctx->fd->reply;

	bytes = min_t(size_t, bytes, REPLY_LINES_MAX - r->len);
	if (r->len + bytes > r->cap)
		reply_grow(r, bytes, REPLY_LINES_MAX);
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
