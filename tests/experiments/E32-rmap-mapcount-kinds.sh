# E32: mapcount equals the mappings rmap finds, across mapping kinds
# seed: S000; S003 2/12; S002
# setup: one page each: private anon; anon shared by fork (parent + 2 children); an ext4 file page mmapped MAP_SHARED twice by P1 and once by P2; a mapped swapcache page (swap on loop); a KSM page merged from 3 processes x 2 identical pages; a PMD-mapped THP; the same THP PTE-mapped after mprotect of its second half
# op: rmap (rmap_walk) on each; each NAME=found/mapcount/kpagecount (mappings found, the kernel's per-page mapcount, /proc/kpagecount); the rmap probe set says which rmap_walk_* ran; THP folio counts as folio_pmd/entire_mapcount/folio_ptes/folio_mapcount
# expect: anon=1/1/1 anon_match=yes anon_walker=anon fork=3/3/3 fork_match=yes fork_walker=anon file=3/3/3 file_match=yes file_walker=file file_vmas=3 swapcache=1/1/1 swapcache_match=yes swapcache_walker=anon swapcache_flag=1 ksm=6/6/6 ksm_match=yes ksm_walker=ksm ksm_vmas=6 thp_pmd=1/1/1 thp_pmd_match=yes thp_pmd_folio=1/1/0/1 thp_pte=1/1/1 thp_pte_match=yes thp_pte_folio=0/0/512/512 thp_pte_vmas=2 thp_pte_order=9
# The 6.1/6.12 difference in folio-level mapcount semantics (6.1:
# compound_mapcount + subpage _mapcount; 6.12: _large_mapcount and
# _entire_mapcount) does not show in these numbers: both kernels report the
# same per-page and folio counts for every kind.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-rmap.sh"
load
setup_ext4
setup_swap
probes_on @rmap

start_pages anon
rmap_obs anon "$PG_PID" "$PG_ADDR"
cleanup_helpers

start_pages anon --children 2
rmap_obs fork "$PG_PID" "$PG_ADDR"
cleanup_helpers

start_helper "$RMH/rm_file2" "$EXT4/e32-file"
rmap_obs file "$PG_PID" "$PG_ADDR"
obs file_vmas "$(field vmas "$S")"
cleanup_helpers

start_pages swapcache
page_line "$PG_PID" "$PG_ADDR"
obs swapcache_flag "$(flag01 "$PL" swapcache)"
rmap_obs swapcache "$PG_PID" "$PG_ADDR"
cleanup_helpers
swapoff -a

start_helper "$RMH/rm_ksm" --procs 3 --pages 2
read -ra KIDS <<<"$PG_CHILDREN"
ksm_merge "$PG_ADDR" 8192 "$PG_PID" "${KIDS[@]}" || die "KSM did not merge all 6 pages"
rmap_obs ksm "$PG_PID" "$PG_ADDR"
obs ksm_vmas "$(field vmas "$S")"
cleanup_helpers

start_pages thp --usr2 mprotect-half
rmap_obs thp_pmd "$PG_PID" "$PG_ADDR"
obs thp_pmd_folio "$(field folio_pmd "$S")/$(field entire_mapcount "$S")/$(field folio_ptes "$S")/$(field folio_mapcount "$S")"
kill -USR2 "$PG_PID"
for _ in $(seq 1 50); do
	cmd "inspect pid=$PG_PID addr=$PG_ADDR"
	[ "$(field pte "$REPLY_TEXT")" = pte ] && break
	sleep 0.1
done
rmap_obs thp_pte "$PG_PID" "$PG_ADDR"
obs thp_pte_folio "$(field folio_pmd "$S")/$(field entire_mapcount "$S")/$(field folio_ptes "$S")/$(field folio_mapcount "$S")"
obs thp_pte_vmas "$(grep -c '^map ' <<<"$MAPS")"
obs thp_pte_order "$(field order "$H")"
cleanup_helpers
