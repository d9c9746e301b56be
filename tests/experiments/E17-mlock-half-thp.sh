# E17: mlock of the first half of a THP (a large folio across a VM_LOCKED boundary), then reclaim
# seed: S002
# setup: in a cgroup-v2 memcg with swap on a loop device: a written 2 MiB anon THP (mig_region --thp); mlock() of its first 1 MiB (splits the vma and the PMD; the folio stays large, PTE-mapped in two vmas)
# op: inspect subpages 0 (locked half) and 300 (unlocked half); memory.reclaim on the memcg twice and MADV_PAGEOUT of the unlocked half; inspect again
# expect: anon_huge_kb=0 large_after_mlock=1 mlocked_before=0 mlock_thp_split_pmd=1 locked_swapped=0 locked_contents_ok=1 unlocked_mlocked=0 thp_split_page=1 locked_mlocked=256 locked_order_after=0 unlocked_swapped>0 unevictable_pgs_mlocked=256
# Measured, both kernels: mlock() of half the THP splits the PMD but
# leaves the folio large and not mlocked; reclaim then splits the folio
# (thp_split_page +1), and the 256 small folios of the locked half are
# mlocked again (unevictable_pgs_mlocked +256, from folio_referenced_one/
# try_to_unmap_one), none swapped; the unlocked half goes to swap (256 on
# 6.1, 255 or 256 on 6.12).  This answers the catalogue's [?] for 6.12:
# same outcome as 6.1.
# predict 6.1: thp_split_page=1 locked_mlocked=256
# locked_mlocked / unlocked_mlocked: pages of each half whose pfn is
# KPF_MLOCKED after the pressure; *_swapped: pages that are swap entries.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_swap
cg_enter
probes_on folio_referenced_one try_to_unmap_one mlock_folio "split_huge_page_to_list ret" "split_huge_page_to_list_to_order ret"
mig_start --thp --len 2097152
H=$((R_ADDR + 1048576)) END=$((R_ADDR + 2097152))
[ "$(kpf "$(pagemap_pfn "$R_PID" "$R_ADDR")" "$KPF_THP")" = 1 ] || die "not a THP"
V="thp_split_page thp_split_pmd pswpout unevictable_pgs_mlocked unevictable_pgs_culled"
# shellcheck disable=SC2086
vm_snap $V
rdo "$R_PID" "mlock 0 100000"
obs anon_huge_kb "$(smaps_kb "$R_PID" "$R_ADDR" "$END" AnonHugePages)"
page_line "$R_PID" "$R_ADDR"; note "page 0: $PL"
obs large_after_mlock "$([ "$(field order "$PL")" = 9 ] && echo 1 || echo 0)"
obs mlocked_before "$(flag01 "$PL" mlocked)"
page_line "$R_PID" $((R_ADDR + 300 * 4096)); note "page 300: $PL"
obs mlock_thp_split_pmd "$(vm_delta thp_split_pmd)"
obs locked_mlocked_kb_before "$(smaps_kb "$R_PID" "$R_ADDR" "$H" Locked)"
probes_snap
cg_reclaim 64M
cg_reclaim 64M
echo "madv pageout 100000 100000" >&"${RIN[$R_PID]}"; read -r -u "${ROUT[$R_PID]}" RDO
note "MADV_PAGEOUT of the unlocked half: $RDO"
for v in $V; do obs "$v" "$(vm_delta "$v")"; done
obs folio_referenced_one "$(probe_d folio_referenced_one hits)"
obs try_to_unmap_one "$(probe_d try_to_unmap_one hits)"
obs mlock_folio "$(probe_d mlock_folio hits)"
obs split_huge_page "$(( $(probe_d split_huge_page_to_list hits) + $(probe_d split_huge_page_to_list_to_order hits) ))"
obs locked_swapped "$(swapped_count "$R_PID" 0 100000)"
obs unlocked_swapped "$(swapped_count "$R_PID" 100000 100000)"
obs locked_mlocked "$(kpf_count "$R_PID" 0 100000 "$KPF_MLOCKED")"
obs unlocked_mlocked "$(kpf_count "$R_PID" 100000 100000 "$KPF_MLOCKED")"
page_line "$R_PID" "$R_ADDR"; note "page 0 after: $PL"
obs locked_order_after "$(field order "$PL")"
rdo "$R_PID" "check 0 100000"
obs locked_contents_ok "$([ "$(field bad "$RDO")/$(field zero "$RDO")" = 0/0 ] && echo 1 || echo 0)"
