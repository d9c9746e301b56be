# The features file: kernel and module lines, one line per capability in
# the documented form, and what each Debian kernel really has.
. "$MMLAB_ROOT/tests/lib.sh"
load
f=$(cat "$D/features")
note "$f"

expect_eq "$(field release "$(grep '^kernel ' <<<"$f")")" "$(uname -r)" "kernel release"
expect_match "$f" '^module name=mmlab version=[0-9]+\.[0-9]+\.[0-9]+$' "module line"
expect_match "$f" '^ibt kernel=(yes|no) cpu=(yes|no) enforced=(yes|no)$' "ibt line"
expect_match "$f" '^kcall mode=[a-z]+ path=(direct|redirect) direct_refused=(yes|no) selftest=ok$' "kcall line"
for cap in inspect migrate rmap move_charge pin unpin stress probes tracepoints reset selftest; do
	expect_match "$f" "^$cap (yes|no reason=\"[^\"]+\")\$" "capability $cap"
done
expect_match "$f" '^reset yes$' "reset"
expect_match "$f" '^selftest yes$' "selftest"
expect_match "$f" '^rmap yes$' "rmap"
expect_match "$f" '^sym:total_forks yes via=kallsyms ' "total_forks (rmap's race detection)"
expect_match "$f" '^probes yes$' "probes"
expect_match "$f" '^tracepoints yes$' "tracepoints"

if kernel_is_612; then
	# Debian 6.12: CONFIG_X86_KERNEL_IBT=y, CONFIG_MEMCG_V1 unset.
	grep -q '^CONFIG_MEMCG_V1=y' "/boot/config-$(uname -r)" && die "6.12 config has MEMCG_V1"
	expect_match "$f" '^move_charge no reason=".*CONFIG_MEMCG_V1.*"$' "6.12 move_charge"
	expect_match "$f" '^sym:mem_cgroup_move_account no ' "6.12 has no mem_cgroup_move_account"
	expect_match "$f" '^ibt kernel=yes ' "6.12 IBT kernel"
	cmd 'move_charge pid=1 addr=0x1000 to=/a'
	expect_eq "$ERR" EOPNOTSUPP "6.12 move_charge errno"
	expect_match "$REPLY_TEXT" 'CONFIG_MEMCG_V1' "6.12 move_charge reason"
else
	expect_match "$f" '^sym:mem_cgroup_move_account yes ' "6.1 has mem_cgroup_move_account"
	expect_match "$f" '^ibt kernel=no ' "6.1 no IBT"
fi
# QEMU (TCG) does not emulate IBT, so it is never enforced in the guest.
expect_match "$f" ' enforced=no$' "IBT not enforced under QEMU"
# Every symbol the migrate/rmap capabilities need exists on both kernels
# (hugetlb isolation is folio_isolate_hugetlb(page) on 6.1, isolate_hugetlb(folio) on 6.12).
if kernel_is_612; then hi=isolate_hugetlb; else hi=folio_isolate_hugetlb; fi
for s in kallsyms_lookup_name node_page_state walk_page_range migrate_pages \
	alloc_migration_target folio_isolate_lru $hi putback_movable_pages lru_add_drain_all \
	rmap_walk page_vma_mapped_walk folio_referenced; do
	expect_match "$f" "^sym:$s yes via=kprobe " "symbol $s"
done
# folio_mapcount(): out of line (not exported) on 6.1, inline on 6.12.
if kernel_is_612; then
	expect_match "$f" '^sym:folio_mapcount no reason="inline in this kernel"$' "folio_mapcount 6.12"
else
	expect_match "$f" '^sym:folio_mapcount yes via=kprobe callable=yes$' "folio_mapcount 6.1"
fi
for cap in inspect migrate pin unpin; do
	expect_match "$f" "^$cap yes\$" "capability $cap available"
done
unload
