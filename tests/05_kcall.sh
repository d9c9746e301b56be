# The calling layer, in both calling paths: the self-test calls
# non-exported functions through it and its results match /proc/kallsyms;
# the redirect path really goes through an ftrace-based kprobe on the stub
# (kprobes/list is the oracle) and the stub bodies never run.  The kprobe
# sits at the stub's __fentry__ call: +0x0 on 6.1, +0x4 (after ENDBR) on 6.12.
. "$MMLAB_ROOT/tests/lib.sh"
klist=/sys/kernel/debug/kprobes/list

for mode in direct redirect; do
	insmod "$MMLAB_KO" kcall=$mode || die "insmod kcall=$mode"
	f=$(cat "$D/features")
	expect_match "$f" "^kcall mode=$mode path=$mode " "$mode: path"
	echo 0 >"$D/stats"
	cmd selftest
	expect_eq "$ERR" "" "$mode: selftest errno"
	note "$REPLY_TEXT"
	expect_match "$REPLY_TEXT" "^selftest path=$mode .* result=ok\$" "$mode: selftest"
	got=$(field kallsyms_lookup_name "$REPLY_TEXT")
	want=0x$(awk '$3 == "kallsyms_lookup_name" { print $1; exit }' /proc/kallsyms | sed 's/^0*//')
	expect_eq "$got" "$want" "$mode: kallsyms_lookup_name vs /proc/kallsyms"
	got=$(field sprint_symbol "$REPLY_TEXT")
	want=0x$(awk '$3 == "sprint_symbol" { print $1; exit }' /proc/kallsyms | sed 's/^0*//')
	expect_eq "$got" "$want" "$mode: sprint_symbol vs /proc/kallsyms"
	# Three calls through the layer: 2x kallsyms_lookup_name, >=1x node_page_state.
	if [ $mode = redirect ]; then
		note "$(grep mmlab_kc_ "$klist")"
		expect_match "$(counter kcall_calls_redirected)" '^[3-7]$' "redirected calls"
		expect_eq "$(counter kcall_calls_direct)" 0 "no direct calls"
		expect_eq "$(counter kcall_missed)" 0 "no missed redirects"
		for s in kallsyms_lookup_name node_page_state; do
			line=$(grep -E "mmlab_kc_$s\+0x[04][[:space:]]+\[?mmlab\]?" "$klist") ||
				die "no kprobe on stub mmlab_kc_$s"
			# An int3 kprobe (the stubs are notrace), never jump-optimized:
			# an optimized probe would ignore the new instruction pointer.
			[[ $line == *FTRACE* || $line == *OPTIMIZED* ]] &&
				die "stub kprobe on $s is not a plain int3: $line"
		done
	else
		expect_match "$(counter kcall_calls_direct)" '^[3-7]$' "direct calls"
		expect_eq "$(counter kcall_calls_redirected)" 0 "no redirected calls"
		grep -q 'mmlab_kc_' "$klist" && die "kprobe on a stub in direct mode"
	fi
	unload
	grep -q 'mmlab_kc_' "$klist" && die "$mode: stub kprobe left after unload"
done

# A bad kcall= value is refused at load.
insmod "$MMLAB_KO" kcall=sideways 2>/dev/null && die "kcall=sideways accepted"
note "both calling paths pass the self-test"
