# inspect: every kind of page the helper makes shows what makes it that
# kind, and mmlab's word is checked against /proc/PID/pagemap and
# /proc/kpageflags.
. "$MMLAB_ROOT/tests/lib.sh"
load
setup_ext4
setup_swap
setup_hugetlb 2

# look KIND [HELPER ARGS]: start the helper, inspect its first page; sets R
# (the page line), PFN (decimal, from the reply) and checks it against pagemap.
look() {
	start_pages "$@"
	cmd "inspect pid=$PG_PID addr=$PG_ADDR"
	expect_eq "$ERR" "" "$1: inspect"
	R=$(grep '^page ' <<<"$REPLY_TEXT")
	note "$1: $R"
	PFN=
	if [ -n "$(field pfn "$R")" ]; then
		PFN=$(hexnum "$(field pfn "$R")")
		expect_eq "$PFN" "$(pagemap_pfn "$PG_PID" "$PG_ADDR")" "$1: pfn vs pagemap"
	fi
}
want_flag() { has_flag "$R" "$2" || die "$1: flag $2 missing in '$(field flags "$R")'"; }
want_no_flag() { has_flag "$R" "$2" && die "$1: flag $2 unexpected in '$(field flags "$R")'"; true; }

look anon
expect_eq "$(field kind "$R")/$(field pte "$R")/$(field order "$R")" anon/pte/0 "anon kind"
expect_eq "$(kpf "$PFN" $KPF_ANON)" 1 "anon: KPF_ANON"
expect_eq "$(field mapcount "$R")" "$(kpagecount "$PFN")" "anon: mapcount vs kpagecount"
# A new folio waits in its CPU's lru_add batch, holding a reference of the
# batch's and not yet PG_lru, until the batch fills (15 folios) or is
# drained (mm/swap.c).  The installed run on 6.12 once read it there:
# "flags=active,uptodate,swapbacked,anon_exclusive refs=2".  Every inspect
# is an exec whose page faults fill the batches: look again until the
# page is on the LRU, then it has the mapping's reference alone.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	has_flag "$R" lru && break
	note "anon: not on the LRU yet (refs=$(field refs "$R")): inspect again"
	sleep 0.2
	cmd "inspect pid=$PG_PID addr=$PG_ADDR"
	R=$(grep '^page ' <<<"$REPLY_TEXT")
done
want_flag anon lru
expect_eq "$(field refs "$R")" 1 "anon: refs"

look thp
expect_eq "$(field kind "$R")/$(field pte "$R")/$(field order "$R")" anon/pmd/9 "thp kind"
want_flag thp thp
expect_eq "$(kpf "$PFN" $KPF_THP)" 1 "thp: KPF_THP"
expect_eq "$(field entire_mapcount "$R")" 1 "thp: mapped once by a PMD"

look mlock
want_flag mlock mlocked; want_flag mlock unevictable
expect_eq "$(field vma_locked "$R")" 1 "mlock: VM_LOCKED"
expect_eq "$(kpf "$PFN" $KPF_MLOCKED)$(kpf "$PFN" $KPF_UNEVICTABLE)" 11 "mlock: kpageflags"

look mlock-thp
want_flag mlock-thp mlocked; want_flag mlock-thp thp
expect_eq "$(kpf "$PFN" $KPF_MLOCKED)$(kpf "$PFN" $KPF_THP)" 11 "mlock-thp: kpageflags"

look shared
expect_eq "$(field mapcount "$R")" 2 "shared: mapcount"
expect_eq "$(kpagecount "$PFN")" 2 "shared: kpagecount"
expect_eq "$(pagemap_pfn "$PG_CHILD" "$PG_ADDR")" "$PFN" "shared: child maps the same pfn"
want_no_flag shared anon_exclusive

look ksm
wait_ksm
R=$(grep '^page ' <<<"$REPLY_TEXT"); PFN=$(hexnum "$(field pfn "$R")")
expect_eq "$(field kind "$R")" ksm "ksm: merged"
expect_eq "$(kpf "$PFN" $KPF_KSM)" 1 "ksm: KPF_KSM"
expect_eq "$(pagemap_pfn "$PG_CHILD" "$PG_CHILD_ADDR")" "$PFN" "ksm: the other process maps it"

look file --file "$EXT4/clean"
expect_eq "$(field kind "$R")" file "file kind"
want_no_flag file dirty
expect_eq "$(kpf "$PFN" $KPF_DIRTY)$(kpf "$PFN" $KPF_ANON)" 00 "file: clean, not anon"

look file-dirty --file "$EXT4/dirty"
expect_eq "$(field kind "$R")" file "file-dirty kind"
expect_eq "$(field dirty_pte "$R")" 1 "file-dirty: pte dirty"

look shmem
expect_eq "$(field kind "$R")" shmem "shmem kind"
expect_eq "$(kpf "$PFN" $KPF_SWAPBACKED)$(kpf "$PFN" $KPF_ANON)" 10 "shmem: swapbacked, not anon"

look swapcache
want_flag swapcache swapcache
expect_eq "$(field kind "$R")" anon "swapcache kind"
expect_eq "$(kpf "$PFN" $KPF_SWAPCACHE)" 1 "swapcache: KPF_SWAPCACHE"

look swap
expect_eq "$(field pte "$R")/$(field kind "$R")" swap/none "swap pte: no page mapped"
expect_eq "$(pagemap_swapped "$PG_PID" "$PG_ADDR")" 1 "swap: pagemap says swapped"
[ -n "$(field swp "$R")" ] || die "swap: no swap entry in reply"

look hugetlb
expect_eq "$(field kind "$R")/$(field pte "$R")/$(field order "$R")" hugetlb/hugetlb/9 "hugetlb kind"
expect_eq "$(kpf "$PFN" $KPF_HUGE)" 1 "hugetlb: KPF_HUGE"
# A written private hugetlb page is anon-exclusive at every one of its
# addresses: the flag lives on the head page.  6.1's PageAnonExclusive()
# wants the head (VM_BUG_ON_PGFLAGS(PageHuge && !PageHead)) and on a tail
# reads that page's own, unused bit: the flag went missing there (6.12's
# accessor goes to the head itself).  Oracle: each subpage's pfn in
# pagemap, its exclusively-mapped bit (56: one mapping) and KPF_HUGE.
pagemap_excl() { echo $(( ($(u64 "/proc/$1/pagemap" $(( $2 / 4096 ))) >> 56) & 1 )); }
for off in 0 4096 $((511 * 4096)); do
	a=$((PG_ADDR + off))
	page_line "$PG_PID" "$a"
	note "hugetlb +$off: $PL"
	pfn=$(hexnum "$(field pfn "$PL")")
	expect_eq "$pfn" "$(pagemap_pfn "$PG_PID" "$a")" "hugetlb +$off: pfn vs pagemap"
	expect_eq "$pfn" "$((PFN + off / 4096))" "hugetlb +$off: the subpage of the head's pfn"
	expect_eq "$(pagemap_excl "$PG_PID" "$a")$(kpf "$pfn" $KPF_HUGE)" 11 \
		"hugetlb +$off: pagemap exclusively mapped, KPF_HUGE"
	expect_eq "$(flag01 "$PL" anon_exclusive)" 1 "hugetlb +$off: anon_exclusive"
done

# Non-present hugetlb ptes that are no migration entry: a uffd-wp pte
# marker, and a hwpoison entry.  pagemap shows the page not present (and
# PM_UFFD_WP, bit 57, for the marker); mmlab says pte=special with the
# entry, and scan finds no migration entry (it used to call both one).
nonpresent_hugetlb() { # WHAT: the helper's 2 MiB are such entries
	local e
	e=$(u64 "/proc/$PG_PID/pagemap" $((PG_ADDR / 4096)))
	expect_eq "$(( (e >> 63) & 1 ))" 0 "$1: pagemap present bit"
	cmd "inspect pid=$PG_PID addr=$PG_ADDR len=2M"
	expect_eq "$ERR" "" "$1: inspect"
	R=$(grep -m1 '^page ' <<<"$REPLY_TEXT")
	note "$1: $R"
	expect_eq "$(field pte "$R")/$(field kind "$R")" special/none "$1: pte"
	[ -n "$(field swp "$R")" ] || die "$1: no entry in '$R'"
	expect_eq "$(grep -c '^page .* pte=special ' <<<"$REPLY_TEXT")" 512 "$1: every page special"
	cmd "scan pid=$PG_PID addr=$PG_ADDR len=2M"
	expect_eq "$ERR" "" "$1: scan"
	expect_match "$REPLY_TEXT" '^summary op=scan pages=512 .*migration_entries=0 .* ok=yes$' "$1: scan"
	E=$e
}
start_pages hugetlb-marker
nonpresent_hugetlb "uffd-wp marker"
expect_eq "$(( (E >> 57) & 1 ))" 1 "uffd-wp marker: pagemap PM_UFFD_WP"
cleanup_helpers
# MADV_HWPOISON needs CONFIG_MEMORY_FAILURE (Debian's kernels; not lab's).
KPF_HWPOISON=19
if has_config MEMORY_FAILURE; then
	start_pages hugetlb-hwpoison
	nonpresent_hugetlb hwpoison
	expect_eq "$(kpf "$(hexnum "$(field pfn "$PG_LINE")")" $KPF_HWPOISON)" 1 "hwpoison: KPF_HWPOISON"
	cleanup_helpers
else
	"$PAGES" hugetlb-hwpoison </dev/null >/dev/null 2>&1
	expect_eq "$?" 95 "hugetlb-hwpoison without MEMORY_FAILURE: EOPNOTSUPP"
fi

look zero
expect_eq "$(field kind "$R")/$(field pte "$R")" zero/zero "zero kind"
expect_eq "$(kpf "$PFN" $KPF_ZERO_PAGE)" 1 "zero: KPF_ZERO_PAGE"

# A range: one line per page and a summary that counts them.
start_pages anon --len $((64 * 4096))
cmd "inspect pid=$PG_PID addr=$PG_ADDR len=256K"
expect_eq "$(grep -c '^page ' <<<"$REPLY_TEXT")" 64 "range: page lines"
expect_match "$REPLY_TEXT" 'summary op=inspect pages=64 present=64' "range: summary"
cleanup_helpers
swapoff -a
