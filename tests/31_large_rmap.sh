# rmap of large folios: every PMD and PTE mapping of a THP and an mTHP,
# counted per vma (ptes=, folio_pages=, aligned=), per page (the pages
# line) and per folio (the summary), against the kernel's counts read
# through independent oracles: /proc/kpagecount of every page of the folio
# (the page's mapcount), the pagemap of each process (pfns and
# PM_MMAP_EXCLUSIVE, bit 56: the page's mapcount is 1) and smaps (a page
# mapped twice is Shared_, once Private_).
#
# fork-offset: a folio shared by fork() with a child that unmapped its first
# page and mremap()ed the rest 3 pages past a 2 MiB boundary: two processes
# map it at different offsets and alignments (the child by PTEs).  As a PMD
# THP on every kernel, as an order-4 mTHP on 6.12 (6.1 has none: the kind
# exits 95).  pte-thp: one process, 3 vmas, one THP mapped by 512 PTEs.
. "$MMLAB_ROOT/tests/lib.sh"
load
THP=/sys/kernel/mm/transparent_hugepage
PM_EXCLUSIVE=56

# rmap_of PID ADDR: one rmap that must succeed; sets H (head line), MAPS
# (map lines), PL (pages line) and S (summary).
rmap_of() {
	cmd "rmap pid=$1 addr=$2"
	expect_eq "$ERR" "" "rmap pid=$1 addr=$2"
	H=$(grep '^rmap ' <<<"$REPLY_TEXT")
	MAPS=$(grep '^map ' <<<"$REPLY_TEXT")
	PL=$(grep '^pages ' <<<"$REPLY_TEXT")
	S=$(grep '^summary ' <<<"$REPLY_TEXT")
	note "rmap pid=$1 addr=$2:"$'\n'"$REPLY_TEXT"
}
# runs VALUES...: run-length form of a list, "FIRST[-LAST]:V,..." with V
# printed as rmap prints a page, FOUND/MAPCOUNT: here V/V.
runs() {
	local -a v=("$@")
	local i s=0 out=""
	for ((i = 1; i <= ${#v[@]}; i++)); do
		((i < ${#v[@]})) && [ "${v[i]}" = "${v[s]}" ] && continue
		out+="${out:+,}$s"
		((i - 1 > s)) && out+="-$((i - 1))"
		out+=":${v[s]}/${v[s]}"
		s=$i
	done
	echo "$out"
}
# kpc PFN N: /proc/kpagecount of N pages from PFN, into KPC (array) and
# KPC_SUM.
kpc() {
	local c
	mapfile -t KPC < <("$PEEK" /proc/kpagecount "$1" "$2")
	KPC_SUM=0
	for c in "${KPC[@]}"; do KPC_SUM=$((KPC_SUM + c)); done
}
# exclusive PID ADDR N: PM_MMAP_EXCLUSIVE of N pages from ADDR, as runs.
exclusive() {
	local e
	local -a x=()
	while read -r e; do x+=("$(( (e >> PM_EXCLUSIVE) & 1 ))"); done \
		< <("$PEEK" "/proc/$1/pagemap" $(($2 / 4096)) "$3")
	runs "${x[@]}" | sed -E 's#:([01])/[01]#:\1#g'
}
# smaps_of PID ADDR: "SHARED/PRIVATE" kB of the vma holding ADDR.
smaps_of() {
	local l s e in=0 sh=0 pr=0 re='^([0-9a-f]+)-([0-9a-f]+) ' a=$(($2))
	while IFS= read -r l; do
		if [[ $l =~ $re ]]; then
			s=$((16#${BASH_REMATCH[1]})) e=$((16#${BASH_REMATCH[2]}))
			in=$((a >= s && a < e))
		elif ((in)) && [[ $l =~ ^(Shared|Private)_(Clean|Dirty):\ +([0-9]+) ]]; then
			if [ "${BASH_REMATCH[1]}" = Shared ]; then
				sh=$((sh + BASH_REMATCH[3]))
			else
				pr=$((pr + BASH_REMATCH[3]))
			fi
		fi
	done <"/proc/$1/smaps"
	echo "$sh/$pr"
}
# map_of PID: the map line of PID.
map_of() { grep " pid=$1 " <<<"$MAPS"; }
# check_pages NR: the pages line against /proc/kpagecount of the folio's
# NR pfns, page by page, and the summary's sums against it.
check_pages() {
	local pfn
	pfn=$(hexnum "$(field pfn "$H")")
	kpc "$pfn" "$1"
	expect_eq "$(field runs "$PL")" "$(runs "${KPC[@]}")" "$WHAT: per page found/mapcount vs kpagecount"
	expect_eq "$(field match "$S")/$(field pages_checked "$S")/$(field page_mismatches "$S")" \
		"yes/$1/0" "$WHAT: match/pages_checked/page_mismatches"
	expect_eq "$(field page_mapcount_sum "$S")" "$KPC_SUM" "$WHAT: page_mapcount_sum vs kpagecount sum"
	expect_eq "$(( $(field folio_ptes "$S") + $1 * $(field folio_pmd "$S") ))" "$KPC_SUM" \
		"$WHAT: PTEs + nr x PMDs found vs kpagecount sum"
}

# fork_offset NR [--order N]: the parent maps the folio's NR pages at an
# aligned address; the child pages 1..NR-1 at child_addr, 3 pages off.
fork_offset() {
	local nr=$1 p c pfn1
	shift
	start_pages fork-offset "$@"
	WHAT="fork-offset $nr"
	p=$PG_PID c=$PG_CHILD
	pfn1=$(pagemap_pfn "$c" "$PG_CHILD_ADDR")
	expect_eq "$pfn1" $(( $(pagemap_pfn "$p" "$PG_ADDR") + 1 )) "$WHAT: the child maps page 1"
	expect_eq "$(( (PG_CHILD_ADDR - 4096) % (nr * 4096) ))" $((2 * 4096)) "$WHAT: child's page 0 place, 2 pages off"
	# Page 0, mapped by the parent alone.
	rmap_of "$p" "$PG_ADDR"
	expect_eq "$(field order "$H")" "$(( nr == 512 ? 9 : 4 ))" "$WHAT: order"
	expect_eq "$(field found "$S")/$(field mapcount "$S")/$(field vmas "$S")" 1/1/2 \
		"$WHAT: page 0 found/mapcount/vmas"
	expect_eq "$(field page "$(map_of "$p")")/$(field page "$(map_of "$c")")" 1/0 \
		"$WHAT: page 0 in the parent's vma only"
	expect_eq "$(field folio_pages "$(map_of "$p")")/$(field aligned "$(map_of "$p")")" \
		"0-$((nr - 1))/1" "$WHAT: parent maps all, aligned"
	expect_eq "$(field ptes "$(map_of "$c")")/$(field folio_pages "$(map_of "$c")")/$(field aligned "$(map_of "$c")")" \
		"$((nr - 1))/1-$((nr - 1))/0" "$WHAT: child: PTEs, pages, not aligned"
	expect_eq "$(hexnum "$(field folio_addr "$(map_of "$c")")")" $((PG_CHILD_ADDR - 4096)) \
		"$WHAT: child's folio_addr"
	if [ "$nr" = 512 ]; then
		expect_eq "$(field level "$(map_of "$p")")" pmd "$WHAT: parent by PMD"
		expect_eq "$(field folio_pmd "$S")/$(field entire_mapcount "$S")/$(field folio_ptes "$S")/$(field folio_mapcount "$S")" \
			"1/1/511/512" "$WHAT: folio counts"
	else
		expect_eq "$(field ptes "$(map_of "$p")")" "$nr" "$WHAT: parent by PTEs"
		expect_eq "$(field folio_pmd "$S")/$(field entire_mapcount "$S")/$(field folio_ptes "$S")/$(field folio_mapcount "$S")/$(field large_mapcount "$S")" \
			"0/0/$((2 * nr - 1))/$((2 * nr - 1))/$((2 * nr - 1))" "$WHAT: folio counts"
	fi
	check_pages "$nr"
	expect_eq "$(field runs "$PL")" "0:1/1,1-$((nr - 1)):2/2" "$WHAT: pages line"
	# Page 1 through the child: both map it.
	rmap_of "$c" "$PG_CHILD_ADDR"
	expect_eq "$(field found "$S")/$(field mapcount "$S")/$(field match "$S")" 2/2/yes "$WHAT: page 1"
	expect_eq "$(grep -c ' page=1 ' <<<"$MAPS")" 2 "$WHAT: page 1 in both vmas"
	# pagemap and smaps of both processes.
	# 6.1's pagemap_pmd_range() sets PM_MMAP_EXCLUSIVE for all 512 pages
	# of a PMD from the head page's page_mapcount() (1 here, while
	# kpagecount says 2 for pages 1-511); 6.12 asks each page
	# (folio_precise_page_mapcount()).
	if [ "$nr" = 512 ] && ! kernel_is_612; then
		expect_eq "$(exclusive "$p" "$PG_ADDR" "$nr")" "0-511:1" "$WHAT: parent's PM_MMAP_EXCLUSIVE (6.1: the head's)"
	else
		expect_eq "$(exclusive "$p" "$PG_ADDR" "$nr")" "0:1,1-$((nr - 1)):0" "$WHAT: parent's PM_MMAP_EXCLUSIVE"
	fi
	expect_eq "$(exclusive "$c" "$PG_CHILD_ADDR" $((nr - 1)))" "0-$((nr - 2)):0" "$WHAT: child's PM_MMAP_EXCLUSIVE"
	expect_eq "$(smaps_of "$p" "$PG_ADDR")" "$(( (nr - 1) * 4 ))/4" "$WHAT: parent's smaps shared/private kB"
	expect_eq "$(smaps_of "$c" "$PG_CHILD_ADDR")" "$(( (nr - 1) * 4 ))/0" "$WHAT: child's smaps shared/private kB"
	# What the kernel made of the child's unmap of page 0 (docs/findings.md).
	cmd "inspect pid=$p addr=$PG_ADDR"
	note "$WHAT: $(grep -oE ' (partially_mapped|deferred_split)=[^ ]+' <<<"$REPLY_TEXT" | tr -d '\n')"
	cleanup_helpers
}

fork_offset 512

# pte-thp: one THP mapped by 512 PTEs through 3 vmas (page 1 read-only).
start_pages pte-thp
WHAT=pte-thp
rmap_of "$PG_PID" "$PG_ADDR"
expect_eq "$(grep -oE ' ptes=[0-9]+ folio_pages=[0-9-]+' <<<"$MAPS" | sort | tr -d '\n')" \
	" ptes=1 folio_pages=0-0 ptes=1 folio_pages=1-1 ptes=510 folio_pages=2-511" "$WHAT: per vma"
expect_eq "$(grep -c ' aligned=1$' <<<"$MAPS")" 3 "$WHAT: every vma aligned"
expect_eq "$(field folio_pmd "$S")/$(field folio_ptes "$S")/$(field folio_mapcount "$S")" 0/512/512 "$WHAT: folio counts"
check_pages 512
expect_eq "$(field runs "$PL")" "0-511:1/1" "$WHAT: pages line"
expect_eq "$(exclusive "$PG_PID" "$PG_ADDR" 512)" "0-511:1" "$WHAT: PM_MMAP_EXCLUSIVE"
cleanup_helpers

# mTHP: 64 kB only (the others and 2 MiB never), restored at exit.
if [ -d "$THP/hugepages-64kB" ]; then
	SAVED=()
	for f in "$THP"/hugepages-*kB/enabled; do
		[[ $(<"$f") =~ \[([a-z]+)\] ]] && SAVED+=("$f=${BASH_REMATCH[1]}")
		echo never >"$f"
	done
	trap 'for s in "${SAVED[@]}"; do echo "${s#*=}" >"${s%=*}"; done; cleanup' EXIT
	echo always >"$THP/hugepages-64kB/enabled"
	fork_offset 16 --order 4
else
	kernel_is_612 && die "6.12 without $THP/hugepages-64kB"
	out=$("$PAGES" fork-offset --order 4 </dev/null 2>&1)
	rc=$?
	note "fork-offset --order 4 on $(uname -r): exit $rc: $out"
	expect_eq "$rc" 95 "6.1: no mTHP, the kind exits EOPNOTSUPP"
fi
unload
