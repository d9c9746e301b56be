# Memory (issue 7): a workload of every command (migrations of 512 pages
# both ways, rmap walks, pins dropped by close, stress threads, 1000
# fuzzed lines), with load and unload, run three times: free memory plus
# page cache and unreclaimable slab come back each round (no page or
# allocation leaks), and the module leaves no slab cache behind.
. "$MMLAB_ROOT/tests/lib.sh"
FUZZ=$MMLAB_ROOT/build/tests/fuzz

# level: MemFree + Cached, and SUnreclaim, in kB, after dropping caches.
level() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	echo "$(( $(meminfo MemFree) + $(meminfo Cached) )) $(meminfo SUnreclaim)"
}
round() {
	load
	start_pages anon --len $((512 * 4096))
	for n in 1 0; do
		cmd "migrate pid=$PG_PID addr=$PG_ADDR len=$((512 * 4096)) node=$n"
		expect_eq "$(field migrated "$REPLY_TEXT")" 512 "512 pages migrated to node $n"
	done
	"$CTL" "pin pid=$PG_PID addr=$PG_ADDR len=65536" "rmap pid=$PG_PID addr=$PG_ADDR" >/dev/null ||
		die "pin and rmap"
	cmd "stress op=migrate pid=$PG_PID addr=$PG_ADDR len=65536 threads=2 iterations=20"
	expect_eq "$ERR" "" "stress"
	"$FUZZ" --lines 1000 --seed "$1" --pid "$PG_PID" --addr "$PG_ADDR" --len 65536 >/dev/null ||
		die "fuzz"
	cleanup_helpers
	unload
}

round 100			# warm-up: first-use allocations (page tables, slabs)
read -r M0 S0 <<<"$(level)"
for r in 1 2 3; do
	round $r
	read -r M S <<<"$(level)"
	note "round $r: MemFree+Cached $((M - M0)) kB, SUnreclaim $((S - S0)) kB against the start"
done
# Pages sit in per-CPU free lists and slabs in per-CPU partial lists: a few
# MB of noise.  A leak of the workload's pages would be 2 MB per round.
[ $((M0 - M)) -lt 4096 ] || die "MemFree+Cached down $((M0 - M)) kB after 4 rounds"
[ $((S - S0)) -lt 1024 ] || die "SUnreclaim up $((S - S0)) kB after 4 rounds"
grep -i mmlab /proc/slabinfo && die "a slab cache of the module is left"
[ -d /sys/kernel/debug/mmlab ] && die "debugfs directory left after unload"
[ -d /sys/kernel/tracing/events/mmlab ] && die "tracepoints left after unload"
exit 0
