// SPDX-License-Identifier: GPL-2.0
/*
 * grammar_doc: docs/design.md's tables of the command grammar, printed from
 * the parser's own tables (module/parse.c, through mmlab_key_desc() and
 * mmlab_verb_desc()), so the documentation cannot drift from what the
 * module accepts.  "keys": every key, its value, its range and the verbs
 * that take it; "verbs": every verb and its keys.  scripts/readme-counters
 * puts them between their markers.
 */
#include <stdio.h>
#include <string.h>
#include "../../include/mmlab_cmd.h"

static void words(const char * const *w)
{
	int i;

	for (i = 0; w[i]; i++)
		printf("%s`%s`", i ? " " : "", w[i]);
}

static void number(unsigned long long n, int size)
{
	if (size && n >= (1ULL << 20) && !(n & ((1ULL << 20) - 1)))
		printf("%lluM", n >> 20);
	else
		printf("%llu", n);
}

/* The value column: an enum lists its words, and other verbs' own words. */
static void value(enum mmlab_key k, const struct mmlab_key_desc *d)
{
	const char * const *w;
	int v;

	switch (d->type) {
	case KT_NUM:
		printf("number");
		return;
	case KT_SIZE:
		printf("size (suffix K, M or G)");
		return;
	case KT_BOOL:
		printf("`0` `1`");
		return;
	case KT_PATH:
		printf("memcg path");
		return;
	case KT_SYM:
		printf("kernel function");
		return;
	case KT_ENUM:
		break;
	}
	words(d->words);
	for (v = 0; v < MMLAB_NR_VERBS; v++) {
		w = mmlab_key_words(k, v);
		if (w != d->words && (mmlab_verb_desc(v)->allowed & (1U << k))) {
			printf("; for `%s`: ", mmlab_verb_name(v));
			words(w);
		}
	}
}

static void range(const struct mmlab_key_desc *d)
{
	if (d->type == KT_PATH) {
		printf("starts with `/`, at most %d printable bytes", MMLAB_PATH_MAX);
		return;
	}
	if (d->type == KT_SYM) {
		printf("`[A-Za-z0-9_.]`, at most %d bytes", MMLAB_SYM_MAX - 1);
		return;
	}
	if (d->type != KT_NUM && d->type != KT_SIZE)
		return;
	if (d->min == 0 && d->max == ~0ULL) {
		printf("any");
		return;
	}
	number(d->min, d->type == KT_SIZE);
	printf(" … ");
	number(d->max, d->type == KT_SIZE);
}

static void keys_table(void)
{
	const struct mmlab_key_desc *d;
	int k, v;

	printf("| key | value | range | verbs | meaning |\n|---|---|---|---|---|\n");
	for (k = 0; k < MMLAB_NR_KEYS; k++) {
		d = mmlab_key_desc(k);
		printf("| `%s` | ", d->name);
		value(k, d);
		printf(" | ");
		range(d);
		printf(" |");
		for (v = 0; v < MMLAB_NR_VERBS; v++)
			if (mmlab_verb_desc(v)->allowed & (1U << k))
				printf(" `%s`", mmlab_verb_name(v));
		printf(" | %s |\n", d->help);
	}
}

static const char *target(const struct mmlab_verb_desc *d)
{
	int len = !!(d->allowed & MMLAB_K(len));

	switch (d->target) {
	case MMLAB_T_PIDADDR:
		return len ? "pid addr [len]" : "pid addr";
	case MMLAB_T_ANY:
		return len ? "pid addr [len], or pfn" : "pid addr, or pfn";
	case MMLAB_T_OPTIONAL:
		return len ? "[pid addr [len]]" : "[pid addr]";
	case MMLAB_T_NONE:
		break;
	}
	return "";
}

/* Keys besides the target ones: required, one of, then optional. */
static void verb_keys(const struct mmlab_verb_desc *d)
{
	unsigned int tkeys = MMLAB_K(pid) | MMLAB_K(addr) | MMLAB_K(len) | MMLAB_K(pfn);
	unsigned int rest = d->allowed & ~tkeys & ~d->required & ~d->oneof;
	const char *sep = *target(d) ? " " : "";
	int k, n;

	printf("%s", target(d));
	for (k = 0; k < MMLAB_NR_KEYS; k++)
		if (d->required & (1U << k)) {
			printf("%s%s", sep, mmlab_key_name(k));
			sep = " ";
		}
	for (k = 0, n = 0; k < MMLAB_NR_KEYS; k++)
		if (d->oneof & (1U << k)) {
			printf("%s%s", n++ ? "\\|" : sep, mmlab_key_name(k));
			sep = " ";
		}
	for (k = 0; k < MMLAB_NR_KEYS; k++)
		if (rest & (1U << k)) {
			printf("%s[%s]", sep, mmlab_key_name(k));
			sep = " ";
		}
	if (!*sep)
		printf("—");
}

static void verbs_table(void)
{
	int v;

	printf("| verb | keys | does |\n|---|---|---|\n");
	for (v = 0; v < MMLAB_NR_VERBS; v++) {
		printf("| `%s` | ", mmlab_verb_name(v));
		verb_keys(mmlab_verb_desc(v));
		printf(" | %s |\n", mmlab_verb_desc(v)->help);
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "keys"))
		keys_table();
	else if (argc == 2 && !strcmp(argv[1], "verbs"))
		verbs_table();
	else {
		fprintf(stderr, "usage: grammar_doc keys|verbs\n");
		return 2;
	}
	return 0;
}
