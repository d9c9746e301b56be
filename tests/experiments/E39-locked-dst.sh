# E39: a destination page handed out locked gives -EAGAIN, not BUG
# seed: S003 7/12
# setup: one written private anon page; migrate dst=locked hands out mmlab pages whose folio lock mmlab holds; migration probe set
# op: migrate dst=locked node=1; then migrate dst=pool node=1
# expect: result=failed reason=dst_locked pfn_kept=1 allocated=10 returned=10 not_pristine=0 move_to_new_folio=0 try_to_migrate_one=0 after=migrated
# predict 6.1: result=failed move_to_new_folio=0 try_to_migrate_one=0 allocated=10 returned=10
# predict 6.12: result=failed move_to_new_folio=0 try_to_migrate_one=0 allocated=10 returned=10
# fast: yes
# The dst folio_trylock() comes before the source is unmapped, so no
# migration entry is ever installed; every try hands the page back.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
load
probes_on @migration
start_pages anon
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
probes_snap
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 dst=locked"
M=$(mig_line "$REPLY_TEXT"); S=$(sum_line "$REPLY_TEXT"); note "$M"; note "$S"
obs result "$(field result "$M")"
obs reason "$(field reason "$M")"
obs allocated "$(field allocated "$S")"
obs returned "$(field returned "$S")"
obs not_pristine "$(field not_pristine "$S")"
obs move_to_new_folio "$(probe_d move_to_new_folio mmlab)"
obs try_to_migrate_one "$(probe_d try_to_migrate_one mmlab)"
obs pfn_kept "$([ "$(pagemap_pfn "$PG_PID" "$PG_ADDR")" = "$OLD" ] && echo 1 || echo 0)"
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 dst=pool"
obs after "$(field result "$(mig_line "$REPLY_TEXT")")"
