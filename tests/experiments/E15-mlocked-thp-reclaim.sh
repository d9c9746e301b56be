# E15: reclaim never splits, unmaps or discards a THP in a VM_LOCKED vma (incl. MADV_FREE then mlock)
# seed: S002
# setup: in a cgroup-v2 memcg with swap on a loop device: (a) a written 2 MiB anon THP, mlock()ed; (b) a written THP, madvise(MADV_FREE) (lazyfree), then mlock()ed
# op: (a) MADV_PAGEOUT on the range, then memory.reclaim; (b) memory.reclaim; smaps, kpageflags, contents before and after
# expect: b_swapbacked=0 a_pageout=err=22 a_anon_huge_kb=2048 a_mlocked_kb=2048 a_swap_kb=0 thp_split_pmd=0 a_pageout_try_to_unmap_one=0 a_mlocked=1 a_contents_ok=1 b_anon_huge_kb=2048 b_mlocked_kb=2048 b_mlocked=1 b_contents_ok=1 b_swap_kb=0
# a_pageout: MADV_PAGEOUT on a VM_LOCKED vma is refused with EINVAL (22)
# (can_madv_lru_vma()), it does not silently skip it.
# *_try_to_unmap_one counts every call during MADV_PAGEOUT of this range
# (nothing else reclaims then).  memory.reclaim also reclaims the shell's
# own pages, so try_to_unmap_one hits there are only logged.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_swap
cg_enter
probes_on try_to_unmap_one folio_referenced_one split_huge_pmd_address split_huge_pmd_locked
# state X PID ADDR: the THP's smaps, flags and contents, as X_* observations.
state() {
	local end=$(($3 + 2097152)) pfn
	obs "$1_anon_huge_kb" "$(smaps_kb "$2" "$3" "$end" AnonHugePages)"
	obs "$1_mlocked_kb" "$(smaps_kb "$2" "$3" "$end" Locked)"
	obs "$1_swap_kb" "$(smaps_kb "$2" "$3" "$end" Swap)"
	pfn=$(pagemap_pfn "$2" "$3")
	obs "$1_mlocked" "$([ -n "$pfn" ] && kpf "$pfn" "$KPF_MLOCKED" || echo 0)"
	rdo "$2" "check 0 200000"
	obs "$1_contents_ok" "$([ "$(field bad "$RDO")/$(field zero "$RDO")" = 0/0 ] && echo 1 || echo 0)"
}
V="thp_split_pmd pswpout"
mig_start --thp --len 2097152
PA=$R_PID AA=$R_ADDR
rdo "$PA" "mlock 0 200000"
mig_start --thp --len 2097152
PB=$R_PID BA=$R_ADDR
rdo "$PB" "madv free 0 200000"
rdo "$PB" "mlock 0 200000"
# MADV_FREE made it lazyfree: PG_swapbacked cleared (the folio sits on the
# file LRU as a clean, discardable folio until mlock).
obs b_swapbacked "$(kpf "$(pagemap_pfn "$PB" "$BA")" "$KPF_SWAPBACKED")"
[ "$(kpf "$(pagemap_pfn "$PA" "$AA")" "$KPF_THP")$(kpf "$(pagemap_pfn "$PB" "$BA")" "$KPF_THP")" = 11 ] || die "not THPs"

# shellcheck disable=SC2086
vm_snap $V
probes_snap
echo "madv pageout 0 200000" >&"${RIN[$PA]}"; read -r -u "${ROUT[$PA]}" RDO
obs a_pageout "${RDO%% *}"
obs a_pageout_try_to_unmap_one "$(probe_d try_to_unmap_one hits)"
cg_reclaim 64M
cg_reclaim 64M
note "memory.reclaim: try_to_unmap_one=$(probe_d try_to_unmap_one hits) folio_referenced_one=$(probe_d folio_referenced_one hits) split_huge_pmd_address=$(probe_d split_huge_pmd_address hits) split_huge_pmd_locked=$(probe_d split_huge_pmd_locked hits) pswpout=$(vm_delta pswpout)"
obs thp_split_pmd "$(vm_delta thp_split_pmd)"
state a "$PA" "$AA"
state b "$PB" "$BA"
