# inject: fail or delay calls of a listed kernel function, held by the open
# file.  Outcomes from move_pages(2) (nodeof), /proc/vmstat's pgmigrate_*
# and thp_split_page*, kpageflags and the injections file's own counts.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
load
start_pages anon --len $((16 * 4096))
P=$PG_PID A=$PG_ADDR
page() { echo $((A + $1 * 4096)); }
node_of() { "$NODEOF" "$P" "$(page "$1")"; }
mline() { # TEXT N: migrate's line for page N
	local l a
	printf -v a '0x%x' "$(page "$2")"
	while read -r l; do [[ $l == "migrate addr=$a "* ]] && { echo "$l"; return; }; done <<<"$1"
}
INJ=$D/injections

# Refusals, each with its errno and reason; nothing is attached.
cmd "inject at=do_exit fail=EAGAIN"
expect_eq "$ERR" EPERM "a function off the list"
expect_match "$REPLY_TEXT" 'reason="do_exit is not an injection point: only functions whose callers handle the error' "its reason"
cmd "inject at=alloc_migration_target fail=EAGAIN"
expect_eq "$ERR" EINVAL "alloc_migration_target fail=EAGAIN (it returns a folio)"
cmd "inject at=folio_isolate_lru fail=ENOMEM"
expect_eq "$ERR" EINVAL "folio_isolate_lru fail=ENOMEM"
cmd "inject at=gup_fast_grab fail=EAGAIN"
expect_eq "$ERR" EINVAL "gup_fast_grab fail= (a delay point)"
expect_match "$REPLY_TEXT" 'reason="gup_fast_grab is a delay point: delay_us= only"' "its reason"
cmd "inject at=migrate_folio"
expect_match "$REPLY_TEXT" 'reason="missing key fail= or delay_us="' "neither fail= nor delay_us="
cmd "inject at=migrate_folio fail=EAGAIN delay_us=5"
expect_match "$REPLY_TEXT" 'reason="fail= and delay_us= exclude each other"' "both"
cmd "inject at=migrate_folio fail=EAGAIN scope=pid"
expect_eq "$ERR" EINVAL "scope=pid without pid="
cmd "inject at=migrate_folio fail=EAGAIN pid=1"
expect_eq "$ERR" EINVAL "pid= without scope=pid"
cmd "inject at=migrate;folio fail=EAGAIN"
expect_eq "$ERR" EINVAL "a bad byte in at="
expect_eq "$(<"$INJ")" "" "nothing attached after refusals"

exec 7<>"$D/control"
inject() { # LINE: on fd 7; the reply's id=
	echo "inject $1" >&7 || die "inject $1"
	R=$(cat <&7)
	expect_match "$R" "^inject id=[0-9]+ at=" "inject $1: reply"
}
hits_fired() { # ID: "hits fired" from the injections file
	local l
	while read -r l; do
		[[ $l == "id=$1 "* ]] && { echo "$(field hits "$l") $(field fired "$l")"; return; }
	done <"$INJ"
}

# A transient -EAGAIN (once): migrate_pages() retries, the page moves on
# the second attempt.
S0=$(vmstat pgmigrate_success) F0=$(vmstat pgmigrate_fail)
inject "at=migrate_folio fail=EAGAIN count=1"
ID=$(field id "$R")
cmd "migrate pid=$P addr=$(page 0) node=1"
L=$(mline "$REPLY_TEXT" 0)
expect_match "$L" "result=migrated " "transient EAGAIN: migrated (on the second attempt: hits below)"
expect_eq "$(node_of 0)" 1 "transient EAGAIN: move_pages node"
expect_eq "$(hits_fired "$ID")" "2 1" "transient EAGAIN: hits and fired"
expect_eq "$(vmstat pgmigrate_success)" $((S0 + 1)) "transient EAGAIN: pgmigrate_success"
expect_eq "$(vmstat pgmigrate_fail)" "$F0" "transient EAGAIN: pgmigrate_fail"

# A permanent one (count=0: every call): ten attempts, then the folio
# fails and stays where it was.
inject "at=migrate_folio fail=EAGAIN count=0"
ID2=$(field id "$R")
cmd "migrate pid=$P addr=$(page 1) node=1"
L=$(mline "$REPLY_TEXT" 1)
expect_match "$L" "result=failed err=EAGAIN .*attempts=10" "permanent EAGAIN: failed after 10 attempts"
expect_eq "$(node_of 1)" 0 "permanent EAGAIN: move_pages node"
expect_eq "$(vmstat pgmigrate_fail)" $((F0 + 1)) "permanent EAGAIN: pgmigrate_fail"
echo "uninject at=migrate_folio" >&7 || die "uninject"
R=$(cat <&7)
expect_match "$R" "^uninject id=$ID at=migrate_folio hits=2 fired=1$" "uninject: the first one's counts"
expect_match "$R" "^uninject id=$ID2 at=migrate_folio hits=10 fired=10$" "uninject: the second one's counts"
expect_match "$R" "^summary op=uninject removed=2$" "uninject summary"
cmd "migrate pid=$P addr=$(page 1) node=1"
expect_eq "$(node_of 1)" 1 "after uninject the page migrates"

# The third destination allocation fails (after=2): the first two pages
# move, the third fails with ENOMEM, and migrate_pages() stops there.
inject "at=alloc_migration_target fail=ENOMEM after=2 count=1"
cmd "migrate pid=$P addr=$(page 2) len=16K node=1"
expect_match "$(mline "$REPLY_TEXT" 4)" "result=failed err=ENOMEM" "third allocation: ENOMEM"
expect_eq "$("$NODEOF" "$P" "$(page 2)" "$(page 3)" "$(page 4)" | tr '\n' ' ')" "1 1 0 " \
	"third allocation: move_pages nodes"
echo "uninject" >&7 && cat <&7 >/dev/null

# Isolation refused (-EBUSY on 6.1, false on 6.12): migrate says isolation.
inject "at=folio_isolate_lru fail=EBUSY"
cmd "migrate pid=$P addr=$(page 6) node=1"
expect_match "$REPLY_TEXT" "result=failed err=EBUSY reason=isolation" "isolation injected"
expect_eq "$(node_of 6)" 0 "isolation injected: move_pages node"
echo "uninject" >&7 && cat <&7 >/dev/null

# scope=pid: only that process's calls.  Commands written with echo run
# in this shell ($$); `cmd` runs in the mmlab tool's own process.
# A permanent -EBUSY fails the folio at once on 6.1; 6.12's
# migrate_pages() first runs the batch async and retries what failed in a
# sync pass (migrate_pages_sync()), so it meets the injection twice.
inject "at=migrate_folio fail=EBUSY count=0 scope=pid pid=$$"
ID=$(field id "$R")
cmd "migrate pid=$P addr=$(page 7) node=1"
expect_eq "$(node_of 7)" 1 "scope=pid: another process's command is not failed"
echo "migrate pid=$P addr=$(page 8) node=1" >&7 || die "migrate on fd 7"
expect_match "$(cat <&7)" "result=failed err=EBUSY" "scope=pid: this shell's command fails"
expect_eq "$(node_of 8)" 0 "scope=pid: move_pages node"
N=1
kernel_is_612 && N=2
expect_eq "$(hits_fired "$ID")" "$N $N" "scope=pid: the calls of this shell's command"
echo "uninject" >&7 && cat <&7 >/dev/null

# scope=pid on another process's move_pages(2): its pid is known before it
# runs (the subshell waits on a fifo, then execs the caller).  Its page
# fails (rc: 1 page not moved; pgmigrate_fail +1; move_pages still says
# node 0); mmlab's own command meanwhile is out of scope and moves.
GO=/tmp/33_inject.go.$$
mkfifo "$GO" || die "mkfifo"
( read -r _ <"$GO"; exec "$MMLAB_ROOT/build/tests/rm_movepages" "$P" 1 move "$(page 13)" ) >"$GO.out" &
MP=$!
inject "at=migrate_folio fail=EBUSY count=0 scope=pid pid=$MP"
ID=$(field id "$R")
F0=$(vmstat pgmigrate_fail)
cmd "migrate pid=$P addr=$(page 14) node=1"
expect_eq "$(node_of 14)" 1 "scope=pid (move_pages caller): mmlab's command is out of scope"
echo go >"$GO"
wait "$MP" || die "rm_movepages failed"
expect_eq "$(head -n1 "$GO.out")" "rc=1 errno=0" "scope=pid: move_pages(2) returns 1 page not moved"
expect_eq "$(node_of 13)" 0 "scope=pid: the move_pages caller's page stays on node 0"
expect_eq "$(vmstat pgmigrate_fail)" $((F0 + 1)) "scope=pid: pgmigrate_fail of the move_pages call"
expect_eq "$(hits_fired "$ID")" "$N $N" "scope=pid: the calls of the move_pages caller"
rm -f "$GO" "$GO.out"
echo "uninject" >&7 && cat <&7 >/dev/null

# A delay: each call waits delay_us first, then runs (the pages move).
# On the second CPU: 6.1 under TCG calibrates its delay loop at about
# 0.5 BogoMIPS, where a udelay()-based wait lasted about a microsecond.
# The time is the kernel's, from the timeline: from the first unmap to the
# last move, four delayed calls (an exec under TCG alone costs 0.1 s).
inject "at=migrate_folio delay_us=5000 count=0"
ID=$(field id "$R")
taskset -pc 1 $$ >/dev/null || die "taskset"
cmd "migrate pid=$P addr=$(page 9) len=16K node=1 trace=1"
taskset -pc 0-1 $$ >/dev/null
expect_eq "$("$NODEOF" "$P" "$(page 9)" "$(page 10)" "$(page 11)" "$(page 12)" | tr '\n' ' ')" \
	"1 1 1 1 " "delayed: move_pages nodes"
expect_eq "$(hits_fired "$ID")" "4 4" "delayed: hits and fired"
t0='' t1=''
while read -r l; do
	[[ $l == "step "*" what=unmap "* && -z $t0 ]] && t0=$(field t_us "$l")
	[[ $l == "step "*" what=move "* ]] && t1=$(field t_us "$l")
done <<<"$REPLY_TEXT"
[ $((t1 - t0)) -ge 20000 ] || die "delayed: 4 x 5 ms took $((t1 - t0)) us from the first unmap to the last move"

# The last close detaches what the file held.
exec 7>&-
expect_eq "$(<"$INJ")" "" "close detached the injections"

# A split failed at entry: the kernel's split never ran (its own failure
# counter does not move) and the THP stays whole.
cleanup_helpers
start_pages thp
exec 7<>"$D/control"
inject "at=split_huge_page fail=EAGAIN"
SF0=$(vmstat thp_split_page_failed) SP0=$(vmstat thp_split_page)
cmd "split pid=$PG_PID addr=$PG_ADDR"
expect_eq "$ERR" EAGAIN "split failed at entry"
expect_eq "$(vmstat thp_split_page_failed)" "$SF0" "thp_split_page_failed (the split did not run)"
expect_eq "$(vmstat thp_split_page)" "$SP0" "thp_split_page"
expect_eq "$(kpf "$(pagemap_pfn "$PG_PID" "$PG_ADDR")" 22)" 1 "the THP is still a THP (KPF_THP)"
exec 7>&-
cmd "split pid=$PG_PID addr=$PG_ADDR"
expect_eq "$ERR" "" "split after close"
expect_eq "$(vmstat thp_split_page)" $((SP0 + 1)) "thp_split_page after close"
cleanup_helpers

# migrate trace=1: the life of a folio, step by step, against the probes'
# own counts of the same functions (mmlab= scope).  An extra reference
# (pin) fails it: ten move steps with EAGAIN; 6.1 unmaps and remaps on
# every try, 6.12 keeps the source unmapped between its tries (E02, E04).
start_pages anon --len 8192
exec 7<>"$D/control"
echo "pin pid=$PG_PID addr=$PG_ADDR" >&7 && cat <&7 >/dev/null
printf -v PINX '0x%x' "$(pagemap_pfn "$PG_PID" "$PG_ADDR")"
for s in try_to_migrate_one remove_migration_pte move_to_new_folio; do echo "+$s" >"$D/probes"; done
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 trace=1"
pcount() { local l; while read -r l; do [[ $l == *" sym=$1 "* ]] && field mmlab "$l"; done <"$D/probes"; }
nsteps() { local l n=0; while read -r l; do [[ $l == "step "*" what=$1 "* ]] && n=$((n + 1)); done <<<"$REPLY_TEXT"; echo $n; }
expect_match "$REPLY_TEXT" "^timeline steps=[0-9]+ lost=0 folios=" "trace: the timeline line"
expect_eq "$(nsteps move)" 10 "trace, pinned: move steps"
expect_eq "$(nsteps move)" "$(pcount move_to_new_folio)" "trace, pinned: move steps = probe hits"
expect_eq "$(nsteps unmap)" "$(pcount try_to_migrate_one)" "trace, pinned: unmap steps = probe hits"
expect_eq "$(nsteps remap)" "$(pcount remove_migration_pte)" "trace, pinned: remap steps = probe hits"
N=10
kernel_is_612 && N=2
expect_eq "$(nsteps unmap)" "$N" "trace, pinned: unmap steps"
expect_eq "$(nsteps isolated)/$(nsteps putback)" 1/1 "trace, pinned: isolated and put back"
expect_no_match "$REPLY_TEXT" "^step .* what=freed pfn=$PINX " "trace, pinned: the source is not freed"
expect_match "$REPLY_TEXT" "^step t_us=[0-9]+ what=move pfn=0x[0-9a-f]+ order=0 refs=[0-9]+ mapcount=0 .* rc=EAGAIN dst_pfn=0x" \
	"trace, pinned: a move step, unmapped, EAGAIN"
echo "clear" >"$D/probes"
exec 7>&-
# Unpinned: one unmap, a move with rc=0 to the pfn pagemap then shows,
# and the destination's first mapping (remap of dst_pfn at the address).
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
T=/sys/kernel/tracing
echo 1 >"$T/events/mmlab/folio_step/enable" && : >"$T/trace"
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 trace=1"
echo 0 >"$T/events/mmlab/folio_step/enable"
n=0
while read -r l; do [[ $l == *" folio_step: pid="* ]] && n=$((n + 1)); done <"$T/trace"
expect_eq "$n" "$(grep -c '^step ' <<<"$REPLY_TEXT")" "trace: one mmlab:folio_step event a step"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
printf -v NEWX '0x%x' "$NEW"
printf -v OLDX '0x%x' "$OLD"
printf -v AX '0x%x' "$PG_ADDR"
# Each step's state is as the step left it: the unmap took the source's
# mapping (mapcount 0), the remap made the destination's (mapcount 1),
# and the source's last reference went inside migrate_pages() (freed).
expect_match "$REPLY_TEXT" "^step t_us=[0-9]+ what=unmap pfn=$OLDX order=0 refs=[0-9]+ mapcount=0 .* addr=$AX$" "trace: unmap of the source"
expect_match "$REPLY_TEXT" "^step t_us=[0-9]+ what=move pfn=$OLDX .* rc=0 dst_pfn=$NEWX$" "trace: move to the new pfn"
expect_match "$REPLY_TEXT" "^step t_us=[0-9]+ what=remap pfn=$NEWX order=0 refs=[0-9]+ mapcount=1 .* addr=$AX$" "trace: the destination's first mapping"
expect_match "$REPLY_TEXT" "^step t_us=[0-9]+ what=freed pfn=$OLDX order=0 refs=0 " "trace: the source freed"
expect_eq "$(nsteps move)/$(nsteps putback)/$(nsteps freed)" 1/0/1 "trace: one move, nothing put back, one free"
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=4M trace=1"
expect_eq "$ERR" EINVAL "trace=1 over more than 512 pages"
cleanup_helpers
unload
echo "PASS"
