# VMA split and merge under mprotect(), counted by the vma probe set and
# checked against /proc/PID/maps and smaps (issue 6, E35; seed S001
# "mm/mprotect: allow unfaulted VMAs to be unaccounted on mprotect()").
# The helper changes its mappings one command at a time; each step reads
# the probes before and after with bash built-ins only (no fork, no exec:
# those split and free vmas too), so the deltas are exactly the step's.
. "$MMLAB_ROOT/tests/lib.sh"
load
P=$D/probes
echo "+@vma" >"$P" || die "attach @vma"
note "$(<"$P")"
for s in vma_merge __split_vma mprotect_fixup vm_area_free; do
	expect_match "$(pline "$s")" " as=[a-z_]+(\.[a-z]+\.[0-9])? .* hits=" "$s attached"
done

vma_start
# mapping N PROT: a fresh N-page mapping; sets ADDR and LEN.
mapping() {
	vma_step "map $1 $2"
	ADDR=$(hexnum "$(field addr "$R")"); fieldv LEN len "$R"
	expect_eq "$(vma_count)" 1 "map $1 $2: one vma"
}
# mid_flags: smaps VmFlags of the vma holding page 1 of the mapping.
mid_flags() { vma_flags_at $((ADDR + 4096)); }
# deltas: split, merge-probe and freed-vma counts of the last step.
deltas() {
	echo "split=$(pdelta __split_vma hits) merge_calls=$(pdelta vma_merge hits)" \
		"merge_null=$(pdelta vma_merge ret_0) freed=$(pdelta vm_area_free hits)" \
		"mprotect_fixup=$(pdelta mprotect_fixup ret_0)"
}

# 1. RW mapping: mprotect of the middle page splits it in three (two
# splits), restoring the protection merges the three back (two vmas freed).
mapping 3 rw
vma_step "prot 1 1 r"
D1=$(deltas); note "rw, middle -> r: vmas $(vma_count), $D1"
expect_eq "$(vma_count)" 3 "middle -> r: three vmas"
expect_eq "$(field split "$D1")/$(field freed "$D1")/$(field mprotect_fixup "$D1")" 2/0/1 \
	"middle -> r: two splits, no vma freed, one mprotect_fixup returning 0"
kernel_is_612 || expect_eq "$(field merge_null "$D1")" 1 "6.1: vma_merge found nothing to merge"
vma_step "prot 1 1 rw"
D2=$(deltas); note "middle -> rw: vmas $(vma_count), $D2"
expect_eq "$(vma_count)" 1 "middle -> rw: merged back into one vma"
expect_eq "$(field split "$D2")/$(field freed "$D2")" 0/2 "middle -> rw: no split, two vmas freed"
kernel_is_612 || expect_eq "$(field merge_calls "$D2")/$(field merge_null "$D2")" 1/0 \
	"6.1: one vma_merge, which merged"

# 2. E35: an unfaulted read-only private mapping, middle made writable
# (accounted: VM_ACCOUNT, "ac"), then read-only again without a fault.
mapping 3 r
vma_step "prot 1 1 rw"
expect_eq "$(vma_count)" 3 "unfaulted, middle -> rw: three vmas"
[[ " $(mid_flags) " == *" ac "* ]] || die "middle -> rw: not accounted: $(mid_flags)"
vma_step "prot 1 1 r"
D3=$(deltas); note "unfaulted, middle rw -> r: vmas $(vma_count), middle VmFlags '$(mid_flags)', $D3"
if kernel_is_612; then
	# mprotect_fixup() drops VM_ACCOUNT when !vma->anon_vma (the seed's
	# fix, mm/mprotect.c in 6.12): the flags match again and the three merge.
	expect_eq "$(vma_count)" 1 "6.12: unfaulted range merged back"
	[[ " $(mid_flags) " != *" ac "* ]] || die "6.12: still accounted: $(mid_flags)"
	expect_eq "$(field freed "$D3")" 2 "6.12: two vmas freed by the merge"
else
	# 6.1 keeps VM_ACCOUNT on the middle: it can never merge back.
	expect_eq "$(vma_count)" 3 "6.1: unfaulted range stays three vmas"
	[[ " $(mid_flags) " == *" ac "* ]] || die "6.1: accounting dropped: $(mid_flags)"
	expect_eq "$(field freed "$D3")/$(field merge_null "$D3")" 0/1 "6.1: vma_merge found nothing"
fi

# 3. The same, faulted while writable: it has an anon_vma, stays accounted
# and stays three vmas on both kernels.
mapping 3 r
vma_step "prot 1 1 rw"
vma_step "touch 1"
vma_step "prot 1 1 r"
D4=$(deltas); note "faulted, middle rw -> r: vmas $(vma_count), middle VmFlags '$(mid_flags)', $D4"
expect_eq "$(vma_count)" 3 "faulted: three vmas"
[[ " $(mid_flags) " == *" ac "* ]] || die "faulted: accounting dropped: $(mid_flags)"
expect_eq "$(field freed "$D4")" 0 "faulted: no vma freed"

vma_stop
echo clear >"$P" || die clear
unload
