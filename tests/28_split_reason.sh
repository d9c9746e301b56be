# split and migrate reason=: large folios (issue 21).
#
# split: the kernel's THP split of the folio at addr=, to order= (6.12:
# split_huge_page_to_list_to_order(); 6.1: split_huge_page_to_list(), order
# 0 only).  migrate reason=: what migrate_pages() is told, which decides
# whether a large folio it cannot allocate a destination for is split
# (dst=pool hands out order-0 pages only: every large folio gets -ENOMEM).
# Oracles: /proc/vmstat (thp_split_page, thp_split_page_failed,
# thp_migration_split, pgmigrate_success), /proc/kpageflags (KPF_THP, and
# the compound head/tail runs), pagemap, move_pages(2)'s node, /proc/PID/smaps
# AnonHugePages and /proc/PID/mem.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
load
setup_hugetlb 1
KPF_COMPOUND_HEAD=15 KPF_COMPOUND_TAIL=16
HP=$((2 << 20))
# khugepaged would collapse the split pieces of a MADV_HUGEPAGE range into
# a THP again (seen on the lab kernel: AnonHugePages back to 2048 kB a few
# seconds after a split to order 4): it sleeps an hour between scans while
# this test runs (writing the value wakes it for one scan, now, before any
# of the test's THPs exist).
khugepaged_sleep

# smaps_ahp PID ADDR: AnonHugePages (kB) of the vma holding ADDR.
smaps_ahp() {
	local line a b in=0 re='^([0-9a-f]+)-([0-9a-f]+) ' k v addr=$(($2))
	while IFS= read -r line; do
		if [[ $line =~ $re ]]; then
			a=$((16#${BASH_REMATCH[1]})) b=$((16#${BASH_REMATCH[2]}))
			in=0
			[ "$addr" -ge "$a" ] && [ "$addr" -lt "$b" ] && in=1
		elif [ "$in" = 1 ] && [[ $line == AnonHugePages:* ]]; then
			read -r k v _ <<<"$line"
			echo "$v"
			return
		fi
	done <"/proc/$1/smaps"
}
# heads_tails PFN N: how many of the N pfns from PFN are compound heads, tails.
heads_tails() {
	echo "$("$PEEK" /proc/kpageflags "$1" "$2" $KPF_COMPOUND_HEAD)/$("$PEEK" /proc/kpageflags "$1" "$2" $KPF_COMPOUND_TAIL)"
}
# mem_sum PID ADDR LEN: a digest of the bytes, read through /proc/PID/mem.
mem_sum() {
	dd if="/proc/$1/mem" bs=4096 skip=$(( $2 / 4096 )) count=$(( $3 / 4096 )) 2>/dev/null | md5sum
}
# thp NAME [ARGS]: a fresh 2 MiB THP on node 0; sets PFN (its head).
thp() {
	start_pages thp "${@:2}"
	PFN=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
	[ -n "$PFN" ] || die "$1: not present"
	expect_eq "$(kpf "$PFN" $KPF_THP)$(heads_tails "$PFN" 512)" 11/511 "$1: a THP before"
	expect_eq "$(smaps_ahp "$PG_PID" "$PG_ADDR")" 2048 "$1: AnonHugePages before"
}

f=$(cat "$D/features")
if kernel_is_612; then sym=split_huge_page_to_list_to_order; else sym=split_huge_page_to_list; fi
expect_match "$f" "^sym:$sym yes via=kprobe " "features: $sym"
expect_match "$f" '^split yes$' "features: split"

# ---- split ------------------------------------------------------------------
# To order 0: 512 order-0 folios, same pfns, same node, same bytes.  The
# helper fills page i with the byte i * 7 + 1: pages 73 and 329 are all
# zeroes.  6.12's split maps such pages of an anon folio to the shared zero
# page and frees them (remap_page(..., RMP_USE_SHARED_ZEROPAGE) in
# __split_huge_page(), try_to_map_unused_to_zeropage() in mm/migrate.c;
# 6.12-rc1 "mm: remap unused subpages to shared zeropage when splitting
# isolated thp"); 6.1 keeps them.
Z=0
kernel_is_612 && Z=2
thp "split order 0"
SUM0=$(mem_sum "$PG_PID" "$PG_ADDR" $HP)
T0=$(vmstat thp_split_page)
cmd "split pid=$PG_PID addr=$((PG_ADDR + 4096 * 7)) verify=1"
expect_eq "$ERR" "" "split order 0: $REPLY_TEXT"
S=$(grep '^summary ' <<<"$REPLY_TEXT")
note "split order 0: $S"
expect_match "$S" " order=9->0 pieces=512 mapped_pages=$((512 - Z)) mapped_folios=$((512 - Z)) orders=0x$((512 - Z)) unmapped=0 zeropage=$Z mapcount_sum=512->$((512 - Z)) checks=ok " \
	"split order 0: summary"
expect_eq "$(hexnum "$(field pfn "$S")")" "$PFN" "split order 0: the folio's head pfn"
expect_eq "$(grep -c '^split addr=' <<<"$REPLY_TEXT")" $((512 - Z)) "split order 0: a line per mapped folio"
if kernel_is_612; then
	expect_eq "$(kpf "$(pagemap_pfn "$PG_PID" $((PG_ADDR + 73 * 4096)))" $KPF_ZERO_PAGE)" 1 \
		"split order 0 (6.12): the zero-filled page 73 maps the zero page"
else
	expect_eq "$(pagemap_pfn "$PG_PID" $((PG_ADDR + 73 * 4096)))" $((PFN + 73)) \
		"split order 0 (6.1): the zero-filled page 73 kept"
fi
expect_eq "$(( $(vmstat thp_split_page) - T0 ))" 1 "split order 0: thp_split_page"
expect_eq "$(heads_tails "$PFN" 512)" 0/0 "split order 0: no compound head or tail left"
expect_eq "$(kpf "$PFN" $KPF_THP)" 0 "split order 0: KPF_THP"
expect_eq "$(pagemap_pfn "$PG_PID" $((PG_ADDR + HP - 4096)))" $((PFN + 511)) "split order 0: same pfns"
expect_eq "$(smaps_ahp "$PG_PID" "$PG_ADDR")" 0 "split order 0: AnonHugePages"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 0 "split order 0: node"
expect_eq "$(mem_sum "$PG_PID" "$PG_ADDR" $HP)" "$SUM0" "split order 0: contents"
# Not a large folio any more.
cmd "split pid=$PG_PID addr=$PG_ADDR"
expect_eq "$ERR" EINVAL "split of an order-0 folio"
expect_match "$REPLY_TEXT" 'reason="0x[0-9a-f]+ is not in a large folio' "split of an order-0 folio: reason"
cleanup_helpers

# To order 4 (6.12): 32 folios of 16 pages, a compound head every 16 pfns.
# 6.1 has no split to a non-zero order: refused, the THP intact.
thp "split order 4"
T0=$(vmstat thp_split_page)
cmd "split pid=$PG_PID addr=$PG_ADDR order=4 verify=1"
if kernel_is_612; then
	expect_eq "$ERR" "" "split order 4: $REPLY_TEXT"
	S=$(grep '^summary ' <<<"$REPLY_TEXT")
	note "split order 4: $S"
	expect_match "$S" " order=9->4 pieces=32 mapped_pages=512 mapped_folios=32 orders=4x32 unmapped=0 zeropage=0 mapcount_sum=512->512 checks=ok " \
		"split order 4: summary"
	expect_eq "$(( $(vmstat thp_split_page) - T0 ))" 1 "split order 4: thp_split_page (a PMD-order source)"
	expect_eq "$(heads_tails "$PFN" 512)" 32/480 "split order 4: 32 heads, 480 tails"
	expect_eq "$(kpf $((PFN + 16)) $KPF_COMPOUND_HEAD)$(kpf $((PFN + 17)) $KPF_COMPOUND_TAIL)" 11 \
		"split order 4: head at +16, tail at +17"
	expect_eq "$(smaps_ahp "$PG_PID" "$PG_ADDR")" 0 "split order 4: AnonHugePages (PTE-mapped now)"
	# An anon folio cannot go to order 1 (its _deferred_list is in page 2).
	cmd "split pid=$PG_PID addr=$PG_ADDR order=1"
	expect_eq "$ERR" EINVAL "split of an anon folio to order 1"
	expect_match "$REPLY_TEXT" 'cannot be split to order 1' "order 1: reason"
	cmd "split pid=$PG_PID addr=$PG_ADDR order=4"
	expect_eq "$ERR" EINVAL "split of an order-4 folio to order 4"
	expect_match "$REPLY_TEXT" 'order 4 is not below the folio.s order 4' "order 4 of 4: reason"
else
	expect_eq "$ERR" EOPNOTSUPP "split order 4 (6.1)"
	expect_match "$REPLY_TEXT" 'splits to order 0 only' "split order 4 (6.1): reason"
	expect_eq "$(( $(vmstat thp_split_page) - T0 ))" 0 "split order 4 (6.1): no split"
	expect_eq "$(heads_tails "$PFN" 512)" 1/511 "split order 4 (6.1): still one THP"
fi
cmd "split pid=$PG_PID addr=$PG_ADDR order=9"
expect_eq "$ERR" EINVAL "split to order 9"
cmd "split pid=$PG_PID addr=$PG_ADDR order=21"
expect_eq "$ERR" EINVAL "order=21: out of the key's range"
cleanup_helpers

# An extra reference (pin mode=get): the kernel's can_split_folio() says no.
# 6.12 split_huge_page_to_list_to_order() answers -EAGAIN for it (its
# comment: "Returns -EAGAIN if the folio has unexpected reference").
thp "split pinned"
exec 7<>"$D/control"
echo "pin pid=$PG_PID addr=$PG_ADDR mode=get" >&7 || die "pin"
cat <&7 >/dev/null
F0=$(vmstat thp_split_page_failed)
cmd "split pid=$PG_PID addr=$PG_ADDR"
note "split pinned: $ERR $REPLY_TEXT"
expect_eq "$ERR" EAGAIN "split pinned: the kernel's error"
expect_match "$REPLY_TEXT" 'unexpected references \(refs=[0-9]+ besides' "split pinned: reason"
expect_eq "$(( $(vmstat thp_split_page_failed) - F0 ))" 1 "split pinned: thp_split_page_failed"
expect_eq "$(heads_tails "$PFN" 512)" 1/511 "split pinned: still one THP"
# mmlab's own lock: never waited for.
echo "unpin" >&7 || die "unpin"
cat <&7 >/dev/null
echo "lock pid=$PG_PID addr=$PG_ADDR" >&7 || die "lock"
cat <&7 >/dev/null
cmd "split pid=$PG_PID addr=$PG_ADDR"
expect_eq "$ERR" EBUSY "split of an mmlab-locked folio"
expect_match "$REPLY_TEXT" "locked by mmlab's own" "split locked: reason"
exec 7>&-
cleanup_helpers

# A partially mapped THP (second half zapped): the split frees the unmapped
# half; the mapped half stays, order 0 (6.12: but for page 73, zero-filled).
thp "split partial" --usr2 dontneed-half
zap_wait $((PG_ADDR + HP / 2)) "split partial: second half"
T0=$(vmstat thp_split_page)
cmd "split pid=$PG_PID addr=$PG_ADDR verify=1"
expect_eq "$ERR" "" "split partial: $REPLY_TEXT"
S=$(grep '^summary ' <<<"$REPLY_TEXT")
note "split partial: $S"
Z=0
kernel_is_612 && Z=1
expect_match "$S" " order=9->0 pieces=512 mapped_pages=$((256 - Z)) mapped_folios=$((256 - Z)) orders=0x$((256 - Z)) unmapped=0 zeropage=$Z mapcount_sum=256->$((256 - Z)) checks=ok " \
	"split partial: summary"
expect_eq "$(( $(vmstat thp_split_page) - T0 ))" 1 "split partial: thp_split_page"
expect_eq "$(heads_tails "$PFN" 256)" 0/0 "split partial: mapped half order 0"
cleanup_helpers

# Not splittable: hugetlb, no page.
start_pages hugetlb
cmd "split pid=$PG_PID addr=$PG_ADDR"
expect_eq "$ERR" EOPNOTSUPP "split of hugetlb"
expect_match "$REPLY_TEXT" 'hugetlb folios are never split' "split of hugetlb: reason"
cleanup_helpers

# ---- migrate reason= ----------------------------------------------------------
Z=0
kernel_is_612 && Z=2
# A whole THP to node 1 through order-0 pool pages: -ENOMEM for the large
# folio.  reason=syscall: split, and the 512 pieces migrate (6.12
# migrate_pages_batch(): "if (is_large && !nosplit)" try_split_folio(); 6.1
# migrate_pages(): "if (is_thp && !nosplit)" try_split_thp()).
# reason=numa_misplaced: nosplit, the THP stays where it is, whole.
thp "reason=syscall"
SUM0=$(mem_sum "$PG_PID" "$PG_ADDR" $HP)
T0=$(vmstat thp_split_page) MS0=$(vmstat thp_migration_split) P0=$(vmstat pgmigrate_success)
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=2M node=1 dst=pool reason=syscall verify=1"
expect_eq "$ERR" "" "reason=syscall: migrate"
S=$(grep '^summary ' <<<"$REPLY_TEXT")
note "reason=syscall: $S"
# 6.12: the split maps the two zero-filled pages to the zero page (above).
expect_match "$S" " migrated=$((512 - Z)) failed=0 .* zeropage=$Z .* reason=syscall " "reason=syscall: summary"
expect_match "$(grep -m1 '^migrate ' <<<"$REPLY_TEXT")" ' order=9->0 split=1 (deferred_split=[01]->0 )?(partially_mapped=[01]->0 )?result=migrated checks=ok' \
	"reason=syscall: split, migrated"
expect_eq "$(( $(vmstat thp_split_page) - T0 ))/$(( $(vmstat thp_migration_split) - MS0 ))" 1/1 \
	"reason=syscall: thp_split_page/thp_migration_split"
expect_eq "$(( $(vmstat pgmigrate_success) - P0 ))" 512 "reason=syscall: pgmigrate_success"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
[ "$NEW" != "$PFN" ] || die "reason=syscall: pfn unchanged"
expect_eq "$(kpf "$NEW" $KPF_THP)" 0 "reason=syscall: new page not a THP"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR" $((PG_ADDR + HP - 4096)))" "1${NL}1" "reason=syscall: node"
expect_eq "$(smaps_ahp "$PG_PID" "$PG_ADDR")" 0 "reason=syscall: AnonHugePages"
expect_eq "$(mem_sum "$PG_PID" "$PG_ADDR" $HP)" "$SUM0" "reason=syscall: contents"
cleanup_helpers

thp "reason=numa_misplaced"
T0=$(vmstat thp_split_page) F0=$(vmstat thp_migration_fail) P0=$(vmstat pgmigrate_success)
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=2M node=1 dst=pool reason=numa_misplaced"
expect_eq "$ERR" "" "reason=numa_misplaced: migrate"
S=$(grep '^summary ' <<<"$REPLY_TEXT")
note "reason=numa_misplaced: $S"
expect_match "$S" " migrated=0 failed=512 .* reason=numa_misplaced allocated=0 alloc_failed=1 " \
	"reason=numa_misplaced: summary"
expect_match "$(grep -m1 '^migrate ' <<<"$REPLY_TEXT")" 'order=9->9 result=failed err=ENOMEM reason=no_memory_on_target' \
	"reason=numa_misplaced: not split, no memory"
expect_eq "$(( $(vmstat thp_split_page) - T0 ))/$(( $(vmstat thp_migration_fail) - F0 ))" 0/1 \
	"reason=numa_misplaced: thp_split_page/thp_migration_fail"
expect_eq "$(( $(vmstat pgmigrate_success) - P0 ))" 0 "reason=numa_misplaced: pgmigrate_success"
expect_eq "$(pagemap_pfn "$PG_PID" "$PG_ADDR")" "$PFN" "reason=numa_misplaced: same pfn"
expect_eq "$(kpf "$PFN" $KPF_THP)$(heads_tails "$PFN" 512)" 11/511 "reason=numa_misplaced: still a THP"
expect_eq "$(smaps_ahp "$PG_PID" "$PG_ADDR")" 2048 "reason=numa_misplaced: AnonHugePages"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 0 "reason=numa_misplaced: node"
cleanup_helpers

# A partially mapped THP under reason=numa_misplaced.  6.12: a partially
# mapped folio on the deferred split queue is split before anything else,
# whatever the reason (migrate_pages_batch(): "The rare folio on the
# deferred split list should be split now"), so its pieces migrate.  6.1
# has no such step: nosplit, -ENOMEM, the THP stays.
thp "partial numa_misplaced" --usr2 dontneed-half
zap_wait $((PG_ADDR + HP / 2)) "partial numa_misplaced: second half"
T0=$(vmstat thp_split_page)
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=1M node=1 dst=pool reason=numa_misplaced"
expect_eq "$ERR" "" "partial numa_misplaced: migrate"
S=$(grep '^summary ' <<<"$REPLY_TEXT")
note "partial numa_misplaced: $S"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
if kernel_is_612; then
	expect_match "$S" " migrated=255 failed=0 .* zeropage=1 .* reason=numa_misplaced " \
		"partial numa_misplaced (6.12): summary (page 73 zero-filled: the zero page)"
	expect_eq "$(( $(vmstat thp_split_page) - T0 ))" 1 "partial numa_misplaced (6.12): thp_split_page"
	[ "$NEW" != "$PFN" ] || die "partial numa_misplaced (6.12): pfn unchanged"
	expect_eq "$(kpf "$NEW" $KPF_THP)" 0 "partial numa_misplaced (6.12): order 0"
	expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 1 "partial numa_misplaced (6.12): node"
else
	expect_match "$S" " migrated=0 failed=256 .* reason=numa_misplaced " "partial numa_misplaced (6.1): summary"
	expect_eq "$(( $(vmstat thp_split_page) - T0 ))" 0 "partial numa_misplaced (6.1): thp_split_page"
	expect_eq "$NEW" "$PFN" "partial numa_misplaced (6.1): same pfn"
	expect_eq "$(kpf "$PFN" $KPF_THP)" 1 "partial numa_misplaced (6.1): still a THP"
	expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 0 "partial numa_misplaced (6.1): node"
fi
cleanup_helpers

# reason=longterm_pin: a split that fails with -EAGAIN (an extra reference)
# is tried again on each pass instead of ending the migration (6.12
# migrate_pages_batch(): "reason == MR_LONGTERM_PIN && ret == -EAGAIN",
# retry; 3 async + 7 sync passes; 6.1 migrate_pages(): the same in its 10
# passes).  Each failed split of a PMD-order folio counts
# thp_split_page_failed: 1 with reason=syscall, 10 with longterm_pin.
thp "reason=longterm_pin"
exec 7<>"$D/control"
echo "pin pid=$PG_PID addr=$PG_ADDR mode=get" >&7 || die "pin"
cat <&7 >/dev/null
for r in syscall longterm_pin; do
	F0=$(vmstat thp_split_page_failed)
	cmd "migrate pid=$PG_PID addr=$PG_ADDR len=2M node=1 dst=pool reason=$r"
	S=$(grep '^summary ' <<<"$REPLY_TEXT")
	note "pinned, reason=$r: $S thp_split_page_failed +$(( $(vmstat thp_split_page_failed) - F0 ))"
	n=1
	[ $r = longterm_pin ] && n=10
	expect_eq "$(( $(vmstat thp_split_page_failed) - F0 ))" $n "pinned, reason=$r: split attempts"
	expect_match "$S" " migrated=0 failed=512 .* reason=$r allocated=0 alloc_failed=$n " \
		"pinned, reason=$r: summary"
	expect_eq "$(kpf "$PFN" $KPF_THP)$(heads_tails "$PFN" 512)" 11/511 "pinned, reason=$r: still a THP"
done
exec 7>&-
cleanup_helpers

# Reasons whose migration leaves the caller work mmlab's isolation does not do.
start_pages anon
for r in demotion memory_failure; do
	cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 reason=$r"
	expect_eq "$ERR" EOPNOTSUPP "reason=$r: refused"
	expect_match "$REPLY_TEXT" "reason=\"reason=$r: migrate_pages\(\) " "reason=$r: why"
done
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 reason=compaction"
expect_match "$REPLY_TEXT" ' reason=compaction ' "reason=compaction: summary"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 1 "reason=compaction: moved"
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=0 reason=bogus"
expect_eq "$ERR" EINVAL "reason=bogus"
cleanup_helpers
unload
