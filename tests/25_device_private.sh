# Device-private pages (seed 000: Hugh Dickins asks what the charge mover
# does with an MC_TARGET_DEVICE page, and whether it is folio_mapped();
# Johannes Weiner: "A device_private pte always has a matching mapcount in
# the fake page it points to").  The page helper's anon pages go into the
# device memory of lib/test_hmm.c's dmirror device, then:
#   inspect      names them: pte=device_private, zone Device, mapcount 1
#                (oracles: pagemap has the swap bit and no pfn; smaps counts
#                them in Rss, private, as show_smap does device-private ptes)
#   migrate      skips them, as move_pages(2) does (its status: -ENOENT)
#   rmap         finds the one mapping through page_vma_mapped_walk()
#   move_charge  moves them unisolated, mapped=1 (cgroup-v1 memcg; oracle:
#                after a CPU read faults each page back to system memory,
#                the new page's memcg in /proc/kpagecgroup is the
#                destination, because migrate_vma hands the device page's
#                memcg to it)
# A kernel without CONFIG_DEVICE_PRIVATE (Debian's): features says why and
# the page kind answers EOPNOTSUPP.
. "$MMLAB_ROOT/tests/lib.sh"
load
F=$(<"$D/features")
if ! has_config DEVICE_PRIVATE; then
	expect_match "$F" '^device_private no reason=".*CONFIG_DEVICE_PRIVATE.*"$' "features: no device_private"
	out=$("$PAGES" device-private </dev/null 2>&1)
	expect_eq "$?" 95 "device-private kind: EOPNOTSUPP"
	expect_match "$out" 'CONFIG_DEVICE_PRIVATE' "device-private kind: reason"
	unload
	exit 0
fi
expect_match "$F" '^device_private yes$' "features: device_private"
[ -e /dev/hmm_dmirror0 ] || modprobe test_hmm || die "modprobe test_hmm"
N=4

# smaps_kb PID ADDR FIELD: FIELD (kB) of the vma holding ADDR in smaps.
smaps_kb() {
	local a=$(($2)) in=0 k v _
	while read -r k v _; do
		if [[ $k =~ ^([0-9a-f]+)-([0-9a-f]+)$ ]]; then
			in=0
			((a >= 16#${BASH_REMATCH[1]} && a < 16#${BASH_REMATCH[2]})) && in=1
		elif [ "$in" = 1 ] && [ "$k" = "$3:" ]; then
			echo "$v"
			return
		fi
	done <"/proc/$1/smaps"
}

CG=/tmp/mmlab-memcg
mkdir -p "$CG"
mount_memcg_v1 "$CG"
for g in A B; do rmdir "$CG/dp$g" 2>/dev/null; mkdir "$CG/dp$g" || die "mkdir dp$g"; done
echo $$ >"$CG/dpA/cgroup.procs"
start_pages device-private --len $((N * 4096)) --usr2 read
echo $$ >"$CG/cgroup.procs"
expect_eq "$(field cpages "$PG_LINE")" "$N" "test_hmm migrated every page"
for i in $(seq 0 $((N - 1))); do
	a=$((PG_ADDR + i * 4096))
	expect_eq "$(pagemap_swapped "$PG_PID" "$a")/$(pagemap_pfn "$PG_PID" "$a")" 1/ \
		"page $i: pagemap: a swap-type entry, no pfn"
	expect_eq "$("$NODEOF" "$PG_PID" "$a")" -2 "page $i: move_pages status -ENOENT"
done
expect_eq "$(smaps_kb "$PG_PID" "$PG_ADDR" Rss)/$(smaps_kb "$PG_PID" "$PG_ADDR" Private_Dirty)" \
	"$((N * 4))/$((N * 4))" "smaps: device-private pages in Rss, private"

# inspect names them.
cmd "inspect pid=$PG_PID addr=$PG_ADDR len=$((N * 4096))"
expect_eq "$ERR" "" "inspect"
R=$(grep '^page ' <<<"$REPLY_TEXT")
note "$R"
expect_eq "$(grep -c ' pte=device_private .* zone=Device .* mapcount=1 ' <<<"$R")" "$N" \
	"inspect: pte=device_private, zone Device, mapcount 1"

# migrate: skipped, as move_pages(2) sees no page; one page: refused.
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=$((N * 4096)) node=1"
expect_eq "$ERR" "" "migrate of the range"
expect_eq "$(grep -c '^migrate .* reason=device_private' <<<"$REPLY_TEXT")" "$N" "migrate: each skipped, device_private"
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1"
expect_eq "$ERR" ENOENT "migrate of one page"
expect_match "$REPLY_TEXT" 'device-private memory' "migrate: reason"
expect_eq "$(pagemap_swapped "$PG_PID" "$PG_ADDR")" 1 "migrate: still in device memory"

# rmap: the device page is in the rmap, with its mapcount.
cmd "rmap pid=$PG_PID addr=$PG_ADDR"
expect_eq "$ERR" "" "rmap"
S=$(grep '^summary ' <<<"$REPLY_TEXT")
note "$S"
expect_eq "$(field found "$S")/$(field mapcount "$S")/$(field match "$S")" 1/1/yes "rmap: found/mapcount/match"
expect_eq "$(field pid "$(grep '^map ' <<<"$REPLY_TEXT")")" "$PG_PID" "rmap: the helper maps it"

# pin mode=pin would fault it back to RAM against mmlab's own reference.
cmd "pin pid=$PG_PID addr=$PG_ADDR mode=pin"
expect_eq "$ERR" EBUSY "pin mode=pin of a device-private page"

# move_charge: present refuses (not a present pte); kernel moves each page
# mapped, as the 6.12 mover's MC_TARGET_DEVICE case (no LRU isolation).
cmd "move_charge pid=$PG_PID addr=$PG_ADDR len=$((N * 4096)) to=/dpB policy=present"
expect_eq "$(grep -c 'pte=device .* reason=policy' <<<"$REPLY_TEXT")" "$N" "move_charge present: policy"
U0=$(<"$CG/dpB/memory.usage_in_bytes")
cmd "move_charge pid=$PG_PID addr=$PG_ADDR len=$((N * 4096)) to=/dpB policy=kernel"
expect_eq "$ERR" "" "move_charge kernel"
note "$REPLY_TEXT"
expect_eq "$(grep -c 'pte=device .* mapped=1 mapcount=1 result=moved' <<<"$REPLY_TEXT")" "$N" \
	"move_charge kernel: each moved, mapped"
expect_eq "$(($(<"$CG/dpB/memory.usage_in_bytes") - U0))" $((N * 4096)) "dpB usage_in_bytes grew by the pages"

# A CPU read brings each page back: new system pages, charged to dpB.
kill -USR2 "$PG_PID"
for _ in $(seq 1 50); do
	[ "$(pagemap_swapped "$PG_PID" $((PG_ADDR + (N - 1) * 4096)))" = 0 ] && break
	sleep 0.1
done
ino=$(stat -c %i "$CG/dpB")
for i in $(seq 0 $((N - 1))); do
	a=$((PG_ADDR + i * 4096))
	pfn=$(pagemap_pfn "$PG_PID" "$a")
	[ -n "$pfn" ] || die "page $i: not back in system memory"
	expect_eq "$(u64 /proc/kpagecgroup "$pfn")" "$ino" "page $i: back in RAM, charged to dpB"
	expect_eq "$(mem_hex "$PG_PID" "$a" 2)" "$(printf '%02x' $(((i * 7 + 1) & 255)))" "page $i: contents survived"
done
cleanup_helpers
echo $$ >"$CG/cgroup.procs"
rmdir "$CG/dpA" "$CG/dpB" 2>/dev/null
unload
