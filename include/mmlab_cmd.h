/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab command grammar: `VERB key=value ...`, one command per write.
 *
 * Pure C shared by the module and by user-space unit tests: no kernel
 * headers, no allocation.  Parsing never guesses: anything outside the
 * grammar is rejected with EINVAL and a parse-error class.
 */
#ifndef MMLAB_CMD_H
#define MMLAB_CMD_H

#include "mmlab_counters.h"

#define MMLAB_LINE_MAX	4096		/* bytes in one command, newline excluded */
#define MMLAB_MAX_LEN	(256ULL << 20)	/* range cap: len= at most 256 MiB */
#define MMLAB_PATH_MAX	256		/* to= memcg path */
#define MMLAB_MAX_THREADS 16
#define MMLAB_MAX_SECONDS 300
#define MMLAB_MAX_ITERATIONS 10000000ULL

#define MMLAB_SYM_MAX	64		/* at= kernel function name */

enum mmlab_ktype { KT_NUM, KT_SIZE, KT_BOOL, KT_ENUM, KT_PATH, KT_SYM };

enum mmlab_key {
#define MMLAB_KEY(name, ...) MMLAB_KEY_##name,
#include "mmlab_lists.h"
	MMLAB_NR_KEYS
};

#define MMLAB_K(name) (1U << MMLAB_KEY_##name)

enum mmlab_verb {
#define MMLAB_VERB(name, ...) MMLAB_VERB_##name,
#include "mmlab_lists.h"
	MMLAB_NR_VERBS
};

enum mmlab_perr {
	MMLAB_PERR_none,
#define MMLAB_PERR(name) MMLAB_PERR_##name,
#include "mmlab_lists.h"
	MMLAB_NR_PERRS
};

/* Enum values, in the order their index is stored in cmd->num[]. */
enum { MMLAB_MODE_ASYNC, MMLAB_MODE_SYNC_LIGHT, MMLAB_MODE_SYNC };
enum { MMLAB_POLICY_KERNEL, MMLAB_POLICY_PRESENT, MMLAB_POLICY_SKIP_MAPPED };
enum { MMLAB_ACTION_LIST, MMLAB_ACTION_REFERENCED };
enum { MMLAB_OP_MIGRATE, MMLAB_OP_RMAP, MMLAB_OP_MOVE_CHARGE };
enum { MMLAB_PIN_GET, MMLAB_PIN_PIN };
enum { MMLAB_DST_KERNEL, MMLAB_DST_POOL, MMLAB_DST_LOCKED };
enum {
	MMLAB_REASON_SYSCALL, MMLAB_REASON_NUMA_MISPLACED, MMLAB_REASON_LONGTERM_PIN,
	MMLAB_REASON_COMPACTION, MMLAB_REASON_DEMOTION, MMLAB_REASON_MEMORY_FAILURE
};

enum { MMLAB_FAIL_EAGAIN, MMLAB_FAIL_EBUSY, MMLAB_FAIL_ENOMEM };
enum { MMLAB_SCOPE_MMLAB, MMLAB_SCOPE_PID, MMLAB_SCOPE_ALL };

struct mmlab_cmd {
	enum mmlab_verb verb;
	unsigned int present;				/* MMLAB_K() bits */
	unsigned long long num[MMLAB_NR_KEYS];		/* numbers, sizes, enum index */
	const char *str[MMLAB_NR_KEYS];			/* KT_PATH, KT_SYM: NUL-terminated */
};

struct mmlab_perr_info {
	enum mmlab_perr class;
	char reason[160];		/* printable ASCII, no '"' or '\\' */
};

/*
 * Parse buf[0..len) in place: buf is modified and must have room for
 * len + 1 bytes.  Returns 0, or -EINVAL with *err set.
 */
int mmlab_parse(char *buf, unsigned long len, struct mmlab_cmd *cmd,
		struct mmlab_perr_info *err);

static inline int mmlab_has(const struct mmlab_cmd *cmd, enum mmlab_key k)
{
	return !!(cmd->present & (1U << k));
}

/* What the grammar says of a key and of a verb (module/parse.c's tables). */
struct mmlab_key_desc {
	const char *name;
	enum mmlab_ktype type;
	unsigned long long min, max;	/* numbers and sizes, inclusive */
	const char * const *words;	/* enums, NULL-terminated */
	const char *metavar;		/* the option's argument ("": a flag) */
	const char *help;		/* one line */
};

/* How a verb names its target pages. */
enum mmlab_verb_target { MMLAB_T_NONE, MMLAB_T_PIDADDR, MMLAB_T_ANY, MMLAB_T_OPTIONAL };

struct mmlab_verb_desc {
	unsigned int allowed;	/* keys the verb takes, target keys included */
	unsigned int required;	/* keys it needs besides the target */
	unsigned int oneof;	/* exactly one of these must be given */
	enum mmlab_verb_target target;
	const char *help;	/* one line */
};

const struct mmlab_key_desc *mmlab_key_desc(enum mmlab_key k);	/* NULL: no such key */
const struct mmlab_verb_desc *mmlab_verb_desc(enum mmlab_verb v);
/* The words an enum key takes with that verb (NULL: not an enum). */
const char * const *mmlab_key_words(enum mmlab_key k, enum mmlab_verb v);

/*
 * The one quoting rule: a byte that may stand inside a double-quoted value
 * of a reply (a reason, a comm), else '?'.  Printable ASCII, space
 * included, but no '"' or '\\'.
 */
static inline char mmlab_quotable_char(unsigned char c)
{
	return (c < 0x20 || c > 0x7e || c == '"' || c == '\\') ? '?' : c;
}

const char *mmlab_verb_name(enum mmlab_verb v);
const char *mmlab_perr_name(enum mmlab_perr p);
const char *mmlab_perr_text(enum mmlab_perr p);
const char *mmlab_key_name(enum mmlab_key k);
const char *mmlab_errname(int err);	/* "EINVAL" for -EINVAL or EINVAL */
int mmlab_errnum(const char *name);	/* EINVAL for "EINVAL"; 0: not a name */
/* The idx'th errno a write can answer (0 past the end), for tools. */
int mmlab_errno_at(unsigned int idx);

#endif /* MMLAB_CMD_H */
