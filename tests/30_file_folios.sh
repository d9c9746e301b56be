# Large page-cache folios and shmem mTHP (issue 21): the page helper's
# file-large (xfs on brd; 6.12 also an xfs with 16 KiB blocks, whose
# folios have a minimum order) and shmem-mthp kinds, through inspect,
# migrate and split.  Oracles: /proc/kpageflags (compound head/tail runs,
# KPF_ANON/KPF_SWAPBACKED), pagemap, move_pages(2) status, /proc/PID/smaps
# (FilePmdMapped), /proc/vmstat (pgmigrate_success, thp_migration_*,
# thp_split_page), the mTHP stats files and /proc/PID/mem.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
# A large page-cache or shmem folio is never on the deferred-split queue
# (anon only): migrate's line says so, and 6.12 adds PG_partially_mapped.
Q0='deferred_split=0->0'
kernel_is_612 && Q0+=' partially_mapped=0->0'
KPF_COMPOUND_HEAD=15 KPF_COMPOUND_TAIL=16
M=$((1 << 20))
THP=/sys/kernel/mm/transparent_hugepage
XFS=/tmp/mmlab-xfs XFS16=/tmp/mmlab-xfs16 TMPFS=/tmp/mmlab-hugetmpfs30
SHM64=$THP/hugepages-64kB/shmem_enabled
SHM64_0=
teardown() {
	cleanup
	[ -z "$SHM64_0" ] || echo "$SHM64_0" >"$SHM64"
	umount "$XFS" "$XFS16" "$TMPFS" 2>/dev/null
	rmmod mmlab 2>/dev/null
}
trap teardown EXIT

# heads_tails PFN N: compound heads/tails among the N pfns from PFN.
heads_tails() {
	echo "$("$PEEK" /proc/kpageflags "$1" "$2" $KPF_COMPOUND_HEAD)/$("$PEEK" /proc/kpageflags "$1" "$2" $KPF_COMPOUND_TAIL)"
}
mem_sum() { # PID ADDR LEN: a digest of the bytes, read through /proc/PID/mem
	dd if="/proc/$1/mem" bs=4096 skip=$(( $2 / 4096 )) count=$(( $3 / 4096 )) 2>/dev/null | md5sum
}
smaps_field() { # PID ADDR FIELD: FIELD (kB) of the vma holding ADDR
	local l in=0 re='^([0-9a-f]+)-([0-9a-f]+) '
	while IFS= read -r l; do
		if [[ $l =~ $re ]]; then
			in=$(( $2 >= 16#${BASH_REMATCH[1]} && $2 < 16#${BASH_REMATCH[2]} ))
		elif (( in )) && [[ $l == "$3:"* ]]; then
			l=${l#*:}
			echo $(( ${l% kB} ))
			return
		fi
	done <"/proc/$1/smaps"
}
# want LINE WHAT KEY=VALUE...: each KEY= of LINE has VALUE.
want() {
	local line=$1 what=$2 kv v
	shift 2
	for kv; do
		fieldv v "${kv%%=*}" "$line"
		[ "$v" = "${kv#*=}" ] || die "$what: ${kv%%=*}='$v', expected ${kv#*=}: '$line'"
	done
}
vm3() { # pgmigrate_success/thp_migration_success/thp_migration_fail
	echo "$(vmstat pgmigrate_success)/$(vmstat thp_migration_success)/$(vmstat thp_migration_fail)"
}
delta3() { # BEFORE AFTER (a/b/c each): the differences
	local IFS=/ b a
	read -r -a b <<<"$1"
	read -r -a a <<<"$2"
	echo "$(( a[0] - b[0] ))/$(( a[1] - b[1] ))/$(( a[2] - b[2] ))"
}
# split_ok WHAT CMD PFN N ORDER CACHED: the split of a file/shmem folio of N
# pages at PFN to ORDER; every page still in the page cache at its pfn
# (cached=N), the process maps none of it (the kernel's split unmaps file
# folios, remap_page() remaps anon ones only), kpageflags sees folios of
# ORDER.  S: the summary.
split_ok() {
	local n=$4 o=$5 h t
	cmd "$2"
	expect_eq "$ERR" "" "$1: $REPLY_TEXT"
	S=$(grep '^summary ' <<<"$REPLY_TEXT")
	note "$1: $S"
	expect_match "$S" " order=[0-9]+->$o pieces=$(( n >> o )) mapped_pages=0 mapped_folios=$(( n >> o )) orders=${o}x$(( n >> o )) unmapped=$n .* checks=ok .*cached=$n\$" \
		"$1: summary"
	expect_eq "$(grep -c '^split index=.* in=page_cache' <<<"$REPLY_TEXT")" $(( n >> o )) "$1: a line per folio"
	if [ "$o" = 0 ]; then h=0 t=0; else h=$(( n >> o )) t=$(( n - (n >> o) )); fi
	expect_eq "$(heads_tails "$3" "$n")" "$h/$t" "$1: kpageflags heads/tails after"
}

load
# ---- fixtures: xfs on brd ------------------------------------------------
# brd with setup_ext4's parameters (a test before may have loaded it: its
# /dev/ram0 is theirs); /dev/ram1 and ram2 are made on first open (brd_probe()).
command -v mkfs.xfs >/dev/null || die "no mkfs.xfs: scripts/setup installs xfsprogs"
modprobe brd rd_nr=1 rd_size=65536 || die "modprobe brd: $(uname -r) has no brd"
grep -qw xfs /proc/filesystems || modprobe xfs || die "$(uname -r) has no xfs"
for i in 1 2; do [ -b /dev/ram$i ] || mknod /dev/ram$i b 1 $i || die "mknod ram$i"; done
# xfsprogs refuses file systems under 300 MB unless run by fstests.
export TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1
mkdir -p "$XFS" "$XFS16" "$TMPFS"
mkfs.xfs -f -q /dev/ram1 || die "mkfs.xfs"
mount -t xfs /dev/ram1 "$XFS" || die "mount xfs"

# ---- a large page-cache folio on xfs -------------------------------------
what="file-large"
start_pages file-large --file "$XFS/f" --len $((4 * M))
A=$PG_ADDR P=$PG_PID
PFN=$(pagemap_pfn "$P" "$A") PFN2=$(pagemap_pfn "$P" $((A + 2 * M)))
expect_eq "$(heads_tails "$PFN" 512)/$(heads_tails "$PFN2" 512)" "1/511/1/511" \
	"$what: two PMD-order folios in the page cache (kpageflags)"
expect_eq "$(kpf "$PFN" $KPF_ANON)$(kpf "$PFN" $KPF_SWAPBACKED)" 00 "$what: not anon, not swapbacked"
expect_eq "$(smaps_field "$P" "$A" FilePmdMapped)" 4096 "$what: smaps FilePmdMapped"
cmd "inspect pid=$P addr=$A len=8192"
expect_eq "$ERR" "" "$what: inspect"
want "${REPLY_TEXT%%"$NL"*}" "$what: inspect" kind=file pte=pmd order=9 mapcount=1 \
	folio_mapcount=1 entire_mapcount=1 walk_ptes=0 deferred_split=0

# Migrated whole: folio_migrate_mapping() replaces the multi-index xarray
# entry (xas_store() of the new folio over its 512 slots).  Counters
# (6.12 migrate_pages_batch(), 6.1 migrate_pages()): pgmigrate_success
# counts the folio's pages, thp_migration_success the PMD-order folios.
SUM0=$(mem_sum "$P" "$A" $((4 * M)))
V0=$(vm3)
cmd "migrate pid=$P addr=$A len=4M node=1 verify=1"
expect_eq "$ERR" "" "$what: migrate"
note "$what: $(grep '^summary ' <<<"$REPLY_TEXT")"
expect_match "$REPLY_TEXT" '^summary op=migrate pages=1024 migrated=1024 failed=0 .* split=0 ' "$what: migrate summary"
expect_match "${REPLY_TEXT%%"$NL"*}" " order=9->9 $Q0 result=migrated checks=ok" "$what: whole"
expect_eq "$(delta3 "$V0" "$(vm3)")" 1024/2/0 "$what: pgmigrate_success/thp_migration_success/thp_migration_fail"
NEW=$(pagemap_pfn "$P" "$A") NEW2=$(pagemap_pfn "$P" $((A + 2 * M)))
[ "$NEW" != "$PFN" ] || die "$what: pfn unchanged"
expect_eq "$(heads_tails "$NEW" 512)/$(heads_tails "$NEW2" 512)" "1/511/1/511" \
	"$what: still two PMD-order folios at the new pfns"
expect_eq "$("$NODEOF" "$P" "$A" $((A + 2 * M - 4096)) $((A + 2 * M)) $((A + 4 * M - 4096)) | sort -u)" 1 \
	"$what: move_pages status node 1"
expect_eq "$(smaps_field "$P" "$A" FilePmdMapped)" 4096 "$what: PMD-mapped again after"
expect_eq "$(mem_sum "$P" "$A" $((4 * M)))" "$SUM0" "$what: contents"

# split: the kernel unmaps a file folio's pages and leaves them in the page
# cache, where split checks them (cached=).  6.12 splits a file folio to
# any order the mapping allows; 6.1 to order 0 only.
T0=$(vmstat thp_split_page)
if kernel_is_612; then
	split_ok "$what: split order 4" "split pid=$P addr=$A order=4 verify=1" "$NEW" 512 4
	expect_eq "$(( $(vmstat thp_split_page) - T0 ))" 1 "$what: thp_split_page"
	expect_eq "$(pagemap_pfn "$P" "$A")" "" "$what: unmapped by the split"
else
	cmd "split pid=$P addr=$A order=4"
	expect_eq "$ERR" EOPNOTSUPP "$what: split order 4 (6.1)"
	expect_eq "$(heads_tails "$NEW" 512)" 1/511 "$what: split order 4 refused (6.1): still a THP"
	T0=$(vmstat thp_split_page)
fi
split_ok "$what: split order 0" "split pid=$P addr=$((A + 2 * M + 4096)) verify=1" "$NEW2" 512 0
PMD=0
kernel_is_612 || PMD=2048	# 6.1: the first folio, not split, still PMD-mapped
expect_eq "$(smaps_field "$P" "$A" FilePmdMapped)" $PMD "$what: PMD mappings after the splits"
expect_eq "$(mem_sum "$P" "$A" $((4 * M)))" "$SUM0" "$what: contents after the splits (refaulted)"
expect_eq "$(pagemap_pfn "$P" $((A + 2 * M + 4096)))" $((NEW2 + 1)) "$what: refaulted from the page cache, same pfn"
cleanup_helpers

# ---- the same folio mapped by two processes: rmap, migrate -------------------
# A forked child faults the shared file in again (fork copies no ptes of a
# shared file vma): a second PMD mapping of the same folio.
what="file-large, two mappers"
start_pages file-large --file "$XFS/g" --children 1
A=$PG_ADDR P=$PG_PID C=$PG_CHILDREN PFN=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
expect_eq "$(pagemap_pfn "$C" "$A")" "$PFN" "$what: the child maps the same pfn"
expect_eq "$(smaps_field "$C" "$A" FilePmdMapped)" 2048 "$what: the child's FilePmdMapped"
expect_eq "$(kpagecount "$PFN")/$(kpagecount $((PFN + 511)))" 2/2 "$what: kpagecount (two PMD mappings)"
cmd "rmap pid=$P addr=$A"
expect_eq "$ERR" "" "$what: rmap"
note "$what: $(grep '^summary ' <<<"$REPLY_TEXT")"
expect_eq "$(grep -c '^map .* level=pmd ' <<<"$REPLY_TEXT")" 2 "$what: rmap: two PMD mappings"
expect_match "$REPLY_TEXT" "^map pid=$C .* level=pmd .*page=1" "$what: rmap: the child's"
expect_match "$REPLY_TEXT" '^summary op=rmap found=2 mapcount=2 match=yes .* folio_pmd=2 entire_mapcount=2 folio_ptes=0 folio_mapcount=2 ' \
	"$what: rmap summary against the kernel's mapcounts"
cmd "migrate pid=$P addr=$A len=2M node=1"
expect_match "$REPLY_TEXT" '^summary op=migrate pages=512 migrated=512 failed=0 ' "$what: migrate"
NEW=$(pagemap_pfn "$P" "$A")
expect_eq "$(pagemap_pfn "$C" "$A")" "$NEW" "$what: the child maps the new pfn"
expect_eq "$(heads_tails "$NEW" 512)/$(kpagecount "$NEW")" 1/511/2 "$what: order 9, both PMD mappings restored"
expect_eq "$("$NODEOF" "$C" "$A")" 1 "$what: move_pages status node 1 in the child"
cleanup_helpers

# ---- 6.12: xfs with 16 KiB blocks (block size above the page size) -----------
mkfs.xfs -f -q -b size=16k /dev/ram2 || die "mkfs.xfs -b size=16k"
if kernel_is_612; then
	# XFS large block sizes (6.12-rc1; xfs_super.c: "EXPERIMENTAL: V5
	# Filesystem with Large Block Size"): xfs_inode_alloc() (xfs_icache.c)
	# sets mapping_set_folio_min_order(, min_folio_order), 2 for 16 KiB.
	mount -t xfs /dev/ram2 "$XFS16" || die "mount xfs -b size=16k"
	what="file-large bs=16k"
	start_pages file-large --file "$XFS16/f" --len $((2 * M))
	A=$PG_ADDR P=$PG_PID PFN=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
	expect_eq "$(heads_tails "$PFN" 512)" 1/511 "$what: a PMD-order folio"
	cmd "inspect pid=$P addr=$A"
	want "$REPLY_TEXT" "$what: inspect" kind=file order=9
	V0=$(vm3)
	cmd "migrate pid=$P addr=$A len=2M node=1 verify=1"
	expect_match "$REPLY_TEXT" '^summary op=migrate pages=512 migrated=512 failed=0 ' "$what: migrate"
	expect_eq "$(delta3 "$V0" "$(vm3)")" 512/1/0 "$what: pgmigrate_success/thp_migration_success/thp_migration_fail"
	PFN=$(pagemap_pfn "$P" "$A")
	expect_eq "$("$NODEOF" "$P" "$A")" 1 "$what: move_pages status node 1"
	# Below the mapping's minimum order 2: refused (the kernel would
	# VM_WARN_ONCE "Cannot split mapped folio below min-order").
	for o in 0 1; do
		cmd "split pid=$P addr=$A order=$o"
		expect_eq "$ERR" EINVAL "$what: split to order $o"
		expect_match "$REPLY_TEXT" "order $o is below the mapping's minimum order 2" "$what: order $o: reason"
	done
	expect_eq "$(heads_tails "$PFN" 512)" 1/511 "$what: refused splits left the folio whole"
	split_ok "$what: split order 2" "split pid=$P addr=$A order=2 verify=1" "$PFN" 512 2
	cleanup_helpers
	umount "$XFS16"
else
	# 6.1: xfs refuses a block size above the page size at mount (-ENOSYS,
	# xfs_fs_fill_super(): "Only pagesize (4096) or less will currently work").
	if mount -t xfs /dev/ram2 "$XFS16" 2>/dev/null; then die "6.1 mounted an xfs with 16 KiB blocks"; fi
	expect_match "$(dmesg | tail -20)" 'blocksize 16384 bytes. Only pagesize \(4096\) or less will currently work' \
		"xfs bs=16k on 6.1: the kernel's reason"
fi

# ---- shmem THP (tmpfs huge=always): split ------------------------------------
what="shmem-thp"
mount -t tmpfs -o huge=always,size=8M none "$TMPFS" || die "mount tmpfs huge=always"
start_pages shmem-thp --file "$TMPFS/f"
P=$PG_PID A=$PG_ADDR PFN=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
expect_eq "$(heads_tails "$PFN" 512)" 1/511 "$what: a PMD-order shmem folio"
SUM0=$(mem_sum "$P" "$A" $((2 * M)))
cmd "split pid=$P addr=$A order=4"
if kernel_is_612; then
	# The kernel would VM_WARN_ONCE "Cannot split shmem folio to non-0 order".
	expect_eq "$ERR" EINVAL "$what: split to order 4"
	expect_match "$REPLY_TEXT" 'a shmem folio splits to order 0 only' "$what: order 4: reason"
else
	expect_eq "$ERR" EOPNOTSUPP "$what: split to order 4 (6.1)"
fi
expect_eq "$(heads_tails "$PFN" 512)" 1/511 "$what: refused split left the folio whole"
split_ok "$what: split order 0" "split pid=$P addr=$A verify=1" "$PFN" 512 0
expect_eq "$(mem_sum "$P" "$A" $((2 * M)))" "$SUM0" "$what: contents after the split"
cleanup_helpers
umount "$TMPFS"

# ---- shmem mTHP (6.12: per-size shmem_enabled, anon shmem) ---------------------
what="shmem-mthp order 4"
if kernel_is_612; then
	[ -f "$SHM64" ] || die "6.12 without $SHM64"
	SHM64_0=$(<"$SHM64")
	[[ $SHM64_0 =~ \[([a-z_]+)\] ]] && SHM64_0=${BASH_REMATCH[1]}
	echo always >"$SHM64"
	st=$THP/hugepages-64kB/stats/shmem_alloc
	a0=$(<"$st")
	start_pages shmem-mthp --order 4 --len $((128 << 10))
	P=$PG_PID A=$PG_ADDR PFN=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
	expect_eq "$(( $(<"$st") - a0 ))" 2 "$what: $st"
	PFN2=$(pagemap_pfn "$P" $((A + (64 << 10))))
	expect_eq "$(heads_tails "$PFN" 16)/$(heads_tails "$PFN2" 16)" 1/15/1/15 \
		"$what: two order-4 folios (kpageflags, each at its own pfn)"
	expect_eq "$(kpf "$PFN" $KPF_ANON)$(kpf "$PFN" $KPF_SWAPBACKED)" 01 "$what: swapbacked, not anon"
	cmd "inspect pid=$P addr=$A"
	want "$REPLY_TEXT" "$what: inspect" kind=shmem pte=pte order=4 folio_mapcount=16 large_mapcount=16
	SUM0=$(mem_sum "$P" "$A" $((128 << 10)))
	V0=$(vm3)
	cmd "migrate pid=$P addr=$A len=128K node=1 verify=1"
	expect_match "$REPLY_TEXT" '^summary op=migrate pages=32 migrated=32 failed=0 .* split=0 ' "$what: migrate"
	expect_match "${REPLY_TEXT%%"$NL"*}" " order=4->4 $Q0 result=migrated checks=ok" "$what: whole"
	# Not PMD-mappable: no thp_migration_success (is_thp is false).
	expect_eq "$(delta3 "$V0" "$(vm3)")" 32/0/0 "$what: pgmigrate_success/thp_migration_success/thp_migration_fail"
	NEW=$(pagemap_pfn "$P" "$A")
	expect_eq "$(heads_tails "$NEW" 16)" 1/15 "$what: order 4 at the new pfn"
	expect_eq "$("$NODEOF" "$P" "$A" $((A + (128 << 10) - 4096)) | sort -u)" 1 "$what: move_pages status node 1"
	cmd "split pid=$P addr=$A order=2"
	expect_eq "$ERR" EINVAL "$what: split to order 2"
	expect_match "$REPLY_TEXT" 'a shmem folio splits to order 0 only' "$what: order 2: reason"
	split_ok "$what: split order 0" "split pid=$P addr=$A verify=1" "$NEW" 16 0
	expect_eq "$(mem_sum "$P" "$A" $((128 << 10)))" "$SUM0" "$what: contents"
	cleanup_helpers
else
	out=$("$PAGES" shmem-mthp --order 4 </dev/null 2>&1)
	rc=$?
	note "$what on $(uname -r): exit $rc: $out"
	expect_eq "$rc" 95 "$what: EOPNOTSUPP without shmem mTHP"
	expect_match "$out" 'no .*hugepages-64kB/shmem_enabled: this kernel has no shmem multi-size THP' "$what: reason"
fi
unload
