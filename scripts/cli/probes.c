// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: `mmlab probes`, the attached kprobes as a table, or one
 * command written to the probes file (+@SET, +SYM [ret], -X, clear).
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* module/probes.c's sets[] (kernel code: not linked here). */
const char * const probe_sets[] = { "@migration", "@memcg", "@rmap", "@vma", NULL };

static int is_symbol(const char *s)
{
	if (*s == '@')
		s++;
	return *s && !s[strspn(s, SYMBOL_CHARS)];
}

static int probes_list(int argc)
{
	struct buf text = { 0 };

	if (argc)
		usage_error("probes", "list takes no argument");
	read_file("probes", &text);
	if (cli_raw)
		fwrite(text.s, 1, text.len, stdout);
	else if (!text.len)
		puts("(no probes attached)");
	else
		render(text.s, text.len, 1);
	buf_free(&text);
	return 0;
}

/* attach SYM|@SET [ret], detach SYM|@SET: +X [ret] or -X on the file. */
static CLI_NORETURN void probes_attach(const char *verb, int argc, char **argv)
{
	char word[512];

	if (!argc)
		usage_error("probes", "%s needs a symbol or @SET", verb);
	if (!is_symbol(argv[0]))
		usage_error("probes", "not a symbol or @SET: '%s'", argv[0]);
	if (!strcmp(verb, "detach")) {
		if (argc != 1)
			usage_error("probes", "detach takes one symbol or @SET");
		snprintf(word, sizeof(word), "-%s", argv[0]);
		probes_write(word);
	}
	if (argc == 1) {
		snprintf(word, sizeof(word), "+%s", argv[0]);
		probes_write(word);
	}
	if (argc != 2 || strcmp(argv[1], "ret") || argv[0][0] == '@')
		usage_error("probes", "attach SYM [ret] (a set decides for its probes)");
	snprintf(word, sizeof(word), "+%s ret", argv[0]);
	probes_write(word);
}

/* The file's own syntax: +X [ret] or -X. */
static CLI_NORETURN void probes_own(const char *verb, int argc, char **argv)
{
	char word[512];
	struct buf all = { 0 };
	int i;

	if (argc && (argc != 1 || strcmp(argv[0], "ret"))) {
		for (i = 0; i < argc; i++)
			buf_printf(&all, "%s%s", i ? " " : "", argv[i]);
		usage_error("probes", "unexpected '%s'", all.s);
	}
	snprintf(word, sizeof(word), "%s%s", verb, argc ? " ret" : "");
	probes_write(word);
}

static int probes(int argc, char **argv)
{
	char **arg = argv;
	const char *verb = "list";
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--raw")) {
			cli_raw = 1;
			continue;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help_cmd("probes");
			return 0;
		}
		arg[n++] = argv[i];
	}
	if (n) {
		verb = arg[0];
		arg++;
		n--;
	}
	if (!strcmp(verb, "list"))
		return probes_list(n);
	if (!strcmp(verb, "attach") || !strcmp(verb, "detach"))
		probes_attach(verb, n, arg);
	if (!strcmp(verb, "clear")) {
		if (n)
			usage_error("probes", "clear takes no argument");
		probes_write("clear");
	}
	if ((verb[0] == '+' || verb[0] == '-') && verb[1])
		probes_own(verb, n, arg);
	usage_error("probes", "unknown probes command '%s'", verb);
}

static const struct opt probes_opts[] = {
	{ "--raw", "", "list: the file's lines as they are" },
	{ }
};

const struct subcmd probes_cmd = {
	.name = "probes",
	.run = probes,
	.usage = "[list | attach SYM|@SET [ret] | detach SYM|@SET | clear | +X [ret] | -X] [--raw]",
	.about =
		"Lists the attached kprobes with their counts (default), or writes one\n"
		"command to the probes file: attach a built-in set (@migration @memcg @rmap\n"
		"@vma) or a kernel function (ret: a kretprobe, with a return-value\n"
		"histogram), detach one, clear all.  +X and -X are the file's own syntax.\n"
		"Writes print nothing; a refusal exits with its errno: 2 ENOENT (unknown\n"
		"set or symbol), 17 EEXIST (attached already), 22 EINVAL, 28 ENOSPC.",
	.opts = probes_opts,
	.example =
		"mmlab probes attach @migration; mmlab probes attach folio_isolate_lru ret; mmlab probes",
};
