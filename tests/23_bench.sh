# bench: a smoke-sized pass of make bench's guest script (scripts/bench-guest
# --smoke) and of its report, so neither can rot: every measurement gives
# its rows with real times, every migration variant left the pages on node 1
# (bench says so on stderr otherwise), and the report computes every table.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
OUT=$(MMLAB_KO=$MMLAB_KO "$MMLAB_ROOT/scripts/bench-guest" --smoke 2>"${TMPDIR:-/tmp}/bench.err") ||
	die "bench-guest failed: $(<"${TMPDIR:-/tmp}/bench.err")"
ERRS=$(grep -v '^bench: \(mig\|rmap\|probe overhead\|done\)' "${TMPDIR:-/tmp}/bench.err")
[ -z "$ERRS" ] || die "bench-guest complained: $ERRS"
rows() { grep -c "^bench,$1,$2,[^,]*,[0-9]*,[1-9][0-9]*$" <<<"$OUT"; }
for v in mmlab move_pages migrate_pages copy copy_alloc; do
	expect_eq "$(rows mig $v)" 2 "mig rows of $v (4k64, thp2)"
done
expect_eq "$(rows rmap mmlab)" 6 "rmap rows (anon, file x 1 2 8 mappings)"
expect_eq "$(rows rmap referenced)" 6 "referenced rmap rows"
expect_eq "$(rows fault none)$(rows fault mmlab)$(rows migloop none)$(rows migloop mmlab)" 1111 "probe overhead rows"
expect_eq "$(rows ctl fds1)$(rows ctl fds8)" 11 "control-plane rows"
printf '%s\n' "$OUT" >"${TMPDIR:-/tmp}/bench.csv"
REP=$("$MMLAB_ROOT/scripts/bench-report" "${TMPDIR:-/tmp}/bench.csv") || die "bench-report failed"
note "$REP"
expect_match "$REP" '^thp2 +mmlab +[0-9]+ ' "report: THP migration line"
expect_match "$REP" 'linear fit: .* r\^2 = ' "report: rmap fit"
expect_match "$REP" '^migloop +16 +[0-9.]+ \(' "report: probe overhead line"
expect_match "$REP" '^control plane: inspect commands/s, 1 fd [0-9]+, 8 fds [0-9]+ ' "report: control plane"
