# Random bytes as commands, 400 lines on one open file: every line is
# refused or answered, the counters account for each one, and the module
# still works afterwards.
. "$MMLAB_ROOT/tests/lib.sh"
load
echo 0 >"$D/stats"

g=$(mktemp)
{
	# 200 lines of raw random bytes (NULs included, newlines turned to
	# spaces), 50 each of 1, 37, 150 and 299 bytes ...
	for w in 1 37 150 299; do
		head -c $((w * 50)) /dev/urandom | tr '\n' ' ' | fold -b -w "$w"
		echo
	done
	# ... and 200 printable ones behind a real verb.
	head -c 60000 /dev/urandom | base64 -w 0 | fold -w 97 | head -n 200 | sed 's/^/migrate /'
} >"$g"
expect_eq "$(wc -l <"$g")" 400 "generated lines"

out=$("$MMLAB" write --lines <"$g")
rm -f "$g"
note "$out"
lines=$(field lines "$out"); ok=$(field ok "$out"); failed=$(field failed "$out")
expect_eq "$lines" 400 "lines written"
expect_eq "$(counter commands)" 400 "commands counter"
expect_eq "$(counter commands_ok)" "$ok" "commands_ok counter"
sum_err=$(awk '$1 ~ /^err_/ { s += $2 } END { print s }' "$D/stats")
expect_eq "$sum_err" "$failed" "failed lines = sum of err_*"
expect_eq "$(counter err_other)" 0 "no unexpected errno"

# copy bounds node= as migrate does, with the same reply: the first node
# past nr_node_ids (the last possible node + 1: 2 in the guest), and 1023,
# past the lab kernel's MAX_NUMNODES (64), whose bit the node bitmaps do
# not have (issue 19).
possible=$(</sys/devices/system/node/possible)
start_pages anon
for n in $((${possible##*[-,]} + 1)) 1023; do
	cmd "migrate pid=$PG_PID addr=$PG_ADDR node=$n"
	expect_eq "$ERR" ENODEV "migrate node=$n"
	want=$REPLY_TEXT
	cmd "copy pid=$PG_PID addr=$PG_ADDR node=$n"
	expect_eq "$ERR" ENODEV "copy node=$n: errno"
	expect_eq "$REPLY_TEXT" "$want" "copy node=$n: migrate's reply"
done
cleanup_helpers

cmd selftest
expect_eq "$ERR" "" "selftest after garbage"
expect_match "$REPLY_TEXT" 'result=ok' "selftest result"
grep -q '^kernel release=' "$D/features" || die "features unreadable"
unload
