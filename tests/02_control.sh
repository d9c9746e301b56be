# The control file: every malformed-line class is refused with EINVAL, a
# one-line error= reply and exactly one count in its parse_* counter; the
# reply belongs to the open file and reads from its first byte; counters
# add up; stats resets.
. "$MMLAB_ROOT/tests/lib.sh"
load

# check_reject CLASS: send stdin as one write, expect EINVAL of that class.
check_reject() {
	local class=$1 c0 e0 n0 out rc
	c0=$(counter "parse_$class"); counterv e0 err_EINVAL; counterv n0 commands
	out=$("$MMLAB" write --stdin 2>&1)
	rc=$?
	expect_eq "$rc" 22 "$class: exit status (EINVAL)"
	expect_match "$out" '^errno=EINVAL$' "$class: errno"
	expect_match "$out" '^error=EINVAL reason="[^"]+"$' "$class: reply line"
	[[ $out == *error=*error=* ]] && die "$class: more than one reply line"
	expect_eq "$(counter "parse_$class")" $((c0 + 1)) "$class: parse_$class counter"
	expect_eq "$(counter err_EINVAL)" $((e0 + 1)) "$class: err_EINVAL counter"
	expect_eq "$(counter commands)" $((n0 + 1)) "$class: commands counter"
}

printf '\n' | check_reject empty_line
printf '   \t \n' | check_reject empty_line
head -c 5000 /dev/zero | tr '\0' x | sed 's/^/reset /' | check_reject too_long
printf 'reset\0x\n' | check_reject nul
printf 'reset\nreset\n' | check_reject multiple
echo 'frobnicate pid=1' | check_reject unknown_verb
echo 'inspect pid' | check_reject syntax
echo 'inspect pid=1 addr=2 colour=red' | check_reject unknown_key
echo 'rmap pid=1 addr=2 node=1' | check_reject unknown_key
echo 'inspect pid=1 addr=2 pid=1' | check_reject duplicate_key
echo 'inspect pid= addr=2' | check_reject empty_value
echo 'inspect pid=12x addr=2' | check_reject bad_number
echo 'inspect pid=-1 addr=2' | check_reject bad_number
echo 'inspect pid=1 addr=0x10000000000000000' | check_reject overflow
echo 'inspect pid=1 addr=99999999999999999999' | check_reject overflow
echo 'inspect pid=1 addr=2 len=4T' | check_reject bad_suffix
echo 'inspect pid=1 addr=2 len=1g' | check_reject out_of_range
echo 'migrate pid=1 addr=2 mode=fast' | check_reject bad_value
echo 'migrate addr=2' | check_reject missing_key
echo 'move_charge pid=1 addr=2' | check_reject missing_key
echo 'inspect pfn=1 pid=2' | check_reject conflict

# The reason names the offending token.
cmd 'inspect pid=1 addr=2 colour=red'
expect_eq "$(field reason "$REPLY_TEXT")" "unknown key 'colour'" "reason text"

# A 4096-byte command is not too long (it is a well-formed reset).
head -c 4090 /dev/zero | tr '\0' ' ' | sed 's/^/reset/' | "$MMLAB" write --stdin >/dev/null ||
	die "4096-byte reset refused"

# A refused stress command is counted as a stress failure.
m0=$(counter stress_failed)
cmd 'stress op=move_charge pid=1 addr=0x1000 iterations=1'
expect_eq "$(counter stress_failed)" $((m0 + 1)) "stress_failed"
expect_eq "$ERR" EINVAL "stress op=move_charge without to="
expect_match "$REPLY_TEXT" '^error=EINVAL reason="op=move_charge needs to="$' "EINVAL reply"

# A part not built yet says so.
cmd 'inspect pfn=0x1000'
expect_eq "$ERR" EOPNOTSUPP "inspect pfn="
expect_match "$REPLY_TEXT" '^error=EOPNOTSUPP reason=".*pfn.*"$' "inspect pfn= reason"

# Replies belong to the open file, a read after a write starts at the
# reply's first byte, and reading to the end gives EOF.
exec 3<>"$D/control" 4<>"$D/control"
echo selftest >&3
echo 'frob' >&4 2>/dev/null && die "bad verb accepted on fd 4"
r3=$(cat <&3); r4=$(cat <&4)
expect_match "$r3" '^selftest .*result=ok' "fd 3 reply"
expect_match "$r4" '^error=EINVAL' "fd 4 reply"
expect_eq "$(cat <&3)" "" "second read at EOF"
echo reset >&3
expect_match "$(cat <&3)" '^summary op=reset' "reply replaced by the next write"
exec 3>&- 4>&-

# Counters add up: commands = commands_ok + all err_*, per verb too.
sum_err=$(awk '$1 ~ /^err_/ { s += $2 } END { print s }' "$D/stats")
expect_eq "$(counter commands)" $(( $(counter commands_ok) + sum_err )) "commands = ok + errors"
list_verbs
va=0 vo=0 vf=0	# set by counterv
for v in "${LIST_VERBS[@]}"; do
	counterv va "${v}_attempts"; counterv vo "${v}_ok"; counterv vf "${v}_failed"
	expect_eq "$va" $((vo + vf)) "$v attempts = ok + failed"
done

# stats: "0" resets; anything else is refused.
echo 1 >"$D/stats" 2>/dev/null && die "stats accepted '1'"
echo 0 >"$D/stats" || die "stats reset"
expect_eq "$(awk '$2 != 0' "$D/stats")" "" "all counters zero after reset"

# A reply has a cap (features: reply max_bytes=).  Past it the per-page
# lines stop, whole, and the summary still arrives, saying truncated=1
# (issue 19).  An inspect line is about 210 bytes with memcg=/: 256 MiB of
# pages (the most one command covers) would not reach 16 MiB.  Charged to
# a memcg with a 100-byte path, as a process deep in systemd's tree is,
# each line is about 310 bytes and the 65,536 of them 20 MiB.
fieldv CAP max_bytes "$(grep '^reply ' "$D/features")"
[ -n "$CAP" ] || die "features: no reply max_bytes="
CG2=/tmp/mmlab-cg2
mkdir -p "$CG2"
mountpoint -q "$CG2" || mount -t cgroup2 none "$CG2" || die "mount cgroup2"
echo +memory >"$CG2/cgroup.subtree_control" || die "cgroup2: cannot enable the memory controller"
printf -v LONG 'mmlab-reply-cap-%084d' 0
mkdir -p "$CG2/$LONG" || die "mkdir $LONG"
# Only the helper joins it (it moves itself, then execs): this shell's
# own memory, charged there, would keep the memcg alive until the test ends.
# shellcheck disable=SC2016 # expanded by the helper's bash
start_helper bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG2/$LONG" \
	"$PAGES" anon --len $((256 << 20))
OUT=$PAGES_FIFO.inspect
"$MMLAB" write "inspect pid=$PG_PID addr=$PG_ADDR len=256M" >"$OUT" || die "inspect of 256 MiB failed"
read -r BYTES < <(wc -c <"$OUT")
mapfile -t T < <(tail -n 2 "$OUT")
note "reply: $BYTES bytes of at most $CAP; ends with: ${T[0]:0:60}... / ${T[1]}"
[ "$BYTES" -le "$CAP" ] || die "reply of $BYTES bytes, over the cap of $CAP"
expect_match "${T[1]}" '^summary op=inspect pages=65536 present=[0-9]+ truncated=1$' "the summary, last, says truncated=1"
PRESENT=$("$PEEK" "/proc/$PG_PID/pagemap" $((PG_ADDR / 4096)) 65536 63)
expect_eq "$(field present "${T[1]}")" "$PRESENT" "summary present= vs pagemap's present pages"
expect_eq "$PRESENT" 65536 "pagemap: the helper faulted every page"
# The page lines before it are whole, in order from the first page, none
# left out before the cut, and they fill the reply to near its cap.
NP=$(grep -c "^page addr=0x[0-9a-f]* pte=pte .* memcg=/$LONG memcg_id=[0-9]*\$" "$OUT")
expect_eq "$(wc -l <"$OUT")" $((NP + 1)) "every line but the summary a whole page line"
{ [ "$NP" -gt 0 ] && [ "$NP" -lt 65536 ]; } || die "$NP page lines: the reply was not cut"
expect_eq "$(hexnum "$(field addr "${T[0]}")")" $((PG_ADDR + (NP - 1) * 4096)) "the last page line is page $NP"
[ "$BYTES" -gt $((CAP - 8192)) ] || die "reply cut at $BYTES bytes, well short of $CAP"
cleanup_helpers
rm -f "$OUT"
rmdir "$CG2/$LONG" || die "rmdir of the reply-cap memcg"
# Given back, so that the cgroup-v1 tests can mount the memory controller:
# only once the removed memcg is really gone.  It stays, dying, while any
# charge or reference holds it (a per-CPU charge stock, page cache), and
# while it does the controller stays bound to cgroup v2 (a lab run's
# 13_memcg_mover could not mount it 10 s later).
echo -memory >"$CG2/cgroup.subtree_control"
for _ in $(seq 150); do
	[ "$(kv nr_dying_descendants "$CG2/cgroup.stat")" = 0 ] && break
	echo 3 >/proc/sys/vm/drop_caches
	sleep 0.2
done
expect_eq "$(kv nr_dying_descendants "$CG2/cgroup.stat")" 0 "the reply-cap memcg is gone (cgroup.stat)"
umount "$CG2"

note "all malformed-line classes refused as documented"
