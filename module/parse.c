// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab command parser: `VERB key=value ...`.
 *
 * Plain C that builds in the kernel and in user space (tests/unit), so the
 * grammar has fast host tests.  It works in place on the caller's buffer and
 * never allocates.  A line is rejected, never guessed at: every rule is in
 * the tables below, and every rejection names its class and the token.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#else
#include <stdio.h>
#include <string.h>
#include <errno.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#include "../include/mmlab_cmd.h"

static const char * const mmlab_enum_mode[] = { "async", "sync_light", "sync", NULL };
static const char * const mmlab_enum_policy[] = { "kernel", "present", "skip-mapped", NULL };
static const char * const mmlab_enum_action[] = { "list", "referenced", NULL };
static const char * const mmlab_enum_op[] = { "migrate", "rmap", "move_charge", NULL };
static const char * const mmlab_enum_pin_mode[] = { "get", "pin", NULL };
static const char * const mmlab_enum_dst[] = { "kernel", "pool", "locked", NULL };
static const char * const mmlab_enum_reason[] = {
	"syscall", "numa_misplaced", "longterm_pin", "compaction", "demotion", "memory_failure",
	NULL
};

static const char * const mmlab_enum_fail[] = { "EAGAIN", "EBUSY", "ENOMEM", NULL };
static const char * const mmlab_enum_scope[] = { "mmlab", "pid", "all", NULL };

#define K(n) MMLAB_K(n)
#define RANGE (K(pid) | K(addr) | K(len))

static const struct mmlab_key_desc keys[MMLAB_NR_KEYS] = {
#define MMLAB_KEY(n, type, lo, hi, words, metavar, help) \
	[MMLAB_KEY_##n] = { #n, type, lo, hi, words, metavar, help },
#include "../include/mmlab_lists.h"
};

static const struct mmlab_verb_desc verbs[MMLAB_NR_VERBS] = {
#define MMLAB_VERB(n, target, allowed, required, oneof, help) \
	[MMLAB_VERB_##n] = { allowed, required, oneof, MMLAB_T_##target, help },
#include "../include/mmlab_lists.h"
};

static const char * const verb_names[MMLAB_NR_VERBS] = {
#define MMLAB_VERB(name, ...) \
	[MMLAB_VERB_##name] = #name,
#include "../include/mmlab_lists.h"
};

static const char * const perr_names[MMLAB_NR_PERRS] = {
	"none",
#define MMLAB_PERR(name) \
	[MMLAB_PERR_##name] = #name,
#include "../include/mmlab_lists.h"
};

#define PERR(n, text) \
	[MMLAB_PERR_##n] = text
static const char * const perr_texts[MMLAB_NR_PERRS] = {
	PERR(none, ""),
	PERR(empty_line, "empty command"),
	PERR(too_long, "line longer than 4096 bytes"),
	PERR(nul, "embedded NUL byte"),
	PERR(multiple, "more than one command in one write"),
	PERR(unknown_verb, "unknown verb"),
	PERR(syntax, "expected key=value"),
	PERR(unknown_key, "unknown key"),
	PERR(duplicate_key, "duplicate key"),
	PERR(empty_value, "empty value"),
	PERR(bad_number, "malformed number"),
	PERR(overflow, "number overflows"),
	PERR(bad_suffix, "bad size suffix"),
	PERR(bad_value, "value not allowed"),
	PERR(out_of_range, "value out of range"),
	PERR(missing_key, "missing required key"),
	PERR(conflict, "keys that exclude each other"),
};

const char *mmlab_verb_name(enum mmlab_verb v)
{
	return (unsigned int)v < MMLAB_NR_VERBS ? verb_names[v] : "?";
}

const char *mmlab_key_name(enum mmlab_key k)
{
	return (unsigned int)k < MMLAB_NR_KEYS ? keys[k].name : "?";
}

const struct mmlab_key_desc *mmlab_key_desc(enum mmlab_key k)
{
	return (unsigned int)k < MMLAB_NR_KEYS ? &keys[k] : NULL;
}

/* mode= is a migration mode, except for pin: how the reference is taken. */
const char * const *mmlab_key_words(enum mmlab_key k, enum mmlab_verb v)
{
	if (k == MMLAB_KEY_mode && v == MMLAB_VERB_pin)
		return mmlab_enum_pin_mode;
	return (unsigned int)k < MMLAB_NR_KEYS ? keys[k].words : NULL;
}

const struct mmlab_verb_desc *mmlab_verb_desc(enum mmlab_verb v)
{
	return (unsigned int)v < MMLAB_NR_VERBS ? &verbs[v] : NULL;
}

const char *mmlab_perr_text(enum mmlab_perr p)
{
	return (unsigned int)p < MMLAB_NR_PERRS ? perr_texts[p] : "?";
}

const char *mmlab_perr_name(enum mmlab_perr p)
{
	return (unsigned int)p < MMLAB_NR_PERRS ? perr_names[p] : "?";
}

static const struct { int err; const char *name; } errnames[] = {
#define MMLAB_ERRNO(e) { e, #e },
#define MMLAB_ERRNO_OTHER(e) { e, #e },
#include "../include/mmlab_lists.h"
};

const char *mmlab_errname(int err)
{
	unsigned int i;

	if (err < 0)
		err = -err;
	for (i = 0; i < ARRAY_SIZE(errnames); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return "EUNKNOWN";
}

int mmlab_errnum(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errnames); i++)
		if (!strcmp(errnames[i].name, name))
			return errnames[i].err;
	return 0;
}

int mmlab_errno_at(unsigned int idx)
{
	return idx < ARRAY_SIZE(errnames) ? errnames[idx].err : 0;
}

/* Copy at most 40 bytes of a token into a reason, made safe to quote. */
static int fail(struct mmlab_perr_info *err, enum mmlab_perr class,
		const char *what, const char *tok, unsigned long toklen)
{
	char safe[48];
	unsigned long i, n = toklen > 40 ? 40 : toklen;

	for (i = 0; i < n; i++)
		safe[i] = mmlab_quotable_char(tok[i]);
	safe[n] = '\0';
	err->class = class;
	if (tok)
		snprintf(err->reason, sizeof(err->reason), "%s%s'%s%s'",
			 what ? what : perr_texts[class], " ", safe,
			 toklen > n ? "..." : "");
	else
		snprintf(err->reason, sizeof(err->reason), "%s",
			 what ? what : perr_texts[class]);
	return -EINVAL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decimal or 0x hex; stops at the first non-digit and returns it in *end.
 * Returns MMLAB_PERR_none, bad_number (no digits) or overflow.
 */
static enum mmlab_perr parse_u64(const char *s, unsigned long long *out,
				 const char **end)
{
	unsigned long long v = 0;
	unsigned int base = 10;
	const char *p = s;
	int d, digits = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; (d = hexval(*p)) >= 0 && (unsigned int)d < base; p++, digits++) {
		if (v > (~0ULL - d) / base)
			return MMLAB_PERR_overflow;
		v = v * base + d;
	}
	*out = v;
	*end = p;
	return digits ? MMLAB_PERR_none : MMLAB_PERR_bad_number;
}

static int shift_of(const char *suffix)
{
	if (suffix[0] == '\0')
		return 0;
	if (suffix[1] != '\0')
		return -1;
	switch (suffix[0]) {
	case 'K': case 'k': return 10;
	case 'M': case 'm': return 20;
	case 'G': case 'g': return 30;
	}
	return -1;
}

static int parse_path(const char *v, struct mmlab_perr_info *err)
{
	unsigned long i, n = strlen(v);

	if (v[0] != '/' || n > MMLAB_PATH_MAX)
		return fail(err, MMLAB_PERR_bad_value,
			    "memcg path must start with / and be at most 256 bytes:", v, n);
	for (i = 0; i < n; i++)
		if (v[i] < 0x21 || v[i] > 0x7e || v[i] == '"' || v[i] == '\\')
			return fail(err, MMLAB_PERR_bad_value, "bad byte in path", v, n);
	return 0;
}

/* A kernel function's name: the characters of C identifiers and clones' dots. */
static int parse_sym(const char *v, struct mmlab_perr_info *err)
{
	unsigned long i, n = strlen(v);

	if (n >= MMLAB_SYM_MAX)
		return fail(err, MMLAB_PERR_bad_value, "function name longer than 63 bytes:", v, n);
	for (i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '.'))
			return fail(err, MMLAB_PERR_bad_value, "bad byte in function name", v, n);
	return 0;
}

static int parse_value(enum mmlab_key k, const char *v, struct mmlab_cmd *cmd,
		       struct mmlab_perr_info *err)
{
	const struct mmlab_key_desc *ks = &keys[k];
	const char * const *words = mmlab_key_words(k, cmd->verb);
	unsigned long long n;
	enum mmlab_perr pe;
	const char *end;
	int sh, i;

	switch (ks->type) {
	case KT_PATH:
		cmd->str[k] = v;
		return parse_path(v, err);
	case KT_SYM:
		cmd->str[k] = v;
		return parse_sym(v, err);
	case KT_ENUM:
		for (i = 0; words[i]; i++) {
			if (!strcmp(v, words[i])) {
				cmd->num[k] = i;
				return 0;
			}
		}
		return fail(err, MMLAB_PERR_bad_value, NULL, v, strlen(v));
	case KT_BOOL:
		if (strcmp(v, "0") && strcmp(v, "1"))
			return fail(err, MMLAB_PERR_bad_value, "expected 0 or 1:", v, strlen(v));
		cmd->num[k] = v[0] == '1';
		return 0;
	case KT_NUM:
	case KT_SIZE:
		break;
	}
	pe = parse_u64(v, &n, &end);
	if (pe != MMLAB_PERR_none)
		return fail(err, pe, NULL, v, strlen(v));
	if (ks->type == KT_NUM && *end)
		return fail(err, MMLAB_PERR_bad_number, NULL, v, strlen(v));
	if (ks->type == KT_SIZE) {
		sh = shift_of(end);
		if (sh < 0)
			return fail(err, MMLAB_PERR_bad_suffix, "bad size suffix (K, M or G):",
				    v, strlen(v));
		if (sh && n > (~0ULL >> sh))
			return fail(err, MMLAB_PERR_overflow, NULL, v, strlen(v));
		n <<= sh;
	}
	if (n < ks->min || n > ks->max)
		return fail(err, MMLAB_PERR_out_of_range, NULL, v, strlen(v));
	cmd->num[k] = n;
	return 0;
}

static int lookup(const char *word, unsigned long n, const char * const *names,
		  int count)
{
	int i;

	for (i = 0; i < count; i++)
		if (strlen(names[i]) == n && !memcmp(word, names[i], n))
			return i;
	return -1;
}

static int key_index(const char *word, unsigned long n)
{
	int i;

	for (i = 0; i < MMLAB_NR_KEYS; i++)
		if (strlen(keys[i].name) == n && !memcmp(word, keys[i].name, n))
			return i;
	return -1;
}

static int check_target(const struct mmlab_verb_desc *vs, unsigned int p,
			struct mmlab_perr_info *err)
{
	int has_pid = !!(p & K(pid)), has_addr = !!(p & K(addr));

	if ((p & K(pfn)) && (p & RANGE))
		return fail(err, MMLAB_PERR_conflict,
			    "pfn= excludes pid=, addr= and len=", NULL, 0);
	if (p & K(pfn))
		return 0;
	if (vs->target == MMLAB_T_NONE || (vs->target == MMLAB_T_OPTIONAL && !(p & RANGE)))
		return 0;
	if (!has_pid)
		return fail(err, MMLAB_PERR_missing_key, vs->target == MMLAB_T_ANY ?
			    "missing key pid= (or pfn=)" : "missing key pid=", NULL, 0);
	if (!has_addr)
		return fail(err, MMLAB_PERR_missing_key, "missing key addr=", NULL, 0);
	return 0;
}

/* Neither or both of a verb's one_of keys (each verb's has two). */
static int fail_oneof(struct mmlab_perr_info *err, unsigned int set, int both)
{
	const char *name[2] = { "?", "?" };
	int i, n = 0;

	for (i = 0; i < MMLAB_NR_KEYS && n < 2; i++)
		if (set & (1U << i))
			name[n++] = keys[i].name;
	err->class = both ? MMLAB_PERR_conflict : MMLAB_PERR_missing_key;
	if (both)
		snprintf(err->reason, sizeof(err->reason), "%s= and %s= exclude each other",
			 name[0], name[1]);
	else
		snprintf(err->reason, sizeof(err->reason), "missing key %s= or %s=",
			 name[0], name[1]);
	return -EINVAL;
}

static int check_keys(const struct mmlab_verb_desc *vs, const struct mmlab_cmd *cmd,
		      struct mmlab_perr_info *err)
{
	unsigned int p = cmd->present, missing = vs->required & ~p;
	unsigned int one = p & vs->oneof;
	int i;

	for (i = 0; i < MMLAB_NR_KEYS; i++)
		if (missing & (1U << i))
			return fail(err, MMLAB_PERR_missing_key, "missing key",
				    keys[i].name, strlen(keys[i].name));
	if (vs->oneof && !one)
		return fail_oneof(err, vs->oneof, 0);
	if (one & (one - 1))
		return fail_oneof(err, one, 1);
	return check_target(vs, p, err);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim trailing blanks and newlines; reject what cannot be one command. */
static int frame(char *buf, unsigned long *len, struct mmlab_perr_info *err)
{
	unsigned long n = *len, i;

	if (memchr(buf, '\0', n))
		return fail(err, MMLAB_PERR_nul, NULL, NULL, 0);
	while (n && (is_space(buf[n - 1]) || buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	if (n > MMLAB_LINE_MAX)
		return fail(err, MMLAB_PERR_too_long, NULL, NULL, 0);
	for (i = 0; i < n; i++)
		if (buf[i] == '\n')
			return fail(err, MMLAB_PERR_multiple, NULL, NULL, 0);
	buf[n] = '\0';
	*len = n;
	return 0;
}

static int parse_pair(char *tok, unsigned long n, const struct mmlab_verb_desc *vs,
		      struct mmlab_cmd *cmd, struct mmlab_perr_info *err)
{
	char *eq = memchr(tok, '=', n);
	int k;

	if (!eq)
		return fail(err, MMLAB_PERR_syntax, NULL, tok, n);
	k = key_index(tok, eq - tok);
	if (k < 0)
		return fail(err, MMLAB_PERR_unknown_key, NULL, tok, eq - tok);
	if (!(vs->allowed & (1U << k)))
		return fail(err, MMLAB_PERR_unknown_key, "key not valid for this verb:",
			    tok, eq - tok);
	if (cmd->present & (1U << k))
		return fail(err, MMLAB_PERR_duplicate_key, NULL, tok, eq - tok);
	if (eq + 1 == tok + n)
		return fail(err, MMLAB_PERR_empty_value, NULL, tok, n);
	cmd->present |= 1U << k;
	tok[n] = '\0';
	return parse_value(k, eq + 1, cmd, err);
}

int mmlab_parse(char *buf, unsigned long len, struct mmlab_cmd *cmd,
		struct mmlab_perr_info *err)
{
	const struct mmlab_verb_desc *vs = NULL;
	char *p, *end, *tok;
	int ret, v;

	memset(cmd, 0, sizeof(*cmd));
	err->class = MMLAB_PERR_none;
	err->reason[0] = '\0';
	ret = frame(buf, &len, err);
	if (ret)
		return ret;
	for (p = buf, end = buf + len; p < end; p++) {
		if (is_space(*p))
			continue;
		for (tok = p; p < end && !is_space(*p); p++)
			;
		if (!vs) {
			v = lookup(tok, p - tok, verb_names, MMLAB_NR_VERBS);
			if (v < 0)
				return fail(err, MMLAB_PERR_unknown_verb, NULL, tok, p - tok);
			cmd->verb = v;
			vs = &verbs[v];
			continue;
		}
		ret = parse_pair(tok, p - tok, vs, cmd, err);
		if (ret)
			return ret;
	}
	if (!vs)
		return fail(err, MMLAB_PERR_empty_line, NULL, NULL, 0);
	return check_keys(vs, cmd, err);
}
