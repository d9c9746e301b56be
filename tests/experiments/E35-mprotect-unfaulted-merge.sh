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
vma_start
# mid_ac: 1 when the vma holding the middle range has "ac" in VmFlags.
mid_ac() { [[ " $(vma_flags_at $((ADDR + MB * 4096))) " == *" ac "* ]] && echo 1 || echo 0; }
committed() { echo 1 >/proc/sys/vm/stat_refresh; kv Committed_AS: /proc/meminfo; }

vma_step "map $((3 * MB)) r"
ADDR=$(hexnum "$(field addr "$R")"); fieldv LEN len "$R"
C0=$(committed)
vma_step "prot $MB $MB rw"
obs rw_vmas "$(vma_count)"
obs rw_mid_ac "$(mid_ac)"
obs rw_splits "$(pdelta __split_vma hits)"
obs rw_committed_mb $(( ($(committed) - C0 + 512) / 1024 ))
vma_step "prot $MB $MB r"
note "unfaulted rw -> r: vma_merge/modify calls $(pdelta vma_merge hits) ret_0 $(pdelta vma_merge ret_0), freed $(pdelta vm_area_free hits)"
obs ro_vmas "$(vma_count)"
obs ro_mid_ac "$(mid_ac)"
obs ro_freed "$(pdelta vm_area_free hits)"
kernel_is_612 || obs ro_merge_null "$(pdelta vma_merge ret_0)"
obs ro_committed_mb $(( ($(committed) - C0 + 512) / 1024 ))

# Variant: faulted while writable (an anon_vma): 3 vmas on both kernels.
vma_step "map $((3 * MB)) r"
ADDR=$(hexnum "$(field addr "$R")"); fieldv LEN len "$R"
vma_step "prot $MB $MB rw"
vma_step "touch $MB"
vma_step "prot $MB $MB r"
obs faulted_vmas "$(vma_count)"
obs faulted_mid_ac "$(mid_ac)"
obs faulted_freed "$(pdelta vm_area_free hits)"
vma_stop
echo clear >"$P"
