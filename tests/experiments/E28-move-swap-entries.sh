# E28: swap-only entries (no swap-cache page) move their swap charge
# seed: S000
# setup: v1 memcgs A, B (memsw accounting on: memory.memsw.* exist); T in A writes 64 anon pages,
#        pages them out, then A is reclaimed (memory.force_empty) so that no swap-cache page is left
# op: move T to B with move_charge_at_immigrate=1; then T back to A with A's move_charge_at_immigrate=0
#     and T reads the 64 pages
# cgroup: v1
# expect 6.1: available=yes memsw_files=yes region_swapped=64 move_account_unmapped=0 swap_moved>=64 swap_cgroup_cmpxchg_minus_moved=0 usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 memsw_minus_usage_a_plus_swap=0 swap_stat_b_minus_moved=0 swap_stat_balance=0 swapin_memcg_b=64
# expect 6.12: available=no v1_mount=refused move_charge_err=EOPNOTSUPP mover_watch=no
# As on 6.1 (lab 6.12, 2026-12-02: swap_moved=90).
# expect lab: available=yes memsw_files=yes region_swapped=64 move_account_unmapped=0 swap_moved>=64 swap_cgroup_cmpxchg_minus_moved=0 usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 memsw_minus_usage_a_plus_swap=0 swap_stat_b_minus_moved=0 swap_stat_balance=0 swapin_memcg_b=64
# As the catalogue says: MC_TARGET_SWAP -> swap_cgroup_cmpxchg() for each
# swap-only entry (swap_moved = its hits = B's memsw rise minus its usage
# rise), memsw and the `swap` stat move A -> B, usage does not move for
# them (A's usage drops only by the pages mem_cgroup_move_account moved).
# The swap record itself moved: read back while T is in A again, the 64
# pages are charged to B, the memcg the record names.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
v1_or_unavailable
obs memsw_files "$([ -f "$V1/A/memory.memsw.usage_in_bytes" ] && echo yes || echo no)"
setup_swap
warm_task
probes_on @memcg swap_cgroup_cmpxchg
task_start "$V1/A"
task anon 64; P=$R_ADDR
task pageout 0
# Reclaim A: the pages written to swap leave the swap cache.  T sleeps on
# its pipe meanwhile (its other pages go to swap too, some maybe still in
# the swap cache: those move as pages).
echo 0 >"$V1/A/memory.force_empty"; sleep 0.5; echo 0 >"$V1/A/memory.force_empty"
mapfile -t E < <("$PEEK" "/proc/$TASK_PID/pagemap" $((P / 4096)) 64)
n=0; for e in "${E[@]}"; do [ $(( (e >> 62) & 1 )) = 1 ] && n=$((n + 1)); done
obs region_swapped "$n"
note "$(grep SwapCached /proc/meminfo)"
echo 1 >"$V1/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate"
settle "$V1/A" "$V1/B"
declare -A S0
for g in A B; do
	S0[${g}swap]=$(mstat "$V1/$g" swap)
	S0[${g}usage]=$(<"$V1/$g/memory.usage_in_bytes"); S0[${g}memsw]=$(<"$V1/$g/memory.memsw.usage_in_bytes")
done
u() { echo $(( ($(<"$V1/$1/memory.$3") - S0[$1$2]) / 4096 )); }
probes_snap
counterv C0 memcg_move_account_calls
echo "$TASK_PID" >"$V1/B/cgroup.procs" || die "move T to B"
CALLS=$(( $(counter memcg_move_account_calls) - C0 ))
UB=$(u B usage usage_in_bytes); MB=$(u B memsw memsw.usage_in_bytes)
SW=$(( MB - UB ))
note "calls $CALLS; usage A $(u A usage usage_in_bytes) B $UB; memsw A $(u A memsw memsw.usage_in_bytes) B $MB"
obs move_account_unmapped "$(probe_d mem_cgroup_move_account unmapped)"
obs swap_moved "$SW"
obs swap_cgroup_cmpxchg_minus_moved $(( $(probe_d swap_cgroup_cmpxchg hits) - SW ))
# Per-CPU charge stocks (batches of 64) blur usage and memsw alike by up
# to 64 pages per CPU (B keeps one, A loses its own): memsw minus usage is exact.
obs usage_a_drop_minus_calls $(( -$(u A usage usage_in_bytes) - CALLS ))
obs memsw_minus_usage_a_plus_swap $(( $(u A memsw memsw.usage_in_bytes) - $(u A usage usage_in_bytes) + SW ))
settle "$V1/A" "$V1/B"
sd() { echo $(( ($(mstat "$V1/$1" swap) - S0[${1}swap]) / 4096 )); }
note "swap stat A $(sd A) B $(sd B) (pages)"
obs swap_stat_b_minus_moved $(( $(sd B) - SW ))
obs swap_stat_balance $(( $(sd A) + $(sd B) ))
# Back to A without moving charges; the swap-in charges the recorded memcg.
echo 0 >"$V1/A/memory.move_charge_at_immigrate"
echo "$TASK_PID" >"$V1/A/cgroup.procs" || die "move T back to A"
task read 0
obs swapin_memcg_b "$(count_in /B "$TASK_PID" "$P" 64)"
task_stop
v1_done
