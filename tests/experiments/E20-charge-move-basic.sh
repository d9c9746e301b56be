# E20: basic charge move of present anon and file pages by the kernel's mover; deprecation warning
# seed: S000 l.13-14
# setup: cgroup-v1 memcgs A and B; task T in A writes 100 anon pages and maps and reads 100 pages of an
#        ext4 file (MAP_SHARED) that is not in the page cache, so that they are charged to A
# op: echo 3 > B/memory.move_charge_at_immigrate (twice); echo T > B/cgroup.procs
# cgroup: v1
# expect 6.1: available=yes deprecation_warnings=1 anon_in_b=100 file_in_b=100 calls_minus_expected=0 usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 usage_b_over_calls>=0 usage_b_over_calls<=128 rss_b_minus_anon=0 rss_balance=0 cache_b=100 mapped_file_b=100 cache_balance=0 mapped_file_balance=0 can_attach_ret0=1 move_task=1 pte_range>=1 get_mctgt_type>=200 move_account_ret0_minus_calls=0 move_account_unmapped=0 move_charge_write=2
# expect 6.12: available=no v1_mount=refused move_charge_err=EOPNOTSUPP mover_watch=no
# 6.12's v1 hooks are memcg1_can_attach()/memcg1_move_task() (mm/memcontrol-v1.c):
# the probes on the 6.1 names find nothing (0), the moves are 6.1's.
# expect lab: available=yes deprecation_warnings=1 anon_in_b=100 file_in_b=100 calls_minus_expected=0 usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 usage_b_over_calls>=0 usage_b_over_calls<=128 rss_b_minus_anon=0 rss_balance=0 cache_b=100 mapped_file_b=100 cache_balance=0 mapped_file_balance=0 can_attach_ret0=0 move_task=0 pte_range>=1 get_mctgt_type>=200 move_account_ret0_minus_calls=0 move_account_unmapped=0 move_charge_write=2
# The catalogue's "usage A -800 KB, B +800 KB" counts only the 200 test
# pages: the mover takes every anon page of T (stack, libc data: T's
# smaps Anonymous), so usage moves by those plus the 100 file pages, which
# is checked exactly (calls_minus_expected) and in usage up to the per-CPU
# charge stock (usage_a_drop_minus_calls, usage_b_over_calls).  The
# warning is pr_warn_once: once per boot however often the file is written.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
v1_or_unavailable
setup_ext4
warm_task
# The file is made, its blocks allocated and its cache dropped from the
# root memcg: ext4 metadata charged to A would outlive A (journaled
# buffers), and keep the v1 hierarchy from ever letting go of the memory
# controller.
dd if=/dev/urandom of="$EXT4/e20" bs=4096 count=100 2>/dev/null || die "create the file"
sync
"$MC_TASK" <<<"fdrop $EXT4/e20" >/dev/null
probes_on "mem_cgroup_can_attach ret" mem_cgroup_move_task mem_cgroup_move_charge_pte_range \
	get_mctgt_type mem_cgroup_move_charge_write @memcg
task_start "$V1/A"
task anon 100; ANON=$R_ADDR
task fmap "$EXT4/e20" 100 0 100; FILE=$R_ADDR
settle "$V1/A" "$V1/B"
declare -A S0
for n in rss cache mapped_file; do S0[A$n]=$(mstat "$V1/A" $n); S0[B$n]=$(mstat "$V1/B" $n); done
UA0=$(<"$V1/A/memory.usage_in_bytes"); UB0=$(<"$V1/B/memory.usage_in_bytes")
ANON_PAGES=$(( $(kv Anonymous: "/proc/$TASK_PID/smaps_rollup") / 4 ))
note "T has $ANON_PAGES anon pages; A usage $UA0, B usage $UB0"

probes_snap
echo 3 >"$V1/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate"
echo 3 >"$V1/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate"
counterv C0 memcg_move_account_calls
echo "$TASK_PID" >"$V1/B/cgroup.procs" || die "move T to B"
CALLS=$(( $(counter memcg_move_account_calls) - C0 ))
obs deprecation_warnings "$(deprecation_warnings)"
obs anon_in_b "$(count_in /B "$TASK_PID" "$ANON" 100)"
obs file_in_b "$(count_in /B "$TASK_PID" "$FILE" 100)"
UA=$(( $(<"$V1/A/memory.usage_in_bytes") - UA0 )); UB=$(( $(<"$V1/B/memory.usage_in_bytes") - UB0 ))
note "usage: A $UA, B +$UB; mem_cgroup_move_account calls $CALLS"
obs calls_minus_expected $(( CALLS - ANON_PAGES - 100 ))
# A also loses its per-CPU charge stock (at most 64 pages, a charge batch)
# on each CPU where B's precharge takes over the stock: up to 128 pages
# more than moved on this 2-CPU guest (measured 0..64).
obs usage_a_drop_minus_calls $(( -UA / 4096 - CALLS ))
# B may hold a stock of up to 64 pages per CPU more (measured: 63): once
# the precharge is used up, mem_cgroup_move_charge_pte_range() precharges
# one more page if ptes remain in its range, and that charge takes a batch
# of 64 (MEMCG_CHARGE_BATCH), 63 left in B's per-CPU stock; the unused
# page itself is cancelled at the end.
obs usage_b_over_calls $(( UB / 4096 - CALLS ))
settle "$V1/A" "$V1/B"
d() { echo $(( ($(mstat "$V1/$1" "$2") - S0[$1$2]) / 4096 )); }
note "stat deltas (pages): rss A $(d A rss) B $(d B rss), cache A $(d A cache) B $(d B cache), mapped_file A $(d A mapped_file) B $(d B mapped_file)"
obs rss_b_minus_anon $(( $(d B rss) - ANON_PAGES ))
obs rss_balance $(( $(d A rss) + $(d B rss) ))
obs cache_b "$(d B cache)"
obs mapped_file_b "$(d B mapped_file)"
obs cache_balance $(( $(d A cache) + $(d B cache) ))
obs mapped_file_balance $(( $(d A mapped_file) + $(d B mapped_file) ))
obs can_attach_ret0 "$(probe_ret mem_cgroup_can_attach 0)"
obs move_task "$(probe_d mem_cgroup_move_task hits)"
obs pte_range "$(probe_d mem_cgroup_move_charge_pte_range hits)"
obs get_mctgt_type "$(probe_d get_mctgt_type hits)"
obs move_account_ret0_minus_calls $(( $(probe_ret mem_cgroup_move_account 0) - CALLS ))
obs move_account_unmapped "$(probe_d mem_cgroup_move_account unmapped)"
obs move_charge_write "$(probe_d mem_cgroup_move_charge_write hits)"
task_stop
rm -f "$EXT4/e20"
v1_done
