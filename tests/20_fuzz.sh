# Fuzz (issue 7): 4 processes at once write 20,000 generated lines, each
# one write() on their own open file: random bytes, valid commands, and
# grammar-aware mutations of valid commands (boundary numbers, addresses at
# the mapping's edges and in the kernel, huge lengths, repeated, missing,
# unknown and empty keys, cut lines).  Every line is answered or refused;
# afterwards the module still works, no page stays pinned (all migrate),
# and the kernel log is clean (the runner's gate).
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
FUZZ=$MMLAB_ROOT/build/tests/fuzz
PROCS=4 LINES=5000
load
# The region starts a 1 GiB inaccessible reservation: a huge len= from it
# (the length class goes to 4G; the grammar caps len at 256M) covers no
# other mapping.  Without it, migrate lines ran over the helper's libraries
# and moved the page cache every process of the guest maps, back and forth
# between the nodes, four fuzzers at once: the suite slowed several times
# over, and a loaded 6.12 guest reported soft lockups in those migrations
# (2026-12-04).
start_pages anon --len 65536 --guard $((1 << 30))
for s in $(seq 1 $PROCS); do
	"$FUZZ" --lines $LINES --seed "$s" --pid "$PG_PID" --addr "$PG_ADDR" --len 65536 \
		>"$PAGES_FIFO.f$s" 2>&1 &
done
wait_jobs || die "a fuzz process failed"

# Per class: tried and accepted summed over the processes, errnos listed.
ALL=$(cat "$PAGES_FIFO".f*)
total=0
for c in random valid number address length keys cut; do
	t=0 a=0
	while read -r l; do
		t=$((t + $(field tried "$l"))); a=$((a + $(field accepted "$l")))
	done < <(grep "^class=$c " <<<"$ALL")
	errs=$(grep "^class=$c " <<<"$ALL" | grep -oE ' E[A-Z0-9]+=[0-9]+' |
		awk -F= '{ n[$1] += $2 } END { for (e in n) printf "%s=%d", e, n[e] }')
	note "class $c: tried $t, accepted $a, refused:$errs"
	[ "$t" -gt 0 ] || die "class $c never tried"
	total=$((total + t))
done
expect_eq "$total" $((PROCS * LINES)) "every line tried"
grep -E '^class=' <<<"$ALL" | grep -qE ' other=' && die "a write failed with an errno outside the table"

# Still working: a command, the stats, the features; pins all released.
cmd "inspect pid=$PG_PID addr=$PG_ADDR"
expect_eq "$ERR" "" "inspect after the fuzz"
# Every pin went with its file (fuzzed lines include reset, so counters
# cannot tell; the pages can): a page still pinned or isolated would not move.
for n in 1 0; do
	cmd "migrate pid=$PG_PID addr=$PG_ADDR len=65536 node=$n"
	expect_eq "$(field migrated "$REPLY_TEXT")/$(field failed "$REPLY_TEXT")" 16/0 "all 16 pages migrate to node $n"
done
cmd selftest
expect_eq "$ERR" "" "selftest after the fuzz"
cleanup_helpers
unload
