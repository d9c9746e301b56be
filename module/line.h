/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab line writer: a reply line put together from strings and numbers by
 * hand, for the lines a command writes once per page (migrate: tens of
 * thousands per command).  A vsnprintf() of ten arguments was most of the
 * time migrate spent after the kernel's migrate_pages() returned (`make
 * bench`, docs/bench.md).  What does not fit is cut, never overrun.
 */
#ifndef MMLAB_LINE_H
#define MMLAB_LINE_H

#include <linux/string.h>
#include <linux/types.h>

#define MMLAB_OUTLINE_MAX 320

struct mmlab_line {
	unsigned int len;
	char buf[MMLAB_OUTLINE_MAX];
};

static inline void mmlab_line_str(struct mmlab_line *l, const char *s)
{
	while (*s && l->len < MMLAB_OUTLINE_MAX)
		l->buf[l->len++] = *s++;
}

/* Digits of @v, last first, into @d; how many.  Constant divisors: no div. */
static inline int mmlab_line_digits(char *d, unsigned long v, bool hex)
{
	int n = 0;

	do {
		if (hex) {
			d[n++] = "0123456789abcdef"[v & 15];
			v >>= 4;
		} else {
			d[n++] = '0' + v % 10;
			v /= 10;
		}
	} while (v);
	return n;
}

static inline void mmlab_line_num(struct mmlab_line *l, const char *prefix, unsigned long v,
				  bool hex)
{
	char d[24];
	int n = mmlab_line_digits(d, v, hex);

	mmlab_line_str(l, prefix);
	while (n && l->len < MMLAB_OUTLINE_MAX)
		l->buf[l->len++] = d[--n];
}

static inline void mmlab_line_hex(struct mmlab_line *l, const char *key, unsigned long v)
{
	mmlab_line_str(l, key);
	mmlab_line_num(l, "0x", v, true);
}

static inline void mmlab_line_int(struct mmlab_line *l, const char *key, long v)
{
	mmlab_line_str(l, key);
	mmlab_line_num(l, v < 0 ? "-" : "", v < 0 ? -(unsigned long)v : v, false);
}

/* The newline, even on a line that was cut. */
static inline void mmlab_line_end(struct mmlab_line *l)
{
	if (l->len == MMLAB_OUTLINE_MAX)
		l->len--;
	l->buf[l->len++] = '\n';
}

#endif
