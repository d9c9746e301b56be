// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab capabilities: which commands this kernel can run, and why not; and
 * mmlab_run(), which runs a command's handler only when its verb can.
 *
 * A capability is available when the module implements it, the kernel has
 * what it needs (config, symbols) and the calling layer can reach the
 * non-exported functions it calls.  A missing piece disables that
 * capability with a reason; it never fails the module load.  The handlers
 * come from above (the control file's table, stress's): the core names no
 * command.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include "core.h"
#include "observe.h"
#include "kcall.h"
#include "compat.h"

/* Refused so that nothing is acquired that could not be released (release.c). */
static const char disarmed[] =
	"redirect kprobes are disarmed (debugfs kprobes/enabled=0), no direct call allowed";

static const char no_memcg_v1[] =
	"kernel built without CONFIG_MEMCG_V1: no cgroup-v1 memory controller, no charge mover";

struct cap {
	const char *name;
	int verb;		/* the verb it gates, or -1 */
	bool implemented;
	unsigned long syms;	/* BIT(KC_*) it needs */
	bool memcg_v1;		/* needs the cgroup-v1 memory controller */
	bool dev_private;	/* needs CONFIG_DEVICE_PRIVATE */
};

/*
 * What a verb needs, as the `needs` of its entry in mmlab_lists.h: the
 * kernel functions it calls (S()), grouped as its code calls them.
 */
#define S(id) BIT(KC_##id)
#ifdef MMLAB_HAVE_INLINE_FOLIO_MAPCOUNT
#define WALK S(walk_page_range)
#else
#define WALK (S(walk_page_range) | S(folio_mapcount))
#endif
#define LRU_ISOLATE (S(folio_isolate_lru) | S(putback_movable_pages) | S(lru_add_drain_all))
#define ISOLATE (LRU_ISOLATE | S(isolate_hugetlb))
#define RMAPWALK MMLAB_SYMS_RMAPWALK

static const struct cap caps[] = {
#define MMLAB_NEEDS(n, ...) \
	{ #n, MMLAB_VERB_##n, true, __VA_ARGS__ },
#include "../include/mmlab_lists.h"
	/* inspect, rmap, migrate and move_charge of device-private pages */
	{ "device_private", -1, true, 0, false, true },
	/* migrate swapcache=1, move_charge of swap entries: a variable */
	{ "swapcache", -1, true, MMLAB_SYMS_SWAPCACHE },
	/* rmap's check that no fork ran during a walk: a variable */
	{ "rmap_fork_check", -1, true, MMLAB_SYMS_FORK_CHECK },
	{ "probes", -1, true, 0 },
	{ "tracepoints", -1, true, 0 },
};

static const char *syms_missing(unsigned long syms, char *buf, size_t len)
{
	unsigned long b;

	for_each_set_bit(b, &syms, KC_NR_SYMS) {
		if (!mmlab_ksym_found(b)) {
			snprintf(buf, len, "needs %s: %s", mmlab_ksym_name(b),
				 mmlab_ksym_why(b));
			return buf;
		}
	}
	return NULL;
}

static const char *syms_uncallable(unsigned long syms, char *buf, size_t len)
{
	unsigned long b;

	for_each_set_bit(b, &syms, KC_NR_SYMS) {
		if (!mmlab_ksym_data(b) && !mmlab_ksym_callable(b)) {
			snprintf(buf, len, "cannot call %s: %s", mmlab_ksym_name(b),
				 mmlab_ksym_why(b));
			return buf;
		}
	}
	return NULL;
}

/*
 * NULL when every symbol of @syms is there and callable, else why not (in
 * @buf): for a part of a command that needs more than its verb does
 * (migrate's swapcache=1 and verify=1).
 */
const char *mmlab_syms_why(unsigned long syms, char *buf, size_t len)
{
	return syms_missing(syms, buf, len) ?: syms_uncallable(syms, buf, len);
}

bool mmlab_syms_ok(unsigned long syms)
{
	char buf[96];

	return !mmlab_syms_why(syms, buf, sizeof(buf));
}

/* NULL when @c is available, else why not (in @buf when formatted). */
static const char *cap_why(const struct cap *c, char *buf, size_t len)
{
	const char *why;

	if (c->memcg_v1 && !MMLAB_HAVE_MEMCG_V1)
		return no_memcg_v1;
	if (c->dev_private && !IS_ENABLED(CONFIG_DEVICE_PRIVATE))
		return "kernel built without CONFIG_DEVICE_PRIVATE: no device-private pages";
	why = syms_missing(c->syms, buf, len);
	if (why)
		return why;
	if (!c->implemented)
		return "not implemented in this version";
	why = syms_uncallable(c->syms, buf, len);
	if (why)
		return why;
	if (c->syms && mmlab_kcall.selftest && c->verb != MMLAB_VERB_selftest)
		return "calling-layer self-test failed";
	if (c->syms && !mmlab_kcall_live())
		return disarmed;
	return NULL;
}

const char *mmlab_verb_unavailable(enum mmlab_verb verb, char *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(caps); i++)
		if (caps[i].verb == verb)
			return cap_why(&caps[i], buf, len);
	return NULL;
}

unsigned int mmlab_nr_caps(void)
{
	return ARRAY_SIZE(caps);
}

const char *mmlab_cap_name(unsigned int i)
{
	return caps[i].name;
}

/* NULL when capability @i is available, else why not (in @buf when formatted). */
const char *mmlab_cap_why(unsigned int i, char *buf, size_t len)
{
	return cap_why(&caps[i], buf, len);
}

/*
 * Run @handler on ctx->cmd if this kernel can: from a write, and from
 * stress threads (which start each command with an empty reply).
 */
int mmlab_run(struct mmlab_ctx *ctx, mmlab_handler handler)
{
	enum mmlab_verb verb = ctx->cmd->verb;
	const char *why;
	int ret;

	mmlab_reply_clear(&ctx->fd->reply);
	why = mmlab_verb_unavailable(verb, ctx->reason, sizeof(ctx->reason));
	if (why == disarmed)
		mmlab_count(kcall_refused_disarmed);
	if (why && why != ctx->reason)
		return mmlab_fail(ctx, -EOPNOTSUPP, "%s", why);
	if (why)
		return -EOPNOTSUPP;
	if (!handler)
		return mmlab_fail(ctx, -EOPNOTSUPP, "not implemented in this version");
	/* Probe hits from here on count as this command's. */
	mmlab_scope_enter();
	ret = handler(ctx);
	mmlab_scope_exit();
	return ret;
}
