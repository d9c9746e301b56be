# shellcheck shell=bash disable=SC2034
# Shared steps of the memcg experiments (E20-E31), sourced after lib.sh.
#
# A task (helpers/mc_task.c) runs as a coproc and builds its memory one
# command at a time, so the script can move it between memcgs in between.
# cgroup v1 (the kernel's charge mover, 6.1 only) is mounted at
# /tmp/mmlab-memcg as in tests/13 and 14; cgroup v2 at /tmp/mmlab-cg2.
# The memory controller is on one hierarchy at a time: each script puts
# it back (every memcg removed, the hierarchy unmounted) when it is done.
# A copy on tmpfs: the build directory is 9p with cache=mmap, whose page
# cache is read again at each exec, charged to the memcg that execs it.
MC_TASK=/tmp/mmlab-mc_task
cp "$MMLAB_ROOT/build/tests/mc_task" "$MC_TASK" || die "copy mc_task"
MC_WRITE=$MMLAB_ROOT/build/tests/mc_write
V1=${V1:-/tmp/mmlab-memcg}
V2=/tmp/mmlab-cg2

# Tasks by name, each driven through two fifos (removed once open):
# mc_start NAME [CGDIR]: start task NAME (in memcg CGDIR when given, and
# checked to be there); its pid in TP[NAME] and TASK_PID.
declare -gA TW TR TP
mc_start() {
	local in=${TMPDIR:-/tmp}/mmlab-mc.$$.$1.in out=${TMPDIR:-/tmp}/mmlab-mc.$$.$1.out w r l cg
	rm -f "$in" "$out"
	mkfifo "$in" "$out" || die "mkfifo $in $out"
	( [ -n "${2:-}" ] && echo "$BASHPID" >"$2/cgroup.procs"; exec "$MC_TASK" <"$in" >"$out" ) &
	HELPER_PIDS+=($!)
	exec {w}>"$in" {r}<"$out"
	rm -f "$in" "$out"
	read -r -t 30 -u "$r" l || die "mc_task $1 did not start"
	TW[$1]=$w TR[$1]=$r TP[$1]=${l#pid=} TASK_PID=${l#pid=}
	[ -n "${2:-}" ] || return 0
	# The memory controller's line (cgroup v1: "N:memory:/X"), else the
	# unified hierarchy's ("0::/X", cgroup v2: E29, E30).  read clears cg
	# at the end of the file, so the loop keeps what it found in c2.
	local c2=
	while IFS=: read -r _ l cg; do
		[ "$l" = memory ] && { c2=$cg; break; }
		[ -z "$l" ] && c2=$cg
	done <"/proc/${TP[$1]}/cgroup"
	[ "$c2" = "/${2##*/}" ] || die "mc_task $1 is in memcg '$c2', not /${2##*/} ($(tr '\n' ' ' <"/proc/${TP[$1]}/cgroup"))"
}
# mc NAME CMD...: one command; sets TASK_REPLY, and R_ADDR R_LEN for a region.
mc() {
	local n=$1
	shift
	echo "$*" >&"${TW[$n]}"
	read -r -t 60 -u "${TR[$n]}" TASK_REPLY || die "mc_task $n: no answer to '$*'"
	[[ $TASK_REPLY == ok* ]] || die "mc_task $n $*: $TASK_REPLY"
	fieldv R_ADDR addr "$TASK_REPLY"; fieldv R_LEN len "$TASK_REPLY"
}
# mc_stop NAME: end the task and its children (it exits at end of input).
mc_stop() {
	local w=${TW[$1]} r=${TR[$1]}
	exec {w}>&- {r}<&-
	wait "${TP[$1]}" 2>/dev/null
	unset "TW[$1]" "TR[$1]"
}
# One unnamed task, as most experiments use: task_start [CGDIR], task
# CMD..., task_stop.
task_start() { mc_start T "$@"; }
task() { mc T "$@"; }
task_stop() { mc_stop T; }

# warm_task: the task's binary and libraries read into the page cache from
# here (the root memcg), so that the memcgs under test hold none of them.
warm_task() {
	local f out
	out=$(for f in "$MC_TASK" $(ldd "$MC_TASK" | grep -o "/[^ ]*"); do
		echo "map $(readlink -f "$f")"; done | "$MC_TASK")
	[[ $out == *err* ]] && die "warm_task: $out"
	return 0
}

# ino DIR: a cgroup's inode, as /proc/kpagecgroup names it.
ino() { stat -c %i "$1"; }
# memcg_of PFN DIR...: the name of the DIR the page is charged to ("root"
# for the root memcg, "none" for none, "?" otherwise).
memcg_of() {
	local i d
	i=$(u64 /proc/kpagecgroup "$1")
	for d in "${@:2}"; do [ "$(ino "$d")" = "$i" ] && { basename "$d"; return; }; done
	case "$i" in 0) echo none ;; 1) echo root ;; *) echo "?" ;; esac
}
# count_in PATH PID ADDR PAGES: how many of the pages are charged to memcg
# PATH (as /proc/PID/cgroup names it: "/B"), by one mmlab inspect.
count_in() {
	local l n=0
	cmd "inspect pid=$2 addr=$3 len=$(( $4 * 4096 ))"
	[ -z "$ERR" ] || die "inspect: $ERR"
	while IFS= read -r l; do [[ $l == *" memcg=$1 "* ]] && n=$((n + 1)); done <<<"$REPLY_TEXT"
	echo "$n"
}

# mstat DIR NAME: one memory.stat value (bytes or count).
mstat() { kv "$2" "$1/memory.stat"; }
# settle DIR...: wait until memory.stat of every DIR reads the same twice,
# 2.5 s apart (rstat is flushed every 2 s: §0 of the catalogue), at most 4 rounds.
settle() {
	local a b d r
	for r in 1 2 3 4; do
		a=; b=
		for d in "$@"; do a+=$(<"$d/memory.stat"); done
		sleep 2.5
		for d in "$@"; do b+=$(<"$d/memory.stat"); done
		[ "$a" = "$b" ] && return 0
	done
	note "settle: memory.stat of $* still moving"
}
pages_of() { echo $(( $1 / 4096 )); }

# ---- cgroup v1 (the kernel's charge mover) ----------------------------------
# v1_or_unavailable: on a kernel without the v1 memory controller (6.12),
# record why (the mount is refused, mmlab's move_charge answers EOPNOTSUPP,
# features says no mover) and end the script; else mount it and make fresh
# memcgs A and B.
v1_or_unavailable() {
	local f
	load
	f=$(<"$D/features")
	if ! v1_mount "$V1"; then
		memcg_v1 && die "cgroup v1 memory controller cannot be mounted"
		obs available no
		obs v1_mount refused
		cmd "move_charge pid=$$ addr=0x1000 to=/B"
		obs move_charge_err "${ERR:-none}"
		obs mover_watch "$(sed -n 's/^memcg_mover_watch \([a-z]*\).*/\1/p' <<<"$f")"
		obs reason "$(sed -n 's/^memcg_mover_watch no reason="\(.*\)"$/\1/p' <<<"$f")"
		unload
		exit 0
	fi
	obs available yes
	rmdir "$V1"/A "$V1"/B 2>/dev/null
	mkdir "$V1/A" "$V1/B" || die "mkdir A B"
}
# v1_done: tests/lib.sh's v1_teardown of $V1, which must succeed (later
# experiments need the memory controller back on cgroup v2).
v1_done() {
	v1_teardown "$V1" || die "a memcg or the mount of $V1 stayed: $(ls -d "$V1"/*/ 2>/dev/null)"
}
# in_cg DIR CMD...: run CMD with this shell inside memcg DIR (then back to root).
in_cg() {
	local root=${1%/*}
	echo $$ >"$1/cgroup.procs"
	"${@:2}"
	echo $$ >"$root/cgroup.procs"
}
# deprecation_warnings: how often the boot's log has the move_charge warning.
deprecation_warnings() { dmesg | grep -c 'move_charge_at_immigrate) is deprecated'; }

# ---- cgroup v2 -----------------------------------------------------------------
# v2_setup [MOUNT_OPTS]: cgroup2 with memory and hugetlb for children; the
# memory controller may take a few seconds to come back from a v1 hierarchy
# that was just unmounted (its dying memcgs are freed asynchronously).
v2_setup() {
	local i
	mkdir -p "$V2"
	mountpoint -q "$V1" && umount "$V1" 2>/dev/null
	if mountpoint -q "$V2"; then
		[ -z "${1:-}" ] || mount -o remount,"$1" "$V2" || die "remount cgroup2 -o $1"
	else
		mount -t cgroup2 ${1:+-o "$1"} none "$V2" || die "mount cgroup2 ${1:-}"
	fi
	for i in $(seq 1 100); do
		grep -qw memory "$V2/cgroup.controllers" && break
		# Still bound to an unmounted v1 hierarchy after 2 s: a removed
		# memcg there still charges clean page cache; drop it.
		[ "$i" = 10 ] && { sync; echo 3 >/proc/sys/vm/drop_caches; }
		sleep 0.2
	done
	grep -qw memory "$V2/cgroup.controllers" ||
		die "memory controller still on a v1 hierarchy ($(grep -w memory /proc/cgroups)): a removed v1 memcg still holds charges"
	v2_clean	# left by an experiment that timed out
	echo "+memory +hugetlb" >"$V2/cgroup.subtree_control" || die "enable memory on cgroup2"
}
# v2_clean: every child cgroup removed (its tasks moved to the root first).
v2_clean() {
	local g p
	for g in "$V2"/*/; do
		[ -d "$g" ] || continue
		while read -r p; do echo "$p" >"$V2/cgroup.procs"; done <"$g/cgroup.procs"
		rmdir "$g" || die "rmdir $g"
	done
}
# v2_done: the children removed, the controllers released, unmounted.
v2_done() {
	v2_clean
	echo "-memory -hugetlb" >"$V2/cgroup.subtree_control"
	umount "$V2"
}
