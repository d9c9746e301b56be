/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of mmlab's verbs, parse-error classes and counters.
 *
 * The module's `stats` file, the parser, the README and the tests all take
 * their names from here, so they cannot disagree.  Plain C: it is included
 * by the module and by user-space tools and unit tests alike.
 */
#ifndef MMLAB_COUNTERS_H
#define MMLAB_COUNTERS_H

/*
 * Each list is LIST(X, a) and calls X(a, ...) per entry, so a list can be
 * expanded inside another macro that passes its own argument along.
 */

/* Every verb of the control file: X(a, name). */
#define MMLAB_VERBS(X, a)	\
	X(a, inspect)		\
	X(a, migrate)		\
	X(a, rmap)		\
	X(a, move_charge)	\
	X(a, pin)		\
	X(a, unpin)		\
	X(a, stress)		\
	X(a, reset)		\
	X(a, selftest)

/* Why a line was rejected before it ran: X(a, name, text). All are EINVAL. */
#define MMLAB_PARSE_ERRORS(X, a)					\
	X(a, empty_line,	"empty command")			\
	X(a, too_long,		"line longer than 4096 bytes")		\
	X(a, nul,		"embedded NUL byte")			\
	X(a, multiple,		"more than one command in one write")	\
	X(a, unknown_verb,	"unknown verb")				\
	X(a, syntax,		"expected key=value")			\
	X(a, unknown_key,	"unknown key")				\
	X(a, duplicate_key,	"duplicate key")			\
	X(a, empty_value,	"empty value")				\
	X(a, bad_number,	"malformed number")			\
	X(a, overflow,		"number overflows")			\
	X(a, bad_suffix,	"bad size suffix")			\
	X(a, bad_value,		"value not allowed")			\
	X(a, out_of_range,	"value out of range")			\
	X(a, missing_key,	"missing required key")			\
	X(a, conflict,		"keys that exclude each other")

/* errnos a failed write is counted under (err_NAME); others: err_other. */
#define MMLAB_ERRNOS(X, a)	\
	X(a, EINVAL)		\
	X(a, ESRCH)		\
	X(a, EFAULT)		\
	X(a, ENXIO)		\
	X(a, ENOENT)		\
	X(a, EOPNOTSUPP)	\
	X(a, EPERM)		\
	X(a, EBUSY)		\
	X(a, EAGAIN)		\
	X(a, ENOMEM)		\
	X(a, EINTR)		\
	X(a, E2BIG)		\
	X(a, ENODEV)

#define MMLAB__VERB_C(C, v)		C(v##_attempts) C(v##_ok) C(v##_failed)
#define MMLAB__PARSE_C(C, name, text)	C(parse_##name)
#define MMLAB__ERRNO_C(C, e)		C(err_##e)

/*
 * Every counter, in print order: C(name).  Invariants the tests check:
 *   commands = commands_ok + sum(err_*)
 *   err_EINVAL >= sum(parse_*)
 *   VERB_attempts = VERB_ok + VERB_failed
 */
#define MMLAB_COUNTERS(C)				\
	C(commands)					\
	C(commands_ok)					\
	MMLAB_ERRNOS(MMLAB__ERRNO_C, C)			\
	C(err_other)					\
	MMLAB_PARSE_ERRORS(MMLAB__PARSE_C, C)		\
	MMLAB_VERBS(MMLAB__VERB_C, C)			\
	C(kcall_calls_direct)				\
	C(kcall_calls_redirected)			\
	C(kcall_missed)

#define MMLAB__CTR_ENUM(name) MMLAB_CTR_##name,
enum mmlab_counter {
	MMLAB_COUNTERS(MMLAB__CTR_ENUM)
	MMLAB_NR_COUNTERS
};

#endif /* MMLAB_COUNTERS_H */
