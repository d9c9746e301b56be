/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab layer 4, the interface: the debugfs files under
 * /sys/kernel/debug/mmlab/ (the probes file is probes.c's, an observer).
 *
 *   control.c   control: one command per write, its reply read back
 *   stats.c     stats: the counters
 *   features.c  features: the kernel, the capabilities and the symbols
 */
#ifndef MMLAB_IFACE_H
#define MMLAB_IFACE_H

#include <linux/fs.h>

extern const struct file_operations mmlab_control_fops;
extern const struct file_operations mmlab_stats_fops;
extern const struct file_operations mmlab_features_fops;

#endif /* MMLAB_IFACE_H */
