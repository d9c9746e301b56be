// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab admin commands: selftest runs the calling layer's self-test
 * (kcall.c) again and reports it; reset clears the counters.
 */
#include <linux/kernel.h>
#include "cmd.h"
#include "kcall.h"

int mmlab_cmd_selftest(struct mmlab_ctx *ctx)
{
	char msg[sizeof(mmlab_kcall.selftest_msg)];
	int ret = mmlab_kcall_selftest(msg, sizeof(msg));

	if (ret == -EOPNOTSUPP)
		return mmlab_fail(ctx, ret, "%s", msg);
	mmlab_reply(ctx, "selftest %s result=%s\n", msg, ret ? "failed" : "ok");
	mmlab_reply(ctx, "summary op=selftest result=%s\n", ret ? "failed" : "ok");
	return 0;
}

/* The reset command: the same as writing "0" to stats, with a reply. */
int mmlab_cmd_reset(struct mmlab_ctx *ctx)
{
	mmlab_counters_reset();
	mmlab_reply(ctx, "summary op=reset counters=%d\n", MMLAB_NR_COUNTERS);
	return 0;
}
