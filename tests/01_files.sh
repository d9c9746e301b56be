# The debugfs file set, its modes, and who may open it: root with
# CAP_SYS_ADMIN only (a non-root user and root without CAP_SYS_ADMIN are
# refused), and an open file keeps the module from unloading.
. "$MMLAB_ROOT/tests/lib.sh"
load

expect_eq "$(stat -c '%a %U' "$D")" "700 root" "directory mode"
for f in control:600 stats:600 probes:600 features:400 injections:400; do
	expect_eq "$(stat -c '%a %U' "$D/${f%%:*}")" "${f#*:} root" "mode of ${f%%:*}"
done
expect_eq "$(find "$D" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ')" "control features injections probes stats " "file set"

# A non-root user cannot even reach the directory.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$MMLAB" write reset 2>&1)
rc=$?
expect_eq "$rc" 13 "non-root open: exit status (EACCES)"
expect_match "$out" 'errno=EACCES' "non-root open"

# Root without CAP_SYS_ADMIN passes the file mode but not mmlab's check.
for f in control stats features probes injections; do
	out=$(setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin \
		"$MMLAB" write --file "$D/$f" reset 2>&1)
	rc=$?
	expect_eq "$rc" 1 "root without CAP_SYS_ADMIN opening $f: exit status (EPERM)"
	expect_match "$out" 'errno=EPERM' "root without CAP_SYS_ADMIN opening $f"
done

# With the capability it works.
cmd reset
expect_eq "$ERR" "" "root reset"
expect_match "$REPLY_TEXT" '^summary op=reset ' "reset reply"

# probes: none attached at load; a malformed write is refused.
expect_eq "$(<"$D/probes")" "" "probes file empty at load"
echo "migrate_pages" 2>/dev/null >"$D/probes" && die "probes write without +/- accepted"

# An open file pins the module: rmmod fails with EBUSY until it is closed.
exec 3<>"$D/control"
rmmod mmlab 2>/dev/null && die "rmmod succeeded while control was open"
grep -qw mmlab /proc/modules || die "module gone while open"
exec 3>&-
unload
note "file set, modes and access checks as documented"
