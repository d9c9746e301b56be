# E21: an unmapped swapcache page behind the mover's swap pte (Hugh's NAK scenario)
# seed: S000 l.7, l.15-17
# setup: v1 memcgs A, B; T in A writes one anon page and pages it out (swap pte); a child reads it back
#        into the swap cache and exits, so the page sits in the swap cache mapped by nobody
# op: move T to B with move_charge_at_immigrate=1; then T reads the page back
# cgroup: v1
# expect 6.1: available=yes page_swapcache=1 page_mapcount=0 t_pte_swapped=1 move_account_unmapped=1 move_account_ret0_minus_calls=0 page_memcg=B usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 memsw_minus_usage_a=0 memsw_minus_usage_b=0 rss_b_minus_mapped=0 rss_balance=0 swap_cgroup_cmpxchg=0 swap_b=0 swapin_rss_b=1 swapin_rss_a=0 swapin_usage_b=0
# expect 6.12: available=no v1_mount=refused move_charge_err=EOPNOTSUPP mover_watch=no
# As on 6.1 (lab kernel, 2026-12-02).
# expect lab: available=yes page_swapcache=1 page_mapcount=0 t_pte_swapped=1 move_account_unmapped=1 move_account_ret0_minus_calls=0 page_memcg=B usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 memsw_minus_usage_a=0 memsw_minus_usage_b=0 rss_b_minus_mapped=0 rss_balance=0 swap_cgroup_cmpxchg=0 swap_b=0 swapin_rss_b=1 swapin_rss_a=0 swapin_usage_b=0
# The catalogue's [?] on the swap-slot record, measured: v1 records a swap
# entry's memcg (swap_cgroup) only when the page leaves the swap cache
# (mem_cgroup_swapout), so there is no record to move here
# (swap_cgroup_cmpxchg not called) and memsw moves exactly as usage does:
# by the page, A -1, B +1 (memsw minus usage unchanged on both sides).  rss moves only for the
# mapped pages (calls - 1): the unmapped page's NR_ANON_MAPPED is not
# moved.  Read back by T, the page is mapped where it is now charged: B's
# rss +1, A's 0, no new charge.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
v1_or_unavailable
setup_swap
warm_task
probes_on @memcg get_mctgt_type swap_cgroup_cmpxchg
task_start "$V1/A"
task anon 1; P=$R_ADDR
task pageout 0
task fork read 0; fieldv C child "$TASK_REPLY"
PFN=$(pagemap_pfn "$C" "$P")
kill -9 "$C"	# a zombie until T ends: its mm is gone
for _ in $(seq 1 50); do [ "$(kpagecount "$PFN")" = 0 ] && break; sleep 0.1; done
obs page_swapcache "$(kpf "$PFN" "$KPF_SWAPCACHE")"
obs page_mapcount "$(kpagecount "$PFN")"
obs t_pte_swapped "$(pagemap_swapped "$TASK_PID" "$P")"
echo 1 >"$V1/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate"
settle "$V1/A" "$V1/B"
declare -A S0
snap() {
	local g n
	for g in A B; do
		for n in rss swap; do S0[$g$n]=$(mstat "$V1/$g" $n); done
		S0[${g}usage]=$(<"$V1/$g/memory.usage_in_bytes"); S0[${g}memsw]=$(<"$V1/$g/memory.memsw.usage_in_bytes")
	done
}
d() { echo $(( ($(mstat "$V1/$1" "$2") - S0[$1$2]) / 4096 )); }
u() { echo $(( ($(<"$V1/$1/memory.$3") - S0[$1$2]) / 4096 )); }
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
obs swap_cgroup_cmpxchg "$(probe_d swap_cgroup_cmpxchg hits)"
UB=$(u B usage usage_in_bytes)
note "usage A $(u A usage usage_in_bytes) B $UB, memsw A $(u A memsw memsw.usage_in_bytes) B $(u B memsw memsw.usage_in_bytes)"
# Per-CPU charge stocks (a charge takes a batch of 64) blur usage by up
# to 64 pages per CPU on either side: B's precharge leaves a stock in B
# and drains A's stock on that CPU.  They hold memory and memsw alike, so
# memsw minus usage is exact.
obs usage_a_drop_minus_calls $(( -$(u A usage usage_in_bytes) - CALLS ))
obs memsw_minus_usage_a $(( $(u A memsw memsw.usage_in_bytes) - $(u A usage usage_in_bytes) ))
obs memsw_minus_usage_b $(( $(u B memsw memsw.usage_in_bytes) - UB ))
settle "$V1/A" "$V1/B"
note "rss A $(d A rss) B $(d B rss), swap A $(d A swap) B $(d B swap) (pages)"
obs rss_b_minus_mapped $(( $(d B rss) - (CALLS - 1) ))
obs rss_balance $(( $(d A rss) + $(d B rss) ))
obs swap_b "$(d B swap)"
# T reads the page back: it is mapped where it is charged now.
snap
task read 0
settle "$V1/A" "$V1/B"
obs swapin_rss_b "$(d B rss)"
obs swapin_rss_a "$(d A rss)"
obs swapin_usage_b "$(u B usage usage_in_bytes)"
task_stop
v1_done
