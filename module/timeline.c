// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab folio timeline (`migrate trace=1`): each step the kernel takes
 * with the folios of one migrate command, in order, with the folio's
 * state at that step.  Kprobes, attached for the command and detached
 * after it, see:
 *
 *   unmap   try_to_migrate_one(folio, vma, address): a mapping replaced by
 *           a migration entry
 *   move    move_to_new_folio(dst, src): each attempt, with its return
 *           code and the destination (whose steps are followed from then)
 *   remap   remove_migration_pte(folio, vma, addr): a migration entry
 *           replaced by a mapping of the destination (moved) or of the
 *           source again (failed or retried)
 *
 * and the command adds its own: `isolated` before migrate_pages(),
 * `putback` for what it gave back.  Each step records the time since the
 * command started and the folio's reference count, the mapcount of its
 * first page, flags, memcg id and deferred-split membership: read
 * locklessly, in the kernel's own order, as the kernel left them at that
 * instant.  Only the traced task's calls count, so compaction's
 * migrations inside an allocation of the same task are steps too, of
 * folios the command does not know: they are not recorded.
 */
#include <linux/kprobes.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "observe.h"
#include "base.h"
#include "compat.h"

static struct mmlab_timeline *traced;	/* one traced command at a time */
static DEFINE_SPINLOCK(traced_lock);
static DEFINE_MUTEX(attach_lock);

static bool followed(struct mmlab_timeline *tl, struct folio *folio)
{
	int i;

	for (i = 0; i < tl->nr_folios; i++)
		if (tl->folios[i] == folio)
			return true;
	return false;
}

static void follow(struct mmlab_timeline *tl, struct folio *folio)
{
	if (followed(tl, folio))
		return;
	if (tl->nr_folios < MMLAB_TL_FOLIOS)
		tl->folios[tl->nr_folios++] = folio;
	else
		tl->lost++;
}

static struct mmlab_timeline *mine(void)
{
	struct mmlab_timeline *tl = READ_ONCE(traced);

	return tl && tl->task == current ? tl : NULL;
}

static unsigned int flags_of(struct folio *folio)
{
	return (folio_test_locked(folio) ? MMLAB_TL_LOCKED : 0) |
	       (folio_test_lru(folio) ? MMLAB_TL_LRU : 0) |
	       (folio_test_dirty(folio) ? MMLAB_TL_DIRTY : 0) |
	       (folio_test_mlocked(folio) ? MMLAB_TL_MLOCKED : 0) |
	       (folio_test_unevictable(folio) ? MMLAB_TL_UNEVICTABLE : 0) |
	       (folio_test_writeback(folio) ? MMLAB_TL_WRITEBACK : 0) |
	       (folio_test_swapcache(folio) ? MMLAB_TL_SWAPCACHE : 0) |
	       (mmlab_folio_deferred_split(folio) ? MMLAB_TL_DEFERRED : 0);
}

/* A step of @folio; the caller is the traced task (no other writer). */
static struct mmlab_tl_step *add(struct mmlab_timeline *tl, struct folio *folio,
				 enum mmlab_tl_what what)
{
	struct mmlab_tl_step *s;
	struct mem_cgroup *memcg;

	if (tl->nr >= MMLAB_TL_STEPS) {
		tl->lost++;
		return NULL;
	}
	s = &tl->steps[tl->nr++];
	memset(s, 0, sizeof(*s));
	s->ns = ktime_get_ns() - tl->t0;
	s->what = what;
	s->pfn = folio_pfn(folio);
	s->order = folio_order(folio);
	s->refs = folio_ref_count(folio);
	s->mapcount = mmlab_precise_page_mapcount(folio, &folio->page);
	s->flags = flags_of(folio);
	memcg = folio_memcg(folio);
	s->memcg = memcg ? mem_cgroup_id(memcg) : 0;
	return s;
}

/* try_to_migrate_one(folio, vma, address, arg) and remove_migration_pte(). */
static int rmap_one(struct pt_regs *regs, enum mmlab_tl_what what)
{
	struct folio *folio = (struct folio *)regs_get_kernel_argument(regs, 0);
	struct vm_area_struct *vma = (void *)regs_get_kernel_argument(regs, 1);
	struct mmlab_timeline *tl = mine();
	struct mmlab_tl_step *s;

	if (!tl || !followed(tl, folio))
		return 0;
	s = add(tl, folio, what);
	if (s) {
		s->vma = vma->vm_start;
		s->addr = regs_get_kernel_argument(regs, 2);
	}
	return 0;
}

static int unmap_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return mmlab_kprobe_stale_int3(kp, regs) ? 1 : rmap_one(regs, MMLAB_TL_UNMAP);
}

static int remap_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return mmlab_kprobe_stale_int3(kp, regs) ? 1 : rmap_one(regs, MMLAB_TL_REMAP);
}

/* move_to_new_folio(dst, src, mode): the step is written at the return. */
struct move_data { struct folio *dst, *src; };

static int move_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct move_data *d = (struct move_data *)ri->data;
	struct mmlab_timeline *tl = mine();

	d->dst = (struct folio *)regs_get_kernel_argument(regs, 0);
	d->src = (struct folio *)regs_get_kernel_argument(regs, 1);
	if (!tl || !followed(tl, d->src))
		return 1;	/* no return handler */
	follow(tl, d->dst);
	return 0;
}

static int move_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct move_data *d = (struct move_data *)ri->data;
	struct mmlab_timeline *tl = mine();
	struct mmlab_tl_step *s;

	if (!tl)
		return 0;
	s = add(tl, d->src, MMLAB_TL_MOVE);
	if (s) {
		s->rc = (int)regs_return_value(regs);
		s->dst_pfn = folio_pfn(d->dst);
	}
	return 0;
}

static struct kprobe unmap_kp = { .symbol_name = "try_to_migrate_one", .pre_handler = unmap_pre };
static struct kprobe remap_kp = { .symbol_name = "remove_migration_pte", .pre_handler = remap_pre };
static struct kprobe move_guard;	/* see kguard.c */
static struct kretprobe move_krp = {
	.kp.symbol_name = "move_to_new_folio",
	.entry_handler = move_entry,
	.handler = move_ret,
	.data_size = sizeof(struct move_data),
	.maxactive = 16,
};

static void detach(void)
{
	unregister_kretprobe(&move_krp);
	unregister_kprobe(&move_guard);
	unregister_kprobe(&remap_kp);
	unregister_kprobe(&unmap_kp);
}

/* A kprobe may be registered again once unregistered: start it clean. */
static int attach(void)
{
	int ret;

	unmap_kp = (struct kprobe){ .symbol_name = "try_to_migrate_one", .pre_handler = unmap_pre };
	remap_kp = (struct kprobe){ .symbol_name = "remove_migration_pte",
				    .pre_handler = remap_pre };
	memset(&move_krp.kp, 0, sizeof(move_krp.kp));
	move_krp.kp.symbol_name = "move_to_new_folio";
	ret = register_kprobe(&unmap_kp);
	if (ret)
		return ret;
	ret = register_kprobe(&remap_kp);
	if (ret)
		goto out_unmap;
	ret = mmlab_kguard_register(&move_guard, "move_to_new_folio");
	if (ret)
		goto out_remap;
	ret = register_kretprobe(&move_krp);
	if (!ret)
		return 0;
	unregister_kprobe(&move_guard);
out_remap:
	unregister_kprobe(&remap_kp);
out_unmap:
	unregister_kprobe(&unmap_kp);
	return ret;
}

/*
 * Trace current's migration from here to mmlab_timeline_end(): -EBUSY
 * when another command is traced, else 0 or why the kprobes failed.
 * Holds attach_lock until the end: traced commands run one at a time.
 */
int mmlab_timeline_begin(struct mmlab_timeline *tl)
{
	int ret;

	mutex_lock(&attach_lock);
	ret = attach();
	if (ret) {
		mutex_unlock(&attach_lock);
		return ret;
	}
	tl->task = current;
	tl->t0 = ktime_get_ns();
	spin_lock(&traced_lock);
	WRITE_ONCE(traced, tl);
	spin_unlock(&traced_lock);
	return 0;
}

void mmlab_timeline_end(struct mmlab_timeline *tl)
{
	spin_lock(&traced_lock);
	WRITE_ONCE(traced, NULL);
	spin_unlock(&traced_lock);
	detach();	/* waits for the handlers that are running */
	mutex_unlock(&attach_lock);
}

/* The command's own steps (isolated, putback), and what to follow. */
void mmlab_timeline_note(struct mmlab_timeline *tl, struct folio *folio, enum mmlab_tl_what what)
{
	follow(tl, folio);
	add(tl, folio, what);
}

static const char * const what_name[] = { "isolated", "unmap", "move", "remap", "putback" };
static const char * const flag_name[] = {
	"locked", "lru", "dirty", "mlocked", "unevictable", "writeback", "swapcache",
	"deferred_split"
};

/* "flags=a,b" of a step, into @buf. */
const char *mmlab_timeline_flags(const struct mmlab_tl_step *s, char *buf, size_t size)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(flag_name); i++)
		if (s->flags & BIT(i))
			n += scnprintf(buf + n, size - n, "%s%s", n ? "," : "", flag_name[i]);
	return n ? buf : "-";
}

const char *mmlab_timeline_what(const struct mmlab_tl_step *s)
{
	return what_name[s->what];
}
