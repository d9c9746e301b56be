# E37: stress (8 rounds, under 60 s): munmap or exit while migration entries are installed
# seed: S003 8/12 (zap_pte_range counts a migration entry as anon or file through PageAnon)
# setup: ext4 on brd; per round rm_mapexit maps 32 private anon pages and 32 MAP_SHARED ext4 pages, all written, and forks a child sharing them (anon COW-shared); all pinned by mmlab (so every migrate attempt installs and removes migration entries in both processes, 10 times per page); probes: try_to_migrate_one, remove_migration_pte, exit_mmap
# op: stress op=migrate (2 threads) through the parent on the 64 pages; after 0-20 ms either the child exits (then the parent) or the parent munmaps both ranges (then exits); 8 rounds alternating; unpin
# expect: rounds=8 stopped=8 bad_errors=0 checks_failed=0 bad_rss=0 rss_negative=0 migrate_attempts>100 exits>=16
# mmlab holds the target's mm (mm_users) during each command, as
# move_pages(2) does, so the target's own exit_mmap() can only follow the
# command: the exit race is the child's exit, whose page tables hold
# migration entries of pages migrated through the parent.
# The catalogue's 1000 repetitions are cut to 8 rounds to stay short.
# Whether a zap met a migration entry is not directly visible (the zap
# path is inlined); the count of vmas unmapped by try_to_migrate_one()
# but not restored by remove_migration_pte() (the vma was gone first) is
# logged as evidence that the race was reached.  /proc/PID/status RssAnon
# and RssFile are read while the stress runs (rss_negative counts reads
# that were not numbers >= 0); the kernel's own check at exit, "BUG: Bad
# rss-counter state", is bad_rss.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-rmap.sh"
load
setup_ext4
swapoff -a
probes_on try_to_migrate_one remove_migration_pte exit_mmap
ROUNDS=8 STOPPED=0 BAD=0 CF=0 NEG=0
probes_snap
for ((r = 0; r < ROUNDS; r++)); do
	act="exit"; ((r & 1)) && act="munmap"
	start_helper "$RMH/rm_mapexit" --anon 32 --fpages 32 --file "$EXT4/e37-$r" --action $act --delay-us $(( (r * 1000) % 20000 ))
	exec 7<>"$D/control"
	echo "pin pid=$PG_PID addr=$PG_ADDR len=$PG_LEN" >&7 || die "pin"
	"$MMLAB" write "stress op=migrate pid=$PG_PID addr=$PG_ADDR len=$PG_LEN threads=2 seconds=5" >/tmp/e37.stress 2>&1 &
	SP=$!
	sleep 0.5	# the stress threads are running
	kill -USR1 "$PG_PID"
	# RssAnon/RssFile while the entries come and go (until it is gone).
	while read -r k v _; do
		case $k in RssAnon:|RssFile:) [[ $v =~ ^[0-9]+$ ]] || NEG=$((NEG + 1)) ;; esac
	done <"/proc/$PG_PID/status" 2>/dev/null
	wait "$SP"
	SS=$(grep -m1 '^summary ' /tmp/e37.stress)
	[ "$r" -lt 2 ] && note "round $r ($act): $SS"
	[[ $SS == *stopped=target_exited* ]] && STOPPED=$((STOPPED + 1))
	[ "$(errs_ok "$SS")" = 1 ] || { BAD=$((BAD + 1)); note "round $r: $SS"; }
	fieldv cf checks_failed "$SS"
	CF=$((CF + ${cf:-0}))
	exec 7>&-
	cleanup_helpers
done
TRY=$(probe_d try_to_migrate_one mmlab) REM=$(probe_d remove_migration_pte mmlab)
note "try_to_migrate_one $TRY, remove_migration_pte $REM: $((TRY - REM)) vma unmaps not restored (the vma went away first)"
obs rounds "$ROUNDS"
obs stopped "$STOPPED"
obs bad_errors "$BAD"
obs checks_failed "$CF"
obs rss_negative "$NEG"
obs migrate_attempts "$TRY"
obs exits "$(probe_d exit_mmap other)"
obs bad_rss "$(klog_count 'Bad rss-counter')"
