# A full 512-page batch of which one page is under writeback for seconds
# (issue 20): every page must say where it went.  The page under writeback
# is on a dm-delay device that holds its write for 3 s.
#  - 6.12: migrate_pages() of a sync migration runs an async pass first
#    (migrate_pages_sync()), whose migrate_folio_unmap() takes a
#    destination before it finds the folio under writeback (-EBUSY); the
#    sync retry takes another and waits: 513 destinations for 512 folios.
#    Until issue 20 mmlab recorded 512 per batch and dropped the 513th: the
#    page that moved read result=raced reason=page_replaced.
#  - 6.1: migrate_pages() makes up to 10 passes, and __unmap_and_move()
#    waits for writeback only when forced (pass > 2): passes 0-2 take a
#    destination (get_new_page() comes first) and answer -EAGAIN, the
#    fourth waits: 515 destinations (measured; the old 512-entry record
#    lost three there).
# Oracles: the pfn pagemap shows for the page, its node (move_pages(2)),
# and pgmigrate_success; KPF_WRITEBACK says the page was under writeback.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
modprobe loop 2>/dev/null
# The lab kernel is built without the device mapper (scripts/lab/lab.config
# has no BLK_DEV_DM): no slow device there, which its config must say.
if ! has_config DM_DELAY; then
	modprobe dm-delay 2>/dev/null && die "dm-delay loads, but the config has no CONFIG_DM_DELAY"
	note "this kernel has no CONFIG_DM_DELAY: the writeback batch is run on 6.1 and 6.12"
	exit 0
fi
modprobe dm-delay || die "modprobe dm-delay"
load
IMG=/tmp/mmlab-slow.img MNT=/tmp/mmlab-slow DM=mmlab-slow
SECTORS=$((64 << 11))
cleanup_slow() {
	cleanup
	mountpoint -q "$MNT" && umount "$MNT"
	dmsetup remove "$DM" 2>/dev/null
	[ -n "${LOOP:-}" ] && losetup -d "$LOOP"
	rm -f "$IMG"
}
trap cleanup_slow EXIT
truncate -s 64M "$IMG" || die "truncate"
LOOP=$(losetup -f --show "$IMG") || die "losetup"
# No delay while the file system is made and the file written; the delay
# is loaded under --nolockfs, or the suspend would freeze the file system
# and write every dirty page back first.
dmsetup create "$DM" --table "0 $SECTORS delay $LOOP 0 0 $LOOP 0 0" || die "dmsetup create"
[ -b "/dev/mapper/$DM" ] || dmsetup mknodes "$DM"
mkfs.ext4 -q -F "/dev/mapper/$DM" || die "mkfs.ext4"
mkdir -p "$MNT" || die "mkdir"
mount -t ext4 "/dev/mapper/$DM" "$MNT" || die "mount"
sysctl -q vm.dirty_writeback_centisecs=0 vm.dirty_expire_centisecs=360000
start_pages file-dirty --len $((512 * 4096)) --file "$MNT/f" --usr2 writeback-first
dmsetup suspend --nolockfs "$DM" || die "dmsetup suspend"
dmsetup reload "$DM" --table "0 $SECTORS delay $LOOP 0 0 $LOOP 0 3000" || die "dmsetup reload"
dmsetup resume "$DM" || die "dmsetup resume"
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
expect_eq "$(kpf "$OLD" $KPF_DIRTY)" 1 "the first page dirty before its writeback"
kill -USR2 "$PG_PID"
for _ in $(seq 50); do
	[ "$(kpf "$OLD" $KPF_WRITEBACK)" = 1 ] && break
	sleep 0.05
done
expect_eq "$(kpf "$OLD" $KPF_WRITEBACK)" 1 "the first page under writeback"
S0=$(vmstat pgmigrate_success)
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=$((512 * 4096)) node=1"
[ -z "$ERR" ] || die "migrate: $ERR $REPLY_TEXT"
S=${REPLY_TEXT##*"$NL"}
note "$S"
M=$(grep -m1 "^migrate addr=$PG_ADDR " <<<"$REPLY_TEXT")
note "first page: $M"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
expect_eq "$(field result "$M")" migrated "the page that was under writeback: result"
expect_eq "$(field new_pfn "$M")" "$(printf '0x%x' "$NEW")" "its new_pfn is the pfn pagemap shows"
expect_eq "$("$NODEOF" "$PG_PID" "$PG_ADDR")" 1 "its node"
expect_eq "$(field migrated "$S")/$(field raced "$S")/$(field failed "$S")" 512/0/0 "migrated/raced/failed"
expect_eq "$(( $(vmstat pgmigrate_success) - S0 ))" 512 "pgmigrate_success"
if [[ $(uname -r) == 6.1.* ]]; then
	expect_eq "$(field allocated "$S")" 515 "6.1: three passes that do not wait, the fourth that does"
else
	expect_eq "$(field allocated "$S")" 513 "6.12: the async pass's destination and the sync retry's"
fi
expect_eq "$(counter migrate_dst_unrecorded)" 0 "no destination unrecorded"
