// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab releases that are never skipped.
 *
 * A stub whose redirect kprobe did not fire (kprobes disarmed through
 * /sys/kernel/debug/kprobes/enabled while a hold was open) runs its own
 * body; where IBT forbids a call through a pointer, that body cannot call
 * the kernel function.  For a function that acquires, a refusal is an
 * answer.  For one that releases it would be a leak: an isolated folio
 * with mmlab's reference, NR_ISOLATED_* raised and folio->lru on a list
 * that dies with its stack frame.  So the stubs of releases come here:
 *
 *  - LRU folios are put back with exported functions, as
 *    putback_movable_pages() does (folio_putback_lru() is folio_add_lru()
 *    and folio_put(), both exported; the NR_ISOLATED_* update is inline).
 *  - hugetlb folios (folio_putback_active_hugetlb() is neither exported
 *    nor inline) are kept on a list of mmlab's and retried every second
 *    until the redirect works again; at unload, what still cannot be put
 *    back is reported with a WARN and left isolated (held, never freed).
 *  - a page_counter uncharge cannot be kept: the counter's memcg may go.
 *    Commands that charge are refused while the redirect is disarmed
 *    (mmlab_kcall_live()), so only a disarm within the command reaches
 *    this: counted and WARNed once.
 */
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/swap.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>
#include "base.h"
#include "kcall.h"

static LIST_HEAD(deferred);		/* isolated hugetlb folios, with mmlab's reference */
static DEFINE_SPINLOCK(deferred_lock);
static bool exiting;

static void retry_putback(struct work_struct *work);
static DECLARE_DELAYED_WORK(retry_work, retry_putback);

static void putback_lru(struct folio *folio)
{
	list_del(&folio->lru);
	node_stat_mod_folio(folio, NR_ISOLATED_ANON + folio_is_file_lru(folio),
			    -folio_nr_pages(folio));
	folio_add_lru(folio);
	folio_put(folio);	/* the reference isolation took */
}

void mmlab_release_missed_putback(struct list_head *l)
{
	struct folio *folio, *next;
	LIST_HEAD(keep);

	list_for_each_entry_safe(folio, next, l, lru) {
		if (folio_test_hugetlb(folio)) {
			list_move_tail(&folio->lru, &keep);
			mmlab_count(release_deferred);
			continue;
		}
		putback_lru(folio);
		mmlab_count(release_fallback);
	}
	if (list_empty(&keep))
		return;
	spin_lock(&deferred_lock);
	list_splice_tail(&keep, &deferred);
	spin_unlock(&deferred_lock);
	if (!READ_ONCE(exiting))
		schedule_delayed_work(&retry_work, HZ);
}

/* The kernel's putback again; a miss brings the folios back to the list. */
static void retry_putback(struct work_struct *work)
{
	LIST_HEAD(l);

	spin_lock(&deferred_lock);
	list_splice_init(&deferred, &l);
	spin_unlock(&deferred_lock);
	if (!list_empty(&l))
		kcall(putback_movable_pages)(&l);
}

void mmlab_release_missed(enum kc_sym id)
{
	mmlab_count(release_lost);
	WARN_ONCE(1, "mmlab: %s missed its redirect and may not be called directly: release lost\n",
		  mmlab_ksym_name(id));
}

/* Before the calling layer goes: the last try, then what is left. */
void mmlab_release_exit(void)
{
	unsigned long n = 0;
	struct folio *folio;

	WRITE_ONCE(exiting, true);
	cancel_delayed_work_sync(&retry_work);
	retry_putback(NULL);
	spin_lock(&deferred_lock);
	list_for_each_entry(folio, &deferred, lru)
		n++;
	spin_unlock(&deferred_lock);
	WARN_ONCE(n, "mmlab: %lu hugetlb folios stay isolated: the redirect kprobes are disarmed\n",
		  n);
}
