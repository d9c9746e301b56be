// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: `mmlab features`, the features file as the settings (dotted
 * keys: kernel.release), then a table of capabilities and one of kernel
 * symbols, each available or not with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), e = strlen(end);

	return n >= e && !strcmp(s + n - e, end);
}

/* "NAME yes ..." or "NAME no reason=...": a capability line. */
static int is_capability(const char *l)
{
	return ends_with(l, " yes") || strstr(l, " yes ") || ends_with(l, " no") ||
	       strstr(l, " no ");
}

/* A settings line as "TYPE.KEY  value" pairs, aligned when printed. */
static void settings(const char *l, struct buf *head, struct buf *val, int *n, int *w)
{
	struct fields f = { 0 };
	int i, len;

	parse_line(l, &f);
	for (i = 0; i < f.n; i++) {
		len = strlen(f.type ? f.type : "") + 1 + strlen(f.f[i].key);
		buf_printf(head, "%s.%s%c", f.type ? f.type : "", f.f[i].key, '\0');
		buf_printf(val, "%s%c", f.f[i].val, '\0');
		*w = len > *w ? len : *w;
		++*n;
	}
	fields_free(&f);
}

/* A row of a table: "x KEY=NAME available=yes|no ..." from "NAME yes|no ...". */
static void table_row(struct group *g, const char *key, const char *l)
{
	struct buf row = { 0 };
	size_t sp = strcspn(l, " ");

	buf_printf(&row, "x %s=%.*s", key, (int)sp, l);
	if (l[sp])
		buf_printf(&row, " available=%s", l + sp + 1);
	group_add(g, row.s);
	buf_free(&row);
}

static void features_show(char *text)
{
	struct render_state st = { .groups = 1, .force_table = 1 };
	struct group *caps = group_new("x", 1), *syms = group_new("x", 1);
	struct buf head = { 0 }, val = { 0 };
	char *l, *nl;
	const char *h, *v;
	int n = 0, w = 0, i;

	for (l = text; l; l = nl) {
		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		if (nl && !*nl)
			nl = NULL;
		if (!strncmp(l, "sym:", 4))
			table_row(syms, "symbol", l + 4);
		else if (is_capability(l))
			table_row(caps, "capability", l);
		else
			settings(l, &head, &val, &n, &w);
	}
	for (i = 0, h = head.s, v = val.s; i < n; i++, h += strlen(h) + 1, v += strlen(v) + 1)
		printf("%-*s  %s\n", w, h, v);
	group_flush(caps, &st);
	group_flush(syms, &st);
	group_free(caps);
	group_free(syms);
	buf_free(&head);
	buf_free(&val);
}

static int features(int argc, char **argv)
{
	struct buf text = { 0 };

	if (plain_args(argc, argv, "features"))
		return 0;
	read_file("features", &text);
	if (cli_raw)
		fwrite(text.s, 1, text.len, stdout);
	else
		features_show(text.s);
	buf_free(&text);
	return 0;
}

static const struct opt features_opts[] = {
	{ "--raw", "", "the file as it is" },
	{ }
};

const struct subcmd features_cmd = {
	.name = "features",
	.run = features,
	.usage = "[--raw]",
	.about =
		"What this kernel and module can do: kernel, module, IBT and calling-path\n"
		"settings, then each capability (yes, or no with the reason) and each\n"
		"kernel symbol mmlab resolved.",
	.opts = features_opts,
	.example = "mmlab features",
};
