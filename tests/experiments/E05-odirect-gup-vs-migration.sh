# E05: stress (10 s): transient GUP references from O_DIRECT reads vs migration's refcount check
# seed: S004 (folio_migrate_mapping's refcount check moved forward; Matthew's question)
# setup: ext4 on brd; rm_faulter --mode dio: a thread zeroes one private anon page and pread()s a 4 KiB file into it with O_DIRECT, checking the pattern, in a loop; probes: the migration set, __migrate_folio and __folio_migrate_mapping (ret, 6.12), get_user_pages_fast, pin_user_pages_fast, try_grab_folio, migration_entry_wait
# op: mmlab stress op=migrate on that page for 10 s (1 thread, alternating node 0/1); then 200 single migrate commands whose replies classify each failure (attempts=0: gave up before move_to_new_folio; attempts>0: the refcount check); stop the reader
# expect: dio_reads>100 dio_lost=0 dio_io_errors=0 stress_failed=0 migrated>100 pages_failed>0
# expect 6.1: gup=get io_pin_fast=0 io_get_fast>100 move_eagain>0 fail_before_move=0
# expect 6.12: gup=pin io_pin_fast>100 io_get_fast<=10 move_eagain=0 early_eagain=0 mapping_eagain=0 fail_in_move=0
# Measured (the catalogue's open point 5): the block layer takes the user
# buffer with get_user_pages_fast() (FOLL_GET) on 6.1 and with
# pin_user_pages_fast() (FOLL_PIN, iov_iter_extract_pages) on 6.12.  No
# read is ever lost (the buffer always holds the file's bytes) and no
# migration proceeds while the read holds its reference, but by different
# mechanisms: on 6.1 the unmap goes ahead and move_to_new_folio() fails
# with -EAGAIN (the refcount check; folio_migrate_mapping); on 6.12 the
# pinned exclusive anon page cannot be unmapped (try_to_migrate_one stops:
# the E03 pattern), so the page fails before any copy and
# move_to_new_folio, __migrate_folio and __folio_migrate_mapping never
# return -EAGAIN: the catalogue's 6.12 classification (early check vs
# freeze) does not arise, Matthew's window cannot be reached this way.
# Mapped-page GUP-fast on 6.12 also cannot take a reference after the
# unmap: it finds a migration entry and falls back to the slow path,
# which waits (migration_entry_wait).  The io_get_fast on 6.12 are other
# callers (a few).
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-rmap.sh"
load
setup_ext4
probes_on @migration "__migrate_folio ret" "__folio_migrate_mapping ret" get_user_pages_fast pin_user_pages_fast try_grab_folio migration_entry_wait
OUT=/tmp/e05.out
rm -f "$OUT"
start_helper "$RMH/rm_faulter" --mode dio --file "$EXT4/e05-dio" --out "$OUT"
probes_snap
cmd "stress op=migrate pid=$PG_PID addr=$PG_ADDR threads=1 seconds=10"
SS=$(sum_line "$REPLY_TEXT"); note "stress: $SS"
# 200 single migrations, their failures classified by mmlab's replies.
L=()
for ((i = 0; i < 200; i++)); do L+=("migrate pid=$PG_PID addr=$PG_ADDR node=$((i & 1))"); done
C=$("$MMLAB" write "${L[@]}" 2>&1)
note "200 commands: migrated $(grep -c 'result=migrated' <<<"$C"), failed: $(grep -o 'result=failed.*' <<<"$C" | sed 's/ expected_refs=[0-9]* refs=[0-9]*//' | sort | uniq -c | tr '\n' ';')"
obs fail_before_move "$(grep -c 'result=failed.* attempts=0' <<<"$C")"
obs fail_in_move "$(grep -c 'result=failed.* attempts=[1-9]' <<<"$C")"
kill -USR1 "$PG_PID"
wait_file "$OUT" || die "rm_faulter wrote no result"
R=$(<"$OUT"); note "reader: $R"
obs dio_reads "$(field iters "$R")"
obs dio_lost "$(field errors "$R")"
obs dio_io_errors "$(field io_errors "$R")"
obs stress_failed "$(field failed "$SS")"
obs migrated "$(( $(field ok "$SS") - $(field pages_failed "$SS") ))"
obs pages_failed "$(field pages_failed "$SS")"
obs move_eagain "$(probe_ret move_to_new_folio EAGAIN)"
note "move_to_new_folio: $(pline move_to_new_folio)"
note "try_grab_folio $(probe_d try_grab_folio other), migration_entry_wait $(probe_d migration_entry_wait other)"
G=$(probe_d get_user_pages_fast other) PN=$(probe_d pin_user_pages_fast other)
obs io_get_fast "$G"
obs io_pin_fast "$PN"
obs gup "$( ((G > PN)) && echo get || echo pin)"
if kernel_is_612; then
	obs early_eagain "$(probe_ret __migrate_folio EAGAIN)"
	obs mapping_eagain "$(probe_ret __folio_migrate_mapping EAGAIN)"
	note "$(pline __migrate_folio)"
	note "$(pline __folio_migrate_mapping)"
else
	note "folio_migrate_mapping: $(pline folio_migrate_mapping)"
fi
cleanup_helpers
