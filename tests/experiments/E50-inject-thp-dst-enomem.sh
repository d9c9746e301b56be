# E50: the destination allocation of a PMD THP fails once (-ENOMEM injected at alloc_migration_target): split and retry, or fail?
# seed: issue 22 (catalogue: "a split (6.12) or a failure (6.1)")
# setup: one written 2 MiB anon THP on node 0 (pages thp); inject at=alloc_migration_target fail=ENOMEM count=1, scope=mmlab
# op: migrate len=2M node=1; vmstat thp_migration_*, pgmigrate_success; kpageflags and move_pages of the result
# expect: fired=1 thp_migration_split=1 thp_migration_success=0 thp_migration_fail=1 pgmigrate_success=512 new_thp=0 first_node=1 last_node=1 anon_huge_kb=0 split=512
# expect 6.1: migrated=512 zeropage=0
# expect 6.12: migrated=510 zeropage=2
# predict 6.1: thp_migration_split=0 new_thp=1 first_node=0
# predict 6.12: thp_migration_split=1 new_thp=0 first_node=1
# fast: yes
# Predictions as the catalogue (issue 22) put them.  Source: 6.12
# migrate_pages_batch() on -ENOMEM: "if (is_large && !nosplit)"
# try_split_folio(), the pieces migrate in a second batch; it counts the THP
# failed too (nr_thp_failed += is_thp), and the split maps the helper's two
# zero-filled pages to the zero page (mmlab: result=zeropage; the kernel
# still counts them in pgmigrate_success).  Debian's 6.1 migrate_pages()
# has the same split on -ENOMEM ("if (is_thp && !nosplit)" try_split_thp())
# and counts the THP failed as well: the catalogue's 6.1 prediction is
# refuted; tests/28_split_reason shows the same split with dst=pool.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
load
# khugepaged would collapse the migrated pieces into a THP again (seen on
# the lab kernel: AnonHugePages 2048 kB when smaps was read): it sleeps an
# hour between scans while this runs, as in tests/28_split_reason.
khugepaged_sleep
start_pages thp
exec 7<>"$D/control"
echo "inject at=alloc_migration_target fail=ENOMEM count=1" >&7 || die "inject"
note "$(cat <&7)"
vm_snap thp_migration_split thp_migration_success thp_migration_fail pgmigrate_success
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=2M node=1"
S=$(sum_line "$REPLY_TEXT"); note "$S"
note "$(mig_line "$REPLY_TEXT")"
obs fired "$(while read -r l; do field fired "$l"; done <"$D/injections")"
for v in thp_migration_split thp_migration_success thp_migration_fail pgmigrate_success; do
	obs "$v" "$(vm_delta "$v")"
done
obs migrated "$(field migrated "$S")"
obs zeropage "$(field zeropage "$S")"
obs split "$(field split "$S")"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs new_thp "$(kpf "$NEW" "$KPF_THP")"
obs first_node "$(node_of "$PG_PID" "$PG_ADDR")"
obs last_node "$(node_of "$PG_PID" $((PG_ADDR + 2097152 - 4096)))"
obs anon_huge_kb "$(smaps_kb "$PG_PID" "$PG_ADDR" $((PG_ADDR + 2097152)) AnonHugePages)"
exec 7>&-
