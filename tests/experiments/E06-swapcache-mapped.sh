# E06: migrating a mapped swapcache page uses migration entries: no fault afterwards
# seed: S003 10/12
# setup: swap on a loop device; one anon page paged out (MADV_PAGEOUT until its pte is a swap entry), then read back: a read fault leaves it in the swap cache, mapped read-only
# op: migrate node=1 verify=1; then read the page (getrusage fault deltas around the read)
# expect: before_swapcache=1 result=migrated checks=ok new_node=1 pfn_changed=1 swapcache_after=1 present_after=1 try_to_migrate_one=1 remove_migration_pte=1 read_minflt=0 read_majflt=0 pswpin=0 do_swap_page=0
# fast: yes
# Not checked: that the new folio keeps the same swap entry
# (folio->private): mmlab's inspect shows swp= only for a swap pte, not a
# present swapcache page's entry.  swapcache_after=1 and no pswpin on the
# later read are the evidence that it stayed in the swap cache.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_swap
probes_on @migration do_swap_page
mig_start --len 4096
rdo "$R_PID" "pageout 0 1000"
[ "$(field swapped "$RDO")" = 1 ] || die "not swapped out: $RDO"
rdo "$R_PID" "read 0"
note "read back: $RDO"
OLD=$(pagemap_pfn "$R_PID" "$R_ADDR")
[ -n "$OLD" ] || die "not present after the read"
page_line "$R_PID" "$R_ADDR"; note "$PL"
obs before_swapcache "$(flag01 "$PL" swapcache)"
vm_snap pswpin
probes_snap
cmd "migrate pid=$R_PID addr=$R_ADDR node=1 verify=1"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs checks "$(field checks "$M")"
NEW=$(pagemap_pfn "$R_PID" "$R_ADDR")
obs present_after "$([ -n "$NEW" ] && echo 1 || echo 0)"
obs new_node "$(node_of "$R_PID" "$R_ADDR")"
obs pfn_changed "$([ "$NEW" != "$OLD" ] && echo 1 || echo 0)"
obs swapcache_after "$(kpf "$NEW" "$KPF_SWAPCACHE")"
obs try_to_migrate_one "$(probe_d try_to_migrate_one hits)"
obs remove_migration_pte "$(probe_d remove_migration_pte hits)"
# The read after migration: the new page is mapped, so no fault at all.
probes_snap
rdo "$R_PID" "read 0"
obs read_minflt "$(field minflt "$RDO")"
obs read_majflt "$(field majflt "$RDO")"
obs pswpin "$(vm_delta pswpin)"
obs do_swap_page "$(probe_d do_swap_page hits)"
