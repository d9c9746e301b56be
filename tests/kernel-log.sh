# shellcheck shell=bash
# tests/kernel-log.sh — the kernel-log gate: the one list of what, in a
# guest's kernel log, fails a run.  Sourced (no exec: a guest exec costs
# ~0.1 s) by scripts/vm, tests/run, tests/experiments/run and
# scripts/demo-guest, which grep -E the log for "$KLOG_BAD".
#
# A report that comes from mmlab is a defect in mmlab, to fix; never add an
# exception here.  Each line is an ERE; the debug kernels' boot banners
# ("kasan: KernelAddressSanitizer initialized", lockdep's "Lock dependency
# validator") match none of them.
KLOG_PATTERNS=(
	'BUG:'                          # every BUG: ... report, incl. the next three
	'BUG: KASAN'
	'BUG: sleeping function called from invalid context'
	'Bad page'                      # BUG: Bad page state / map
	'Bad rss-counter'
	'kernel BUG at'                 # BUG_ON, VM_BUG_ON*
	'VM_BUG_ON'
	'page dumped because'           # dump_page() under VM_BUG_ON_*/VM_WARN_*
	'page_table_check'
	'WARNING:'                      # WARN*, incl. suspicious RCU usage
	'suspicious RCU usage'
	'possible circular locking dependency'
	'possible recursive locking'
	'inconsistent lock state'
	'refcount_t:'
	'Oops'
	'general protection fault'
	'list_(add|del) corruption'
	'UBSAN'
	'Call Trace:'
)
# shellcheck disable=SC2034 # read by the scripts that source this
KLOG_BAD=$(IFS='|'; printf '%s' "${KLOG_PATTERNS[*]}")

# klog_mark LINE: write a marker line into the kernel log; klog_after LINE
# prints what was logged after the last such marker, and klog_since LINE
# the problem reports among it, each with the KLOG_CONTEXT lines before it
# (a bare "Call Trace:" says nothing without its header: "INFO: task ...
# blocked", "rcu: ... stall", ...).  A marker, not a line count: once the
# ring buffer has wrapped, the count stays put while old lines fall off,
# and a count shows the wrong lines.
KLOG_CONTEXT=4
klog_mark() { echo "$1" >/dev/kmsg; }
klog_after() {
	dmesg | awk -v m="$1" 'index($0, m) { n = NR } { l[NR] = $0 }
		END { for (i = n + 1; i <= NR; i++) print l[i] }'
}
klog_since() { klog_after "$1" | grep -E -B "$KLOG_CONTEXT" "$KLOG_BAD"; }
