/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of mmlab's interface: verbs (handler, gate, keys, help),
 * keys (type, range, help), parse-error classes, errnos, checks and
 * counters.  The parser, the dispatcher, `features`, the `stats` file, the
 * command line, the docs and the tests all expand it, so they cannot
 * disagree; a new verb is one entry here and its handler.
 *
 * No include guard, on purpose: include it with some of MMLAB_VERB(),
 * MMLAB_HANDLER(), MMLAB_NEEDS(), MMLAB_KEY(), MMLAB_PERR(), MMLAB_ERRNO(), MMLAB_ERRNO_OTHER(),
 * MMLAB_CHECK(), MMLAB_COUNTER() and MMLAB_INJECT() defined to expand the lists you need
 * (as arch/x86/include/asm/kvm-x86-ops.h does);
 * the others expand to nothing, and all are undefined again at the end.
 * Plain C: the module and user-space tools and tests include it alike.
 */
#ifndef MMLAB_VERB
#define MMLAB_VERB(...)
#endif
#ifndef MMLAB_HANDLER
#define MMLAB_HANDLER(...)
#endif
#ifndef MMLAB_NEEDS
#define MMLAB_NEEDS(...)
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
#ifndef MMLAB_ERRNO_OTHER
#define MMLAB_ERRNO_OTHER(...)
#endif
#ifndef MMLAB_CHECK
#define MMLAB_CHECK(...)
#endif
#ifndef MMLAB_COUNTER
#define MMLAB_COUNTER(...)
#endif
#ifndef MMLAB_INJECT
#define MMLAB_INJECT(...)
#endif
/*
 * MMLAB_COUNTER(name[, "what it counts"]): a counter of a family (err_,
 * parse_, VERB_attempts/_ok/_failed, check_) is described by its family;
 * every other counter carries its description here, for the table in
 * docs/counters.md that scripts/readme-counters generates.
 */

/*
 * Verbs of the control file, each with three entries:
 *   MMLAB_VERB(name, target, keys, required, one_of, "help")
 *   MMLAB_HANDLER(name, handler)
 *   MMLAB_NEEDS(name, what the kernel must have)
 * target: how it names its pages (MMLAB_T_*); keys: every key it takes,
 * required: those it needs besides the target, one_of: exactly one of
 * these (K() and RANGE: module/parse.c); help: one line for `mmlab --help`
 * and the docs.  handler: its mmlab_cmd_*() (module/control.c dispatches
 * on it).  needs: the initializer of its capability (S(), WALK and the
 * flags: module/caps.c), which `features` reports and mmlab_run()
 * enforces.
 */
MMLAB_VERB(inspect, ANY, RANGE | K(pfn), 0, 0, "the state of the target pages")
MMLAB_HANDLER(inspect, mmlab_cmd_inspect)
MMLAB_NEEDS(inspect, WALK)

MMLAB_VERB(migrate, PIDADDR,
	   RANGE | K(node) | K(mode) | K(verify) | K(dst) | K(swapcache) | K(reason) | K(trace),
	   0, 0,
	   "migrate pages through the kernel's migration core, with checks")
MMLAB_HANDLER(migrate, mmlab_cmd_migrate)
MMLAB_NEEDS(migrate, WALK | S(migrate_pages) | S(alloc_migration_target) | ISOLATE)

MMLAB_VERB(rmap, ANY, K(pid) | K(addr) | K(pfn) | K(action), 0, 0,
	   "walk every mapping of one page with the kernel's rmap walk")
MMLAB_HANDLER(rmap, mmlab_cmd_rmap)
MMLAB_NEEDS(rmap, WALK | RMAPWALK | S(folio_referenced) | LRU_ISOLATE)

MMLAB_VERB(move_charge, PIDADDR, RANGE | K(to) | K(policy), K(to), 0,
	   "move the memcg charge of pages (cgroup-v1 kernels)")
MMLAB_HANDLER(move_charge, mmlab_cmd_move_charge)
MMLAB_NEEDS(move_charge,
	    WALK | S(mem_cgroup_move_account) | S(page_counter_try_charge) |
	    S(page_counter_uncharge) | S(memcg_page_state) | S(cgroup_rstat_flush) |
	    S(get_swap_device) | LRU_ISOLATE, .memcg_v1 = true)

MMLAB_VERB(pin, PIDADDR, RANGE | K(mode), 0, 0,
	   "hold an extra reference or a FOLL_PIN on pages")
MMLAB_HANDLER(pin, mmlab_cmd_pin)
MMLAB_NEEDS(pin, WALK)

MMLAB_VERB(unpin, OPTIONAL, RANGE, 0, 0, "drop pins (alone: all of this file's)")
MMLAB_HANDLER(unpin, mmlab_cmd_unpin)
MMLAB_NEEDS(unpin, 0)

MMLAB_VERB(lock, PIDADDR, RANGE, 0, 0, "hold the folio lock of pages")
MMLAB_HANDLER(lock, mmlab_cmd_pin)
MMLAB_NEEDS(lock, WALK)

MMLAB_VERB(unlock, OPTIONAL, RANGE, 0, 0, "drop folio locks (alone: all of this file's)")
MMLAB_HANDLER(unlock, mmlab_cmd_unpin)
MMLAB_NEEDS(unlock, 0)

MMLAB_VERB(isolate, PIDADDR, RANGE, 0, 0, "take pages off their LRU list")
MMLAB_HANDLER(isolate, mmlab_cmd_pin)
MMLAB_NEEDS(isolate, WALK | LRU_ISOLATE)

MMLAB_VERB(putback, OPTIONAL, RANGE, 0, 0,
	   "put isolated pages back (alone: all of this file's)")
MMLAB_HANDLER(putback, mmlab_cmd_unpin)
/* A release is never refused: without its redirect, module/release.c puts back. */
MMLAB_NEEDS(putback, 0)

MMLAB_VERB(scan, PIDADDR, RANGE, 0, 0,
	   "invariant scan of a range (migration entries, rmap versus mapcount)")
MMLAB_HANDLER(scan, mmlab_cmd_scan)
MMLAB_NEEDS(scan, WALK | RMAPWALK)

MMLAB_VERB(copy, PIDADDR, RANGE | K(node), K(node), 0,
	   "copy the pages' bytes to another node (the copy floor)")
MMLAB_HANDLER(copy, mmlab_cmd_copy)
MMLAB_NEEDS(copy, WALK)

MMLAB_VERB(stress, PIDADDR,
	   RANGE | K(op) | K(threads) | K(seconds) | K(iterations) |
	   K(node) | K(mode) | K(policy) | K(to) | K(verify) | K(dst) | K(reason),
	   K(op), K(seconds) | K(iterations),
	   "run migrate, rmap or move-charge from kernel threads")
MMLAB_HANDLER(stress, mmlab_cmd_stress)
MMLAB_NEEDS(stress, 0)

MMLAB_VERB(split, PIDADDR, K(pid) | K(addr) | K(order) | K(verify), 0, 0,
	   "split the large folio at addr= to order= with the kernel's THP split")
MMLAB_HANDLER(split, mmlab_cmd_split)
MMLAB_NEEDS(split, WALK | S(split_huge_page) | S(lru_add_drain_all))

MMLAB_VERB(inject, NONE,
	   K(at) | K(fail) | K(delay_us) | K(after) | K(count) | K(every) | K(percent) |
	   K(scope) | K(pid), K(at), K(fail) | K(delay_us),
	   "fail or delay calls of a kernel function, held by this open file (docs/inject.md)")
MMLAB_HANDLER(inject, mmlab_cmd_inject)
MMLAB_NEEDS(inject, 0)

MMLAB_VERB(uninject, NONE, K(at), 0, 0, "detach injections (alone: all of this file's)")
MMLAB_HANDLER(uninject, mmlab_cmd_uninject)
/* A release is never refused. */
MMLAB_NEEDS(uninject, 0)

MMLAB_VERB(reset, NONE, 0, 0, 0, "zero the counters")
MMLAB_HANDLER(reset, mmlab_cmd_reset)
MMLAB_NEEDS(reset, 0)

MMLAB_VERB(selftest, NONE, 0, 0, 0, "the calling layer's self-test")
MMLAB_HANDLER(selftest, mmlab_cmd_selftest)
MMLAB_NEEDS(selftest, S(kallsyms_lookup_name) | S(node_page_state))

/*
 * Keys of the command grammar:
 *   MMLAB_KEY(name, type, min, max, words, "METAVAR", "help")
 * type: KT_*; min..max: the range of a number or size, inclusive; words:
 * an enum's value list (module/parse.c); METAVAR and help: the command
 * line's option text (empty METAVAR: a flag).
 */
MMLAB_KEY(pid, KT_NUM, 1, 4194304, NULL, "P", "target process")
MMLAB_KEY(addr, KT_NUM, 0, ~0ULL, NULL, "A",
	  "virtual address (0x hex or decimal), rounded down to its page")
MMLAB_KEY(len, KT_SIZE, 1, MMLAB_MAX_LEN, NULL, "L",
	  "bytes from --addr, suffix K, M or G (at most 256M)")
MMLAB_KEY(pfn, KT_NUM, 0, ~0ULL, NULL, "N", "physical page frame number, instead of --pid/--addr")
MMLAB_KEY(node, KT_NUM, 0, 1023, NULL, "N", "NUMA node")
MMLAB_KEY(mode, KT_ENUM, 0, 0, mmlab_enum_mode, "M", "async, sync_light or sync (default sync)")
MMLAB_KEY(verify, KT_BOOL, 0, 1, NULL, "",
	  "checksum each page before and after (--verify=0 to say no)")
MMLAB_KEY(to, KT_PATH, 0, 0, NULL, "PATH",
	  "destination memcg, its path in the cgroup-v1 memory hierarchy")
MMLAB_KEY(policy, KT_ENUM, 0, 0, mmlab_enum_policy, "P",
	  "which pages may move: kernel (default), present or skip-mapped")
MMLAB_KEY(action, KT_ENUM, 0, 0, mmlab_enum_action, "A",
	  "list (default: walk and list the mappings) or referenced (reclaim's walk)")
MMLAB_KEY(op, KT_ENUM, 0, 0, mmlab_enum_op, "OP",
	  "the command each thread runs: migrate, rmap or move-charge")
MMLAB_KEY(threads, KT_NUM, 1, MMLAB_MAX_THREADS, NULL, "N", "kernel threads, 1-16 (default 1)")
MMLAB_KEY(seconds, KT_NUM, 1, MMLAB_MAX_SECONDS, NULL, "S", "run for S seconds (1-300)")
MMLAB_KEY(iterations, KT_NUM, 1, MMLAB_MAX_ITERATIONS, NULL, "N",
	  "run N commands in all (1-10000000)")
MMLAB_KEY(dst, KT_ENUM, 0, 0, mmlab_enum_dst, "D",
	  "destination pages: kernel (default), pool or locked (mmlab's own)")
MMLAB_KEY(swapcache, KT_BOOL, 0, 1, NULL, "", "also migrate the swap-cache page behind a swap pte")
MMLAB_KEY(reason, KT_ENUM, 0, 0, mmlab_enum_reason, "R",
	  "migrate_pages() reason: syscall (default), numa_misplaced, longterm_pin, compaction")
MMLAB_KEY(order, KT_NUM, 0, 20, NULL, "O", "split: the order of the resulting folios (default 0)")
MMLAB_KEY(trace, KT_BOOL, 0, 1, NULL, "",
	  "migrate: the life of each folio, step by step (at most 512 pages)")
MMLAB_KEY(at, KT_SYM, 0, 0, NULL, "FUNC",
	  "inject: the kernel function, one of the injection points (docs/inject.md)")
MMLAB_KEY(fail, KT_ENUM, 0, 0, mmlab_enum_fail, "E",
	  "inject: return this error without running the function: EAGAIN, EBUSY or ENOMEM")
MMLAB_KEY(delay_us, KT_NUM, 1, 10000, NULL, "US",
	  "inject: busy-wait US microseconds at the function's entry, then run it (1-10000)")
MMLAB_KEY(after, KT_NUM, 0, 1000000, NULL, "N",
	  "inject: let the first N matching calls run (default 0)")
MMLAB_KEY(count, KT_NUM, 0, 1000000, NULL, "N",
	  "inject: act on N calls in all, 0 for no limit (default 1)")
MMLAB_KEY(every, KT_NUM, 1, 1000000, NULL, "N",
	  "inject: act on every Nth matching call (default 1)")
MMLAB_KEY(percent, KT_NUM, 1, 100, NULL, "P",
	  "inject: act with probability P percent (default 100)")
MMLAB_KEY(scope, KT_ENUM, 0, 0, mmlab_enum_scope, "S",
	  "inject: whose calls: mmlab (its own commands, default), pid (the process pid=) or all")

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

/*
 * Every errno a write can answer.  MMLAB_ERRNO(NAME): counted under
 * err_NAME; MMLAB_ERRNO_OTHER(NAME): passed on from a kernel function and
 * counted under err_other.  Names and numbers come from here for the reply
 * (error=NAME) and for the command line's exit status.
 */
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
MMLAB_ERRNO_OTHER(EEXIST)
MMLAB_ERRNO_OTHER(EIO)
MMLAB_ERRNO_OTHER(ERANGE)
MMLAB_ERRNO_OTHER(ENOSPC)
MMLAB_ERRNO_OTHER(ETIMEDOUT)
MMLAB_ERRNO_OTHER(EACCES)
MMLAB_ERRNO_OTHER(EDEADLK)
MMLAB_ERRNO_OTHER(ENOEXEC)
MMLAB_ERRNO_OTHER(ENOTTY)
MMLAB_ERRNO_OTHER(EHWPOISON)
MMLAB_ERRNO_OTHER(EFBIG)

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
MMLAB_CHECK(folio_mapcount,
	    "a large folio that moved whole is mapped as many times as before, by as many PMDs")
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
MMLAB_COUNTER(split_attempts)
MMLAB_COUNTER(split_ok)
MMLAB_COUNTER(split_failed)
MMLAB_COUNTER(inject_attempts)
MMLAB_COUNTER(inject_ok)
MMLAB_COUNTER(inject_failed)
MMLAB_COUNTER(uninject_attempts)
MMLAB_COUNTER(uninject_ok)
MMLAB_COUNTER(uninject_failed)
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
MMLAB_COUNTER(check_mapcount_unchecked,
	      "mapcount checks not judged: the rmap walk could not run (mapcount_unchecked)")
MMLAB_COUNTER(check_dirty_raced,
	      "dirty checks not judged: the page was written back meanwhile")
MMLAB_COUNTER(check_swapcache_raced,
	      "swapcache checks not judged: the page left the swap cache meanwhile")
MMLAB_COUNTER(migrate_pages_moved_on,
	      "migrated pages gone behind a swap or migration entry when checked (unchecked)")
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
MMLAB_COUNTER(check_folio_mapcount_passed)
MMLAB_COUNTER(check_folio_mapcount_failed)
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
MMLAB_COUNTER(migrate_dst_unrecorded,
	      "destinations of split pieces migrate could not record (no memory): read as raced")
MMLAB_COUNTER(kcall_refused_disarmed,
	      "commands refused: redirect kprobes disarmed where no direct call may be made")
MMLAB_COUNTER(release_fallback,
	      "isolated LRU folios put back with exported functions after a missed redirect")
MMLAB_COUNTER(release_deferred,
	      "isolated hugetlb folios kept for a retried putback after a missed redirect")
MMLAB_COUNTER(release_lost,
	      "releases that missed their redirect and could not be made (WARNed)")
MMLAB_COUNTER(injections_added, "injections attached by inject")
MMLAB_COUNTER(injections_removed, "injections detached (uninject, fd close, module unload)")
MMLAB_COUNTER(injections_fired, "calls an injection failed or delayed")
MMLAB_COUNTER(kprobe_stale_int3,
	      "probe hits on a stale int3 that kguard stepped over (docs/probes.md, kguard)")

/*
 * The injection points of `inject` (module/inject.c).  A function may be
 * failed at its entry only where the error is one its callers already
 * handle: each entry says why.
 *   MMLAB_INJECT(name, "symbols", returns, "why failing it at entry is safe")
 * symbols: the first the kernel has wins (and its .constprop.0 clone);
 * returns: INT (the -errno), PTR (NULL; fail=ENOMEM only), ISOLATE
 * (folio_isolate_lru(): 6.1's -EBUSY, 6.12's false; fail=EBUSY only),
 * DELAY (delay_us= only: a point that widens a race window, never failed).
 */
/*
 * migrate_folio() is inlined into move_to_new_folio() on both kernels, so
 * its point is the function it calls: 6.12's __migrate_folio() (a
 * .constprop clone), 6.1's migrate_folio_extra().
 */
MMLAB_INJECT(migrate_folio, "__migrate_folio migrate_folio_extra migrate_folio", INT,
	     "move_to_new_folio() hands its error to migrate_pages(), which retries or fails")
MMLAB_INJECT(folio_migrate_mapping, "__folio_migrate_mapping folio_migrate_mapping", INT,
	     "the refcount check: its callers return its error before moving anything")
MMLAB_INJECT(buffer_migrate_folio, "buffer_migrate_folio", INT,
	     "a_ops->migrate_folio, called only by move_to_new_folio(): as migrate_folio")
MMLAB_INJECT(alloc_migration_target, "alloc_migration_target", PTR,
	     "migrate_pages() takes a NULL destination as -ENOMEM (a large source may split)")
MMLAB_INJECT(split_huge_page, "split_huge_page_to_list_to_order split_huge_page_to_list", INT,
	     "the kernel fails splits itself (-EAGAIN, -EBUSY); callers leave the folio whole")
MMLAB_INJECT(mem_cgroup_move_account, "mem_cgroup_move_account", INT,
	     "the charge mover skips the page and cancels its precharge (-EBUSY when locked)")
MMLAB_INJECT(folio_isolate_lru, "folio_isolate_lru", ISOLATE,
	     "it fails whenever the folio is off the LRU, and every caller checks")
/*
 * GUP-fast between its lockless PTE read and its reference (6.12's
 * try_grab_folio_fast(); 6.1's try_grab_folio(), which 6.1's hugetlb
 * GUP also calls): the window of seed 004.  Interrupts are off there, so
 * a delay also holds up any TLB-flush IPI sent to this CPU.
 */
MMLAB_INJECT(gup_fast_grab, "try_grab_folio_fast try_grab_folio", DELAY,
	     "delay only: it widens GUP-fast's window; a failed grab is just GUP-fast's fallback")

#undef MMLAB_VERB
#undef MMLAB_HANDLER
#undef MMLAB_NEEDS
#undef MMLAB_KEY
#undef MMLAB_PERR
#undef MMLAB_ERRNO
#undef MMLAB_ERRNO_OTHER
#undef MMLAB_CHECK
#undef MMLAB_COUNTER
#undef MMLAB_INJECT
