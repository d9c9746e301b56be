// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab watch on the kernel's own cgroup-v1 charge mover: a kprobe on
 * mem_cgroup_move_account() counts every call, and whether the folio it is
 * handed is mapped at that moment.  The lock_page_memcg() NAK thread is
 * about exactly the calls where it is not: get_mctgt_type() also hands over
 * swapcache pages found behind swap ptes and page-cache pages found behind
 * empty ptes of file vmas, which nobody may map while their NR_*_MAPPED
 * accounting moves.
 *
 * 6.1 only: kernels built without CONFIG_MEMCG_V1 have no mover.  The
 * function is static (6.1: mm/memcontrol.c) but never cloned, so its first
 * argument, the page, is in the first argument register at entry.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include "observe.h"
#include "base.h"
#include "compat.h"

static bool watching;
static char why[96] = "not attached";

/*
 * At the entry of mem_cgroup_move_account(): is the page it was handed
 * mapped nowhere?  The mover holds a reference: the page cannot go away.
 */
bool mmlab_mc_page_unmapped(struct pt_regs *regs)
{
	struct page *page = (struct page *)regs_get_kernel_argument(regs, 0);

	return !folio_mapped(page_folio(page));
}

static int mc_pre(struct kprobe *kp, struct pt_regs *regs)
{
	mmlab_count(memcg_move_account_calls);
	if (mmlab_mc_page_unmapped(regs))
		mmlab_count(memcg_move_account_unmapped);
	return mmlab_kprobe_stale_int3(kp, regs);
}

static struct kprobe mc_kp = {
	.symbol_name = "mem_cgroup_move_account",
	.pre_handler = mc_pre,
};

void mmlab_mcwatch_init(void)
{
	int ret;

	if (!MMLAB_HAVE_MEMCG_V1) {
		snprintf(why, sizeof(why), "kernel built without CONFIG_MEMCG_V1: no charge mover");
		return;
	}
	ret = register_kprobe(&mc_kp);
	if (ret) {
		snprintf(why, sizeof(why), "cannot probe mem_cgroup_move_account: %s",
			 mmlab_errname(ret));
		return;
	}
	watching = true;
}

void mmlab_mcwatch_exit(void)
{
	if (watching)
		unregister_kprobe(&mc_kp);
	watching = false;
}

/* NULL when the watch is attached, else why not. */
const char *mmlab_mcwatch_why(void)
{
	return watching ? NULL : why;
}
