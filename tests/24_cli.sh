# CLI: build/mmlab (scripts/cli/) and its bash completion against the
# module.  The options equal the module's grammar (include/mmlab_lists.h's
# verb list, which module/parse.c expands); a usage
# error never reaches the module (the commands counter stays); the exit
# status is the refusal's errno; tables agree with the raw replies, and the
# outcomes with the oracles (move_pages(2) for nodes, /proc/kpagecgroup,
# the pins counters, the stats/probes/features files); a hold lasts for a
# session; the module missing or no CAP_SYS_ADMIN have statuses of their own.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
load
M=$MMLAB_ROOT/build/mmlab
ERRF=${TMPDIR:-/tmp}/mmlab-cli-err.$$
trap 'cleanup; rm -f "$ERRF"' EXIT

# mm ARGS...: run the CLI; its stdout in OUT, stderr in EOUT, status in RC.
mm() {
	OUT=$("$M" "$@" 2>"$ERRF")
	RC=$?
	EOUT=$(<"$ERRF")
}
expect_rc() { expect_eq "$RC" "$1" "$2 (stderr: $EOUT)"; }

# col NAME: the cells of column NAME in the first table of OUT whose header
# has that word, one a line (the rows up to the next blank line).
col() {
	local l i n=-1
	local -a w
	while IFS= read -r l; do
		if [ "$n" -lt 0 ]; then
			read -ra w <<<"$l"
			for i in "${!w[@]}"; do [ "${w[$i]}" = "$1" ] && n=$i; done
			continue
		fi
		[ -n "$l" ] || break
		read -ra w <<<"$l"
		printf '%s\n' "${w[$n]}"
	done <<<"$OUT"
}
# joined TEXT: its words on one line, one blank apart.
joined() {
	local -a w
	read -ra w -d '' <<<"$1"
	local IFS=' '
	echo "${w[*]}"
}
# cell KEYCOL KEY COL: in the table of OUT with column KEYCOL, COL of the row whose KEYCOL is KEY.
cell() {
	local -a k c
	local i
	mapfile -t k < <(col "$1")
	mapfile -t c < <(col "$3")
	for i in "${!k[@]}"; do [ "${k[$i]}" = "$2" ] && echo "${c[$i]}"; done
}
# options: the options in the "options:" section of help text OUT.
options() {
	local o _ in=0
	while read -r o _; do
		[ "$o" = options: ] && { in=1; continue; }
		[ "$in" = 1 ] && [ -z "$o" ] && break
		[ "$in" = 1 ] && [[ $o == --* ]] && echo "$o"
	done <<<"$OUT"
	echo --help
}

# shape TEXT: each line's type and keys, values dropped.
shape() {
	local l t out=''
	local -a w
	while IFS= read -r l; do
		read -ra w <<<"$l"
		for t in "${w[@]}"; do out+="${t%%=*} "; done
		out+=$NL
	done <<<"$1"
	printf '%s' "$out"
}

# ---- the options are the module's keys, in --help and in the completion ----
# The verb list, as "verb: key key ..." (each verb's keys in the order of
# the key list), read from the source: include/mmlab_lists.h's MMLAB_KEY()
# and MMLAB_VERB() entries, the grammar module/parse.c expands.
src=$(<"$MMLAB_ROOT/include/mmlab_lists.h")
KEYS=() VERBS=()
declare -A GRAMMAR=()
s=$src re=$'\n''MMLAB_KEY\(([a-z_]+), *KT_'
while [[ $s =~ $re ]]; do KEYS+=("${BASH_REMATCH[1]}"); s=${s#*"${BASH_REMATCH[0]}"}; done
[ "${#KEYS[@]}" -gt 0 ] || die "no MMLAB_KEY() read from include/mmlab_lists.h"
s=$src re=$'\n''MMLAB_VERB\(([a-z_]+), *[A-Z]+, *([^,]*),'
while [[ $s =~ $re ]]; do
	v=${BASH_REMATCH[1]} mask=${BASH_REMATCH[2]//RANGE/K(pid) | K(addr) | K(len)}
	s=${s#*"${BASH_REMATCH[0]}"}
	keys='' n=0
	for k in "${KEYS[@]}"; do [[ $mask == *"K($k)"* ]] && keys+=" --$k" && n=$((n + 1)); done
	t=${mask//[^K]/}
	[ "${#t}" = "$n" ] || die "$v: a key of '$mask' is not in the key list"
	VERBS+=("${v//_/-}")
	GRAMMAR[$v]=${keys# }
done
expect_eq "${#GRAMMAR[@]}" 18 "verbs read from include/mmlab_lists.h"
expect_eq "${GRAMMAR[migrate]}" "--pid --addr --len --node --mode --verify --dst --swapcache --reason --trace" "migrate's keys in the list"

. "$MMLAB_ROOT/scripts/mmlab-completion.bash"
# The subcommands the program completes, and the options of one.
SUBS=()
for s in $("$M" --complete mmlab ''); do [[ $s == -* ]] || SUBS+=("$s"); done
expect_eq "${SUBS[*]}" "${VERBS[*]} session write stats probes features repro replay help" "complete: the subcommands are the list's verbs and the others"
opts() { "$M" --complete mmlab "$1" -; }
mm
expect_rc 0 "mmlab without arguments"
TOP=$OUT
expect_match "$TOP" '^usage: mmlab ' "top-level help"
expect_match "$TOP" '^  64 +usage error' "top-level help: exit statuses"
for sub in "${SUBS[@]}"; do
	[ "$sub" = help ] && continue
	expect_match "$TOP" "(^| )$sub( |\$)" "top-level help lists $sub"
	mm "$sub" --help
	expect_rc 0 "$sub --help"
	expect_match "$OUT" "^usage: mmlab $sub" "$sub --help: usage"
	expect_match "$OUT" '^example:' "$sub --help: example"
	# The options help lists equal those the completion offers ...
	o=$(joined "$(opts "$sub")")
	expect_eq "$(joined "$(options)")" "$o" "$sub: --help options vs completion"
	# ... and, for a control verb, the keys the module takes.
	v=${sub//-/_}
	if [ -n "${GRAMMAR[$v]+set}" ]; then
		o=${o% --raw --help}
		expect_eq "${o%--raw --help}" \
			"${GRAMMAR[$v]}" "$sub: options vs the module's keys"
	fi
done

# ---- usage errors: status 64, nothing written ---------------------------------
counterv C0 commands
for args in "migrate --pid 1 --addr 0x1000 --colour red|unknown option --colour" \
	"migrate --pid 1 --addr 0x1000 --pfn 5|migrate does not take --pfn" \
	"migrate --pid 1 --addr|--addr needs a value" \
	"migrate --pid 1 --pid 2 --addr 0x1000|--pid given twice" \
	"inspect --pid 1 0x1000|unexpected argument" \
	"frobnicate|unknown command 'frobnicate'" \
	"stats --bogus|unknown option --bogus" \
	"probes attach @migration sideways|attach SYM \[ret\]"; do
	read -ra a <<<"${args%%|*}"
	mm "${a[@]}"
	expect_rc 64 "usage error: ${args%%|*}"
	expect_eq "$OUT" "" "usage error: ${args%%|*}: stdout"
	expect_match "$EOUT" "${args#*|}" "usage error: ${args%%|*}: message"
done
OUT=$(printf '%s\n' "inspect --pid 1 --addr 0x1000" "migrate --pid 1 --nodes 1" | "$M" session 2>&1)
RC=$?
expect_rc 64 "session with a bad line"
expect_match "$OUT" 'line 2: unknown option --nodes' "session: the bad line named"
mm migrate --help
expect_rc 0 "migrate --help, as a program"
expect_match "$OUT" "^  --swapcache " "migrate --help, as a program: options"
mm migrate --pid 1 --addr 0x1000 --colour red
expect_rc 64 "usage error, as a program"
expect_eq "$(counter commands)" "$C0" "no usage error reached the module"

# ---- migrate: a table row per page, the pages on node 1 by move_pages(2) ------
start_pages anon --len 16384
P=$PG_PID A=$(printf '0x%x' "$PG_ADDR")
ADDRS=$(for i in 0 1 2 3; do printf '0x%x ' $((A + i * 4096)); done)
mm migrate --pid "$P" --addr "$A" --len 16K --node 1
expect_rc 0 "migrate"
note "$OUT"
expect_eq "$(joined "$(col addr)")" "${ADDRS% }" "migrate: one row per page"
expect_eq "$(joined "$(col new_nid)")" "1 1 1 1" "migrate: new_nid"
expect_eq "$(joined "$(col result)")" "migrated migrated migrated migrated" "migrate: result"
expect_match "$OUT" '^summary:$' "migrate: summary block"
expect_match "$OUT" '  migrated +4( |$)' "migrate: summary migrated"
# shellcheck disable=SC2086 # one argument per address
expect_eq "$(joined "$("$NODEOF" "$P" $ADDRS)")" "1 1 1 1" "migrate: move_pages(2) says node 1"

# --raw is the reply as mmlab write reads it: the same lines, keys, pfns and nodes.
mm --raw inspect --pid "$P" --addr "$A" --len 16K
expect_rc 0 "raw inspect"
cmd "inspect pid=$P addr=$A len=16K"
expect_eq "$(shape "$OUT")" "$(shape "$REPLY_TEXT")" "raw inspect: lines and keys as mmlab write's"
pfns() { local l; while IFS= read -r l; do echo "$(field pfn "$l")/$(field nid "$l")"; done <<<"$1"; }
expect_eq "$(pfns "$OUT")" "$(pfns "$REPLY_TEXT")" "raw inspect: pfns and nodes as mmlab write's"
mm rmap --pid "$P" --addr "$A" --raw
expect_match "$OUT" '^map pid=[0-9]+ comm="pages" ' "raw rmap: quoted comm as the module writes it"
mm rmap --pid "$P" --addr "$A"
expect_eq "$(col comm)" pages "rmap table: comm unquoted"
expect_match "$OUT" '^map:$' "rmap table: titled groups"

# ---- errnos become the exit status; the error line goes to stderr -------------
for c in "3 ESRCH|inspect --pid 4000000 --addr 0x1000" "14 EFAULT|migrate --pid $P --addr 0x1000" \
	"22 EINVAL|migrate --pid $P --addr $A --len 1Q" "19 ENODEV|migrate --pid $P --addr $A --node 7"; do
	read -ra a <<<"${c#*|}"
	mm "${a[@]}"
	name=${c%%|*}
	name=${name#* }
	expect_rc "${c%% *}" "${c#*|}"
	expect_eq "$OUT" "" "${c#*|}: stdout"
	expect_match "$EOUT" "^mmlab ${a[0]}: error=$name reason=\"" "${c#*|}: error line on stderr"
done
cmd "inspect pid=4000000 addr=0x1000"
mm --raw inspect --pid 4000000 --addr 0x1000
expect_rc 3 "raw ESRCH"
expect_eq "$OUT" "$REPLY_TEXT" "raw ESRCH: the error line exactly, quotes and all"

# ---- move-charge: EOPNOTSUPP on 6.12, a real move on 6.1 ---------------------
if ! memcg_v1; then
	mm move-charge --pid "$P" --addr "$A" --to /B
	expect_rc 95 "6.12: move-charge"
	expect_match "$EOUT" 'error=EOPNOTSUPP .*CONFIG_MEMCG_V1' "6.12: move-charge reason"
else
	CG=/tmp/mmlab-memcg
	mkdir -p "$CG"
	mountpoint -q "$CG" || mount -t cgroup -o memory memory "$CG" || die "mount cgroup v1 memory"
	for g in A B; do rmdir "$CG/$g" 2>/dev/null; mkdir "$CG/$g" || die "mkdir $g"; done
	echo $$ >"$CG/A/cgroup.procs"
	start_pages anon
	echo $$ >"$CG/cgroup.procs"
	PFN=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
	mm move-charge --pid "$PG_PID" --addr "$PG_ADDR" --to /B --policy present
	expect_rc 0 "6.1: move-charge"
	note "$OUT"
	expect_eq "$(col result)" moved "6.1: move-charge result"
	expect_eq "$(u64 /proc/kpagecgroup "$PFN")" "$(stat -c %i "$CG/B")" "6.1: the page is charged to B"
	kill "$PG_PID"; wait "$PG_PID" 2>/dev/null
	rmdir "$CG/A" "$CG/B" || die "rmdir memcgs"
fi

# ---- holds: one call releases its hold on return; a session keeps it ----------
counterv T0 pins_taken
mm pin --pid "$P" --addr "$A"
expect_rc 0 "pin"
expect_match "$EOUT" 'mmlab session' "pin: the note on holds"
expect_eq "$(counter pins_taken)/$(counter pins_released)" "$((T0 + 1))/$(counter pins_taken)" "pin: taken and released by the call"
OUT=$(printf '%s\n' "# a pinned page cannot migrate" "pin --pid $P --addr $A" \
	"mmlab migrate --pid $P --addr $A --node 0" "unpin pid=$P addr=$A" | "$M" session --raw 2>"$ERRF")
RC=$?
EOUT=$(<"$ERRF")
expect_rc 0 "session"
note "$OUT"
expect_match "$OUT" "^pin addr=$A " "session: pinned"
expect_match "$OUT" "^migrate addr=$A .*result=failed err=EAGAIN reason=refcount" "session: the pinned page did not migrate"
expect_match "$OUT" "^summary op=unpin released=1 held=0$" "session: unpin released it"
expect_eq "$("$NODEOF" "$P" "$A")" 1 "session: still on node 1"
expect_eq "$(counter pins_taken)" "$((T0 + 2))" "session: one more pin"
expect_eq "$(counter pins_released)" "$(counter pins_taken)" "session: every pin released"

# ---- probes --------------------------------------------------------------------
mm probes attach @migration
expect_rc 0 "probes attach @migration"
mm probes attach @migration
expect_rc 17 "probes attach twice (EEXIST)"
expect_match "$EOUT" 'EEXIST' "probes attach twice: message"
mm probes detach no_such_function_mmlab
expect_rc 2 "probes detach unknown (ENOENT)"
mm migrate --pid "$P" --addr "$A" --len 16K --node 0
expect_rc 0 "migrate back"
mm probes
expect_rc 0 "probes list"
note "$OUT"
syms=$(while read -r _ _ s _; do echo "${s#sym=}"; done <"$D/probes")
expect_eq "$(joined "$(col sym)")" "$(joined "$syms")" "probes table: the attached symbols"
expect_match "$(col sym)" '^move_to_new_folio$' "probes table: move_to_new_folio"
expect_eq "$(cell sym move_to_new_folio mmlab)" 4 "probes table: 4 move_to_new_folio hits inside mmlab"
mm --raw probes list
expect_eq "$OUT" "$(<"$D/probes")" "probes --raw: the file"
mm probes clear
expect_rc 0 "probes clear"
expect_eq "$(<"$D/probes")" "" "probes cleared"

# ---- stats -----------------------------------------------------------------------
mm stats --nonzero
expect_rc 0 "stats --nonzero"
want=$(while read -r n v; do [ "$v" != 0 ] && echo "$n $v"; done <"$D/stats")
got=$(while read -r n v; do echo "$n $v"; done <<<"$OUT")
expect_eq "$got" "$want" "stats --nonzero: the file's non-zero counters"
expect_match "$OUT" "^migrate_ok +$(counter migrate_ok)\$" "stats: migrate_ok"
[ "$(counter migrate_ok)" -ge 2 ] || die "migrate_ok did not move"
mm stats --raw
expect_eq "$OUT" "$(<"$D/stats")" "stats --raw: the file"
mm stats --watch 0.2 --count 2 commands_ok
expect_rc 0 "stats --watch"
expect_eq "$(grep -c '^commands_ok ' <<<"$OUT")/$(grep -c '^--- ' <<<"$OUT")" 1/1 "stats --watch: two rounds"
expect_match "$OUT" '^\(no counter moved\)$' "stats --watch: nothing moved"

# ---- features --------------------------------------------------------------------
mm features
expect_rc 0 "features"
# dotted KEY: the value of a "KEY   value" line of OUT.
dotted() {
	local l
	while IFS= read -r l; do
		[[ $l == "$1 "* ]] || continue
		l=${l#"$1"}
		printf '%s\n' "${l#"${l%%[! ]*}"}"
	done <<<"$OUT"
}
expect_eq "$(dotted kernel.release)" "$(uname -r)" "features: kernel release"
expect_eq "$(dotted kernel.version)" "$(</proc/sys/kernel/version)" "features: the quoted version, blanks and all"
want=$(while read -r n v _; do [[ $v == yes || $v == no ]] && [[ $n != sym:* ]] && echo "$n $v"; done <"$D/features")
mapfile -t cn < <(col capability)
mapfile -t ca < <(col available)
got=$(for i in "${!cn[@]}"; do echo "${cn[$i]} ${ca[$i]}"; done)
expect_eq "$got" "$want" "features: the capability table"
if ! memcg_v1; then
	expect_match "$OUT" '^move_charge +no +.*CONFIG_MEMCG_V1' "6.12: move_charge unavailable, with the reason"
fi

# ---- completion ------------------------------------------------------------------
comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mmlab; echo "${COMPREPLY[*]}"; }
expect_eq "$(comp mmlab mig)" migrate "complete: mmlab mig"
expect_eq "$(comp mmlab move-charge --po)" --policy "complete: --po"
expect_eq "$(comp mmlab migrate --node '')" "0 1" "complete: --node from sysfs"
[[ " $(comp mmlab migrate --pid '') " == *" $P "* ]] || die "complete: --pid lacks the helper's pid"
[[ " $(comp mmlab inspect --pid "$P" --addr '') " == *" $A "* ]] || die "complete: --addr lacks the helper's vma"
expect_eq "$(comp mmlab probes attach @m)" "@migration @memcg" "complete: probe sets"
expect_eq "$(comp mmlab pin --mode '')" "get pin" "complete: pin's modes"
[[ " $(comp mmlab repro E1) " == *" E11 "* ]] || die "complete: repro lacks experiment E11"
expect_eq "$(comp mmlab replay "$MMLAB_ROOT/tests/34_re")" "$MMLAB_ROOT/tests/34_repro.sh" "complete: replay's file"
cleanup_helpers

# ---- no module, no permission ------------------------------------------------------
OUT=$(setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin "$M" features 2>&1)
RC=$?
expect_rc 77 "without CAP_SYS_ADMIN"
expect_match "$OUT" 'CAP_SYS_ADMIN' "without CAP_SYS_ADMIN: message"
OUT=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$M" stats 2>&1)
RC=$?
expect_rc 77 "non-root"
unload
mm inspect --pid 1 --addr 0x1000
expect_rc 69 "module not loaded"
expect_match "$EOUT" 'module is not loaded' "module not loaded: message"
