# E41: an anon mTHP of each size the kernel offers migrates whole, to a folio of the same order
# seed: issue 21 (large folios); S002
# setup: 6.12: for each order 2..8 (16 KiB .. 1 MiB) only that size enabled (madvise; 2 MiB never), one written mTHP (pages mthp --order N); 6.1: the page helper's answer
# op: migrate the folio's range node=1; kpageflags' compound run for the new folio's order; vmstat pgmigrate_success, thp_migration_*; migrate's deferred_split=/partially_mapped= fields
# expect 6.1: mthp_rc=95 mthp_reason=no_mthp_sysfs
# expect 6.12: o2=2->2 o3=3->3 o4=4->4 o5=5->5 o6=6->6 o7=7->7 o8=8->8 kpf_orders=2_3_4_5_6_7_8 nodes=1_1_1_1_1_1_1 checks=ok pgmigrate_success=508 thp_migration_success=0 thp_migration_split=0 ds=0->1 pm=0->1
# predict 6.12: o2=2->2 o3=3->3 o4=4->4 o5=5->5 o6=6->6 o7=7->7 o8=8->8 kpf_orders=2_3_4_5_6_7_8 nodes=1_1_1_1_1_1_1 checks=ok pgmigrate_success=508 thp_migration_success=0 thp_migration_split=0 ds=0->1 pm=0->1
# predict 6.1: mthp_rc=95 mthp_reason=no_mthp_sysfs
# From 6.12's source: alloc_migration_target() allocates a folio of the
# source's order for any large rmappable folio (folio_test_large(), not only
# THP) with __GFP_COMP, and migrate_pages_batch() splits one only on
# -ENOMEM, -ENOSYS or when it is partially mapped on the deferred-split
# queue: none here, so each moves whole.  The THP counters count
# folio_test_pmd_mappable() folios only (is_thp): 0 for mTHPs; pgmigrate_
# counts pages: 4+8+...+256 = 508.  ds/pm: the first folio's migrate line,
# as 27_large_folios measured on 6.12.118 (not queued before; the unmapping
# marks the source partially mapped and migrate_folio_move() requeues the
# destination so).  6.1 has no multi-size THP (added in 6.8): no
# /sys/kernel/mm/transparent_hugepage/hugepages-*kB, the helper exits 95.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-large.sh"
load
has_mthp || exit 0
vm_snap pgmigrate_success thp_migration_success thp_migration_split
ords=() nodes=() checks=()
for o in 2 3 4 5 6 7 8; do
	mthp_only $(( 4 << o ))
	start_pages mthp --order "$o"
	cmd "migrate pid=$PG_PID addr=$PG_ADDR len=$PG_LEN node=1"
	[ -z "$ERR" ] || die "order $o: migrate: $ERR"
	M=$(mig_line "$REPLY_TEXT"); note "$M"
	obs "o$o" "$(field order "$M")"
	if [ "$o" = 2 ]; then
		obs ds "$(field deferred_split "$M")"
		obs pm "$(field partially_mapped "$M")"
	fi
	ords+=("$(kpf_order "$(pagemap_pfn "$PG_PID" "$PG_ADDR")")")
	nodes+=("$(node_of "$PG_PID" $(( PG_ADDR + PG_LEN - 4096 )))")
	checks+=("$(grep -c ' checks=ok' <<<"$REPLY_TEXT")/$(( PG_LEN / 4096 ))")
	cleanup_helpers
	knobs_restore
done
obs kpf_orders "$(IFS=_; echo "${ords[*]}")"
obs nodes "$(IFS=_; echo "${nodes[*]}")"
ok=ok; for c in "${checks[@]}"; do [ "${c%/*}" = "${c#*/}" ] || ok=$c; done
obs checks "$ok"
obs pgmigrate_success "$(vm_delta pgmigrate_success)"
obs thp_migration_success "$(vm_delta thp_migration_success)"
obs thp_migration_split "$(vm_delta thp_migration_split)"
