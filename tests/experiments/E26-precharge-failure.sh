# E26: a precharge that does not fit the destination's limit aborts the attach (expected failure)
# seed: S000 l.19
# setup: v1 memcgs A, B; T in A with 50 MB of written anon memory; B/memory.limit_in_bytes = 10 MB
# op: echo 1 > B/memory.move_charge_at_immigrate; write T's pid to B/cgroup.procs
# cgroup: v1
# expect 6.1: available=yes t_memcg=/A rss_a_change=0 b_usage_pages<=128 b_rss=0 move_account_calls=0 move_task=1 can_attach_calls=1 cancel_attach=0 b_failcnt>=1
# expect 6.12: available=no v1_mount=refused move_charge_err=EOPNOTSUPP mover_watch=no
# Lab 6.12 (2026-12-02): as 6.1, but the v1 hooks are memcg1_can_attach()
# and memcg1_move_task(): the probes on the 6.1 names count nothing.
# expect lab: available=yes write_errno=ENOMEM t_memcg=/A rss_a_change=0 b_usage_pages<=128 b_rss=0 move_account_calls=0 move_task=0 can_attach_calls=0 cancel_attach=0 b_failcnt>=1
# predict 6.1: write_errno=ENOMEM can_attach_ENOMEM=1
# The errno of the failed write is the catalogue's open [P] point: it is
# measured here (mc_write prints the errno's name).  T stays in A, nothing
# moves, and B ends with no charge but at most a per-CPU stock (the
# leftover precharge is cancelled).  mem_cgroup_move_task() (post_attach)
# runs even for the failed write, and finds nothing to move.  A's usage may
# drop by its per-CPU stock (B's charges drained it), so A is checked by
# its rss.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
v1_or_unavailable
warm_task
probes_on "mem_cgroup_can_attach ret" mem_cgroup_move_task mem_cgroup_cancel_attach
task_start "$V1/A"
task anon 12800
echo $((10 << 20)) >"$V1/B/memory.limit_in_bytes" || die "limit B"
echo 1 >"$V1/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate"
settle "$V1/A"
RA0=$(mstat "$V1/A" rss)
note "A usage $(<"$V1/A/memory.usage_in_bytes") rss $RA0"
probes_snap
counterv C0 memcg_move_account_calls
R=$("$MC_WRITE" "$V1/B/cgroup.procs" "$TASK_PID")
note "write: $R"
obs write_errno "$(field errno "$R")"
obs t_memcg "$(sed -n 's/^[0-9]*:memory://p' "/proc/$TASK_PID/cgroup")"
obs b_usage_pages $(( $(<"$V1/B/memory.usage_in_bytes") / 4096 ))
obs b_failcnt "$(<"$V1/B/memory.failcnt")"
obs move_account_calls $(( $(counter memcg_move_account_calls) - C0 ))
obs move_task "$(probe_d mem_cgroup_move_task hits)"
obs can_attach_ENOMEM "$(probe_ret mem_cgroup_can_attach ENOMEM)"
obs can_attach_calls "$(probe_d mem_cgroup_can_attach hits)"
obs cancel_attach "$(probe_d mem_cgroup_cancel_attach hits)"
settle "$V1/A" "$V1/B"
obs rss_a_change $(( ($(mstat "$V1/A" rss) - RA0) / 4096 ))
obs b_rss "$(mstat "$V1/B" rss)"
task_stop
v1_done
