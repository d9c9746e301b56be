# Memory (issue 7): a workload of every command (migrations of 512 pages
# both ways, rmap walks, pins dropped by close, stress threads, 1000
# fuzzed lines), with load and unload, run three times after a warm-up.
# Unreclaimable slab and vmalloc come back within 1 MB (the module's
# kmalloc/kvmalloc buffers: a leaked reply buffer per command would be
# megabytes), MemFree+Cached does not drop by more than 64 MB (it moves by
# +-30 MB after the earlier tests in one boot: per-CPU free lists, RCU-freed
# page tables, swap on tmpfs), and the module leaves no slab cache, debugfs
# directory or tracepoint behind.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
FUZZ=$MMLAB_ROOT/build/tests/fuzz

# level: MemFree+Cached, SUnreclaim and VmallocUsed in kB, caches dropped.
level() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1			# RCU-deferred frees
	echo "$(( $(meminfo MemFree) + $(meminfo Cached) )) $(meminfo SUnreclaim) $(meminfo VmallocUsed)"
}
round() {
	load
	# A guard after the region, as in 20_fuzz: the fuzz lines' huge
	# lengths must not migrate the libraries every process maps.
	start_pages anon --len $((512 * 4096)) --guard $((1 << 30))
	for n in 1 0; do
		cmd "migrate pid=$PG_PID addr=$PG_ADDR len=$((512 * 4096)) node=$n"
		expect_eq "$(field migrated "$REPLY_TEXT")" 512 "512 pages migrated to node $n"
	done
	"$MMLAB" write "pin pid=$PG_PID addr=$PG_ADDR len=65536" "rmap pid=$PG_PID addr=$PG_ADDR" >/dev/null ||
		die "pin and rmap"
	cmd "stress op=migrate pid=$PG_PID addr=$PG_ADDR len=65536 threads=2 iterations=20"
	expect_eq "$ERR" "" "stress"
	"$FUZZ" --lines 1000 --seed "$1" --pid "$PG_PID" --addr "$PG_ADDR" --len 65536 >/dev/null ||
		die "fuzz"
	cleanup_helpers
	unload
}

round 100			# warm-up: first-use allocations (page tables, slabs)
read -r M0 S0 V0 <<<"$(level)"
for r in 1 2 3; do
	round $r
	read -r M S V <<<"$(level)"
	note "round $r against the start: MemFree+Cached $((M - M0)) kB, SUnreclaim $((S - S0)) kB, VmallocUsed $((V - V0)) kB"
done
[ $((S - S0)) -lt 1024 ] || die "SUnreclaim up $((S - S0)) kB after 3 rounds"
[ $((V - V0)) -lt 1024 ] || die "VmallocUsed up $((V - V0)) kB after 3 rounds"
[ $((M0 - M)) -lt 65536 ] || die "MemFree+Cached down $((M0 - M)) kB after 3 rounds"
grep -i mmlab /proc/slabinfo && die "a slab cache of the module is left"
[ -d /sys/kernel/debug/mmlab ] && die "debugfs directory left after unload"
[ -d /sys/kernel/tracing/events/mmlab ] && die "tracepoints left after unload"
exit 0
