// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab — the command line of mmlab's debugfs files.
 *
 *   mmlab [--raw] COMMAND [OPTIONS]       COMMAND --help for its options
 *   mmlab inspect|migrate|rmap|move-charge|scan|copy|stress|split|reset|selftest ...
 *   mmlab pin|unpin|lock|unlock|isolate|putback ...  (holds: see `mmlab pin --help`)
 *   mmlab session [--raw] <FILE               several commands on one open file
 *   mmlab stats [--nonzero] [--watch [SECS]] [--count N] [PATTERN...]
 *   mmlab probes [list | attach SYM|@SET [ret] | detach SYM|@SET | clear | +X [ret] | -X]
 *   mmlab features
 *   mmlab repro ID | --kind KIND --cmd LINE...   mmlab replay FILE   (scripts/repro)
 *   mmlab --complete WORDS...                 for the bash completion
 *
 * Exit status: 0 when the command ran (a migration that failed inside it
 * is data, in the reply); the errno number when the module refused it; 64
 * usage error (nothing was written); 69 debugfs not mounted or module not
 * loaded; 70 an errno the module's list has no number for; 77 permission
 * denied (root with CAP_SYS_ADMIN needed).  MMLAB_DEBUGFS overrides
 * /sys/kernel/debug/mmlab; COLUMNS is the width of the tables.
 *
 * One C program, not a shell script: it links the module's parser
 * (module/parse.c), so options, checks, usage errors and errno numbers are
 * the module's grammar and list, and it costs one exec like any command.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

int main(int argc, char **argv)
{
	const struct subcmd *s;
	const char *sub;
	int i;

	if (argc > 1 && !strcmp(argv[1], "--complete"))
		return complete(argc - 2, argv + 2);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--raw")) {
			cli_raw = 1;
			continue;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help_top();
			return 0;
		}
		usage_error(NULL, "unknown option %s", argv[i]);
	}
	if (i == argc) {
		help_top();
		return 0;
	}
	sub = argv[i++];
	if (!strcmp(sub, "help")) {
		if (i < argc)
			help_cmd(argv[i]);
		else
			help_top();
		return 0;
	}
	s = find_subcmd(sub);
	if (s)
		return s->run(argc - i, argv + i);
	if (control_verb(sub) < 0)
		usage_error(NULL, "unknown command '%s'", sub);
	return control_cmd(sub, argc - i, argv + i);
}
