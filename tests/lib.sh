# shellcheck shell=bash
# Helpers for mmlab's shell tests (sourced).  Each test runs as root in the
# guest (or on a test machine), with the module unloaded at start.
set -u
D=/sys/kernel/debug/mmlab
CTL=$MMLAB_ROOT/build/tests/ctl

die() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "$*"; }

load() { insmod "$MMLAB_KO" kcall="$MMLAB_KCALL" "$@" || die "insmod $*"; }
unload() { rmmod mmlab || die "rmmod"; }

# shellcheck disable=SC2034 # REPLY_TEXT and ERR are for the tests
# cmd LINE: one command on its own open file.  Sets REPLY_TEXT and ERR
# (errno name, or "" when the write succeeded).
cmd() {
	local e
	e=$(mktemp)
	REPLY_TEXT=$("$CTL" "$1" 2>"$e")
	ERR=$(sed -n 's/^errno=\([A-Z0-9]*\).*/\1/p' "$e" | tail -n 1)
	rm -f "$e"
}

expect_eq() { # ACTUAL EXPECTED WHAT
	[ "$1" = "$2" ] || die "$3: got '$1', expected '$2'"
}

expect_match() { # TEXT ERE WHAT
	printf '%s\n' "$1" | grep -qE -- "$2" || die "$3: '$1' does not match /$2/"
}

# counter NAME: one counter from the stats file.
counter() {
	awk -v n="$1" '$1 == n { print $2; found = 1 } END { if (!found) exit 1 }' "$D/stats" ||
		die "no counter $1"
}

# field KEY TEXT: the value of KEY= in a logfmt line.
field() {
	printf '%s\n' "$2" | grep -oE "(^| )$1=(\"[^\"]*\"|[^ ]*)" | head -n 1 |
		sed -E "s/^ ?$1=//; s/^\"(.*)\"$/\\1/"
}

kernel_is_612() { case "$(uname -r)" in 6.12.*) return 0 ;; esac; return 1; }
