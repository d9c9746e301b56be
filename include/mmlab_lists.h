/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of mmlab's names: verbs, keys, parse-error classes, errnos
 * and counters.  The module's `stats` file, the parser, the docs and the
 * tests all take their names from here, so they cannot disagree.
 *
 * No include guard, on purpose: include it with some of MMLAB_VERB(),
 * MMLAB_KEY(), MMLAB_PERR(), MMLAB_ERRNO() and MMLAB_COUNTER() defined to
 * expand the lists you need (as arch/x86/include/asm/kvm-x86-ops.h does);
 * the others expand to nothing, and all are undefined again at the end.
 * Plain C: the module and user-space tools and tests include it alike.
 */
#ifndef MMLAB_VERB
#define MMLAB_VERB(...)
#endif
#ifndef MMLAB_KEY
#define MMLAB_KEY(...)
#endif
#ifndef MMLAB_PERR
#define MMLAB_PERR(...)
#endif
#ifndef MMLAB_ERRNO
#define MMLAB_ERRNO(...)
#endif
#ifndef MMLAB_CHECK
#define MMLAB_CHECK(...)
#endif
#ifndef MMLAB_COUNTER
#define MMLAB_COUNTER(...)
#endif
/*
 * MMLAB_COUNTER(name[, "what it counts"]): a counter of a family (err_,
 * parse_, VERB_attempts/_ok/_failed, check_) is described by its family;
 * every other counter carries its description here, for the table in
 * docs/counters.md that scripts/readme-counters generates.
 */

/* Verbs of the control file. */
MMLAB_VERB(inspect)
MMLAB_VERB(migrate)
MMLAB_VERB(rmap)
MMLAB_VERB(move_charge)
MMLAB_VERB(pin)
MMLAB_VERB(unpin)
MMLAB_VERB(lock)
MMLAB_VERB(unlock)
MMLAB_VERB(isolate)
MMLAB_VERB(putback)
MMLAB_VERB(scan)
MMLAB_VERB(copy)
MMLAB_VERB(stress)
MMLAB_VERB(reset)
MMLAB_VERB(selftest)

/* Keys of the command grammar (their types and ranges: module/parse.c). */
MMLAB_KEY(pid)
MMLAB_KEY(addr)
MMLAB_KEY(len)
MMLAB_KEY(pfn)
MMLAB_KEY(node)
MMLAB_KEY(mode)
MMLAB_KEY(verify)
MMLAB_KEY(to)
MMLAB_KEY(policy)
MMLAB_KEY(action)
MMLAB_KEY(op)
MMLAB_KEY(threads)
MMLAB_KEY(seconds)
MMLAB_KEY(iterations)
MMLAB_KEY(dst)
MMLAB_KEY(swapcache)

/* Why a line was rejected before it ran; all are EINVAL. */
MMLAB_PERR(empty_line)
MMLAB_PERR(too_long)
MMLAB_PERR(nul)
MMLAB_PERR(multiple)
MMLAB_PERR(unknown_verb)
MMLAB_PERR(syntax)
MMLAB_PERR(unknown_key)
MMLAB_PERR(duplicate_key)
MMLAB_PERR(empty_value)
MMLAB_PERR(bad_number)
MMLAB_PERR(overflow)
MMLAB_PERR(bad_suffix)
MMLAB_PERR(bad_value)
MMLAB_PERR(out_of_range)
MMLAB_PERR(missing_key)
MMLAB_PERR(conflict)

/* errnos a failed write is counted under (err_NAME); others: err_other. */
MMLAB_ERRNO(EINVAL)
MMLAB_ERRNO(ESRCH)
MMLAB_ERRNO(EFAULT)
MMLAB_ERRNO(ENXIO)
MMLAB_ERRNO(ENOENT)
MMLAB_ERRNO(EOPNOTSUPP)
MMLAB_ERRNO(EPERM)
MMLAB_ERRNO(EBUSY)
MMLAB_ERRNO(EAGAIN)
MMLAB_ERRNO(ENOMEM)
MMLAB_ERRNO(EINTR)
MMLAB_ERRNO(E2BIG)
MMLAB_ERRNO(ENODEV)

/*
 * Checks: the before/after checks of a migrated page, then rmap's
 * mappings-found-versus-mapcount; each has check_NAME_passed and
 * check_NAME_failed counters.
 */
MMLAB_CHECK(node, "the page is on the node asked for (or the same node without node=)")
MMLAB_CHECK(mlocked, "an mlocked page in a VM_LOCKED vma is still mlocked")
MMLAB_CHECK(dirty, "a dirty page is still dirty")
MMLAB_CHECK(swapcache, "a swapcache page is still in the swap cache")
MMLAB_CHECK(kind, "the page is still of its kind (anon stays anon, file stays file)")
MMLAB_CHECK(memcg, "the page is still charged to its memcg")
MMLAB_CHECK(mapcount, "the page is mapped as many times as before")
MMLAB_CHECK(contents, "the bytes are unchanged (verify=1)")
MMLAB_CHECK(rmap_mapcount, "an rmap walk found as many mappings as the mapcount says")

/*
 * Every counter, in the order `stats` prints them: err_NAME for each errno
 * above, parse_NAME for each parse-error class, VERB_attempts/_ok/_failed
 * for each verb, in list order, check_NAME_passed/_failed for each check
 * (the unit tests check this).  Invariants:
 *   commands = commands_ok + sum(err_*)
 *   VERB_attempts = VERB_ok + VERB_failed
 */
MMLAB_COUNTER(commands, "lines written to control, good or bad")
MMLAB_COUNTER(commands_ok,
	      "writes that succeeded (the command ran; its operation may still have failed)")
MMLAB_COUNTER(err_EINVAL)
MMLAB_COUNTER(err_ESRCH)
MMLAB_COUNTER(err_EFAULT)
MMLAB_COUNTER(err_ENXIO)
MMLAB_COUNTER(err_ENOENT)
MMLAB_COUNTER(err_EOPNOTSUPP)
MMLAB_COUNTER(err_EPERM)
MMLAB_COUNTER(err_EBUSY)
MMLAB_COUNTER(err_EAGAIN)
MMLAB_COUNTER(err_ENOMEM)
MMLAB_COUNTER(err_EINTR)
MMLAB_COUNTER(err_E2BIG)
MMLAB_COUNTER(err_ENODEV)
MMLAB_COUNTER(err_other, "writes that failed with an errno not listed above")
MMLAB_COUNTER(parse_empty_line)
MMLAB_COUNTER(parse_too_long)
MMLAB_COUNTER(parse_nul)
MMLAB_COUNTER(parse_multiple)
MMLAB_COUNTER(parse_unknown_verb)
MMLAB_COUNTER(parse_syntax)
MMLAB_COUNTER(parse_unknown_key)
MMLAB_COUNTER(parse_duplicate_key)
MMLAB_COUNTER(parse_empty_value)
MMLAB_COUNTER(parse_bad_number)
MMLAB_COUNTER(parse_overflow)
MMLAB_COUNTER(parse_bad_suffix)
MMLAB_COUNTER(parse_bad_value)
MMLAB_COUNTER(parse_out_of_range)
MMLAB_COUNTER(parse_missing_key)
MMLAB_COUNTER(parse_conflict)
MMLAB_COUNTER(inspect_attempts)
MMLAB_COUNTER(inspect_ok)
MMLAB_COUNTER(inspect_failed)
MMLAB_COUNTER(migrate_attempts)
MMLAB_COUNTER(migrate_ok)
MMLAB_COUNTER(migrate_failed)
MMLAB_COUNTER(rmap_attempts)
MMLAB_COUNTER(rmap_ok)
MMLAB_COUNTER(rmap_failed)
MMLAB_COUNTER(move_charge_attempts)
MMLAB_COUNTER(move_charge_ok)
MMLAB_COUNTER(move_charge_failed)
MMLAB_COUNTER(pin_attempts)
MMLAB_COUNTER(pin_ok)
MMLAB_COUNTER(pin_failed)
MMLAB_COUNTER(unpin_attempts)
MMLAB_COUNTER(unpin_ok)
MMLAB_COUNTER(unpin_failed)
MMLAB_COUNTER(lock_attempts)
MMLAB_COUNTER(lock_ok)
MMLAB_COUNTER(lock_failed)
MMLAB_COUNTER(unlock_attempts)
MMLAB_COUNTER(unlock_ok)
MMLAB_COUNTER(unlock_failed)
MMLAB_COUNTER(isolate_attempts)
MMLAB_COUNTER(isolate_ok)
MMLAB_COUNTER(isolate_failed)
MMLAB_COUNTER(putback_attempts)
MMLAB_COUNTER(putback_ok)
MMLAB_COUNTER(putback_failed)
MMLAB_COUNTER(scan_attempts)
MMLAB_COUNTER(scan_ok)
MMLAB_COUNTER(scan_failed)
MMLAB_COUNTER(copy_attempts)
MMLAB_COUNTER(copy_ok)
MMLAB_COUNTER(copy_failed)
MMLAB_COUNTER(stress_attempts)
MMLAB_COUNTER(stress_ok)
MMLAB_COUNTER(stress_failed)
MMLAB_COUNTER(reset_attempts)
MMLAB_COUNTER(reset_ok)
MMLAB_COUNTER(reset_failed)
MMLAB_COUNTER(selftest_attempts)
MMLAB_COUNTER(selftest_ok)
MMLAB_COUNTER(selftest_failed)
MMLAB_COUNTER(migrate_pages_migrated, "pages migrate moved to a new page (stress included)")
MMLAB_COUNTER(migrate_pages_failed, "pages migrate could not move (reason in the reply)")
MMLAB_COUNTER(migrate_pages_skipped,
	      "pages of a migrate range with nothing present to move (result=skipped)")
MMLAB_COUNTER(migrate_thp_split, "THPs the kernel split while migrating them")
MMLAB_COUNTER(migrate_pages_raced,
	      "pages replaced by someone else during a migrate (result=raced, no checks)")
MMLAB_COUNTER(check_mapcount_raced,
	      "mapcount checks not judged because the mapcount changed meanwhile")
MMLAB_COUNTER(rmap_walks, "rmap walks done (rmap command and stress)")
MMLAB_COUNTER(rmap_mappings, "page-table entries the walks found")
MMLAB_COUNTER(rmap_retries, "walks repeated because the page moved or the counts disagreed")
MMLAB_COUNTER(rmap_unstable,
	      "walks that still disagreed after the retries (reported, not a failure)")
MMLAB_COUNTER(rmap_overlaps,
	      "walks that met the same page-table entry twice (overlapping vmas of one mm)")
MMLAB_COUNTER(rmap_referenced_walks, "rmap action=referenced walks (the reclaim referenced walk)")
MMLAB_COUNTER(move_charge_pages_moved, "pages move_charge moved to the destination memcg")
MMLAB_COUNTER(move_charge_pages_skipped,
	      "pages move_charge refused (policy, not charged, busy: reason in the reply)")
MMLAB_COUNTER(move_charge_unmapped, "moved pages that no process mapped at the moment of the move")
MMLAB_COUNTER(memcg_move_account_calls,
	      "mem_cgroup_move_account() calls seen by the memcg probe (the kernel mover too)")
MMLAB_COUNTER(memcg_move_account_unmapped, "of those, calls handed a folio nobody mapped at entry")
MMLAB_COUNTER(check_node_passed)
MMLAB_COUNTER(check_node_failed)
MMLAB_COUNTER(check_mlocked_passed)
MMLAB_COUNTER(check_mlocked_failed)
MMLAB_COUNTER(check_dirty_passed)
MMLAB_COUNTER(check_dirty_failed)
MMLAB_COUNTER(check_swapcache_passed)
MMLAB_COUNTER(check_swapcache_failed)
MMLAB_COUNTER(check_kind_passed)
MMLAB_COUNTER(check_kind_failed)
MMLAB_COUNTER(check_memcg_passed)
MMLAB_COUNTER(check_memcg_failed)
MMLAB_COUNTER(check_mapcount_passed)
MMLAB_COUNTER(check_mapcount_failed)
MMLAB_COUNTER(check_contents_passed)
MMLAB_COUNTER(check_contents_failed)
MMLAB_COUNTER(check_rmap_mapcount_passed)
MMLAB_COUNTER(check_rmap_mapcount_failed)
MMLAB_COUNTER(pins_taken, "holds taken by pin (FOLL_GET or FOLL_PIN)")
MMLAB_COUNTER(pins_released, "holds released (unpin, fd close, module unload; every kind)")
MMLAB_COUNTER(pins_foll_pin, "of the pins, those taken with FOLL_PIN (pin mode=pin)")
MMLAB_COUNTER(folio_locks_taken, "folio locks taken and held on an fd by lock")
MMLAB_COUNTER(isolations_taken, "folios taken off the LRU and held on an fd by isolate")
MMLAB_COUNTER(migrate_dst_pool_allocated, "destination pages migrate dst=pool|locked allocated")
MMLAB_COUNTER(migrate_dst_pool_returned, "of those, pages the kernel handed back unused (put_new)")
MMLAB_COUNTER(migrate_dst_pool_not_pristine,
	      "returned pages that were not pristine (refcount, mapping, memcg, contents)")
MMLAB_COUNTER(kcall_calls_direct, "calls into non-exported kernel functions through a direct call")
MMLAB_COUNTER(kcall_calls_redirected, "calls through the IBT-safe redirect kprobe")
MMLAB_COUNTER(kcall_missed,
	      "redirected calls whose kprobe did not fire (refused when IBT is enforced)")
MMLAB_COUNTER(kprobe_stale_int3,
	      "probe hits on a stale int3 that kguard stepped over (docs/probes.md, kguard)")

#undef MMLAB_VERB
#undef MMLAB_KEY
#undef MMLAB_PERR
#undef MMLAB_ERRNO
#undef MMLAB_CHECK
#undef MMLAB_COUNTER
