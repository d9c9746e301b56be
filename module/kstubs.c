// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab stubs: one per non-exported kernel function mmlab calls, with its
 * exact prototype.  See kcall.h.
 *
 * Kept alone in this file and marked noipa so that no caller is compiled
 * with knowledge of a stub's body (inter-procedural register allocation
 * would otherwise assume the trivial body preserves registers the real
 * kernel function clobbers).  Must not be notrace: the redirect kprobe sits
 * on each stub's __fentry__ call.
 */
#include <linux/compiler.h>
#include "kcall.h"

#define __kstub noinline

/*
 * A stub's body runs only on the direct path, or if the redirect kprobe
 * missed (then mmlab_kcall_body() counts it and refuses when IBT is
 * enforced, and the stub returns @fallback).
 */
#define KSTUB_CALL(id, fallback, args...) ({				\
	typeof(mmlab_kc_##id) *fn = mmlab_kcall_body(KC_##id);		\
	fn ? fn(args) : (fallback);					\
})

__kstub __attribute__((__noipa__))
unsigned long mmlab_kc_kallsyms_lookup_name(const char *name)
{
	return KSTUB_CALL(kallsyms_lookup_name, 0, name);
}

__kstub __attribute__((__noipa__))
unsigned long mmlab_kc_node_page_state(struct pglist_data *pgdat, enum node_stat_item item)
{
	return KSTUB_CALL(node_page_state, 0, pgdat, item);
}
