# shellcheck shell=bash disable=SC2034
# (SC2034: the variables set here are for the tests that source this file.)
# Helpers for mmlab's shell tests (sourced).  Each test runs as root in the
# guest (or on a test machine), with the module unloaded at start.
set -u
D=/sys/kernel/debug/mmlab
MMLAB=$MMLAB_ROOT/build/mmlab

die() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "$*"; }

load() { insmod "$MMLAB_KO" kcall="$MMLAB_KCALL" "$@" || die "insmod $*"; }
unload() { rmmod mmlab || die "rmmod"; }

# Under TCG every exec costs about 0.1 s, so the helpers below use bash
# built-ins where they can: that is most of a test's run time.
NL=$'\n'

# cmd LINE: one command on its own open file.  Sets REPLY_TEXT and ERR
# (errno name, or "" when the write succeeded).  mmlab write prints "errno=NAME" on
# stderr before the reply when the write fails.
cmd() {
	local out re="^errno=([A-Z0-9]+)[^$NL]*$NL?(.*)$"
	out=$("$MMLAB" write "$1" 2>&1)
	ERR=
	REPLY_TEXT=$out
	if [[ $out =~ $re ]]; then
		ERR=${BASH_REMATCH[1]}
		REPLY_TEXT=${BASH_REMATCH[2]}
	fi
}

expect_eq() { # ACTUAL EXPECTED WHAT
	[ "$1" = "$2" ] || die "$3: got '$1', expected '$2'"
}

expect_match() { # TEXT ERE WHAT: some line of TEXT matches ERE (as grep -E)
	local line
	while IFS= read -r line; do
		[[ $line =~ $2 ]] && return 0
	done <<<"$1"
	die "$3: '$1' does not match /$2/"
}

expect_no_match() { # TEXT ERE WHAT: no line of TEXT matches ERE
	local line
	while IFS= read -r line; do
		[[ $line =~ $2 ]] && die "$3: '$line' matches /$2/"
	done <<<"$1"
	return 0
}

# The "v" helpers below set a variable instead of printing: no subshell.
# On the lab kernel a fork of bash costs about 0.3 s under TCG, and every
# $(...) around a function is one.

# kvv VAR NAME FILE: VAR set to the value after NAME in a "name value"
# file; status 1 when NAME is not there.
kvv() {
	local _n _val _r
	while read -r _n _val _r; do
		[ "$_n" = "$2" ] && { printf -v "$1" '%s' "$_val"; return 0; }
	done <"$3"
	return 1
}

# kv NAME FILE: the same, printed.
kv() {
	local v
	kvv v "$1" "$2" || return 1
	printf '%s\n' "$v"
}

# counter NAME: one counter from the stats file; counterv VAR NAME into VAR.
counter() {
	kv "$1" "$D/stats" || die "no counter $1"
}
counterv() {
	kvv "$1" "$2" "$D/stats" || die "no counter $2"
}

# logfmt_value VAR KEY TEXT: VAR set to the value of the first KEY= in
# logfmt TEXT (quotes taken off); status 1, VAR "", when there is none.
logfmt_value() {
	local _v='' _re="(^|[ $NL])$2=(\"[^\"$NL]*\"|[^ $NL]*)" _rc=1
	[[ $3 =~ $_re ]] && _v=${BASH_REMATCH[2]} _rc=0
	_v=${_v#\"}
	printf -v "$1" '%s' "${_v%\"}"
	return "$_rc"
}

# fieldv VAR KEY TEXT: the same, always status 0 (for plain statements).
fieldv() {
	logfmt_value "$@"
	return 0
}

# field KEY TEXT: the value printed (for use inside a larger string);
# nothing at all when there is no KEY=.
field() {
	local v
	logfmt_value v "$1" "$2" || return 0
	printf '%s\n' "$v"
}

# has_flag LINE NAME: status 0 when NAME is one of the comma-separated
# flags= of LINE (an inspect page line); flag01 LINE NAME prints 1 or 0.
has_flag() {
	local f
	logfmt_value f flags "$1"
	[[ ,$f, == *",$2,"* ]]
}
flag01() { if has_flag "$1" "$2"; then echo 1; else echo 0; fi; }
# page_line PID ADDR: mmlab's inspect line of one page, in PL (dies when
# the module refuses).
page_line() {
	cmd "inspect pid=$1 addr=$2"
	[ -z "$ERR" ] || die "inspect $1 $2: $ERR $REPLY_TEXT"
	PL=$(grep -m1 '^page ' <<<"$REPLY_TEXT")
}

# skip REASON: this machine lacks what the test needs (kselftest's exit 4).
# tests/run reports it as "# SKIP", except in the guest, where everything
# is supposed to be there and a skip is a failure.
skip() { echo "SKIP: $*"; exit 4; }

# require_nodes N: N NUMA nodes with memory (has_memory is a list like 0-1).
require_nodes() {
	local r a b n=0 list
	list=$(<"/sys/devices/system/node/has_memory") 2>/dev/null || list=0
	for r in ${list//,/ }; do
		a=${r%-*} b=${r#*-}
		n=$((n + b - a + 1))
	done
	[ "$n" -ge "$1" ] || skip "needs $1 NUMA nodes with memory, this machine has $n ($list)"
}

# v1_mount DIR: the cgroup-v1 memory controller at DIR; status 1 when it
# cannot be.  It cannot while cgroup v2 uses it (systemd's default on a
# test machine); a controller just released by cgroup v2 is free once its
# dying memcgs are gone, so this tries for 10 s on a kernel that has v1.
v1_mount() {
	local i
	mkdir -p "$1"
	for i in $(seq 50); do
		mountpoint -q "$1" && return 0
		mount -t cgroup -o memory memory "$1" 2>/dev/null && return 0
		memcg_v1 || return 1
		[ "$i" = 50 ] || sleep 0.2
	done
	return 1
}
# v1_teardown DIR: every memcg under DIR emptied and removed, the hierarchy
# unmounted, so that the memory controller goes back to cgroup v2.  v1
# does not reparent page charges: a memcg that still charges pages (file
# system metadata, swap-cache leftovers) would keep the hierarchy alive,
# so each is reclaimed first (memory.force_empty), after a sync, and tried
# again for 5 s.  Status 1 when something stayed.
v1_teardown() {
	local g p left=0
	mountpoint -q "$1" 2>/dev/null || { rmdir "$1" 2>/dev/null; return 0; }
	sync
	for g in "$1"/*/; do
		[ -d "$g" ] || continue
		for _ in $(seq 25); do
			while read -r p; do echo "$p" >"$1/cgroup.procs" 2>/dev/null; done <"$g/cgroup.procs"
			echo 0 >"$g/memory.force_empty" 2>/dev/null
			rmdir "$g" 2>/dev/null && break
			sleep 0.2
		done
		[ -d "$g" ] && left=1
	done
	umount "$1" 2>/dev/null || left=1
	rmdir "$1" 2>/dev/null
	return "$left"
}
# mount_memcg_v1 DIR: v1_mount, or skip.
mount_memcg_v1() {
	v1_mount "$1" && return 0
	skip "cannot mount the cgroup-v1 memory controller (in use on cgroup v2? boot with systemd.unified_cgroup_hierarchy=0)"
}

require_cmd() { command -v "$1" >/dev/null || skip "needs $1 (${2:-apt-get install $1})"; }

kernel_is_612() { case "$(uname -r)" in 6.12.*) return 0 ;; esac; return 1; }
# What this kernel was built with (/boot/config-RELEASE: Debian's, or the
# one make lab-kernel installs): tests gate on config, not on the release.
has_config() { grep -q "^CONFIG_$1=[ym]" "/boot/config-$(uname -r)"; }
# cgroup-v1 memcg (and its charge mover): optional from 6.10 (MEMCG_V1),
# always there with MEMCG before.
memcg_v1() {
	local v maj min
	v=$(uname -r)
	maj=${v%%.*} min=${v#*.}
	min=${min%%[!0-9]*}
	if [ "$maj" -gt 6 ] || { [ "$maj" = 6 ] && [ "$min" -ge 10 ]; }; then
		has_config MEMCG_V1
	else
		has_config MEMCG
	fi
}

# ---- test pages -----------------------------------------------------------
PAGES=$MMLAB_ROOT/build/tests/pages
PAGES_FIFO=${TMPDIR:-/tmp}/mmlab-pages.$$
PAGES_N=0
NODEOF=$MMLAB_ROOT/build/tests/nodeof
HELPER_PIDS=()
cleanup_helpers() {
	local p
	for p in "${HELPER_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	HELPER_PIDS=()
}
cleanup() { cleanup_helpers; rm -f "$PAGES_FIFO".*; }
trap cleanup EXIT

# khugepaged_sleep: khugepaged sleeps an hour between scans until the test
# exits (writing the value wakes it for one scan, now), so that it cannot
# collapse split pieces of a MADV_HUGEPAGE range into a THP again (seen on
# the lab kernel within seconds).
khugepaged_sleep() {
	KH=/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs
	KH0=$(<"$KH")
	trap 'cleanup; echo "$KH0" >"$KH"' EXIT
	echo 3600000 >"$KH"
}

# start_pages KIND [ARGS...]: run the page helper, wait until it is ready;
# sets PG_PID PG_ADDR PG_LEN PG_CHILD PG_CHILD_ADDR PG_CHILDREN (space separated)
# and PG_LINE (the whole line).
start_pages() { start_helper "$PAGES" "$@"; }
# wait_jobs: wait for the background jobs that are not page helpers;
# fails when one of them did.
wait_jobs() {
	local j rc=0
	for j in $(jobs -p); do
		[[ " ${HELPER_PIDS[*]} " == *" $j "* ]] || wait "$j" || rc=1
	done
	return "$rc"
}
# start_helper PROGRAM [ARGS...]: the same for any helper that prints a
# "pid= addr= len=" line, then "ready".
start_helper() {
	local line ready fd fifo
	# A fifo per helper: the children of an earlier one may still hold
	# theirs open for writing while they exit.
	PAGES_N=$((PAGES_N + 1))
	fifo=$PAGES_FIFO.$PAGES_N
	mkfifo "$fifo" || die "mkfifo"
	"$@" >"$fifo" &
	HELPER_PIDS+=($!)
	exec {fd}<"$fifo"
	read -r -t 60 -u "$fd" line
	read -r -t 60 -u "$fd" ready
	exec {fd}<&-
	[ "$ready" = ready ] || die "$*: helper not ready: '$line'"
	fieldv PG_PID pid "$line"; fieldv PG_ADDR addr "$line"; fieldv PG_LEN len "$line"
	fieldv PG_CHILD child "$line"; fieldv PG_CHILD_ADDR child_addr "$line"
	fieldv PG_CHILDREN children "$line"
	PG_CHILDREN=${PG_CHILDREN//,/ }
	PG_LINE=$line
}

# u64 FILE INDEX: the INDEXth 64-bit word of a /proc binary file.
PEEK=$MMLAB_ROOT/build/tests/peek
u64() { "$PEEK" "$1" "$2"; }

# pagemap_pfn PID ADDR: pfn mapped at ADDR (decimal), "" when not present.
pagemap_pfn() {
	local e
	e=$("$PEEK" "/proc/$1/pagemap" $(( $2 / 4096 )))
	[ $(( (e >> 63) & 1 )) = 1 ] || return 0
	echo $(( e & ((1 << 55) - 1) ))
}
# zap_wait ADDR WHAT: SIGUSR2 to the page helper (its --usr2 action zaps
# part of its range), then wait up to 5 s until ADDR maps nothing.
zap_wait() {
	kill -USR2 "$PG_PID"
	for _ in $(seq 1 50); do
		[ -z "$(pagemap_pfn "$PG_PID" "$1")" ] && return
		sleep 0.1
	done
	die "$2 still mapped"
}
# pagemap_swapped PID ADDR: 1 when the pte is a swap entry.
pagemap_swapped() { echo $(( ($(u64 "/proc/$1/pagemap" $(( $2 / 4096 ))) >> 62) & 1 )); }

# kpf PFN BIT: one /proc/kpageflags bit (KPF_* numbers of the uapi header).
KPF_DIRTY=4 KPF_LRU=5 KPF_ANON=12 KPF_SWAPCACHE=13 KPF_SWAPBACKED=14 KPF_HUGE=17
KPF_UNEVICTABLE=18 KPF_KSM=21 KPF_THP=22 KPF_ZERO_PAGE=24 KPF_MLOCKED=33 KPF_WRITEBACK=8
kpf() { local f; f=$("$PEEK" /proc/kpageflags "$1"); echo $(( (f >> $2) & 1 )); }
kpagecount() { u64 /proc/kpagecount "$1"; }

# Parsed reply fields as numbers: hexnum 0x10 -> 16.
hexnum() { printf '%d' "$1"; }

# The bytes at ADDR of PID (LEN bytes) as hex, read through /proc/PID/mem.
mem_hex() { dd if="/proc/$1/mem" bs=4096 skip=$(( $2 / 4096 )) count=1 2>/dev/null | od -An -tx1 -v | tr -d ' \n' | head -c "${3:-64}"; }

# Per-CPU vmstat deltas reach /proc/meminfo up to a second late: fold them
# first (stat_refresh), or a fresh mlock() may not show in Mlocked yet.
meminfo() { echo 1 >/proc/sys/vm/stat_refresh; kv "$1:" /proc/meminfo; }
vmstat() { echo 1 >/proc/sys/vm/stat_refresh; kv "$1" /proc/vmstat; }

# ---- guest fixtures ---------------------------------------------------------
# ext4 on a brd ramdisk, at $EXT4 (page-cache and dirty-page tests).
setup_ext4() {
	EXT4=/tmp/mmlab-ext4
	mountpoint -q "$EXT4" && return
	modprobe brd rd_nr=1 rd_size=65536 || die "modprobe brd"
	mkfs.ext4 -q -F /dev/ram0 || die "mkfs.ext4"
	mkdir -p "$EXT4"
	mount -t ext4 /dev/ram0 "$EXT4" || die "mount ext4"
	# Dirty pages stay dirty while a test looks at them.
	sysctl -q vm.dirty_writeback_centisecs=0 vm.dirty_expire_centisecs=360000
}

# Swap on a loop device (not zram/brd: those are synchronous-I/O devices and
# do_swap_page() then skips the swap cache; see shared/notes/vm-boot.md).
setup_swap() {
	grep -q '^/dev/loop' /proc/swaps && return
	modprobe loop 2>/dev/null
	truncate -s 64M /tmp/mmlab-swap.img
	SWAPDEV=$(losetup -f --show /tmp/mmlab-swap.img) || die "losetup"
	mkswap -q "$SWAPDEV" >/dev/null || die "mkswap"
	swapon "$SWAPDEV" || die "swapon"
}

# N hugetlb pages of 2 MiB reserved on each node.
setup_hugetlb() {
	local n
	for n in 0 1; do
		echo "${1:-2}" >/sys/devices/system/node/node$n/hugepages/hugepages-2048kB/nr_hugepages
	done
}

ksmd() { # on|off
	local k=/sys/kernel/mm/ksm
	if [ "$1" = on ]; then
		echo 10 >$k/sleep_millisecs; echo 1000 >$k/pages_to_scan; echo 1 >$k/run
	else
		echo 0 >$k/run
	fi
}

# pagemap_pfns PID ADDR COUNT: the pfns of COUNT pages from ADDR, one a line
# ("" for a page not present), in one read.
pagemap_pfns() {
	"$PEEK" "/proc/$1/pagemap" $(( $2 / 4096 )) "$3" | while read -r e; do
			if [ $(( (e >> 63) & 1 )) = 1 ]; then echo $(( e & ((1 << 55) - 1) )); else echo; fi
		done
}

# wait_ksm: run ksmd until the helper's first page is merged (at most 60 s);
# leaves the last inspect reply in REPLY_TEXT.
wait_ksm() {
	ksmd on
	for _ in $(seq 1 300); do
		cmd "inspect pid=$PG_PID addr=$PG_ADDR"
		[ "$(field kind "$REPLY_TEXT")" = ksm ] && break
		sleep 0.2
	done
	ksmd off
}

# pline SYM [TEXT]: the line of probe SYM in TEXT (default: the probes file).
pline() {
	local l t
	t=${2-$(<"$D/probes")}
	while IFS= read -r l; do
		[[ $l == *" sym=$1 "* ]] && { printf '%s\n' "$l"; return 0; }
	done <<<"$t"
}
# pdelta SYM KEY: how much KEY of probe SYM moved from probes text $B to $A.
pdelta() {
	local a b
	a=$(field "$2" "$(pline "$1" "$A")"); b=$(field "$2" "$(pline "$1" "$B")")
	echo $(( ${a:-0} - ${b:-0} ))
}

# The vma helper (helpers/vma.c) as coprocess VMA, for counting what one
# mapping change does to the target's vmas (16_vma, E35).
# vma_start: VPID its pid.
vma_start() {
	coproc VMA { exec "$MMLAB_ROOT/build/tests/vma"; }
	read -r -t 30 -u "${VMA[0]}" R || die "vma helper did not start"
	fieldv VPID pid "$R"
}
# vma_step CMD: one helper command, R its answer; B and A the probes file
# before and after it, MAPS and SMAPS the target's after, all read with
# built-ins (a fork of this shell splits and frees vmas of its own, which
# the probes would count).
vma_step() {
	B=$(<"$D/probes")
	echo "$1" >&"${VMA[1]}"
	read -r -t 30 -u "${VMA[0]}" R || die "vma helper: no answer to '$1'"
	A=$(<"$D/probes")
	MAPS=$(<"/proc/$VPID/maps")
	SMAPS=$(<"/proc/$VPID/smaps")
	[[ $R == ok* ]] || die "vma helper: '$1': $R"
}
# vma_count: how many vmas of MAPS overlap [ADDR, ADDR+LEN).
vma_count() {
	local r n=0 s e
	while read -r r _; do
		s=$((16#${r%-*})); e=$((16#${r#*-}))
		((s < ADDR + LEN && e > ADDR)) && n=$((n + 1))
	done <<<"$MAPS"
	echo "$n"
}
# vma_flags_at ADDRESS: the VmFlags (of SMAPS) of the vma holding ADDRESS.
vma_flags_at() {
	local l s e in=0
	while IFS= read -r l; do
		if [[ $l =~ ^([0-9a-f]+)-([0-9a-f]+)\  ]]; then
			s=$((16#${BASH_REMATCH[1]})); e=$((16#${BASH_REMATCH[2]}))
			in=$((s <= $1 && $1 < e))
		elif [ "$in" = 1 ] && [[ $l == VmFlags:* ]]; then
			echo "${l#VmFlags: }"
			return
		fi
	done <<<"$SMAPS"
}
# vma_stop: the helper told to quit, and waited for by its own pid (bash
# unsets VMA_PID once it reaps the coproc).
vma_stop() {
	echo quit >&"${VMA[1]}"
	wait "$VPID" 2>/dev/null
}

# list_verbs: LIST_VERBS, the control file's verbs as include/mmlab_lists.h's
# MMLAB_VERB() entries name them (a new verb is checked without a test edit).
list_verbs() {
	local s re=$'\n''MMLAB_VERB\(([a-z_]+),'
	s=$(<"$MMLAB_ROOT/include/mmlab_lists.h")
	LIST_VERBS=()
	while [[ $s =~ $re ]]; do
		LIST_VERBS+=("${BASH_REMATCH[1]}")
		s=${s#*"${BASH_REMATCH[0]}"}
	done
	[ ${#LIST_VERBS[@]} -gt 0 ] || die "no MMLAB_VERB() read from include/mmlab_lists.h"
}
