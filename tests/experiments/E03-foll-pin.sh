# E03: a FOLL_PIN on an exclusive anon page fails migration earlier than a FOLL_GET
# seed: S004; S001 l.345
# setup: one written private anon page (PageAnonExclusive); mmlab pin mode=pin (pin_user_pages_remote); the migration probe set; tracepoint migrate:set_migration_pte
# op: pin mode=pin; migrate node=1; unpin; migrate node=1 again
# expect: pin_mode=pin result=failed reason=pinned pfn_kept=1 pgmigrate_fail=1 move_to_new_folio=0 set_migration_pte=0 try_to_migrate_one>=1 after_unpin=migrated
# predict 6.1: result=failed move_to_new_folio=0 set_migration_pte=0 pgmigrate_fail=1
# predict 6.12: result=failed move_to_new_folio=0 set_migration_pte=0 pgmigrate_fail=1
# fast: yes
# try_to_migrate_one() cannot share a pinned exclusive page (page_try_share_anon_rmap()
# on 6.1, folio_try_share_anon_rmap_pte() on 6.12 refuse folio_maybe_dma_pinned), so
# it restores the pte and stops the walk: no migration entry, no copy attempt.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
load
probes_on @migration
start_pages anon
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
exec 7<>"$D/control"
echo "pin pid=$PG_PID addr=$PG_ADDR mode=pin" >&7 || die "pin mode=pin"
P=$(grep -m1 '^pin ' <&7); note "$P"
obs pin_mode "$(field mode "$P")"
TP=/sys/kernel/tracing
echo >"$TP/trace"
echo 1 >"$TP/events/migrate/set_migration_pte/enable"
vm_snap pgmigrate_fail
probes_snap
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1"
echo 0 >"$TP/events/migrate/set_migration_pte/enable"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs reason "$(field reason "$M")"
obs attempts "$(field attempts "$M")"
obs pgmigrate_fail "$(vm_delta pgmigrate_fail)"
obs move_to_new_folio "$(probe_d move_to_new_folio mmlab)"
obs try_to_migrate_one "$(probe_d try_to_migrate_one mmlab)"
obs set_migration_pte "$(grep -c 'set_migration_pte:' "$TP/trace")"
obs pfn_kept "$([ "$(pagemap_pfn "$PG_PID" "$PG_ADDR")" = "$OLD" ] && echo 1 || echo 0)"
exec 7>&-
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1"
obs after_unpin "$(field result "$(mig_line "$REPLY_TEXT")")"
