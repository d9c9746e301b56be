// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: repro and replay.  Both are scripts/repro of mmlab's tree:
 * a reproducer is an experiment's text (tests/experiments/) folded to 72
 * columns, and its replay runs tests/experiments/run, so they need the
 * tree and are text work; this program only finds the script and runs it.
 * The tree: $MMLAB_ROOT, else the one this program was built in
 * (build/mmlab, so /proc/self/exe/../..).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

/* path: ROOT/scripts/repro of $MMLAB_ROOT or of the program's tree. */
static void script_path(char *path, size_t len)
{
	const char *root = getenv("MMLAB_ROOT");
	char exe[PATH_MAX];
	ssize_t n;
	int up;

	if (root && *root) {
		snprintf(path, len, "%s/scripts/repro", root);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		die(EX_UNAVAILABLE, "repro: cannot read /proc/self/exe: %s", strerror(errno));
	exe[n] = '\0';
	for (up = 0; up < 2; up++) {	/* ROOT/build/mmlab -> ROOT */
		char *slash = strrchr(exe, '/');

		if (slash)
			*slash = '\0';
	}
	snprintf(path, len, "%s/scripts/repro", exe);
}

static int run_script(const char *sub, int argc, char **argv)
{
	char path[PATH_MAX + 32];
	char **args;
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help_cmd(sub);
			return 0;
		}
	script_path(path, sizeof(path));
	if (access(path, X_OK))
		die(EX_UNAVAILABLE,
		    "%s: no %s: it needs mmlab's source tree (set MMLAB_ROOT)", sub, path);
	args = xrealloc(NULL, (argc + 3) * sizeof(*args));
	args[0] = path;
	args[1] = (char *)sub;
	memcpy(args + 2, argv, argc * sizeof(*args));
	args[argc + 2] = NULL;
	fflush(stdout);
	execv(path, args);
	die(EX_OSERR, "%s: cannot run %s: %s", sub, path, strerror(errno));
}

static int repro(int argc, char **argv)
{
	return run_script("repro", argc, argv);
}

static int replay(int argc, char **argv)
{
	return run_script("replay", argc, argv);
}

static const struct opt repro_opts[] = {
	{ "--kernel", "NAME", "that kernel (6.1, 6.12, lab, a release), not the running one" },
	{ "--kind", "KIND", "ad hoc: pages of KIND from tests/helpers/pages.c" },
	{ "--pages", "ARGS", "ad hoc: more options of the page helper (\"--order 4\")" },
	{ "--cmd", "LINE", "ad hoc: a command on them (pid= and addr= filled in); repeatable" },
	{ "--expect", "TOKENS", "ad hoc: its expect line (result=migrated node=1)" },
	{ }
};

const struct subcmd repro_cmd = {
	.name = "repro",
	.run = repro,
	.usage = "[--kernel NAME] ID | [--kernel NAME] --kind KIND --cmd LINE... [--expect TOKENS]",
	.about =
		"Prints a reproducer of experiment ID (tests/experiments/ID-*.sh), or of\n"
		"an ad-hoc scenario, as plain text of at most 72 columns for a review\n"
		"mail: kernel release and config digest, the page recipe, the mmlab\n"
		"commands, the expect lines and the experiment's body.  It needs mmlab's\n"
		"tree to run (scripts/repro; $MMLAB_ROOT or this program's).",
	.opts = repro_opts,
	.example = "mmlab repro E11 >E11.txt; mmlab repro --kind mlock-thp --cmd 'migrate node=1'",
};

static const struct opt replay_opts[] = {
	{ }
};

const struct subcmd replay_cmd = {
	.name = "replay",
	.run = replay,
	.usage = "FILE",
	.about =
		"Runs a reproducer (FILE, or - for stdin; mail quoting \"> \" is taken off)\n"
		"on this kernel, as root, with tests/experiments/run: one line per\n"
		"expect token (held or failed), then the runner's experiment line and\n"
		"verdict.  Exit status 0 when every token held.  make replay FILE=F\n"
		"KERNEL=6.1|6.12|lab boots that kernel and replays there.",
	.opts = replay_opts,
	.example = "mmlab replay E11.txt",
};
