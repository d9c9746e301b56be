/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab's own tracepoints: one per command outcome, with the fields of the
 * reply line, for bpftrace and perf (scripts/bpftrace/).  Strings are fixed
 * arrays: __assign_str() changed its arguments between 6.1 and 6.12, and
 * bpftrace 0.17 reads char arrays as strings.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mmlab

#if !defined(_MMLAB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MMLAB_TRACE_H

#include <linux/tracepoint.h>
#include "observe.h"

/* One page of a migrate command: migrated, failed or skipped. */
TRACE_EVENT(migrate,
	TP_PROTO(const struct mmlab_tp_migrate *m),
	TP_ARGS(m),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(unsigned long, addr)
		__field(unsigned long, old_pfn)
		__field(unsigned long, new_pfn)
		__field(int, old_nid)
		__field(int, new_nid)
		__field(unsigned int, old_order)
		__field(unsigned int, new_order)
		__field(int, err)
		__field(int, refs)
		__field(int, expected_refs)
		__field(int, attempts)
		__field(int, batch_pages)
		__field(u64, batch_ns)
		__array(char, result, 12)
		__array(char, reason, 24)
		__array(char, kind, 16)
		__array(char, checks, 48)
	),
	TP_fast_assign(
		__entry->pid = m->pid;
		__entry->addr = m->addr;
		__entry->old_pfn = m->old_pfn;
		__entry->new_pfn = m->new_pfn;
		__entry->old_nid = m->old_nid;
		__entry->new_nid = m->new_nid;
		__entry->old_order = m->old_order;
		__entry->new_order = m->new_order;
		__entry->err = m->err;
		__entry->refs = m->refs;
		__entry->expected_refs = m->expected_refs;
		__entry->attempts = m->attempts;
		__entry->batch_pages = m->batch_pages;
		__entry->batch_ns = m->batch_ns;
		strscpy(__entry->result, m->result ?: "", sizeof(__entry->result));
		strscpy(__entry->reason, m->reason ?: "", sizeof(__entry->reason));
		strscpy(__entry->kind, m->kind ?: "", sizeof(__entry->kind));
		strscpy(__entry->checks, m->checks ?: "", sizeof(__entry->checks));
	),
	TP_printk("pid=%d addr=0x%lx old_pfn=0x%lx new_pfn=0x%lx old_nid=%d new_nid=%d order=%u->%u kind=%s result=%s reason=%s err=%d refs=%d expected_refs=%d attempts=%d checks=%s batch_pages=%d batch_ns=%llu",
		  __entry->pid, __entry->addr, __entry->old_pfn, __entry->new_pfn,
		  __entry->old_nid, __entry->new_nid, __entry->old_order, __entry->new_order,
		  __entry->kind, __entry->result, __entry->reason, __entry->err, __entry->refs,
		  __entry->expected_refs, __entry->attempts, __entry->checks,
		  __entry->batch_pages, __entry->batch_ns)
);

/* One mapping an rmap walk found (a `map` reply line). */
TRACE_EVENT(rmap_map,
	TP_PROTO(unsigned long pfn, int pid, unsigned long vm_start, unsigned long vm_end,
		 unsigned long addr, const char *level, bool young, bool dirty, bool page,
		 int ptes),
	TP_ARGS(pfn, pid, vm_start, vm_end, addr, level, young, dirty, page, ptes),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(int, pid)
		__field(unsigned long, vm_start)
		__field(unsigned long, vm_end)
		__field(unsigned long, addr)
		__array(char, level, 8)
		__field(bool, young)
		__field(bool, dirty)
		__field(bool, page)
		__field(int, ptes)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->pid = pid;
		__entry->vm_start = vm_start;
		__entry->vm_end = vm_end;
		__entry->addr = addr;
		strscpy(__entry->level, level ?: "", sizeof(__entry->level));
		__entry->young = young;
		__entry->dirty = dirty;
		__entry->page = page;
		__entry->ptes = ptes;
	),
	TP_printk("pfn=0x%lx pid=%d vma=0x%lx-0x%lx addr=0x%lx level=%s young=%d dirty=%d page=%d ptes=%d",
		  __entry->pfn, __entry->pid, __entry->vm_start, __entry->vm_end, __entry->addr,
		  __entry->level, __entry->young, __entry->dirty, __entry->page, __entry->ptes)
);

/* The outcome of one rmap walk (the `summary op=rmap` line). */
TRACE_EVENT(rmap,
	TP_PROTO(unsigned long pfn, unsigned int order, int found, int mapcount,
		 int folio_mapcount, int vmas, const char *match),
	TP_ARGS(pfn, order, found, mapcount, folio_mapcount, vmas, match),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(int, found)
		__field(int, mapcount)
		__field(int, folio_mapcount)
		__field(int, vmas)
		__array(char, match, 12)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->order = order;
		__entry->found = found;
		__entry->mapcount = mapcount;
		__entry->folio_mapcount = folio_mapcount;
		__entry->vmas = vmas;
		strscpy(__entry->match, match ?: "", sizeof(__entry->match));
	),
	TP_printk("pfn=0x%lx order=%u found=%d mapcount=%d folio_mapcount=%d vmas=%d match=%s",
		  __entry->pfn, __entry->order, __entry->found, __entry->mapcount,
		  __entry->folio_mapcount, __entry->vmas, __entry->match)
);

/* One page of a move_charge command: moved or skipped. */
TRACE_EVENT(move_charge,
	TP_PROTO(const struct mmlab_tp_charge *c),
	TP_ARGS(c),
	TP_STRUCT__entry(
		__field(unsigned long, addr)
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(int, mapped)
		__field(int, mapcount)
		__field(unsigned short, from_id)
		__field(unsigned short, to_id)
		__array(char, pte, 8)
		__array(char, result, 8)
		__array(char, reason, 24)
	),
	TP_fast_assign(
		__entry->addr = c->addr;
		__entry->pfn = c->pfn;
		__entry->order = c->order;
		__entry->mapped = c->mapcount > 0;
		__entry->mapcount = c->mapcount;
		__entry->from_id = c->from_id;
		__entry->to_id = c->to_id;
		strscpy(__entry->pte, c->pte ?: "", sizeof(__entry->pte));
		strscpy(__entry->result, c->result ?: "", sizeof(__entry->result));
		strscpy(__entry->reason, c->reason ?: "", sizeof(__entry->reason));
	),
	TP_printk("addr=0x%lx pte=%s pfn=0x%lx order=%u from=%u to=%u result=%s reason=%s mapped=%d mapcount=%d",
		  __entry->addr, __entry->pte, __entry->pfn, __entry->order, __entry->from_id,
		  __entry->to_id, __entry->result, __entry->reason, __entry->mapped,
		  __entry->mapcount)
);

/* A check mmlab ran failed: what it expected and what the kernel left. */
TRACE_EVENT(check_failed,
	TP_PROTO(const char *op, const char *check, unsigned long addr, unsigned long pfn,
		 long expected, long actual),
	TP_ARGS(op, check, addr, pfn, expected, actual),
	TP_STRUCT__entry(
		__array(char, op, 12)
		__array(char, check, 16)
		__field(unsigned long, addr)
		__field(unsigned long, pfn)
		__field(long, expected)
		__field(long, actual)
	),
	TP_fast_assign(
		strscpy(__entry->op, op ?: "", sizeof(__entry->op));
		strscpy(__entry->check, check ?: "", sizeof(__entry->check));
		__entry->addr = addr;
		__entry->pfn = pfn;
		__entry->expected = expected;
		__entry->actual = actual;
	),
	TP_printk("op=%s check=%s addr=0x%lx pfn=0x%lx expected=%ld actual=%ld",
		  __entry->op, __entry->check, __entry->addr, __entry->pfn,
		  __entry->expected, __entry->actual)
);

/* One step of a traced folio (migrate trace=1: a `step` reply line). */
TRACE_EVENT(folio_step,
	TP_PROTO(int pid, const struct mmlab_tl_step *s, const char *what, const char *flags),
	TP_ARGS(pid, s, what, flags),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(u64, t_ns)
		__array(char, what, 12)
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(int, refs)
		__field(int, mapcount)
		__array(char, flags, 80)
		__field(unsigned short, memcg)
		__field(unsigned long, vma)
		__field(unsigned long, addr)
		__field(int, rc)
		__field(unsigned long, dst_pfn)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->t_ns = s->ns;
		strscpy(__entry->what, what, sizeof(__entry->what));
		__entry->pfn = s->pfn;
		__entry->order = s->order;
		__entry->refs = s->refs;
		__entry->mapcount = s->mapcount;
		strscpy(__entry->flags, flags, sizeof(__entry->flags));
		__entry->memcg = s->memcg;
		__entry->vma = s->vma;
		__entry->addr = s->addr;
		__entry->rc = s->rc;
		__entry->dst_pfn = s->dst_pfn;
	),
	TP_printk("pid=%d t_ns=%llu what=%s pfn=0x%lx order=%u refs=%d mapcount=%d flags=%s memcg=%u vma=0x%lx addr=0x%lx rc=%d dst_pfn=0x%lx",
		  __entry->pid, __entry->t_ns, __entry->what, __entry->pfn, __entry->order,
		  __entry->refs, __entry->mapcount, __entry->flags, __entry->memcg,
		  __entry->vma, __entry->addr, __entry->rc, __entry->dst_pfn)
);

#endif /* _MMLAB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mmlab_trace
#include <trace/define_trace.h>
