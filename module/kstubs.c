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

#if __has_attribute(__noipa__)
#define __kstub noinline __attribute__((__noipa__))
#else
#define __kstub noinline __attribute__((__noclone__, __no_icf__))
#endif

/*
 * The body runs only on the direct path, or if the redirect kprobe missed
 * (then mmlab_kcall_body() counts it and refuses when IBT is enforced).
 */
#define KSTUB_DEFINE(ret, id, fallback, proto, args)			\
__kstub ret mmlab_kc_##id proto						\
{									\
	ret (*fn) proto = mmlab_kcall_body(KC_##id);			\
									\
	if (!fn)							\
		return fallback;					\
	return fn args;							\
}

KCALL_STUBS(KSTUB_DEFINE)
