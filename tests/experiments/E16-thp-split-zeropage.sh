# E16: explicit THP split through debugfs split_huge_pages: mapcounts after, and 6.12's zero-page remap of zero-filled subpages
# seed: S002; S003 8/12
# setup: a 2 MiB anon THP of which only the first 4 KiB is written (the rest zero-filled) (mig_region --thp --first-only)
# op: echo PID,START,END > /sys/kernel/debug/split_huge_pages; smaps, pagemap, kpageflags, kpagecount; mmlab rmap on subpages 0, 1, 300, 511
# expect: thp_before=1 thp_split_page=1 anon_huge_kb=0 thp_after=0 try_to_migrate_one=1 rmap_match=4 page0_mapcount=1 page0_present=1 contents_ok=1
# expect 6.1: rss_kb=2048 zero_mapped=0 remove_migration_pte=512
# expect 6.12: rss_kb=4 zero_mapped=511 remove_migration_pte=512
# rmap_match: how many of the 4 subpages' rmap walks say match=yes with
# found = mapcount = /proc/kpagecount (a subpage on the zero page has no
# rmap: mmlab refuses it with EINVAL and it is counted as a match when
# pagemap shows the zero pfn).
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
probes_on @migration "split_huge_page_to_list ret" "split_huge_page_to_list_to_order ret"
mig_start --thp --len 2097152 --first-only
END=$((R_ADDR + 2097152))
obs thp_before "$(kpf "$(pagemap_pfn "$R_PID" "$R_ADDR")" "$KPF_THP")"
# khugepaged must not collapse the split pages back into a THP while they
# are looked at (seen once on 6.1: the last subpage's old pfn read
# kpagecount 0): VM_NOHUGEPAGE on the region, after the THP is there.
rdo "$R_PID" "madv nohugepage 0 200000"
vm_snap thp_split_page
probes_snap
printf '%d,0x%x,0x%x' "$R_PID" "$R_ADDR" "$END" >/sys/kernel/debug/split_huge_pages || die "split_huge_pages"
obs thp_split_page "$(vm_delta thp_split_page)"
obs try_to_migrate_one "$(probe_d try_to_migrate_one hits)"
obs remove_migration_pte "$(probe_d remove_migration_pte hits)"
note "split_huge_page_to_list=$(probe_ret split_huge_page_to_list 0) split_huge_page_to_list_to_order=$(probe_ret split_huge_page_to_list_to_order 0) (returns 0)"
obs rss_kb "$(smaps_kb "$R_PID" "$R_ADDR" "$END" Rss)"
obs anon_huge_kb "$(smaps_kb "$R_PID" "$R_ADDR" "$END" AnonHugePages)"
P0=$(pagemap_pfn "$R_PID" "$R_ADDR")
obs page0_present "$([ -n "$P0" ] && echo 1 || echo 0)"
obs thp_after "$(kpf "$P0" "$KPF_THP")"
obs page0_mapcount "$(kpagecount "$P0")"
obs zero_mapped "$(kpf_count "$R_PID" 0 200000 "$KPF_ZERO_PAGE")"
m=0
for i in 0 1 300 511; do
	a=$((R_ADDR + i * 4096))
	pfn=$(pagemap_pfn "$R_PID" "$a")
	cmd "rmap pid=$R_PID addr=$a"
	S=$(sum_line "$REPLY_TEXT")
	note "page $i pfn=$pfn kpagecount=$(kpagecount "$pfn") errno=${ERR:-} $S"
	if [ -z "$ERR" ] && [ "$(field match "$S")" = yes ] && [ "$(field found "$S")" = "$(kpagecount "$pfn")" ]; then
		m=$((m + 1))
	elif [ "$ERR" = EINVAL ] && [ "$(kpf "$pfn" "$KPF_ZERO_PAGE")" = 1 ]; then
		m=$((m + 1))
	fi
done
obs rmap_match "$m"
rdo "$R_PID" "read 0 200000"
rdo "$R_PID" "check 0 1000"
obs contents_ok "$([ "$(field bad "$RDO")" = 0 ] && echo 1 || echo 0)"
