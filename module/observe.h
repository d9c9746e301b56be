/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab observers, beside the core: what the kernel did, seen from kprobes
 * and tracepoints.  They change nothing and call no command.
 *
 *   observe.c      migration attempts (move_to_new_folio() returns)
 *   mcwatch.c      the kernel's own charge mover, watched
 *   kguard.c       an ftrace kprobe entered through a stale int3
 *   probes.c       the probes file: kprobes attached on request, counted
 *   inject.c       fault and delay injection at listed kernel functions
 *   timeline.c     the steps of one migrate command's folios (trace=1)
 *   mmlab_trace.h  mmlab's tracepoints (trace.c), and what they carry
 */
#ifndef MMLAB_OBSERVE_H
#define MMLAB_OBSERVE_H

#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/types.h>

struct folio;
struct kprobe;
struct pt_regs;
struct task_struct;

/* ---- migration attempts seen by the kernel (observe.c) ------------------- */
struct mmlab_ftab;

/* One source folio of a migrate batch, and what move_to_new_folio() did with it. */
struct mmlab_mig_obs {
	unsigned long pfn;	/* first pfn and pages at isolation: split pieces map back */
	unsigned int nr;
	int attempts;		/* move_to_new_folio() calls for it */
	int err;		/* the last one's error, 0 if none */
};

int mmlab_observe_init(void);
void mmlab_observe_exit(void);
void mmlab_observe_begin(const struct mmlab_ftab *tab, struct mmlab_mig_obs *obs, int nr);
bool mmlab_observe_end(void);	/* false: nothing was observed */

/* ---- the kernel's charge mover, watched (mcwatch.c) ---------------------- */
void mmlab_mcwatch_init(void);
void mmlab_mcwatch_exit(void);
const char *mmlab_mcwatch_why(void);
bool mmlab_mc_page_unmapped(struct pt_regs *regs);	/* kprobe entry test */

/* ---- an ftrace kprobe entered through an int3 (kguard.c) ----------------- */
bool mmlab_kprobe_stale_int3(struct kprobe *kp, struct pt_regs *regs);
int mmlab_kguard_register(struct kprobe *guard, const char *symbol);

/* ---- probes file (probes.c) -------------------------------------------- */
extern const struct file_operations mmlab_probes_fops;
void mmlab_probes_exit(void);
void mmlab_scope_enter(void);	/* current runs an mmlab command */
void mmlab_scope_exit(void);
bool mmlab_in_scope(void);	/* current runs one */
int mmlab_register_first(const char *names, unsigned int clones, char *as, size_t size,
			 int (*reg)(void *arg), void *arg);

/* ---- fault and delay injection (inject.c) ------------------------------- */
struct mmlab_inj_spec {
	int point;		/* index in the MMLAB_INJECT list */
	int err;		/* -errno to return, or 0 with delay_us */
	unsigned int delay_us;
	unsigned long after, count, every;	/* count 0: no limit */
	unsigned int percent;
	int scope;		/* MMLAB_SCOPE_* */
	pid_t pid;		/* MMLAB_SCOPE_PID */
};

struct mmlab_inj_info {
	unsigned int id;
	const char *at, *as;	/* the point, the symbol its kprobe is on */
	unsigned long hits, fired;	/* matching calls, calls acted on */
};

extern const struct file_operations mmlab_injections_fops;
void mmlab_inject_return(void);	/* asm: the bare return of a failed call */
int mmlab_inject_point(const char *name);	/* -1: not an injection point */
const char *mmlab_inject_why(int point);
bool mmlab_inject_returns_ptr(int point);
bool mmlab_inject_returns_isolate(int point);
bool mmlab_inject_delay_only(int point);
int mmlab_inject_spec_str(const struct mmlab_inj_spec *s, char *buf, size_t size);
int mmlab_inject_add(const struct mmlab_inj_spec *s, const void *owner,
		     struct mmlab_inj_info *info);
int mmlab_inject_remove(const void *owner, int point,
			void (*done)(void *arg, const struct mmlab_inj_info *info), void *arg);
void mmlab_inject_exit(void);

/* ---- the life of a migrate command's folios (timeline.c) ----------------- */
#define MMLAB_TL_STEPS	512	/* steps kept; more are counted as lost */
#define MMLAB_TL_FOLIOS	64	/* folios followed: the command's, their destinations */

enum mmlab_tl_what { MMLAB_TL_ISOLATED, MMLAB_TL_UNMAP, MMLAB_TL_MOVE, MMLAB_TL_REMAP,
		     MMLAB_TL_PUTBACK, MMLAB_TL_FREED };
/* flags of a step, in timeline.c's flag_name[] order */
#define MMLAB_TL_LOCKED		BIT(0)
#define MMLAB_TL_LRU		BIT(1)
#define MMLAB_TL_DIRTY		BIT(2)
#define MMLAB_TL_MLOCKED	BIT(3)
#define MMLAB_TL_UNEVICTABLE	BIT(4)
#define MMLAB_TL_WRITEBACK	BIT(5)
#define MMLAB_TL_SWAPCACHE	BIT(6)
#define MMLAB_TL_DEFERRED	BIT(7)

struct mmlab_tl_step {
	u64 ns;			/* since the command started */
	enum mmlab_tl_what what;
	unsigned long pfn, dst_pfn;	/* dst_pfn: move */
	unsigned long vma, addr;	/* unmap, remap: the vma's start, the address */
	unsigned int order, flags;
	int refs, mapcount, rc;	/* mapcount: of the first page; rc: move */
	unsigned short memcg;	/* mem_cgroup_id(), 0: none */
};

struct mmlab_timeline {
	struct task_struct *task;
	u64 t0;
	struct folio *folios[MMLAB_TL_FOLIOS];
	int nr_folios, nr;	/* folios followed now (a freed one is dropped), steps */
	int nr_seen;		/* every folio followed: the reply's folios= */
	unsigned int lost;
	struct mmlab_tl_step steps[MMLAB_TL_STEPS];
};

int mmlab_timeline_begin(struct mmlab_timeline *tl);
void mmlab_timeline_end(struct mmlab_timeline *tl);
void mmlab_timeline_note(struct mmlab_timeline *tl, struct folio *folio,
			 enum mmlab_tl_what what);
const char *mmlab_timeline_flags(const struct mmlab_tl_step *s, char *buf, size_t size);
const char *mmlab_timeline_what(const struct mmlab_tl_step *s);

/* ---- what the mmlab:* tracepoints carry (mmlab_trace.h) ------------------ */
struct mmlab_tp_migrate {
	int pid;
	unsigned long addr, old_pfn, new_pfn;
	int old_nid, new_nid;
	unsigned int old_order, new_order;
	int err, refs, expected_refs, attempts, batch_pages;
	u64 batch_ns;		/* the migrate_pages() call of the page's batch */
	const char *result, *reason, *kind, *checks;
};

struct mmlab_tp_charge {
	unsigned long addr, pfn;
	unsigned int order;
	int mapcount;		/* -1: not moved */
	unsigned short from_id, to_id;
	const char *pte, *result, *reason;
};

#endif /* MMLAB_OBSERVE_H */
