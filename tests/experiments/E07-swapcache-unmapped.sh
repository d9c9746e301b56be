# E07: migrating an unmapped swapcache page behind a swap pte (migrate swapcache=1)
# seed: S003 9/12; S000 l.7
# setup: swap on a loop device; two anon pages paged out once (MADV_PAGEOUT): the pte is a swap entry, the page stays in the swap cache (written, not yet freed)
# op: inspect; migrate node=1 of page 0 (plain, then as a 2-page range); move_pages(2) status; read page 0. Then migrate swapcache=1 node=1 of page 1 (mmlab looks the swap entry up in the swap cache); read page 1: a minor fault that finds the new page
# expect: pte=swap swp_shown=1 migrate_errno=ENOENT range_result=skipped range_reason=swapped_out move_pages_status=-2 read_minflt=1 read_majflt=0 pswpin=0 do_swap_page=1 migrate_pages_calls=0 sc_result=migrated sc_checks=ok sc_new_nid=1 sc_try_to_migrate_one=0 sc_move_to_new_folio_ret0=1 sc_read_minflt=1 sc_read_majflt=0 sc_pswpin=0 sc_node_after_read=1 sc_contents_same=1
# predict: sc_result=migrated sc_try_to_migrate_one=0 sc_read_minflt=1 sc_pswpin=0 do_swap_page=1
# fast: yes
# Without swapcache=1, mmlab's migrate finds pages with the page-table
# walker only: a swap pte is refused (ENOENT, one page) or skipped
# (reason=swapped_out, in a range), as move_pages(2) refuses it (-ENOENT).
# With swapcache=1 the swap entry is looked up in the swap cache (what the
# charge mover's mc_handle_swap_pte() does) and that folio is migrated:
# page_was_mapped=0, so no migration entry (try_to_migrate_one 0), the swap
# cache now holds the new folio, the pte stays a swap entry, and the next
# read is a minor fault that maps the new page on node 1 without I/O.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_swap
probes_on @migration do_swap_page
mig_start --len 8192
rdo "$R_PID" "pageout 0 2000"
[ "$(field swapped "$RDO")" = 2 ] || die "not swapped out: $RDO"
note "pageout: $RDO"
page_line "$R_PID" "$R_ADDR"; note "$PL"
obs pte "$(field pte "$PL")"
obs swp_shown "$([ -n "$(field swp "$PL")" ] && echo 1 || echo 0)"
vm_snap pswpin
probes_snap
cmd "migrate pid=$R_PID addr=$R_ADDR node=1"
note "migrate: errno=$ERR $REPLY_TEXT"
obs migrate_errno "${ERR:-none}"
cmd "migrate pid=$R_PID addr=$R_ADDR len=8K node=1"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs range_result "$(field result "$M")"
obs range_reason "$(field reason "$M")"
obs migrate_pages_calls "$(probe_d migrate_pages hits)"
obs move_pages_status "$(node_of "$R_PID" "$R_ADDR")"
probes_snap
rdo "$R_PID" "read 0"
obs read_minflt "$(field minflt "$RDO")"
obs read_majflt "$(field majflt "$RDO")"
obs pswpin "$(vm_delta pswpin)"
obs do_swap_page "$(probe_d do_swap_page hits)"

# Page 1, through the swap cache.
A1=$((R_ADDR + 4096))
probes_snap
vm_snap pswpin
cmd "migrate pid=$R_PID addr=$A1 node=1 swapcache=1 verify=1"
M=$(mig_line "$REPLY_TEXT"); note "swapcache=1: errno=$ERR $M"
obs sc_result "$(field result "$M")"
obs sc_checks "$(field checks "$M")"
obs sc_new_nid "$(field new_nid "$M")"
obs sc_try_to_migrate_one "$(probe_d try_to_migrate_one mmlab)"
obs sc_move_to_new_folio_ret0 "$(probe_ret move_to_new_folio 0)"
rdo "$R_PID" "read 1000"
obs sc_read_minflt "$(field minflt "$RDO")"
obs sc_read_majflt "$(field majflt "$RDO")"
obs sc_pswpin "$(vm_delta pswpin)"
obs sc_node_after_read "$(node_of "$R_PID" "$A1")"
NEW=$(pagemap_pfn "$R_PID" "$A1")
obs sc_contents_same "$([ "$(printf '0x%x' "$NEW")" = "$(field new_pfn "$M")" ] && [ "$(mem_hex "$R_PID" "$A1" 8)" = 08080808 ] && echo 1 || echo 0)"
