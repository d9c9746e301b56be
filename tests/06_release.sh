# Releases are never skipped (issue 19.5).  kcall=strict is the redirect
# path with no call through a pointer, what an IBT machine does (QEMU's TCG
# has no IBT).  Isolate holds are opened, then the redirect kprobes are
# disarmed (/sys/kernel/debug/kprobes/enabled = 0) and the file closed:
# the LRU pages are put back with exported functions (isolate takes LRU
# folios only: a hugetlb folio's putback without the redirect, kept and
# retried, is reachable only by a disarm inside one migrate command).
# Oracles: /proc/vmstat nr_isolated_anon, and move_pages(2) status after a
# migration of the pages (which isolates them: not possible while isolated).  Before that:
# ftrace_enabled = 0 does not disarm the redirects (int3 kprobes on
# notrace stubs, not ftrace ones), and commands that would acquire are
# refused while they are disarmed.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
KPE=/sys/kernel/debug/kprobes/enabled
FTE=/proc/sys/kernel/ftrace_enabled
trap 'echo 1 >$KPE; echo 1 >$FTE; cleanup' EXIT
insmod "$MMLAB_KO" kcall=strict || die "insmod kcall=strict"
f=$(cat "$D/features")
expect_match "$f" '^kcall mode=strict path=redirect direct_refused=no no_direct=yes live=yes selftest=ok$' \
	"strict: redirect, no direct calls"

start_pages anon --len 8192
A=$PG_ADDR APID=$PG_PID
I0=$(vmstat nr_isolated_anon)

exec 7<>"$D/control"
echo "isolate pid=$APID addr=$A len=8192" >&7 || die "isolate anon"
expect_eq "$(vmstat nr_isolated_anon)" $((I0 + 2)) "nr_isolated_anon while isolated"

# ftrace off: the redirects are int3 kprobes and keep working.
echo 0 >"$FTE" || die "ftrace_enabled=0"
M0=$(counter kcall_missed) R0=$(counter kcall_calls_redirected)
cmd "inspect pid=$APID addr=$A"
expect_eq "$ERR" "" "inspect with ftrace off"
expect_eq "$(counter kcall_missed)" "$M0" "no redirect missed with ftrace off"
[ "$(counter kcall_calls_redirected)" -gt "$R0" ] || die "inspect not redirected with ftrace off"
echo 1 >"$FTE"

# kprobes off: the layer says so, and nothing more is acquired.
echo 0 >"$KPE" || die "kprobes/enabled=0"
expect_match "$(cat "$D/features")" ' no_direct=yes live=no ' "features: redirect not live"
cmd "isolate pid=$APID addr=$A"
expect_eq "$ERR" EOPNOTSUPP "isolate refused while disarmed"
expect_match "$REPLY_TEXT" 'redirect kprobes are disarmed' "isolate: reason"
cmd "migrate pid=$APID addr=$A node=1"
expect_eq "$ERR" EOPNOTSUPP "migrate refused while disarmed"
expect_eq "$(counter kcall_refused_disarmed)" 2 "refusals counted"

# Close: every hold is released anyway.
exec 7>&-
expect_eq "$(vmstat nr_isolated_anon)" "$I0" "nr_isolated_anon after close (LRU put back)"
expect_eq "$(counter release_fallback)" 2 "two LRU folios put back without the redirect"
expect_eq "$(counter release_deferred)" 0 "nothing kept for later"
expect_eq "$(counter release_lost)" 0 "nothing lost"

# kprobes on again; the pages are back where migration finds them.
echo 1 >"$KPE"
expect_match "$(cat "$D/features")" ' no_direct=yes live=yes ' "features: live again"
cmd "migrate pid=$APID addr=$A len=8192 node=1"
expect_match "$REPLY_TEXT" 'summary op=migrate pages=2 migrated=2 ' "anon pages migrate after the fallback putback"
expect_eq "$("$NODEOF" "$APID" "$A")" 1 "anon: move_pages node status"
expect_eq "$(counter pins_taken)" "$(counter pins_released)" "every hold released"
unload
