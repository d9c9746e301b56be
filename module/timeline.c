// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab folio timeline (`migrate trace=1`): each step the kernel takes
 * with the folios of one migrate command, in order, with the folio's
 * state as that step left it.  Kprobes, attached for the command and
 * detached after it, see:
 *
 *   unmap   try_to_migrate_one(folio, vma, address): a mapping replaced by
 *           a migration entry (state at its return)
 *   move    move_to_new_folio(dst, src): each attempt, with its return
 *           code and the destination (whose steps are followed from then)
 *   remap   remove_migration_pte(folio, vma, addr): a migration entry
 *           replaced by a mapping of the destination (moved: its first
 *           mapping) or of the source again (failed or retried); state at
 *           its return, so what the new mapping brought (an mlock) shows
 *   freed   __folio_put(): the folio's last reference went (a migrated
 *           source; a destination given back)
 *
 * and the command adds its own: `isolated` before migrate_pages(),
 * `putback` for what it gave back.  Each step records the time since the
 * command started and the folio's reference count, the mapcount of its
 * first page, flags, memcg id and deferred-split membership: read
 * locklessly, as the kernel left them at that instant.  Only the traced
 * task's calls count (never an interrupt's), so compaction's migrations
 * inside an allocation of the same task are steps too, of folios the
 * command does not know: they are not recorded; nor is a free that
 * happens elsewhere (the last reference dropped by another task).
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
	if (tl->nr_folios < MMLAB_TL_FOLIOS) {
		tl->folios[tl->nr_folios++] = folio;
		tl->nr_seen++;
	} else {
		tl->lost++;
	}
}

/* A freed folio is no longer this command's: its memory may come back as anything. */
static void unfollow(struct mmlab_timeline *tl, struct folio *folio)
{
	int i;

	for (i = 0; i < tl->nr_folios; i++)
		if (tl->folios[i] == folio) {
			tl->folios[i] = tl->folios[--tl->nr_folios];
			return;
		}
}

/* The traced task's own calls: never an interrupt's, which could nest in add(). */
static struct mmlab_timeline *mine(void)
{
	struct mmlab_timeline *tl;

	if (!in_task())
		return NULL;
	tl = READ_ONCE(traced);

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

/* An rmap step: the walk's callback (folio, vma, address, arg). */
struct rmap_data { struct folio *folio; unsigned long vma, addr; };

static int rmap_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct rmap_data *d = (struct rmap_data *)ri->data;
	struct mmlab_timeline *tl = mine();
	struct vm_area_struct *vma;

	d->folio = (struct folio *)regs_get_kernel_argument(regs, 0);
	if (!tl || !followed(tl, d->folio))
		return 1;	/* no return handler */
	vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 1);
	d->vma = vma->vm_start;
	d->addr = regs_get_kernel_argument(regs, 2);
	return 0;
}

/* The state as the step left it: the mapping gone (unmap) or made (remap). */
static void rmap_ret(struct kretprobe_instance *ri, enum mmlab_tl_what what)
{
	struct rmap_data *d = (struct rmap_data *)ri->data;
	struct mmlab_timeline *tl = mine();
	struct mmlab_tl_step *s;

	if (!tl)
		return;
	s = add(tl, d->folio, what);
	if (s) {
		s->vma = d->vma;
		s->addr = d->addr;
	}
}

static int unmap_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	rmap_ret(ri, MMLAB_TL_UNMAP);
	return 0;
}

static int remap_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	rmap_ret(ri, MMLAB_TL_REMAP);
	return 0;
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

/*
 * __folio_put(folio): the last reference went, the folio is about to be
 * freed (a migrated source, or a destination the kernel gave up).
 */
static int freed_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct folio *folio = (struct folio *)regs_get_kernel_argument(regs, 0);
	struct mmlab_timeline *tl;

	if (mmlab_kprobe_stale_int3(kp, regs))
		return 1;
	tl = mine();
	if (tl && followed(tl, folio)) {
		add(tl, folio, MMLAB_TL_FREED);
		unfollow(tl, folio);
	}
	return 0;
}

static struct kprobe freed_kp;

/* The kretprobes, each with its guard (kguard.c), in attach order. */
static struct tl_krp {
	const char *symbol;
	kretprobe_handler_t entry, ret;
	size_t data_size;
	struct kretprobe krp;
	struct kprobe guard;
} krps[] = {
	{ "try_to_migrate_one", rmap_entry, unmap_ret, sizeof(struct rmap_data) },
	{ "remove_migration_pte", rmap_entry, remap_ret, sizeof(struct rmap_data) },
	{ "move_to_new_folio", move_entry, move_ret, sizeof(struct move_data) },
};

static void detach_krps(int n)
{
	while (n--) {
		unregister_kretprobe(&krps[n].krp);
		unregister_kprobe(&krps[n].guard);
	}
}

static void detach(void)
{
	unregister_kprobe(&freed_kp);
	detach_krps(ARRAY_SIZE(krps));
}

/* A kprobe may be registered again once unregistered: start each clean. */
static int attach_krp(struct tl_krp *k)
{
	int ret = mmlab_kguard_register(&k->guard, k->symbol);

	if (ret)
		return ret;
	k->krp = (struct kretprobe){
		.kp.symbol_name = k->symbol,
		.entry_handler = k->entry,
		.handler = k->ret,
		.data_size = k->data_size,
		.maxactive = 16,
	};
	ret = register_kretprobe(&k->krp);
	if (ret)
		unregister_kprobe(&k->guard);
	return ret;
}

static int attach(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(krps); i++) {
		ret = attach_krp(&krps[i]);
		if (ret)
			goto out;
	}
	freed_kp = (struct kprobe){ .symbol_name = "__folio_put", .pre_handler = freed_pre };
	ret = register_kprobe(&freed_kp);
	if (!ret)
		return 0;
out:
	detach_krps(i);
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

static const char * const what_name[] = {
	"isolated", "unmap", "move", "remap", "putback", "freed"
};

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
