// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab kprobe guard: an ftrace-based kprobe entered through an int3.
 *
 * A kprobe on a function's __fentry__ site runs from ftrace, never from an
 * int3, and the kprobe core keeps no instruction copy to single-step for
 * it (ainsn.insn is NULL).  Under QEMU TCG an int3 that ftrace's code
 * patching (text_poke_bp) puts on such a site was seen to execute after the
 * patching had finished: poke_int3_handler() no longer claimed it,
 * kprobe_int3_handler() found the kprobe, ran its pre-handler and
 * single-stepped to address 0 (an oops at RIP 0 with interrupts off, three
 * times on Debian 6.1, in 15_probes).  mmlab's handlers recognize that
 * entry, an exception frame (orig_ax -1; ftrace's frame has 0), and return
 * 1 with the ip past the 5-byte call, which is what the site does.  A
 * kretprobe's own pre-handler always asks for the single-step, so each of
 * mmlab's kretprobes gets a guard kprobe at the same address, registered
 * first: the kprobe core runs the newest probe of an address first, so the
 * kretprobe hooks the return and the guard then stops the single-step.
 */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include "observe.h"
#include "base.h"

bool mmlab_kprobe_stale_int3(struct kprobe *kp, struct pt_regs *regs)
{
	if (!kprobe_ftrace(kp) || regs->orig_ax != ~0UL)
		return false;
	instruction_pointer_set(regs, (unsigned long)kp->addr + MCOUNT_INSN_SIZE);
	mmlab_count(kprobe_stale_int3);
	pr_info_ratelimited("mmlab: int3 on the ftrace kprobe at %pS: skipped the single-step\n",
			    kp->addr);
	return true;
}

static int guard_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return mmlab_kprobe_stale_int3(kp, regs);
}

/* A guard for the kretprobe about to be registered on @symbol. */
int mmlab_kguard_register(struct kprobe *guard, const char *symbol)
{
	memset(guard, 0, sizeof(*guard));
	guard->symbol_name = symbol;
	guard->pre_handler = guard_pre;
	return register_kprobe(guard);
}
