# The kernel's own cgroup-v1 charge mover, watched: mmlab's kprobe on
# mem_cgroup_move_account() counts every call and the ones handed a folio
# that nobody maps (design section 5, issue 5).  A process whose file pages
# are half mapped, half only in the page cache behind empty ptes of its
# file vma, moves from memcg A to B with move_charge_at_immigrate=3: the
# mover takes the unmapped half too (get_mctgt_type() -> mc_handle_file_pte),
# which is the case the lock_page_memcg() NAK is about; the `memcg` probe
# set reports the same calls (hits, unmapped at entry, returns).  With =1
# (anon only) it takes none of them.  6.12 has no cgroup-v1 memcg: no mover.
. "$MMLAB_ROOT/tests/lib.sh"
load
F=$(<"$D/features")
expect_eq "$(counter memcg_move_account_calls)/$(counter memcg_move_account_unmapped)" 0/0 "counters start at 0"
CG=/tmp/mmlab-memcg
mkdir -p "$CG"

if ! memcg_v1; then
	expect_match "$F" '^memcg_mover_watch no reason=".*CONFIG_MEMCG_V1.*"$' "6.12: no mover to watch"
	# Evidence: the v1 memory controller cannot be mounted at all.
	mount -t cgroup -o memory memory "$CG" 2>/dev/null && die "6.12 mounted a v1 memory hierarchy"
	unload
	exit 0
fi

expect_match "$F" '^memcg_mover_watch yes$' "6.1: watching the mover"
if ! mountpoint -q "$CG"; then
	# First test of the boot to mount it: until then the memory controller
	# sits on the (unmounted) cgroup-v2 hierarchy, which has no mover.
	cmd "move_charge pid=$$ addr=0x1000 to=/A"
	expect_eq "$ERR" EOPNOTSUPP "move_charge without a v1 hierarchy"
	expect_match "$REPLY_TEXT" 'no cgroup-v1 memory hierarchy is mounted' "no v1 hierarchy: reason"
	mount_memcg_v1 "$CG"
fi
setup_ext4
NPAGES=16 HALF=8

# Page cache of the helper's binary and libraries, charged to the root
# memcg, so that the only unmapped pages charged to A are the test's own.
start_pages anon
cleanup_helpers

# mover_run IMMIGRATE: a helper in A with NPAGES file pages (written by it,
# so charged to A), all mapped, then the second half zapped; moved to B.
# Sets PFNS (the file pages), DCALLS and DUNMAPPED (the counter deltas).
mover_run() {
	local c0 u0
	rmdir "$CG/A" "$CG/B" 2>/dev/null
	mkdir "$CG/A" "$CG/B" || die "mkdir memcgs"
	echo "$1" >"$CG/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate=$1"
	echo $$ >"$CG/A/cgroup.procs"
	start_pages file --file "$EXT4/mover-$1" --len $((NPAGES * 4096)) --usr2 dontneed-half
	echo $$ >"$CG/cgroup.procs"
	mapfile -t PFNS < <(pagemap_pfns "$PG_PID" "$PG_ADDR" "$NPAGES")
	zap_wait $((PG_ADDR + (NPAGES - 1) * 4096)) "second half"
	counterv c0 memcg_move_account_calls; counterv u0 memcg_move_account_unmapped
	echo "$PG_PID" >"$CG/B/cgroup.procs" || die "move the helper to B"
	DCALLS=$(( $(counter memcg_move_account_calls) - c0 ))
	DUNMAPPED=$(( $(counter memcg_move_account_unmapped) - u0 ))
	note "move_charge_at_immigrate=$1: mem_cgroup_move_account calls +$DCALLS, unmapped +$DUNMAPPED"
}
# charged_to DIR FIRST COUNT: how many of PFNS[FIRST..FIRST+COUNT) belong to memcg DIR.
charged_to() {
	local ino i n=0
	ino=$(stat -c %i "$1")
	for ((i = $2; i < $2 + $3; i++)); do
		[ "$(u64 /proc/kpagecgroup "${PFNS[i]}")" = "$ino" ] && n=$((n + 1))
	done
	echo "$n"
}

# =3 (anon and file): every file page moves, the unmapped half included.
# The memcg probe set sees the same from its kretprobe's entry test.
echo "+@memcg" >"$D/probes" || die "attach @memcg"
mover_run 3
L=$(pline mem_cgroup_move_account)
note "$L"
expect_eq "$(field hits "$L")/$(field unmapped "$L")/$(field ret_0 "$L")" "$DCALLS/$HALF/$DCALLS" \
	"=3: @memcg probe: every call returned 0, the $HALF unmapped ones flagged at entry"
echo "-@memcg" >"$D/probes" || die "detach @memcg"
expect_eq "$(charged_to "$CG/B" 0 $HALF)" $HALF "=3: mapped file pages now in B"
expect_eq "$(charged_to "$CG/B" $HALF $HALF)" $HALF "=3: unmapped page-cache pages now in B"
expect_eq "$DUNMAPPED" $HALF "=3: the mover was handed exactly the $HALF unmapped pages unmapped"
[ "$DCALLS" -ge $NPAGES ] || die "=3: only $DCALLS calls for $NPAGES file pages and the anon pages"
cleanup_helpers

# =1 (anon only): no file page moves, none is handed over unmapped.
mover_run 1
expect_eq "$(charged_to "$CG/A" 0 $NPAGES)" $NPAGES "=1: file pages stay in A"
expect_eq "$DUNMAPPED" 0 "=1: nothing unmapped handed over"
[ "$DCALLS" -ge 1 ] || die "=1: the helper's anon pages did not move"
cleanup_helpers

# Nothing keeps the memcgs alive.
rmdir "$CG/A" "$CG/B" || die "rmdir memcgs"
unload
