# shellcheck shell=bash disable=SC2034
# Shared functions of the migration / THP experiments (E04-E19), sourced
# after tests/experiments/lib.sh.
MIG_REGION=$MMLAB_ROOT/build/tests/mig_region
declare -A RIN=() ROUT=()

# mig_start ARGS...: start helpers/mig_region with ARGS, wait for "ready";
# sets R_PID R_ADDR R_LEN.  rdo R_PID talks to it afterwards.
mig_start() {
	local fin fout line ready wfd rfd pid
	PAGES_N=$((PAGES_N + 1))
	fin=$PAGES_FIFO.in$PAGES_N fout=$PAGES_FIFO.out$PAGES_N
	mkfifo "$fin" "$fout" || die "mkfifo"
	"$MIG_REGION" "$@" <"$fin" >"$fout" &
	pid=$!
	HELPER_PIDS+=("$pid")
	exec {wfd}>"$fin" {rfd}<"$fout"
	RIN[$pid]=$wfd ROUT[$pid]=$rfd
	read -r -t 60 -u "$rfd" line
	read -r -t 60 -u "$rfd" ready
	[ "$ready" = ready ] || die "mig_region $*: not ready: '$line'"
	fieldv R_PID pid "$line"; fieldv R_ADDR addr "$line"; fieldv R_LEN len "$line"
}

# rdo PID LINE: one command to that mig_region; its reply in RDO (dies on err=).
rdo() {
	echo "$2" >&"${RIN[$1]}" || die "mig_region $1: write '$2'"
	read -r -t 120 -u "${ROUT[$1]}" RDO || die "mig_region $1: no reply to '$2'"
	[[ $RDO == ok* ]] || die "mig_region $1: '$2': $RDO"
}

# smaps_kb PID START END FIELD: FIELD (kB) summed over the vmas of PID that
# overlap [START, END).
smaps_kb() {
	local l s e in=0 sum=0 re='^([0-9a-f]+)-([0-9a-f]+) '
	while IFS= read -r l; do
		if [[ $l =~ $re ]]; then
			s=$((16#${BASH_REMATCH[1]})) e=$((16#${BASH_REMATCH[2]}))
			in=0; [ "$s" -lt "$(($3))" ] && [ "$e" -gt "$(($2))" ] && in=1
		elif [ "$in" = 1 ] && [[ $l == "$4:"* ]]; then
			l=${l#*:}; l=${l% kB}; sum=$((sum + l))
		fi
	done <"/proc/$1/smaps"
	echo "$sum"
}


# node_vm NODE NAME: a per-node vmstat counter (folded first).
node_vm() { kv "$2" "/sys/devices/system/node/node$1/vmstat"; }

# kpf_count PID OFF LEN BIT: how many pages of a mig_region's range (hex
# offsets) map a pfn with kpageflags BIT; swapped_count PID OFF LEN: how
# many are swap entries.  (The helper reads pagemap and kpageflags itself:
# one exec per page would take a minute under TCG.)
kpf_count() { rdo "$1" "kpf $2 $3 $4"; field n "$RDO"; }
swapped_count() { rdo "$1" "kpf $2 $3 0"; field swapped "$RDO"; }

# A cgroup-v2 memcg for the experiment's own shell and its children, for
# memory.reclaim (pages are charged where they fault: enter before that).
CG=/sys/fs/cgroup/mmlab-mig
cg_enter() {
	local root=/sys/fs/cgroup
	grep -q " $root cgroup2 " /proc/mounts || mount -t cgroup2 none "$root" || die "mount cgroup2"
	grep -qw memory "$root/cgroup.subtree_control" ||
		echo +memory >"$root/cgroup.subtree_control" || die "cgroup2 memory controller (bound to v1?)"
	mkdir -p "$CG"
	echo $$ >"$CG/cgroup.procs" || die "enter $CG"
	trap 'cleanup; cg_leave' EXIT
}
# Leaving gives the memory controller back (a later charge-move experiment
# needs it free to mount the cgroup-v1 hierarchy).
cg_leave() {
	echo $$ >/sys/fs/cgroup/cgroup.procs 2>/dev/null
	rmdir "$CG" 2>/dev/null
	echo -memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
}
# cg_reclaim BYTES: memory.reclaim (it fails with EAGAIN when it could not
# reclaim that much: not an error here).
cg_reclaim() { echo "$1" >"$CG/memory.reclaim" 2>/dev/null; return 0; }
