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
#include <linux/migrate.h>
#include <linux/hugetlb.h>

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

/*
 * Interfaces of mm/internal.h (not in the headers, so no feature probe):
 * Kbuild passes MMLAB_KVER = VERSION * 256 + PATCHLEVEL of the target.
 */
#define MMLAB_KV(a, b) ((a) * 256 + (b))

/* folio_isolate_lru(): int, 0 on success, until 6.4; then bool, true on success. */
#if MMLAB_KVER >= MMLAB_KV(6, 4)
typedef bool mmlab_isolate_ret;
#define MMLAB_ISOLATED(ret) (ret)
#define MMLAB_ISOLATE_FAILED false
#else
typedef int mmlab_isolate_ret;
#define MMLAB_ISOLATED(ret) ((ret) == 0)
#define MMLAB_ISOLATE_FAILED (-EBUSY)
#endif

/*
 * struct migration_target_control (mm/internal.h), the private argument of
 * alloc_migration_target(): 6.12 added the migrate reason (read for
 * hugetlb).  Checked against Debian 6.1 and 6.12 only.
 */
struct mmlab_mtc {
	int nid;
	nodemask_t *nmask;
	gfp_t gfp_mask;
#if MMLAB_KVER >= MMLAB_KV(6, 12)
	enum migrate_reason reason;
#endif
};

/* The migration allocation callbacks went from pages to folios. */
#ifdef MMLAB_HAVE_NEW_FOLIO_T
typedef struct folio mmlab_mig_t;
typedef new_folio_t mmlab_new_t;
typedef free_folio_t mmlab_free_t;
#define mmlab_mig_folio(p) (p)
#define mmlab_to_mig(f) (f)
#else
typedef struct page mmlab_mig_t;
typedef new_page_t mmlab_new_t;
typedef free_page_t mmlab_free_t;
#define mmlab_mig_folio(p) page_folio(p)
#define mmlab_to_mig(f) (&(f)->page)
#endif

#ifdef MMLAB_HUGE_PTEP_GET_MM
#define mmlab_huge_ptep_get(mm, addr, ptep) huge_ptep_get(mm, addr, ptep)
#else
#define mmlab_huge_ptep_get(mm, addr, ptep) huge_ptep_get(ptep)
#endif

#endif /* MMLAB_COMPAT_H */
