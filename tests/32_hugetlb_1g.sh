# 1 GiB hugetlb pages (issue 21): inspect, migrate, rmap of a folio of
# 262144 pages, longer than mmlab's 512-page batch.
# vm-mem: 5G
# vm-append: hugepagesz=1G hugepages=0:1,1:1 nokaslr
#
# The two vm- lines above give this test a guest of its own (tests/run
# leaves it out of a whole-suite run in the guest; scripts/check boots
# `scripts/vm --mem 5G --append "..."` for it): one 1 GiB page reserved on
# each node at boot.  A 2 GiB guest cannot hold one per node: a node of
# 1 GiB has its memmap at its top, and a gigantic page is never allocated
# at run time from a fragmented node; 5 GiB gives QEMU's nodes 2.5 GiB
# each (node 1 above 4 GiB), and memory nobody touches costs the host
# nothing.  nokaslr: the kernel image at 16 MiB, not at a random physical
# address, which one boot in a few put inside the only free 1 GiB of a
# node ("HugeTLB: allocating 1 of page size 1.00 GiB failed node1", 6.1:
# node 0's request had taken node 1's page).  x86 has 1 GiB pages only with the CPU flag pdpe1gb (QEMU's TCG
# "max" CPU has it).
#
# The destination: alloc_migration_target() takes a free page from the
# target node's pool or none (alloc_migrate_hugetlb_folio() never allocates
# a gigantic surplus page), so node 1 needs a free 1 GiB page of its own.
# Oracles: the per-node free_hugepages of the 1 GiB size (/proc/meminfo's
# HugePages_* count the default 2 MiB size only: its Hugetlb: line counts
# all), pagemap pfns, move_pages(2)'s node, /proc/kpageflags, the contents
# (a word per 2 MiB, through /proc/PID/mem) and vmstat pgmigrate_success.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
G=/sys/kernel/mm/hugepages/hugepages-1048576kB
if [ ! -d "$G" ]; then
	grep -qw pdpe1gb /proc/cpuinfo || skip "the CPU has no 1 GiB pages (no pdpe1gb in /proc/cpuinfo)"
	skip "no 1 GiB hugetlb pages (boot with hugepagesz=1G: this test's vm-append line)"
fi
node_g() { # VAR NODE FILE: that node's count of 1 GiB pages
	read -r "$1" <"/sys/devices/system/node/node$2/hugepages/hugepages-1048576kB/$3"
}
n0=0 n1=0
node_g n0 0 nr_hugepages
node_g n1 1 nr_hugepages
if [ "$n0" -lt 1 ] || [ "$n1" -lt 1 ]; then
	skip "needs a 1 GiB hugetlb page reserved on each node, has $n0 and $n1 (this test's vm- lines)"
fi
load
GP=262144			# pages of a 1 GiB folio
MAGIC=$((0x6d6d6c6162000000))	# pages.c: the word at 2 MiB offset k is MAGIC + k

# frees F0 F1: both nodes' free 1 GiB pages, as "F0/F1".
frees() { local a b; node_g a 0 free_hugepages; node_g b 1 free_hugepages; echo "$a/$b"; }
# words_ok PID ADDR WHAT: the 512 marker words of the 1 GiB at ADDR.
words_ok() {
	local w k=0 bad=0
	while read -r w; do
		[ "$w" = $((MAGIC + k)) ] || bad=$((bad + 1))
		k=$((k + 1))
	done < <("$PEEK" -s $(((2 << 20) / 8)) "/proc/$1/mem" $(($2 / 8)) 512)
	expect_eq "$k/$bad" 512/0 "$3: 512 marker words read, how many wrong"
}
# folio_at PID ADDR WHAT: the folio mapped at ADDR is 1 GiB on one pfn run;
# sets PFN (its first page) and NODE (move_pages(2)'s node of its first and last page).
folio_at() {
	local last
	PFN=$(pagemap_pfn "$1" "$2")
	last=$(pagemap_pfn "$1" $(($2 + (GP - 1) * 4096)))
	[ -n "$PFN" ] || die "$3: not present"
	expect_eq "$((last - PFN))" $((GP - 1)) "$3: the last page's pfn after the first's"
	expect_eq "$((PFN % GP))/$(kpf "$PFN" $KPF_HUGE)" 0/1 "$3: 1 GiB aligned pfn, KPF_HUGE"
	NODE=$("$NODEOF" "$1" "$2" $(($2 + (GP - 1) * 4096)) | tr '\n' ' ')
}

expect_eq "$(frees)" "$n0/$n1" "no 1 GiB page in use before"
start_pages hugetlb-1g
A=$PG_PID AA=$PG_ADDR
expect_eq "$PG_LEN" $((1 << 30)) "hugetlb-1g: its length"
folio_at "$A" "$AA" "before"
PFN0=$PFN
expect_eq "$NODE" "0 0 " "before: move_pages(2) node of the first and last page"
expect_eq "$(frees)" "$((n0 - 1))/$n1" "before: node 0's page in use"
words_ok "$A" "$AA" "before"

# ---- inspect: order 18, hugetlb, at the first page and the last -------------
for off in 0 $(((GP - 1) * 4096)); do
	page_line "$A" $((AA + off))
	note "inspect +$off: $PL"
	expect_eq "$(field kind "$PL")/$(field pte "$PL")/$(field order "$PL")" hugetlb/hugetlb/18 \
		"inspect +$off: kind, pte, order"
	expect_eq "$(hexnum "$(field pfn "$PL")")" $((PFN0 + off / 4096)) "inspect +$off: pfn"
done

# ---- rmap: one hugetlb mapping ----------------------------------------------
cmd "rmap pid=$A addr=$((AA + 4096 * 1000))"
expect_eq "$ERR" "" "rmap: $REPLY_TEXT"
expect_match "$REPLY_TEXT" "^map pid=$A .* level=hugetlb .*page=1" "rmap: the hugetlb mapping"
expect_match "$REPLY_TEXT" "^summary op=rmap found=1 mapcount=1 match=yes" "rmap: summary"

# ---- migrate to node 1 without a free 1 GiB page there ----------------------
# A second process takes node 1's page: its pool is empty, and the kernel
# does not allocate a gigantic page for migration.  64 MiB of the folio
# (16384 pages, 32 batches): one batch, one line for all of them.
start_pages hugetlb-1g --node 1
B=$PG_PID
expect_eq "$(frees)" "$((n0 - 1))/$((n1 - 1))" "no free 1 GiB page on node 1"
S0=$(vmstat pgmigrate_success)
cmd "migrate pid=$A addr=$AA len=$((64 << 20)) node=1"
note "$REPLY_TEXT"
expect_eq "$ERR" "" "migrate, node 1 full: $REPLY_TEXT"
L=$(grep -c '^migrate ' <<<"$REPLY_TEXT")
expect_eq "$L" 1 "migrate, node 1 full: one line for the folio"
expect_match "$REPLY_TEXT" "^migrate addr=$(printf '0x%x' "$AA") pages=16384 old_pfn=$(printf '0x%x' "$PFN0") order=18->18 result=failed err=ENOMEM reason=no_memory_on_target$" \
	"migrate, node 1 full: the line"
expect_match "$REPLY_TEXT" "^summary op=migrate pages=16384 migrated=0 failed=16384 .* allocated=0 alloc_failed=1 " \
	"migrate, node 1 full: summary"
folio_at "$A" "$AA" "after a failed migration"
expect_eq "$PFN/$NODE" "$PFN0/0 0 " "after a failed migration: same pfn, node 0"
expect_eq "$(vmstat pgmigrate_success)" "$S0" "after a failed migration: pgmigrate_success"
kill "$B"
wait "$B" 2>/dev/null
for _ in $(seq 1 50); do [ "$(frees)" = "$((n0 - 1))/$n1" ] && break; sleep 0.1; done
expect_eq "$(frees)" "$((n0 - 1))/$n1" "node 1's page free again"

# ---- migrate to node 1 with one -----------------------------------------------
# Again 64 MiB of it: the whole folio moves once (the batches after the
# first must not take its new folio for another one to migrate).
cmd "migrate pid=$A addr=$AA len=$((64 << 20)) node=1 verify=1"
note "$REPLY_TEXT"
expect_eq "$ERR" "" "migrate to node 1: $REPLY_TEXT"
expect_eq "$(grep -c '^migrate ' <<<"$REPLY_TEXT")" 1 "migrate to node 1: one line for the folio"
expect_match "$REPLY_TEXT" "^migrate addr=$(printf '0x%x' "$AA") pages=16384 old_pfn=$(printf '0x%x' "$PFN0") new_pfn=0x[0-9a-f]+ old_nid=0 new_nid=1 order=18->18 result=migrated checks=ok$" \
	"migrate to node 1: the line"
expect_match "$REPLY_TEXT" "^summary op=migrate pages=16384 migrated=16384 failed=0 .* allocated=1 alloc_failed=0 " \
	"migrate to node 1: summary"
folio_at "$A" "$AA" "after migration"
[ "$PFN" != "$PFN0" ] || die "after migration: still at pfn $PFN0"
expect_eq "$NODE" "1 1 " "after migration: move_pages(2) node of the first and last page"
expect_match "$REPLY_TEXT" "new_pfn=$(printf '0x%x' "$PFN") " "migrate to node 1: new_pfn is pagemap's"
expect_eq "$(frees)" "$n0/$((n1 - 1))" "after migration: the source back in node 0's pool, node 1's in use"
expect_eq "$(( $(vmstat pgmigrate_success) - S0 ))" "$GP" "after migration: pgmigrate_success"
words_ok "$A" "$AA" "after migration"
page_line "$A" $((AA + 4096 * 5))
expect_eq "$(field nid "$PL")/$(field order "$PL")" 1/18 "inspect after migration: node, order"
