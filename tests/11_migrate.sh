# migrate: pages of every kind to node 1 through the kernel's migration
# core; outcomes checked against pagemap, kpageflags, move_pages(2) node
# status, /proc/PID/mem and /proc/meminfo, not only mmlab's reply.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
load
setup_ext4
setup_swap
setup_hugetlb 2

# mig KIND NAME [HELPER ARGS]: start the helper, record its first page, and
# migrate it to node 1 with verify=1.  Sets OLD NEW (pfns from pagemap), M
# (the migrate line) and S (the summary).
mig() {
	local name=$1; shift
	start_pages "$@"
	OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
	[ -n "$OLD" ] || die "$name: page not present before"
	expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 0 "$name: on node 0 before"
	BEFORE_MEM=$(mem_hex "$PG_PID" "$PG_ADDR")
	ML0=$(meminfo Mlocked); W0=$(vmstat nr_written); D0=$(vmstat nr_dirtied)
	cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 verify=1"
	expect_eq "$ERR" "" "$name: migrate"
	M=$(grep '^migrate ' <<<"$REPLY_TEXT" | head -n 1)
	S=$(grep '^summary ' <<<"$REPLY_TEXT")
	note "$name: $M"
	NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
	ML1=$(meminfo Mlocked); W1=$(vmstat nr_written); D1=$(vmstat nr_dirtied)
}
# migrated NAME: the oracles agree the page moved to node 1, intact.
migrated() {
	expect_eq "$(field result "$M")" migrated "$1: result"
	expect_eq "$(field checks "$M")" ok "$1: checks"
	[ "$NEW" != "$OLD" ] || die "$1: pagemap pfn unchanged ($OLD)"
	expect_eq "$(hexnum "$(field new_pfn "$M")")" "$NEW" "$1: new_pfn vs pagemap"
	expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 1 "$1: move_pages node status"
	expect_eq "$(mem_hex "$PG_PID" "$PG_ADDR")" "$BEFORE_MEM" "$1: contents via /proc/PID/mem"
}

# Plain anon page: moves, same contents, same mapcount.
mig anon anon
migrated anon
expect_eq "$(kpagecount "$NEW")" 1 "anon: mapcount after"
expect_eq "$(mem_hex "$PG_PID" "$PG_ADDR" 8)" 01010101 "anon: helper's fill pattern"

# mlocked page: still mlocked and unevictable; Mlocked in meminfo unchanged.
mig mlock mlock
migrated mlock
expect_eq "$(kpf "$NEW" $KPF_MLOCKED)$(kpf "$NEW" $KPF_UNEVICTABLE)" 11 "mlock: new page mlocked, unevictable"
expect_eq "$ML1" "$ML0" "mlock: Mlocked (kB) unchanged"
cleanup_helpers

# THP: moves whole (order 9 -> 9) when node 1 has room.
mig thp thp
migrated thp
expect_eq "$(field order "$M")" "9->9" "thp: order kept"
expect_eq "$(kpf "$NEW" $KPF_THP)" 1 "thp: new page is a THP"
expect_eq "$(field migrated "$S")" 1 "thp: one page asked, one migrated"
cleanup_helpers

# mlocked THP (experiment E11).  6.1: the new THP is mlocked again
# (remove_migration_pmd -> page_add_anon_rmap(RMAP_COMPOUND) ->
# mlock_vma_folio).  6.12: it is NOT: folio_add_anon_rmap_pmd() only mlocks
# small folios and remove_migration_pmd() has no mlock call, so the new THP
# lands on an evictable LRU and Mlocked drops by 2048 kB.  Measured on
# Debian 6.12.117: KPF_MLOCKED=0, Mlocked 2048 -> 0 kB, and mmlab's mlocked
# check fails (checks=mlocked): mmlab reports it, the test asserts it.
TP=/sys/kernel/tracing
echo >"$TP/trace"
echo 1 >"$TP/events/mmlab/check_failed/enable" || die "enable mmlab:check_failed"
mig mlock-thp mlock-thp
echo 0 >"$TP/events/mmlab/check_failed/enable"
TRACE=$(<"$TP/trace")
note "mlock-thp: Mlocked $ML0 -> $ML1 kB"
expect_eq "$(field result "$M")" migrated "mlock-thp: result"
expect_eq "$(kpf "$NEW" $KPF_THP)" 1 "mlock-thp: still a THP"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 1 "mlock-thp: node"
if kernel_is_612; then
	expect_eq "$(kpf "$NEW" $KPF_MLOCKED)" 0 "mlock-thp (6.12): new THP not mlocked"
	expect_eq "$(field checks "$M")" mlocked "mlock-thp (6.12): mmlab's mlocked check fails"
	expect_eq "$ML1" "$((ML0 - 2048))" "mlock-thp (6.12): Mlocked drops by one THP"
	expect_match "$TRACE" "check_failed: op=migrate check=mlocked addr=$(field addr "$M") pfn=$(printf '0x%x' "$NEW") expected=1 actual=0\$" \
		"mlock-thp (6.12): the mmlab:check_failed tracepoint"
else
	[[ $TRACE != *check_failed:* ]] || die "mlock-thp (6.1): a check_failed event: $TRACE"
	expect_eq "$(kpf "$NEW" $KPF_MLOCKED)$(kpf "$NEW" $KPF_UNEVICTABLE)" 11 "mlock-thp (6.1): mlocked"
	expect_eq "$(field checks "$M")" ok "mlock-thp (6.1): checks"
	expect_eq "$ML1" "$ML0" "mlock-thp (6.1): Mlocked unchanged"
fi
cleanup_helpers

# Dirty ext4 page: still dirty, and migration started no writeback.
mig file-dirty file-dirty --file "$EXT4/dirty"
migrated file-dirty
expect_eq "$(kpf "$NEW" $KPF_DIRTY)" 1 "file-dirty: new page dirty"
expect_eq "$(kpf "$NEW" $KPF_WRITEBACK)" 0 "file-dirty: not under writeback"
expect_eq "$W1" "$W0" "file-dirty: nr_written unchanged"
expect_eq "$D1" "$D0" "file-dirty: nr_dirtied unchanged (no re-dirtying)"

# Clean ext4 page: still clean.
mig file file --file "$EXT4/clean"
migrated file
expect_eq "$(kpf "$NEW" $KPF_DIRTY)" 0 "file: new page clean"
cleanup_helpers

mig shmem shmem
migrated shmem
expect_eq "$(kpf "$NEW" $KPF_SWAPBACKED)$(kpf "$NEW" $KPF_ANON)" 10 "shmem: still shmem"

mig swapcache swapcache
migrated swapcache
expect_eq "$(kpf "$NEW" $KPF_SWAPCACHE)" 1 "swapcache: still in swap cache"

# Page shared with a child: both processes map the new page.
mig shared shared
migrated shared
expect_eq "$(pagemap_pfn "$PG_CHILD" "$PG_ADDR")" "$NEW" "shared: child maps the new pfn"
expect_eq "$(kpagecount "$NEW")" 2 "shared: mapcount 2"
cleanup_helpers

# KSM page: still KSM, both processes map the new pfn.
start_pages ksm
wait_ksm
expect_eq "$(field kind "$REPLY_TEXT")" ksm "ksm: merged before migration"
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
to=$(( 1 - $("$NODEOF" "$PG_PID" "$PG_ADDR") ))	# ksmd put it where it liked
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=$to verify=1"
M=$(grep '^migrate ' <<<"$REPLY_TEXT"); note "ksm: $M"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
expect_eq "$(field result "$M")/$(field checks "$M")" migrated/ok "ksm: migrated"
[ "$NEW" != "$OLD" ] || die "ksm: pfn unchanged"
expect_eq "$(kpf "$NEW" $KPF_KSM)" 1 "ksm: new page is KSM"
expect_eq "$(pagemap_pfn "$PG_CHILD" "$PG_CHILD_ADDR")" "$NEW" "ksm: other process maps the new pfn"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" "$to" "ksm: node"
cleanup_helpers

mig hugetlb hugetlb
migrated hugetlb
expect_eq "$(kpf "$NEW" $KPF_HUGE)" 1 "hugetlb: new page is hugetlb"
cleanup_helpers

# A hugetlbfs file page, mapped shared.  The kernel's refcount check counts
# the page cache's references: one for the whole huge page on 6.1 (its
# page cache is indexed in huge pages; migrate_huge_page_move_mapping()
# wants 2 + folio_has_private()), one per base page on 6.12 (since 6.7;
# folio_expected_ref_count() + 1).  mmlab's expected_refs is that, measured
# while the page is still mapped: + its mappings.  With one reference too
# many (pin mode=get) the migration fails there, refs = expected_refs + 1;
# unpinned, it moves.  Oracles: kpagecount (mappings), the page's refcount
# before (inspect refs, no isolation, no pin), pagemap, kpageflags and
# move_pages(2)'s node.
start_pages hugetlb-shared
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
page_line "$PG_PID" "$PG_ADDR"
note "hugetlb-shared: $PL"
cache=1
kernel_is_612 && cache=512
mapped=$(kpagecount "$OLD")
expect_eq "$(field kind "$PL")/$mapped" hugetlb/1 "hugetlb-shared: kind, mapped once"
expect_eq "$(kpf "$OLD" $KPF_HUGE)$(kpf "$OLD" $KPF_ANON)" 10 "hugetlb-shared: KPF_HUGE, not anon"
expect_eq "$(field refs "$PL")" "$((mapped + cache))" "hugetlb-shared: refs = mappings + page cache"
out=$("$MMLAB" write "pin pid=$PG_PID addr=$PG_ADDR mode=get" "migrate pid=$PG_PID addr=$PG_ADDR node=1" \
	"unpin" "migrate pid=$PG_PID addr=$PG_ADDR node=1 verify=1")
M=$(grep '^migrate ' <<<"$out" | head -n 1)
note "hugetlb-shared, pinned: $M"
expect_eq "$(field result "$M")/$(field err "$M")/$(field reason "$M")" failed/EAGAIN/refcount \
	"hugetlb-shared, pinned: refused at the refcount check"
expect_eq "$(hexnum "$(field old_pfn "$M")")" "$OLD" "hugetlb-shared, pinned: same page"
expect_eq "$(field expected_refs "$M")" "$((mapped + cache + 1))" \
	"hugetlb-shared, pinned: expected_refs = mappings + page cache + isolation"
expect_eq "$(field refs "$M")" "$((mapped + cache + 2))" "hugetlb-shared, pinned: refs (+ the pin)"
M=$(grep '^migrate ' <<<"$out" | tail -n 1)
note "hugetlb-shared, unpinned: $M"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
expect_eq "$(field result "$M")/$(field checks "$M")" migrated/ok "hugetlb-shared, unpinned: migrated"
[ "$NEW" != "$OLD" ] || die "hugetlb-shared: pagemap pfn unchanged ($OLD)"
expect_eq "$(hexnum "$(field new_pfn "$M")")" "$NEW" "hugetlb-shared: new_pfn vs pagemap"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 1 "hugetlb-shared: move_pages node status"
expect_eq "$(kpf "$NEW" $KPF_HUGE)$(kpf "$NEW" $KPF_ANON)" 10 "hugetlb-shared: new page hugetlb, not anon"
cleanup_helpers

# Per-page attribution (issue 20): a held page in one batch with a movable
# one.  Each page says what the kernel did with its own folio (the
# move_to_new_folio() kretprobe keys on the source folio): mode=pin stops
# try_to_migrate_one() before any copy (attempts=0, reason=pinned),
# mode=get fails the refcount check on each of the ten passes (attempts=10,
# EAGAIN), while the other page moves.  Oracle: move_pages(2) status.
for m in pin get; do
	start_pages anon --len 8192
	B=$((PG_ADDR + 4096))
	out=$("$MMLAB" write "pin pid=$PG_PID addr=$PG_ADDR mode=$m" \
		"migrate pid=$PG_PID addr=$PG_ADDR len=8192 node=1")
	M=$(grep "^migrate addr=$(printf '0x%x' "$PG_ADDR") " <<<"$out")
	MB=$(grep "^migrate addr=$(printf '0x%x' "$B") " <<<"$out")
	note "mixed batch, mode=$m: $M"
	if [ $m = pin ]; then
		expect_match "$M" ' result=failed .*reason=pinned .*attempts=0( |$)' "mode=pin: pinned, no attempt"
	else
		expect_match "$M" ' result=failed err=EAGAIN reason=refcount .*attempts=10( |$)' \
			"mode=get: ten refcount failures of its own"
	fi
	expect_match "$MB" ' result=migrated ' "mode=$m: the other page moved"
	expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 0 "mode=$m: held page stayed (move_pages status)"
	expect_eq "$("$NODEOF" "$PG_PID" "$B")" 1 "mode=$m: other page moved (move_pages status)"
	cleanup_helpers
done

# A pinned page: EAGAIN from the kernel's refcount check; unpin, and it
# moves; a pin dropped by closing the file gives its reference back.
# (Reference counts are compared between commands with no migration in
# between: a folio put back after migration waits in a per-CPU LRU batch
# that holds a reference of its own.)
# The base is read once the new page is on the LRU: before, it may wait in
# its CPU's lru_add batch with the batch's reference (a make check run on
# 6.1 read base 2, then 2 with the pin, the batch drained meanwhile).
start_pages anon
for _ in 1 2 3 4 5 6 7 8 9 10; do
	cmd "inspect pid=$PG_PID addr=$PG_ADDR"
	has_flag "$(grep '^page ' <<<"$REPLY_TEXT")" lru && break
	sleep 0.2
done
base=$(field refs "$REPLY_TEXT")
out=$("$MMLAB" write "pin pid=$PG_PID addr=$PG_ADDR" "inspect pid=$PG_PID addr=$PG_ADDR" \
	"migrate pid=$PG_PID addr=$PG_ADDR node=1" "unpin" "migrate pid=$PG_PID addr=$PG_ADDR node=1")
note "$out"
expect_eq "$(field refs "$(grep '^page ' <<<"$out")")" "$((base + 1))" "pinned: refs = base + 1"
M=$(grep '^migrate ' <<<"$out" | head -n 1)
expect_eq "$(field result "$M")/$(field err "$M")/$(field reason "$M")" failed/EAGAIN/refcount "pinned: refused"
expect_eq "$(( $(field refs "$M") - $(field expected_refs "$M") ))" 1 "pinned: one reference too many"
expect_eq "$(hexnum "$(field old_pfn "$M")")" "$(hexnum "$(field pfn "$(grep '^page ' <<<"$out")")")" "pinned: same page"
M=$(grep '^migrate ' <<<"$out" | tail -n 1)
expect_eq "$(field result "$M")" migrated "after unpin: migrated"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 1 "after unpin: node"
out=$("$MMLAB" write "pin pid=$PG_PID addr=$PG_ADDR" "inspect pid=$PG_PID addr=$PG_ADDR")	# closed, no unpin
pinned=$(field refs "$(grep '^page ' <<<"$out")")
cmd "inspect pid=$PG_PID addr=$PG_ADDR"
expect_eq "$(field refs "$REPLY_TEXT")" "$((pinned - 1))" "pin released by close: reference given back"
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=0"
expect_eq "$(field result "$(grep '^migrate ' <<<"$REPLY_TEXT")")" migrated "migratable again"
cleanup_helpers

# 512 pages: one line per page, summary counts match, every pfn moved.
start_pages anon --len $((512 * 4096))
before=$(pagemap_pfns "$PG_PID" "$PG_ADDR" 512)
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=2M node=1"
S=$(grep '^summary ' <<<"$REPLY_TEXT"); note "range: $S"
expect_eq "$(grep -c '^migrate .*result=migrated checks=ok' <<<"$REPLY_TEXT")" 512 "range: migrated lines"
expect_eq "$(field pages "$S")/$(field migrated "$S")/$(field failed "$S")" 512/512/0 "range: summary"
after=$(pagemap_pfns "$PG_PID" "$PG_ADDR" 512)
expect_eq "$(paste <(echo "$before") <(echo "$after") | awk '$1 != $2 && NF == 2' | wc -l)" 512 \
	"range: pfns changed per pagemap"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR" $((PG_ADDR + 511 * 4096)) | sort -u)" 1 "range: all on node 1"
cleanup_helpers

# ---- Races the checks must not call failures, nor errors passes ----------
RACER=$MMLAB_ROOT/build/tests/mig_racer
# migrate_loop N LEN: N migrations of PG_PID's range, to node 1 and back,
# from one mmlab run; ML gets their migrate lines.
migrate_loop() {
	local k lines=()
	for ((k = 0; k < $1; k++)); do
		lines+=("migrate pid=$PG_PID addr=$PG_ADDR len=$2 node=$((1 - k % 2))")
	done
	ML=$("$MMLAB" write "${lines[@]}" 2>&1 | grep '^migrate ')
}
nlines() { grep -c -- "$1" <<<"$ML"; }

# Dirty ext4 pages that writeback cleans between migrate's two looks (the
# racer dirties them through its mapping and sync_file_range()s them, in a
# loop): the dirty check calls that a race (dirty_raced=1), not a failure.
# Oracle: nr_written moved (the writeback was real).  Up to 20 rounds, until
# one such race was seen.
start_helper "$RACER" writeback "$EXT4/racer" 16
W0=$(vmstat nr_written)
raced=0 failed=0 runs=0
while [ "$runs" -lt 20 ] && [ "$raced" = 0 ]; do
	runs=$((runs + 1))
	migrate_loop 20 64K
	failed=$((failed + $(nlines 'checks=[^ ]*dirty')))
	raced=$((raced + $(nlines 'dirty_raced=1')))
done
cleanup_helpers
note "writeback race: $runs rounds, dirty_raced=$raced dirty failures=$failed, nr_written +$(( $(vmstat nr_written) - W0 ))"
expect_eq "$failed" 0 "writeback race: no dirty check failed"
[ "$raced" -gt 0 ] || die "writeback race: never seen in $runs rounds (the test did not exercise it)"
[ "$(vmstat nr_written)" -gt "$W0" ] || die "writeback race: nothing was written back"

# Anon pages read in from swap (they stay in the swap cache), MADV_FREEd
# (which takes a mapped page out of it), written and paged out, in a loop: a page
# migrate moved may be a swap entry when it looks again, or out of the swap
# cache.  Neither is a failure: the first is reported migrated
# (checks=unchecked after=swap_entry) when the page behind the entry, or
# the whole batch, says it moved, else raced; the second swapcache_raced=1
# (not required: on 6.1 it is rare, a
# page just paged out is still under writeback, and folio_free_swap()
# keeps it).
# Oracle: pgmigrate_success, the pages the kernel moved: at least those
# mmlab calls migrated, at most those and the ones it calls raced.
start_helper "$RACER" swap 64
S0=$(vmstat pgmigrate_success)
after=0 unmapped=0 mig=0 rac=0 swc_failed=0 swc_raced=0 runs=0
while [ "$runs" -lt 40 ] && [ "$after" = 0 ]; do
	runs=$((runs + 1))
	migrate_loop 10 256K
	unmapped=$((unmapped + $(nlines 'reason=unmapped')))
	after=$((after + $(nlines 'result=migrated checks=unchecked after=swap_entry')))
	mig=$((mig + $(nlines 'result=migrated')))
	rac=$((rac + $(nlines 'result=raced')))
	swc_failed=$((swc_failed + $(nlines 'checks=[^ ]*swapcache')))
	swc_raced=$((swc_raced + $(nlines 'swapcache_raced=1')))
done
cleanup_helpers
success=$(( $(vmstat pgmigrate_success) - S0 ))
note "swap race: $runs rounds: migrated=$mig (after=swap_entry: $after) raced=$rac reason=unmapped: $unmapped swapcache_raced=$swc_raced swapcache failures=$swc_failed pgmigrate_success=$success"
expect_eq "$unmapped" 0 "swap race: no page reported unmapped"
expect_eq "$swc_failed" 0 "swap race: no swapcache check failed"
# Whether reclaim gets to a new page before mmlab looks again is timing:
# seen on 6.1 (1 to 26 pages per run) and lab (27), not on 6.12 in 40
# rounds (22464 migrations).  The bounds above hold either way.
[ "$after" -gt 0 ] || note "swap race: no migrated page found swapped out in $runs rounds (not exercised this run)"
if [ "$success" -lt "$mig" ] || [ "$success" -gt "$((mig + rac))" ]; then
	die "swap race: pgmigrate_success $success not within migrated $mig .. migrated + raced $((mig + rac))"
fi

# The mapcount check under a fork-and-exit churn, with mmlab's rmap walk
# made to fail (fail_function, CONFIG_FAIL_FUNCTION: the lab kernel): a
# walk that could not run (ENOMEM, EINTR, EDEADLK) judges nothing, so the
# check is mapcount_unchecked, never mapcount_raced=1 (a pass); one whose
# counts never held still (EAGAIN) is a race.
F=/sys/kernel/debug/fail_function
if [ -d "$F" ]; then
	start_pages anon --len $((64 * 4096)) --churn
	echo mmlab_rmap_consistent >"$F/inject" || die "fail_function: inject"
	echo 100 >"$F/probability"; echo 1 >"$F/interval"; echo -1 >"$F/times"; echo 0 >"$F/verbose"
	for e in ENOMEM:-12 EINTR:-4 EDEADLK:-35 EAGAIN:-11; do
		printf '%#x' "${e#*:}" >"$F/mmlab_rmap_consistent/retval" || die "fail_function: retval ${e%:*}"
		counterv U0 check_mapcount_unchecked; counterv R0 check_mapcount_raced
		un=0 ra=0 runs=0
		while [ "$runs" -lt 20 ] && [ $((un + ra)) = 0 ]; do
			runs=$((runs + 1))
			migrate_loop 10 256K
			un=$((un + $(nlines 'mapcount_unchecked')))
			ra=$((ra + $(nlines 'mapcount_raced=1')))
		done
		counterv U1 check_mapcount_unchecked; counterv R1 check_mapcount_raced
		note "rmap walk answering -${e%:*}: $runs rounds, mapcount_unchecked=$un mapcount_raced=$ra (counters +$((U1 - U0)) +$((R1 - R0)))"
		[ $((un + ra)) -gt 0 ] || die "mapcount ${e%:*}: the mapcount never changed under the churn in $runs rounds"
		if [ "${e%:*}" = EAGAIN ]; then
			expect_eq "$un/$((U1 - U0))" 0/0 "mapcount EAGAIN: a walk that never held still is a race"
			expect_eq "$((R1 - R0))" "$ra" "mapcount EAGAIN: check_mapcount_raced"
		else
			expect_eq "$ra/$((R1 - R0))" 0/0 "mapcount ${e%:*}: no race (no pass) without a walk"
			expect_eq "$((U1 - U0))" "$un" "mapcount ${e%:*}: check_mapcount_unchecked"
		fi
	done
	echo '!mmlab_rmap_consistent' >"$F/inject"
	cleanup_helpers
else
	note "no fail_function in this kernel (CONFIG_FAIL_FUNCTION): the rmap walk's errors are not injected here"
fi

# A THP that straddles two batches (the range starts 1 MiB into the first
# of two THPs, so the first 512-page batch ends 1 MiB into the second):
# each THP moves once.  A batch that ended inside the second THP moved it
# whole, and the next batch moved its new THP again (before the fix:
# thp_migration_success +3, allocated=3).  Oracle: the kernel's own
# thp_migration_success, and both THPs on node 1, still THPs.
start_pages thp --len $((4 << 20))
T0=$(vmstat thp_migration_success)
cmd "migrate pid=$PG_PID addr=$((PG_ADDR + (1 << 20))) len=$((3 << 20)) node=1"
[ -z "$ERR" ] || die "straddling THP: $ERR $REPLY_TEXT"
S=${REPLY_TEXT##*"$NL"}
expect_eq "$(( $(vmstat thp_migration_success) - T0 ))" 2 "straddling THP: thp_migration_success (each THP moved once)"
expect_eq "$(field allocated "$S")/$(field migrated "$S")/$(field failed "$S")" 2/768/0 "straddling THP: allocated/migrated/failed"
for off in 0 $((2 << 20)); do
	expect_eq "$("$NODEOF" "$PG_PID" $((PG_ADDR + off)))" 1 "straddling THP +$off: node"
	expect_eq "$(kpf "$(pagemap_pfn "$PG_PID" $((PG_ADDR + off)))" $KPF_THP)" 1 "straddling THP +$off: still a THP"
done
cleanup_helpers

# Refusals: clear errno and reason, nothing breaks.
refuse() { # LINE ERRNO WHAT
	cmd "$1"
	expect_eq "$ERR" "$2" "$3: errno"
	expect_match "$REPLY_TEXT" "^error=$2 reason=\"[^\"]+\"\$" "$3: reply"
}
note "refusals"
start_pages zero
refuse "migrate pid=$PG_PID addr=$PG_ADDR node=1" EFAULT "zero page"
vvar=0x$(awk '/\[vvar\]/ { split($1, a, "-"); print a[1]; exit }' "/proc/$PG_PID/maps")
refuse "migrate pid=$PG_PID addr=$vvar node=1" EFAULT "[vvar]"
refuse "migrate pid=$PG_PID addr=0xffffffff81000000 node=1" EFAULT "kernel address"
refuse "migrate pid=$PG_PID addr=$PG_ADDR node=2" ENODEV "nonexistent node"
refuse "migrate pid=$PG_PID addr=$PG_ADDR node=1023" ENODEV "node beyond the possible ones"
refuse "migrate pid=$PG_PID addr=0x1000 node=1" EFAULT "nothing mapped"
start_pages anon
kill "$PG_PID"; wait "$PG_PID" 2>/dev/null
refuse "migrate pid=$PG_PID addr=$PG_ADDR node=1" ESRCH "process that exited"
cleanup_helpers

swapoff -a
