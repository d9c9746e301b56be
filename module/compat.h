/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab: the one place where kernel-version differences live.
 *
 * Targets: Debian 6.1 (bookworm) and 6.12 (bookworm-backports).  Prefer a
 * test of the interface itself over LINUX_VERSION_CODE where a stable update
 * may change an interface without a version bump.
 */
#ifndef MMLAB_COMPAT_H
#define MMLAB_COMPAT_H

#include <linux/version.h>
#include <linux/kconfig.h>

/*
 * cgroup-v1 memcg (and with it the charge mover) became optional in 6.10
 * (CONFIG_MEMCG_V1); Debian's 6.12 is built without it.
 */
#if IS_ENABLED(CONFIG_MEMCG) && \
	(LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0) || IS_ENABLED(CONFIG_MEMCG_V1))
#define MMLAB_HAVE_MEMCG_V1 1
#else
#define MMLAB_HAVE_MEMCG_V1 0
#endif

#endif /* MMLAB_COMPAT_H */
