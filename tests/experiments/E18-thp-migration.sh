# E18: THP migration with room on the target node: the THP moves whole, still PMD-mapped
# seed: S002; S003
# setup: a written 2 MiB anon THP on node 0 (mig_region --thp); node 1 mostly free
# op: migrate node=1 verify=1 (variant (a) of the catalogue)
# expect: result=migrated checks=ok order=9->9 new_node=1 new_thp=1 anon_huge_kb=2048 thp_migration_success=1 thp_migration_split=0 thp_migration_fail=0 pgmigrate_success=512 set_pmd_migration_entry=1 remove_migration_pmd=1 try_to_migrate_one=1 move_to_new_folio_ret0=1 contents_ok=1
# fast: yes
# Variant (b), node 1 fragmented first (thp_migration_split, then 512 base
# pages), is left out: node 1 would have to be filled with unmovable 4 KiB
# pages (mlocked with vm.compact_unevictable_allowed=0, or pinned; mmlab's
# pin holds at most 65536 pages, node 1 has ~240000) with 4 KiB holes left,
# which takes most of the 60 s budget under TCG and is not dependable.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
probes_on @migration set_pmd_migration_entry remove_migration_pmd
mig_start --thp --len 2097152
END=$((R_ADDR + 2097152))
OLD=$(pagemap_pfn "$R_PID" "$R_ADDR")
[ "$(kpf "$OLD" "$KPF_THP")" = 1 ] || die "not a THP"
V="thp_migration_success thp_migration_split thp_migration_fail pgmigrate_success"
# shellcheck disable=SC2086
vm_snap $V
probes_snap
cmd "migrate pid=$R_PID addr=$R_ADDR node=1 verify=1"
for v in $V; do obs "$v" "$(vm_delta "$v")"; done
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs checks "$(field checks "$M")"
obs order "$(field order "$M")"
NEW=$(pagemap_pfn "$R_PID" "$R_ADDR")
obs new_node "$(node_of "$R_PID" "$R_ADDR")"
obs new_thp "$(kpf "$NEW" "$KPF_THP")"
obs anon_huge_kb "$(smaps_kb "$R_PID" "$R_ADDR" "$END" AnonHugePages)"
obs set_pmd_migration_entry "$(probe_d set_pmd_migration_entry hits)"
obs remove_migration_pmd "$(probe_d remove_migration_pmd hits)"
obs try_to_migrate_one "$(probe_d try_to_migrate_one hits)"
obs move_to_new_folio_ret0 "$(probe_ret move_to_new_folio 0)"
rdo "$R_PID" "check 0 200000"
obs contents_ok "$([ "$(field bad "$RDO")/$(field zero "$RDO")" = 0/0 ] && echo 1 || echo 0)"
