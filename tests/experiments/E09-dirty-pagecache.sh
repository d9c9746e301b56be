# E09: a dirty ext4 page-cache page migrates without being re-dirtied or written
# seed: S003 12/12
# setup: ext4 on brd (flusher off); a 1-page file synced, mapped MAP_SHARED and read, then overwritten with write(2) (dirty folio, clean pte), never synced
# op: migrate node=1 verify=1; then fsync and read back with O_DIRECT
# expect: dirty_before=1 result=migrated checks=ok new_node=1 new_dirty=1 new_writeback=0 nr_dirty=0 node0_dirty=-1 node1_dirty=1 nr_dirtied=0 nr_written=0 dirty_probes=0 odirect_same=1
# fast: yes
# dirty_probes: mmlab-scoped hits of folio_clear_dirty_for_io,
# clear_page_dirty_for_io, folio_mark_dirty and __folio_mark_dirty during
# the migration.  Not done: the catalogue's "page under writeback" variant
# (MIGRATE_SYNC waits, async gives EBUSY): brd completes writeback at once,
# so a page cannot be held under writeback here.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_ext4
probes_on @migration folio_clear_dirty_for_io clear_page_dirty_for_io folio_mark_dirty __folio_mark_dirty "__folio_migrate_mapping ret"
mig_start --file "$EXT4/e09" --len 4096
rdo "$R_PID" "pwrite 0 1000 77"
OLD=$(pagemap_pfn "$R_PID" "$R_ADDR")
obs dirty_before "$(kpf "$OLD" "$KPF_DIRTY")"
page_line "$R_PID" "$R_ADDR"; note "$PL"
vm_snap nr_dirty nr_dirtied nr_written
n0=$(node_vm 0 nr_dirty) n1=$(node_vm 1 nr_dirty)
probes_snap
cmd "migrate pid=$R_PID addr=$R_ADDR node=1 verify=1"
obs nr_dirty "$(vm_delta nr_dirty)"
obs node0_dirty $(( $(node_vm 0 nr_dirty) - n0 ))
obs node1_dirty $(( $(node_vm 1 nr_dirty) - n1 ))
obs nr_dirtied "$(vm_delta nr_dirtied)"
obs nr_written "$(vm_delta nr_written)"
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs checks "$(field checks "$M")"
NEW=$(pagemap_pfn "$R_PID" "$R_ADDR")
obs new_node "$(node_of "$R_PID" "$R_ADDR")"
obs new_dirty "$(kpf "$NEW" "$KPF_DIRTY")"
obs new_writeback "$(kpf "$NEW" "$KPF_WRITEBACK")"
d=0
for s in folio_clear_dirty_for_io clear_page_dirty_for_io folio_mark_dirty __folio_mark_dirty; do
	d=$(( d + $(probe_d "$s" mmlab) ))
done
obs dirty_probes "$d"
note "folio_migrate_mapping ret0=$(probe_ret folio_migrate_mapping 0) __folio_migrate_mapping ret0=$(probe_ret __folio_migrate_mapping 0)"
rdo "$R_PID" fsync
rdo "$R_PID" "odirect 0 1000"
obs odirect_same "$(field same "$RDO")"
