# rmap: every mapping of a page, found by the kernel's rmap walk, against
# the mapcounts the kernel keeps, /proc/kpagecount and the pids that really
# share the page (fork trees, COW, KSM, file and shmem sharers, THP split
# by mprotect, mlock); the reclaim referenced walk; refusals; and 2000
# walks while the target forks and reaps children.
. "$MMLAB_ROOT/tests/lib.sh"
load
setup_ext4

# rmap_of PID ADDR [MORE]: one rmap command that must succeed; sets S (the
# summary line), H (the rmap head line) and MAPS (the map lines).
rmap_of() {
	cmd "rmap pid=$1 addr=$2${3:+ $3}"
	expect_eq "$ERR" "" "rmap pid=$1 addr=$2 $*"
	S=$(grep '^summary ' <<<"$REPLY_TEXT")
	H=$(grep '^rmap ' <<<"$REPLY_TEXT")
	MAPS=$(grep '^map ' <<<"$REPLY_TEXT")
}
sorted() { printf '%s\n' "$@" | sort -n | tr '\n' ' '; }
# map_pids: the pids of the map lines, sorted.
map_pids() { grep -oE ' pid=[0-9]+' <<<"$MAPS" | cut -d= -f2 | sort -n | tr '\n' ' '; }
# agrees NAME N: found N mappings, the kernel counts N, kpagecount says N.
agrees() {
	local pfn
	expect_eq "$(field found "$S")/$(field mapcount "$S")/$(field match "$S")" "$2/$2/yes" "$1: found/mapcount/match"
	pfn=$(hexnum "$(field pfn "$H")")
	expect_eq "$(kpagecount "$pfn")" "$2" "$1: /proc/kpagecount"
}

# One private anon page: one mapping, the helper's, by PTE.
start_pages anon
rmap_of "$PG_PID" "$PG_ADDR"
agrees anon 1
expect_eq "$(map_pids)" "$(sorted "$PG_PID")" "anon: pid"
expect_eq "$(field level "$MAPS")/$(field page "$MAPS")" pte/1 "anon: level, maps the page"
expect_eq "$(hexnum "$(field addr "$MAPS")")" "$(hexnum "$PG_ADDR")" "anon: address"
expect_eq "$(hexnum "$(field pfn "$H")")" "$(pagemap_pfn "$PG_PID" "$PG_ADDR")" "anon: pfn vs pagemap"
expect_eq "$(field comm "$MAPS")" pages "anon: comm"
# The same page by pfn= gives the same walk.
cmd "rmap pfn=$(field pfn "$H")"
expect_eq "$ERR" "" "anon by pfn"
expect_eq "$(field found "$(grep '^summary ' <<<"$REPLY_TEXT")")" 1 "anon by pfn: found"
cleanup_helpers

# Fork trees: the parent and its 1, 3, 8 children share the page.
for n in 1 3 8; do
	start_pages anon --children "$n"
	read -ra KIDS <<<"$PG_CHILDREN"
	rmap_of "$PG_PID" "$PG_ADDR"
	agrees "fork $n" $((n + 1))
	expect_eq "$(map_pids)" "$(sorted "$PG_PID" "${KIDS[@]}")" "fork $n: pids"
	cleanup_helpers
done

# COW: the first of 3 children writes its page.  The parent's page loses
# that mapping; the child's new page has exactly one, the child's.
start_pages anon --children 3 --usr2 write
read -ra KIDS <<<"$PG_CHILDREN"
set -- "${KIDS[@]}"
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
kill -USR2 "$1"
for _ in $(seq 1 50); do
	[ "$(pagemap_pfn "$1" "$PG_ADDR")" != "$OLD" ] && break
	sleep 0.1
done
[ "$(pagemap_pfn "$1" "$PG_ADDR")" != "$OLD" ] || die "cow: the child's write did not copy"
rmap_of "$PG_PID" "$PG_ADDR"
agrees "cow: parent's page" 3
expect_eq "$(map_pids)" "$(sorted "$PG_PID" "$2" "$3")" "cow: parent's page pids"
rmap_of "$1" "$PG_ADDR"
agrees "cow: child's page" 1
expect_eq "$(map_pids)" "$(sorted "$1")" "cow: child's page pid"
cleanup_helpers

# KSM: two processes' identical pages merged into one KSM page, reached
# through two different anon_vmas (rmap_walk_ksm).
start_pages ksm
wait_ksm
rmap_of "$PG_PID" "$PG_ADDR"
expect_eq "$(field kind "$H")" ksm "ksm: merged"
agrees ksm 2
expect_eq "$(map_pids)" "$(sorted "$PG_PID" "$PG_CHILD")" "ksm: pids"
expect_match "$MAPS" "vm_flags=[a-z,]*mergeable" "ksm: vma flagged mergeable"
cleanup_helpers

# A file page on ext4 and a shmem page, each mapped by 3 processes: two
# MAP_SHARED and one MAP_PRIVATE read-only (the page cache page itself,
# until that process writes).  All three through the i_mmap tree.
for kind in file shmem; do
	start_pages "$kind" --file "$EXT4/rmap-file" --children 2 --private-child
	read -ra KIDS <<<"$PG_CHILDREN"
	rmap_of "$PG_PID" "$PG_ADDR"
	agrees "$kind" 3
	expect_eq "$(map_pids)" "$(sorted "$PG_PID" "${KIDS[@]}")" "$kind: pids"
	expect_eq "$(grep -c 'vm_flags=read,write,shared ' <<<"$MAPS")" 2 "$kind: two MAP_SHARED"
	expect_eq "$(grep -c 'vm_flags=read ' <<<"$MAPS")" 1 "$kind: one MAP_PRIVATE read-only"
	expect_eq "$(field kind "$H")" "$kind" "$kind: kind"
	cleanup_helpers
done

# THP mapped by one PMD; then mprotect() of its second half splits the vma
# and the PMD: the folio stays one THP, now mapped by 512 PTEs in 2 vmas.
start_pages thp --usr2 mprotect-half
rmap_of "$PG_PID" "$PG_ADDR"
agrees "thp (pmd)" 1
expect_eq "$(field level "$MAPS")" pmd "thp: level"
expect_eq "$(field folio_pmd "$S")/$(field entire_mapcount "$S")/$(field folio_ptes "$S")/$(field folio_mapcount "$S")" \
	1/1/0/1 "thp (pmd): folio_pmd/entire_mapcount/folio_ptes/folio_mapcount"
kill -USR2 "$PG_PID"
for _ in $(seq 1 50); do
	rmap_of "$PG_PID" "$PG_ADDR"
	[ "$(field level "$MAPS")" = pte ] && break
	sleep 0.1
done
note "thp after mprotect: $S"
agrees "thp (pte-mapped), first page" 1
expect_eq "$(field order "$H")" 9 "thp (pte-mapped): still one THP"
expect_eq "$(grep -c '^map ' <<<"$MAPS")" 2 "thp (pte-mapped): two vmas"
expect_eq "$(grep -oE ' ptes=[0-9]+' <<<"$MAPS" | tr -d '\n')" " ptes=256 ptes=256" "thp (pte-mapped): 256 PTEs per vma"
expect_eq "$(field folio_pmd "$S")/$(field entire_mapcount "$S")/$(field folio_ptes "$S")/$(field folio_mapcount "$S")" \
	0/0/512/512 "thp (pte-mapped): folio counts"
# A page in the second half is mapped once, by the read-only vma.
rmap_of "$PG_PID" $((PG_ADDR + (1 << 20) + 4096))
agrees "thp (pte-mapped), second half" 1
expect_match "$(grep ' page=1' <<<"$MAPS")" "vm_flags=read,hugepage " "thp: second-half page is in the read-only vma"
cleanup_helpers

# A page in an mlocked vma is flagged locked.
start_pages mlock
rmap_of "$PG_PID" "$PG_ADDR"
agrees mlock 1
expect_match "$MAPS" "vm_flags=[a-z,]*locked" "mlock: vma flagged locked"
cleanup_helpers

# action=referenced on a page just written: referenced once, young cleared;
# a second call: not referenced.
start_pages anon
rmap_of "$PG_PID" "$PG_ADDR" action=referenced
note "referenced 1: $S"
expect_eq "$(field referenced "$S")/$(field young_before "$S")/$(field young_after "$S")" 1/1/0 "referenced: first call"
expect_eq "$(field young "$MAPS")" 1 "referenced: map line shows young before"
rmap_of "$PG_PID" "$PG_ADDR" action=referenced
note "referenced 2: $S"
expect_eq "$(field referenced "$S")/$(field young_before "$S")/$(field young_after "$S")" 0/0/0 "referenced: second call"
expect_eq "$(counter rmap_referenced_walks)" 2 "referenced: counted"
cleanup_helpers

# Refusals, each with its errno.
start_pages zero
cmd "rmap pid=$PG_PID addr=$PG_ADDR"
expect_eq "$ERR" EINVAL "zero page"
cleanup_helpers
cmd "rmap pid=999999 addr=0x1000"
expect_eq "$ERR" ESRCH "no such process"
cmd "rmap pid=$$ addr=0x1000"
expect_eq "$ERR" EFAULT "nothing mapped"
cmd "rmap pfn=0xfffffffff"
expect_eq "$ERR" ENXIO "pfn beyond memory"
cmd "rmap pfn=0"
expect_eq "$ERR" EINVAL "pfn 0 (reserved, not on an LRU)"
expect_match "$REPLY_TEXT" 'reason="pfn 0x0 is not on an LRU list' "pfn 0: reason"

# Stress: 2000 walks while the target forks and reaps children that write
# (COW) and exit.  Every reply is well formed; mmlab never calls a stable
# count a mismatch.
start_pages anon --churn
mapfile -t lines < <(yes "rmap pid=$PG_PID addr=$PG_ADDR" | head -n 2000)
counterv F0 check_rmap_mapcount_failed
OUT=$("$MMLAB" write "${lines[@]}" 2>&1)
expect_eq "$(grep -c '^summary op=rmap ' <<<"$OUT")" 2000 "stress: 2000 summaries"
BADL=$(grep -vE '^(rmap|map|summary) ' <<<"$OUT" | head -n 3)
expect_eq "$BADL" "" "stress: malformed lines"
note "stress: match=yes $(grep -c 'match=yes' <<<"$OUT"), unstable $(grep -c 'match=unstable' <<<"$OUT"), retries $(counter rmap_retries)"
grep -q 'match=no' <<<"$OUT" && note "mismatches: $(grep -B3 -m2 'match=no' <<<"$OUT")"
expect_eq "$(grep -c 'match=no' <<<"$OUT")" 0 "stress: no false mismatch"
expect_eq "$(counter check_rmap_mapcount_failed)" "$F0" "stress: check counter"
cleanup_helpers
unload
