// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab observer of migration attempts: a kretprobe on move_to_new_folio()
 * (static, never inlined on 6.1 and 6.12: every attempt of migrate_pages()
 * to move one folio goes through it) records, for the tasks running a
 * migrate command, how many attempts were made and the last error.  This
 * is how a refused migration reports the kernel's own error (-EAGAIN for an
 * unexpected reference) rather than a guess.
 */
#include <linux/kprobes.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "observe.h"
#include "base.h"

#define NR_WATCH 32	/* concurrent migrate commands observed */

struct watch {
	struct task_struct *task;
	int attempts;
	int last_err;
};

static struct watch watches[NR_WATCH];
static DEFINE_SPINLOCK(watch_lock);	/* claims and frees watches[] slots */
static bool observing;

static struct watch *find(struct task_struct *task)
{
	int i;

	for (i = 0; i < NR_WATCH; i++)
		if (READ_ONCE(watches[i].task) == task)
			return &watches[i];
	return NULL;
}

static int ret_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct watch *w = find(current);
	int ret = regs_return_value(regs);

	if (w) {
		w->attempts++;
		if (ret)
			w->last_err = ret;
	}
	return 0;
}

static struct kretprobe krp = {
	.kp.symbol_name = "move_to_new_folio",
	.handler = ret_handler,
	.maxactive = 64,
};

static struct kprobe guard;	/* see kguard.c */

int mmlab_observe_init(void)
{
	if (mmlab_kguard_register(&guard, krp.kp.symbol_name))
		return 0;
	observing = !register_kretprobe(&krp);
	if (!observing)
		unregister_kprobe(&guard);
	return 0;
}

void mmlab_observe_exit(void)
{
	if (observing) {
		unregister_kretprobe(&krp);
		unregister_kprobe(&guard);
	}
	observing = false;
}

void mmlab_observe_begin(void)
{
	struct watch *w;

	spin_lock(&watch_lock);
	w = find(NULL);
	if (w) {
		w->attempts = 0;
		w->last_err = 0;
		WRITE_ONCE(w->task, current);
	}
	spin_unlock(&watch_lock);
}

/* Returns the last error seen (0 if none, 1 if not observed). */
int mmlab_observe_end(int *attempts)
{
	struct watch *w;
	int err = 1;

	*attempts = -1;
	spin_lock(&watch_lock);
	w = find(current);
	if (w && observing) {
		*attempts = w->attempts;
		err = w->last_err;
	}
	if (w)
		WRITE_ONCE(w->task, NULL);
	spin_unlock(&watch_lock);
	return err;
}
