# E38: migration into module-owned destination pages: put_new accounting, dst untouched on failure
# seed: S003 6/12, 11/12
# setup: one written private anon page; migrate dst=pool gives order-0 pages of mmlab's own (filled with 0xa5) and takes unused ones back through put_new
# op: (a) migrate dst=pool node=1; (b) pin (FOLL_GET) a second page, migrate dst=pool node=1
# expect: a_result=migrated a_allocated=1 a_returned=0 a_contents_same=1 a_new_node=1 b_result=failed b_err=EAGAIN b_not_pristine=0
# expect 6.1: b_allocated=10 b_returned=10
# expect 6.12: b_allocated=2 b_returned=2
# predict 6.1: a_allocated=1 a_returned=0 b_allocated=10 b_returned=10 b_not_pristine=0
# predict 6.12: a_allocated=1 a_returned=0 b_allocated=10 b_returned=10 b_not_pristine=0
# fast: yes
# "Pristine" (module/migrate.c put_target): refcount 1, no mapping, not
# swap-backed, no memcg, unlocked, and still 0xa5 at both ends: not copied into.
# 6.1 vs 6.12 (measured): with the extra reference all 10 tries fail in
# move_to_new_folio() on both, but 6.1 asks for a new destination every try
# (10 allocated, 10 returned) while 6.12 keeps the source unmapped and its
# destination across the retries of a pass: one for the async pass (3 tries)
# and one for the sync pass (7 tries), so 2 allocated and 2 returned.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
load
start_pages anon --len 8192
MEM0=$(mem_hex "$PG_PID" "$PG_ADDR")
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 dst=pool"
M=$(mig_line "$REPLY_TEXT"); S=$(sum_line "$REPLY_TEXT"); note "$M"; note "$S"
obs a_result "$(field result "$M")"
obs a_allocated "$(field allocated "$S")"
obs a_returned "$(field returned "$S")"
obs a_new_node "$(node_of "$PG_PID" "$PG_ADDR")"
obs a_contents_same "$([ "$(mem_hex "$PG_PID" "$PG_ADDR")" = "$MEM0" ] && echo 1 || echo 0)"
B=$((PG_ADDR + 4096))
exec 7<>"$D/control"
echo "pin pid=$PG_PID addr=$B" >&7 || die "pin"
cmd "migrate pid=$PG_PID addr=$B node=1 dst=pool"
M=$(mig_line "$REPLY_TEXT"); S=$(sum_line "$REPLY_TEXT"); note "$M"; note "$S"
exec 7>&-
obs b_result "$(field result "$M")"
obs b_err "$(field err "$M")"
obs b_allocated "$(field allocated "$S")"
obs b_returned "$(field returned "$S")"
obs b_not_pristine "$(field not_pristine "$S")"
