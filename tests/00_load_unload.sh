# Load and unload the module 20 times; each time the files appear, answer,
# and disappear.  The runner fails the test on any kernel-log report.
. "$MMLAB_ROOT/tests/lib.sh"

for i in $(seq 1 20); do
	load
	[ -d "$D" ] || die "round $i: $D missing after insmod"
	[[ $NL$(<"$D/features")$NL == *"${NL}selftest yes$NL"* ]] ||
		die "round $i: selftest capability not available"
	cmd reset
	expect_eq "$ERR" "" "round $i: reset"
	[[ $NL$(</proc/modules) == *"${NL}mmlab "* ]] || die "round $i: not in /proc/modules"
	unload
	[ ! -e "$D" ] || die "round $i: $D still there after rmmod"
done
grep -qw mmlab /proc/modules && die "module still loaded"
note "20 load/unload rounds"
