/* SPDX-License-Identifier: GPL-2.0 */
/* mmlab: what the module's files share. */
#ifndef MMLAB_H
#define MMLAB_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/fs.h>
#include "../include/mmlab_cmd.h"

#define MMLAB_VERSION "0.1.0"
#define MMLAB_REPLY_MAX (16U << 20)	/* one reply is at most 16 MiB */

/* ---- counters (stats.c) ------------------------------------------------ */
struct mmlab_counters {
	u64 v[MMLAB_NR_COUNTERS];
};
DECLARE_PER_CPU(struct mmlab_counters, mmlab_pcpu);

#define mmlab_count_id(id)	this_cpu_inc(mmlab_pcpu.v[id])
#define mmlab_count(name)	mmlab_count_id(MMLAB_CTR_##name)
u64 mmlab_counter_read(enum mmlab_counter id);
void mmlab_counters_reset(void);
extern const struct file_operations mmlab_stats_fops;

/* ---- per-open-file state and the reply (control.c) --------------------- */
struct mmlab_reply {
	char *buf;
	size_t len, cap, off;	/* off: where the next read starts */
	bool truncated;
};

struct mmlab_fd {
	struct mutex lock;	/* one command at a time per open file */
	struct mmlab_reply reply;
};

/* One command being run: handlers write reply lines or a failure reason. */
struct mmlab_ctx {
	struct mmlab_fd *fd;
	const struct mmlab_cmd *cmd;
	char reason[192];
};

__printf(2, 3) void mmlab_reply(struct mmlab_ctx *ctx, const char *fmt, ...);
__printf(3, 4) int mmlab_fail(struct mmlab_ctx *ctx, int err, const char *fmt, ...);
extern const struct file_operations mmlab_control_fops;

/* ---- capabilities and the features file (features.c) ------------------- */
const char *mmlab_verb_unavailable(enum mmlab_verb verb, char *buf, size_t len);
extern const struct file_operations mmlab_features_fops;

/* ---- probes file (probes.c) -------------------------------------------- */
extern const struct file_operations mmlab_probes_fops;

/* ---- commands ------------------------------------------------------------ */
int mmlab_cmd_selftest(struct mmlab_ctx *ctx);

/* Every debugfs open: CAP_SYS_ADMIN on top of the 0600 file mode. */
int mmlab_open_allowed(void);

#endif /* MMLAB_H */
