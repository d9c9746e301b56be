// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab observer of migration attempts: a kretprobe on move_to_new_folio()
 * (static, never inlined on 6.1 and 6.12: every attempt of migrate_pages()
 * to move one folio goes through it) records, per source folio of the
 * batch a migrate command gave migrate_pages(), how many attempts were
 * made and the last error.  This is how a refused migration reports the
 * kernel's own error (-EAGAIN for an unexpected reference) rather than a
 * guess, for each folio: another folio of the batch moving, or compaction
 * moving other folios inside a destination allocation of the same task,
 * is not counted as its attempt.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "observe.h"
#include "foliotab.h"
#include "base.h"

#define NR_WATCH 32	/* concurrent migrate commands observed */

struct watch {
	struct task_struct *task;
	const struct mmlab_ftab *tab;	/* the batch's folios -> obs[] */
	struct mmlab_mig_obs *obs;
	int nr;
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

/* A piece of a folio split on the way is not in the table: its pfn tells. */
static struct mmlab_mig_obs *obs_of(struct watch *w, struct folio *src)
{
	int i = mmlab_ftab_find(w->tab, src);
	unsigned long pfn;

	if (i >= 0)
		return &w->obs[i];
	pfn = folio_pfn(src);
	for (i = 0; i < w->nr; i++)
		if (pfn >= w->obs[i].pfn && pfn < w->obs[i].pfn + w->obs[i].nr)
			return &w->obs[i];
	return NULL;	/* not one of the batch's: compaction's, say */
}

/* move_to_new_folio(dst, src, mode): keep src for the return. */
static int entry_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct watch *w = find(current);

	if (!w)
		return 1;	/* not an mmlab command's: no return handler */
	*(struct mmlab_mig_obs **)ri->data =
		obs_of(w, (struct folio *)regs_get_kernel_argument(regs, 1));
	return 0;
}

static int ret_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct mmlab_mig_obs *o = *(struct mmlab_mig_obs **)ri->data;
	int ret = regs_return_value(regs);

	if (o) {
		o->attempts++;
		if (ret)
			o->err = ret;
	}
	return 0;
}

static struct kretprobe krp = {
	.kp.symbol_name = "move_to_new_folio",
	.entry_handler = entry_handler,
	.handler = ret_handler,
	.data_size = sizeof(struct mmlab_mig_obs *),
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

/* From here to mmlab_observe_end(), current's attempts go to @obs. */
void mmlab_observe_begin(const struct mmlab_ftab *tab, struct mmlab_mig_obs *obs, int nr)
{
	struct watch *w;

	spin_lock(&watch_lock);
	w = find(NULL);
	if (w) {
		w->tab = tab;
		w->obs = obs;
		w->nr = nr;
		WRITE_ONCE(w->task, current);
	}
	spin_unlock(&watch_lock);
}

/* Whether the attempts were observed (a watch slot, and the kretprobe). */
bool mmlab_observe_end(void)
{
	struct watch *w;
	bool seen = false;

	spin_lock(&watch_lock);
	w = find(current);
	if (w) {
		seen = observing;
		WRITE_ONCE(w->task, NULL);
	}
	spin_unlock(&watch_lock);
	return seen;
}
