# move_charge: memcg charge moves of live pages under the three policies of
# the lock_page_memcg() NAK thread, on cgroup-v1 memcg (6.1).  Each case
# checks the page's new memcg in /proc/kpagecgroup, mmlab's per-page
# result, and the exact stat deltas of source and destination (which must
# cancel out: nothing lost, nothing counted twice).  6.12 has no v1 memcg:
# EOPNOTSUPP with the reason.
. "$MMLAB_ROOT/tests/lib.sh"
load
if ! memcg_v1; then
	cmd 'move_charge pid=1 addr=0x1000 to=/B'
	expect_eq "$ERR" EOPNOTSUPP "6.12: move_charge"
	expect_match "$REPLY_TEXT" 'CONFIG_MEMCG_V1' "6.12: reason"
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
