// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab: put chosen live pages through real mm operations (migration, memcg
 * charge moves, rmap walks) and report what the kernel did.
 *
 * This file only loads and unloads: the calling layer, then the debugfs
 * files under /sys/kernel/debug/mmlab/.  Open files hold a module reference
 * (fops owner), so unload cannot race with a command.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include "iface.h"
#include "observe.h"
#include "base.h"
#include "kcall.h"

static struct dentry *mmlab_dir;

static int __init mmlab_init(void)
{
	int ret = mmlab_kcall_init();

	if (ret)
		return ret;
	mmlab_observe_init();
	mmlab_mcwatch_init();
	mmlab_dir = debugfs_create_dir("mmlab", NULL);
	if (IS_ERR(mmlab_dir)) {
		mmlab_mcwatch_exit();
		mmlab_observe_exit();
		mmlab_kcall_exit();
		return -ENODEV;
	}
	/* Root only: debugfs makes directories 0755; nobody else may look. */
	d_inode(mmlab_dir)->i_mode = S_IFDIR | 0700;
	debugfs_create_file("control", 0600, mmlab_dir, NULL, &mmlab_control_fops);
	debugfs_create_file("stats", 0600, mmlab_dir, NULL, &mmlab_stats_fops);
	debugfs_create_file("features", 0400, mmlab_dir, NULL, &mmlab_features_fops);
	debugfs_create_file("probes", 0600, mmlab_dir, NULL, &mmlab_probes_fops);
	debugfs_create_file("injections", 0400, mmlab_dir, NULL, &mmlab_injections_fops);
	pr_info("mmlab: loaded, calling path %s, self-test %s\n",
		mmlab_kcall.path == KCALL_REDIRECT ? "redirect" : "direct",
		mmlab_kcall.selftest ? "failed" : "ok");
	return 0;
}

static void __exit mmlab_exit(void)
{
	debugfs_remove_recursive(mmlab_dir);
	mmlab_inject_exit();
	mmlab_probes_exit();
	mmlab_mcwatch_exit();
	mmlab_observe_exit();
	mmlab_release_exit();
	mmlab_kcall_exit();
}

module_init(mmlab_init);
module_exit(mmlab_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mm experiments on live pages: migration, memcg charge moves, rmap walks");
MODULE_VERSION(MMLAB_VERSION);
