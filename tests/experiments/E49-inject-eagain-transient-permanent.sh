# E49: the retry loop meets an injected -EAGAIN once (transient) vs every time (permanent), and a permanent -EBUSY
# seed: S004 (the refcount check's -EAGAIN); issue 22
# setup: three written private anon pages on node 0; inject at=folio_migrate_mapping (6.12: __folio_migrate_mapping, 6.1: folio_migrate_mapping), scope=mmlab
# op: inject fail=EAGAIN count=1, migrate page 0; inject fail=EAGAIN count=0, migrate page 1; inject fail=EBUSY count=0, migrate page 2; each with the injections file's hits/fired and vmstat
# expect: once_result=migrated once_hits=2 once_fired=1 once_node=1 once_success=1 once_fail=0 always_result=failed always_err=EAGAIN always_hits=10 always_node=0 always_fail=1 busy_result=failed busy_err=EBUSY busy_node=0 busy_fail=1
# expect 6.1: busy_hits=1
# expect 6.12: busy_hits=2
# predict: once_hits=2 once_success=1 always_hits=10 always_fail=1
# predict 6.1: busy_hits=1
# predict 6.12: busy_hits=2
# fast: yes
# Predictions from the source: 6.1 migrate_pages() retries -EAGAIN for 10
# passes ("pass < 10 && retry") and drops a folio on any other error;
# 6.12 migrate_pages_sync() runs migrate_pages_batch() async with 3 tries
# (NR_MAX_MIGRATE_ASYNC_RETRY), then each folio still on the list sync
# with 7 (NR_MAX_MIGRATE_SYNC_RETRY): 10 in all for -EAGAIN; a permanent
# error in the async pass goes back to the list too ("All failed folios
# except split THPs will be retried"), so -EBUSY is met twice.  (The 6.12
# EBUSY count was first seen in tests/33_inject, then read in the source.)
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
start_pages anon --len 12288
exec 7<>"$D/control"
one() { # NAME PAGE INJECT-KEYS
	local a=$((PG_ADDR + $2 * 4096))
	inject_on "at=folio_migrate_mapping $3"
	vm_snap pgmigrate_success pgmigrate_fail
	cmd "migrate pid=$PG_PID addr=$a node=1"
	mig_result_obs "$1" "$REPLY_TEXT"
	obs "$1_node" "$(node_of "$PG_PID" "$a")"
	obs "$1_success" "$(vm_delta pgmigrate_success)"
	obs "$1_fail" "$(vm_delta pgmigrate_fail)"
	inject_obs "$1"
	echo "uninject" >&7 && cat <&7 >/dev/null
}
one once 0 "fail=EAGAIN count=1"
one always 1 "fail=EAGAIN count=0"
one busy 2 "fail=EBUSY count=0"
exec 7>&-
