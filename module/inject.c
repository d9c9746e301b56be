// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab fault and delay injection: at the entry of a kernel function on
 * the list of injection points (include/mmlab_lists.h, MMLAB_INJECT), a
 * kprobe makes chosen calls return an error without running the function,
 * or busy-waits before it runs.
 *
 * Debian's kernels have neither fail_function nor bpf_override_return, so
 * this is done as they do it: the pre-handler sets the return register and
 * moves the ip to a bare return (the kernel's just_return_func is not
 * exported: mmlab has its own), so the function's caller sees its return
 * value.  Reached by a return, never an indirect call or jump, the
 * trampoline needs no ENDBR under IBT.  The kprobe has an (empty) post
 * handler, as fail_function's has: on an ftrace site that selects the
 * IPMODIFY ftrace ops, and elsewhere it keeps the kprobe from being
 * jump-optimized; either would ignore the new ip otherwise.
 *
 * Only the listed functions may be failed, each because its callers check
 * its return and clean up.  Injections belong to the open control file that
 * made them and go with its last close (and so before unload).
 */
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/objtool.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <asm/linkage.h>
#include "observe.h"
#include "base.h"
#include "compat.h"

#define MAX_INJECTIONS 16

/* The bare return an injected call leaves through (see above). */
asm(".pushsection .text, \"ax\"\n"
	".type mmlab_inject_return, @function\n"
	".p2align 4\n"
	"mmlab_inject_return:\n"
	ANNOTATE_NOENDBR
	ASM_RET
	".size mmlab_inject_return, .-mmlab_inject_return\n"
	".popsection\n");

enum inj_ret { INJ_INT, INJ_PTR, INJ_ISOLATE, INJ_DELAY };

struct point {
	const char *name, *symbols, *why;
	enum inj_ret ret;
};

static const struct point points[] = {
#define MMLAB_INJECT(n, syms, r, w) { #n, syms, w, INJ_##r },
#include "../include/mmlab_lists.h"
};

struct inj {
	struct list_head node;
	struct kprobe kp;
	const void *owner;
	struct mmlab_inj_spec spec;
	unsigned int id;
	unsigned long retval;	/* what the caller sees, for a failure */
	char as[MMLAB_SYM_MAX + 16];
	atomic_long_t hits, fired;
};

static LIST_HEAD(injections);
static DEFINE_MUTEX(inj_lock);	/* the list, attach and detach */
static unsigned int nr_injections, next_id;

int mmlab_inject_point(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(points); i++)
		if (!strcmp(points[i].name, name))
			return i;
	return -1;
}

const char *mmlab_inject_why(int point)
{
	return points[point].why;
}

bool mmlab_inject_returns_ptr(int point)
{
	return points[point].ret == INJ_PTR;
}

bool mmlab_inject_returns_isolate(int point)
{
	return points[point].ret == INJ_ISOLATE;
}

bool mmlab_inject_delay_only(int point)
{
	return points[point].ret == INJ_DELAY;
}

static bool in_scope(const struct inj *in)
{
	if (!in_task())
		return in->spec.scope == MMLAB_SCOPE_ALL;
	switch (in->spec.scope) {
	case MMLAB_SCOPE_PID:
		return task_tgid_nr(current) == in->spec.pid;
	case MMLAB_SCOPE_ALL:
		return true;
	}
	return mmlab_in_scope();
}

/* This matching call: is it one to act on?  No lock: counters only. */
static bool fires(struct inj *in)
{
	const struct mmlab_inj_spec *s = &in->spec;
	long n = atomic_long_inc_return(&in->hits);

	if (n <= s->after || (n - s->after - 1) % s->every)
		return false;
	if (s->percent < 100 && get_random_u32() % 100 >= s->percent)
		return false;
	if (!s->count) {
		atomic_long_inc(&in->fired);
		return true;
	}
	return atomic_long_add_unless(&in->fired, 1, s->count);
}

/*
 * A kprobe handler may not sleep (an int3 one runs with interrupts off), so
 * this spins, on the clocksource rather than udelay(): udelay() counts the
 * CPU's own loops_per_jiffy, and 6.1's second vCPU under QEMU TCG
 * calibrates it at about 0.5 BogoMIPS (smpboot's total 5195.68 against the
 * boot CPU's 5195.17), which made a 10 ms delay there last about 1 us (E52).
 */
static void busy_wait(unsigned int us)
{
	u64 end = ktime_get_ns() + (u64)us * NSEC_PER_USEC;

	while (ktime_get_ns() < end)
		cpu_relax();
}

static int inj_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct inj *in = container_of(kp, struct inj, kp);

	if (mmlab_kprobe_stale_int3(kp, regs))
		return 1;
	if (!in_scope(in) || !fires(in))
		return 0;
	mmlab_count(injections_fired);
	if (in->spec.delay_us) {
		busy_wait(in->spec.delay_us);
		return 0;
	}
	regs->ax = in->retval;
	instruction_pointer_set(regs, (unsigned long)mmlab_inject_return);
	return 1;
}

/* Never runs when the pre-handler moved the ip; see the top of the file. */
static void inj_post(struct kprobe *kp, struct pt_regs *regs, unsigned long flags)
{
}

/* The return value of a failed call, or 0 when @err makes no sense there. */
static unsigned long retval_of(enum inj_ret ret, int err)
{
	switch (ret) {
	case INJ_PTR:
		return 0;	/* NULL: the handler allows only fail=ENOMEM */
	case INJ_ISOLATE:
		return MMLAB_ISOLATE_FAILED;
	case INJ_INT:
	case INJ_DELAY:	/* never failed: the handler allows only delay_us= */
		break;
	}
	return (unsigned long)(long)err;
}

static int register_inj(void *arg)
{
	struct inj *in = arg;

	memset(&in->kp, 0, sizeof(in->kp));
	in->kp.symbol_name = in->as;
	in->kp.pre_handler = inj_pre;
	in->kp.post_handler = inj_post;
	return register_kprobe(&in->kp);
}

/* The name or its .constprop.0 clone: other clones may drop the return value. */
static int attach(struct inj *in, const char *symbols)
{
	return mmlab_register_first(symbols, 2, in->as, sizeof(in->as), register_inj, in);
}

static void fill_info(const struct inj *in, struct mmlab_inj_info *info)
{
	info->id = in->id;
	info->at = points[in->spec.point].name;
	info->as = in->as;
	info->hits = atomic_long_read(&in->hits);
	info->fired = atomic_long_read(&in->fired);
}

/*
 * Attach @s for @owner.  -ENOENT: the kernel has none of the point's
 * symbols; -ENOSPC: MAX_INJECTIONS are attached; else register_kprobe()'s.
 */
int mmlab_inject_add(const struct mmlab_inj_spec *s, const void *owner,
		     struct mmlab_inj_info *info)
{
	const struct point *p = &points[s->point];
	struct inj *in;
	int ret;

	in = kzalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	in->spec = *s;
	in->owner = owner;
	in->retval = retval_of(p->ret, s->err);
	mutex_lock(&inj_lock);
	ret = nr_injections >= MAX_INJECTIONS ? -ENOSPC : attach(in, p->symbols);
	if (!ret) {
		in->id = ++next_id;
		list_add_tail(&in->node, &injections);
		nr_injections++;
		mmlab_count(injections_added);
		fill_info(in, info);
	}
	mutex_unlock(&inj_lock);
	if (ret)
		kfree(in);
	return ret;
}

/*
 * Detach @owner's injections at @point (-1: all of them; a NULL @owner:
 * everyone's), calling @done with each one's last counts.  Returns how
 * many went.  unregister_kprobe() waits for running handlers.
 */
int mmlab_inject_remove(const void *owner, int point,
			void (*done)(void *arg, const struct mmlab_inj_info *info), void *arg)
{
	struct mmlab_inj_info info;
	struct inj *in, *tmp;
	int n = 0;

	mutex_lock(&inj_lock);
	list_for_each_entry_safe(in, tmp, &injections, node) {
		if ((owner && in->owner != owner) || (point >= 0 && in->spec.point != point))
			continue;
		unregister_kprobe(&in->kp);
		list_del(&in->node);
		nr_injections--;
		mmlab_count(injections_removed);
		fill_info(in, &info);
		if (done)
			done(arg, &info);
		kfree(in);
		n++;
	}
	mutex_unlock(&inj_lock);
	return n;
}

/* "fail=E|delay_us=N scope=S [pid=P] after= count= every= percent=" of @s. */
int mmlab_inject_spec_str(const struct mmlab_inj_spec *s, char *buf, size_t size)
{
	const char * const *scope = mmlab_key_desc(MMLAB_KEY_scope)->words;
	int n;

	if (s->delay_us)
		n = scnprintf(buf, size, "delay_us=%u", s->delay_us);
	else
		n = scnprintf(buf, size, "fail=%s", mmlab_errname(s->err));
	n += scnprintf(buf + n, size - n, " scope=%s", scope[s->scope]);
	if (s->scope == MMLAB_SCOPE_PID)
		n += scnprintf(buf + n, size - n, " pid=%d", s->pid);
	n += scnprintf(buf + n, size - n, " after=%lu count=%lu every=%lu percent=%u",
		       s->after, s->count, s->every, s->percent);
	return n;
}

static int injections_show(struct seq_file *m, void *v)
{
	struct mmlab_inj_info info;
	char spec[160];
	struct inj *in;

	mutex_lock(&inj_lock);
	list_for_each_entry(in, &injections, node) {
		fill_info(in, &info);
		mmlab_inject_spec_str(&in->spec, spec, sizeof(spec));
		seq_printf(m, "id=%u at=%s as=%s %s hits=%lu fired=%lu\n", info.id, info.at,
			   info.as, spec, info.hits, info.fired);
	}
	mutex_unlock(&inj_lock);
	return 0;
}

static int injections_open(struct inode *inode, struct file *file)
{
	int ret = mmlab_open_allowed();

	return ret ? ret : single_open(file, injections_show, NULL);
}

const struct file_operations mmlab_injections_fops = {
	.owner = THIS_MODULE,
	.open = injections_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* Files hold the module, so nothing is left here at unload; if it were: */
void mmlab_inject_exit(void)
{
	WARN_ON_ONCE(mmlab_inject_remove(NULL, -1, NULL, NULL));
}
