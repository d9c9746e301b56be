# E45: a migrated mlocked mTHP: is the new folio mlocked? and does reclaim's folio_referenced_one() mlock it again? (E11 for the PMD THP)
# seed: issue 21 (large folios); S003 3/12
# setup: 6.12: a written 64 KiB mTHP (pages mlock-mthp --order 4, only 64 KiB enabled) mlock()ed after its fault: KPF_MLOCKED on its 16 pages, Mlocked +64 kB; 6.1: the page helper's answer
# op: migrate node=1; kpageflags, Mlocked and unevictable_pgs_* deltas; then mmlab rmap action=referenced (reclaim's folio_referenced() on the folio)
# expect 6.1: mthp_rc=95 mthp_reason=no_mthp_sysfs
# expect 6.12: before_mlocked=16 before_unevictable=16 setup_mlocked_kb=64 result=migrated order=4->4 checks=mlocked new_node=1 new_mlocked=0 new_unevictable=0 mlocked_kb=-64 unevictable_pgs_stranded=16 unevictable_pgs_rescued=16 unevictable_pgs_mlocked=0 unevictable_pgs_culled=0 referenced_vm_flags=locked referenced_mlocked=16 referenced_mlocked_kb=64
# predict 6.12: before_mlocked=16 before_unevictable=16 setup_mlocked_kb=64 result=migrated order=4->4 checks=mlocked new_mlocked=0 new_unevictable=0 mlocked_kb=-64 unevictable_pgs_stranded=16 unevictable_pgs_rescued=16 referenced_vm_flags=locked referenced_mlocked=16 referenced_mlocked_kb=64
# predict 6.1: mthp_rc=95 mthp_reason=no_mthp_sysfs
# fast: yes
# From 6.12's source: mlock() of a range that covers the folio whole
# mlocks it (mlock_pte_range(): allow_mlock_munlock()).  Migration unmaps
# it (folio_remove_rmap_pte() -> munlock_vma_folio(): the isolated source
# loses PG_mlocked with PG_unevictable still set: "stranded", Mlocked -64
# kB); folio_migrate_flags() copies PG_unevictable, not PG_mlocked, and the
# destination's folio_add_lru() finds it evictable ("rescued").  As for
# E11's PMD THP, nothing mlocks it again: remove_migration_pte()'s
# folio_add_anon_rmap_pte() mlocks only small folios ("leave page reclaim
# to handle large folio").  folio_referenced_one() does: a large folio in
# a VM_LOCKED vma, inside it and one page table, with all its PTEs found,
# gets mlock_vma_folio().  6.1 has no mTHP (a PTE-mapped THP is its
# nearest: page_add_anon_rmap() mlocks only a PMD mapping or a small page).
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-large.sh"
load
has_mthp || exit 0
mthp_only 64
ML0=$(meminfo Mlocked)
start_pages mlock-mthp --order 4
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
[ "$(kpf_order "$OLD")" = 4 ] || die "not a 64 KiB folio"
obs before_mlocked "$(kpf_sum "$OLD" 16 "$KPF_MLOCKED")"
obs before_unevictable "$(kpf_sum "$OLD" 16 "$KPF_UNEVICTABLE")"
obs setup_mlocked_kb $(( $(meminfo Mlocked) - ML0 ))
U="unevictable_pgs_stranded unevictable_pgs_rescued unevictable_pgs_mlocked unevictable_pgs_munlocked unevictable_pgs_culled unevictable_pgs_cleared"
# shellcheck disable=SC2086
vm_snap $U
ML0=$(meminfo Mlocked)
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=64K node=1"
[ -z "$ERR" ] || die "migrate: $ERR"
M=$(mig_line "$REPLY_TEXT"); note "$M"; note "$(sum_line "$REPLY_TEXT")"
for u in $U; do obs "$u" "$(vm_delta "$u")"; done
obs mlocked_kb $(( $(meminfo Mlocked) - ML0 ))
obs result "$(field result "$M")"
obs order "$(field order "$M")"
obs checks "$(field checks "$M")"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs new_node "$(node_of "$PG_PID" "$PG_ADDR")"
obs new_mlocked "$(kpf_sum "$NEW" 16 "$KPF_MLOCKED")"
obs new_unevictable "$(kpf_sum "$NEW" 16 "$KPF_UNEVICTABLE")"
ML0=$(meminfo Mlocked)
cmd "rmap pid=$PG_PID addr=$PG_ADDR action=referenced"
[ -z "$ERR" ] || die "rmap: $ERR"
note "$(sum_line "$REPLY_TEXT")"
obs referenced_vm_flags "$(field referenced_vm_flags "$(sum_line "$REPLY_TEXT")")"
obs referenced_mlocked "$(kpf_sum "$NEW" 16 "$KPF_MLOCKED")"
obs referenced_mlocked_kb $(( $(meminfo Mlocked) - ML0 ))
