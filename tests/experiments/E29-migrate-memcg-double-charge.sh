# E29: THP migration charges the new folio before the old is freed (6.1) vs transfers memcg data (6.12)
# seed: S001 l.162-174; S003 4/12
# setup: cgroup v2 memcg X (fresh); task T in X writes 256 anon pages, then one 2 MiB THP
# op: mmlab migrate of the THP to the other node; read memory.peak and memory.current;
#     variant: memory.max = memory.current, then migrate it back
# expect: thp_order=9 result=migrated new_node_ok=1 current_change_pages=0 mem_cgroup_migrate=1 tight_result=migrated tight_current_change_pages=0 tight_oom=0 tight_oom_kill=0
# expect 6.1: peak_over_steady_pages>=448 mem_cgroup_replace_folio=missing
# expect 6.12: peak_over_steady_pages<=64 mem_cgroup_replace_folio=0
# predict 6.1: tight_result=migrated tight_oom_kill=0
# The steady state is memory.current just before the migration, in a fresh
# memcg that only grew (memory.peak exists on 6.1 too, read-only there).
# 6.1's mem_cgroup_migrate() force-charges the new THP (512 pages) while
# the old one is still charged, so the peak goes 512 pages above it (less
# any per-CPU stock of at most 64 pages drained meanwhile: >= 448); 6.12
# moves memcg_data and charges nothing.  Either way memory.current ends
# where it began, and a memory.max at the current usage makes no
# difference: the forced charge on 6.1 ignores the limit, no OOM.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
load
v2_setup
mkdir "$V2/X" || die "mkdir X"
warm_task
probes_on mem_cgroup_migrate mem_cgroup_replace_folio __mem_cgroup_uncharge
task_start "$V2/X"
task anon 256
task thp; P=$R_ADDR
cmd "inspect pid=$TASK_PID addr=$P"
obs thp_order "$(field order "$REPLY_TEXT")"
fieldv N0 nid "$REPLY_TEXT"
cur() { echo $(( $(<"$V2/X/memory.current") / 4096 )); }
C0=$(cur); P0=$(( $(<"$V2/X/memory.peak") / 4096 ))
note "before: current $C0 peak $P0 pages, THP on node $N0"
probes_snap
cmd "migrate pid=$TASK_PID addr=$P node=$((1 - N0))"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs new_node_ok "$([ "$(field new_nid "$M")" = $((1 - N0)) ] && echo 1 || echo 0)"
C1=$(cur); P1=$(( $(<"$V2/X/memory.peak") / 4096 ))
note "after: current $C1 peak $P1 pages"
obs peak_over_steady_pages $(( P1 - C0 ))
obs current_change_pages $(( C1 - C0 ))
obs mem_cgroup_migrate "$(probe_d mem_cgroup_migrate mmlab)"
R=$(pline mem_cgroup_replace_folio)
if [ -z "$R" ] || [[ $R == *missing=1* ]]; then
	obs mem_cgroup_replace_folio missing
else
	obs mem_cgroup_replace_folio "$(probe_d mem_cgroup_replace_folio hits)"
fi
note "$(pline __mem_cgroup_uncharge)"

# Variant: no room at all above the current usage.
ev() { kv "$1" "$V2/X/memory.events"; }
echo "$(<"$V2/X/memory.current")" >"$V2/X/memory.max" || die "memory.max"
C0=$(cur); O0=$(ev oom); K0=$(ev oom_kill)
cmd "migrate pid=$TASK_PID addr=$P node=$N0"
M=$(mig_line "$REPLY_TEXT"); note "tight: $M"
obs tight_result "$(field result "$M")"
obs tight_current_change_pages $(( $(cur) - C0 ))
obs tight_oom $(( $(ev oom) - O0 ))
obs tight_oom_kill $(( $(ev oom_kill) - K0 ))
task_stop
v2_done
