// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab control file: one command per write(), its reply read back on the
 * same open file.
 *
 * Every open file has its own reply, so concurrent users never see each
 * other's results.  A write replaces the reply; reads start at its first
 * byte whatever the file offset is.  A command that cannot run fails the
 * write with an errno and leaves a one-line `error=... reason="..."` reply.
 */
#include <linux/debugfs.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include "iface.h"
#include "cmd.h"
#include "core.h"

static const mmlab_handler handlers[MMLAB_NR_VERBS] = {
#define MMLAB_HANDLER(name, handler) \
	[MMLAB_VERB_##name] = handler,
#include "../include/mmlab_lists.h"
};

static const struct { int err; enum mmlab_counter ctr; } errno_counter[] = {
#define MMLAB_ERRNO(e) { e, MMLAB_CTR_err_##e },
#include "../include/mmlab_lists.h"
};

static void count_errno(int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errno_counter); i++) {
		if (errno_counter[i].err == -err) {
			mmlab_count_id(errno_counter[i].ctr);
			return;
		}
	}
	mmlab_count(err_other);
}

static void count_result(const struct mmlab_cmd *cmd, int ret)
{
	int base = MMLAB_CTR_inspect_attempts + 3 * cmd->verb;

	/* mmlab_lists.h lays out attempts, ok, failed per verb, in verb order. */
	BUILD_BUG_ON(MMLAB_CTR_migrate_failed != MMLAB_CTR_inspect_attempts + 5);
	BUILD_BUG_ON(MMLAB_CTR_selftest_attempts !=
		     MMLAB_CTR_inspect_attempts + 3 * MMLAB_VERB_selftest);

	mmlab_count_id(base);
	mmlab_count_id(base + (ret ? 2 : 1));
}

static const enum mmlab_counter perr_counter[MMLAB_NR_PERRS] = {
	[MMLAB_PERR_none] = MMLAB_CTR_err_other,
#define MMLAB_PERR(name) \
	[MMLAB_PERR_##name] = MMLAB_CTR_parse_##name,
#include "../include/mmlab_lists.h"
};

static int run(struct mmlab_ctx *ctx, char *line, size_t len)
{
	struct mmlab_perr_info perr;
	struct mmlab_cmd cmd;
	int ret;

	ret = mmlab_parse(line, len, &cmd, &perr);
	if (ret) {
		mmlab_count_id(perr_counter[perr.class]);
		strscpy(ctx->reason, perr.reason, sizeof(ctx->reason));
		return ret;
	}
	ctx->cmd = &cmd;
	ret = mmlab_run(ctx, handlers[cmd.verb]);
	count_result(&cmd, ret);
	return ret;
}

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct mmlab_fd *fd = file->private_data;
	struct mmlab_ctx ctx = { .fd = fd };
	char *line = NULL;
	int ret;

	if (mutex_lock_interruptible(&fd->lock))
		return -EINTR;
	mmlab_reply_clear(&fd->reply);
	/* Trailing blanks are trimmed by the parser; anything longer is refused. */
	if (count > MMLAB_LINE_MAX + 64) {
		mmlab_count(parse_too_long);
		ret = mmlab_fail(&ctx, -EINVAL, "line longer than %d bytes", MMLAB_LINE_MAX);
		goto out;
	}
	line = memdup_user_nul(ubuf, count);
	if (IS_ERR(line)) {
		ret = mmlab_fail(&ctx, PTR_ERR(line), "cannot read the command");
		line = NULL;
		goto out;
	}
	ret = run(&ctx, line, count);
out:
	/* Counted after the command, so that a reset leaves consistent counts. */
	mmlab_count(commands);
	if (ret) {
		mmlab_reply_error(&ctx, ret);
		count_errno(ret);
	} else {
		mmlab_count(commands_ok);
		if (fd->reply.truncated)
			mmlab_reply_mark_truncated(&fd->reply);
	}
	mutex_unlock(&fd->lock);
	kfree(line);
	return ret ? ret : count;
}

static ssize_t control_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct mmlab_fd *fd = file->private_data;
	struct mmlab_reply *r = &fd->reply;
	size_t n;

	if (mutex_lock_interruptible(&fd->lock))
		return -EINTR;
	n = min(count, r->len - r->off);
	if (n && copy_to_user(ubuf, r->buf + r->off, n)) {
		mutex_unlock(&fd->lock);
		return -EFAULT;
	}
	r->off += n;
	mutex_unlock(&fd->lock);
	return n;
}

static int control_open(struct inode *inode, struct file *file)
{
	struct mmlab_fd *fd;
	int ret = mmlab_open_allowed();

	if (ret)
		return ret;
	fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	if (!fd)
		return -ENOMEM;
	mutex_init(&fd->lock);
	INIT_LIST_HEAD(&fd->pins);
	file->private_data = fd;
	return nonseekable_open(inode, file);
}

static int control_release(struct inode *inode, struct file *file)
{
	struct mmlab_fd *fd = file->private_data;

	mmlab_injections_release(fd);
	mmlab_pins_release(fd);
	kvfree(fd->reply.buf);
	kfree(fd);
	return 0;
}

const struct file_operations mmlab_control_fops = {
	.owner = THIS_MODULE,
	.open = control_open,
	.read = control_read,
	.write = control_write,
	.release = control_release,
};
