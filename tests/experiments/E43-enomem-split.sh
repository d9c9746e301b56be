# E43: a large folio with no destination of its order (dst=pool: order-0 pages only) is split on -ENOMEM and its pieces migrated
# seed: issue 21 (large folios); S003 6/12
# setup: a written 2 MiB anon THP (pages thp); 6.12 also a written 64 KiB mTHP (pages mthp --order 4, only 64 KiB enabled)
# op: migrate node=1 dst=pool (mmlab's order-0 destination pages); the reply's order= and summary, vmstat thp_migration_split, thp_split_page, pgmigrate_success, the 64 KiB stats split; kpageflags after
# expect: thp_order=9->0 thp_split=1 thp_result=migrated thp_alloc_failed=1 thp_migration_split=1 thp_split_page=1 thp_new_order=0 thp_new_node=1
# expect 6.1: thp_migrated=512 thp_zeropage=0 thp_allocated=512 mthp_rc=95 mthp_reason=no_mthp_sysfs
# expect 6.12: thp_migrated=510 thp_zeropage=2 thp_allocated=510 mthp_order=4->0 mthp_split=1 mthp_result=migrated mthp_migrated=16 mthp_zeropage=0 mthp_alloc_failed=1 mthp_allocated=16 mthp_stat_split=1 mthp_thp_migration_split=0 mthp_new_order=0 mthp_new_node=1
# predict: thp_order=9->0 thp_split=1 thp_result=migrated thp_alloc_failed=1 thp_migration_split=1 thp_split_page=1 thp_new_order=0 thp_new_node=1
# predict 6.1: thp_migrated=512 thp_zeropage=0 thp_allocated=512 mthp_rc=95 mthp_reason=no_mthp_sysfs
# predict 6.12: thp_migrated=510 thp_zeropage=2 thp_allocated=510 mthp_order=4->0 mthp_split=1 mthp_migrated=16 mthp_zeropage=0 mthp_alloc_failed=1 mthp_allocated=16 mthp_stat_split=1 mthp_thp_migration_split=0 mthp_new_order=0
# fast: yes
# From the source: the pool's allocation callback returns NULL for a large
# source, migrate_pages_batch() (6.12; 6.1 migrate_pages()) gets -ENOMEM,
# and, as the reason is MR_SYSCALL (not nosplit), splits the folio
# (try_split_folio(); 6.1 try_split_thp(), THPs only) and migrates the
# order-0 pieces into pool pages.  6.12's split of an anon folio maps
# zero-filled pages to the shared zero page (remap_page(,
# RMP_USE_SHARED_ZEROPAGE), 6.12-rc1): the helper's fill byte
# (i * 7 + 1) & 255 is 0 for pages 73 and 329 of the THP, for none of the
# mTHP's 16.  thp_migration_split counts PMD-sized folios only; an mTHP's
# split counts in its size's stats.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-large.sh"
load
# pool_mig PREFIX: migrate the helper's range dst=pool, record the outcome.
pool_mig() {
	cmd "migrate pid=$PG_PID addr=$PG_ADDR len=$PG_LEN node=1 dst=pool"
	[ -z "$ERR" ] || die "$1: migrate: $ERR"
	M=$(mig_line "$REPLY_TEXT"); S=$(sum_line "$REPLY_TEXT"); note "$M"; note "$S"
	obs "$1_order" "$(field order "$M")"
	obs "$1_split" "$(field split "$M")"
	obs "$1_result" "$(field result "$M")"
	obs "$1_migrated" "$(field migrated "$S")"
	obs "$1_zeropage" "$(field zeropage "$S")"
	obs "$1_allocated" "$(field allocated "$S")"
	obs "$1_alloc_failed" "$(field alloc_failed "$S")"
	obs "$1_new_order" "$(kpf_order "$(pagemap_pfn "$PG_PID" "$PG_ADDR")")"
	obs "$1_new_node" "$(node_of "$PG_PID" "$PG_ADDR")"
}
start_pages thp
vm_snap thp_migration_split thp_split_page
pool_mig thp
obs thp_migration_split "$(vm_delta thp_migration_split)"
obs thp_split_page "$(vm_delta thp_split_page)"
cleanup_helpers
has_mthp || exit 0
mthp_only 64
s0=$(mstat 64 split)
vm_snap thp_migration_split
start_pages mthp --order 4
pool_mig mthp
obs mthp_stat_split $(( $(mstat 64 split) - s0 ))
obs mthp_thp_migration_split "$(vm_delta thp_migration_split)"
