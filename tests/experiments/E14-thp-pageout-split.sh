# E14: MADV_PAGEOUT of a PMD-mapped anon THP: where the PMD split happens
# seed: S002
# setup: swap on a loop device; one exclusive 2 MiB anon THP, written (mig_region --thp)
# op: madvise(MADV_PAGEOUT) on the whole 2 MiB (repeated until all 512 ptes are swap entries); kprobes on try_to_unmap_one, split_huge_pmd_address, split_huge_pmd_locked, __split_huge_pmd
# expect: thp_before=1 swapped=512 anon_huge_kb=0 swap_kb=2048 thp_split_pmd=1 thp_split_page=0 thp_swpout=1 thp_swpout_fallback=0 pswpout=512 try_to_unmap_one=1 split_huge_page=0 contents_ok=1
# expect 6.1: split_huge_pmd_address=1 __split_huge_pmd=1 split_huge_pmd_locked=0
# expect 6.12: split_huge_pmd_address=0 __split_huge_pmd=0 split_huge_pmd_locked=1
# The THP goes to swap whole on both (thp_swpout=1, no folio split); only
# the PMD mapping is split, once, by try_to_unmap_one(TTU_SPLIT_HUGE_PMD).
# (split_huge_pmd_locked does not exist on 6.1: not attached, 0.)
# split_*: hits during the page-out (all processes: reclaim here is the
# helper's own madvise).  6.1 calls split_huge_pmd_address() before the
# rmap walk; 6.12 splits inside the walk with split_huge_pmd_locked().
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_swap
probes_on try_to_unmap_one split_huge_pmd_address split_huge_pmd_locked __split_huge_pmd "split_huge_page_to_list ret" "split_huge_page_to_list_to_order ret"
mig_start --thp --len 2097152
END=$((R_ADDR + 2097152))
obs thp_before "$(kpf "$(pagemap_pfn "$R_PID" "$R_ADDR")" "$KPF_THP")"
V="thp_split_pmd thp_split_page thp_swpout thp_swpout_fallback pswpout"
# shellcheck disable=SC2086
vm_snap $V
probes_snap
rdo "$R_PID" "pageout 0 200000"
note "pageout: $RDO"
obs swapped "$(field swapped "$RDO")"
for v in $V; do obs "$v" "$(vm_delta "$v")"; done
obs anon_huge_kb "$(smaps_kb "$R_PID" "$R_ADDR" "$END" AnonHugePages)"
obs swap_kb "$(smaps_kb "$R_PID" "$R_ADDR" "$END" Swap)"
obs try_to_unmap_one "$(probe_d try_to_unmap_one hits)"
obs split_huge_pmd_address "$(probe_d split_huge_pmd_address hits)"
obs split_huge_pmd_locked "$(probe_d split_huge_pmd_locked hits)"
obs __split_huge_pmd "$(probe_d __split_huge_pmd hits)"
obs split_huge_page "$(( $(probe_d split_huge_page_to_list hits) + $(probe_d split_huge_page_to_list_to_order hits) ))"
rdo "$R_PID" "check 0 200000"
obs contents_ok "$([ "$(field bad "$RDO")/$(field zero "$RDO")" = 0/0 ] && echo 1 || echo 0)"
