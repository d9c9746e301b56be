# E35: mprotect on an unfaulted private anon range: re-merge and VM_ACCOUNT (DIFFERENCE)
# seed: S001 l.72-103 ("mm/mprotect: allow unfaulted VMAs to be unaccounted on mprotect()")
# setup: the vma helper maps 3 x 64 MiB PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS (not accounted); the vma probe set attached; Committed_AS from /proc/meminfo
# op: mprotect(middle 64 MiB, RW), then mprotect(middle, R) without touching it; variant: the same with one page of the middle written while RW (it gets an anon_vma)
# expect: rw_vmas=3 rw_mid_ac=1 rw_committed_mb>=56 rw_splits=2 faulted_vmas=3 faulted_mid_ac=1 faulted_freed=0
# expect 6.1: ro_vmas=3 ro_mid_ac=1 ro_committed_mb>=56 ro_freed=0 ro_merge_null=1
# expect 6.12: ro_vmas=1 ro_mid_ac=0 ro_committed_mb<=8 ro_freed=2
# fast: yes
# Committed_AS is a per-CPU counter read without summing (off by up to
# about 2 x 1024 pages on this 2-CPU, 2 GiB guest), hence 64 MiB ranges and
# MiB bounds: 64 accounted, 0 not.  tests/16_vma.sh asserts the same for
# 1-page ranges.  6.1's vma_merge() returns NULL when it merges nothing
# (ret_0); 6.12's vma_modify() returns a vma either way, so ro_merge_null
# is 6.1 only.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
load
P=$D/probes
echo "+@vma" >"$P" || die "attach @vma"
MB=16384	# pages in 64 MiB
coproc VMA { exec "$MMLAB_ROOT/build/tests/vma"; }
read -r -t 30 -u "${VMA[0]}" R || die "vma helper did not start"
fieldv VPID pid "$R"

# step CMD: one helper command, the probes read before and after with
# built-ins only (a fork of this shell splits and frees vmas of its own).
step() {
	# shellcheck disable=SC2034  # B and A: read by pdelta
	B=$(<"$P")
	echo "$1" >&"${VMA[1]}"
	read -r -t 30 -u "${VMA[0]}" R || die "vma helper: no answer to '$1'"
	# shellcheck disable=SC2034
	A=$(<"$P")
	MAPS=$(<"/proc/$VPID/maps")
	SMAPS=$(<"/proc/$VPID/smaps")
	[[ $R == ok* ]] || die "vma helper: '$1': $R"
}
nvmas() {
	local r n=0 s e
	while read -r r _; do
		s=$((16#${r%-*})); e=$((16#${r#*-}))
		((s < ADDR + LEN && e > ADDR)) && n=$((n + 1))
	done <<<"$MAPS"
	echo "$n"
}
# mid_ac: 1 when the vma holding the middle range has "ac" in VmFlags.
mid_ac() {
	local l s e in=0 a=$((ADDR + MB * 4096))
	while IFS= read -r l; do
		if [[ $l =~ ^([0-9a-f]+)-([0-9a-f]+)\  ]]; then
			s=$((16#${BASH_REMATCH[1]})); e=$((16#${BASH_REMATCH[2]}))
			in=$((s <= a && a < e))
		elif [ "$in" = 1 ] && [[ $l == VmFlags:* ]]; then
			[[ " ${l#VmFlags:} " == *" ac "* ]] && echo 1 || echo 0
			return
		fi
	done <<<"$SMAPS"
}
committed() { echo 1 >/proc/sys/vm/stat_refresh; kv Committed_AS: /proc/meminfo; }

step "map $((3 * MB)) r"
ADDR=$(hexnum "$(field addr "$R")"); fieldv LEN len "$R"
C0=$(committed)
step "prot $MB $MB rw"
obs rw_vmas "$(nvmas)"
obs rw_mid_ac "$(mid_ac)"
obs rw_splits "$(pdelta __split_vma hits)"
obs rw_committed_mb $(( ($(committed) - C0 + 512) / 1024 ))
step "prot $MB $MB r"
note "unfaulted rw -> r: vma_merge/modify calls $(pdelta vma_merge hits) ret_0 $(pdelta vma_merge ret_0), freed $(pdelta vm_area_free hits)"
obs ro_vmas "$(nvmas)"
obs ro_mid_ac "$(mid_ac)"
obs ro_freed "$(pdelta vm_area_free hits)"
kernel_is_612 || obs ro_merge_null "$(pdelta vma_merge ret_0)"
obs ro_committed_mb $(( ($(committed) - C0 + 512) / 1024 ))

# Variant: faulted while writable (an anon_vma): 3 vmas on both kernels.
step "map $((3 * MB)) r"
ADDR=$(hexnum "$(field addr "$R")"); fieldv LEN len "$R"
step "prot $MB $MB rw"
step "touch $MB"
step "prot $MB $MB r"
obs faulted_vmas "$(nvmas)"
obs faulted_mid_ac "$(mid_ac)"
obs faulted_freed "$(pdelta vm_area_free hits)"
echo quit >&"${VMA[1]}"
# The helper's own pid: bash unsets VMA_PID once it reaps the coproc.
wait "$VPID" 2>/dev/null
echo clear >"$P"
