# E23: page-cache pages in the mover's file vma that the mover never touched move too
# seed: S000 l.7, l.17
# setup: v1 memcgs A, B; ext4 file F of 64 pages, not cached; T in A maps all of F MAP_SHARED inside
#        one 2 MiB-aligned range and touches only page 63 (so the pte table exists); R, T's child in A,
#        read()s pages 0-31 and maps and touches pages 32-47 (no readahead: FADV_RANDOM, MADV_RANDOM)
# op: move T to B with move_charge_at_immigrate=2 (file)
# cgroup: v1
# expect 6.1: available=yes cached_before=49 r_memcg=/A f_page63_memcg=B f_mapped_by_r_memcg_b=16 f_read_memcg_b=32 cached_after=49 move_account_calls=49 move_account_unmapped=32 move_account_ret0=49 cache_b=49 mapped_file_b=17 cache_balance=0 mapped_file_balance=0 get_mctgt_type>=64
# expect 6.12: available=no v1_mount=refused move_charge_err=EOPNOTSUPP mover_watch=no
# Finding (lab 6.12, 2026-12-02): the 16 pages r maps stay in A (33 moved,
# not 49; mapped_file_b 1, not 17): since 6.2 mc_handle_file_pte() refuses
# a page-cache folio mapped elsewhere (seed 000's thread, fixed as Hugh and
# Johannes agreed there); the 32 nobody maps still move.
# expect lab: available=yes cached_before=49 r_memcg=/A f_page63_memcg=B f_mapped_by_r_memcg_b=0 f_read_memcg_b=32 cached_after=49 move_account_calls=33 move_account_unmapped=32 move_account_ret0=33 cache_b=33 mapped_file_b=1 cache_balance=0 mapped_file_balance=0 get_mctgt_type>=64
# As the catalogue says for 6.1: mc_handle_file_pte() takes every page-cache
# page behind T's empty ptes that is charged to A, the 32 that R only
# read (unmapped: the @memcg probe's unmapped=32) and the 16 that R maps
# (mapped_file moves for them although T does not map them), plus T's page
# 63.  Upstream >= 6.2 would skip the 16 mapped by R.  R stays in A.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
v1_or_unavailable
setup_ext4
warm_task
F=$EXT4/e23
# Made and written back from the root memcg: ext4 metadata charged to A
# would outlive A and keep the v1 hierarchy alive.
dd if=/dev/urandom of="$F" bs=4096 count=64 2>/dev/null || die "create F"
sync
probes_on @memcg get_mctgt_type
task_start "$V1/A"
task fdrop "$F"		# out of the page cache
task fread "$F" 0 32	# pages 0-31 read (R's part), charged to A, mapped by nobody
task fmap "$F" 64 32 48; MAP=$R_ADDR
# R: a child that maps and touches pages 32-47 (fork copies no ptes of a
# shared file vma); then T zaps its own ptes there and touches page 63.
task fork read 0 32 48; fieldv R child "$TASK_REPLY"
task dontneed 0 32 48
task read 0 63 64
task cached 0
obs cached_before "$(field cached "$TASK_REPLY")"
echo 2 >"$V1/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate"
settle "$V1/A" "$V1/B"
declare -A S0
for n in cache mapped_file; do S0[A$n]=$(mstat "$V1/A" $n); S0[B$n]=$(mstat "$V1/B" $n); done
probes_snap
counterv C0 memcg_move_account_calls
echo "$TASK_PID" >"$V1/B/cgroup.procs" || die "move T to B"
obs move_account_calls $(( $(counter memcg_move_account_calls) - C0 ))
obs move_account_unmapped "$(probe_d mem_cgroup_move_account unmapped)"
obs move_account_ret0 "$(probe_ret mem_cgroup_move_account 0)"
obs get_mctgt_type "$(probe_d get_mctgt_type hits)"
obs r_memcg "$(sed -n 's/^[0-9]*:memory://p' "/proc/$R/cgroup")"
obs f_page63_memcg "$(count_in /B "$TASK_PID" $((MAP + 63 * 4096)) 1 | sed 's/^1$/B/')"
obs f_mapped_by_r_memcg_b "$(count_in /B "$R" $((MAP + 32 * 4096)) 16)"
settle "$V1/A" "$V1/B"
d() { echo $(( ($(mstat "$V1/$1" "$2") - S0[$1$2]) / 4096 )); }
note "cache A $(d A cache) B $(d B cache), mapped_file A $(d A mapped_file) B $(d B mapped_file) (pages)"
obs cache_b "$(d B cache)"
obs mapped_file_b "$(d B mapped_file)"
obs cache_balance $(( $(d A cache) + $(d B cache) ))
obs mapped_file_balance $(( $(d A mapped_file) + $(d B mapped_file) ))
# T maps pages 0-31 now, to see their memcg: B, though T had never touched them.
task read 0 0 32
obs f_read_memcg_b "$(count_in /B "$TASK_PID" "$MAP" 32)"
task cached 0
obs cached_after "$(field cached "$TASK_REPLY")"
task_stop
rm -f "$F"
v1_done
