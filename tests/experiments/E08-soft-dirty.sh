# E08: soft-dirty survives migration (anon and MAP_SHARED ext4 file pages)
# seed: S003 10/12
# setup: two 2-page regions (private anon; MAP_SHARED ext4 file); clear_refs 4 (soft-dirty cleared); page 0 of each written, page 1 left untouched
# op: migrate both pages of each region to node 1; pagemap bit 55 before and after
# expect: anon_b_dirty_pte=1 file_b_dirty_pte=0 anon_sd_before=10 anon_migrated=2 file_sd_before=10 file_sd_after=10 file_migrated=2
# expect 6.1: anon_sd_after=11
# expect 6.12: anon_sd_after=10
# fast: yes
# anon_sd_*/file_sd_*: the soft-dirty bits of page 0 (A, written after
# clear_refs) and page 1 (B, untouched since), in that order.
# Soft-dirty is never lost.  But on 6.1 the untouched anon page B comes
# out soft-dirty (catalogue: "clear for B"); on 6.12 it stays clear.  B's
# pte was dirty (filled before clear_refs, which clears soft-dirty and
# write-protects but keeps the dirty bit: anon_b_dirty_pte=1); 6.1's
# remove_migration_pte() evidently rebuilds it with pte_mkdirty(), which on
# x86 sets _PAGE_SOFT_DIRTY as well (both kernels' pgtable.h), and 6.12's
# does not.  The file page B was only read (clean pte) and stays clear on
# both.  A spurious soft-dirty bit (an extra page for CRIU to dump), not a
# lost one.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
setup_ext4
# sd PID ADDR: the soft-dirty bits (pagemap bit 55) of two pages.
sd() {
	local e s=
	for e in $("$PEEK" "/proc/$1/pagemap" $(( $2 / 4096 )) 2); do s+=$(( (e >> 55) & 1 )); done
	echo "$s"
}
# one NAME ARGS...: the experiment on one region.
one() {
	local name=$1 old new; shift
	mig_start --len 8192 "$@"
	echo 4 >"/proc/$R_PID/clear_refs"
	rdo "$R_PID" "write 0"
	obs "${name}_sd_before" "$(sd "$R_PID" "$R_ADDR")"
	page_line "$R_PID" $((R_ADDR + 4096))
	obs "${name}_b_dirty_pte" "$(field dirty_pte "$PL")"
	old=$(pagemap_pfns "$R_PID" "$R_ADDR" 2)
	cmd "migrate pid=$R_PID addr=$R_ADDR len=8K node=1"
	note "$(sum_line "$REPLY_TEXT")"
	new=$(pagemap_pfns "$R_PID" "$R_ADDR" 2)
	obs "${name}_migrated" "$(paste <(echo "$old") <(echo "$new") | awk '$1 != $2 && NF == 2' | wc -l)"
	obs "${name}_sd_after" "$(sd "$R_PID" "$R_ADDR")"
}
one anon
one file --file "$EXT4/e08"
