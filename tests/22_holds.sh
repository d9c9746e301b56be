# holds: lock/unlock and isolate/putback on an open file (pin's siblings),
# what mmlab's own commands do with a folio an mmlab lock holds, and scan.
# Outcomes from inspect flags, /proc/vmstat nr_isolated_anon and pagemap.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
load
start_pages anon --len 16384
A=$PG_ADDR B=$((PG_ADDR + 4096)) C=$((PG_ADDR + 8192))
flags_of() { cmd "inspect pid=$PG_PID addr=$1"; field flags "$REPLY_TEXT"; }

# lock: the folio lock is held (inspect shows it) until unlock or close.
exec 7<>"$D/control"
echo "lock pid=$PG_PID addr=$A" >&7 || die "lock"
expect_match "$(cat <&7)" "^summary op=lock locked=1 held=1$" "lock reply"
[[ ,$(flags_of "$A"), == *,locked,* ]] || die "locked page: flags lack locked"
# A second lock from another file: trylock fails, EBUSY, never waits.
cmd "lock pid=$PG_PID addr=$A"
expect_eq "$ERR" EBUSY "lock of a locked folio"
# mmlab's own sync migration and rmap would wait for ever: refused.
cmd "migrate pid=$PG_PID addr=$A node=1"
expect_match "$REPLY_TEXT" "result=failed err=EDEADLK reason=mmlab_locked" "sync migrate of an mmlab-locked folio"
cmd "rmap pid=$PG_PID addr=$A"
expect_eq "$ERR" EDEADLK "rmap of an mmlab-locked folio"
# Async migration only trylocks: it fails, and says the folio was locked.
cmd "migrate pid=$PG_PID addr=$A node=1 mode=async"
expect_match "$REPLY_TEXT" "result=failed .*reason=locked " "async migrate of a locked folio"
echo "unlock pid=$PG_PID addr=$A" >&7 || die "unlock"
expect_match "$(cat <&7)" "^summary op=unlock released=1 held=0$" "unlock reply"
[[ ,$(flags_of "$A"), != *,locked,* ]] || die "unlocked page still locked"

# unpin of a range past the user address space is refused with a reason
# (issue 19): one whose end wrapped (0xfffffffffffff000 + 8K ends at
# 0x1000) matched no hold and answered released=0 as if all were well.
echo "pin pid=$PG_PID addr=$A" >&7 || die "pin"
expect_match "$(cat <&7)" "^summary op=pin pinned=1 held=1$" "pin reply"
for r in "addr=0xfffffffffffff000 len=8K" "addr=0xffffffff81000000"; do
	echo "unpin pid=$PG_PID $r" >&7 2>/dev/null && die "unpin $r accepted"
	expect_match "$(cat <&7)" '^error=EFAULT reason="0x[0-9a-f]+\+0x[0-9a-f]+ is not a user address range"$' \
		"unpin $r: reply"
done
echo "unpin pid=$PG_PID addr=$A" >&7 || die "unpin"
expect_match "$(cat <&7)" "^summary op=unpin released=1 held=0$" "the pin was still held, then released"

# isolate: off the LRU (no lru flag, nr_isolated_anon +1) until putback.
I0=$(vmstat nr_isolated_anon)
echo "isolate pid=$PG_PID addr=$B" >&7 || die "isolate"
[[ ,$(flags_of "$B"), != *,lru,* ]] || die "isolated page still on an LRU"
expect_eq "$(vmstat nr_isolated_anon)" $((I0 + 1)) "nr_isolated_anon while isolated"
cmd "isolate pid=$PG_PID addr=$B"
expect_eq "$ERR" EBUSY "isolate of an isolated folio"
cmd "migrate pid=$PG_PID addr=$B node=1"
expect_match "$REPLY_TEXT" "result=failed err=EBUSY reason=isolation" "migrate of an isolated folio"
echo "putback" >&7 || die "putback"
expect_eq "$(vmstat nr_isolated_anon)" "$I0" "nr_isolated_anon after putback"
[[ ,$(flags_of "$B"), == *,lru,* ]] || die "put-back page not on an LRU"

# unpin does not release a lock; close releases everything, and the pages migrate.
echo "lock pid=$PG_PID addr=$C" >&7 || die "lock C"
echo "isolate pid=$PG_PID addr=$C" >&7 || die "isolate C"
echo "unpin" >&7 || die "unpin"
expect_match "$(cat <&7)" "^summary op=unpin released=0 held=2$" "unpin leaves lock and isolation"
rmmod mmlab 2>/dev/null && die "rmmod succeeded while an fd holds pages"
exec 7>&-
expect_eq "$(vmstat nr_isolated_anon)" "$I0" "nr_isolated_anon after close"
cmd "migrate pid=$PG_PID addr=$A len=16384 node=1"
expect_match "$REPLY_TEXT" "summary op=migrate pages=4 migrated=4 " "migrate after close"
expect_eq "$(counter pins_taken)" "$(counter pins_released)" "every hold released"

# Refusals: nothing to hold on an unmapped address or the zero page.
cmd "lock pid=$PG_PID addr=0x1000"
expect_eq "$ERR" EFAULT "lock of an unmapped address"
start_pages zero
cmd "isolate pid=$PG_PID addr=$PG_ADDR"
expect_eq "$ERR" ENOENT "isolate of the zero page"

# scan: every kind of page passes; the summary counts them.
for k in anon thp shared shmem; do
	start_pages $k
	cmd "scan pid=$PG_PID addr=$PG_ADDR len=$PG_LEN"
	expect_eq "$ERR" "" "scan $k"
	expect_match "$REPLY_TEXT" " migration_entries=0 .* rmap_mismatch=0 .* ok=yes$" "scan $k"
	note "scan $k: $REPLY_TEXT"
done
unload
