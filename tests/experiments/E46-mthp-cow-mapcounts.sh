# E46: mapcounts of an mTHP shared with a child after fork and partly COWed, against /proc/kpagecount, before and after migration
# seed: issue 21 (large folios); tools/testing/selftests/mm/cow.c
# setup: 6.12: a written 64 KiB mTHP (pages mthp-cow --order 4, only 64 KiB enabled) shared with a child by fork(); the child writes its first page; 6.1: the page helper's answer
# op: inspect the parent's 16 pages (mapcount=, folio_mapcount=, large_mapcount=, entire_mapcount=); /proc/kpagecount of the 16 pfns; migrate the parent's range node=1; the same after, and the child's pagemap
# expect 6.1: mthp_rc=95 mthp_reason=no_mthp_sysfs
# expect 6.12: child_page0_cow=1 kpc=1_2_2_2_2_2_2_2_2_2_2_2_2_2_2_2 kpc_sum=31 mapcounts=1_2_2_2_2_2_2_2_2_2_2_2_2_2_2_2 folio_mapcount=31 large_mapcount=31 entire_mapcount=0 pm=0 ds=0 order=4->4 checks=ok mig_ds=0->1 mig_pm=0->1 after_kpc=1_2_2_2_2_2_2_2_2_2_2_2_2_2_2_2 after_kpc_sum=31 after_mapcounts=1_2_2_2_2_2_2_2_2_2_2_2_2_2_2_2 after_folio_mapcount=31 after_large_mapcount=31 after_pm=1 after_ds=1 child_follows=1 child_page0_kept=1
# predict 6.12: child_page0_cow=1 kpc=1_2_2_2_2_2_2_2_2_2_2_2_2_2_2_2 kpc_sum=31 mapcounts=1_2_2_2_2_2_2_2_2_2_2_2_2_2_2_2 folio_mapcount=31 large_mapcount=31 entire_mapcount=0 pm=0 ds=0 order=4->4 checks=ok mig_ds=0->1 mig_pm=0->1 after_kpc=1_2_2_2_2_2_2_2_2_2_2_2_2_2_2_2 after_folio_mapcount=31 after_large_mapcount=31 child_follows=1 child_page0_kept=1
# predict 6.1: mthp_rc=95 mthp_reason=no_mthp_sysfs
# From 6.12's source: fork copies the 16 PTEs (copy_present_ptes(): one
# folio_try_dup_anon_rmap_ptes() for the batch), every page mapcount 2,
# _large_mapcount 32.  The child's write fault on a shared large folio
# copies that one page (wp_page_copy(): 6.12 allocates no mTHP on COW) and
# unmaps it from the folio: page 0 mapcount 1, _large_mapcount 31; page 0
# stays mapped by the parent, so no page is fully unmapped: not partially
# mapped, not queued.  /proc/kpagecount reads each page's own mapcount
# (folio_precise_page_mapcount()): their sum is the folio's 31.
# Migration of the parent's range takes the child's 15 PTEs too (rmap);
# every count comes back the same (mmlab's mapcount and folio_mapcount
# checks), and the PTE-at-a-time unmap leaves page 0 fully unmapped while
# others are mapped: the source is marked partially mapped and the
# destination requeued so (27's finding).
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-large.sh"
load
has_mthp || exit 0
mthp_only 64
start_pages mthp-cow --order 4
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
[ "$(kpf_order "$OLD")" = 4 ] || die "not a 64 KiB folio"
CP0=$(pagemap_pfn "$PG_CHILD" "$PG_ADDR")
obs child_page0_cow "$([ -n "$CP0" ] && [ "$CP0" != "$OLD" ] && echo 1 || echo 0)"
# counts PREFIX: inspect's counts of the parent's 16 pages and kpagecount.
counts() {
	local pfn m=() l s=0 k
	cmd "inspect pid=$PG_PID addr=$PG_ADDR len=64K"
	[ -z "$ERR" ] || die "inspect: $ERR"
	P=${REPLY_TEXT%%"$NL"*}; note "$P"
	while IFS= read -r l; do
		[[ $l == page* ]] && m+=("$(field mapcount "$l")")
	done <<<"$REPLY_TEXT"
	pfn=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
	k=$(kpc "$pfn" 16)
	for l in ${k//_/ }; do s=$((s + l)); done
	obs "${1}kpc" "$k"
	obs "${1}kpc_sum" "$s"
	obs "${1}mapcounts" "$(IFS=_; echo "${m[*]}")"
	obs "${1}folio_mapcount" "$(field folio_mapcount "$P")"
	obs "${1}large_mapcount" "$(field large_mapcount "$P")"
	obs "${1}entire_mapcount" "$(field entire_mapcount "$P")"
	obs "${1}pm" "$(field partially_mapped "$P")"
	obs "${1}ds" "$(field deferred_split "$P")"
}
counts ""
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=64K node=1"
[ -z "$ERR" ] || die "migrate: $ERR"
M=$(mig_line "$REPLY_TEXT"); note "$M"; note "$(sum_line "$REPLY_TEXT")"
obs order "$(field order "$M")"
obs checks "$(field checks "$M")"
obs mig_ds "$(field deferred_split "$M")"
obs mig_pm "$(field partially_mapped "$M")"
counts after_
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs child_follows "$([ "$(pagemap_pfn "$PG_CHILD" $(( PG_ADDR + 4096 )))" = $(( NEW + 1 )) ] && echo 1 || echo 0)"
obs child_page0_kept "$([ "$(pagemap_pfn "$PG_CHILD" "$PG_ADDR")" = "$CP0" ] && echo 1 || echo 0)"
