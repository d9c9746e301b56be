# repro/replay (scripts/repro through build/mmlab): a reproducer written
# from an experiment and replayed gives the experiment's verdict.  E02 and
# E39 (fast, page-helper scenarios; E02 differs between 6.1 and 6.12) are
# run by tests/experiments/run, then written with `mmlab repro` (every line
# at most 72 columns) and replayed with `mmlab replay`: the same status,
# the same obs keys, the same expect tokens held or failed, no prediction
# changed.  E35 (the vma helper, no pages) written with one expect token
# altered (rw_splits=2 to 3), as a reviewer would edit the mail: the
# replay fails on that token alone (status FAIL, exit non-zero), every
# other token held, the kernel's rw_splits=2 in its obs.  A
# text that is not a reproducer is refused (65).  The experiments' own
# outcomes are checked by the runner against pagemap, move_pages(2),
# vmstat and the probes; here the replay is checked against the runner.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
M=$MMLAB_ROOT/build/mmlab
RUN=$MMLAB_ROOT/tests/experiments/run
T=$(mktemp -d "${TMPDIR:-/tmp}/mmlab-repro.XXXXXX") || die "mktemp"
trap 'cleanup; rm -rf "$T"' EXIT

# xline OUT: the runner's experiment line in OUT.
xline() { grep -m1 '^experiment ' <<<"$1"; }
# quoted KEY LINE: the value of KEY="..." in an experiment line.
quoted() { local re=" $1=\"([^\"]*)\""; [[ $2 =~ $re ]] && echo "${BASH_REMATCH[1]}"; }
# obs_keys LINE: the obs keys of an experiment line, in order.
obs_keys() { local t k=''; for t in $(quoted obs "$1"); do k+="${t%%=*} "; done; echo "$k"; }
# tokens OUT: the token lines of OUT.
tokens() { grep '^token ' <<<"$1"; }

# wrote ID FILE [SED]: the reproducer of ID in FILE (SED applied to it);
# every line at most 72 columns, its header names this kernel.
wrote() {
	"$M" repro "$1" >"$2" || die "mmlab repro $1: exit $?"
	[ -z "${3:-}" ] || sed -i "$3" "$2"
	local l n=0
	while IFS= read -r l; do
		n=$((n + 1))
		[ "${#l}" -le 72 ] || die "repro $1: line $n is ${#l} columns: $l"
	done <"$2"
	grep -qxF "# kernel: $(uname -r)" "$2" || die "repro $1: no '# kernel: $(uname -r)' line"
	expect_match "$(<"$2")" '^# config: sha256:[0-9a-f]{16} of /boot/config-' "repro $1: the config digest"
}

# per_id OUT: XOUT[ID], each experiment's token lines and experiment line
# in the runner's output OUT (a token line comes before its experiment's).
declare -A XOUT=()
per_id() {
	local l acc=''
	while IFS= read -r l; do
		case "$l" in
		'token '*) acc+=$l$NL ;;
		'experiment '*) XOUT[$(field id "$l")]=$acc$l; acc='' ;;
		esac
	done <<<"$1"
}
# Both experiments in one run of the runner (its start costs seconds).
ALL=$(MMLAB_EXPERIMENT_TOKENS=1 "$RUN" E02 E39)
per_id "$ALL"
for id in E02 E39; do
	X=${XOUT[$id]:-}
	XL=$(xline "$X")
	[ -n "$XL" ] || die "$id: no experiment line: $ALL"
	xrc=0
	[ "$(field status "$XL")" = pass ] || xrc=1
	wrote "$id" "$T/$id.txt"
	R=$("$M" replay "$T/$id.txt")
	rrc=$?
	RL=$(xline "$R")
	[ -n "$RL" ] || die "$id replay: no experiment line: $R"
	note "$id experiment: ${XL:0:160}"
	note "$id replay:     ${RL:0:160}"
	expect_eq "$rrc" "$xrc" "$id: replay's exit status vs the experiment's"
	expect_eq "$(field status "$RL")" "$(field status "$XL")" "$id: status"
	expect_eq "$(field id "$RL")" "$id" "$id: the replay's id"
	expect_eq "$(field prediction "$RL")" "$(field prediction "$XL")" "$id: prediction"
	expect_eq "$(quoted failed "$RL")" "$(quoted failed "$XL")" "$id: failed tokens"
	expect_eq "$(obs_keys "$RL")" "$(obs_keys "$XL")" "$id: obs keys"
	expect_eq "$(tokens "$R")" "$(tokens "$X")" "$id: each token held or failed alike"
	[ "$(tokens "$R" | grep -c '^token expect ')" -ge 5 ] || die "$id: fewer than 5 expect tokens checked"
	expect_match "$R" '^[0-9]+ passed, [0-9]+ failed$' "$id: the runner's verdict line"
done
# A header key may take several lines: E02's second "# expect:" line (the
# timeline's tokens) is checked too (the runner read only the first).
expect_match "${XOUT[E02]}" '^token expect held tl_putback=1$' "E02: its second expect line is checked"

# One token altered in the mail text (its "# expect:" line, folded or not).
wrote E35 "$T/E35.txt" '/^# expect:/,/[^\\]$/s/\<rw_splits=2\>/rw_splits=3/'
grep -q 'rw_splits=3' "$T/E35.txt" || die "E35: the token was not altered"
R=$("$M" replay "$T/E35.txt")
rrc=$?
RL=$(xline "$R")
note "E35 altered:  ${RL:0:160}"
[ "$rrc" != 0 ] || die "E35 altered: replay exit 0"
expect_eq "$(field status "$RL")" FAIL "E35 altered: status"
expect_eq "$(quoted failed "$RL")" "rw_splits=3" "E35 altered: the failed token"
expect_match "$R" '^token expect failed rw_splits=3$' "E35 altered: its token line"
expect_eq "$(tokens "$R" | grep -vc ' held ')" 1 "E35 altered: every other token held"
[ "$(tokens "$R" | grep -c ' held ')" -ge 8 ] || die "E35 altered: fewer than 8 tokens held"
expect_match "$(quoted obs "$RL")" '(^| )rw_splits=2( |$)' "E35 altered: what the kernel did"
expect_match "$R" '^0 passed, 1 failed$' "E35 altered: the verdict line"

# Not a reproducer: refused before anything runs.
echo 'echo hello' >"$T/not.txt"
"$M" replay "$T/not.txt" >/dev/null 2>&1
expect_eq "$?" 65 "replay of a text that is not a reproducer"
