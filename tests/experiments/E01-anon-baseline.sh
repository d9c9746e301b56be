# E01: baseline migration of a private anon page
# seed: S003 8/12, 11/12; S001 l.162
# setup: one written private anon page (mapcount 1) on node 0; the migration probe set attached
# op: migrate node=1 verify=1, then rmap on the new page
# expect: result=migrated checks=ok new_node=1 pfn_changed=1 contents_same=1 pgmigrate_success=1 move_to_new_folio_ret0=1 remove_migration_pte=1 migrate_pages=1 rmap_match=yes mapcount_after=1
# fast: yes
. "$MMLAB_ROOT/tests/experiments/lib.sh"
load
probes_on @migration
start_pages anon
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
MEM0=$(mem_hex "$PG_PID" "$PG_ADDR")
vm_snap pgmigrate_success
probes_snap
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 verify=1"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs checks "$(field checks "$M")"
obs pgmigrate_success "$(vm_delta pgmigrate_success)"
obs move_to_new_folio_ret0 "$(probe_ret move_to_new_folio 0)"
obs remove_migration_pte "$(probe_d remove_migration_pte mmlab)"
obs migrate_pages "$(probe_d migrate_pages mmlab)"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs new_node "$(node_of "$PG_PID" "$PG_ADDR")"
obs pfn_changed "$([ "$NEW" != "$OLD" ] && echo 1 || echo 0)"
obs contents_same "$([ "$(mem_hex "$PG_PID" "$PG_ADDR")" = "$MEM0" ] && echo 1 || echo 0)"
cmd "rmap pid=$PG_PID addr=$PG_ADDR"
S=$(sum_line "$REPLY_TEXT")
obs rmap_match "$(field match "$S")"
obs mapcount_after "$(kpagecount "$NEW")"
