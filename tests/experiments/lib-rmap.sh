# shellcheck shell=bash disable=SC2034
# Shared functions of the rmap, VMA and race experiments (E05, E13, E27,
# E32-E37, E40); sourced after lib.sh.  Their helpers are
# tests/experiments/helpers/rm_*.c, built into build/tests/.
RMH=$MMLAB_ROOT/build/tests

# rmap_obs NAME PID ADDR: one rmap walk of the page at ADDR.  Prints
# NAME=found/mapcount/kpagecount (the mappings the walk found, the
# kernel's per-page mapcount, /proc/kpagecount), NAME_match, and
# NAME_walker: which of rmap_walk_anon/_file/_ksm ran (the rmap probe set
# must be attached).  Leaves S (summary), H (head) and MAPS (map lines).
rmap_obs() {
	local pfn w="" k
	probes_snap
	cmd "rmap pid=$2 addr=$3"
	[ -z "$ERR" ] || die "rmap $1: $ERR $REPLY_TEXT"
	S=$(sum_line "$REPLY_TEXT")
	H=$(grep -m1 '^rmap ' <<<"$REPLY_TEXT")
	MAPS=$(grep '^map ' <<<"$REPLY_TEXT")
	pfn=$(hexnum "$(field pfn "$H")")
	note "$1: $S"
	obs "$1" "$(field found "$S")/$(field mapcount "$S")/$(kpagecount "$pfn")"
	obs "$1_match" "$(field match "$S")"
	for k in anon file ksm; do
		[ "$(probe_d "rmap_walk_$k" mmlab)" -gt 0 ] && w+=$k
	done
	obs "$1_walker" "${w:-none}"
}


# ksm_merge PID ADDR LEN PID...: run ksmd until every page of [ADDR, +LEN)
# in each PID is a KSM page (at most 60 s); ksmd is stopped afterwards
# (run=0 keeps the merged pages).  6.12's smart scan is turned off for the
# run so that merging does not skip pages.  Returns 1 on timeout.
ksm_merge() {
	local addr=$1 len=$2 p n want ok=1 ss=/sys/kernel/mm/ksm/smart_scan old=""
	shift 2
	[ -f $ss ] && { old=$(<$ss); echo 0 >$ss; }
	want=$(( len / 4096 ))
	ksmd on
	for _ in $(seq 1 120); do
		ok=0
		for p in "$@"; do
			cmd "inspect pid=$p addr=$addr len=$len"
			n=$(grep -c ' kind=ksm ' <<<"$REPLY_TEXT")
			[ "$n" = "$want" ] || { ok=1; break; }
		done
		[ "$ok" = 0 ] && break
		sleep 0.5
	done
	ksmd off
	[ -n "$old" ] && echo "$old" >$ss
	return "$ok"
}

# wait_file PATH [TENTHS]: wait until PATH exists and is not empty.
wait_file() {
	local i
	for ((i = 0; i < ${2:-300}; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# errs_ok SUMMARY: 1 when a stress summary has no error but ENOENT,
# EFAULT or ESRCH (the page or the process went away).
errs_ok() {
	local e
	while read -r e; do
		case $e in err_ENOENT|err_EFAULT|err_ESRCH|"") ;; *) echo 0; return ;; esac
	done < <(grep -oE 'err_[A-Z0-9]+' <<<"$1")
	echo 1
}

# klog_count ERE: kernel log lines matching ERE since the experiment began
# (the runner's klog_mark "mmlab-experiment: start ID").
# shellcheck source=tests/kernel-log.sh
. "$MMLAB_ROOT/tests/kernel-log.sh"
klog_count() { klog_after "mmlab-experiment: start" | grep -cE "$1"; }
