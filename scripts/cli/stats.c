// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: `mmlab stats`, the module's counters, name and value; with
 * --watch, every SECS seconds the counters that moved, with the change.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

struct counters {
	struct buf text;	/* the stats file */
	char **name, **val;	/* into text, in file order */
	int n;
};

struct stats_opts {
	int nonzero;
	char **pat;		/* globs, matched anywhere in the name */
	int npat;
};

/* The stats file as names and values. */
static void stats_read(struct counters *c)
{
	char *p, *nl, *n, *v;

	buf_reset(&c->text);
	read_file("stats", &c->text);
	free(c->name);
	free(c->val);
	c->name = xrealloc(NULL, (c->text.len / 2 + 1) * sizeof(*c->name));
	c->val = xrealloc(NULL, (c->text.len / 2 + 1) * sizeof(*c->val));
	c->n = 0;
	for (p = c->text.s; p && *p; p = nl) {
		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		n = strtok(p, " \t");
		if (!n)
			continue;
		v = strtok(NULL, " \t");
		c->name[c->n] = n;
		c->val[c->n++] = v ? v : "";
	}
}

static const char *old_value(const struct counters *old, int i, const char *name)
{
	if (i < old->n && !strcmp(old->name[i], name))
		return old->val[i];
	for (i = 0; i < old->n; i++)
		if (!strcmp(old->name[i], name))
			return old->val[i];
	return "0";
}

/* Does counter i pass --nonzero and the patterns? */
static int wanted(const struct stats_opts *o, const struct counters *c, int i)
{
	char glob[256];
	int j;

	if (o->nonzero && !strcmp(c->val[i], "0"))
		return 0;
	for (j = 0; j < o->npat; j++) {
		snprintf(glob, sizeof(glob), "*%s*", o->pat[j]);
		if (!fnmatch(glob, c->name[i], 0))
			return 1;
	}
	return !o->npat;
}

/* Every wanted counter; with old, only those that moved, with the change. */
static void stats_print(const struct stats_opts *o, const struct counters *c,
			const struct counters *old)
{
	int *sel = xrealloc(NULL, (c->n + 1) * sizeof(*sel));
	int i, n = 0, w = 0;

	for (i = 0; i < c->n; i++) {
		if (!wanted(o, c, i))
			continue;
		if (old && !strcmp(c->val[i], old_value(old, i, c->name[i])))
			continue;
		sel[n++] = i;
		if ((int)strlen(c->name[i]) > w)
			w = strlen(c->name[i]);
	}
	if (!n && old && !cli_raw)
		puts("(no counter moved)");
	for (i = 0; i < n; i++) {
		const char *name = c->name[sel[i]], *val = c->val[sel[i]];

		if (cli_raw)
			printf("%s %s\n", name, val);
		else if (old)
			printf("%-*s %12s  %+lld\n", w, name, val,
			       (long long)(strtoull(val, NULL, 10) -
					   strtoull(old_value(old, sel[i], name), NULL, 10)));
		else
			printf("%-*s %12s\n", w, name, val);
	}
	free(sel);
}

/* SECS: digits, optionally a point and digits. */
static int is_secs(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (!n)
		return 0;
	if (s[n] == '.') {
		s += n + 1;
		n = strspn(s, "0123456789");
		if (!n)
			return 0;
	}
	return !s[n];
}

static long long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

static void pause_secs(const char *secs)
{
	double s = strtod(secs, NULL);
	struct timespec t = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&t, &t))
		;
}

/* The rounds after the first: SECS apart, what moved since the last. */
static void watch(const struct stats_opts *o, struct counters *cur, const char *secs,
		  unsigned long long count)
{
	struct counters old = { 0 };
	unsigned long long round = 1;
	long long t0 = now_us(), d;

	while (!count || round < count) {
		fflush(stdout);
		pause_secs(secs);
		round++;
		buf_free(&old.text);
		free(old.name);
		free(old.val);
		old = *cur;
		memset(cur, 0, sizeof(*cur));
		stats_read(cur);
		if (cli_raw) {
			putchar('\n');
			stats_print(o, cur, NULL);
			continue;
		}
		d = (now_us() - t0) / 100000;	/* tenths of a second */
		printf("--- +%lld.%llds\n", d / 10, d % 10);
		stats_print(o, cur, &old);
	}
}

static const char *value_of(int argc, char **argv, int *i)
{
	const char *eq = strchr(argv[*i], '=');

	if (eq)
		return eq + 1;
	return ++*i < argc ? argv[*i] : "";
}

static int stats(int argc, char **argv)
{
	struct stats_opts o = { .pat = xrealloc(NULL, (argc + 1) * sizeof(char *)) };
	struct counters c = { 0 };
	const char *secs = NULL, *count = "0", *a;
	int i;

	for (i = 0; i < argc; i++) {
		a = argv[i];
		if (!strcmp(a, "--nonzero"))
			o.nonzero = 1;
		else if (!strcmp(a, "--watch"))
			secs = i + 1 < argc && is_secs(argv[i + 1]) ? argv[++i] : "1";
		else if (!strncmp(a, "--watch=", 8))
			secs = a + 8;
		else if (!strcmp(a, "--count") || !strncmp(a, "--count=", 8))
			count = value_of(argc, argv, &i);
		else if (!strcmp(a, "--raw"))
			cli_raw = 1;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			break;
		else if (a[0] == '-')
			usage_error("stats", "unknown option %s", a);
		else
			o.pat[o.npat++] = argv[i];
	}
	if (i < argc) {
		help_cmd("stats");
		return 0;
	}
	if (!*count || count[strspn(count, "0123456789")])
		usage_error("stats", "--count: not a number: '%s'", count);
	if (secs && *secs && !is_secs(secs))
		usage_error("stats", "--watch: not a number of seconds: '%s'", secs);
	if ((!secs || !*secs) && strcmp(count, "0"))
		usage_error("stats", "--count goes with --watch");
	stats_read(&c);
	stats_print(&o, &c, NULL);
	if (secs && *secs)
		watch(&o, &c, secs, strtoull(count, NULL, 10));
	return 0;
}

static const struct opt stats_opts[] = {
	{ "--nonzero", "", "leave out counters that are 0" },
	{ "--watch", "[SECS]", "repeat every SECS seconds, showing what moved" },
	{ "--count", "N", "stop after N rounds (with --watch)" },
	{ "--raw", "", "\"name value\" lines as the file has them" },
	{ }
};

const struct subcmd stats_cmd = {
	.name = "stats",
	.run = stats,
	.usage = "[--nonzero] [--watch [SECS]] [--count N] [--raw] [PATTERN...]",
	.about =
		"The module's counters (the stats file), name and value.  PATTERNs (globs,\n"
		"matched anywhere in the name) pick counters.  --watch prints them, then\n"
		"every SECS seconds (default 1) the counters that moved, with the change,\n"
		"for --count rounds in all (default: until interrupted).",
	.opts = stats_opts,
	.example = "mmlab stats --nonzero migrate_ 'check_*_failed'",
};
