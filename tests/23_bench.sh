# bench: a smoke-sized pass of make bench's guest script (scripts/bench-guest
# --smoke) and of its report, so neither can rot: every measurement gives
# its rows with real times, every migration variant passed bench's checks
# (bench stops otherwise), the report computes every table and the summary
# CSV; then that the checks can fail: bench's reply check on a real migrate
# reply and on doctored copies of it, and bench mig on THPs that never were.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
BENCH=$MMLAB_ROOT/build/tests/bench
T=${TMPDIR:-/tmp}
OUT=$(MMLAB_KO=$MMLAB_KO "$MMLAB_ROOT/scripts/bench-guest" --smoke 2>"$T/bench.err") ||
	die "bench-guest failed: $(<"$T/bench.err")"
ERRS=$(grep -v '^bench: \(mig\|rmap\|probe overhead\|done\)' "$T/bench.err")
[ -z "$ERRS" ] || die "bench-guest complained: $ERRS"
rows() { grep -c "^bench,$1,$2,[^,]*,[0-9]*,[1-9][0-9]*$" <<<"$OUT"; }
# One round after the warm-up: one row per variant and case (4k64, thp2).
for v in mmlab mmlab_write move_pages migrate_pages copy copy_alloc copy_wall mmlab_verify; do
	expect_eq "$(rows mig "$v")" 2 "mig rows of $v (4k64, thp2)"
done
expect_eq "$(grep -c '^bench,mig,[^,]*,[^,]*,0,' <<<"$OUT")" 0 "warm-up round reported"
expect_match "$OUT" '^bench,meta,init_on_alloc,(on|off),' "meta: init_on_alloc"
expect_eq "$(rows rmap mmlab)" 6 "rmap rows (anon, file x 1 2 8 mappings)"
expect_eq "$(rows rmap referenced)" 6 "referenced rmap rows"
expect_eq "$(rows fault none)$(rows fault mmlab)$(rows migloop none)$(rows migloop mmlab)" 1111 "probe overhead rows"
expect_eq "$(rows ctl fds1)$(rows ctl fds8)" 11 "control-plane rows"
printf '%s\n' "$OUT" >"$T/bench.csv"
REP=$("$MMLAB_ROOT/scripts/bench-report" "$T/bench.csv" "" "$T/bench-summary.csv") ||
	die "bench-report failed"
note "$REP"
expect_match "$REP" '^thp2 +mmlab +[0-9]+ +[0-9.]+ \(' "report: THP migration line"
expect_match "$REP" 'verify=1 .*4k64 [0-9.]+ \(' "report: verify=1 apart"
expect_match "$REP" 'linear fit: .* r\^2 = ' "report: rmap fit"
expect_match "$REP" '^migloop +16 +[0-9.]+ \(' "report: probe overhead line"
expect_match "$REP" '^control plane: inspect commands/s, 1 fd [0-9]+, 8 fds [0-9]+ ' "report: control plane"
SUM=$(<"$T/bench-summary.csv")
expect_eq "${SUM%%"$NL"*}" "case,metric,median,min,max" "summary CSV header"
for c in 4k64 thp2; do
	for m in move_pages_over_mmlab mmlab_over_copy_alloc move_pages_over_mmlab_verify; do
		expect_match "$SUM" "^$c,$m,[0-9.e+-]+,[0-9.e+-]+,[0-9.e+-]+$" "summary row $c $m"
	done
done

# The reply check: a real reply passes, each doctored one fails with its reason.
load
start_pages anon --len $((16 * 4096))
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=$((16 * 4096)) node=1"
expect_eq "$ERR" "" "migrate errno"
GOOD=$REPLY_TEXT
bad_reply() { # TEXT WHY-ERE WHAT
	local got
	got=$("$BENCH" check migrate 16 <<<"$1") && die "$3: bench check passed it"
	expect_match "$got" "^bad: $2" "$3"
}
expect_eq "$("$BENCH" check migrate 16 <<<"$GOOD")" ok "the real reply"
bad_reply "${GOOD/ migrated=16 / migrated=15 }" 'migrated=15, expected 16' "migrated= short"
bad_reply "${GOOD/ checks_failed=0 / checks_failed=1 }" 'checks_failed=1' "checks_failed="
bad_reply "${GOOD/ split=0 / split=1 }" 'split=1' "split="
bad_reply "${GOOD/ raced=0 / raced=2 }" 'raced=2' "raced="
bad_reply "${GOOD/result=migrated checks=ok/result=migrated checks=failed:mapcount}" \
	'15 pages migrated with checks=ok' "one page's checks failed"
bad_reply "${GOOD#*"$NL"}" '15 page lines' "a page line missing (reply not read whole)"
bad_reply "${GOOD%%summary op=*}" 'no migrate summary' "summary missing"
bad_reply "$GOOD${NL}truncated=1" 'reply truncated' "truncated"
"$BENCH" check migrate 17 <<<"$GOOD" >/dev/null && die "17 pages expected: bench check passed 16"
cleanup_helpers

# THPs that are not THPs stop bench mig before anything is timed.
THP=/sys/kernel/mm/transparent_hugepage/enabled
OLD_THP=$(<"$THP"); OLD_THP=${OLD_THP#*[}; OLD_THP=${OLD_THP%%]*}
echo never >"$THP"
GOT=$("$BENCH" mig thp 2 1 2>&1); RC=$?
echo "$OLD_THP" >"$THP"
expect_eq "$RC" 1 "bench mig thp without THPs: status"
expect_match "$GOT" 'AnonHugePages 0 kB before, expected 4096 kB' "bench mig thp without THPs"
unload
