# E51: buffer_migrate_folio() fails a dirty ext4 page-cache page with an injected -EBUSY, once and every time
# seed: S003 12/12 (E09's dirty ext4 page); issue 22
# setup: ext4 on brd; a 1-page file synced, mapped MAP_SHARED, then overwritten with write(2): a dirty folio with buffers, never synced (as E09)
# op: inject at=buffer_migrate_folio fail=EBUSY count=1, migrate node=1; then count=0 on a second such page; the injections file's hits/fired, vmstat, kpageflags dirty
# expect: once_fired=1 once_dirty=1 always_result=failed always_err=EBUSY always_node=0 always_fail=1 always_dirty=1
# expect 6.1: once_result=failed once_hits=1 once_node=0 once_fail=1 always_hits=1
# expect 6.12: once_result=migrated once_hits=2 once_node=1 once_fail=0 always_hits=2
# predict 6.1: once_result=failed once_hits=1 always_hits=1
# predict 6.12: once_result=migrated once_hits=2 always_hits=2
# fast: yes
# Predictions from the source: ext4's a_ops->migrate_folio is
# buffer_migrate_folio() (ext4_aops, ext4_da_aops); -EBUSY is a permanent
# failure in both kernels' loops.  6.1 gives up on the folio at once;
# 6.12's migrate_pages_sync() retries every folio its async pass failed in
# a sync pass, so a one-time -EBUSY is survived there.  Either way the
# page stays dirty: nothing was written back (buffer_migrate_folio() did
# not run).
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_ext4
exec 7<>"$D/control"
one() { # NAME FILE INJECT-KEYS
	local new
	mig_start --file "$EXT4/$2" --len 4096
	rdo "$R_PID" "pwrite 0 1000 77"
	inject_on "at=buffer_migrate_folio $3"
	vm_snap pgmigrate_fail
	cmd "migrate pid=$R_PID addr=$R_ADDR node=1"
	mig_result_obs "$1" "$REPLY_TEXT"
	obs "$1_node" "$(node_of "$R_PID" "$R_ADDR")"
	obs "$1_fail" "$(vm_delta pgmigrate_fail)"
	new=$(pagemap_pfn "$R_PID" "$R_ADDR")
	obs "$1_dirty" "$(kpf "$new" "$KPF_DIRTY")"
	inject_obs "$1"
	echo "uninject" >&7 && cat <&7 >/dev/null
	cleanup_helpers
}
one once e51a "fail=EBUSY count=1"
one always e51b "fail=EBUSY count=0"
exec 7>&-
