# The features file: kernel and module lines, one line per capability in
# the documented form, and what each kernel really has (as its config says).
. "$MMLAB_ROOT/tests/lib.sh"
load
f=$(cat "$D/features")
note "$f"

expect_eq "$(field release "$(grep '^kernel ' <<<"$f")")" "$(uname -r)" "kernel release"
expect_match "$f" '^module name=mmlab version=[0-9]+\.[0-9]+\.[0-9]+$' "module line"
expect_match "$f" '^reply max_bytes=16777216$' "reply cap line (MMLAB_REPLY_MAX, 16 MiB)"
expect_match "$f" '^ibt kernel=(yes|no) cpu=(yes|no) enforced=(yes|no)$' "ibt line"
expect_match "$f" '^kcall mode=[a-z]+ path=(direct|redirect) direct_refused=(yes|no) no_direct=(yes|no) live=yes selftest=ok$' "kcall line"
# Every verb of the control file has a line (it is gated by what it says).
list_verbs
for cap in "${LIST_VERBS[@]}" device_private swapcache rmap_fork_check probes tracepoints; do
	expect_match "$f" "^$cap (yes|no reason=\"[^\"]+\")\$" "capability $cap"
done
expect_match "$f" '^reset yes$' "reset"
expect_match "$f" '^selftest yes$' "selftest"
expect_match "$f" '^rmap yes$' "rmap"
expect_match "$f" '^sym:total_forks yes via=kallsyms ' "total_forks (rmap's race detection)"
expect_match "$f" '^rmap_fork_check yes$' "rmap_fork_check (total_forks)"
expect_match "$f" '^swapcache yes$' "swapcache (swapper_spaces)"
expect_match "$f" '^probes yes$' "probes"
expect_match "$f" '^tracepoints yes$' "tracepoints"

# The config line: the digest of the build dir's .config the module was
# built against (Debian's headers' copy has four lines more than /boot's:
# BUILD_SALT, module signing), the debug options as /boot's config says.
c=$(grep '^config ' <<<"$f")
cfg=/lib/modules/$(uname -r)/build/.config
read -r dg _ < <(sha1sum "$cfg")
expect_eq "$(field digest "$c")" "${dg:0:12}" "config digest = sha1 of $cfg"
for o in debug_vm:DEBUG_VM lockdep:PROVE_LOCKING kasan:KASAN page_owner:PAGE_OWNER \
	device_private:DEVICE_PRIVATE; do
	want=no; has_config "${o#*:}" && want=yes
	expect_eq "$(field "${o%%:*}" "$c")" "$want" "config ${o#*:}"
done

if memcg_v1; then
	# 6.1, and a 6.12 built with CONFIG_MEMCG_V1 (the lab kernel): the mover's
	# mem_cgroup_move_account() is there (static, found through kallsyms).
	expect_eq "$(field memcg_v1 "$c")" yes "memcg_v1 in the config line"
	expect_match "$f" '^move_charge yes$' "move_charge with cgroup-v1 memcg"
	expect_match "$f" '^sym:mem_cgroup_move_account yes ' "mem_cgroup_move_account found"
else
	# Debian 6.12: CONFIG_MEMCG_V1 unset.
	expect_eq "$(field memcg_v1 "$c")" no "memcg_v1 in the config line"
	expect_match "$f" '^move_charge no reason=".*CONFIG_MEMCG_V1.*"$' "move_charge without MEMCG_V1"
	expect_match "$f" '^sym:mem_cgroup_move_account no ' "no mem_cgroup_move_account"
	cmd 'move_charge pid=1 addr=0x1000 to=/a'
	expect_eq "$ERR" EOPNOTSUPP "move_charge errno without MEMCG_V1"
	expect_match "$REPLY_TEXT" 'CONFIG_MEMCG_V1' "move_charge reason"
fi
if has_config X86_KERNEL_IBT; then
	expect_match "$f" '^ibt kernel=yes ' "IBT kernel (CONFIG_X86_KERNEL_IBT=y)"
else
	expect_match "$f" '^ibt kernel=no ' "no IBT (CONFIG_X86_KERNEL_IBT unset)"
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
for cap in inspect migrate pin unpin lock unlock isolate putback scan copy stress; do
	expect_match "$f" "^$cap yes\$" "capability $cap available"
done
unload
