# E42: a partially mapped mTHP is split before it is migrated (6.12)
# seed: issue 21 (large folios)
# setup: 6.12: one written 64 KiB mTHP (pages mthp --order 4, only 64 KiB enabled); MADV_DONTNEED of its second half (--usr2 dontneed-half): 8 of 16 pages mapped; 6.1: the page helper's answer
# op: inspect (partially_mapped=, deferred_split=); migrate the 8 mapped pages node=1; the 64 KiB stats split, split_deferred, nr_anon_partially_mapped; kpageflags after
# expect 6.1: mthp_rc=95 mthp_reason=no_mthp_sysfs
# expect 6.12: zap_split_deferred=1 zap_nr_anon_partially_mapped=1 before_pm=1 before_ds=1 before_folio_mapcount=8 order=4->0 split=1 ds=1->0 pm=1->0 migrated=8 stat_split=1 nr_anon_partially_mapped=0 thp_split_page=0 pgmigrate_success=16 new_order=0 new_node=1
# predict 6.12: zap_split_deferred=1 zap_nr_anon_partially_mapped=1 before_pm=1 before_ds=1 before_folio_mapcount=8 order=4->0 split=1 migrated=8 stat_split=1 nr_anon_partially_mapped=0 thp_split_page=0 new_order=0 new_node=1 ds=1->0 pm=1->0
# predict 6.1: mthp_rc=95 mthp_reason=no_mthp_sysfs
# fast: yes
# From 6.12's source: the zap's __folio_remove_rmap() finds pages of the
# folio unmapped and others mapped and calls deferred_split_folio(folio,
# true): PG_partially_mapped set, the 64 KiB stats split_deferred and
# nr_anon_partially_mapped +1.  migrate_pages_batch() then splits a folio
# that is on the queue and partially mapped before anything else
# (try_split_folio(), "The rare folio on the deferred split list should be
# split now"), whatever the reason; the split takes it off the queue
# (nr_anon_partially_mapped -1) and counts the mTHP stat split, not
# thp_split_page (order 9 only).  The 8 mapped order-0 pieces migrate.
# 6.1 has no mTHP; its PMD THP partially mapped migrates whole
# (27_large_folios).
# Measured beyond the prediction: pgmigrate_success counts 16 pages for
# the 8 that moved.  The split leaves the 8 unmapped pieces on the list
# with only the isolation's reference; migrate_folio_unmap() takes such a
# folio as "freed from under us" and migrate_folio_done() counts it a
# success (6.12 mm/migrate.c).
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-large.sh"
load
has_mthp || exit 0
mthp_only 64
sd0=$(mstat 64 split_deferred) npm0=$(mstat 64 nr_anon_partially_mapped) s0=$(mstat 64 split)
start_pages mthp --order 4 --usr2 dontneed-half
zap_wait $(( PG_ADDR + 8 * 4096 )) "dontneed-half"
obs zap_split_deferred $(( $(mstat 64 split_deferred) - sd0 ))
obs zap_nr_anon_partially_mapped $(( $(mstat 64 nr_anon_partially_mapped) - npm0 ))
cmd "inspect pid=$PG_PID addr=$PG_ADDR"
P=${REPLY_TEXT%%"$NL"*}; note "$P"
obs before_pm "$(field partially_mapped "$P")"
obs before_ds "$(field deferred_split "$P")"
obs before_folio_mapcount "$(field folio_mapcount "$P")"
vm_snap thp_split_page pgmigrate_success
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=32K node=1"
[ -z "$ERR" ] || die "migrate: $ERR"
M=$(mig_line "$REPLY_TEXT"); S=$(sum_line "$REPLY_TEXT"); note "$M"; note "$S"
obs order "$(field order "$M")"
obs split "$(field split "$M")"
obs ds "$(field deferred_split "$M")"
obs pm "$(field partially_mapped "$M")"
obs migrated "$(field migrated "$S")"
obs stat_split $(( $(mstat 64 split) - s0 ))
obs nr_anon_partially_mapped $(( $(mstat 64 nr_anon_partially_mapped) - npm0 ))
obs thp_split_page "$(vm_delta thp_split_page)"
obs pgmigrate_success "$(vm_delta pgmigrate_success)"
obs new_order "$(kpf_order "$(pagemap_pfn "$PG_PID" "$PG_ADDR")")"
obs new_node "$(node_of "$PG_PID" $(( PG_ADDR + 7 * 4096 )))"
