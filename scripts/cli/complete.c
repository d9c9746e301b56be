// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: `mmlab --complete WORDS...`, the candidates for the last of
 * WORDS (the command line being completed, the last word possibly empty),
 * one a line, for scripts/mmlab-completion.bash: subcommands, a
 * subcommand's options, and values where the machine knows them (nodes
 * from /sys/devices/system/node, pids from /proc, the target's vma starts
 * for --addr, the cgroup-v1 memcgs for --to, enum words from the grammar,
 * probe sets and kernel functions for `probes attach`).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

static const char *cur;		/* the word being completed */

static void offer(const char *w)
{
	if (!strncmp(w, cur, strlen(cur)))
		printf("%s\n", w);
}

static void offer_list(const char * const *w)
{
	for (; *w; w++)
		offer(*w);
}

static void offer_subcommands(void)
{
	static const char * const more[] = { "help", NULL };
	char name[32];
	int v;

	for (v = 0; v < MMLAB_NR_VERBS; v++)
		offer(verb_cli_name(v, name, sizeof(name)));
	for (v = 0; subcmd_at(v); v++)
		offer(subcmd_at(v)->name);
	offer_list(more);
}

/* A subcommand's options (nothing for help or an unknown word). */
static void offer_options(const char *sub)
{
	const struct subcmd *s = find_subcmd(sub);
	int verb = control_verb(sub), k;
	const struct opt *o;
	char name[64];

	if (verb >= 0) {
		for (k = 0; k < MMLAB_NR_KEYS; k++) {
			if (!(mmlab_verb_desc(verb)->allowed & (1U << k)))
				continue;
			snprintf(name, sizeof(name), "--%s", mmlab_key_name(k));
			offer(name);
		}
		offer("--raw");
	} else if (s) {
		for (o = s->opts; o->name; o++)
			offer(o->name);
	} else {
		return;
	}
	offer("--help");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* A name accept() takes: a pid, a node, one starting with arg. */
typedef int (*accept_fn)(const char *name, const char *arg);

/* pids (arg ""), nodes (arg "node"): arg, then a digit. */
static int is_numbered(const char *name, const char *arg)
{
	size_t n = strlen(arg);

	return !strncmp(name, arg, n) && name[n] >= '0' && name[n] <= '9';
}

static int has_prefix(const char *name, const char *arg)
{
	return strcmp(name, ".") && strcmp(name, "..") && !strncmp(name, arg, strlen(arg));
}

/*
 * Offer OUT + NAME + SKIP for each entry of dir that accept() takes
 * (directories only when dirs), sorted as a glob sorts them.
 */
static void offer_dir(const char *dir, accept_fn accept, const char *arg, int dirs,
		      const char *out, size_t skip)
{
	char **name = NULL, path[1024];
	struct dirent *e;
	struct stat st;
	int n = 0, i;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!accept(e->d_name, arg))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (dirs && (stat(path, &st) || !S_ISDIR(st.st_mode)))
			continue;
		name = xrealloc(name, (n + 1) * sizeof(*name));
		name[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(name, n, sizeof(*name), by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s%s", out, name[i] + skip);
		offer(path);
		free(name[i]);
	}
	free(name);
}

/* The word after OPTION on the line so far (after a '=' that split it). */
static const char *word_after(int cword, char **w, const char *option)
{
	int i;

	for (i = 1; i < cword; i++) {
		if (strcmp(w[i], option))
			continue;
		if (i + 1 < cword && !strcmp(w[i + 1], "=") && i + 2 < cword)
			return w[i + 2];
		return i + 1 < cword ? w[i + 1] : "";
	}
	return "";
}

/* The vma starts of the --pid on the line, from /proc/PID/maps. */
static void offer_vmas(int cword, char **w)
{
	const char *pid = word_after(cword, w, "--pid");
	char path[128], line[4096], addr[64];
	FILE *f;

	if (!*pid || strchr(pid, '/'))
		return;
	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		snprintf(addr, sizeof(addr), "0x%.*s", (int)strcspn(line, " -\n"), line);
		offer(addr);
	}
	fclose(f);
}

/* The mount point of the cgroup-v1 memory hierarchy, in mnt. */
static int memcg_mount(char *mnt, size_t len)
{
	char m[512], fs[64], opts[1024], comma[1030];
	int found = 0;
	FILE *f = fopen("/proc/mounts", "r");

	if (!f)
		return 0;
	while (!found && fscanf(f, "%*s %511s %63s %1023s %*[^\n]", m, fs, opts) == 3) {
		snprintf(comma, sizeof(comma), ",%s,", opts);
		found = !strcmp(fs, "cgroup") && strstr(comma, ",memory,");
	}
	fclose(f);
	if (found)
		snprintf(mnt, len, "%s", m);
	return found;
}

/* Directories of the cgroup-v1 memory hierarchy, as paths inside it. */
static void offer_memcgs(void)
{
	char mnt[512], dir[1024], out[512];
	const char *p = cur[0] == '/' ? cur + 1 : cur, *slash = strrchr(p, '/');

	if (!memcg_mount(mnt, sizeof(mnt)))
		return;
	offer("/");
	if (slash) {
		snprintf(dir, sizeof(dir), "%s/%.*s", mnt, (int)(slash - p), p);
		snprintf(out, sizeof(out), "/%.*s/", (int)(slash - p), p);
		offer_dir(dir, has_prefix, slash + 1, 1, out, 0);
	} else {
		offer_dir(mnt, has_prefix, p, 1, "/", 0);
	}
}

/* The values worth offering after --KEY. */
static void offer_values(const char *sub, const char *prev, int cword, char **w)
{
	static const char * const sizes[] = { "4K", "16K", "64K", "2M", NULL };
	static const char * const flag[] = { "0", "1", NULL };
	static const char * const inject_points[] = {
#define MMLAB_INJECT(name, ...) (#name),
#include "../../include/mmlab_lists.h"
		NULL
	};
	int key = strncmp(prev, "--", 2) ? -1 : key_index(prev + 2);
	int verb = control_verb(sub);

	if (key == MMLAB_KEY_pid)
		offer_dir("/proc", is_numbered, "", 0, "", 0);
	else if (key == MMLAB_KEY_node)
		offer_dir("/sys/devices/system/node", is_numbered, "node", 1, "", 4);
	else if (key == MMLAB_KEY_addr)
		offer_vmas(cword, w);
	else if (key < 0)
		return;
	else if (mmlab_key_desc(key)->type == KT_ENUM)
		offer_list(verb >= 0 ? mmlab_key_words(key, verb) : mmlab_key_desc(key)->words);
	else if (mmlab_key_desc(key)->type == KT_BOOL)
		offer_list(flag);
	else if (mmlab_key_desc(key)->type == KT_SIZE)
		offer_list(sizes);
	else if (mmlab_key_desc(key)->type == KT_PATH)
		offer_memcgs();
	else if (mmlab_key_desc(key)->type == KT_SYM)
		offer_list(inject_points);
}

/* Kernel functions starting with cur (3 characters at least: kallsyms is long). */
static void offer_symbols(void)
{
	char line[512], type[8], name[256];
	FILE *f;

	if (strlen(cur) < 3 || cur[strspn(cur, SYMBOL_CHARS)])
		return;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %7s %255s", type, name) == 2 &&
		    (!strcmp(type, "t") || !strcmp(type, "T")) && !strncmp(name, cur, strlen(cur)))
			offer(name);
	fclose(f);
}

/* What is attached (the probes file's sym= fields), when it can be read. */
static void offer_attached(void)
{
	char path[512], line[1024], sym[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/probes", mmlab_dir());
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %255s", sym) == 1)
			offer(strncmp(sym, "sym=", 4) ? sym : sym + 4);
	fclose(f);
}

static void complete_probes(int cword, char **w, const char *prev)
{
	static const char * const verbs[] = {
		"list", "attach", "detach", "clear", "--raw", "--help", NULL
	};
	static const char * const ret[] = { "ret", NULL };

	if (!strcmp(prev, "probes")) {
		offer_list(verbs);
	} else if (!strcmp(prev, "attach")) {
		offer_list(probe_sets);
		offer_symbols();
	} else if (!strcmp(prev, "detach")) {
		offer_list(probe_sets);
		offer_attached();
	} else if (cword >= 2 && !strcmp(w[cword - 2], "attach") && prev[0] != '@') {
		offer_list(ret);
	}
}

/* Does option prev of sub take a value (so that nothing else fits after it)? */
static int takes_value(const char *sub, const char *prev)
{
	const struct subcmd *s = find_subcmd(sub);
	const struct opt *o;

	if (strncmp(prev, "--", 2))
		return 0;
	if (key_takes_value(key_index(prev + 2)))
		return 1;
	for (o = s ? s->opts : NULL; o && o->name; o++)
		if (!strcmp(o->name, prev))
			return *o->arg && *o->arg != '[';
	return 0;
}

/* w[0..n): the command line, w[n - 1] the word being completed. */
int complete(int n, char **w)
{
	const char *prev, *sub = NULL;
	int cword = n - 1, i;

	if (n < 1)
		return 0;
	cur = w[cword];
	prev = cword > 0 ? w[cword - 1] : "";
	/* --key=value: the shell splits it at the '='. */
	if (!strcmp(cur, "="))
		cur = "";
	else if (!strcmp(prev, "=") && cword > 1)
		prev = w[cword - 2];
	for (i = 1; i < cword && !sub; i++)
		if (w[i][0] != '-')
			sub = w[i];
	if (!sub) {
		offer_subcommands();
		offer("--raw");
		offer("--help");
	} else if (!strcmp(sub, "help")) {
		if (i == cword)
			offer_subcommands();
	} else if (!strcmp(sub, "probes")) {
		complete_probes(cword, w, prev);
	} else {
		offer_values(sub, prev, cword, w);
		/* After an option that takes a value, offer nothing else. */
		if (!takes_value(sub, prev))
			offer_options(sub);
	}
	return 0;
}
