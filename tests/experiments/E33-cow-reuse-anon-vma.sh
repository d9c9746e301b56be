# E33: COW reuse moves the anon folio to the faulting VMA's own anon_vma
# seed: S001 l.339-358 (wp_can_reuse_anon_folio, folio_move_anon_rmap)
# setup: rm_cow: one written private anon page, forked and written one step at a time; probes on page_move_anon_rmap (6.1) / folio_move_anon_rmap (6.12), do_wp_page, wp_page_copy, and page_vma_mapped_walk (ret) to count the vmas an rmap walk visits
# op: (a) the catalogue's case: P writes X, forks C, C exits, P writes X. (b) the case where the anon_vma must change: P writes X, forks C, P zaps its pte (MADV_DONTNEED), C writes X
# expect: a_excl_start=1 a_excl_forked=0 a_mapcount_forked=2 a_excl_alone=0 a_move_anon_rmap=1 a_wp_copy=0 a_do_wp_page=1 a_pfn_same=1 a_excl_after=1 a_rmap_after=1/1/1 a_visited_after=1 b_excl_before=0 b_rmap_before=1/1/1 b_visited_before=2 b_move_anon_rmap=1 b_wp_copy=0 b_do_wp_page=1 b_pfn_same=1 b_excl_after=1 b_rmap_after=1/1/1 b_visited_after=1
# expect 6.1: wp_copy_probe=attached
# expect 6.12: wp_copy_probe=missing
# fast: yes
# mmlab does not report folio->mapping (the anon_vma pointer): inspect has
# the anon_exclusive flag, rmap the mappings found.  The anon_vma switch is
# seen instead through the vmas the kernel's rmap walk visits
# (page_vma_mapped_walk returns false once per visited vma, per walk): in
# (b), before C's write the folio still points at P's anon_vma, whose tree
# holds P's vma and C's (2 visited, 1 mapping); after the reuse it points
# at C's own anon_vma (1 visited).  In (a) P's folio already points at P's
# anon_vma, so the move changes nothing visible.  wp_page_copy is inlined
# on 6.12 (no probe): the pfn staying the same is the evidence there.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-rmap.sh"
load
probes_on "page_move_anon_rmap" "folio_move_anon_rmap" do_wp_page wp_page_copy "page_vma_mapped_walk ret"
MOVE=page_move_anon_rmap
[ -n "$(pline folio_move_anon_rmap)" ] && MOVE=folio_move_anon_rmap
[ -n "$(pline $MOVE)" ] || die "no anon rmap move function to probe"
obs wp_copy_probe "$([ -n "$(pline wp_page_copy)" ] && echo attached || echo missing)"

coproc COW { exec "$RMH/rm_cow"; }
# step CMD: one helper command; sets R.
step() {
	echo "$1" >&"${COW[1]}"
	read -r -t 30 -u "${COW[0]}" R || die "rm_cow: no answer to '$1'"
	[[ $R == ok* ]] || die "rm_cow: '$1': $R"
}
read -r -t 30 -u "${COW[0]}" R || die "rm_cow did not start"
PID=$(field pid "$R") ADDR=$(field addr "$R")
# visited PID ADDR X_rmap_Y: an rmap walk; obs X_rmap_Y=found/mapcount/
# kpagecount and X_visited_Y (vmas the kernel's walk visited, per walk).
visited() {
	local w0 w1 f0
	counterv w0 rmap_walks
	probes_snap
	cmd "rmap pid=$1 addr=$2"
	[ -z "$ERR" ] || die "rmap: $ERR"
	f0=$(probe_ret page_vma_mapped_walk 0)
	counterv w1 rmap_walks
	S=$(sum_line "$REPLY_TEXT")
	note "$3: $S (walks $((w1 - w0)), false returns $f0)"
	obs "$3" "$(field found "$S")/$(field mapcount "$S")/$(kpagecount "$(pagemap_pfn "$1" "$2")")"
	obs "${3%%_*}_visited_${3##*_}" $((f0 / (w1 - w0)))
}

# (a) fork, child exits, parent writes: reused in place.
page_line "$PID" "$ADDR"; obs a_excl_start "$(flag01 "$PL" anon_exclusive)"
step fork
page_line "$PID" "$ADDR"; obs a_excl_forked "$(flag01 "$PL" anon_exclusive)"
obs a_mapcount_forked "$(field mapcount "$PL")"
step reap
page_line "$PID" "$ADDR"; obs a_excl_alone "$(flag01 "$PL" anon_exclusive)"
PFN=$(pagemap_pfn "$PID" "$ADDR")
# The writer reads the probes around its own write fault (rm_cow.c says
# why: this shell's own post-fork writes would be counted too).
step write
note "a: P's write: $R"
obs a_move_anon_rmap "$(field move "$R")"
obs a_wp_copy "$(field copy "$R")"
obs a_do_wp_page "$(field wp "$R")"
obs a_pfn_same "$([ "$(pagemap_pfn "$PID" "$ADDR")" = "$PFN" ] && echo 1 || echo 0)"
page_line "$PID" "$ADDR"; obs a_excl_after "$(flag01 "$PL" anon_exclusive)"
visited "$PID" "$ADDR" a_rmap_after

# (b) fork, parent zaps its pte, child writes: the child reuses the page,
# which moves to the child's anon_vma.
step write
step fork
fieldv CPID child "$R"
step dontneed
page_line "$CPID" "$ADDR"; obs b_excl_before "$(flag01 "$PL" anon_exclusive)"
visited "$CPID" "$ADDR" b_rmap_before
PFN=$(pagemap_pfn "$CPID" "$ADDR")
step cwrite
note "b: C's write: $R"
obs b_move_anon_rmap "$(field move "$R")"
obs b_wp_copy "$(field copy "$R")"
obs b_do_wp_page "$(field wp "$R")"
obs b_pfn_same "$([ "$(pagemap_pfn "$CPID" "$ADDR")" = "$PFN" ] && echo 1 || echo 0)"
page_line "$CPID" "$ADDR"; obs b_excl_after "$(flag01 "$PL" anon_exclusive)"
visited "$CPID" "$ADDR" b_rmap_after
step reap
echo quit >&"${COW[1]}"
# The helper's own pid: bash unsets COW_PID once it reaps the coproc.
wait "$PID" 2>/dev/null
