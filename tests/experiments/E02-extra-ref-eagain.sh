# E02: an extra reference held makes migration fail with -EAGAIN, ten tries
# seed: S004; S003 11/12
# setup: one written private anon page on node 0; mmlab pin (folio_get) holds one extra reference
# op: pin; migrate node=1; unpin; migrate node=1 again
# expect: result=failed err=EAGAIN reason=refcount refs_over_expected=1 pgmigrate_fail=1 pfn_kept=1 move_to_new_folio_eagain=10 after_unpin=migrated
# expect: tl_move=10 tl_move_eagain=10 tl_isolated=1 tl_putback=1
# expect 6.1: folio_migrate_mapping_eagain=10 tl_unmap=10 tl_remap=10
# expect 6.12: folio_migrate_mapping_eagain=0 tl_unmap=2 tl_remap=2
# predict 6.1: move_to_new_folio_eagain=10 folio_migrate_mapping_eagain=10
# predict 6.12: move_to_new_folio_eagain=10
# fast: yes
# On 6.12 __migrate_folio() checks the refcount itself and never calls the
# exported folio_migrate_mapping() for an anon folio (measured in 15_probes).
# tl_*: the migration's steps from its timeline (migrate trace=1,
# docs/inject.md): ten tries on both kernels, each unmapping and remapping
# the page on 6.1, while 6.12 unmaps it once in its async pass and once in
# its sync pass and keeps it unmapped across each pass's tries.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
load
probes_on @migration
start_pages anon
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
exec 7<>"$D/control"
echo "pin pid=$PG_PID addr=$PG_ADDR" >&7 || die "pin"
vm_snap pgmigrate_fail
probes_snap
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 trace=1"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs err "$(field err "$M")"
obs reason "$(field reason "$M")"
obs refs_over_expected "$(( $(field refs "$M") - $(field expected_refs "$M") ))"
obs pgmigrate_fail "$(vm_delta pgmigrate_fail)"
obs move_to_new_folio_eagain "$(probe_ret move_to_new_folio EAGAIN)"
obs folio_migrate_mapping_eagain "$(probe_ret folio_migrate_mapping EAGAIN)"
for w in isolated unmap move remap putback; do obs "tl_$w" "$(tl_count "$REPLY_TEXT" $w)"; done
obs tl_move_eagain "$(tl_count "$REPLY_TEXT" move EAGAIN)"
obs pfn_kept "$([ "$(pagemap_pfn "$PG_PID" "$PG_ADDR")" = "$OLD" ] && echo 1 || echo 0)"
exec 7>&-
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1"
obs after_unpin "$(field result "$(mig_line "$REPLY_TEXT")")"
