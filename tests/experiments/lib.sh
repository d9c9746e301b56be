# shellcheck shell=bash disable=SC2034
# Helpers for the experiment scripts (sourced after nothing else).  An
# experiment measures and prints "obs KEY=VALUE" lines; the runner
# (tests/experiments/run) checks them against the script's header.  Setup
# that cannot be done is a failure (die), never a silent skip.
. "$MMLAB_ROOT/tests/lib.sh"

# obs KEY VALUE: one observation (spaces in VALUE become "_").
obs() { local v=${2// /_}; echo "obs $1=$v"; }

# vm_snap NAME...: remember /proc/vmstat counters; vm_delta NAME: change since.
declare -A VM0=()
vm_snap() { local n; echo 1 >/proc/sys/vm/stat_refresh; for n in "$@"; do VM0[$n]=$(kv "$n" /proc/vmstat); done; }
vm_delta() { echo 1 >/proc/sys/vm/stat_refresh; echo $(( $(kv "$1" /proc/vmstat) - ${VM0[$1]} )); }

# probes_on SPEC...: attach probes ("@migration", "move_to_new_folio ret");
# probes_snap / probe_d SYM KEY: a probe's KEY moved by how much since the snap.
probes_on() { local s; for s in "$@"; do echo "+$s" >"$D/probes" 2>/dev/null || note "probe $s: not attached"; done; }
probes_snap() { B=$(<"$D/probes"); }
probe_d() { A=$(<"$D/probes"); pdelta "$1" "$2"; }
# probe_ret SYM NAME: how many returns of SYM were NAME (0, EAGAIN, ...) since the snap.
probe_ret() {
	local a b
	A=$(<"$D/probes")
	a=$(field "ret_$2" "$(pline "$1" "$A")"); b=$(field "ret_$2" "$(pline "$1" "$B")")
	echo $(( ${a:-0} - ${b:-0} ))
}

# mig_line TEXT: the first "migrate " line of a reply.
mig_line() { grep -m1 '^migrate ' <<<"$1"; }
# inject_on KEYS: attach "inject KEYS" on fd 7 (open on the control file);
# INJ_ID is its id.  inject_obs PREFIX: PREFIX_hits and PREFIX_fired of it.
inject_on() {
	local r
	echo "inject $1" >&7 || die "inject $1"
	r=$(cat <&7); note "$r"
	INJ_ID=$(field id "$r")
}
inject_obs() {
	local l
	while read -r l; do
		[[ $l == "id=$INJ_ID "* ]] || continue
		obs "$1_hits" "$(field hits "$l")"
		obs "$1_fired" "$(field fired "$l")"
	done <"$D/injections"
}
# mig_result_obs PREFIX TEXT: PREFIX_result of migrate's first line, and
# PREFIX_err unless it migrated.
mig_result_obs() {
	local m
	m=$(mig_line "$2"); note "$m"
	obs "$1_result" "$(field result "$m")"
	[ "$(field result "$m")" = migrated ] || obs "$1_err" "$(field err "$m")"
}
# tl_count TEXT WHAT [RC]: the `step` lines of a migrate trace=1 reply.
tl_count() {
	local l n=0
	while read -r l; do
		[[ $l == "step "*" what=$2 "* ]] || continue
		[ -z "${3:-}" ] || [[ $l == *" rc=$3 "* ]] && n=$((n + 1))
	done <<<"$1"
	echo "$n"
}
# tl_flag TEXT WHAT FLAG: 1 when the first step WHAT has FLAG in flags=.
tl_flag() {
	local l
	while read -r l; do
		[[ $l == "step "*" what=$2 "* ]] || continue
		[[ ",$(field flags "$l")," == *",$3,"* ]] && echo 1 || echo 0
		return
	done <<<"$1"
	echo -
}
sum_line() { grep -m1 '^summary ' <<<"$1"; }
# reply_obs PREFIX LINE: each KEY=VALUE of a reply line as obs PREFIX_KEY
# (KEY when PREFIX is ""), quotes taken off: mmlab repro's ad-hoc scenarios.
reply_obs() {
	local s=$2 re='^[^=]*[ ]([A-Za-z0-9_.]+)=("[^"]*"|[^ ]*)(.*)$' v
	s=" $s"
	while [[ $s =~ $re ]]; do
		v=${BASH_REMATCH[2]}; v=${v#\"}; v=${v%\"}
		obs "${1:+$1_}${BASH_REMATCH[1]}" "$v"
		s=${BASH_REMATCH[3]}
	done
}
# node_of PID ADDR: the node move_pages(2) reports.
node_of() { "$NODEOF" "$1" "$2"; }

# The catalogue's guest settings (shared/notes/vm-boot.md): nothing moves,
# merges or collapses pages behind an experiment's back.
quiet_mm() {
	sysctl -q kernel.numa_balancing=0 vm.compaction_proactiveness=0 2>/dev/null
	echo 0 >/sys/kernel/mm/ksm/run
	echo 0 >/sys/kernel/mm/transparent_hugepage/khugepaged/defrag 2>/dev/null
}
quiet_mm
