// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: messages and exits, memory, growable strings, words.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_raw;

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die(EX_SOFTWARE, "out of memory");
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = b->cap ? b->cap : 256;
		while (b->cap < b->len + n + 1)
			b->cap *= 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < (int)sizeof(small)) {
		buf_add(b, small, n);
		return;
	}
	buf_add(b, "", 0);
	if (b->len + n + 1 > b->cap) {
		b->cap = b->len + n + 1;
		b->s = xrealloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

static void vsay(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* A line on stderr. */
void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("mmlab: ", fmt, ap);
	va_end(ap);
	exit(status);
}

/* "mmlab SUB: MESSAGE", where to look, and exit 64: nothing was written. */
void usage_error(const char *sub, const char *fmt, ...)
{
	char prefix[96];
	va_list ap;
	int any = sub && *sub;

	snprintf(prefix, sizeof(prefix), "mmlab%s%s: ", any ? " " : "", any ? sub : "");
	va_start(ap, fmt);
	vsay(prefix, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'mmlab %s%s--help'.\n", any ? sub : "", any ? " " : "");
	exit(EX_USAGE);
}

/* COLUMNS, as a shell reads it: unset or empty is 120. */
int term_width(void)
{
	const char *c = getenv("COLUMNS");

	return c && *c ? atoi(c) : 120;
}

int has_blank(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s))
			return 1;
	return 0;
}

/* Split s in place at blanks and newlines, as the shell splits words. */
int split_words(char *s, char **word, int max)
{
	int n = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			*s++ = '\0';
		if (!*s)
			break;
		if (n == max)
			return -1;
		word[n++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
	}
	return n;
}

int plain_args(int argc, char **argv, const char *sub)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--raw")) {
			cli_raw = 1;
			continue;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help_cmd(sub);
			return 1;
		}
		usage_error(sub, "unexpected argument '%s'", argv[i]);
	}
	return 0;
}
