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
# ---- scripts/compare-report (make compare's diff) on fixture logs: two
# runs of E01, E02 and E11 per kernel, one of E05 (a stress experiment),
# tests/unit/compare/.
FX=tests/unit/compare
out=$(COMPARE_NOISE=$FX/noise COMPARE_A=6.1 COMPARE_B=6.12 scripts/compare-report $FX/a.log $FX/b.log "$TMP/cmp" 2>&1); rc=$?
csv=$(cat "$TMP/cmp/compare.csv" 2>/dev/null)
t "compare: a changed obs key is reported (CSV, report, summary: new_mlocked 1 → 0, after checks: the order of E11's expect lines)" \
	bash -c '[ '"$rc"' = 0 ] && grep -qx "E11,new_mlocked,1,0,yes" <<<"$1" && grep -qx "| \`new_mlocked\` | 1 | 0 |" "$3" &&
		grep -q "on B, E11 (a migrated mlocked PMD-mapped THP: .*): checks ok → mlocked, new_mlocked 1 → 0; it FAILs on B" <<<"$2"' _ "$csv" "$out" "$TMP/cmp/report.md"
t "compare: an equal key is not (tries 10 / 10), E01 and E05 with nothing changed are listed unchanged" \
	bash -c 'grep -qx "E02,tries,10,10,no" <<<"$1" && ! grep -q "tries 10" <<<"$2" && grep -qx "E01 E05" "$3"' _ "$csv" "$out" "$TMP/cmp/report.md"
t "compare: overlapping ranges are not a change (stress_ops 100..140 / 120..170), nor ranges apart by less than the noise file's spread (far)" \
	bash -c 'grep -qx "E11,stress_ops,100..140,120..170,noise" <<<"$1" && grep -qx "E11,far,10..11,20..21,noise" <<<"$1" && ! grep -qE "stress_ops|far " <<<"$2"' _ "$csv" "$out"
t "compare: pass → FAIL is reported" \
	bash -c 'grep -qx "E11,status,pass,FAIL,yes" <<<"$1" && grep -q "E11 .*; it FAILs on B (passes on A)$" <<<"$2"' _ "$csv" "$out"
t "compare: a probe return count B never reported is 0 there (folio_migrate_mapping -EAGAIN 10 → 0); an ignored key is not a change" \
	bash -c 'grep -qx "E02,probe:folio_migrate_mapping.ret_EAGAIN,10,0,yes" <<<"$1" && grep -qx "| \`folio_migrate_mapping -EAGAIN\` | 10 | 0 |" "$2" &&
		grep -qx "E02,vmstat:pgfault,120..131,125..160,ignored" <<<"$1"' _ "$csv" "$TMP/cmp/report.md"
t "compare: a stress experiment's counts from one run a side are not compared (dio_reads), and the summary says so" \
	bash -c 'grep -qx "E05,dio_reads,576419,647497,one-run" <<<"$1" && grep -qx "  counts of stress experiments not compared (one run a side; RUNS=2 compares their ranges): E05" <<<"$2"' _ "$csv" "$out"
t "compare: the summary comes last, from the data: E11 on a line, E02 (probe counts alone) named after, nothing else across the 4" \
	bash -c '[ "$(tail -n 1 <<<"$1")" = "  nothing else changed across the 4 experiments" ] && [ "$(grep -c "^  on B, " <<<"$1")" = 1 ] &&
		grep -qx "  probe or vmstat counts alone changed in 1: E02 (folio_migrate_mapping hits 10 → 0)" <<<"$1"' _ "$out"
out=$(scripts/compare-report --noise $FX/a.log $FX/b.log 2>&1)
t "compare-report --noise: the keys that varied between runs of one kernel, with their largest spread" \
	bash -c '[ "$1" = "$(printf "E02 vmstat:pgfault 35\nE11 far 1\nE11 stress_ops 50")" ]' _ "$out"

# ---- docs/counters.md's counters and docs/design.md's grammar, generated
t "docs/counters.md's counter table and docs/design.md's grammar tables match the list and the parser" scripts/readme-counters --check

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
