// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab probes file.  The built-in probe sets are not in this version yet:
 * reading says so, writing is refused with EOPNOTSUPP.
 */
#include <linux/seq_file.h>
#include "mmlab.h"

static int probes_show(struct seq_file *m, void *v)
{
	seq_puts(m, "none yet\n");
	return 0;
}

static int probes_open(struct inode *inode, struct file *file)
{
	int ret = mmlab_open_allowed();

	return ret ? ret : single_open(file, probes_show, NULL);
}

static ssize_t probes_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return -EOPNOTSUPP;
}

const struct file_operations mmlab_probes_fops = {
	.owner = THIS_MODULE,
	.open = probes_open,
	.read = seq_read,
	.write = probes_write,
	.llseek = seq_lseek,
	.release = single_release,
};
