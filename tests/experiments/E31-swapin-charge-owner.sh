# E31: who is charged when a page comes back from swap
# seed: S001 l.485-495; S000
# setup: cgroup v2 memcgs X, Y; T (started in the root) moved to X writes one anon and one shmem page
#        (memfd), pages both out (MADV_PAGEOUT); T moves to Y (v2 never moves charges); X is
#        reclaimed (memory.reclaim) so that both pages leave the swap cache
# op: T reads both pages back; then the same with a memcg X2 that is removed before the read
# expect: swapin_charges=2 anon_memcg=/X shmem_memcg=/X x_anon_pages=1 x_shmem_pages=1 y_anon_pages=0 y_shmem_pages=0 y_current_pages=0 removed_swapin_charges=2 removed_anon_memcg=/Y removed_shmem_memcg=/Y removed_y_anon_pages=1 removed_y_shmem_pages=1
# As the catalogue says, on both kernels: mem_cgroup_swapin_charge_folio()
# charges the memcg recorded at swap-out (X) while it is online, not the
# faulting task's; once X is removed, the task's memcg (Y) is charged.
# memory.current of X is not observed: its per-CPU stock (a charge takes
# a batch of 64) covers the two charges or not (measured: +0); memory.stat
# and the pages' memcg are exact.  In the first round Y gets no charge at all.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
load
setup_swap
v2_setup
mkdir "$V2/X" "$V2/X2" "$V2/Y" || die "mkdir X X2 Y"
warm_task
probes_on mem_cgroup_swapin_charge_folio
task_start
declare -A S0
snap() { local g n; for g in "$@"; do for n in anon shmem; do S0[$g$n]=$(mstat "$V2/$g" $n); done; S0[${g}cur]=$(<"$V2/$g/memory.current"); done; }
d() { echo $(( ($(mstat "$V2/$1" "$2") - S0[$1$2]) / 4096 )); }

# round GROUP: T in GROUP makes an anon and a shmem page and pages them out,
# moves to Y; GROUP is reclaimed (its LRU holds only those two pages).
# Sets RA RS (the regions), A S (their addresses).
round() {
	echo "$TASK_PID" >"$V2/$1/cgroup.procs" || die "T to $1"
	task anon 1; fieldv RA region "$TASK_REPLY"; A=$R_ADDR
	task shmem 1; fieldv RS region "$TASK_REPLY"; S=$R_ADDR
	task pageout "$RA"
	task pageout "$RS"
	echo "$TASK_PID" >"$V2/Y/cgroup.procs" || die "T to Y"
	note "reclaim $1: $("$MC_WRITE" "$V2/$1/memory.reclaim" 8K)"
}
round X
settle "$V2/X" "$V2/Y"
snap X Y
probes_snap
task read "$RA"; task read "$RS"
obs swapin_charges "$(probe_d mem_cgroup_swapin_charge_folio hits)"
obs anon_memcg "$(cmd "inspect pid=$TASK_PID addr=$A"; field memcg "$REPLY_TEXT")"
obs shmem_memcg "$(cmd "inspect pid=$TASK_PID addr=$S"; field memcg "$REPLY_TEXT")"
obs y_current_pages $(( ($(<"$V2/Y/memory.current") - S0[Ycur]) / 4096 ))
note "X current $(( ($(<"$V2/X/memory.current") - S0[Xcur]) / 4096 )) pages"
settle "$V2/X" "$V2/Y"
obs x_anon_pages "$(d X anon)"
obs x_shmem_pages "$(d X shmem)"
obs y_anon_pages "$(d Y anon)"
obs y_shmem_pages "$(d Y shmem)"

# The memcg recorded at swap-out is gone: the faulting task's is charged.
round X2
rmdir "$V2/X2" || die "rmdir X2"
settle "$V2/Y"
snap Y
probes_snap
task read "$RA"; task read "$RS"
obs removed_swapin_charges "$(probe_d mem_cgroup_swapin_charge_folio hits)"
obs removed_anon_memcg "$(cmd "inspect pid=$TASK_PID addr=$A"; field memcg "$REPLY_TEXT")"
obs removed_shmem_memcg "$(cmd "inspect pid=$TASK_PID addr=$S"; field memcg "$REPLY_TEXT")"
settle "$V2/Y"
obs removed_y_anon_pages "$(d Y anon)"
obs removed_y_shmem_pages "$(d Y shmem)"
task_stop
v2_done
