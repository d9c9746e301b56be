# E19: an extra reference on a tail page of a THP makes the whole THP's migration fail
# seed: S004
# setup: a written 2 MiB anon THP (mig_region --thp); mmlab pin (folio_get) on subpage 100
# op: migrate the head address to node 1; unpin; migrate again
# expect: result=failed err=EAGAIN reason=refcount refs_over_expected=1 pfn_kept=1 anon_huge_kb=2048 pgmigrate_fail=512 thp_migration_split=0 split_huge_page=0 after_unpin=migrated after_unpin_order=9->9
# expect: attempts=10 move_to_new_folio_eagain=10
# expect 6.1: try_to_migrate_one=10
# expect 6.12: try_to_migrate_one=2
# 6.1 unmaps and remaps the THP on each of the 10 attempts; 6.12 unmaps it
# once per pass (async, then sync) and retries the move with the PMD
# migration entry kept in place (as in E04).
# predict: thp_migration_fail=1
# fast: yes
# move_to_new_folio_eagain: how many attempts the kernel made (logged per
# kernel in the expect lines).
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
probes_on @migration "split_huge_page_to_list ret" "split_huge_page_to_list_to_order ret"
mig_start --thp --len 2097152
END=$((R_ADDR + 2097152))
OLD=$(pagemap_pfn "$R_PID" "$R_ADDR")
[ "$(kpf "$OLD" "$KPF_THP")" = 1 ] || die "not a THP"
exec 7<>"$D/control"
echo "pin pid=$R_PID addr=$((R_ADDR + 100 * 4096))" >&7 || die "pin"
V="thp_migration_success thp_migration_split thp_migration_fail pgmigrate_fail pgmigrate_success"
# shellcheck disable=SC2086
vm_snap $V
probes_snap
cmd "migrate pid=$R_PID addr=$R_ADDR node=1"
for v in $V; do obs "$v" "$(vm_delta "$v")"; done
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs err "$(field err "$M")"
obs reason "$(field reason "$M")"
obs attempts "$(field attempts "$M")"
obs refs_over_expected "$(( $(field refs "$M") - $(field expected_refs "$M") ))"
obs move_to_new_folio_eagain "$(probe_ret move_to_new_folio EAGAIN)"
obs try_to_migrate_one "$(probe_d try_to_migrate_one hits)"
obs split_huge_page "$(( $(probe_d split_huge_page_to_list hits) + $(probe_d split_huge_page_to_list_to_order hits) ))"
obs pfn_kept "$([ "$(pagemap_pfn "$R_PID" "$R_ADDR")" = "$OLD" ] && echo 1 || echo 0)"
obs anon_huge_kb "$(smaps_kb "$R_PID" "$R_ADDR" "$END" AnonHugePages)"
exec 7>&-
cmd "migrate pid=$R_PID addr=$R_ADDR node=1"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs after_unpin "$(field result "$M")"
obs after_unpin_order "$(field order "$M")"
