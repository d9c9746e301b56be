// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab inject and uninject: the commands of fault and delay injection
 * (inject.c does the work).  An injection is held by the open control file
 * that made it, like a pin, and goes with uninject or the file's last close.
 *
 *   inject at=POINT fail=EAGAIN|EBUSY|ENOMEM | delay_us=US
 *          [after=N] [count=N] [every=N] [percent=P] [scope=mmlab|pid|all] [pid=P]
 *   uninject [at=POINT]
 */
#include <linux/errno.h>
#include "cmd.h"
#include "core.h"
#include "observe.h"

static const int fail_errno[] = { -EAGAIN, -EBUSY, -ENOMEM };

static unsigned long num_or(const struct mmlab_cmd *cmd, enum mmlab_key k, unsigned long dflt)
{
	return mmlab_has(cmd, k) ? cmd->num[k] : dflt;
}

/* The errors a point's callers can see from it, as the kernel returns them. */
static int check_fail(struct mmlab_ctx *ctx, const struct mmlab_inj_spec *s, const char *at)
{
	if (!s->err)
		return 0;
	if (mmlab_inject_returns_ptr(s->point) && s->err != -ENOMEM)
		return mmlab_fail(ctx, -EINVAL, "%s returns a folio: only fail=ENOMEM (NULL)", at);
	if (mmlab_inject_returns_isolate(s->point) && s->err != -EBUSY)
		return mmlab_fail(ctx, -EINVAL, "%s fails only as -EBUSY (6.12: false)", at);
	if (mmlab_inject_delay_only(s->point))
		return mmlab_fail(ctx, -EINVAL, "%s is a delay point: delay_us= only", at);
	return 0;
}

static int spec_of(struct mmlab_ctx *ctx, struct mmlab_inj_spec *s)
{
	const struct mmlab_cmd *cmd = ctx->cmd;
	const char *at = cmd->str[MMLAB_KEY_at];

	s->point = mmlab_inject_point(at);
	if (s->point < 0)
		return mmlab_fail(ctx, -EPERM,
				  "%s is not an injection point: only functions whose callers handle the error may be failed (docs/inject.md)",
				  at);
	s->err = mmlab_has(cmd, MMLAB_KEY_fail) ? fail_errno[cmd->num[MMLAB_KEY_fail]] : 0;
	s->delay_us = num_or(cmd, MMLAB_KEY_delay_us, 0);
	s->after = num_or(cmd, MMLAB_KEY_after, 0);
	s->count = num_or(cmd, MMLAB_KEY_count, 1);
	s->every = num_or(cmd, MMLAB_KEY_every, 1);
	s->percent = num_or(cmd, MMLAB_KEY_percent, 100);
	s->scope = num_or(cmd, MMLAB_KEY_scope, MMLAB_SCOPE_MMLAB);
	s->pid = num_or(cmd, MMLAB_KEY_pid, 0);
	if (s->scope == MMLAB_SCOPE_PID ? !mmlab_has(cmd, MMLAB_KEY_pid) :
	    mmlab_has(cmd, MMLAB_KEY_pid))
		return mmlab_fail(ctx, -EINVAL, "scope=pid and pid= go together");
	return check_fail(ctx, s, at);
}

int mmlab_cmd_inject(struct mmlab_ctx *ctx)
{
	struct mmlab_inj_info info;
	struct mmlab_inj_spec s;
	char spec[160];
	int ret = spec_of(ctx, &s);

	if (ret)
		return ret;
	ret = mmlab_inject_add(&s, ctx->fd, &info);
	if (ret == -ENOENT)
		return mmlab_fail(ctx, ret, "this kernel has no %s to probe",
				  ctx->cmd->str[MMLAB_KEY_at]);
	if (ret == -ENOSPC)
		return mmlab_fail(ctx, ret, "too many injections attached at once");
	if (ret)
		return mmlab_fail(ctx, ret, "kprobe on %s refused", ctx->cmd->str[MMLAB_KEY_at]);
	mmlab_inject_spec_str(&s, spec, sizeof(spec));
	mmlab_reply(ctx, "inject id=%u at=%s as=%s %s\n", info.id, info.at, info.as, spec);
	return 0;
}

static void removed(void *arg, const struct mmlab_inj_info *info)
{
	mmlab_reply(arg, "uninject id=%u at=%s hits=%lu fired=%lu\n",
		    info->id, info->at, info->hits, info->fired);
}

int mmlab_cmd_uninject(struct mmlab_ctx *ctx)
{
	const char *at = ctx->cmd->str[MMLAB_KEY_at];
	int point = -1, n;

	if (mmlab_has(ctx->cmd, MMLAB_KEY_at)) {
		point = mmlab_inject_point(at);
		if (point < 0)
			return mmlab_fail(ctx, -EINVAL, "%s is not an injection point", at);
	}
	n = mmlab_inject_remove(ctx->fd, point, removed, ctx);
	mmlab_reply(ctx, "summary op=uninject removed=%d\n", n);
	return 0;
}

/* The last close of @fd: its injections go, as its pins do. */
void mmlab_injections_release(struct mmlab_fd *fd)
{
	mmlab_inject_remove(fd, -1, NULL, NULL);
}
