// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: a logfmt reply as aligned tables.
 *
 * Consecutive lines of one type (the text up to the first blank or '=':
 * "page", "map", "error") make a group.  A group is a table: a header of
 * keys, one row per line, columns two blanks apart, a key new to a row
 * placed right after that row's previous key (so rows of different shapes,
 * migrated and failed, keep their order), a missing cell as "-" and an
 * empty value as "".  A group of one line that is the summary, or that is
 * wider than COLUMNS, is a block of "key value" pairs instead, as many to a
 * row as fit.  When a reply mixes kinds of lines, each table has a title.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

struct cell {
	int col;
	char *val;
};

struct row {
	struct cell *cell;
	int n;
};

struct column {
	char *name;
	int width;
};

struct group {
	char *type;
	struct column *col;	/* by creation */
	int *order;		/* display order: indexes into col */
	int ncols;
	struct row *row;
	int nrows;
};

static void add_field(struct fields *f, char *key, char *val)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->f = xrealloc(f->f, f->cap * sizeof(*f->f));
	}
	f->f[f->n].key = key;
	f->f[f->n].val = val;
	f->n++;
}

/* A bare word: the type when it comes first, else the field argN. */
static void add_word(struct fields *f, const char *w, size_t n, int *args)
{
	char name[16];

	if (!f->type) {
		f->type = xstrndup(w, n);
		return;
	}
	snprintf(name, sizeof(name), "arg%d", ++*args);
	add_field(f, xstrdup(name), xstrndup(w, n));
}

static void add_pair(struct fields *f, const char *k, size_t kn, const char *v, size_t vn)
{
	if (!f->type)
		f->type = xstrndup(k, kn);
	add_field(f, xstrndup(k, kn), xstrndup(v, vn));
}

/* A line without quotes: words at blanks, each KEY=VALUE or a bare word. */
static void parse_plain(const char *s, struct fields *f)
{
	const char *w, *eq;
	int args = 0;
	size_t n;

	for (;;) {
		s += strspn(s, " \t\n");
		if (!*s)
			return;
		w = s;
		n = strcspn(w, " \t\n");
		s += n;
		eq = memchr(w, '=', n);
		if (eq)
			add_pair(f, w, eq - w, eq + 1, w + n - eq - 1);
		else
			add_word(f, w, n, &args);
	}
}

/*
 * A line with quotes: KEY, KEY=VALUE or KEY="VALUE WITH BLANKS" (the
 * longer reading wins, as in a POSIX regex); the quotes are dropped.
 */
static void parse_quoted(const char *s, struct fields *f)
{
	const char *k, *v, *q;
	size_t kn, vn, plain;
	int args = 0;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		k = s;
		for (kn = 0; k[kn] && k[kn] != '=' && !isspace((unsigned char)k[kn]); kn++)
			;
		if (!kn)
			return;
		s = k + kn;
		if (*s != '=') {
			add_word(f, k, kn, &args);
			continue;
		}
		v = s + 1;
		for (plain = 0; v[plain] && !isspace((unsigned char)v[plain]); plain++)
			;
		q = *v == '"' ? strchr(v + 1, '"') : NULL;
		vn = q && (size_t)(q - v + 1) > plain ? (size_t)(q - v + 1) : plain;
		s = v + vn;
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"')
			add_pair(f, k, kn, v + 1, vn - 2);
		else
			add_pair(f, k, kn, v, vn);
	}
}

/* A reply line: its type (first word, or first key) and its fields. */
void parse_line(const char *s, struct fields *f)
{
	f->type = NULL;
	f->n = 0;
	if (strchr(s, '"'))
		parse_quoted(s, f);
	else
		parse_plain(s, f);
}

void fields_free(struct fields *f)
{
	int i;

	for (i = 0; i < f->n; i++) {
		free(f->f[i].key);
		free(f->f[i].val);
	}
	free(f->f);
	free(f->type);
	memset(f, 0, sizeof(*f));
}

struct group *group_new(const char *type, size_t len)
{
	struct group *g = xrealloc(NULL, sizeof(*g));

	memset(g, 0, sizeof(*g));
	g->type = xstrndup(type, len);
	return g;
}

void group_free(struct group *g)
{
	int i, j;

	for (i = 0; i < g->nrows; i++) {
		for (j = 0; j < g->row[i].n; j++)
			free(g->row[i].cell[j].val);
		free(g->row[i].cell);
	}
	for (i = 0; i < g->ncols; i++)
		free(g->col[i].name);
	free(g->row);
	free(g->col);
	free(g->order);
	free(g->type);
	free(g);
}

static int find_col(const struct group *g, const char *name)
{
	int i;

	for (i = 0; i < g->ncols; i++)
		if (!strcmp(g->col[i].name, name))
			return i;
	return -1;
}

/* A new column, shown right after column prev (first when prev < 0). */
static int new_col(struct group *g, const char *name, int prev)
{
	int c = g->ncols++, at = 0, i;

	g->col = xrealloc(g->col, g->ncols * sizeof(*g->col));
	g->order = xrealloc(g->order, g->ncols * sizeof(*g->order));
	g->col[c].name = xstrdup(name);
	g->col[c].width = strlen(name);
	for (i = 0; prev >= 0 && i < c; i++)
		if (g->order[i] == prev)
			at = i + 1;
	memmove(g->order + at + 1, g->order + at, (c - at) * sizeof(*g->order));
	g->order[at] = c;
	return c;
}

static const char *cell_of(const struct row *r, int col)
{
	int i;

	for (i = r->n - 1; i >= 0; i--)
		if (r->cell[i].col == col)
			return r->cell[i].val;
	return NULL;
}

/* The line as the group's next row. */
void group_add(struct group *g, const char *line)
{
	struct fields f = { 0 };
	struct row *r;
	int i, c, prev = -1, w;

	parse_line(line, &f);
	g->row = xrealloc(g->row, (g->nrows + 1) * sizeof(*g->row));
	r = &g->row[g->nrows++];
	r->cell = xrealloc(NULL, (f.n ? f.n : 1) * sizeof(*r->cell));
	r->n = 0;
	for (i = 0; i < f.n; i++) {
		c = find_col(g, f.f[i].key);
		if (c < 0)
			c = new_col(g, f.f[i].key, prev);
		/* An empty value shows as "" (a blank cell would misalign a reader's split). */
		r->cell[r->n].col = c;
		r->cell[r->n].val = *f.f[i].val ? xstrdup(f.f[i].val) : xstrdup("\"\"");
		w = strlen(r->cell[r->n].val);
		if (w > g->col[c].width)
			g->col[c].width = w;
		r->n++;
		prev = c;
	}
	fields_free(&f);
}

static void print_row(const struct group *g, const struct row *r)
{
	const char *v;
	int i, c;

	for (i = 0; i < g->ncols; i++) {
		c = g->order[i];
		v = r ? cell_of(r, c) : g->col[c].name;
		if (!v)
			v = "-";
		if (i < g->ncols - 1)
			printf("%-*s  ", g->col[c].width, v);
		else
			printf("%s\n", v);
	}
}

static void group_table(const struct group *g)
{
	int r;

	print_row(g, NULL);
	for (r = 0; r < g->nrows; r++)
		print_row(g, &g->row[r]);
}

static void print_trimmed(struct buf *out)
{
	while (out->len && out->s[out->len - 1] == ' ')
		out->len--;
	printf("%.*s\n", (int)out->len, out->s);
	buf_reset(out);
}

/* A one-line group as "key value" pairs, as many to a row as COLUMNS holds. */
static void group_block(const struct group *g)
{
	const struct row *r = &g->row[0];
	struct buf out = { 0 };
	int i, c, kw = 0, vw = 0, per, n = 0;

	for (i = 0; i < g->ncols; i++) {
		c = g->order[i];
		kw = (int)strlen(g->col[c].name) > kw ? (int)strlen(g->col[c].name) : kw;
		vw = (int)strlen(cell_of(r, c)) > vw ? (int)strlen(cell_of(r, c)) : vw;
	}
	per = (term_width() - 2) / (kw + vw + 5);
	if (per < 1)
		per = 1;
	printf("%s:\n", g->type);
	for (i = 0; i < g->ncols; i++) {
		c = g->order[i];
		buf_printf(&out, "  %-*s  %-*s", kw, g->col[c].name, vw, cell_of(r, c));
		if (++n % per == 0)
			print_trimmed(&out);
	}
	if (out.len)
		print_trimmed(&out);
	buf_free(&out);
}

/* Print the group: a table, or a block for the summary and a lone line too wide. */
void group_flush(struct group *g, struct render_state *st)
{
	int i, w = 0;

	if (!g->nrows)
		return;
	if (st->groups++)
		putchar('\n');
	for (i = 0; i < g->ncols; i++)
		w += g->col[i].width + 2;
	if (g->nrows == 1 && (!strcmp(g->type, "summary") || w > term_width()) &&
	    !st->force_table) {
		group_block(g);
		return;
	}
	if (st->titles)
		printf("%s:\n", g->type);
	group_table(g);
}

/* What a line's group is: the text up to its first blank or '='. */
static size_t type_len(const char *line)
{
	return strcspn(line, " =");
}

static int same_type(const char *line, const char *type)
{
	size_t n = type_len(line);

	return strlen(type) == n && !strncmp(line, type, n);
}

static int same_group(const char *a, const char *b)
{
	size_t n = type_len(a);

	return n == type_len(b) && !strncmp(a, b, n);
}

/* Titles only when a reply mixes kinds of lines (rmap: rmap, map). */
static int kinds(char **line, int n)
{
	const char *prev = "";
	int i, k = 0;

	for (i = 0; i < n; i++) {
		if (!same_group(line[i], prev) && !same_type(line[i], "summary"))
			k++;
		prev = line[i];
	}
	return k;
}

/* A reply (or the probes file) as tables, one per run of lines of one type. */
void render(const char *text, size_t len, int force_table)
{
	struct render_state st = { .force_table = force_table };
	char *copy, **line;
	struct group *g;
	int n = 0, i;
	size_t j;

	if (!len)
		return;
	copy = xstrndup(text, text[len - 1] == '\n' ? len - 1 : len);
	line = xrealloc(NULL, (len + 1) * sizeof(*line));
	line[n++] = copy;
	for (j = 0; copy[j]; j++) {
		if (copy[j] == '\n') {
			copy[j] = '\0';
			line[n++] = copy + j + 1;
		}
	}
	st.titles = kinds(line, n) > 1;
	g = group_new("", 0);
	for (i = 0; i < n; i++) {
		if (!same_type(line[i], g->type)) {
			group_flush(g, &st);
			group_free(g);
			g = group_new(line[i], type_len(line[i]));
		}
		group_add(g, line[i]);
	}
	group_flush(g, &st);
	group_free(g);
	free(line);
	free(copy);
}
