# move_charge: memcg charge moves of live pages under the three policies of
# the lock_page_memcg() NAK thread, on cgroup-v1 memcg (6.1).  Each case
# checks the page's new memcg in /proc/kpagecgroup, mmlab's per-page
# result, and the exact stat deltas of source and destination (which must
# cancel out: nothing lost, nothing counted twice).  Large folios: scan's
# prediction of the kernel's mover, move_charge, and the kernel's own mover
# (docs/move_charge.md#large-folios).  6.12 has no v1 memcg: EOPNOTSUPP
# with the reason, and scan predicts no mover.
. "$MMLAB_ROOT/tests/lib.sh"
load
if ! memcg_v1; then
	cmd 'move_charge pid=1 addr=0x1000 to=/B'
	expect_eq "$ERR" EOPNOTSUPP "6.12: move_charge"
	expect_match "$REPLY_TEXT" 'CONFIG_MEMCG_V1' "6.12: reason"
	# No mover: scan predicts nothing for a large folio.
	start_pages pte-thp
	cmd "scan pid=$PG_PID addr=$PG_ADDR len=2M"
	expect_match "$REPLY_TEXT" '^summary op=scan .* large_folios=1 mover=none ok=yes$' "6.12: scan, no mover"
	expect_eq "$(grep -c '^folio ' <<<"$REPLY_TEXT")" 0 "6.12: no mover prediction"
	cleanup_helpers
	unload
	exit 0
fi
CG=/tmp/mmlab-memcg
mkdir -p "$CG"
mount_memcg_v1 "$CG"
setup_ext4
setup_swap
for g in A B C; do rmdir "$CG/$g" 2>/dev/null; mkdir "$CG/$g" || die "mkdir $g"; done
start_pages anon	# the helper's binary and libraries cached, charged to the root
cleanup_helpers

# in_a KIND ARGS...: start the page helper inside memcg A.
in_a() {
	echo $$ >"$CG/A/cgroup.procs"
	start_pages "$@"
	echo $$ >"$CG/cgroup.procs"
}
# mc ADDR POLICY: move_charge of one page to /B; sets M (page line), S (summary).
mc() {
	cmd "move_charge pid=$PG_PID addr=$1 to=/B policy=$2"
	expect_eq "$ERR" "" "move_charge $1 policy=$2"
	M=$(grep '^move_charge ' <<<"$REPLY_TEXT")
	S=$(grep '^summary ' <<<"$REPLY_TEXT")
	note "$2: $M"
}
# deltas NAME EXPECTED: "src/dst" deltas of the stats named, e.g. anon usage.
deltas() {
	local n out=""
	for n in "${@:2}"; do out+="$(field "src_$n" "$S")/$(field "dst_$n" "$S") "; done
	printf '%s\n' "${out% }"
}
# balanced: every stat moved from source to destination, none lost or doubled.
balanced() {
	local n
	for n in anon file file_mapped shmem file_dirty writeback usage; do
		[ $(( $(field "src_$n" "$S") + $(field "dst_$n" "$S") )) = 0 ] ||
			die "$1: $n does not balance: $S"
	done
}
memcg_of() { # PFN: the memcg directory name the page is charged to
	local ino g
	ino=$(u64 /proc/kpagecgroup "$1")
	for g in A B C; do [ "$(stat -c %i "$CG/$g")" = "$ino" ] && { echo "$g"; return; }; done
	echo "?"
}
zap_second() { zap_wait $((PG_ADDR + 4096)) "second page"; } # of the helper's 2

# A present anon page: anon and usage move by exactly one page.
in_a anon
PFN=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
mc "$PG_ADDR" kernel
expect_match "$M" 'pte=present .* mapped=1 mapcount=1 result=moved' "anon: moved"
expect_eq "$(deltas x anon usage file_mapped)" "-1/+1 -1/+1 +0/+0" "anon: deltas"
balanced anon
expect_eq "$(memcg_of "$PFN")" B "anon: kpagecgroup"
cleanup_helpers

# A mapped file page (ext4): file and file_mapped move.
in_a file --file "$EXT4/mc-mapped"
mc "$PG_ADDR" kernel
expect_match "$M" 'pte=present .* mapped=1 mapcount=1 result=moved' "file: moved"
expect_eq "$(deltas x file file_mapped anon usage)" "-1/+1 -1/+1 +0/+0 -1/+1" "file: deltas"
balanced file
cleanup_helpers

# A page-cache page behind an empty pte that nobody maps: present refuses
# it; kernel moves it, unmapped (move_charge_unmapped +1, file_mapped
# unchanged).
in_a file --file "$EXT4/mc-unmapped" --len 8192 --usr2 dontneed-half
PFN=$(pagemap_pfn "$PG_PID" $((PG_ADDR + 4096)))
zap_second
mc $((PG_ADDR + 4096)) present
expect_match "$M" 'pte=file .* result=skipped reason=policy' "unmapped file: present skips"
expect_eq "$(memcg_of "$PFN")" A "unmapped file: still in A"
counterv U0 move_charge_unmapped
mc $((PG_ADDR + 4096)) kernel
expect_match "$M" 'pte=file .* mapped=0 mapcount=0 result=moved' "unmapped file: kernel moves"
expect_eq "$(counter move_charge_unmapped)" $((U0 + 1)) "unmapped file: move_charge_unmapped"
expect_eq "$(deltas x file file_mapped usage)" "-1/+1 +0/+0 -1/+1" "unmapped file: deltas"
balanced "unmapped file"
expect_eq "$(memcg_of "$PFN")" B "unmapped file: kpagecgroup"
cleanup_helpers

# The same, but a process in memcg C maps the page: skip-mapped refuses it;
# kernel moves it, and its file_mapped goes with it although the moving
# task does not map it (the case of the NAK).
in_a file --file "$EXT4/mc-elsewhere" --len 8192 --children 1 --usr2 dontneed-half
echo "$PG_CHILDREN" >"$CG/C/cgroup.procs"
zap_second
mc $((PG_ADDR + 4096)) skip-mapped
expect_match "$M" 'pte=file .* result=skipped reason=mapped_elsewhere' "mapped elsewhere: skip-mapped refuses"
mc $((PG_ADDR + 4096)) kernel
expect_match "$M" 'pte=file .* mapped=1 mapcount=1 result=moved' "mapped elsewhere: kernel moves"
expect_eq "$(deltas x file file_mapped)" "-1/+1 -1/+1" "mapped elsewhere: file_mapped moves too"
balanced "mapped elsewhere"
cleanup_helpers

# A swapcache page behind a swap pte, unmapped: the child that swapped it
# back in has exited; the parent's pte is still a swap entry.  present
# skips it; skip-mapped and kernel move it.
for policy in skip-mapped kernel; do
	in_a swap --children 1
	[ "$(pagemap_swapped "$PG_PID" "$PG_ADDR")" = 1 ] || die "swapcache: parent pte not a swap entry"
	PFN=$(pagemap_pfn "$PG_CHILDREN" "$PG_ADDR")
	kill "$PG_CHILDREN"	# a zombie until the helper ends: wait for the unmap
	for _ in $(seq 1 50); do [ "$(kpagecount "$PFN")" = 0 ] && break; sleep 0.1; done
	expect_eq "$(kpagecount "$PFN")" 0 "swapcache: unmapped once the child is gone"
	[ "$(kpf "$PFN" "$KPF_SWAPCACHE")" = 1 ] || die "swapcache: page left the swap cache"
	mc "$PG_ADDR" present
	expect_match "$M" 'pte=swap .* result=skipped reason=policy' "swapcache: present skips"
	mc "$PG_ADDR" "$policy"
	expect_match "$M" 'pte=swap .* mapped=0 mapcount=0 result=moved' "swapcache: $policy moves"
	expect_eq "$(deltas x anon usage)" "+0/+0 -1/+1" "swapcache ($policy): deltas"
	balanced "swapcache ($policy)"
	expect_eq "$(memcg_of "$PFN")" B "swapcache ($policy): kpagecgroup"
	cleanup_helpers
done

# A hugetlbfs file of two huge pages, the second zapped (still in the page
# cache).  The kernel's mover never looks into a hugetlb vma (its page-table
# walk has no hugetlb_entry): every page, present or behind an empty pte,
# is skipped with reason=hugetlb_vma, and nothing moves: B's
# memory.usage_in_bytes and both huge pages' /proc/kpagecgroup unchanged.
# (mmlab used to call the present page pte=none no_page and look the other
# up in the page cache: pte=file not_charged_to_source.)
setup_hugetlb 2
HTLB=/tmp/mmlab-hugetlbfs
mkdir -p "$HTLB"
mountpoint -q "$HTLB" || mount -t hugetlbfs none "$HTLB" || die "mount hugetlbfs"
in_a hugetlbfs --file "$HTLB/mc" --len $((4 << 20)) --usr2 dontneed-half
H0=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
H1=$(pagemap_pfn "$PG_PID" $((PG_ADDR + (2 << 20))))
if [ -z "$H0" ] || [ -z "$H1" ]; then die "hugetlbfs: pages not present"; fi
expect_eq "$(kpf "$H1" $KPF_HUGE)" 1 "hugetlbfs: KPF_HUGE"
C0=$(u64 /proc/kpagecgroup "$H0") C1=$(u64 /proc/kpagecgroup "$H1")
zap_wait $((PG_ADDR + (2 << 20))) "hugetlbfs: second huge page"
UB=$(<"$CG/B/memory.usage_in_bytes")
for off in $((2 << 20)) 0; do
	cmd "move_charge pid=$PG_PID addr=$((PG_ADDR + off)) len=8K to=/B"
	expect_eq "$ERR" "" "hugetlbfs +$off: move_charge"
	note "hugetlbfs +$off (pfns $(printf "0x%x 0x%x" "$H0" "$H1")): $REPLY_TEXT"
	expect_eq "$(grep -c '^move_charge .* pte=hugetlb result=skipped reason=hugetlb_vma$' <<<"$REPLY_TEXT")" 2 \
		"hugetlbfs +$off: both pages skipped as hugetlb"
	expect_match "$REPLY_TEXT" '^summary .* pages=2 moved=0 skipped=2 ' "hugetlbfs +$off: summary"
done
expect_eq "$(<"$CG/B/memory.usage_in_bytes")" "$UB" "hugetlbfs: B's usage unchanged"
expect_eq "$(u64 /proc/kpagecgroup "$H0")/$(u64 /proc/kpagecgroup "$H1")" "$C0/$C1" "hugetlbfs: kpagecgroup unchanged"
cleanup_helpers
rm -f "$HTLB/mc"
umount "$HTLB"

# Large folios.  The kernel's mover skips a PTE-mapped large folio
# (mem_cgroup_move_charge_pte_range(): "a part of the split pmd ... keep it
# in original memcg"), moves a PMD-mapped THP whole, and since 6.12 first
# splits a PMD THP on the deferred-split queue (6.12 queues every new one
# while shrink_underused is 1).  scan predicts it per folio; move_charge
# skips alike; then the kernel's own mover (move_charge_at_immigrate=1, the
# helper moved to B) is the proof: /proc/kpagecgroup of all 512 pfns,
# /proc/kpageflags (split or not), A's memory.stat and B's usage.
# kpcg PFN: /proc/kpagecgroup of the 512 pages from PFN, as runs of memcg
# names ("0-511:A"; 0: no memcg).  whole DIR: what a large folio charged to
# DIR reads: 6.12 asks each page's folio (page_cgroup_ino() ->
# folio_memcg_check(page_folio())); 6.1 each page's own memcg_data, which
# only the head page of a large folio has: its 511 tail pages read 0.
kpcg() {
	local c s=0 i=0 out="" prev="" n
	local -A name=([0]=0)
	for n in A B C; do name[$(stat -c %i "$CG/$n")]=$n; done
	while read -r c; do
		c=${name[$c]:-?}
		if [ "$i" -gt 0 ] && [ "$c" != "$prev" ]; then
			out+="${out:+,}$s$( ((i - 1 > s)) && echo "-$((i - 1))"):$prev"
			s=$i
		fi
		prev=$c i=$((i + 1))
	done < <("$PEEK" /proc/kpagecgroup "$1" 512)
	echo "${out:+$out,}$s-$((i - 1)):$prev"
}
whole() { if kernel_is_612; then echo "0-511:$1"; else echo "0:$1,1-511:0"; fi; }
SPLITS=0
kernel_is_612 && [ "$(cat /sys/kernel/mm/transparent_hugepage/shrink_underused)" = 1 ] && SPLITS=1
for kind in pte-thp thp; do
	in_a "$kind"
	mapfile -t PFNS < <(pagemap_pfns "$PG_PID" "$PG_ADDR" 512)
	expect_eq "${PFNS[511]}" $((PFNS[0] + 511)) "$kind: one folio (pagemap)"
	cmd "scan pid=$PG_PID addr=$PG_ADDR len=2M"
	F=$(grep '^folio ' <<<"$REPLY_TEXT")
	SS=$(grep '^summary ' <<<"$REPLY_TEXT")
	note "$kind: $F"
	cmd "move_charge pid=$PG_PID addr=$PG_ADDR len=2M to=/B"
	M=$(grep '^move_charge ' <<<"$REPLY_TEXT")
	S=$(grep '^summary ' <<<"$REPLY_TEXT")
	note "$kind: $M"
	if [ "$kind" = pte-thp ]; then
		expect_match "$F" "^folio .* order=9 map=pte pages=512 mover=skip reason=pte_mapped_large_folio$" "$kind: scan predicts a skip"
		expect_match "$SS" " large_folios=1 mover_skip=1 mover_split=0 " "$kind: scan summary"
		expect_eq "$M" "move_charge addr=$PG_ADDR pte=present pfn=$(printf 0x%x "${PFNS[0]}") order=9 folio_pages=512 result=skipped reason=pte_mapped_large_folio" \
			"$kind: move_charge skips the folio"
		expect_eq "$(deltas x anon usage)" "+0/+0 +0/+0" "$kind: deltas"
		expect_eq "$(kpcg "${PFNS[0]}")" "$(whole A)" "$kind: kpagecgroup: still in A"
	elif [ "$SPLITS" = 1 ]; then
		expect_match "$F" "^folio .* order=9 map=pmd pages=512 mover=split reason=deferred_split$" "$kind: scan predicts a split"
		expect_match "$M" " order=9 folio_pages=512 result=skipped reason=deferred_split$" "$kind: move_charge refuses a queued THP"
		expect_eq "$(kpcg "${PFNS[0]}")" "$(whole A)" "$kind: kpagecgroup: still in A"
	else
		expect_match "$F" "^folio .* order=9 map=pmd pages=512 mover=move$" "$kind: scan predicts a whole move"
		expect_match "$M" " order=9 folio_pages=512 mapped=1 mapcount=1 result=moved$" "$kind: move_charge moves it whole"
		expect_eq "$(deltas x anon usage)" "-512/+512 -512/+512" "$kind: deltas"
		balanced "$kind"
		expect_eq "$(kpcg "${PFNS[0]}")" "$(whole B)" "$kind: kpagecgroup: in B"
	fi
	cleanup_helpers
done
# khugepaged would collapse the mover's split pieces (the zero pages
# included: they count as none ptes) into a new THP within seconds on the
# lab kernel (a make check run: page 73 no longer the zero page, its old
# pfn freed): it sleeps an hour between scans from here, as in 28.
khugepaged_sleep
# The kernel's mover, on a fresh pair.  A keeps the PTE-mapped THP
# (kpagecgroup, and memory.stat rss of at least 2 MiB); the PMD THP goes
# to B, whole (6.1) or split first (6.12).
declare -A HP FOLIO
for kind in pte-thp thp; do
	in_a "$kind"
	HP[$kind]=$PG_PID
	FOLIO[$kind]=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
done
THP_ADDR=$PG_ADDR
echo 1 >"$CG/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate=1"
echo "${HP[pte-thp]}" >"$CG/B/cgroup.procs" || die "move pte-thp's helper to B"
expect_eq "$(kpcg "${FOLIO[pte-thp]}")" "$(whole A)" "kernel mover: the PTE-mapped THP stays in A (kpagecgroup)"
expect_eq "$(kpf "${FOLIO[pte-thp]}" "$KPF_THP")" 1 "kernel mover: and stays one THP"
RSS=$(kv rss "$CG/A/memory.stat")
[ "$RSS" -ge $((4 << 20)) ] || die "kernel mover: A's memory.stat rss $RSS < 4 MiB (both THPs)"
U0=$(<"$CG/B/memory.usage_in_bytes")
echo "${HP[thp]}" >"$CG/B/cgroup.procs" || die "move thp's helper to B"
if [ "$SPLITS" = 1 ]; then
	# Split to order 0, the THP's two zero-filled pages (the helper fills
	# page i with i * 7 + 1: 73 and 329) were remapped to the shared zero
	# page and freed (no memcg), as 28_split_reason sees; the rest in B.
	# The two freed pfns may be anyone's by now ('?': another memcg).
	expect_match "$(kpcg "${FOLIO[thp]}")" '^0-72:B,73:[0?],74-328:B,329:[0?],330-511:B$' \
		"kernel mover: the PMD THP split, its pages in B (kpagecgroup)"
	Z73=$(pagemap_pfn "${HP[thp]}" $((THP_ADDR + 73 * 4096)))
	note "kernel mover: page 73: pagemap entry $(u64 "/proc/${HP[thp]}/pagemap" $((THP_ADDR / 4096 + 73))), pfn '$Z73'"
	expect_eq "$(kpf "$Z73" "$KPF_ZERO_PAGE")" 1 "kernel mover: page 73 now the zero page"
else
	expect_eq "$(kpcg "${FOLIO[thp]}")" "$(whole B)" "kernel mover: the PMD THP in B, whole (kpagecgroup)"
fi
expect_eq "$(kpf "${FOLIO[thp]}" "$KPF_THP")" $((1 - SPLITS)) "kernel mover: KPF_THP (split first: $SPLITS)"
U1=$(<"$CG/B/memory.usage_in_bytes")
[ $((U1 - U0)) -ge $((2 << 20)) ] || die "kernel mover: B's usage grew by $((U1 - U0)) < 2 MiB"
RSS=$(kv rss "$CG/A/memory.stat")
note "kernel mover: A rss $RSS, B usage $U0 -> $U1"
if [ "$RSS" -lt $((2 << 20)) ] || [ "$RSS" -ge $((4 << 20)) ]; then
	die "kernel mover: A's rss $RSS: not just the PTE-mapped THP"
fi
echo 0 >"$CG/B/memory.move_charge_at_immigrate"
cleanup_helpers

# Refusals.
in_a anon
cmd "move_charge pid=$PG_PID addr=$PG_ADDR to=/nonexistent"
expect_eq "$ERR" ENOENT "no such memcg"
cmd "move_charge pid=$PG_PID addr=$PG_ADDR to=/A"
expect_eq "$ERR" EINVAL "destination is the source"
# A removed memcg that its page cache keeps alive (v1 does not reparent it).
mkdir "$CG/D" || die "mkdir D"
echo $$ >"$CG/D/cgroup.procs"
echo zombie >"$EXT4/mc-zombie" || die "write in D"
echo $$ >"$CG/cgroup.procs"
rmdir "$CG/D" || die "rmdir D"
cmd "move_charge pid=$PG_PID addr=$PG_ADDR to=/D"
expect_eq "$ERR" EBUSY "memcg being removed"
expect_match "$REPLY_TEXT" 'being removed' "memcg being removed: reason"
cleanup_helpers

# No leaked charge keeps the memcgs alive.
rmdir "$CG/A" "$CG/B" "$CG/C" || die "rmdir memcgs"
unload
