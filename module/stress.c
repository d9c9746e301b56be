// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab stress: one command (op=migrate|rmap|move_charge) run over and over
 * on the same pages from threads=N kernel threads, for seconds=S or
 * iterations=N in all.  migrate without node= alternates between the
 * online nodes, with migrate's reason= and dst= (refused for the other
 * ops); rmap walks the range's pages in turn; move_charge moves the
 * charges to to= and back on alternate rounds.  When the target
 * process exits (ESRCH), stress stops early and says so.
 *
 * The writer waits for the threads and is interruptible: a signal stops
 * them after their current command, joins them and fails the write with
 * EINTR.  The threads never outlive the write, and the open control file
 * pins the module, so rmmod is refused (EBUSY) while stress runs.  Each
 * thread has a reply buffer of its own; replies are discarded, outcomes
 * counted: commands, errors by errno, pages that failed to migrate, failed
 * checks.
 */
#include <linux/kthread.h>
#include <linux/nodemask.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "cmd.h"
#include "core.h"

#define STRESS_ERRS 134		/* errno 1..133 by number, 0: other */

struct stress {
	struct mmlab_cmd cmd;		/* the op, as one command */
	int reason;			/* op=migrate: MMLAB_REASON_* */
	mmlab_handler handler;		/* the op's */
	unsigned long deadline;		/* jiffies, when seconds= */
	atomic_long_t left;		/* commands left, when iterations= */
	atomic_long_t round;		/* commands started */
	atomic_long_t ok, pages_failed, checks_failed;
	atomic_t errs[STRESS_ERRS];
	atomic_t running;
	wait_queue_head_t done;
	bool stop, target_gone;
};

/* The ops, by MMLAB_OP_*: their verb, and their handler for mmlab_run(). */
static const enum mmlab_verb op_verbs[] = {
	MMLAB_VERB_migrate, MMLAB_VERB_rmap, MMLAB_VERB_move_charge,
};

static const mmlab_handler op_handlers[] = {
	mmlab_cmd_migrate, mmlab_cmd_rmap, mmlab_cmd_move_charge,
};

static bool more(struct stress *s)
{
	if (READ_ONCE(s->stop) || kthread_should_stop())
		return false;
	if (s->deadline)
		return time_before(jiffies, s->deadline);
	return atomic_long_dec_return(&s->left) >= 0;
}

/* Round @n of the op: which node, page or direction it takes. */
static void round_cmd(const struct stress *s, long n, struct mmlab_cmd *cmd, bool *reverse)
{
	unsigned long pages = 1;
	int node, i;

	*cmd = s->cmd;
	*reverse = false;
	switch (cmd->verb) {
	case MMLAB_VERB_migrate:
		if (mmlab_has(&s->cmd, MMLAB_KEY_node))
			break;
		node = first_online_node;
		for (i = n % num_online_nodes(); i > 0; i--)
			node = next_online_node(node);
		cmd->present |= MMLAB_K(node);
		cmd->num[MMLAB_KEY_node] = node < MAX_NUMNODES ? node : first_online_node;
		break;
	case MMLAB_VERB_rmap:
		if (mmlab_has(&s->cmd, MMLAB_KEY_len))
			pages = DIV_ROUND_UP(s->cmd.num[MMLAB_KEY_len], PAGE_SIZE);
		cmd->present &= ~MMLAB_K(len);
		cmd->num[MMLAB_KEY_addr] += (n % pages) * PAGE_SIZE;
		break;
	default:
		*reverse = n & 1;
		break;
	}
}

static void count_err(struct stress *s, int err)
{
	atomic_inc(&s->errs[err < 0 && -err < STRESS_ERRS ? -err : 0]);
}

static int stress_thread(void *data)
{
	struct stress *s = data;
	struct mmlab_fd *fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	struct mmlab_cmd cmd;
	int ret;

	while (fd && more(s)) {
		struct mmlab_ctx ctx = { .fd = fd, .cmd = &cmd };

		round_cmd(s, atomic_long_inc_return(&s->round) - 1, &cmd, &ctx.reverse);
		ret = mmlab_run(&ctx, s->handler);
		if (ret)
			count_err(s, ret);
		else
			atomic_long_inc(&s->ok);
		if (ret == -ESRCH) {
			/* The target exited: every later round would say the same. */
			WRITE_ONCE(s->target_gone, true);
			WRITE_ONCE(s->stop, true);
		}
		atomic_long_add(ctx.pages_failed, &s->pages_failed);
		atomic_long_add(ctx.checks_failed, &s->checks_failed);
		cond_resched();
	}
	if (!fd)
		count_err(s, -ENOMEM);
	else
		kvfree(fd->reply.buf);
	kfree(fd);
	if (atomic_dec_and_test(&s->running))
		wake_up(&s->done);
	return 0;
}

static void reply_summary(struct mmlab_ctx *ctx, struct stress *s, unsigned int threads,
			  u64 ns)
{
	long ops = atomic_long_read(&s->round);
	u64 ms = max_t(u64, div_u64(ns, NSEC_PER_MSEC), 1);
	int i, n;

	mmlab_reply(ctx, "summary op=stress stress_op=%s", mmlab_verb_name(s->cmd.verb));
	if (s->cmd.verb == MMLAB_VERB_migrate)
		mmlab_reply(ctx, " reason=%s", mmlab_migrate_reason_name(s->reason));
	mmlab_reply(ctx, " threads=%u ops=%ld ok=%ld failed=%ld", threads, ops,
		    atomic_long_read(&s->ok), ops - atomic_long_read(&s->ok));
	mmlab_reply(ctx, " ms=%llu ops_per_s=%llu pages_failed=%ld checks_failed=%ld",
		    ms, div_u64(ops * 1000ULL, ms), atomic_long_read(&s->pages_failed),
		    atomic_long_read(&s->checks_failed));
	for (i = 1; i < STRESS_ERRS; i++) {
		n = atomic_read(&s->errs[i]);
		if (n)
			mmlab_reply(ctx, " err_%s=%d", mmlab_errname(-i), n);
	}
	n = atomic_read(&s->errs[0]);
	if (n)
		mmlab_reply(ctx, " err_other=%d", n);
	if (s->target_gone)
		mmlab_reply(ctx, " stopped=target_exited");
	mmlab_reply(ctx, "\n");
}

/* The op's command: the stress line's keys, pid= as the init namespace sees it. */
static int op_cmd(struct mmlab_ctx *ctx, struct stress *s)
{
	const struct mmlab_cmd *c = ctx->cmd;
	char buf[128];
	const char *why;
	struct pid *pid;
	int ret;

	s->cmd = *c;
	s->cmd.verb = op_verbs[c->num[MMLAB_KEY_op]];
	s->handler = op_handlers[c->num[MMLAB_KEY_op]];
	s->cmd.present &= ~(MMLAB_K(op) | MMLAB_K(threads) | MMLAB_K(seconds) |
			    MMLAB_K(iterations));
	if (s->cmd.verb == MMLAB_VERB_move_charge && !mmlab_has(c, MMLAB_KEY_to))
		return mmlab_fail(ctx, -EINVAL, "op=move_charge needs to=");
	if (s->cmd.verb != MMLAB_VERB_migrate &&
	    (mmlab_has(c, MMLAB_KEY_reason) || mmlab_has(c, MMLAB_KEY_dst)))
		return mmlab_fail(ctx, -EINVAL, "op=%s: reason= and dst= are op=migrate's",
				  mmlab_verb_name(s->cmd.verb));
	s->reason = mmlab_has(c, MMLAB_KEY_reason) ? c->num[MMLAB_KEY_reason] :
		    MMLAB_REASON_SYSCALL;
	/* migrate's own refusals, once here rather than in every round. */
	if (s->cmd.verb == MMLAB_VERB_migrate) {
		ret = mmlab_migrate_check_reason(ctx, s->reason);
		if (ret)
			return ret;
	}
	why = mmlab_verb_unavailable(s->cmd.verb, buf, sizeof(buf));
	if (why)
		return mmlab_fail(ctx, -EOPNOTSUPP, "op=%s: %s", mmlab_verb_name(s->cmd.verb),
				  why);
	pid = find_get_pid(c->num[MMLAB_KEY_pid]);
	if (!pid)
		return mmlab_fail(ctx, -ESRCH, "no process %llu", c->num[MMLAB_KEY_pid]);
	s->cmd.num[MMLAB_KEY_pid] = pid_nr(pid);
	put_pid(pid);
	return 0;
}

static int start_threads(struct mmlab_ctx *ctx, struct stress *s, struct task_struct **t,
			 unsigned int n)
{
	unsigned int i;

	atomic_set(&s->running, n);
	for (i = 0; i < n; i++) {
		t[i] = kthread_create(stress_thread, s, "mmlab_stress/%u", i);
		if (IS_ERR(t[i]))
			break;
		get_task_struct(t[i]);
	}
	if (i < n) {
		/* None has run yet: stop the ones created (they never start the loop). */
		WRITE_ONCE(s->stop, true);
		while (i--) {
			kthread_stop(t[i]);
			put_task_struct(t[i]);
		}
		return mmlab_fail(ctx, -ENOMEM, "cannot create stress threads");
	}
	for (i = 0; i < n; i++)
		wake_up_process(t[i]);
	return 0;
}

int mmlab_cmd_stress(struct mmlab_ctx *ctx)
{
	const struct mmlab_cmd *c = ctx->cmd;
	unsigned int i, n = mmlab_has(c, MMLAB_KEY_threads) ? c->num[MMLAB_KEY_threads] : 1;
	struct task_struct **t;
	struct stress *s;
	u64 t0;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	t = kcalloc(n, sizeof(*t), GFP_KERNEL);
	if (!s || !t) {
		ret = mmlab_fail(ctx, -ENOMEM, "out of memory");
		goto out;
	}
	init_waitqueue_head(&s->done);
	ret = op_cmd(ctx, s);
	if (ret)
		goto out;
	if (mmlab_has(c, MMLAB_KEY_seconds))
		s->deadline = jiffies + c->num[MMLAB_KEY_seconds] * HZ;
	else
		atomic_long_set(&s->left, c->num[MMLAB_KEY_iterations]);
	t0 = ktime_get_ns();
	ret = start_threads(ctx, s, t, n);
	if (ret)
		goto out;
	if (wait_event_interruptible(s->done, !atomic_read(&s->running))) {
		WRITE_ONCE(s->stop, true);
		ret = mmlab_fail(ctx, -EINTR, "interrupted: stress stopped");
	}
	for (i = 0; i < n; i++) {
		kthread_stop(t[i]);
		put_task_struct(t[i]);
	}
	if (!ret)
		reply_summary(ctx, s, n, ktime_get_ns() - t0);
out:
	kfree(t);
	kfree(s);
	return ret;
}
