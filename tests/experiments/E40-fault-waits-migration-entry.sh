# E40: faults on migration entries wait, then see the new page
# seed: S001 l.66-71 (migration_entry_wait_on_locked); S004 l.9
# setup: rm_faulter: a thread stores an incrementing sequence number in each of 64 private anon pages in turn and reads it back, in a tight loop; probes: the migration set, migration_entry_wait, migration_entry_wait_on_locked, __migration_entry_wait (6.1)
# op: (1) stress op=migrate iterations=100 of the 64 pages (alternating node 0/1: all 64 unmapped, then copied one by one); (2) pin the first page, 10 migrate commands of it (10 attempts each), unpin; then stop the thread, which checks every page holds the last number it stored; the first page is also read through /proc/PID/mem
# expect: migrated=6400 stress_failed=0 waits>0 waits_on_locked>0 pinned_eagain=100 lost_writes=0 page_holds_last=1 writer_iters>1000 hung_task_reports=0
# expect 6.1: inner_wait>0
# migration_entry_wait() is the fault side's entry; on 6.1 it goes through
# __migration_entry_wait() (inner_wait), on 6.12 straight to
# migration_entry_wait_on_locked(), which sleeps until the folio is
# unlocked without holding a reference (put_and_wait_on_page_locked's
# successor).  The catalogue's "module reads it back after each migration"
# is replaced by the writer's own check of every write and the final
# comparison: mmlab's inspect does not report page contents.  Waits are
# racy (the thread must fault inside the window): with one page they were
# 0-63 per 300 migrations on 6.1, hence 64 pages, which migrate_pages()
# unmaps together before copying them one by one; the pinned phase's
# waits are logged only.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-rmap.sh"
load
probes_on @migration migration_entry_wait migration_entry_wait_on_locked __migration_entry_wait
OUT=/tmp/e40.out
rm -f "$OUT"
start_helper "$RMH/rm_faulter" --mode rw --pages 64 --out "$OUT"
probes_snap
cmd "stress op=migrate pid=$PG_PID addr=$PG_ADDR len=$PG_LEN threads=1 iterations=100"
SS=$(sum_line "$REPLY_TEXT"); note "stress: $SS"
obs migrated "$(( $(field ok "$SS") * 64 - $(field pages_failed "$SS") ))"
obs stress_failed "$(field failed "$SS")"
obs waits "$(probe_d migration_entry_wait other)"
obs waits_on_locked "$(probe_d migration_entry_wait_on_locked other)"
kernel_is_612 || obs inner_wait "$(probe_d __migration_entry_wait other)"
note "remove_migration_pte $(probe_d remove_migration_pte mmlab)"

# Pinned: every attempt unmaps (migration entry) and remaps the page.
exec 7<>"$D/control"
echo "pin pid=$PG_PID addr=$PG_ADDR" >&7 || die pin
probes_snap
for _ in $(seq 1 10); do cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1"; done
note "pinned: $(mig_line "$REPLY_TEXT")"
obs pinned_eagain "$(probe_ret move_to_new_folio EAGAIN)"
note "pinned: migration_entry_wait $(probe_d migration_entry_wait other)"
note "pinned: remove_migration_pte $(probe_d remove_migration_pte mmlab)"
exec 7>&-

kill -USR1 "$PG_PID"
wait_file "$OUT" || die "rm_faulter wrote no result"
R=$(<"$OUT"); note "writer: $R"
obs lost_writes "$(field errors "$R")"
obs writer_iters "$(field iters "$R")"
# The page's first 8 bytes, little-endian, against the last number stored.
H=$(mem_hex "$PG_PID" "$PG_ADDR" 16)
V=0
for ((i = 14; i >= 0; i -= 2)); do V=$(( (V << 8) | 16#${H:i:2} )); done
obs page_holds_last "$([ "$V" = "$(field last0 "$R")" ] && echo 1 || echo 0)"
obs hung_task_reports "$(klog_count 'blocked for more than')"
cleanup_helpers
