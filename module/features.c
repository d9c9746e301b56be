// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab capabilities: which commands this kernel can run, and why not.
 *
 * A capability is available when the module implements it, the kernel has
 * what it needs (config, symbols) and the calling layer can reach the
 * non-exported functions it calls.  A missing piece disables that
 * capability with a reason; it never fails the module load.
 */
#include <linux/bits.h>
#include <linux/seq_file.h>
#include <linux/string_helpers.h>
#include <linux/utsname.h>
#include "mmlab.h"
#include "kcall.h"
#include "compat.h"

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
#define RMAPWALK (S(rmap_walk) | S(page_vma_mapped_walk))

static const struct cap caps[] = {
#define MMLAB_NEEDS(n, ...) \
	{ #n, MMLAB_VERB_##n, true, __VA_ARGS__ },
#include "../include/mmlab_lists.h"
	/* inspect, rmap, migrate and move_charge of device-private pages */
	{ "device_private", -1, true, 0, false, true },
	{ "probes", -1, true, 0 },
	{ "tracepoints", -1, true, 0 },
};

/* NULL when @c is available, else why not (in @buf when formatted). */
static const char *cap_why(const struct cap *c, char *buf, size_t len)
{
	unsigned long b;

	if (c->memcg_v1 && !MMLAB_HAVE_MEMCG_V1)
		return no_memcg_v1;
	if (c->dev_private && !IS_ENABLED(CONFIG_DEVICE_PRIVATE))
		return "kernel built without CONFIG_DEVICE_PRIVATE: no device-private pages";
	for_each_set_bit(b, &c->syms, KC_NR_SYMS) {
		if (!mmlab_ksym_found(b)) {
			snprintf(buf, len, "needs %s: not found in this kernel",
				 mmlab_ksym_name(b));
			return buf;
		}
	}
	if (!c->implemented)
		return "not implemented in this version";
	for_each_set_bit(b, &c->syms, KC_NR_SYMS) {
		if (!mmlab_ksym_callable(b)) {
			snprintf(buf, len, "cannot call %s: %s", mmlab_ksym_name(b),
				 mmlab_ksym_why(b));
			return buf;
		}
	}
	if (c->syms && mmlab_kcall.selftest && c->verb != MMLAB_VERB_selftest)
		return "calling-layer self-test failed";
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

/*
 * The config the module was built against (the kernel's own, when the
 * build dir is the kernel's): its digest, and the debug options an mm
 * developer's tree turns on, so that a report says which kernel it is from.
 */
static void show_config(struct seq_file *m)
{
	seq_printf(m, "config digest=%s debug_vm=%s lockdep=%s kasan=%s page_owner=%s",
		   MMLAB_KCONFIG_DIGEST, str_yes_no(IS_ENABLED(CONFIG_DEBUG_VM)),
		   str_yes_no(IS_ENABLED(CONFIG_PROVE_LOCKING)),
		   str_yes_no(IS_ENABLED(CONFIG_KASAN)), str_yes_no(IS_ENABLED(CONFIG_PAGE_OWNER)));
	seq_printf(m, " device_private=%s memcg_v1=%s\n",
		   str_yes_no(IS_ENABLED(CONFIG_DEVICE_PRIVATE)), str_yes_no(MMLAB_HAVE_MEMCG_V1));
}

static void show_kernel(struct seq_file *m)
{
	const struct mmlab_kcall_info *k = &mmlab_kcall;

	seq_printf(m, "kernel release=%s version=\"%s\"\n",
		   init_utsname()->release, init_utsname()->version);
	show_config(m);
	seq_printf(m, "module name=mmlab version=%s\n", MMLAB_VERSION);
	seq_printf(m, "ibt kernel=%s cpu=%s enforced=%s\n", str_yes_no(k->ibt_kernel),
		   str_yes_no(k->ibt_cpu), str_yes_no(k->ibt_enforced));
	seq_printf(m, "kcall mode=%s path=%s direct_refused=%s selftest=%s\n", k->mode,
		   k->path == KCALL_REDIRECT ? "redirect" : "direct",
		   str_yes_no(k->direct_refused), k->selftest ? "failed" : "ok");
}

static int features_show(struct seq_file *m, void *v)
{
	char buf[128];
	const char *why;
	unsigned int i;

	show_kernel(m);
	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		why = cap_why(&caps[i], buf, sizeof(buf));
		if (why)
			seq_printf(m, "%s no reason=\"%s\"\n", caps[i].name, why);
		else
			seq_printf(m, "%s yes\n", caps[i].name);
	}
	why = mmlab_mcwatch_why();
	if (why)
		seq_printf(m, "memcg_mover_watch no reason=\"%s\"\n", why);
	else
		seq_puts(m, "memcg_mover_watch yes\n");
	for (i = 0; i < KC_NR_SYMS; i++) {
		if (!mmlab_ksym_found(i)) {
			seq_printf(m, "sym:%s no reason=\"%s\"\n", mmlab_ksym_name(i),
				   mmlab_ksym_why(i));
			continue;
		}
		why = mmlab_ksym_why(i);
		seq_printf(m, "sym:%s yes via=%s callable=%s%s%s%s\n", mmlab_ksym_name(i),
			   mmlab_ksym_via(i), str_yes_no(mmlab_ksym_callable(i)),
			   why ? " reason=\"" : "",
			   why ?: "", why ? "\"" : "");
	}
	return 0;
}

static int features_open(struct inode *inode, struct file *file)
{
	int ret = mmlab_open_allowed();

	return ret ? ret : single_open(file, features_show, NULL);
}

const struct file_operations mmlab_features_fops = {
	.owner = THIS_MODULE,
	.open = features_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
