# E34: a KSM page: rmap, and migration with and without MPOL_MF_MOVE_ALL
# seed: S003 2/12 doc (rmap_walk_ksm); S000 l.7 (the KSM special case); S001 l.924-991
# setup: rm_ksm: 3 processes x 2 identical pages, MADV_MERGEABLE; ksmd (6.12: smart_scan=0) until all 6 are one KSM page; probes: the migration and rmap sets, folio_migrate_ksm, lock_page_memcg (6.1)
# op: (a) move_pages(2) to node 1 with MPOL_MF_MOVE; (b1) mmlab migrate node=1; rmap; (b2) move_pages(2) back to node 0 with MPOL_MF_MOVE_ALL
# expect: ksm_node=0 merged=6 shared_sharing=1/5 rmap_before=6/6/6 rmap_before_walker=ksm a_status=-13 a_pfn_kept=1 b1_result=migrated b1_checks=ok b1_new_node=1 b1_all_six_new_pfn=1 b1_ksm_flag=1 b1_folio_migrate_ksm=1 b1_try_to_migrate_one=6 b1_remove_migration_pte=6 b1_shared_sharing=1/5 rmap_after=6/6/6 rmap_after_match=yes rmap_after_walker=ksm b2_status=0 b2_all_six_new_pfn=1 b2_ksm_flag=1
# expect 6.1: b1_lock_page_memcg>=6 pages_skipped_file=no
# expect 6.12: lock_page_memcg_probe=missing pages_skipped_file=yes
# rmap_walk_ksm() calls back once per rmap_item (mapping address), so
# try_to_migrate_one and remove_migration_pte run 6 times.  On 6.1,
# page_add_anon_rmap() takes lock_page_memcg() for a KSM page (the PageKsm
# branch of S000), so restoring the 6 ptes calls it at least 6 times inside
# mmlab's migration; 6.12 has no such function.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-rmap.sh"
load
probes_on @migration @rmap folio_migrate_ksm lock_page_memcg
kernel_is_612 && obs lock_page_memcg_probe "$([ -n "$(pline lock_page_memcg)" ] && echo attached || echo missing)"
obs pages_skipped_file "$([ -e /sys/kernel/mm/ksm/pages_skipped ] && echo yes || echo no)"

start_helper "$RMH/rm_ksm" --procs 3 --pages 2
read -ra KIDS <<<"$PG_CHILDREN"
ALL=("$PG_PID" "${KIDS[@]}")
ksm_merge "$PG_ADDR" 8192 "${ALL[@]}" || die "KSM did not merge all 6 pages"
# all_map PFN: 1 when every page of the 3 processes maps PFN.
all_map() {
	local p a n=0
	for p in "${ALL[@]}"; do
		for a in "$PG_ADDR" $((PG_ADDR + 4096)); do
			[ "$(pagemap_pfn "$p" "$a")" = "$1" ] && n=$((n + 1))
		done
	done
	echo $((n == 6))
}
K=/sys/kernel/mm/ksm
PFN0=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs merged "$(( $(all_map "$PFN0") * 6 ))"
obs ksm_node "$(node_of "$PG_PID" "$PG_ADDR")"
obs shared_sharing "$(<$K/pages_shared)/$(<$K/pages_sharing)"
rmap_obs rmap_before "$PG_PID" "$PG_ADDR"

# (a) move_pages without MOVE_ALL refuses a page mapped more than once.
mapfile -t MP < <("$RMH/rm_movepages" "$PG_PID" 1 move "$PG_ADDR")
note "move_pages MPOL_MF_MOVE: ${MP[*]}"
obs a_status "${MP[1]}"
obs a_pfn_kept "$([ "$(pagemap_pfn "$PG_PID" "$PG_ADDR")" = "$PFN0" ] && echo 1 || echo 0)"

# (b1) mmlab's migration (like MOVE_ALL: every mapping is unmapped).
probes_snap
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs b1_result "$(field result "$M")"
obs b1_checks "$(field checks "$M")"
obs b1_folio_migrate_ksm "$(probe_d folio_migrate_ksm mmlab)"
obs b1_try_to_migrate_one "$(probe_d try_to_migrate_one mmlab)"
obs b1_remove_migration_pte "$(probe_d remove_migration_pte mmlab)"
kernel_is_612 || obs b1_lock_page_memcg "$(probe_d lock_page_memcg mmlab)"
PFN1=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs b1_new_node "$(node_of "$PG_PID" "$PG_ADDR")"
obs b1_all_six_new_pfn "$([ "$PFN1" != "$PFN0" ] && all_map "$PFN1" || echo 0)"
obs b1_ksm_flag "$(kpf "$PFN1" "$KPF_KSM")"
obs b1_shared_sharing "$(<$K/pages_shared)/$(<$K/pages_sharing)"
rmap_obs rmap_after "$PG_PID" "$PG_ADDR"

# (b2) move_pages with MOVE_ALL (root has CAP_SYS_NICE) moves it back.
mapfile -t MP < <("$RMH/rm_movepages" "$PG_PID" 0 move_all "$PG_ADDR")
note "move_pages MPOL_MF_MOVE_ALL: ${MP[*]}"
obs b2_status "${MP[1]}"
PFN2=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs b2_all_six_new_pfn "$([ "$PFN2" != "$PFN1" ] && all_map "$PFN2" || echo 0)"
obs b2_ksm_flag "$(kpf "$PFN2" "$KPF_KSM")"
cleanup_helpers
