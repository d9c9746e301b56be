# E44: the deferred-split queue after migration: is the destination queued where the source was, and what does the queue's shrinker then do to it?
# seed: issue 21 (large folios): "mm: migrate: requeue destination folio on deferred split queue"
# setup: a PTE-mapped THP, fully mapped (pages pte-thp); a partially mapped THP, 16 of 512 pages mapped (pages partial-thp); 6.12 also a written 64 KiB mTHP (mthp --order 4)
# op: migrate each node=1 (migrate's deferred_split=A->B, partially_mapped=A->B: source before, destination after); inspect after; then the deferred-split shrinker (drop_caches 2) and the folio's order from kpageflags, thp_split_page / the 64 KiB stats split
# expect: pte_order=9->9 partial_ds=1->0
# expect 6.1: pte_ds=0->0 pte_after_ds=0 pte_shrunk_order=9 pte_shrink_split=0 pte_shrink_zero=0 partial_order=9->9 partial_after_ds=0 partial_shrunk_order=9 partial_shrink_split=0 mthp_rc=95
# expect 6.12: pte_ds=1->1 pte_pm=0->1 pte_after_ds=1 pte_after_pm=1 pte_shrunk_order=0 pte_shrink_split=1 pte_shrink_zero=2 partial_order=9->0 partial_pm=1->0 partial_shrink_split=0 mthp_order=4->4 mthp_ds=0->1 mthp_pm=0->1 mthp_after_ds=1 mthp_after_pm=1 mthp_shrunk_order=0 mthp_shrink_stat_split=1
# predict 6.1: pte_ds=0->0 pte_shrunk_order=9 partial_order=9->9 partial_ds=1->0 partial_after_ds=0 partial_shrunk_order=9 partial_shrink_split=0 mthp_rc=95
# predict 6.12: pte_ds=1->1 pte_pm=0->1 pte_after_pm=1 pte_after_ds=1 pte_shrunk_order=0 pte_shrink_split=1 pte_shrink_zero=2 partial_order=9->0 partial_ds=1->0 partial_pm=1->0 mthp_ds=0->1 mthp_pm=0->1 mthp_shrunk_order=0 mthp_shrink_stat_split=1
# fast: yes
# From the source.  6.1: nothing requeues a migrated folio (the source
# leaves the queue when it is freed, free_transhuge_page()); a fully mapped
# THP is never queued; a partially mapped one migrates whole, so its
# destination, with 496 unmapped pages, is out of the shrinker's reach.
# 6.12.118: migrate_folio_move() requeues the destination when the source
# was queued, passing the source's PG_partially_mapped as read after the
# unmap; try_to_migrate_one() unmaps a PTE-mapped folio a PTE at a time, so
# the source is marked partially mapped by its own migration (27's finding)
# and so is the destination.  deferred_split_scan() splits a partially
# mapped folio without asking whether it is underused: the fully mapped
# THP and the mTHP are split by the shrinker after their migration (pages
# 73 and 329 of the THP, zero-filled, then map the zero page).  The
# partially mapped THP is split before migration (E42), its pieces are
# order 0: nothing to queue.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-large.sh"
load
# qmig PREFIX LEN: migrate LEN from the helper's address, record the fields.
qmig() {
	cmd "migrate pid=$PG_PID addr=$PG_ADDR len=$2 node=1"
	[ -z "$ERR" ] || die "$1: migrate: $ERR"
	M=$(mig_line "$REPLY_TEXT"); note "$M"; note "$(sum_line "$REPLY_TEXT")"
	obs "$1_order" "$(field order "$M")"
	obs "$1_ds" "$(field deferred_split "$M")"
	obs "$1_pm" "$(field partially_mapped "$M")"
	cmd "inspect pid=$PG_PID addr=$PG_ADDR"
	P=${REPLY_TEXT%%"$NL"*}; note "$P"
	obs "$1_after_ds" "$(field deferred_split "$P")"
	obs "$1_after_pm" "$(field partially_mapped "$P")"
	NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
}
# shrink PREFIX: the deferred-split shrinker (drop_caches 2 runs every
# shrinker), then the new folio's order and thp_split_page.
shrink() {
	vm_snap thp_split_page
	echo 2 >/proc/sys/vm/drop_caches
	obs "$1_shrunk_order" "$(kpf_order "$NEW")"
	obs "$1_shrink_split" "$(vm_delta thp_split_page)"
}
start_pages pte-thp
qmig pte 2M
shrink pte
z=0; for i in 73 329; do
	[ "$(kpf "$(pagemap_pfn "$PG_PID" $(( PG_ADDR + i * 4096 )))" "$KPF_ZERO_PAGE")" = 1 ] && z=$((z + 1))
done
obs pte_shrink_zero "$z"
cleanup_helpers
start_pages partial-thp
qmig partial 64K
shrink partial
cleanup_helpers
has_mthp || exit 0
mthp_only 64
start_pages mthp --order 4
qmig mthp 64K
s0=$(mstat 64 split)
shrink mthp
obs mthp_shrink_stat_split $(( $(mstat 64 split) - s0 ))
