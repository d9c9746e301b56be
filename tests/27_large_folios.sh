# large folios: the page helper's mthp, pte-thp, partial-thp, thp-cow and
# shmem-thp kinds, each made state asserted through oracles of the kernel's
# own (/proc/kpageflags' compound head/tail run for the order,
# /proc/kpagecount, pagemap, /proc/PID/smaps, vmstat and the mTHP stats
# files, the deferred-split shrinker), inspect's large-folio fields checked
# against them, and each migrated to node 1: whole or split, as the kernel
# does it, seen through pagemap, kpageflags and move_pages(2) status.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
load

THP=/sys/kernel/mm/transparent_hugepage
KPF_COMPOUND_HEAD=15 KPF_COMPOUND_TAIL=16
K612=0
kernel_is_612 && K612=1
# Set by smaps_kb, kpf_order and fieldv (printf -v).
ahp=0 rss=0 cahp=0 spmd=0 dsa='' o=''

# The THP settings this test changes, restored at exit.
SAVED=()
save_knob() { # FILE: remember its [selected] word (or its value)
	local v
	v=$(<"$1") || die "read $1"
	[[ $v =~ \[([a-z]+)\] ]] && v=${BASH_REMATCH[1]}
	SAVED+=("$1=$v")
}
restore_knobs() {
	local s
	for s in "${SAVED[@]}"; do echo "${s#*=}" >"${s%=*}"; done
}
trap 'restore_knobs; cleanup' EXIT

# kpf_order VAR PFN: VAR set to the order of the folio whose head is PFN,
# from the run of KPF_COMPOUND_TAIL pages after it in /proc/kpageflags
# (0: no compound page; "tail": PFN is a tail page).
kpf_order() {
	local -a _w
	local _n=1 _o=0
	mapfile -t _w < <("$PEEK" /proc/kpageflags "$2" 513)
	if (( (_w[0] >> KPF_COMPOUND_TAIL) & 1 )); then
		printf -v "$1" tail
		return
	fi
	if (( !((_w[0] >> KPF_COMPOUND_HEAD) & 1) )); then
		printf -v "$1" 0
		return
	fi
	while (( _n < ${#_w[@]} && ((_w[_n] >> KPF_COMPOUND_TAIL) & 1) )); do _n=$((_n + 1)); done
	while (( (1 << _o) < _n )); do _o=$((_o + 1)); done
	(( (1 << _o) == _n )) || die "kpageflags: a compound run of $_n pages from pfn $2"
	printf -v "$1" '%s' "$_o"
}

# smaps_kb VAR PID ADDR LEN FIELD: FIELD (kB) summed over the vmas of PID
# that overlap [ADDR, ADDR + LEN).
smaps_kb() {
	local l s e in=0 sum=0 re='^([0-9a-f]+)-([0-9a-f]+) '
	while IFS= read -r l; do
		if [[ $l =~ $re ]]; then
			s=$((16#${BASH_REMATCH[1]})) e=$((16#${BASH_REMATCH[2]}))
			in=$(( s < $3 + $4 && e > $3 ))
		elif (( in )) && [[ $l == "$5:"* ]]; then
			l=${l#*:}
			sum=$((sum + ${l% kB}))
		fi
	done <"/proc/$2/smaps"
	printf -v "$1" '%s' "$sum"
}

# want LINE WHAT KEY=VALUE...: each KEY= of LINE has VALUE; VALUE "-":
# LINE has no KEY= at all (a field this kernel does not have).
want() {
	local line=$1 what=$2 kv v
	shift 2
	for kv; do
		if logfmt_value v "${kv%%=*}" "$line"; then
			[ "${kv#*=}" != - ] || die "$what: ${kv%%=*}= should not be there: '$line'"
			[ "$v" = "${kv#*=}" ] || die "$what: ${kv%%=*}=$v, expected ${kv#*=}: '$line'"
		else
			[ "${kv#*=}" = - ] || die "$what: no ${kv%%=*}=: '$line'"
		fi
	done
}
# The per-kernel fields: 6.12's large_mapcount= and partially_mapped=, none on 6.1.
lm() { if [ "$K612" = 1 ]; then echo "large_mapcount=$1"; else echo large_mapcount=-; fi; }
pm() { if [ "$K612" = 1 ]; then echo "partially_mapped=$1"; else echo partially_mapped=-; fi; }

# inspect_at WHAT PID ADDR [LEN]: the inspect page line of ADDR in PL, the
# whole reply in REPLY_TEXT.
inspect_at() {
	cmd "inspect pid=$2 addr=$3 len=${4:-4096}"
	expect_eq "$ERR" "" "$1: inspect"
	PL=${REPLY_TEXT%%"$NL"*}
	note "$1: $PL"
}

# mig WHAT PID ADDR LEN [NODE]: migrate [ADDR, ADDR + LEN) to NODE (1);
# every page must migrate with its checks passed.  ML: the first page's
# line, MORD its order=A->B.  Then move_pages(2) must see ADDR on NODE.
mig() {
	local n=$(( $4 / 4096 )) node=${5:-1} fm0
	fm0=$(counter check_folio_mapcount_passed)
	cmd "migrate pid=$2 addr=$3 len=$4 node=$node"
	expect_eq "$ERR" "" "$1: migrate"
	ML=${REPLY_TEXT%%"$NL"*}
	note "$1: $ML"
	note "$1: $(grep '^summary ' <<<"$REPLY_TEXT")"
	fieldv MORD order "$ML"
	expect_match "$REPLY_TEXT" "^summary op=migrate pages=$n migrated=$n failed=0 skipped=0 raced=0 checks_failed=0 " \
		"$1: every page migrated, checks passed"
	# The folio's own counts are checked on each page of a large folio
	# that moved whole (order=A->A), on no other.
	expect_eq "$(( $(counter check_folio_mapcount_passed) - fm0 ))" \
		"$(grep -cE '^migrate .* order=([1-9][0-9]*)->\1 ' <<<"$REPLY_TEXT")" \
		"$1: folio_mapcount checks passed"
	expect_eq "$("$NODEOF" "$2" "$3")" "$node" "$1: move_pages node status after"
}

# folio_at WHAT PID ADDR ORDER: the page at ADDR (pagemap) is the head of a
# folio of ORDER (kpageflags); PFN set to it.
folio_at() {
	local o
	PFN=$(pagemap_pfn "$2" "$3")
	[ -n "$PFN" ] || die "$1: nothing mapped at $3"
	kpf_order o "$PFN"
	expect_eq "$o" "$4" "$1: folio order from kpageflags' compound run at pfn $PFN"
}

# ---- anon multi-size THP ----------------------------------------------------
# 6.12: every size the kernel offers below 2 MiB, one at a time: that size
# "madvise" (only MADV_HUGEPAGE regions, the helper's, get it: its
# anon_fault_alloc counts exactly the helper's folios), every other never.
# KPF_THP marks any large rmappable folio on 6.12, not only 2 MiB ones.
# AnonHugePages counts PMD mappings only: 0 kB for them.
if [ "$K612" = 1 ]; then
	[ -d "$THP/hugepages-64kB" ] || die "6.12 without $THP/hugepages-64kB"
	for f in "$THP"/hugepages-*kB/enabled; do save_knob "$f"; done
	for order in 2 3 4 5 6 7 8; do
		kb=$(( 4 << order ))
		for f in "$THP"/hugepages-*kB/enabled; do echo never >"$f"; done
		echo madvise >"$THP/hugepages-${kb}kB/enabled"
		st=$THP/hugepages-${kb}kB/stats/anon_fault_alloc
		a0=$(<"$st")
		start_pages mthp --order "$order" --len $(( 2 * kb * 1024 ))
		what="mthp order $order"
		expect_eq "$(( $(<"$st") - a0 ))" 2 "$what: $st"
		folio_at "$what" "$PG_PID" "$PG_ADDR" "$order"
		expect_eq "$(kpf "$PFN" $KPF_THP)" 1 "$what: KPF_THP (any large folio on 6.12)"
		folio_at "$what, second folio" "$PG_PID" $(( PG_ADDR + kb * 1024 )) "$order"
		smaps_kb ahp "$PG_PID" "$PG_ADDR" "$PG_LEN" AnonHugePages
		smaps_kb rss "$PG_PID" "$PG_ADDR" "$PG_LEN" Rss
		expect_eq "$ahp/$rss" "0/$(( 2 * kb ))" "$what: smaps AnonHugePages/Rss"
		expect_eq "$(kpagecount "$PFN")" 1 "$what: kpagecount"
		inspect_at "$what" "$PG_PID" "$PG_ADDR" $(( kb * 1024 ))
		want "$PL" "$what" kind=anon pte=pte order="$order" mapcount=1 \
			folio_mapcount=$(( 1 << order )) entire_mapcount=0 "$(lm $(( 1 << order )))" \
			walk_ptes=$(( 1 << order )) "$(pm 0)" deferred_split=0
		# The last page of the folio: the same folio, the same counts.
		want "${REPLY_TEXT##*"$NL"page }" "$what, last page" order="$order" \
			walk_ptes=$(( 1 << order ))
		# A range that takes half the folio: walk_ptes counts the batch's.
		inspect_at "$what, half" "$PG_PID" "$PG_ADDR" $(( kb * 512 ))
		want "$PL" "$what, half" walk_ptes=$(( 1 << (order - 1) )) \
			folio_mapcount=$(( 1 << order ))
		sd=$THP/hugepages-${kb}kB/stats/split_deferred
		npm=$THP/hugepages-${kb}kB/stats/nr_anon_partially_mapped
		sd0=$(<"$sd") npm0=$(<"$npm")
		mig "$what" "$PG_PID" "$PG_ADDR" "$PG_LEN"
		# 6.12 migrates an mTHP whole: alloc_migration_target() asks for a
		# folio of the source's order.
		expect_eq "$MORD" "$order->$order" "$what: migrated whole"
		folio_at "$what, after" "$PG_PID" "$PG_ADDR" "$order"
		expect_eq "$(hexnum "$(field new_pfn "$ML")")" "$PFN" "$what: new_pfn vs pagemap"
		expect_eq "$("$NODEOF" "$PG_PID" $(( PG_ADDR + 2 * kb * 1024 - 4096 )))" 1 \
			"$what: the last page on node 1"
		# Finding (6.12.118): the migrated folios come out partially
		# mapped and queued for a deferred split, all their pages mapped.
		# try_to_migrate_one() unmaps the source a PTE at a time, and
		# __folio_remove_rmap() marks a large anon folio with a page
		# unmapped and others still mapped partially mapped
		# (deferred_split_folio(, true)); migrate_folio_move()'s requeue
		# of the destination ("requeue destination folio on deferred
		# split queue") reads that flag after the unmap and passes it on.
		# The size's stats count both: split_deferred +2 a folio (source
		# and destination), nr_anon_partially_mapped +1 (the source's
		# went with it when it was freed).
		inspect_at "$what, after" "$PG_PID" "$PG_ADDR" $(( kb * 1024 ))
		want "$PL" "$what, after" order="$order" walk_ptes=$(( 1 << order )) \
			folio_mapcount=$(( 1 << order )) partially_mapped=1 deferred_split=1
		expect_eq "$(( $(<"$sd") - sd0 ))/$(( $(<"$npm") - npm0 ))" 4/2 \
			"$what: stats split_deferred/nr_anon_partially_mapped across the migration"
		# migrate's own line says it: the source not queued before, the
		# destination queued and partially mapped after.
		want "$ML" "$what" 'deferred_split=0->1' 'partially_mapped=0->1'
		cleanup_helpers
	done

	# mlock of an mTHP: mlock() of a range that covers the folio whole
	# mlocks it (6.12 mlock_pte_range(): allow_mlock_munlock()).  Finding
	# (6.12.118), as E11's PMD THP: the destination is not mlocked.
	# PG_mlocked is not migrated (folio_migrate_flags()); it is built up
	# again by remove_migration_pte()'s rmap add, and
	# folio_add_anon_rmap_pte() mlocks only small folios ("leave page
	# reclaim to handle large folio"): mmlab's mlocked check fails on
	# every page; Mlocked and KPF_MLOCKED agree (E45 has reclaim's side).
	what=mlock-mthp
	for f in "$THP"/hugepages-*kB/enabled; do echo never >"$f"; done
	echo madvise >"$THP/hugepages-64kB/enabled"
	ml0=$(meminfo Mlocked)
	start_pages mlock-mthp --order 4
	folio_at "$what" "$PG_PID" "$PG_ADDR" 4
	expect_eq "$(kpf "$PFN" $KPF_MLOCKED)$(kpf $(( PFN + 15 )) $KPF_MLOCKED)" 11 \
		"$what: KPF_MLOCKED, first and last page"
	expect_eq "$(( $(meminfo Mlocked) - ml0 ))" 64 "$what: Mlocked +64 kB"
	cmd "migrate pid=$PG_PID addr=$PG_ADDR len=64K node=1"
	expect_eq "$ERR" "" "$what: migrate"
	ML=${REPLY_TEXT%%"$NL"*}
	note "$what: $ML"
	expect_match "$REPLY_TEXT" '^summary op=migrate pages=16 migrated=16 failed=0 skipped=0 raced=0 checks_failed=16 ' \
		"$what: migrated, the mlocked check failed on each page"
	want "$ML" "$what" 'order=4->4' checks=mlocked
	folio_at "$what, after" "$PG_PID" "$PG_ADDR" 4
	expect_eq "$(kpf "$PFN" $KPF_MLOCKED)$(( $(meminfo Mlocked) - ml0 ))" 00 \
		"$what: KPF_MLOCKED/Mlocked kB after"
	cleanup_helpers
	restore_knobs
	SAVED=()
else
	# 6.1 has no multi-size THP: the kind refuses with the reason.
	out=$("$PAGES" mthp --order 4 </dev/null 2>&1)
	rc=$?
	note "mthp on $(uname -r): exit $rc: $out"
	expect_eq "$rc" 95 "mthp without multi-size THP: EOPNOTSUPP"
	expect_match "$out" 'no .*/hugepages-64kB: this kernel has no anon multi-size THP' "mthp: the reason"
fi

# ---- PTE-mapped THP ----------------------------------------------------------
# mprotect of one subpage splits the PMD into 512 PTEs (3 vmas); the folio
# stays one order-9 folio, every page mapped once.
start_pages pte-thp
what=pte-thp
folio_at "$what" "$PG_PID" "$PG_ADDR" 9
expect_eq "$(kpf "$PFN" $KPF_THP)" 1 "$what: KPF_THP"
smaps_kb ahp "$PG_PID" "$PG_ADDR" "$PG_LEN" AnonHugePages
smaps_kb rss "$PG_PID" "$PG_ADDR" "$PG_LEN" Rss
expect_eq "$ahp/$rss" 0/2048 "$what: smaps AnonHugePages/Rss (PTE-mapped)"
mapfile -t pfns < <(pagemap_pfns "$PG_PID" "$PG_ADDR" 512)
expect_eq "${pfns[511]}" $(( PFN + 511 )) "$what: pagemap, the last page of the same folio"
expect_eq "$("$PEEK" /proc/kpagecount "$PFN" 512 | sort -u)" 1 "$what: kpagecount of all 512"
ds0=$(vmstat thp_deferred_split_page)
if [ "$K612" = 1 ]; then
	pm0=$(<"$THP/hugepages-2048kB/stats/nr_anon_partially_mapped")
fi
inspect_at "$what" "$PG_PID" "$PG_ADDR" 2M
# 6.12 queues every THP it faults in on the deferred-split queue, not
# partially mapped (__do_huge_pmd_anonymous_page(): deferred_split_folio(
# folio, false), for the shrinker of underused THPs); 6.1 queues only a
# THP that lost mappings (page_remove_rmap()).
want "$PL" "$what" kind=anon pte=pte order=9 mapcount=1 folio_mapcount=512 entire_mapcount=0 \
	"$(lm 512)" walk_ptes=512 "$(pm 0)" deferred_split="$K612"
expect_eq "$(grep -c '^page .* pte=pte .* order=9 .* walk_ptes=512 ' <<<"$REPLY_TEXT")" 512 \
	"$what: every page's line"
mig "$what" "$PG_PID" "$PG_ADDR" $((2 << 20))
# Fully mapped, so migrated whole on both kernels.
expect_eq "$MORD" "9->9" "$what: migrated whole"
folio_at "$what, after" "$PG_PID" "$PG_ADDR" 9
expect_eq "$("$NODEOF" "$PG_PID" $(( PG_ADDR + 511 * 4096 )))" 1 "$what: the last page on node 1"
expect_eq "$("$PEEK" /proc/kpagecount "$PFN" 512 | sort -u)" 1 "$what: kpagecount of all 512 after"
inspect_at "$what, after" "$PG_PID" "$PG_ADDR" 2M
# 6.12.118 requeues the destination on the deferred-split queue when the
# source was on it (migrate_folio_move(), "requeue destination folio on
# deferred split queue"): still queued, still not partially mapped.
if [ "$K612" = 1 ]; then
	# Still queued, and now partially mapped with all 512 pages mapped: the
	# finding of the mTHP migrations above.  The next migration splits it
	# first (migrate_pages_batch()'s partially mapped rule).
	want "$PL" "$what, after" pte=pte order=9 walk_ptes=512 folio_mapcount=512 \
		partially_mapped=1 deferred_split=1
	expect_eq "$(( $(vmstat thp_deferred_split_page) - ds0 ))" 2 \
		"$what: thp_deferred_split_page across the migration (source, destination)"
	want "$ML" "$what" 'deferred_split=1->1' 'partially_mapped=0->1'
	expect_eq "$(( $(<"$THP/hugepages-2048kB/stats/nr_anon_partially_mapped") - pm0 ))" 1 \
		"$what: nr_anon_partially_mapped after the migration"
	# Not every piece moves: 6.12's split of an anon folio remaps its
	# zero-filled pages to the shared zero page (__split_huge_page():
	# remap_page(, RMP_USE_SHARED_ZEROPAGE), try_to_map_unused_to_zeropage()),
	# and the helper's fill byte (i * 7 + 1) & 255 is 0 for pages 73 and
	# 329.  Those two are not migrated: mmlab says result=zeropage
	# reason=zero_filled_split for them; kpageflags says the zero page.
	sp0=$(vmstat thp_split_page)
	cmd "migrate pid=$PG_PID addr=$PG_ADDR len=2M node=0"
	expect_eq "$ERR" "" "$what: migrate again"
	note "$what, again: $(grep '^summary ' <<<"$REPLY_TEXT")"
	note "$what, again: $(grep 'result=zeropage' <<<"$REPLY_TEXT")"
	expect_match "$REPLY_TEXT" "^migrate addr=$(printf '0x%x' "$PG_ADDR") .* order=9->0 split=1 .*result=migrated " \
		"$what: migrated again, split first"
	expect_match "$REPLY_TEXT" '^summary op=migrate pages=512 migrated=510 failed=0 .* zeropage=2 ' "$what: 510 of 512 moved, 2 zero pages"
	for i in 73 329; do
		a=$(( PG_ADDR + i * 4096 ))
		expect_match "$REPLY_TEXT" "^migrate addr=$(printf '0x%x' "$a") .*result=zeropage reason=zero_filled_split" "$what: page $i"
		expect_eq "$(kpf "$(pagemap_pfn "$PG_PID" "$a")" $KPF_ZERO_PAGE)" 1 \
			"$what: page $i now maps the zero page"
	done
	expect_eq "$(( $(vmstat thp_split_page) - sp0 ))" 1 "$what: thp_split_page"
	folio_at "$what, again" "$PG_PID" "$PG_ADDR" 0
	expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 0 "$what: back on node 0"
else
	want "$PL" "$what, after" pte=pte order=9 walk_ptes=512 partially_mapped=- deferred_split=0
	want "$ML" "$what" 'deferred_split=0->0' partially_mapped=-
fi
cleanup_helpers

# 6.12's deferred_split= of a full THP follows the kernel's own switch for
# that queue: with shrink_underused off, deferred_split_folio(, false)
# queues nothing.
if [ "$K612" = 1 ]; then
	save_knob "$THP/shrink_underused"
	echo 0 >"$THP/shrink_underused"
	start_pages pte-thp
	inspect_at "pte-thp, shrink_underused=0" "$PG_PID" "$PG_ADDR"
	want "$PL" "pte-thp, shrink_underused=0" order=9 partially_mapped=0 deferred_split=0
	cleanup_helpers
	restore_knobs
	SAVED=()
fi

# ---- partially mapped THP ----------------------------------------------------
# MADV_DONTNEED of all but 16 pages: the PMD is split, 496 ptes zapped;
# the folio stays order 9 with 16 pages mapped, and is queued for a
# deferred split: thp_deferred_split_page +1 on both kernels (6.12 counts
# it when it sets PG_partially_mapped, and the mTHP stats of 2 MiB too).
what=partial-thp
ds0=$(vmstat thp_deferred_split_page)
if [ "$K612" = 1 ]; then
	sd0=$(<"$THP/hugepages-2048kB/stats/split_deferred")
	pm0=$(<"$THP/hugepages-2048kB/stats/nr_anon_partially_mapped")
fi
start_pages partial-thp
expect_eq "$(field mapped "$PG_LINE")" 16 "$what: helper's mapped pages"
expect_eq "$(( $(vmstat thp_deferred_split_page) - ds0 ))" 1 "$what: vmstat thp_deferred_split_page"
if [ "$K612" = 1 ]; then
	expect_eq "$(( $(<"$THP/hugepages-2048kB/stats/split_deferred") - sd0 ))" 1 \
		"$what: mTHP stats split_deferred"
	expect_eq "$(( $(<"$THP/hugepages-2048kB/stats/nr_anon_partially_mapped") - pm0 ))" 1 \
		"$what: mTHP stats nr_anon_partially_mapped"
fi
folio_at "$what" "$PG_PID" "$PG_ADDR" 9
expect_eq "$(pagemap_pfn "$PG_PID" $(( PG_ADDR + 15 * 4096 )))" $(( PFN + 15 )) "$what: page 15 mapped"
expect_eq "$(pagemap_pfn "$PG_PID" $(( PG_ADDR + 16 * 4096 )))" "" "$what: page 16 zapped"
smaps_kb rss "$PG_PID" "$PG_ADDR" "$PG_LEN" Rss
smaps_kb ahp "$PG_PID" "$PG_ADDR" "$PG_LEN" AnonHugePages
expect_eq "$ahp/$rss" 0/64 "$what: smaps AnonHugePages/Rss"
expect_eq "$("$PEEK" /proc/kpagecount "$PFN" 16 | sort -u)/$(kpagecount $(( PFN + 16 )))" 1/0 \
	"$what: kpagecount of the mapped pages/of a zapped one"
inspect_at "$what" "$PG_PID" "$PG_ADDR" 64K
want "$PL" "$what" kind=anon pte=pte order=9 mapcount=1 folio_mapcount=16 entire_mapcount=0 \
	"$(lm 16)" walk_ptes=16 "$(pm 1)" deferred_split=1
sp0=$(vmstat thp_split_page)
mig "$what" "$PG_PID" "$PG_ADDR" 65536
if [ "$K612" = 1 ]; then
	# 6.12's migrate_pages_batch() splits a partially mapped folio on the
	# deferred-split queue before it migrates anything (try_split_folio()):
	# 16 order-0 pages move, the 496 unmapped ones are freed.
	expect_eq "$MORD" "9->0" "$what: split before migration"
	want "$ML" "$what" split=1 'deferred_split=1->0' 'partially_mapped=1->0'
	expect_eq "$(( $(vmstat thp_split_page) - sp0 ))" 1 "$what: vmstat thp_split_page"
	expect_eq "$(( $(<"$THP/hugepages-2048kB/stats/nr_anon_partially_mapped") - pm0 ))" 0 \
		"$what: nr_anon_partially_mapped back"
	folio_at "$what, after" "$PG_PID" "$PG_ADDR" 0
	folio_at "$what, page 15 after" "$PG_PID" $(( PG_ADDR + 15 * 4096 )) 0
	expect_eq "$("$NODEOF" "$PG_PID" $(( PG_ADDR + 15 * 4096 )))" 1 "$what: page 15 on node 1"
else
	# 6.1's migrate_pages() splits a THP only when it cannot migrate it
	# whole (-ENOMEM, or no THP migration): the whole folio moves, its 496
	# unmapped pages with it.
	expect_eq "$MORD" "9->9" "$what: migrated whole"
	expect_eq "$(( $(vmstat thp_split_page) - sp0 ))" 0 "$what: vmstat thp_split_page"
	folio_at "$what, after" "$PG_PID" "$PG_ADDR" 9
	inspect_at "$what, after" "$PG_PID" "$PG_ADDR" 64K
	want "$PL" "$what, after" order=9 folio_mapcount=16 walk_ptes=16 partially_mapped=-
	# Finding (6.1): the destination is not on the deferred-split queue
	# where the source was (6.1 has no requeue: free_transhuge_page()
	# takes the source off, nothing puts the destination on), so its 496
	# unmapped pages are never split off and freed by the shrinker.
	# Checked by the queue's own consumer: the deferred-split shrinker
	# (drop_caches 2 runs every shrinker) splits what is queued and
	# leaves this folio whole.
	fieldv dsa deferred_split "$PL"
	expect_eq "$dsa" 0 "$what: the migrated folio not queued"
	want "$ML" "$what" 'deferred_split=1->0'
	sp0=$(vmstat thp_split_page)
	echo 2 >/proc/sys/vm/drop_caches
	kpf_order o "$PFN"
	expect_eq "$o/$(( $(vmstat thp_split_page) - sp0 ))" 9/0 \
		"$what: the shrinker left it whole (order from kpageflags/thp_split_page)"
fi
cleanup_helpers

# The shrinker as an oracle of the queue (used for 6.1 above): a
# partially mapped THP left queued is split by drop_caches 2 on both
# kernels (deferred_split_scan()).
start_pages partial-thp
folio_at "$what, shrinker" "$PG_PID" "$PG_ADDR" 9
sp0=$(vmstat thp_split_page)
echo 2 >/proc/sys/vm/drop_caches
kpf_order o "$PFN"
expect_eq "$o/$(( $(vmstat thp_split_page) - sp0 ))" 0/1 \
	"$what: the deferred-split shrinker split the queued folio (kpageflags/thp_split_page)"
cleanup_helpers

# ---- THP shared with a child, then partly COWed ------------------------------
# The child writes page 0 (tools/testing/selftests/mm/cow.c's state): its
# PMD is split, page 0 COWed to a page of its own, 511 PTEs still map the
# THP; the parent keeps its PMD.  Per page: page 0 mapped once (the
# parent's PMD), the others twice; the folio 512 times on both kernels
# (6.1: entire 1 + 511 page mapcounts; 6.12: _large_mapcount).  Not
# partially mapped: every page is still mapped by the parent's PMD.
what=thp-cow
start_pages thp-cow
folio_at "$what" "$PG_PID" "$PG_ADDR" 9
expect_eq "$(pagemap_pfn "$PG_CHILD" $(( PG_ADDR + 4096 )))" $(( PFN + 1 )) "$what: child maps page 1 of it"
cpfn=$(pagemap_pfn "$PG_CHILD" "$PG_ADDR")
if [ -z "$cpfn" ] || [ "$cpfn" = "$PFN" ]; then die "$what: child's page 0 not COWed ($cpfn)"; fi
kpf_order o "$cpfn"
expect_eq "$o" 0 "$what: child's COW copy is a small page"
mapfile -t kc < <("$PEEK" /proc/kpagecount "$PFN" 3)
expect_eq "${kc[*]}" "1 2 2" "$what: kpagecount of pages 0, 1, 2"
smaps_kb ahp "$PG_PID" "$PG_ADDR" "$PG_LEN" AnonHugePages
smaps_kb cahp "$PG_CHILD" "$PG_ADDR" "$PG_LEN" AnonHugePages
expect_eq "$ahp/$cahp" 2048/0 "$what: smaps AnonHugePages parent/child"
inspect_at "$what, parent" "$PG_PID" "$PG_ADDR" 2M
want "$PL" "$what, parent" pte=pmd order=9 mapcount=1 folio_mapcount=512 entire_mapcount=1 \
	"$(lm 512)" walk_ptes=0 "$(pm 0)" deferred_split="$K612"
want "$(grep -m1 "^page addr=$(printf '0x%x' $(( PG_ADDR + 4096 ))) " <<<"$REPLY_TEXT")" \
	"$what, parent page 1" mapcount=2
inspect_at "$what, child" "$PG_CHILD" "$PG_ADDR" 2M
want "$PL" "$what, child page 0" order=0 mapcount=1
want "$(grep -m1 "^page addr=$(printf '0x%x' $(( PG_ADDR + 4096 ))) " <<<"$REPLY_TEXT")" \
	"$what, child page 1" pte=pte order=9 mapcount=2 folio_mapcount=512 entire_mapcount=1 \
	"$(lm 512)" walk_ptes=511 "$(pm 0)" deferred_split="$K612"
mig "$what" "$PG_PID" "$PG_ADDR" $((2 << 20))
expect_eq "$MORD" "9->9" "$what: migrated whole"
want "$ML" "$what" deferred_split="$K612->$K612" "$(pm '0->1')"
folio_at "$what, after" "$PG_PID" "$PG_ADDR" 9
# The child's 511 PTEs followed the folio; its own page 0 stayed where
# its COW fault put it (the CPU's node: not bound).
expect_eq "$(pagemap_pfn "$PG_CHILD" $(( PG_ADDR + 4096 )))" $(( PFN + 1 )) "$what: child's page 1 after"
expect_eq "$(pagemap_pfn "$PG_CHILD" "$PG_ADDR")" "$cpfn" "$what: child's own page 0 not moved"
expect_eq "$("$NODEOF" "$PG_CHILD" $(( PG_ADDR + 4096 )))" 1 "$what: child's page 1 on node 1"
mapfile -t kc < <("$PEEK" /proc/kpagecount "$PFN" 3)
expect_eq "${kc[*]}" "1 2 2" "$what: kpagecount after"
inspect_at "$what, parent after" "$PG_PID" "$PG_ADDR"
# 6.12: partially mapped after, as the pte-thp: the parent's PMD was
# unmapped for migration while the child's 511 PTEs still mapped it.
want "$PL" "$what, parent after" pte=pmd order=9 folio_mapcount=512 entire_mapcount=1 \
	"$(pm 1)" deferred_split="$K612"
cleanup_helpers

# ---- shmem THP ---------------------------------------------------------------
# A file on tmpfs huge=always, MAP_SHARED at a 2 MiB boundary: one order-9
# shmem folio mapped by a PMD (smaps ShmemPmdMapped).  Never on the
# deferred-split queue (only anon folios are queued).
what=shmem-thp
TMPFS=/tmp/mmlab-hugetmpfs
mkdir -p "$TMPFS"
mountpoint -q "$TMPFS" || mount -t tmpfs -o huge=always,size=16M none "$TMPFS" || die "mount tmpfs huge=always"
start_pages shmem-thp --file "$TMPFS/f"
folio_at "$what" "$PG_PID" "$PG_ADDR" 9
smaps_kb spmd "$PG_PID" "$PG_ADDR" "$PG_LEN" ShmemPmdMapped
expect_eq "$spmd" 2048 "$what: smaps ShmemPmdMapped"
expect_eq "$(kpf "$PFN" $KPF_ANON)$(kpf "$PFN" $KPF_SWAPBACKED)" 01 "$what: kpageflags swapbacked, not anon"
inspect_at "$what" "$PG_PID" "$PG_ADDR" 2M
want "$PL" "$what" kind=shmem pte=pmd order=9 mapcount=1 folio_mapcount=1 entire_mapcount=1 \
	"$(lm 1)" walk_ptes=0 "$(pm 0)" deferred_split=0
mig "$what" "$PG_PID" "$PG_ADDR" $((2 << 20))
expect_eq "$MORD" "9->9" "$what: migrated whole"
want "$ML" "$what" 'deferred_split=0->0' "$(pm '0->0')"
folio_at "$what, after" "$PG_PID" "$PG_ADDR" 9
smaps_kb spmd "$PG_PID" "$PG_ADDR" "$PG_LEN" ShmemPmdMapped
expect_eq "$spmd" 2048 "$what: PMD-mapped again after (remove_migration_pmd())"
cleanup_helpers
umount "$TMPFS"
