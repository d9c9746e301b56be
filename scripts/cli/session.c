// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: `mmlab session`, several commands on ONE open control file,
 * so that holds (pin, lock, isolate) last from one command to the next.
 *
 * From a file or a pipe every line is checked before any is written; at a
 * terminal each line runs as it is typed and a mistake is only told.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

struct sline {
	char *line;		/* the control line */
	char *label;		/* the line as given, for "mmlab> LABEL" */
	char *reason;		/* why the grammar refuses it, or NULL */
	int raw;
};

/* The verbs a session runs, as the command line spells them. */
static void control_cmds(struct buf *b)
{
	char name[32];
	int v;

	for (v = 0; v < MMLAB_NR_VERBS; v++)
		buf_printf(b, "%s%s", v ? " " : "", verb_cli_name(v, name, sizeof(name)));
}

static int not_control(struct cmdline *c, const char *word)
{
	struct buf cmds = { 0 };

	control_cmds(&cmds);
	snprintf(c->usage, sizeof(c->usage),
		 "'%.40s' is not a control command (session runs: %s)", word, cmds.s);
	buf_free(&cmds);
	return -1;
}

/*
 * One line of a session as a control line in c, its subcommand in sub.
 * Returns 0, 1 for a blank or comment line, -1 with c->usage.
 */
static int session_line(const char *text, struct cmdline *c, char *sub, size_t sublen)
{
	char *t = xstrndup(text, strcspn(text, "#"));
	int max = strlen(t) / 2 + 2, n, first = 0, ret = 1;
	char **w = xrealloc(NULL, max * sizeof(*w));

	n = split_words(t, w, max);
	if (n > 0 && !strcmp(w[0], "mmlab"))
		first = 1;
	if (n > first && control_verb(w[first]) < 0) {
		ret = not_control(c, w[first]);
	} else if (n > first) {
		snprintf(sub, sublen, "%s", w[first]);
		ret = build_cmd(w[first], n - first - 1, w + first + 1, c);
	}
	free(w);
	free(t);
	return ret;
}

/* Run one line, print its reply; returns its exit status. */
static int run_line(int fd, const char *sub, const char *line, const char *reason, int raw)
{
	struct reply r = { 0 };
	int status;

	if (reason)
		refusal(reason, &r);
	else
		ctl_run(fd, line, &r);
	show_reply(sub, raw, &r);
	fflush(stdout);
	status = r.status;
	buf_free(&r.text);
	return status;
}

/* The lines of stdin (a last line without a newline too). */
static char **read_lines(struct buf *in, int *n)
{
	char **line, *p, *nl;
	size_t i, count = 0;

	read_all(0, in);
	for (i = 0; i < in->len; i++)
		count += in->s[i] == '\n';
	line = xrealloc(NULL, (count + 1) * sizeof(*line));
	*n = 0;
	for (p = in->s; p < in->s + in->len; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = in->s + in->len;
		*nl = '\0';
		line[(*n)++] = p;
	}
	return line;
}

/* The line as given, its comment cut and a leading "mmlab " dropped. */
static char *label_of(const char *text)
{
	size_t n = strcspn(text, "#");

	if (!strncmp(text, "mmlab ", 6) && n >= 6) {
		text += 6;
		n -= 6;
	}
	return xstrndup(text, n);
}

/* From a file or a pipe: check every line, then run them all on one open file. */
static int session_file(void)
{
	struct cmdline c = { 0 };
	struct sline *cmd;
	struct buf in = { 0 };
	char sub[64], **line;
	int n, i, m = 0, fd, status, last = 0;

	line = read_lines(&in, &n);
	cmd = xrealloc(NULL, (n + 1) * sizeof(*cmd));
	for (i = 0; i < n; i++) {
		int rc = session_line(line[i], &c, sub, sizeof(sub));

		if (rc == 1)
			continue;
		if (rc < 0)
			usage_error("session", "line %d: %s", i + 1, c.usage);
		if (c.help)
			usage_error("session", "line %d: --help in a session", i + 1);
		cmd[m].line = xstrdup(c.line.s);
		cmd[m].label = label_of(line[i]);
		cmd[m].reason = c.reason[0] ? xstrdup(c.reason) : NULL;
		cmd[m].raw = cli_raw | c.raw;
		m++;
	}
	fd = ctl_open();
	for (i = 0; i < m; i++) {
		if (!cmd[i].raw)
			printf("mmlab> %s\n", cmd[i].label);
		snprintf(sub, sizeof(sub), "%.*s", (int)strcspn(cmd[i].label, " "), cmd[i].label);
		status = run_line(fd, sub, cmd[i].line, cmd[i].reason, cmd[i].raw);
		if (status)
			last = status;
	}
	ctl_close(fd);
	return last;
}

/* At a terminal: each line runs as it is typed; mistakes are only told. */
static int session_tty(void)
{
	struct cmdline c = { 0 };
	char sub[64], *text = NULL;
	size_t cap = 0;
	ssize_t len;
	int fd = ctl_open(), rc, status, last = 0;

	for (;;) {
		fputs("mmlab> ", stderr);
		len = getline(&text, &cap, stdin);
		if (len <= 0)
			break;
		if (text[len - 1] == '\n')
			text[len - 1] = '\0';
		rc = session_line(text, &c, sub, sizeof(sub));
		if (rc == 1)
			continue;
		if (rc < 0) {
			say("mmlab session: %s", c.usage);
			continue;
		}
		if (c.help) {
			help_cmd(sub);
			fflush(stdout);
			continue;
		}
		status = run_line(fd, sub, c.line.s, c.reason[0] ? c.reason : NULL,
				  cli_raw | c.raw);
		if (status)
			last = status;
	}
	ctl_close(fd);
	free(text);
	return last;
}

static int session(int argc, char **argv)
{
	if (plain_args(argc, argv, "session"))
		return 0;
	return isatty(0) ? session_tty() : session_file();
}

static const struct opt session_opts[] = {
	{ "--raw", "", "print the replies exactly as the module gave them" },
	{ }
};

const struct subcmd session_cmd = {
	.name = "session",
	.run = session,
	.usage = "[--raw] <FILE",
	.about =
		"Runs commands on ONE open control file, so holds (pin, lock, isolate) stay\n"
		"until unpin/unlock/putback or the end of the session.  Each line is a\n"
		"control command as on the command line, 'mmlab' optional (migrate --pid P\n"
		"--addr A --node 1), or a raw control line (migrate pid=P addr=A node=1);\n"
		"blank lines and # comments are skipped.  Read from a file or a pipe, every\n"
		"line is checked first and nothing is written if one is wrong (exit 64); at\n"
		"a terminal each line runs as typed.  Each reply follows 'mmlab> LINE'\n"
		"(--raw: the replies alone, as the module wrote them).  Exit status: that of\n"
		"the last command that failed, else 0.  stats, probes and features are not\n"
		"session commands.",
	.opts = session_opts,
	.example =
		"printf '%s\\n' 'pin --pid 1234 --addr 0x7f3a1c000000' \\\n"
		"       'migrate --pid 1234 --addr 0x7f3a1c000000 --node 1' | mmlab session",
};
