# Swap-cache lookups past the first swap address space: the swap cache is
# one address space per 16384 slots (SWAP_ADDRESS_SPACE_PAGES), and 6.12
# indexes each by the offset within it (swap_cache_index()), 6.1 by the
# whole offset.  lib.sh's 64 MiB swap never reaches slot 16384, so this
# test makes a 160 MiB one, fills its low slots with a filler process's
# pages, and then needs `migrate swapcache=1` (and, with cgroup-v1 memcg,
# `move_charge`) to find pages that sit in the swap cache at slots >= 16384.
# Oracles: each page's swap offset from /proc/PID/pagemap (bits 5-54 of a
# swapped entry), then, once the process reads its pages back: pswpin
# unchanged (every page came from the swap cache, no I/O), the migrated
# page on node 1 (move_pages(2) status), the charge-moved page's memcg in
# /proc/kpagecgroup and B's memory.usage_in_bytes, contents via /proc/PID/mem.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
load

SPACE=16384
IMG=/tmp/mmlab-swap-big.img
swapoff -a	# lib.sh's 64 MiB area, if an earlier test left it on
modprobe loop 2>/dev/null
truncate -s 160M "$IMG"
BIGSWAP=$(losetup -f --show "$IMG") || die "losetup"
mkswap -q "$BIGSWAP" >/dev/null || die "mkswap"
swapon "$BIGSWAP" || die "swapon"

# The filler: 68 MiB paged out (non-zero pages: 6.12 writes no zero-filled
# page, but it still takes a slot), so later slots are >= 16384.
start_pages swap --len $((68 << 20))

# With cgroup-v1 memcg (6.1, lab) the target runs in memcg A, for move_charge.
V1=0
if memcg_v1; then
	V1=1
	CG=/tmp/mmlab-memcg
	mount_memcg_v1 "$CG"
	for g in A B; do rmdir "$CG/$g" 2>/dev/null; mkdir "$CG/$g" || die "mkdir $g"; done
	echo $$ >"$CG/A/cgroup.procs"
fi
# The target: 16 pages paged out by MADV_PAGEOUT, still in the swap cache
# (written, not yet reclaimed), behind swap ptes; --usr2 read reads them.
start_pages swap --len $((16 * 4096)) --usr2 read
[ "$V1" = 0 ] || echo $$ >"$CG/cgroup.procs"

# swap_offset PID ADDR: the swap offset of a swapped page, "" otherwise.
swap_offset() {
	local e
	e=$(u64 "/proc/$1/pagemap" $(($2 / 4096)))
	[ $(((e >> 62) & 1)) = 1 ] || return 0
	echo $(((e >> 5) & ((1 << 50) - 1)))
}
HIGH=() OFFS=
for i in $(seq 0 15); do
	o=$(swap_offset "$PG_PID" $((PG_ADDR + i * 4096)))
	OFFS+=" $i:$o"
	[ -n "$o" ] && [ "$o" -ge "$SPACE" ] && HIGH+=("$i")
done
note "target swap offsets:$OFFS"
[ ${#HIGH[@]} -ge 2 ] || die "fewer than 2 target pages at swap offset >= $SPACE:$OFFS"
MI=${HIGH[0]} CI=${HIGH[1]}
MA=$((PG_ADDR + MI * 4096)) CA=$((PG_ADDR + CI * 4096))

# migrate swapcache=1 of one page at offset >= 16384.
cmd "migrate pid=$PG_PID addr=$MA node=1 swapcache=1 verify=1"
note "migrate page $MI: errno=$ERR $REPLY_TEXT"
expect_eq "$ERR" "" "migrate swapcache=1 at swap offset $(swap_offset "$PG_PID" "$MA")"
M=$(grep -m1 '^migrate ' <<<"$REPLY_TEXT")
expect_eq "$(field result "$M")/$(field checks "$M")" migrated/ok "migrate swapcache=1: result"

# move_charge of another one, to B.
if [ "$V1" = 1 ]; then
	UB=$(<"$CG/B/memory.usage_in_bytes")
	cmd "move_charge pid=$PG_PID addr=$CA to=/B"
	note "move_charge page $CI: errno=$ERR $REPLY_TEXT"
	expect_eq "$ERR" "" "move_charge at swap offset $(swap_offset "$PG_PID" "$CA")"
	C=$(grep -m1 '^move_charge ' <<<"$REPLY_TEXT")
	expect_match "$C" 'pte=swap .* mapped=0 mapcount=0 result=moved$' "move_charge: swapcache page moved"
	expect_eq "$(($(<"$CG/B/memory.usage_in_bytes") - UB))" 4096 "move_charge: B's usage +1 page"
	CPFN=$(hexnum "$(field pfn "$C")")
fi

# Read every page back: from the swap cache, without I/O.
P0=$(vmstat pswpin)
kill -USR2 "$PG_PID"
for _ in $(seq 1 50); do
	[ -n "$(pagemap_pfn "$PG_PID" $((PG_ADDR + 15 * 4096)))" ] && break
	sleep 0.1
done
for i in $(seq 0 15); do
	[ -n "$(pagemap_pfn "$PG_PID" $((PG_ADDR + i * 4096)))" ] || die "page $i not read back"
done
expect_eq "$(($(vmstat pswpin) - P0))" 0 "pswpin: every page came from the swap cache"
expect_eq "$("$NODEOF" "$PG_PID" "$MA")" 1 "migrated page: move_pages node status"
printf -v B '%02x' $(((MI * 7 + 1) & 255))
expect_eq "$(mem_hex "$PG_PID" "$MA" 8)" "$B$B$B$B" "migrated page: contents"
if [ "$V1" = 1 ]; then
	expect_eq "$(pagemap_pfn "$PG_PID" "$CA")" "$CPFN" "charge-moved page: the pfn move_charge named"
	expect_eq "$(u64 /proc/kpagecgroup "$CPFN")" "$(stat -c %i "$CG/B")" "charge-moved page: kpagecgroup is B"
fi

cleanup_helpers
if [ "$V1" = 1 ]; then
	v1_teardown "$CG" || die "memcgs left behind"
fi
swapoff "$BIGSWAP" || die "swapoff"
losetup -d "$BIGSWAP"
rm -f "$IMG"
unload
