# E24: a present anon page shared with a child through fork (mapcount 2) moves with the parent
# seed: S000 l.17
# setup: v1 memcgs A, B; T in A writes one anon page and forks C (COW-shared, present in both); C stays in A
# op: move T (not C) to B with move_charge_at_immigrate=1
# cgroup: v1
# expect 6.1: available=yes mapcount_before=2 same_pfn=1 page_memcg=B mapcount_after=2 c_memcg=/A move_account_unmapped=0 move_account_ret0_minus_calls=0 calls_minus_t_anon=0 usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 rss_b_minus_calls=0 rss_balance=0 inspect_memcg_c=/B
# expect 6.12: available=no v1_mount=refused move_charge_err=EOPNOTSUPP mover_watch=no
# As on 6.1: a present pte's page moves even when shared (lab, 2026-12-02).
# expect lab: available=yes mapcount_before=2 same_pfn=1 page_memcg=B mapcount_after=2 c_memcg=/A move_account_unmapped=0 move_account_ret0_minus_calls=0 calls_minus_t_anon=0 usage_a_drop_minus_calls>=0 usage_a_drop_minus_calls<=128 rss_b_minus_calls=0 rss_balance=0 inspect_memcg_c=/B
# As the catalogue says: "the MC_TARGET_PAGE case does not reject pages
# with mapcount > 1".  Every page T maps moves (calls = T's smaps
# Anonymous), the ones it shares with C included, so C, still in A, now
# maps a page charged to B (seen from C's side by mmlab inspect).
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-memcg.sh"
v1_or_unavailable
warm_task
probes_on @memcg
task_start "$V1/A"
task anon 1; P=$R_ADDR
task fork; fieldv C child "$TASK_REPLY"
PFN=$(pagemap_pfn "$TASK_PID" "$P")
obs mapcount_before "$(kpagecount "$PFN")"
obs same_pfn "$([ "$(pagemap_pfn "$C" "$P")" = "$PFN" ] && echo 1 || echo 0)"
echo 1 >"$V1/B/memory.move_charge_at_immigrate" || die "move_charge_at_immigrate"
settle "$V1/A" "$V1/B"
RA0=$(mstat "$V1/A" rss); RB0=$(mstat "$V1/B" rss); UA0=$(<"$V1/A/memory.usage_in_bytes")
ANON_PAGES=$(( $(kv Anonymous: "/proc/$TASK_PID/smaps_rollup") / 4 ))
probes_snap
counterv C0 memcg_move_account_calls
echo "$TASK_PID" >"$V1/B/cgroup.procs" || die "move T to B"
CALLS=$(( $(counter memcg_move_account_calls) - C0 ))
note "mem_cgroup_move_account calls $CALLS; T maps $ANON_PAGES anon pages"
obs page_memcg "$(memcg_of "$PFN" "$V1/A" "$V1/B")"
obs mapcount_after "$(kpagecount "$PFN")"
obs c_memcg "$(sed -n 's/^[0-9]*:memory://p' "/proc/$C/cgroup")"
obs move_account_unmapped "$(probe_d mem_cgroup_move_account unmapped)"
obs move_account_ret0_minus_calls $(( $(probe_ret mem_cgroup_move_account 0) - CALLS ))
obs calls_minus_t_anon $(( CALLS - ANON_PAGES ))
# A also loses its per-CPU charge stock (at most 64 pages, a charge batch)
# on each CPU where B's precharge takes over the stock: up to 128 pages
# more than moved on this 2-CPU guest (measured 0..64).
obs usage_a_drop_minus_calls $(( (UA0 - $(<"$V1/A/memory.usage_in_bytes")) / 4096 - CALLS ))
cmd "inspect pid=$C addr=$P"
obs inspect_memcg_c "$(field memcg "$REPLY_TEXT")"
settle "$V1/A" "$V1/B"
RA=$(( ($(mstat "$V1/A" rss) - RA0) / 4096 )); RB=$(( ($(mstat "$V1/B" rss) - RB0) / 4096 ))
note "rss A $RA B $RB (pages)"
obs rss_b_minus_calls $(( RB - CALLS ))
obs rss_balance $(( RA + RB ))
task_stop
v1_done
