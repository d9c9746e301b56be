// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: a control command's options as one control line, and its run.
 *
 * `mmlab migrate --pid P --addr A --len 16K` is `migrate pid=P addr=A
 * len=16K`: each --KEY V (or --KEY=V) is KEY=V, a flag alone (--verify)
 * is KEY=1, KEY=VALUE words are taken as they are.  Which keys a verb
 * takes, which are flags and which words an enum has come from the
 * module's grammar (module/parse.c, linked in); a mistake in the options
 * is a usage error (exit 64), and a line that the grammar then refuses is
 * answered as the module would answer it (EINVAL, its reason) without
 * being written.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define LINE_MAX_CLI 4000	/* the module takes 4096: one write() of a short line */

/* The verb of a subcommand (move-charge or move_charge), or -1. */
int control_verb(const char *sub)
{
	int v;
	size_t i;

	for (v = 0; v < MMLAB_NR_VERBS; v++) {
		const char *name = mmlab_verb_name(v);

		for (i = 0; name[i]; i++)
			if (sub[i] != name[i] && (sub[i] != '-' || name[i] != '_'))
				break;
		if (!name[i] && !sub[i])
			return v;
	}
	return -1;
}

/* A verb as the command line spells it: move-charge. */
const char *verb_cli_name(int verb, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "%s", mmlab_verb_name(verb));
	for (i = 0; buf[i]; i++)
		if (buf[i] == '_')
			buf[i] = '-';
	return buf;
}

/*
 * Verbs whose holds last as long as the open file (docs/holds.md): a
 * one-shot call releases them as it returns, so they get a note.
 */
int verb_holds(int verb)
{
	static const char * const holds[] = {
		"pin", "unpin", "lock", "unlock", "isolate", "putback",
	};
	size_t i;

	for (i = 0; i < NELEM(holds); i++)
		if (!strcmp(mmlab_verb_name(verb), holds[i]))
			return 1;
	return 0;
}

int key_index(const char *name)
{
	int k;

	for (k = 0; k < MMLAB_NR_KEYS; k++)
		if (!strcmp(mmlab_key_name(k), name))
			return k;
	return -1;
}

/* Does --KEY take a value (not a flag)? */
int key_takes_value(int key)
{
	return key >= 0 && mmlab_key_desc(key)->type != KT_BOOL;
}

static unsigned int keys_of_any_verb(void)
{
	unsigned int all = 0;
	int v;

	for (v = 0; v < MMLAB_NR_VERBS; v++)
		all |= mmlab_verb_desc(v)->allowed;
	return all;
}

/* An enum word as typed (--op move-charge) in the grammar's spelling (move_charge). */
static const char *enum_word(int key, int verb, const char *val, char *buf, size_t len)
{
	const char * const *w = mmlab_key_words(key, verb);
	size_t i;
	int j;

	if (!w || mmlab_key_desc(key)->type != KT_ENUM)
		return val;
	snprintf(buf, len, "%s", val);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '-')
			buf[i] = '_';
	for (j = 0; w[j]; j++)
		if (!strcmp(w[j], val))
			return val;
	for (j = 0; w[j]; j++)
		if (!strcmp(w[j], buf))
			return buf;
	return val;
}

static int usage(struct cmdline *c, const char *fmt, ...) CLI_PRINTF(2, 3);
static int usage(struct cmdline *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->usage, sizeof(c->usage), fmt, ap);
	va_end(ap);
	return -1;
}

/* --KEY [VALUE] at argv[*i]: the key in *k, its value in *val; -1 with c->usage. */
static int take_option(struct cmdline *c, int argc, char **argv, int *i, char *k,
		       size_t klen, const char **val)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	int key;

	snprintf(k, klen, "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
	if (eq) {
		*val = eq + 1;
		return 0;
	}
	key = key_index(k);
	if (key >= 0 && !key_takes_value(key)) {
		*val = "1";
		if (*i + 1 < argc && (!strcmp(argv[*i + 1], "0") || !strcmp(argv[*i + 1], "1")))
			*val = argv[++*i];
		return 0;
	}
	if (*i + 1 < argc) {
		*val = argv[++*i];
		return 0;
	}
	if (key < 0 || !(mmlab_verb_desc(c->verb)->allowed & (1U << key)))
		return usage(c, "unknown option --%s", k);
	return usage(c, "option --%s needs a value", k);
}

/* KEY=VAL from --KEY, checked against the verb's keys, onto the line. */
static int add_key(struct cmdline *c, const char *sub, const char *k, const char *val,
		   unsigned int *seen)
{
	int key = key_index(k);
	char word[128];

	if (key < 0 || !(mmlab_verb_desc(c->verb)->allowed & (1U << key))) {
		if (key >= 0 && (keys_of_any_verb() & (1U << key)))
			return usage(c, "%s does not take --%s", sub, k);
		return usage(c, "unknown option --%s", k);
	}
	if (*seen & (1U << key))
		return usage(c, "--%s given twice", k);
	*seen |= 1U << key;
	if (!*val)
		return usage(c, "--%s: empty value", k);
	/* The grammar separates words with blanks: a value cannot hold one. */
	if (has_blank(val))
		return usage(c, "--%s: blank in '%s'", k, val);
	buf_printf(&c->line, " %s=%s", k, enum_word(key, c->verb, val, word, sizeof(word)));
	return 0;
}

/* The grammar's verdict on the finished line, kept in c->reason. */
static void check_line(struct cmdline *c)
{
	struct mmlab_perr_info err;
	struct mmlab_cmd cmd;
	char *copy = xstrndup(c->line.s, c->line.len);

	c->reason[0] = '\0';
	if (mmlab_parse(copy, c->line.len, &cmd, &err))
		snprintf(c->reason, sizeof(c->reason), "%s",
			 err.reason[0] ? err.reason : "unknown");
	free(copy);
}

/*
 * SUBCOMMAND ARGS... as a control line in c->line; c->help for -h/--help,
 * c->raw for --raw.  Returns -1 with c->usage on a usage error.
 */
int build_cmd(const char *sub, int argc, char **argv, struct cmdline *c)
{
	unsigned int seen = 0;
	const char *a, *val = NULL;
	char k[64];
	int i;

	c->verb = control_verb(sub);
	c->help = 0;
	c->raw = 0;
	c->reason[0] = '\0';
	buf_reset(&c->line);
	buf_puts(&c->line, mmlab_verb_name(c->verb));
	for (i = 0; i < argc; i++) {
		a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			c->help = 1;
			return 0;
		}
		if (!strcmp(a, "--raw")) {
			c->raw = 1;
			continue;
		}
		if (!strncmp(a, "--", 2) && (a[2] || strchr(a, '='))) {
			if (take_option(c, argc, argv, &i, k, sizeof(k), &val) ||
			    add_key(c, sub, k, val, &seen))
				return -1;
			continue;
		}
		if (!*a || !strchr(a + 1, '='))
			return usage(c, "unexpected argument '%s' (options are --KEY VALUE)", a);
		if (has_blank(a))
			return usage(c, "blank in '%s'", a);
		buf_printf(&c->line, " %s", a);
	}
	if (c->line.len > LINE_MAX_CLI)
		return usage(c, "command longer than %d bytes", LINE_MAX_CLI);
	check_line(c);
	return 0;
}

/* The reply the module gives a line its grammar refuses: EINVAL and the reason. */
void refusal(const char *reason, struct reply *r)
{
	buf_reset(&r->text);
	buf_printf(&r->text, "error=%s reason=\"%s\"\n", mmlab_errname(EINVAL), reason);
	r->errname = mmlab_errname(EINVAL);
	r->status = errno_status(r->errname);
}

/* A reply: tables; --raw: as it came; an error line on stderr (--raw: stdout). */
void show_reply(const char *sub, int raw, const struct reply *r)
{
	size_t n = r->text.len;

	if (raw) {
		fwrite(r->text.s, 1, n, stdout);
		return;
	}
	if (!r->errname) {
		render(r->text.s, n, 0);
		return;
	}
	if (n && r->text.s[n - 1] == '\n')
		n--;
	say("mmlab %s: %.*s", sub, (int)n, r->text.s);
}

/* mmlab VERB ...: one command on one open control file. */
int control_cmd(const char *sub, int argc, char **argv)
{
	struct cmdline c = { 0 };
	struct reply r = { 0 };
	int fd;

	if (build_cmd(sub, argc, argv, &c))
		usage_error(sub, "%s", c.usage);
	if (c.help) {
		help_cmd(sub);
		return 0;
	}
	cli_raw |= c.raw;
	if (c.reason[0]) {
		refusal(c.reason, &r);
	} else {
		fd = ctl_open();
		ctl_run(fd, c.line.s, &r);
		ctl_close(fd);
	}
	show_reply(sub, cli_raw, &r);
	if (!cli_raw && !r.status && verb_holds(c.verb))
		say("note: holds belong to the open control file, which mmlab closes when it %s",
		    "returns: use 'mmlab session' to keep them across commands");
	return r.status;
}
