# Concurrency (issue 7): 8 processes write commands at once, each on its
# own open control file: every reply belongs to its writer, and the
# counters add up exactly.  Pins held by a process killed with SIGKILL are
# released: the reference count is back to base and the page migrates.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
load
W=8 GOOD=40 BAD=5

# Each writer inspects its own page GOOD times, plus BAD unmapped addresses
# (EFAULT) and BAD malformed lines (EINVAL), on one open file.
declare -a PIDS ADDRS
for w in $(seq 1 $W); do
	start_pages anon
	PIDS[w]=$PG_PID ADDRS[w]=$PG_ADDR
done
C0=$(<"$D/stats")
for w in $(seq 1 $W); do
	args=()
	for i in $(seq 1 $GOOD); do
		args+=("inspect pid=${PIDS[w]} addr=${ADDRS[w]}")
		if [ "$i" -le $BAD ]; then
			args+=("inspect pid=${PIDS[w]} addr=0x1000" "inspect pid=${PIDS[w]} addr=zz$w")
		fi
	done
	"$MMLAB" write "${args[@]}" >"$PAGES_FIFO.w$w" 2>&1 &
done
# (mmlab write exits with its last failed write's errno: every writer has some.)
wait_jobs || :
C1=$(<"$D/stats")
delta() { echo $(( $(kv "$1" <(printf '%s\n' "$C1")) - $(kv "$1" <(printf '%s\n' "$C0")) )); }

for w in $(seq 1 $W); do
	out=$(<"$PAGES_FIFO.w$w")
	expect_eq "$(grep -c "^page addr=$(printf '0x%x' "${ADDRS[w]}") " <<<"$out")" $GOOD "writer $w: its $GOOD page lines"
	expect_eq "$(grep -c '^page ' <<<"$out")" $GOOD "writer $w: no other writer's page line"
	expect_eq "$(grep -c "^summary op=inspect pages=1 present=1" <<<"$out")" $GOOD "writer $w: its summaries"
	expect_eq "$(grep -c '^error=EFAULT ' <<<"$out")" $BAD "writer $w: its EFAULT replies"
	expect_eq "$(grep -c '^error=EINVAL ' <<<"$out")" $BAD "writer $w: its EINVAL replies"
done
N=$((W * (GOOD + 2 * BAD)))
note "counter deltas: commands $(delta commands) ok $(delta commands_ok) inspect $(delta inspect_attempts)/$(delta inspect_ok)/$(delta inspect_failed) EFAULT $(delta err_EFAULT) EINVAL $(delta err_EINVAL) parse_bad_number $(delta parse_bad_number)"
expect_eq "$(delta commands)" $N "commands: every line counted"
expect_eq "$(delta commands_ok)" $((W * GOOD)) "commands_ok"
expect_eq "$(delta inspect_attempts)" $((W * (GOOD + BAD))) "inspect attempts (parsed lines)"
expect_eq "$(delta inspect_ok)/$(delta inspect_failed)" "$((W * GOOD))/$((W * BAD))" "inspect ok/failed"
expect_eq "$(delta err_EFAULT)/$(delta err_EINVAL)" "$((W * BAD))/$((W * BAD))" "failures by errno"
expect_eq "$(( $(delta commands_ok) + $(delta err_EFAULT) + $(delta err_EINVAL) ))" "$(delta commands)" \
	"attempts = successes + every failure reason"
cleanup_helpers

# A pin held by a process killed with SIGKILL goes back with its file.
start_pages anon
PFN=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
BASE=$(kpagecount "$PFN")
counterv R0 pins_released
(exec 3<>"$D/control"; printf 'pin pid=%s addr=%s' "$PG_PID" "$PG_ADDR" >&3; exec sleep 600) &
K=$!
for _ in $(seq 1 50); do [ "$(counter pins_taken)" -gt 0 ] && break; sleep 0.1; done
cmd "inspect pid=$PG_PID addr=$PG_ADDR"
R=$(field refs "$(grep '^page ' <<<"$REPLY_TEXT")")
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1"
expect_eq "$(field err "$REPLY_TEXT")" EAGAIN "pinned by the other process: EAGAIN"
kill -KILL "$K"
wait "$K" 2>/dev/null
expect_eq "$(( $(counter pins_released) - R0 ))" 1 "the killed process's pin released"
cmd "inspect pid=$PG_PID addr=$PG_ADDR"
expect_eq "$(field refs "$(grep '^page ' <<<"$REPLY_TEXT")")" "$((R - 1))" "refs back to base"
expect_eq "$(kpagecount "$PFN")" "$BASE" "mapcount unchanged"
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1"
expect_eq "$(field result "$REPLY_TEXT")" migrated "migrates again"
cleanup_helpers
unload
