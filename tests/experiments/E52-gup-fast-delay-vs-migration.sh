# E52: GUP-fast held up between its PTE read and its reference (a delay injected there) while the page migrates: can its reference land between unmap and the refcount freeze?
# seed: S004 (Wilcox: "if someone is using get_user_pages_fast(), they may still be able to see the page"); issue 22
# setup: one written private anon page (helper gup_waker); its second thread loops on a shared futex(FUTEX_WAKE) at the page, so get_futex_key() calls get_user_pages_fast() on it without end
# op: migrate it 0->1->0... six times with trace=1, first with nothing injected, then with inject at=gup_fast_grab delay_us=10000 count=0 scope=pid pid=<the helper>; per run, the timeline's gaps isolated->unmap and unmap->move, the move steps' return codes, vmstat
# expect: plain_migrated=6 delayed_migrated=6 plain_fail=0 delayed_fail=0 delayed_move_eagain=0 delayed_moves=6 delayed_grab_fired>0 plain_unmap_waits<=1 plain_move_waits<=1
# expect 6.1: delayed_unmap_waits>=5 delayed_move_waits=0
# expect 6.12: delayed_move_waits>=4 delayed_unmap_waits<=1
# predict: delayed_move_eagain=0 delayed_fail=0
# predict 6.1: delayed_unmap_waits>=5
# predict 6.12: delayed_move_waits>=4
# A "wait" is a gap of 5 ms or more (the delay is 10 ms; the plain gaps
# are well under 1 ms once warm).  Predicted from the source before the
# first run: GUP-fast runs with interrupts off, and the migrating CPU
# cannot finish the TLB flush of its unmap until every CPU running the mm
# has taken the flush IPI.  A GUP-fast that read the PTE before the unmap
# therefore finishes first: it takes its reference, sees the PTE changed,
# drops it and falls back to the slow path (which waits on the migration
# entry).  Its reference cannot land between the unmap and the refcount
# check on x86 with native TLB-flush IPIs: the delay shows as the
# migrating CPU's wait, never as an -EAGAIN.  Where the wait sits differs:
# 6.1's try_to_migrate_one() flushes with ptep_clear_flush() (the wait is
# inside the unmap step); 6.12's migrate_pages_sync() first runs the batch
# async with TTU_BATCH_FLUSH and flushes once in try_to_unmap_flush()
# after the unmaps (the wait is between the unmap and the move step).
# Measured: as predicted on both kernels (6.1: six waits of 9.5-10 ms in
# isolated->unmap; 6.12: waits of 9.7-14 ms in unmap->move).  Wilcox's
# transient reference is real where the flush sends no IPI to the
# GUP-fast CPU (arm64's broadcast TLBI; a preempted vCPU under KVM's
# paravirt flush): neither happens in this x86 TCG guest.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
start_helper "$MMLAB_ROOT/build/tests/gup_waker"
RUNS=6
# A first migration off the record: the first one of a boot is slower
# (14 ms in isolated->unmap once on 6.1, with nothing injected).
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1"
# step_t TEXT WHAT [N]: t_us of the Nth (default first) step WHAT.
step_t() {
	local l n=0
	while read -r l; do
		[[ $l == "step "*" what=$2 "* ]] || continue
		n=$((n + 1))
		[ "$n" = "${3:-1}" ] && { field t_us "$l"; return; }
	done <<<"$1"
}
phase() { # NAME
	local i node gu gm wu=0 wm=0 mu=0 mm=0 ok=0 again=0 moves=0
	vm_snap pgmigrate_success pgmigrate_fail
	for i in $(seq 1 "$RUNS"); do
		node=$(((i + 1) % 2))
		cmd "migrate pid=$PG_PID addr=$PG_ADDR node=$node trace=1"
		[ "$(field result "$(mig_line "$REPLY_TEXT")")" = migrated ] && ok=$((ok + 1))
		[ "$(node_of "$PG_PID" "$PG_ADDR")" = "$node" ] || note "run $i: node $(node_of "$PG_PID" "$PG_ADDR")"
		again=$((again + $(tl_count "$REPLY_TEXT" move EAGAIN)))
		moves=$((moves + $(tl_count "$REPLY_TEXT" move)))
		gu=$(( $(step_t "$REPLY_TEXT" unmap) - $(step_t "$REPLY_TEXT" isolated) ))
		gm=$(( $(step_t "$REPLY_TEXT" move) - $(step_t "$REPLY_TEXT" unmap) ))
		note "$1 run $i: isolated->unmap ${gu} us, unmap->move ${gm} us"
		[ "$gu" -ge 5000 ] && wu=$((wu + 1))
		[ "$gm" -ge 5000 ] && wm=$((wm + 1))
		[ "$gu" -gt "$mu" ] && mu=$gu
		[ "$gm" -gt "$mm" ] && mm=$gm
	done
	obs "$1_migrated" "$ok"
	obs "$1_moves" "$moves"
	obs "$1_move_eagain" "$again"
	obs "$1_unmap_waits" "$wu"
	obs "$1_move_waits" "$wm"
	obs "$1_unmap_gap_max_us" "$mu"
	obs "$1_move_gap_max_us" "$mm"
	obs "$1_success" "$(vm_delta pgmigrate_success)"
	obs "$1_fail" "$(vm_delta pgmigrate_fail)"
}
phase plain
exec 7<>"$D/control"
inject_on "at=gup_fast_grab delay_us=10000 count=0 scope=pid pid=$PG_PID"
phase delayed
inject_obs delayed_grab
echo "uninject" >&7 && cat <&7 >/dev/null
exec 7>&-
