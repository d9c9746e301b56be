# E30: hugetlb migration and memcg / hugetlb-cgroup accounting (DIFFERENCE)
# seed: S001 l.124-214; S003 6/12
# setup: 2 free 2 MiB hugetlb pages on each node; cgroup v2 (6.12: mounted with memory_hugetlb_accounting,
#        refused on 6.1) with memory and hugetlb controllers; T in memcg X faults one MAP_HUGETLB page
# op: mmlab migrate of the hugetlb page to the other node; then, with memory.max 1 MiB above usage,
#     a new task in X faults another hugetlb page (killed after 5 s if still faulting)
# expect: stat_hugetlb_pages=none result=migrated new_node_ok=1 hugetlb_cg_fault_pages=512 hugetlb_cg_migrate_change=0 migrate_current_change_pages=0 hugetlb_cgroup_migrate=1 move_hugetlb_state=1
# expect 6.1: hugetlb_accounting_mount=refused fault_current_pages<=64 dst_memcg=- mem_cgroup_migrate=0 tight_fault=ok leaked_oom_msgs=0
# expect 6.12: hugetlb_accounting_mount=ok fault_current_pages>=512 fault_current_pages<=576 dst_memcg=/X mem_cgroup_migrate=1 hugetlb_try_charge=1 tight_fault=refault_loop leaked_oom_msgs>0
# As the catalogue says, but for the variant.  6.1: a hugetlb page is never
# charged to a memcg (memory.current moves only by a page-table charge and
# its per-CPU stock, <= 64 pages) and folio_migrate_flags() skips
# mem_cgroup_migrate() for it.  6.12: charged at fault (512 pages; memory.stat
# has no hugetlb line on either kernel), the destination keeps memcg X
# (mem_cgroup_migrate() called once).  The hugetlb controller's count stays
# with the page on both.  Catalogue refuted (6.12.117): a fault that does not
# fit memory.max is NOT SIGBUS: alloc_hugetlb_folio() returns -ENOMEM,
# hugetlb_no_page() turns it into VM_FAULT_OOM, and the task re-faults for
# ever, logging "Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF",
# until killed.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
load
setup_hugetlb 2
mkdir -p "$V2"
if mountpoint -q "$V2"; then
	mount -o remount,memory_hugetlb_accounting "$V2" 2>/dev/null
else
	mount -t cgroup2 -o memory_hugetlb_accounting none "$V2" 2>/dev/null
fi
obs hugetlb_accounting_mount "$(grep -q "$V2 cgroup2 .*memory_hugetlb_accounting" /proc/mounts && echo ok || echo refused)"
v2_setup
mkdir "$V2/X" || die "mkdir X"
warm_task
probes_on mem_cgroup_migrate hugetlb_cgroup_migrate move_hugetlb_state "mem_cgroup_hugetlb_try_charge ret"
cur() { echo $(( $(<"$V2/X/memory.current") / 4096 )); }
hcg() { echo $(( $(<"$V2/X/hugetlb.2MB.current") / 4096 )); }
task_start "$V2/X"
C0=$(cur); H0=$(hcg)
probes_snap
task hugetlb 1; P=$R_ADDR
obs fault_current_pages $(( $(cur) - C0 ))
obs hugetlb_cg_fault_pages $(( $(hcg) - H0 ))
obs hugetlb_try_charge "$(probe_ret mem_cgroup_hugetlb_try_charge 0)"
settle "$V2/X"
S=$(mstat "$V2/X" hugetlb)
obs stat_hugetlb_pages "$([ -n "$S" ] && echo $((S / 4096)) || echo none)"
cmd "inspect pid=$TASK_PID addr=$P"
note "$REPLY_TEXT"
fieldv N0 nid "$REPLY_TEXT"
C0=$(cur); H0=$(hcg)
probes_snap
cmd "migrate pid=$TASK_PID addr=$P node=$((1 - N0))"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs new_node_ok "$([ "$(field new_nid "$M")" = $((1 - N0)) ] && echo 1 || echo 0)"
obs migrate_current_change_pages $(( $(cur) - C0 ))
obs hugetlb_cg_migrate_change $(( $(hcg) - H0 ))
obs mem_cgroup_migrate "$(probe_d mem_cgroup_migrate mmlab)"
obs hugetlb_cgroup_migrate "$(probe_d hugetlb_cgroup_migrate mmlab)"
obs move_hugetlb_state "$(probe_d move_hugetlb_state mmlab)"
cmd "inspect pid=$TASK_PID addr=$P"
obs dst_memcg "$(field memcg "$REPLY_TEXT")"

# Variant: memory.max 1 MiB above the usage; a new task in X faults a
# hugetlb page (a free one is left on each node).
echo $(( $(<"$V2/X/memory.current") + (1 << 20) )) >"$V2/X/memory.max" || die "memory.max"
L0=$(dmesg | grep -c 'VM_FAULT_OOM leaked out')
(echo "$BASHPID" >"$V2/X/cgroup.procs"; exec "$MC_TASK" <<<"hugetlb 1") >/tmp/mmlab-e30.out 2>&1 &
J=$!
for _ in $(seq 1 50); do kill -0 "$J" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$J" 2>/dev/null; then
	# Still faulting after 5 s: the fault returns VM_FAULT_OOM, which
	# pagefault_out_of_memory() retries for ever (no memcg OOM: the charge
	# was __GFP_RETRY_MAYFAIL); only a fatal signal ends it.
	obs tight_fault refault_loop
	kill -9 "$J"
	wait "$J" 2>/dev/null
else
	wait "$J"; RC=$?
	case "$RC:$(</tmp/mmlab-e30.out)" in
	0:*"ok region"*) obs tight_fault ok ;;
	135:*) obs tight_fault sigbus ;;
	*) obs tight_fault "rc$RC" ;;
	esac
fi
note "tight: $(</tmp/mmlab-e30.out)"
obs leaked_oom_msgs $(( $(dmesg | grep -c 'VM_FAULT_OOM leaked out') - L0 ))
task_stop
v2_done
