# shellcheck shell=bash disable=SC2034
# Shared functions of the large-folio experiments (E41-E47), sourced after
# tests/experiments/lib.sh.
THP=/sys/kernel/mm/transparent_hugepage
KPF_COMPOUND_HEAD=15 KPF_COMPOUND_TAIL=16

# The THP knobs an experiment changes, restored when it exits.
KNOBS=()
knob() { # FILE VALUE: remember FILE's [selected] word, then write VALUE
	local v
	v=$(<"$1") || die "read $1"
	[[ $v =~ \[([a-z]+)\] ]] && v=${BASH_REMATCH[1]}
	KNOBS+=("$1=$v")
	echo "$2" >"$1" || die "write $2 to $1"
}
knobs_restore() {
	local i
	for ((i = ${#KNOBS[@]} - 1; i >= 0; i--)); do echo "${KNOBS[i]#*=}" >"${KNOBS[i]%=*}"; done
	KNOBS=()
}
trap 'knobs_restore; cleanup' EXIT

# mthp_only KB: only the anon multi-size THP of KB gets allocated, in
# MADV_HUGEPAGE regions (the helper's): that size "madvise", every other
# size, 2 MiB too, "never".  6.12 only.
mthp_only() {
	local f
	for f in "$THP"/hugepages-*kB/enabled; do
		if [ "$f" = "$THP/hugepages-${1}kB/enabled" ]; then
			knob "$f" madvise
		else
			knob "$f" never
		fi
	done
}

# no_mthp: on a kernel without multi-size THP (6.1), what the page helper
# answers for one (exit 95, EOPNOTSUPP, and why): the experiment's answer.
no_mthp() {
	local out rc
	out=$("$PAGES" mthp --order 4 </dev/null 2>&1)
	rc=$?
	note "pages mthp --order 4: exit $rc: $out"
	obs mthp_rc "$rc"
	if [[ $out == *"this kernel has no anon multi-size THP"* ]]; then
		obs mthp_reason no_mthp_sysfs
	else
		obs mthp_reason unknown
	fi
}

# has_mthp: the kernel has multi-size THP (its 64 KiB size); else 1,
# after no_mthp's observations (the experiment's answer there).
has_mthp() {
	[ -d "$THP/hugepages-64kB" ] && return 0
	no_mthp
	return 1
}

# kpf_order PFN: the order of the folio whose head is PFN, from the run of
# KPF_COMPOUND_TAIL pages after it in /proc/kpageflags (0: not compound;
# "tail": PFN is a tail page).
kpf_order() {
	local -a w
	local n=1 o=0
	mapfile -t w < <("$PEEK" /proc/kpageflags "$1" 513)
	if (( (w[0] >> KPF_COMPOUND_TAIL) & 1 )); then echo tail; return; fi
	if (( !((w[0] >> KPF_COMPOUND_HEAD) & 1) )); then echo 0; return; fi
	while (( n < ${#w[@]} && ((w[n] >> KPF_COMPOUND_TAIL) & 1) )); do n=$((n + 1)); done
	while (( (1 << o) < n )); do o=$((o + 1)); done
	echo "$o"
}

# kpf_sum PFN N BIT: how many of the N pages from PFN have kpageflags BIT.
kpf_sum() {
	local -a w
	local x s=0
	mapfile -t w < <("$PEEK" /proc/kpageflags "$1" "$2")
	for x in "${w[@]}"; do s=$(( s + ((x >> $3) & 1) )); done
	echo "$s"
}

# kpc PFN N: the N pages' /proc/kpagecount, joined with "_".
kpc() { local s; s=$("$PEEK" /proc/kpagecount "$1" "$2" | tr '\n' _); echo "${s%_}"; }

# mstat KB NAME: an mTHP stats counter of the KB size (6.12).
mstat() { echo "$(<"$THP/hugepages-${1}kB/stats/$2")"; }
