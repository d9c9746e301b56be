# What mmlab says on a kernel that lacks a symbol (issue 19.6, 19.10,
# 19.11), made with the kcall_deny= and kcall_as= test parameters: the
# variables swapper_spaces and total_forks (in kallsyms only with
# CONFIG_KALLSYMS_ALL), a function every range verb calls, the rmap walk,
# and a function resolved only as a compiler clone.  Each capability says
# no with the reason, the commands answer EOPNOTSUPP with it, and what
# still runs says what it could not check.  Oracle for the migration that
# still runs: move_pages(2) status.
. "$MMLAB_ROOT/tests/lib.sh"
require_nodes 2
start_pages anon
A=$PG_ADDR P=$PG_PID

# Without the two variables.
load kcall_deny=swapper_spaces,total_forks
f=$(cat "$D/features")
expect_match "$f" '^sym:swapper_spaces no reason="treated as absent: kcall_deny= module parameter"$' \
	"swapper_spaces absent"
expect_match "$f" '^swapcache no reason="needs swapper_spaces: treated as absent' "swapcache capability"
expect_match "$f" '^rmap_fork_check no reason="needs total_forks: ' "rmap_fork_check capability"
cmd "migrate pid=$P addr=$A node=1 swapcache=1"
expect_eq "$ERR" EOPNOTSUPP "migrate swapcache=1 without swapper_spaces"
expect_match "$REPLY_TEXT" 'swapcache=1 needs swapper_spaces' "migrate swapcache=1: reason"
cmd "rmap pid=$P addr=$A"
expect_match "$REPLY_TEXT" '^summary op=rmap .* fork_check=no' "rmap says its fork check is off"
cmd "scan pid=$P addr=$A"
expect_match "$REPLY_TEXT" '^summary op=scan .* fork_check=no ok=yes$' "scan says its fork check is off"
unload

# With them, nothing says so.
load
cmd "rmap pid=$P addr=$A"
[[ $REPLY_TEXT == *fork_check=* ]] && die "rmap: fork_check= with total_forks present"
unload

# Without the page-table walker every verb that walks says no; the
# releases (unpin, unlock, putback) never do.
load kcall_deny=walk_page_range
f=$(cat "$D/features")
for v in inspect migrate rmap pin lock isolate scan copy; do
	expect_match "$f" "^$v no reason=\"needs walk_page_range: treated as absent" "$v gated on walk_page_range"
done
for v in unpin unlock putback; do
	expect_match "$f" "^$v yes\$" "$v needs nothing"
done
cmd "scan pid=$P addr=$A"
expect_eq "$ERR" EOPNOTSUPP "scan without walk_page_range"
cmd "copy pid=$P addr=$A node=1"
expect_eq "$ERR" EOPNOTSUPP "copy without walk_page_range"
unload

# Without the rmap walk: scan and rmap say no; migrate runs, but not verify=1.
load kcall_deny=rmap_walk
f=$(cat "$D/features")
expect_match "$f" '^scan no reason="needs rmap_walk: ' "scan gated on rmap_walk"
expect_match "$f" '^rmap no reason="needs rmap_walk: ' "rmap gated on rmap_walk"
cmd "scan pid=$P addr=$A"
expect_eq "$ERR" EOPNOTSUPP "scan without rmap_walk"
cmd "migrate pid=$P addr=$A node=1 verify=1"
expect_eq "$ERR" EOPNOTSUPP "migrate verify=1 without rmap_walk"
expect_match "$REPLY_TEXT" 'verify=1 needs rmap_walk' "verify=1: reason"
cmd "migrate pid=$P addr=$A node=1"
expect_match "$REPLY_TEXT" 'summary op=migrate pages=1 migrated=1 ' "migrate without verify"
expect_eq "$("$NODEOF" "$P" "$A")" 1 "migrated: move_pages node status"
unload

# A compiler clone is found (for probes) but never called: its arguments
# may not be the prototype's.  Any short .constprop.0 function of the
# kernel's text will do (between _stext and _etext: not freed init code;
# same-width hex addresses compare as strings).
clone=$(awk '$3 == "_stext" { s = $1 } $3 == "_etext" { e = $1 }
	s && !e && $2 ~ /^[tT]$/ && $3 ~ /^[a-z_0-9]+\.constprop\.0$/ && length($3) < 40 { c = $3 }
	e && c { print c; exit }' /proc/kallsyms)
[ -n "$clone" ] || die "no .constprop.0 function in /proc/kallsyms"
load "kcall_as=lru_add_drain_all=$clone"
f=$(cat "$D/features")
note "$(grep -F "$clone" <<<"$f")"
expect_match "$f" "^sym:${clone//./\\.} yes via=(kprobe|kallsyms) callable=no reason=\"only a compiler clone" \
	"clone found, not callable"
expect_match "$f" "^isolate no reason=\"cannot call ${clone//./\\.}: only a compiler clone" "isolate gated"
expect_eq "$(counter kcall_missed)" 0 "nothing called"
unload
