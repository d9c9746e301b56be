# E12: a missed mlock (munlock while the page was isolated) is restored by reclaim's referenced walk
# seed: S003 2/12; S002
# setup: ext4 file page mapped MAP_SHARED and mlocked by two processes P1 and P2 (build/tests/hold_mlockfile); mmlab isolate holds it off the LRU while P1 munlocks; mmlab putback
# op: inspect; isolate; P1 munlock(); putback; inspect (the missed mlock); rmap action=referenced, the folio_referenced() walk shrink_folio_list() makes; inspect
# expect: locked_before=11 p2_vmlck_kb=4 missed_after_putback=00 referenced_vm_flags=read,shared,locked restored=11 pfn_same=1 unevictable_pgs_mlocked=1 unevictable_pgs_culled=1 unevictable_pgs_rescued=1 unevictable_pgs_stranded=1 unevictable_pgs_munlocked=0
# predict 6.1: missed_after_putback=00 restored=11 unevictable_pgs_mlocked=1 unevictable_pgs_culled=1
# predict 6.12: missed_after_putback=00 restored=11 unevictable_pgs_mlocked=1 unevictable_pgs_culled=1
# fast: yes
# Bits are KPF_MLOCKED then KPF_UNEVICTABLE of /proc/kpageflags.  Off the
# LRU the mlock_count is not kept, so P1's munlock clears PG_mlocked though
# P2 still has the page in a VM_LOCKED vma.  The referenced walk meets P2's
# vma, calls mlock_vma_folio() and reports VM_LOCKED, which makes reclaim
# cull the page to the unevictable list instead of reclaiming it.  The
# unevictable_pgs_* deltas are counted from the isolate on, so they include
# the munlock and putback (measured on both: the munlock of the isolated page
# counts stranded, the putback rescued, the walk mlocked and culled); per-CPU batches are drained by the lru_add_drain_all()
# of a migration of an unrelated page before each look.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
HOLD=$MMLAB_ROOT/build/tests/hold_mlockfile
load
setup_ext4
F=$EXT4/e12
dd if=/dev/urandom of="$F" bs=4096 count=1 status=none && sync
start_pages anon			# an unrelated page: migrating it drains per-CPU batches
DRAIN_PID=$PG_PID DRAIN_ADDR=$PG_ADDR
drain() { cmd "migrate pid=$DRAIN_PID addr=$DRAIN_ADDR"; }
start_helper "$HOLD" "$F"; P1=$PG_PID A1=$PG_ADDR
start_helper "$HOLD" "$F"; P2=$PG_PID A2=$PG_ADDR
bits() { local pfn; pfn=$(pagemap_pfn "$P2" "$A2"); echo "$(kpf "$pfn" $KPF_MLOCKED)$(kpf "$pfn" $KPF_UNEVICTABLE)"; }
drain
PFN0=$(pagemap_pfn "$P2" "$A2")
obs locked_before "$(bits)"
vm_snap unevictable_pgs_mlocked unevictable_pgs_munlocked unevictable_pgs_culled unevictable_pgs_rescued unevictable_pgs_stranded
exec 7<>"$D/control"
echo "isolate pid=$P1 addr=$A1" >&7 || die "isolate"
kill -USR1 "$P1"
for _ in $(seq 50); do [ "$(kv VmLck: "/proc/$P1/status")" = 0 ] && break; sleep 0.1; done
[ "$(kv VmLck: "/proc/$P1/status")" = 0 ] || die "P1 did not munlock"
obs p2_vmlck_kb "$(kv VmLck: "/proc/$P2/status")"
echo "putback" >&7 || die "putback"
exec 7>&-
drain
obs missed_after_putback "$(bits)"
cmd "rmap pid=$P2 addr=$A2 action=referenced"
[ -z "$ERR" ] || die "rmap action=referenced: $ERR $REPLY_TEXT"
note "$(sum_line "$REPLY_TEXT")"
obs referenced_vm_flags "$(field referenced_vm_flags "$(sum_line "$REPLY_TEXT")")"
drain
obs restored "$(bits)"
obs pfn_same "$([ "$(pagemap_pfn "$P2" "$A2")" = "$PFN0" ] && echo 1 || echo 0)"
for c in mlocked munlocked culled rescued stranded; do obs "unevictable_pgs_$c" "$(vm_delta "unevictable_pgs_$c")"; done
