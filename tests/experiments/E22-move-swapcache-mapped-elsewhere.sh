# E22: a swapcache page mapped only by another process (the page upstream 6.2+ refuses to move)
# seed: S000 l.9, l.15-17
# setup: v1 memcgs A, B; T in A writes one anon page and pages it out (swap pte); T forks C, which
#        reads the page back: in the swap cache, mapped by C only; C stays in A
# op: move T (not C) to B with move_charge_at_immigrate=1; then C exits
# cgroup: v1
# expect 6.1: available=yes page_swapcache=1 page_mapcount=1 t_pte_swapped=1 move_account_unmapped=0 move_account_ret0_minus_calls=0 page_memcg=B c_memcg=/A usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 rss_b_minus_calls=0 rss_balance=0 rss_b_minus_t_anon=1 c_exit_rss_b=-1
# expect 6.12: available=no v1_mount=refused move_charge_err=EOPNOTSUPP mover_watch=no
# Finding (lab 6.12, 2026-12-02): the swapcache page mapped by the child
# stays in A. Since 6.2 ("mm: memcontrol: skip moving non-present pages
# that are mapped elsewhere", the outcome of seed 000's thread)
# mc_handle_swap_pte() trylocks the folio and refuses a mapped one.
# expect lab: available=yes page_swapcache=1 page_mapcount=1 t_pte_swapped=1 move_account_unmapped=0 move_account_ret0_minus_calls=0 page_memcg=A c_memcg=/A usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 rss_b_minus_calls=0 rss_balance=0 rss_b_minus_t_anon=0 c_exit_rss_b=0
# Measured as the catalogue says: 6.1 moves the page (mapped=1 at entry),
# and its NR_ANON_MAPPED with it, so B's rss counts one page more than T
# maps (rss_b_minus_t_anon=1) while A lost it although C did not move.
# When C exits, the page is unmapped and freed from B: B's rss -1,
# consistent per page.  (B's usage moves by per-CPU stock drains as well.)
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
v1_or_unavailable
setup_swap
warm_task
probes_on @memcg
task_start "$V1/A"
task anon 1; P=$R_ADDR
task pageout 0
task fork read 0; fieldv C child "$TASK_REPLY"
PFN=$(pagemap_pfn "$C" "$P")
obs page_swapcache "$(kpf "$PFN" "$KPF_SWAPCACHE")"
obs page_mapcount "$(kpagecount "$PFN")"
obs t_pte_swapped "$(pagemap_swapped "$TASK_PID" "$P")"
echo 1 >"$V1/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate"
settle "$V1/A" "$V1/B"
declare -A S0
snap() {
	local g
	for g in A B; do S0[${g}rss]=$(mstat "$V1/$g" rss); S0[${g}usage]=$(<"$V1/$g/memory.usage_in_bytes"); done
}
d() { echo $(( ($(mstat "$V1/$1" rss) - S0[${1}rss]) / 4096 )); }
u() { echo $(( ($(<"$V1/$1/memory.usage_in_bytes") - S0[${1}usage]) / 4096 )); }
snap
ANON_PAGES=$(( $(kv Anonymous: "/proc/$TASK_PID/smaps_rollup") / 4 ))
probes_snap
counterv C0 memcg_move_account_calls
echo "$TASK_PID" >"$V1/B/cgroup.procs" || die "move T to B"
CALLS=$(( $(counter memcg_move_account_calls) - C0 ))
note "mem_cgroup_move_account calls $CALLS; T maps $ANON_PAGES anon pages"
obs move_account_unmapped "$(probe_d mem_cgroup_move_account unmapped)"
obs move_account_ret0_minus_calls $(( $(probe_ret mem_cgroup_move_account 0) - CALLS ))
obs page_memcg "$(memcg_of "$PFN" "$V1/A" "$V1/B")"
obs c_memcg "$(sed -n 's/^[0-9]*:memory://p' "/proc/$C/cgroup")"
# A also loses its per-CPU charge stock (at most 64 pages, a charge batch)
# on each CPU where B's precharge takes over the stock: up to 128 pages
# more than moved on this 2-CPU guest (measured 0..64).
obs usage_a_drop_minus_calls $(( -$(u A) - CALLS ))
settle "$V1/A" "$V1/B"
note "rss A $(d A) B $(d B) (pages)"
obs rss_b_minus_calls $(( $(d B) - CALLS ))
obs rss_balance $(( $(d A) + $(d B) ))
obs rss_b_minus_t_anon $(( $(d B) - ANON_PAGES ))
# C exits: the page it alone mapped is unmapped and freed, from B.
snap
kill -9 "$C"
for _ in $(seq 1 50); do [ "$(pagemap_swapped "$TASK_PID" "$P")" = 1 ] && [ "$(kpagecount "$PFN")" != 1 ] && break; sleep 0.1; done
settle "$V1/A" "$V1/B"
obs c_exit_rss_b "$(d B)"
task_stop
v1_done
