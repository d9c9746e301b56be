# E10: a migrated mlocked small anon page comes out PageMlocked and unevictable
# seed: S003 2/12, 3/12
# setup: one written anon page, mlock()ed (pages mlock): mlocked and unevictable
# op: migrate node=1 verify=1; kpageflags of the new pfn; Mlocked and unevictable_pgs_* deltas; mlock/munlock probes
# expect: before=11 result=migrated checks=ok new_node=1 new_mlocked=1 new_unevictable=1 mlocked_kb=0 mlock_folio=1 munlock=1
# predict: unevictable_pgs_stranded=1 unevictable_pgs_rescued=1 unevictable_pgs_mlocked=1 unevictable_pgs_culled=1
# fast: yes
# munlock_* is munlock_page on 6.1 and munlock_folio on 6.12 (whichever
# exists), mlock_drain the same for mlock_page_drain_local/mlock_drain_local.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
probes_on @migration munlock_page munlock_folio mlock_page_drain_local mlock_drain_local
start_pages mlock
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs before "$(kpf "$OLD" "$KPF_MLOCKED")$(kpf "$OLD" "$KPF_UNEVICTABLE")"
U="unevictable_pgs_stranded unevictable_pgs_rescued unevictable_pgs_mlocked unevictable_pgs_munlocked unevictable_pgs_culled unevictable_pgs_cleared"
# shellcheck disable=SC2086
vm_snap $U
ML0=$(meminfo Mlocked)
probes_snap
cmd "migrate pid=$PG_PID addr=$PG_ADDR node=1 verify=1"
for u in $U; do obs "$u" "$(vm_delta "$u")"; done
obs mlocked_kb $(( $(meminfo Mlocked) - ML0 ))
M=$(mig_line "$REPLY_TEXT"); note "$M"
obs result "$(field result "$M")"
obs checks "$(field checks "$M")"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs new_node "$(node_of "$PG_PID" "$PG_ADDR")"
obs new_mlocked "$(kpf "$NEW" "$KPF_MLOCKED")"
obs new_unevictable "$(kpf "$NEW" "$KPF_UNEVICTABLE")"
obs mlock_folio "$(probe_d mlock_folio hits)"
obs munlock "$(( $(probe_d munlock_page hits) + $(probe_d munlock_folio hits) ))"
obs mlock_drain "$(( $(probe_d mlock_page_drain_local mmlab) + $(probe_d mlock_drain_local mmlab) ))"
