// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: help.  A control command's usage line and options come from
 * the grammar (its target, required, one-of and other keys, each key's
 * argument and one-line help); the prose around them is here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* What a verb's help says besides its grammar; NULL: its one-line help. */
struct verb_prose {
	const char *verb, *what, *example;
};

static const char holds_example[] =
	"printf '%s\\n' 'pin --pid 1234 --addr 0x7f3a1c000000' \\\n"
	"       'migrate --pid 1234 --addr 0x7f3a1c000000 --node 1' | mmlab session";

static const struct verb_prose prose[] = {
	{ "inspect",
	  "One 'page' line per virtual page (pte kind, pfn, node, order, kind,\n"
	  "flags, refs, mapcounts, memcg), then a summary.",
	  "mmlab inspect --pid 1234 --addr 0x7f3a1c000000 --len 64K" },
	{ "migrate",
	  "Migrates the pages with migrate_pages(), as move_pages(2) does, to --node\n"
	  "(default: the page's own node).  Per page: old/new pfn and node, result,\n"
	  "reason and the before/after checks; a refused page is data (exit 0).\n"
	  "--reason tells migrate_pages() why (numa_misplaced never splits a THP).",
	  "mmlab migrate --pid 1234 --addr 0x7f3a1c000000 --len 16K --node 1" },
	{ "rmap",
	  "Walks every mapping of one page with rmap_walk(): one 'map' row per\n"
	  "vma, and whether the mappings found agree with the mapcount.",
	  "mmlab rmap --pid 1234 --addr 0x7f3a1c000000" },
	{ "move_charge",
	  "Moves the memcg charge of the pages to the cgroup-v1 memcg PATH, one page\n"
	  "at a time as the kernel's charge mover does.  Kernels without cgroup-v1\n"
	  "memcg (Debian 6.12) refuse it: exit 95 (EOPNOTSUPP).",
	  "mmlab move-charge --pid 1234 --addr 0x7f3a1c000000 --to /B --policy present" },
	{ "scan",
	  "Checks invariants over a range: migration entries left behind, rmap\n"
	  "mappings versus mapcounts; one row per problem, then a summary.",
	  "mmlab scan --pid 1234 --addr 0x7f3a1c000000 --len 2M" },
	{ "copy",
	  "Copies the pages' bytes into new pages on --node and frees them, timing\n"
	  "the copies (the copy floor of 'make bench').",
	  "mmlab copy --pid 1234 --addr 0x7f3a1c000000 --len 2M --node 1" },
	{ "stress",
	  "Runs the op's command over and over on the pages from kernel threads;\n"
	  "the summary counts ops, failures by errno and failed checks.",
	  "mmlab stress --op migrate --pid 1234 --addr 0x7f3a1c000000 --threads 4 --seconds 5" },
	{ "split",
	  "Splits the large folio at --addr to --order (default 0) with the kernel's\n"
	  "THP split: one 'split' line per resulting folio the process maps, then a\n"
	  "summary with the before/after checks; the kernel's refusal is the errno.",
	  "mmlab split --pid 1234 --addr 0x7f3a1c000000 --order 4" },
	{ "reset",
	  "Zeroes every counter (the reset command, counted itself).",
	  "mmlab reset" },
	{ "selftest",
	  "Runs the calling layer's self-test (non-exported functions called\n"
	  "IBT-safely, checked against the linker's addresses).",
	  "mmlab selftest" },
};

static const struct subcmd * const subcmds[] = {
	&session_cmd, &write_cmd, &stats_cmd, &probes_cmd, &features_cmd,
	&repro_cmd, &replay_cmd,
};

const struct subcmd *subcmd_at(int i)
{
	return i >= 0 && i < (int)NELEM(subcmds) ? subcmds[i] : NULL;
}

const struct subcmd *find_subcmd(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(subcmds); i++)
		if (!strcmp(subcmds[i]->name, name))
			return subcmds[i];
	return NULL;
}

/* An enum's words as "a, b or c". */
static void word_list(struct buf *b, const char * const *w, const char *sep, const char *last)
{
	int i;

	for (i = 0; w[i]; i++)
		buf_printf(b, "%s%s", !i ? "" : w[i + 1] ? sep : last, w[i]);
}

/* What --KEY takes for a verb: its metavar, or the verb's own enum words. */
static void key_arg(struct buf *b, int key, int verb)
{
	const struct mmlab_key_desc *d = mmlab_key_desc(key);
	const char * const *w = mmlab_key_words(key, verb);

	if (d->type == KT_ENUM && w != d->words)
		word_list(b, w, "|", "|");
	else
		buf_puts(b, d->metavar);
}

/* "--KEY ARG" ("--KEY" for a flag); words: the verb's enum words as ARG. */
static void key_use(struct buf *b, int key, int verb, int words)
{
	buf_printf(b, "--%s", mmlab_key_name(key));
	if (!key_takes_value(key))
		return;
	buf_puts(b, " ");
	if (words)
		key_arg(b, key, verb);
	else
		buf_puts(b, mmlab_key_desc(key)->metavar);
}

static void keys_use(struct buf *b, unsigned int keys, int verb, const char *open,
		     const char *close, const char *sep)
{
	int k, n = 0;

	for (k = 0; k < MMLAB_NR_KEYS; k++) {
		if (!(keys & (1U << k)))
			continue;
		buf_printf(b, "%s%s", n++ ? sep : " ", open);
		key_use(b, k, verb, 1);
		buf_puts(b, close);
	}
}

/* How the verb names its pages: --pid P --addr A [--len L], or --pfn N. */
static void target_use(struct buf *b, int verb)
{
	const struct mmlab_verb_desc *d = mmlab_verb_desc(verb);
	int len = !!(d->allowed & MMLAB_K(len)), pfn = !!(d->allowed & MMLAB_K(pfn));

	if (d->target == MMLAB_T_NONE)
		return;
	buf_puts(b, d->target == MMLAB_T_OPTIONAL ? " [" : d->target == MMLAB_T_ANY && pfn ?
		 " (" : " ");
	buf_puts(b, "--pid P --addr A");
	if (len)
		buf_puts(b, " [--len L]");
	if (d->target == MMLAB_T_ANY && pfn)
		buf_puts(b, " | --pfn N)");
	if (d->target == MMLAB_T_OPTIONAL)
		buf_puts(b, "]");
}

/* The usage line's arguments: target, required keys, one of, then the others. */
static void verb_use(struct buf *b, int verb)
{
	const struct mmlab_verb_desc *d = mmlab_verb_desc(verb);
	unsigned int tkeys = MMLAB_K(pid) | MMLAB_K(addr) | MMLAB_K(len) | MMLAB_K(pfn);

	target_use(b, verb);
	keys_use(b, d->required & ~tkeys, verb, "", "", " ");
	keys_use(b, d->oneof, verb, "", "", "|");
	keys_use(b, d->allowed & ~tkeys & ~d->required & ~d->oneof, verb, "[", "]", " ");
}

static void print_opt(const char *name, const char *help)
{
	printf("  %-18s %s\n", name, help);
}

/* The verb's options, each with its key's help; then --raw and --help. */
static void verb_options(int verb)
{
	struct buf use = { 0 }, help = { 0 };
	const struct mmlab_key_desc *d;
	int k;

	puts("options:");
	for (k = 0; k < MMLAB_NR_KEYS; k++) {
		if (!(mmlab_verb_desc(verb)->allowed & (1U << k)))
			continue;
		d = mmlab_key_desc(k);
		buf_reset(&use);
		buf_reset(&help);
		key_use(&use, k, verb, 0);
		if (d->type == KT_ENUM && mmlab_key_words(k, verb) != d->words)
			word_list(&help, mmlab_key_words(k, verb), ", ", " or ");
		else
			buf_puts(&help, d->help);
		print_opt(use.s, help.s);
	}
	print_opt("--raw", "print the reply exactly as the module gave it");
	print_opt("-h, --help", "this help");
	buf_free(&use);
	buf_free(&help);
}

static void holds_what(const char *sub)
{
	printf("Holds on pages (pin: an extra reference or a FOLL_PIN; lock: the folio\n"
	       "lock; isolate: off its LRU list) and their release (unpin, unlock,\n"
	       "putback).  A hold belongs to the open control file and is released when\n"
	       "that file is closed: a one-shot 'mmlab %s' closes it as it returns, so\n"
	       "the hold lasts only for the call (it still shows whether the page can be\n"
	       "held, with its refs).  To experiment with a hold, run the commands in one\n"
	       "'mmlab session', which keeps one open file for all of them.\n", sub);
}

static void verb_help(const char *sub, int verb)
{
	const struct verb_prose *p = NULL;
	struct buf use = { 0 };
	char name[32];
	size_t i;

	for (i = 0; i < NELEM(prose); i++)
		if (!strcmp(prose[i].verb, mmlab_verb_name(verb)))
			p = &prose[i];
	buf_puts(&use, "");
	verb_use(&use, verb);
	printf("usage: mmlab %s%s\n\n", sub, use.s);
	if (verb_holds(verb))
		holds_what(sub);
	else if (p)
		printf("%s\n", p->what);
	else
		printf("%s.\n", mmlab_verb_desc(verb)->help);
	putchar('\n');
	verb_options(verb);
	printf("\nexample:\n  ");
	if (verb_holds(verb))
		printf("%s\n", holds_example);
	else if (p)
		printf("%s\n", p->example);
	else
		printf("mmlab %s\n", verb_cli_name(verb, name, sizeof(name)));
	buf_free(&use);
}

static void subcmd_help(const struct subcmd *s)
{
	const struct opt *o;

	printf("usage: mmlab %s %s\n\n%s\n\noptions:\n", s->name, s->usage, s->about);
	for (o = s->opts; o->name; o++) {
		char use[64];

		snprintf(use, sizeof(use), "%s%s%s", o->name, *o->arg ? " " : "", o->arg);
		print_opt(use, o->help);
	}
	print_opt("-h, --help", "this help");
	printf("\nexample:\n  %s\n", s->example);
}

/* The verbs on the control file, each with its one-line help; holds on one line. */
static void top_verbs(void)
{
	char name[32];
	int v, holds = 0;

	for (v = 0; v < MMLAB_NR_VERBS; v++) {
		verb_cli_name(v, name, sizeof(name));
		if (!verb_holds(v)) {
			printf("  %-12s %s\n", name, mmlab_verb_desc(v)->help);
			continue;
		}
		printf("%s%s", holds++ ? " " : "  ", name);
		if (v + 1 == MMLAB_NR_VERBS || !verb_holds(v + 1))
			printf("\n%15s%s\n", "",
			       "holds on pages; they last as long as the open file: use a session");
	}
}

/* The errnos the module can answer, by number, wrapped under the exit statuses. */
static void top_errnos(void)
{
	int i, e, col = 11, seen[256] = { 0 };

	for (i = 0; (e = mmlab_errno_at(i)); i++)
		if (e > 0 && e < 256)
			seen[e] = 1;
	printf("%11s", "");
	for (e = 1, i = 0; e < 256; e++) {
		char item[32];
		int n;

		if (!seen[e])
			continue;
		n = snprintf(item, sizeof(item), "%s%d %s", i++ ? ", " : "", e, mmlab_errname(e));
		if (col + n > 76) {
			printf(",\n%11s", "");
			col = 11;
			n = snprintf(item, sizeof(item), "%d %s", e, mmlab_errname(e));
		}
		fputs(item, stdout);
		col += n;
	}
	putchar('\n');
}

void help_top(void)
{
	size_t i;

	puts("usage: mmlab [--raw] COMMAND [OPTIONS]     (mmlab COMMAND --help for each)\n\n"
	     "Commands on the control file (one open file per call, one command on it):");
	top_verbs();
	puts("  session      run commands read from stdin on ONE open file (holds stay)\n"
	     "  write        lines written unchecked, replies as they come (raw pass-through)\n"
	     "Other files:\n"
	     "  stats        the counters [--nonzero] [--watch [SECS]] [--count N] [PATTERN...]\n"
	     "  probes       list | attach SYM|@SET [ret] | detach SYM|@SET | clear");
	printf("               (sets:");
	for (i = 0; probe_sets[i]; i++)
		printf(" %s", probe_sets[i]);
	puts(")\n"
	     "  features     what this kernel can do, and why not\n"
	     "Reproducers (scripts/repro of mmlab's tree):\n"
	     "  repro        a 72-column reproducer of experiment ID or --kind/--cmd\n"
	     "  replay       run one here: which expect tokens held\n\n"
	     "Options of the commands map to the module's keys: --pid P is pid=P,\n"
	     "--len 2M is len=2M (docs/design.md, \"Grammar\"); KEY=VALUE words are taken\n"
	     "as they are.  The module's own grammar (module/parse.c, linked in) checks\n"
	     "the options, the values and the required keys: a line it refuses is not\n"
	     "written and exits 22 (EINVAL) with its reason on stderr, as the module\n"
	     "answers it.  The module's other refusals exit with their errno.\n\n"
	     "Output: the reply as aligned tables (per-page lines as rows, the summary\n"
	     "as key/value pairs); --raw prints the reply exactly as the module gave it.\n\n"
	     "Exit status:\n"
	     "  0        the command ran; what happened inside (a refused migration) is data\n"
	     "  errno    the module refused the command: its errno, named in its error=\n"
	     "           line; the module answers these:");
	top_errnos();
	puts("  64       usage error, nothing written (not 2: that is ENOENT's number)\n"
	     "  69       debugfs not mounted, or the mmlab module not loaded\n"
	     "  70       the module refused with an errno this program cannot number\n"
	     "  77       permission denied: root with CAP_SYS_ADMIN is needed\n\n"
	     "Environment: MMLAB_DEBUGFS (default /sys/kernel/debug/mmlab), COLUMNS.\n\n"
	     "Example:\n"
	     "  mmlab migrate --pid 1234 --addr 0x7f3a1c000000 --len 16K --node 1");
}

/* SUBCOMMAND --help (mmlab help SUBCOMMAND); the top help for anything else. */
void help_cmd(const char *sub)
{
	const struct subcmd *s = find_subcmd(sub);
	int verb = control_verb(sub);

	if (s)
		subcmd_help(s);
	else if (verb >= 0)
		verb_help(sub, verb);
	else
		help_top();
}
