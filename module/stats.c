// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab stats file: the counters (counters.c), summed over CPUs, printed
 * `name value` per line like /proc/vmstat.  Writing "0" resets them all.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "iface.h"
#include "base.h"

static const char * const counter_names[MMLAB_NR_COUNTERS] = {
#define MMLAB_COUNTER(name, ...) \
	[MMLAB_CTR_##name] = #name,
#include "../include/mmlab_lists.h"
};

static int stats_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < MMLAB_NR_COUNTERS; i++)
		seq_printf(m, "%s %llu\n", counter_names[i], mmlab_counter_read(i));
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	int ret = mmlab_open_allowed();

	return ret ? ret : single_open(file, stats_show, NULL);
}

static ssize_t stats_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char buf[4] = {};

	if (count == 0 || count > 2)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (strcmp(buf, "0") && strcmp(buf, "0\n"))
		return -EINVAL;
	mmlab_counters_reset();
	return count;
}

const struct file_operations mmlab_stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.read = seq_read,
	.write = stats_write,
	.llseek = seq_lseek,
	.release = single_release,
};
