// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab features file: the kernel and module this is, then every
 * capability (caps.c) with yes or no and the reason, the charge mover
 * watch, and every kernel symbol the calling layer knows.
 */
#include <linux/seq_file.h>
#include <linux/string_helpers.h>
#include <linux/utsname.h>
#include "iface.h"
#include "core.h"
#include "observe.h"
#include "kcall.h"
#include "compat.h"

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
	seq_printf(m, "reply max_bytes=%u\n", MMLAB_REPLY_MAX);
	seq_printf(m, "ibt kernel=%s cpu=%s enforced=%s\n", str_yes_no(k->ibt_kernel),
		   str_yes_no(k->ibt_cpu), str_yes_no(k->ibt_enforced));
	seq_printf(m, "kcall mode=%s path=%s direct_refused=%s no_direct=%s live=%s selftest=%s\n",
		   k->mode, k->path == KCALL_REDIRECT ? "redirect" : "direct",
		   str_yes_no(k->direct_refused), str_yes_no(k->no_direct),
		   str_yes_no(mmlab_kcall_live()), k->selftest ? "failed" : "ok");
}

static int features_show(struct seq_file *m, void *v)
{
	char buf[128];
	const char *why;
	unsigned int i;

	show_kernel(m);
	for (i = 0; i < mmlab_nr_caps(); i++) {
		why = mmlab_cap_why(i, buf, sizeof(buf));
		if (why)
			seq_printf(m, "%s no reason=\"%s\"\n", mmlab_cap_name(i), why);
		else
			seq_printf(m, "%s yes\n", mmlab_cap_name(i));
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
