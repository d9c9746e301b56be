# E11: a migrated mlocked PMD-mapped THP: is the new THP mlocked? and does reclaim's folio_referenced_one() mlock it again?
# seed: S003 3/12; S002
# setup: in a cgroup-v2 memcg; a 2 MiB-aligned anon THP written and mlock()ed (pages mlock-thp): AnonHugePages 2048, Mlocked +2048 kB
# op: migrate node=1; kpageflags, Mlocked and unevictable_pgs_* deltas; then memory.reclaim on the memcg (kernel reclaim); then mmlab rmap action=referenced (reclaim's folio_referenced() on the folio)
# expect: before=11 result=migrated new_thp=1 new_node=1 anon_huge_kb=2048 thp_migration_success=1 unevictable_pgs_stranded=512 unevictable_pgs_rescued=512 remove_migration_pmd=1 set_pmd_migration_entry=1 reclaim_same_pfn=1 reclaim_mlocked=1 reclaim_swap_kb=0 reclaim_anon_huge_kb=2048 reclaim_thp_split_pmd=0 referenced_vm_flags=locked referenced_mlocked=1 referenced_mlock_folio=1 tl_isolated_mlocked=1 tl_unmap_mlocked=0 tl_freed=1
# expect 6.1: tl_remap_mlocked=1 tl_remap_unevictable=1 checks=ok new_mlocked=1 new_unevictable=1 mlocked_kb=0 mlock_folio=1 unevictable_pgs_mlocked=512 unevictable_pgs_culled=512 reclaim_mlocked_kb=0 reclaim_unevictable_pgs_mlocked=0 reclaim_mlock_folio=0
# expect 6.12: tl_remap_mlocked=0 tl_remap_unevictable=0 checks=mlocked new_mlocked=0 new_unevictable=0 mlocked_kb=-2048 mlock_folio=0 unevictable_pgs_mlocked=0 unevictable_pgs_culled=0 reclaim_mlocked_kb=2048 reclaim_unevictable_pgs_mlocked=512 reclaim_unevictable_pgs_culled=512 reclaim_mlock_folio=1
# predict 6.1: mlocked_kb=0
# predict 6.12: new_mlocked=0 new_unevictable=0 mlocked_kb=-2048 unevictable_pgs_rescued=512 reclaim_mlocked=1
# Finding (6.12): the migrated THP loses its mlock (mmlab's mlocked check
# fails: checks=mlocked, and a mmlab:check_failed event); Mlocked drops by
# 2048 kB.  The first memory.reclaim of its memcg puts it right:
# folio_referenced_one() meets the PMD mapping in a VM_LOCKED vma and calls
# mlock_vma_folio() (mlock_folio +1, unevictable_pgs_mlocked/culled +512,
# Mlocked +2048 kB); the THP is neither split nor swapped.  On 6.1 the new
# THP is mlocked by remove_migration_pmd() and reclaim has nothing to do.
# Until a reclaim pass reaches it, the 6.12 THP sits on an evictable LRU.
# The timeline (migrate trace=1, each step's state as the step left it)
# says where: on both kernels the source is mlocked when isolated and
# munlocked by its unmap (try_to_migrate_one() removes the PMD's rmap in
# a VM_LOCKED vma); the destination's first mapping (remap) mlocks it on
# 6.1 (remove_migration_pmd(): mlock_vma_page()) and not on 6.12, whose
# __folio_add_anon_rmap() mlocks small folios only ("leave page reclaim
# to handle large folio").
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_swap
cg_enter
probes_on @migration munlock_page munlock_folio remove_migration_pmd set_pmd_migration_entry folio_referenced_one try_to_unmap_one
start_pages mlock-thp
END=$((PG_ADDR + 2097152))
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs before "$(kpf "$OLD" "$KPF_MLOCKED")$(kpf "$OLD" "$KPF_UNEVICTABLE")"
U="unevictable_pgs_stranded unevictable_pgs_rescued unevictable_pgs_mlocked unevictable_pgs_munlocked unevictable_pgs_culled unevictable_pgs_cleared thp_migration_success"
# shellcheck disable=SC2086
vm_snap $U
ML0=$(meminfo Mlocked)
probes_snap
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 trace=1"
# The timeline: the source at its isolation and as its unmap left it, the
# destination as its first mapping (remap) left it, the source's free.
obs tl_isolated_mlocked "$(tl_flag "$REPLY_TEXT" isolated mlocked)"
obs tl_unmap_mlocked "$(tl_flag "$REPLY_TEXT" unmap mlocked)"
obs tl_remap_mlocked "$(tl_flag "$REPLY_TEXT" remap mlocked)"
obs tl_remap_unevictable "$(tl_flag "$REPLY_TEXT" remap unevictable)"
obs tl_freed "$(tl_count "$REPLY_TEXT" freed)"
for u in $U; do obs "$u" "$(vm_delta "$u")"; done
obs mlocked_kb $(( $(meminfo Mlocked) - ML0 ))
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs checks "$(field checks "$M")"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs new_node "$(node_of "$PG_PID" "$PG_ADDR")"
obs new_thp "$(kpf "$NEW" "$KPF_THP")"
obs new_mlocked "$(kpf "$NEW" "$KPF_MLOCKED")"
obs new_unevictable "$(kpf "$NEW" "$KPF_UNEVICTABLE")"
obs anon_huge_kb "$(smaps_kb "$PG_PID" "$PG_ADDR" "$END" AnonHugePages)"
obs mlock_folio "$(probe_d mlock_folio hits)"
obs munlock "$(( $(probe_d munlock_page hits) + $(probe_d munlock_folio hits) ))"
obs remove_migration_pmd "$(probe_d remove_migration_pmd hits)"
obs set_pmd_migration_entry "$(probe_d set_pmd_migration_entry hits)"

# Kernel reclaim of the memcg: does folio_referenced_one() (VM_LOCKED,
# !pvmw.pte) mlock the evictable THP again, before try_to_unmap?
# shellcheck disable=SC2086
vm_snap $U pswpout thp_split_pmd
ML0=$(meminfo Mlocked)
probes_snap
cg_reclaim 64M
cg_reclaim 64M
NEW2=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs reclaim_same_pfn "$([ "$NEW2" = "$NEW" ] && echo 1 || echo 0)"
obs reclaim_mlocked "$( [ -n "$NEW2" ] && kpf "$NEW2" "$KPF_MLOCKED" || echo 0)"
obs reclaim_mlocked_kb $(( $(meminfo Mlocked) - ML0 ))
obs reclaim_swap_kb "$(smaps_kb "$PG_PID" "$PG_ADDR" "$END" Swap)"
obs reclaim_anon_huge_kb "$(smaps_kb "$PG_PID" "$PG_ADDR" "$END" AnonHugePages)"
obs reclaim_thp_split_pmd "$(vm_delta thp_split_pmd)"
obs reclaim_unevictable_pgs_mlocked "$(vm_delta unevictable_pgs_mlocked)"
obs reclaim_unevictable_pgs_culled "$(vm_delta unevictable_pgs_culled)"
obs reclaim_folio_referenced_one "$(probe_d folio_referenced_one hits)"
obs reclaim_mlock_folio "$(probe_d mlock_folio hits)"

# Reclaim's referenced walk run on the folio directly (mmlab rmap
# action=referenced: folio_referenced() on the isolated, locked folio).
probes_snap
cmd "rmap pid=$PG_PID addr=$PG_ADDR action=referenced"
note "$(sum_line "$REPLY_TEXT")"
NEW3=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs referenced_vm_flags "$(field referenced_vm_flags "$(sum_line "$REPLY_TEXT")")"
obs referenced_mlocked "$( [ -n "$NEW3" ] && kpf "$NEW3" "$KPF_MLOCKED" || echo 0)"
obs referenced_mlock_folio "$(probe_d mlock_folio hits)"
obs referenced_folio_referenced_one "$(probe_d folio_referenced_one hits)"
