#!/usr/bin/env bash
# The checks are `bash -c '...' _ "$out"`: $1 expands in there, on purpose.
# shellcheck disable=SC2016
# tests/unit/host.sh — host-side tests of what a user installs and reads,
# no guest needed: scripts/kconfig-check on the Debian kernels' configs and
# on a config lacking a required option, `make install` staged with
# INSTALL_MOD_PATH, a DKMS build in a private tree, the version of
# dkms.conf, tests/run's KTAP output and skip rule, scripts/repro's folding
# (mmlab repro/replay) on fixtures and experiments, and the counter table
# of docs/counters.md and the grammar tables of docs/design.md against
# include/mmlab_lists.h and module/parse.c.
# TAP, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; shift; printf '#   %s\n' "$@"; }
# t DESC CMD...: CMD's exit status decides; its output is shown on failure.
t() {
	local d=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$d"; else nok "$d" "$(tail -n 5 <<<"$out")"; fi
}

# ---- scripts/kconfig-check
R61=$(scripts/kver 6.1) R612=$(scripts/kver 6.12)
out=$(scripts/kconfig-check --kernel 6.1); rc=$?
t "kconfig-check 6.1: exit 0, nothing missing, cgroup-v1 memcg built in" \
	bash -c '[ '"$rc"' = 0 ] && grep -qx "0 missing, 0 capabilities lacking" <<<"$1" && grep -q "^ok *(cgroup v1 memcg)" <<<"$1"' _ "$out"
out=$(scripts/kconfig-check --kernel 6.12); rc=$?
t "kconfig-check 6.12: exit 0, lacks only CONFIG_MEMCG_V1 (move_charge)" \
	bash -c '[ '"$rc"' = 0 ] && [ "$(grep -c "^lacks" <<<"$1")" = 1 ] && grep -q "^lacks *CONFIG_MEMCG_V1 *move_charge" <<<"$1"' _ "$out"
sed -e 's/^CONFIG_KPROBES=y/# CONFIG_KPROBES is not set/' -e 's/^CONFIG_KSM=y/# CONFIG_KSM is not set/' \
	"/boot/config-$R612" >"$TMP/config"
out=$(scripts/kconfig-check --config "$TMP/config"); rc=$?
t "kconfig-check: a config without KPROBES fails (exit 1), names it and what KSM gives" \
	bash -c '[ '"$rc"' = 1 ] && grep -q "^MISSING *CONFIG_KPROBES " <<<"$1" && grep -q "^lacks *CONFIG_KSM *KSM pages" <<<"$1" && grep -qx "1 missing, 2 capabilities lacking" <<<"$1"' _ "$out"
# Without KALLSYMS_ALL the two variables mmlab reads are not in kallsyms:
# the line names the capabilities that degrade (features: swapcache,
# rmap_fork_check).
sed -e 's/^CONFIG_KALLSYMS_ALL=y/# CONFIG_KALLSYMS_ALL is not set/' "/boot/config-$R61" >"$TMP/config"
out=$(scripts/kconfig-check --config "$TMP/config"); rc=$?
t "kconfig-check: a config without KALLSYMS_ALL lacks swapcache=1 and rmap's fork check" \
	bash -c '[ '"$rc"' = 0 ] && grep -q "^lacks *CONFIG_KALLSYMS_ALL .*migrate swapcache=1.*move_charge of swap entries.*fork-race" <<<"$1" && grep -qx "0 missing, 1 capabilities lacking" <<<"$1"' _ "$out"
scripts/kconfig-check --bogus >/dev/null 2>&1; rc=$?
t "kconfig-check: bad usage exits 2" test "$rc" = 2

# ---- make install, staged
for k in 6.1 6.12; do
	rel=$(scripts/kver "$k")
	make --no-print-directory -s KERNEL="$k" INSTALL_MOD_PATH="$TMP/stage" install >"$TMP/install.log" 2>&1
	ko=$(ls "$TMP/stage/lib/modules/$rel/extra/"mmlab.ko* 2>/dev/null)
	t "make install KERNEL=$k: extra/$(basename "${ko:-mmlab.ko}") for $rel, in modules.dep, vermagic $rel" \
		bash -c '[ -n "$1" ] && grep -q "^extra/mmlab.ko[.a-z]*:" "$2/modules.dep" &&
			modinfo -F vermagic "$1" | grep -q "^$3 "' _ "$ko" "$TMP/stage/lib/modules/$rel" "$rel"
done

# ---- DKMS: dkms.conf's version is the module's; dkms builds it.
ver=$(sed -n 's/^#define MMLAB_VERSION "\(.*\)"$/\1/p' module/base.h)
t "dkms.conf PACKAGE_VERSION is MMLAB_VERSION ($ver)" grep -qx "PACKAGE_VERSION=\"$ver\"" dkms.conf
if command -v dkms >/dev/null; then
	mkdir -p "$TMP/src/mmlab-$ver" "$TMP/dkms"
	git ls-files -z --cached --others --exclude-standard | grep -zv '^tests/experiments/' | xargs -0 cp --parents -t "$TMP/src/mmlab-$ver"
	dk=(--sourcetree "$TMP/src" --dkmstree "$TMP/dkms")
	dkms add "${dk[@]}" "mmlab/$ver" >"$TMP/dkms.log" 2>&1 &&
		dkms build "${dk[@]}" -k "$R61" "mmlab/$ver" >>"$TMP/dkms.log" 2>&1
	ko=$(find "$TMP/dkms/mmlab/$ver/$R61" -name 'mmlab.ko*' 2>/dev/null | head -n 1)
	t "dkms add + build for $R61 gives mmlab.ko with vermagic $R61" \
		bash -c '[ -n "$1" ] && modinfo -F vermagic "$1" | grep -q "^$2 " || { cat "$3"; false; }' _ "$ko" "$R61" "$TMP/dkms.log"
else
	nok "dkms is not installed (scripts/setup installs it)"
fi

# ---- tests/run: KTAP, skips reported as SKIP outside the guest, failures in it.
mkdir -p "$TMP/t"
printf 'echo fine\n' >"$TMP/t/01_pass.sh"
printf 'echo "SKIP: needs 2 NUMA nodes"\nexit 4\n' >"$TMP/t/02_skip.sh"
printf 'echo boom\nexit 1\n' >"$TMP/t/03_fail.sh"
KO=$ROOT/build/$R61/mmlab.ko
out=$(env -u MMLAB_GUEST MMLAB_KO="$KO" tests/run "$TMP"/t/0*.sh 2>&1); rc=$?
t "tests/run: KTAP header, plan, ok / ok # SKIP / not ok, totals, exit 1" \
	bash -c '[ '"$rc"' = 1 ] && [ "$(head -n 1 <<<"$1")" = "KTAP version 1" ] && grep -qx "1..3" <<<"$1" &&
		grep -qx "ok 1 01_pass" <<<"$1" && grep -qx "ok 2 02_skip # SKIP needs 2 NUMA nodes" <<<"$1" &&
		grep -qx "not ok 3 03_fail # exit 1" <<<"$1" && grep -qx "# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0" <<<"$1" &&
		[ "$(tail -n 1 <<<"$1")" = "1 passed, 1 failed" ]' _ "$out"
out=$(MMLAB_GUEST=1 MMLAB_KO="$KO" tests/run "$TMP/t/02_skip.sh" 2>&1); rc=$?
t "tests/run in the guest: a skip is a failure" \
	bash -c '[ '"$rc"' = 1 ] && grep -qx "not ok 1 02_skip # exit 4" <<<"$1"' _ "$out"

# ---- scripts/repro: the 72-column folding of mmlab repro, undone by replay
long=$(printf 'w%.0s' {1..90})
{
	printf '# %s\n' "a comment line long enough to be folded more than once, since it goes on and on past the seventy-two columns of a mail, twice over at least"
	printf '%s\n' 'obs refs "$(( $(field refs "$M") - $(field expected_refs "$M") ))" # a trailing comment, long enough'
	printf '\t\t%s\n' 'note "a quoted string with  two blanks   and three, that is longer than one line of mail"'
	printf 'x %s y\n' "$long"
	printf '%s\n' '' 'short' '    # indented comment: '"$long"
} >"$TMP/fold.txt"
scripts/repro wrap <"$TMP/fold.txt" >"$TMP/fold.w"
t "repro wrap: every line at most 72 columns (tabs as 8), more lines than before" \
	bash -c '! expand "$1" | grep -q ".\{73\}" && [ "$(wc -l <"$1")" -gt "$(wc -l <"$2")" ]' _ "$TMP/fold.w" "$TMP/fold.txt"
t "repro unwrap: wrap undone, byte for byte" cmp "$TMP/fold.txt" <(scripts/repro unwrap <"$TMP/fold.w")
t "repro wrap: the folded code lines end in ' \\' or a cut word, continue indented" \
	bash -c 'grep -q "^    " "$1" && grep -q "^#   " "$1" && [ "$(grep -c "\\\\$" "$1")" -ge 6 ]' _ "$TMP/fold.w"
printf 'a line \\\n' | scripts/repro wrap >/dev/null 2>&1; rc=$?
t "repro wrap: a line ending in a backslash is refused (65): unwrap could not tell it" test "$rc" = 65
# Experiments with a continuation line (E20, E25), trailing tabs (E12),
# folded header lines (E02, E11): the reproducer's lines fit, and once
# unwrapped, less its preamble, it is the experiment: the same non-blank
# characters in the same order once the shell's continuations are joined.
nb() { sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$@" | tr -d ' \t'; }
for id in E02 E11 E12 E20 E25; do
	scripts/repro repro --kernel 6.12 "$id" >"$TMP/$id.txt"; rc=$?
	f=$(ls tests/experiments/"$id"-*.sh)
	t "repro $id: exit 0, at most 72 columns, no tab, kernel, config digest, the experiment once unwrapped" \
		bash -c '[ '"$rc"' = 0 ] && ! grep -q "$(printf "\t")" "$1" && ! grep -q ".\{73\}" "$1" &&
			grep -q "^# kernel: $3\$" "$1" && grep -q "^# config: sha256:[0-9a-f]\{16\} of /boot/config-$3 " "$1" &&
			cmp <(nb "$2") <(scripts/repro unwrap <"$1" | sed "1,/^#\$/d" | nb)' _ "$TMP/$id.txt" "$f" "$R612"
done
t "repro E02: the page recipe and the three commands" \
	bash -c 'grep -q "^# page: anon, 4 KiB by default:" "$1" && [ "$(grep -c "^# command: " "$1")" = 3 ] &&
		grep -q "^# command: pin pid=\$PG_PID addr=\$PG_ADDR$" "$1"' _ "$TMP/E02.txt"
scripts/repro repro --kernel 6.12 --kind mlock-thp --cmd "migrate node=1" --expect "result=migrated node_after=1" >"$TMP/adhoc.txt"; rc=$?
t "repro ad hoc: its expect line, the command with pid= and addr=, reply and oracle obs" \
	bash -c '[ '"$rc"' = 0 ] && ! grep -q ".\{73\}" "$1" && grep -q "^# mmlab-repro: R1," "$1" &&
		grep -qx "# expect: result=migrated node_after=1" "$1" && grep -q "^start_pages mlock-thp$" "$1" &&
		grep -qF "cmd \"migrate node=1 pid=\$PG_PID addr=\$PG_ADDR\"" "$1" && grep -q "^reply_obs " "$1" &&
		grep -q "^obs node_after " "$1"' _ "$TMP/adhoc.txt"
out=$(scripts/repro repro --kernel 6.12 --kind mthp --pages "--order 4" --cmd inspect --cmd "migrate node=1"); rc=$?
t "repro ad hoc mthp --order 4: that size alone (mthp_only 64), cN_ obs per command" \
	bash -c '[ '"$rc"' = 0 ] && grep -qx "mthp_only 64" <<<"$1" && grep -qx "start_pages mthp --order 4" <<<"$1" &&
		grep -qx "reply_obs \"c2\" .*" <<<"$1" && grep -q "^# op: inspect; migrate node=1; " <<<"$1"' _ "$out"
scripts/repro repro --kind mthp --cmd inspect >/dev/null 2>&1; rc=$?
t "repro ad hoc: an mthp kind without --order is refused (64)" test "$rc" = 64
scripts/repro repro --kind anon --cmd 'migrate node=$(reboot)' >/dev/null 2>&1; rc=$?
t "repro ad hoc: a command with \$ or quotes is refused (64)" test "$rc" = 64
scripts/repro replay tests/experiments/E02-extra-ref-eagain.sh >/dev/null 2>&1; rc=$?
t "replay: a text without the mmlab-repro line is refused (65)" test "$rc" = 65

# ---- docs/counters.md's counters and docs/design.md's grammar, generated
t "docs/counters.md's counter table and docs/design.md's grammar tables match the list and the parser" scripts/readme-counters --check

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
