# E04: migrating a clean ext4 page-cache page mapped by two processes, with and without an extra reference
# seed: S004; S003 11/12
# setup: ext4 on brd; a 1-page file written and synced (clean), mapped MAP_SHARED and read by two processes (mig_region)
# op: migrate node=1 verify=1; then pin (extra folio reference) + migrate node=0; unpin
# expect: result=migrated checks=ok new_node=1 pfn_changed=1 both_map_new=1 mapcount_after=2 dirty_after=0 try_to_migrate_one=2 remove_migration_pte=2 move_to_new_folio_ret0=1 a_op=buffer_migrate_folio node0_file_pages<=0 node1_file_pages>=1 pinned_result=failed pinned_err=EAGAIN pinned_reason=refcount pinned_attempts=10 pinned_pfn_kept=1 pinned_both_map=1 pinned_move_to_new_folio_eagain=10 buffer_migrate_folio_eagain=10 folio_migrate_mapping_eagain=0 __folio_migrate_mapping_eagain=0
# expect: tl_move=10 tl_move_eagain=10 tl_unmap_is_probe=1 tl_remap_is_probe=1 tl_unmap_addrs=2
# expect 6.1: pinned_try_to_migrate_one=20 pinned_remove_migration_pte=20 tl_unmap=20
# expect 6.12: pinned_try_to_migrate_one=4 pinned_remove_migration_pte=4 tl_unmap=4
# fast: yes
# a_op: ext4's migrate_folio is buffer_migrate_folio on both kernels (the
# page has buffer heads: the file was written with write(2)).  With the
# extra reference, the -EAGAIN comes from buffer_migrate_folio()'s own
# refcount check before anything is frozen, not (as the catalogue says)
# from folio_ref_freeze() under xas_lock_irq: folio_migrate_mapping() /
# __folio_migrate_mapping() never return -EAGAIN here.
# Difference: 6.1 unmaps and remaps both mappings on each of the 10
# attempts (20 try_to_migrate_one, 20 remove_migration_pte); 6.12 unmaps
# once per pass (async pass: 3 moves, sync pass: 7 moves, with the
# migration entries kept in between): 4 and 4.  The two processes wait on
# migration entries for the whole pass on 6.12.
# Memcg numa_stat is not read (the guest's tasks are in the root memcg,
# which has no numa_stat); the per-node vmstat counters stand for it.
# node*_mapped (nr_mapped) is logged, not expected: one 6.1 run saw node0
# 0 instead of -1 (something else mapped a file page on node 0 meanwhile).
# node*_file_pages are bounds, not exact: on the lab kernel (slow, so a
# longer window) node0 moved by 0, not -1, once (2026-12-03) while the
# page did move (pfn_changed=1, new_node=1): a page-cache page of some
# other file, such as the ext4 journal's on the ram disk, came meanwhile.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_ext4
probes_on @migration "buffer_migrate_folio ret" "filemap_migrate_folio ret" "__folio_migrate_mapping ret"
mig_start --file "$EXT4/e04" --len 4096
P1=$R_PID A1=$R_ADDR
mig_start --file "$EXT4/e04" --len 4096 --keep
P2=$R_PID A2=$R_ADDR
OLD=$(pagemap_pfn "$P1" "$A1")
[ "$(pagemap_pfn "$P2" "$A2")" = "$OLD" ] || die "the two processes map different pages"
[ "$(kpagecount "$OLD")" = 2 ] || die "mapcount before: $(kpagecount "$OLD")"
[ "$(kpf "$OLD" "$KPF_DIRTY")" = 0 ] || die "page dirty before"
probes_snap
echo 1 >/proc/sys/vm/stat_refresh
n0f=$(node_vm 0 nr_file_pages) n1f=$(node_vm 1 nr_file_pages)
n0m=$(node_vm 0 nr_mapped) n1m=$(node_vm 1 nr_mapped)
cmd "migrate pid=$P1 addr=$A1 node=1 verify=1"
echo 1 >/proc/sys/vm/stat_refresh
obs node0_file_pages $(( $(node_vm 0 nr_file_pages) - n0f ))
obs node1_file_pages $(( $(node_vm 1 nr_file_pages) - n1f ))
obs node0_mapped $(( $(node_vm 0 nr_mapped) - n0m ))
obs node1_mapped $(( $(node_vm 1 nr_mapped) - n1m ))
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs checks "$(field checks "$M")"
NEW=$(pagemap_pfn "$P1" "$A1")
obs new_node "$(node_of "$P1" "$A1")"
obs pfn_changed "$([ "$NEW" != "$OLD" ] && echo 1 || echo 0)"
obs both_map_new "$([ "$(pagemap_pfn "$P2" "$A2")" = "$NEW" ] && echo 1 || echo 0)"
obs mapcount_after "$(kpagecount "$NEW")"
obs dirty_after "$(kpf "$NEW" "$KPF_DIRTY")"
obs try_to_migrate_one "$(probe_d try_to_migrate_one hits)"
obs remove_migration_pte "$(probe_d remove_migration_pte hits)"
obs move_to_new_folio_ret0 "$(probe_ret move_to_new_folio 0)"
note "buffer_migrate_folio ret0=$(probe_ret buffer_migrate_folio 0) filemap_migrate_folio ret0=$(probe_ret filemap_migrate_folio 0) folio_migrate_mapping ret0=$(probe_ret folio_migrate_mapping 0) __folio_migrate_mapping ret0=$(probe_ret __folio_migrate_mapping 0)"
a_op=none
[ "$(probe_ret buffer_migrate_folio 0)" -ge 1 ] && a_op=buffer_migrate_folio
[ "$(probe_ret filemap_migrate_folio 0)" -ge 1 ] && a_op=filemap_migrate_folio
obs a_op "$a_op"

# An extra reference: the kernel's refcount freeze refuses, ten attempts.
exec 7<>"$D/control"
echo "pin pid=$P1 addr=$A1" >&7 || die "pin"
probes_snap
cmd "migrate pid=$P1 addr=$A1 node=0 trace=1"
M=$(mig_line "$REPLY_TEXT"); note "$M"
# The timeline (trace=1): each try's steps, each mapping's unmap by its
# own address; its counts against the probes' hits of the same functions.
U=$(tl_count "$REPLY_TEXT" unmap) R=$(tl_count "$REPLY_TEXT" remap)
obs tl_unmap "$U"
obs tl_move "$(tl_count "$REPLY_TEXT" move)"
obs tl_move_eagain "$(tl_count "$REPLY_TEXT" move EAGAIN)"
obs tl_unmap_is_probe "$([ "$U" = "$(probe_d try_to_migrate_one hits)" ] && echo 1 || echo 0)"
obs tl_remap_is_probe "$([ "$R" = "$(probe_d remove_migration_pte hits)" ] && echo 1 || echo 0)"
obs tl_unmap_addrs "$(grep '^step .* what=unmap ' <<<"$REPLY_TEXT" | grep -o ' addr=0x[0-9a-f]*' | sort -u | wc -l)"
obs pinned_result "$(field result "$M")"
obs pinned_err "$(field err "$M")"
obs pinned_reason "$(field reason "$M")"
obs pinned_attempts "$(field attempts "$M")"
obs pinned_try_to_migrate_one "$(probe_d try_to_migrate_one hits)"
obs pinned_remove_migration_pte "$(probe_d remove_migration_pte hits)"
obs pinned_move_to_new_folio_eagain "$(probe_ret move_to_new_folio EAGAIN)"
obs folio_migrate_mapping_eagain "$(probe_ret folio_migrate_mapping EAGAIN)"
obs buffer_migrate_folio_eagain "$(probe_ret buffer_migrate_folio EAGAIN)"
obs __folio_migrate_mapping_eagain "$(probe_ret __folio_migrate_mapping EAGAIN)"
obs pinned_pfn_kept "$([ "$(pagemap_pfn "$P1" "$A1")" = "$NEW" ] && echo 1 || echo 0)"
obs pinned_both_map "$([ "$(pagemap_pfn "$P2" "$A2")" = "$NEW" ] && echo 1 || echo 0)"
exec 7>&-
