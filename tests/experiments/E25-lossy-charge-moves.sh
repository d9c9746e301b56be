# E25: lossy charge moves: a locked page, an extra reference, an isolated page and a PMD-mapped THP meet the kernel's mover
# seed: S000 l.16-17
# setup: cgroup-v1 memcgs A and B; task T in A with 8 anon pages and one PMD-mapped THP; on an mmlab fd: lock page 0, pin page 1 (FOLL_GET), isolate page 2
# op: echo 1 > B/memory.move_charge_at_immigrate; echo T > B/cgroup.procs; then which memcg each page is charged to (inspect), mem_cgroup_move_account returns (@memcg probe set)
# cgroup: v1
# expect 6.1: available=yes locked_moved=0 pinned_moved=1 isolated_moved=0 plain_moved=5 thp_moved=1 move_account_ebusy=1 b_usage_minus_moved=0
# expect 6.12: available=no v1_mount=refused move_charge_err=EOPNOTSUPP mover_watch=no
# Lab 6.12 (2026-12-02): the locked page is refused by get_mctgt_type()'s
# trylock (6.2+), so mem_cgroup_move_account() never returns -EBUSY
# (move_account_ebusy=0).  b_usage_minus_moved=-511: B's usage grew by as
# many pages as move_account returned 0, as if the THP counted one page;
# seen once, not understood yet (see the issue 17 note).
# expect lab: available=yes locked_moved=0 pinned_moved=1 isolated_moved=0 plain_moved=5 thp_moved=1 move_account_ebusy=0 b_usage_minus_moved=-511
# predict 6.1: locked_moved=0 pinned_moved=1 isolated_moved=0 thp_moved=1 move_account_ebusy=1 b_usage_minus_moved=0
# Page 3 of the catalogue's setup (a subpage of a THP PTE-mapped by mprotect
# of half of it: skipped, PageTransCompound) is not built here: the memcg
# task helper has no mprotect step.  b_usage_minus_moved: B's usage grew by
# exactly the pages mem_cgroup_move_account() moved (the leftover
# precharge was cancelled); the THP counts 512.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
v1_or_unavailable
"$MC_TASK" </dev/null >/dev/null	# its binary and libraries cached, charged to the root
probes_on @memcg
task_start "$V1/A"
task anon 8; ANON=$R_ADDR
task thp; THP=$R_ADDR
exec 7<>"$D/control"
echo "lock pid=$TASK_PID addr=$ANON" >&7 || die "lock"
echo "pin pid=$TASK_PID addr=$((ANON + 4096))" >&7 || die "pin"
echo "isolate pid=$TASK_PID addr=$((ANON + 8192))" >&7 || die "isolate"
cmd "inspect pid=$TASK_PID addr=$THP"
[ "$(field pte "$REPLY_TEXT")" = pmd ] || die "THP not PMD-mapped: $REPLY_TEXT"
UB0=$(<"$V1/B/memory.usage_in_bytes")
UA0=$(<"$V1/A/memory.usage_in_bytes")
HB0=$(mstat "$V1/B" rss_huge) RB0=$(mstat "$V1/B" rss)
echo 1 >"$V1/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate"
probes_snap
echo "$TASK_PID" >"$V1/B/cgroup.procs" || die "move T to B"
in_b() { count_in /B "$TASK_PID" "$1" "$2"; }
obs locked_moved "$(in_b "$ANON" 1)"
obs pinned_moved "$(in_b $((ANON + 4096)) 1)"
obs isolated_moved "$(in_b $((ANON + 8192)) 1)"
obs plain_moved "$(in_b $((ANON + 12288)) 5)"
obs thp_moved "$(in_b "$THP" 1)"
obs move_account_ebusy "$(probe_ret mem_cgroup_move_account EBUSY)"
MOVED=$(probe_ret mem_cgroup_move_account 0)
UB=$(( ($(<"$V1/B/memory.usage_in_bytes") - UB0) / 4096 ))
# The THP's one call moved 512 pages; each other call one page.
THPM=$(( $(in_b "$THP" 1) * 511 ))
note "mem_cgroup_move_account returned 0 $MOVED times; B usage +$UB pages"
# What the page counters and the stat say beside it (to explain a THP that
# moves while B's usage grows by one page for it).
note "A usage $(( ($(<"$V1/A/memory.usage_in_bytes") - UA0) / 4096 )) pages;" \
	"B rss_huge +$(( ($(mstat "$V1/B" rss_huge) - HB0) / 4096 )) pages," \
	"rss +$(( ($(mstat "$V1/B" rss) - RB0) / 4096 )) pages"
obs b_usage_minus_moved $(( UB - MOVED - THPM ))
exec 7>&-
task_stop
v1_done
