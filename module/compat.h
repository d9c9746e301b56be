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

#include <linux/kconfig.h>

/*
 * cgroup-v1 memcg (and with it the charge mover) became optional in 6.10
 * (CONFIG_MEMCG_V1); Debian's 6.12 is built without it.  Kbuild defines
 * MMLAB_MEMCG_V1_OPTIONAL when the target's memcontrol.h knows the option.
 */
#if defined(MMLAB_MEMCG_V1_OPTIONAL) && !IS_ENABLED(CONFIG_MEMCG_V1)
#define MMLAB_HAVE_MEMCG_V1 0
#else
#define MMLAB_HAVE_MEMCG_V1 IS_ENABLED(CONFIG_MEMCG)
#endif

#endif /* MMLAB_COMPAT_H */
