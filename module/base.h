/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab layer 0, the base every other file stands on: the version, the
 * counters (counters.c), the reply of a command and its context (reply.c),
 * the grammar (parse.c, include/mmlab_cmd.h) and the debugfs open check.
 * Nothing here calls up: the base knows no command, core helper or file.
 */
#ifndef MMLAB_BASE_H
#define MMLAB_BASE_H

#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include "../include/mmlab_cmd.h"

#define MMLAB_VERSION "0.1.0"
#define MMLAB_REPLY_MAX (16U << 20)	/* one reply is at most 16 MiB */
/* Kept at the end of a reply for its last line (the summary): see reply.c. */
#define MMLAB_REPLY_TAIL 4096U

/* ---- counters (counters.c) --------------------------------------------- */
struct mmlab_counters {
	u64 v[MMLAB_NR_COUNTERS];
};
DECLARE_PER_CPU(struct mmlab_counters, mmlab_pcpu);

#define mmlab_count_id(id)	this_cpu_inc(mmlab_pcpu.v[id])
#define mmlab_count(name)	mmlab_count_id(MMLAB_CTR_##name)
#define mmlab_count_add(name, n) this_cpu_add(mmlab_pcpu.v[MMLAB_CTR_##name], n)
u64 mmlab_counter_read(enum mmlab_counter id);
void mmlab_counters_reset(void);

/* ---- per-open-file state and the reply (reply.c) ----------------------- */
struct mmlab_reply {
	char *buf;
	size_t len, cap, off;	/* off: where the next read starts */
	size_t line;		/* where the line being written starts */
	size_t tail;		/* once truncated: where the kept last line starts */
	bool truncated;
};

struct mmlab_fd {
	struct mutex lock;	/* one command at a time per open file */
	struct mmlab_reply reply;
	struct list_head pins;	/* struct mmlab_pin, under lock */
	unsigned int nr_pins;
};

/* One command being run: handlers write reply lines or a failure reason. */
struct mmlab_ctx {
	struct mmlab_fd *fd;
	const struct mmlab_cmd *cmd;
	char reason[192];
	unsigned long pages_failed, checks_failed;	/* for stress */
	bool reverse;		/* stress move_charge: move back, to -> own memcg */
};

/* A command: reply lines and 0, or -errno with a reason (mmlab_fail()). */
typedef int (*mmlab_handler)(struct mmlab_ctx *ctx);

__printf(2, 3) void mmlab_reply(struct mmlab_ctx *ctx, const char *fmt, ...);
void mmlab_reply_text(struct mmlab_ctx *ctx, const char *text, size_t n);
void mmlab_reply_reserve(struct mmlab_ctx *ctx, size_t bytes);
__printf(3, 4) int mmlab_fail(struct mmlab_ctx *ctx, int err, const char *fmt, ...);
void mmlab_quotable(char *s);	/* for a value inside double quotes */

/* What the control file does with a reply around a command. */
void mmlab_reply_clear(struct mmlab_reply *r);
void mmlab_reply_error(struct mmlab_ctx *ctx, int err);	/* the one error line */
void mmlab_reply_mark_truncated(struct mmlab_reply *r);

/* Every debugfs open: CAP_SYS_ADMIN on top of the 0600 file mode. */
static inline int mmlab_open_allowed(void)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

#endif /* MMLAB_BASE_H */
