// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the mmlab command parser (module/parse.c, built here
 * in user space).  Each case gives a line and either the canonical form of
 * the parsed command or the parse-error class it must be rejected with.
 * Output: TAP, then "N passed, N failed".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../include/mmlab_cmd.h"

struct tcase {
	const char *line;
	size_t len;		/* 0: strlen(line) */
	const char *want;	/* canonical parse, or "!class" */
};

static const char * const counter_names[] = {
#define MMLAB_COUNTER(name, ...) #name,
#include "../../include/mmlab_lists.h"
};

static const char * const verb_names[] = {
#define MMLAB_VERB(name, ...) #name,
#include "../../include/mmlab_lists.h"
};

static const char * const check_names[] = {
#define MMLAB_CHECK(name, ...) #name,
#include "../../include/mmlab_lists.h"
};

static const char * const errno_names[] = {
#define MMLAB_ERRNO(name) #name,
#include "../../include/mmlab_lists.h"
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Index of a counter by name, -1 if absent. */
static int counter_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < NELEM(counter_names); i++)
		if (!strcmp(counter_names[i], name))
			return i;
	return -1;
}

/*
 * The lists agree: every verb has _attempts/_ok/_failed counters, adjacent
 * and in verb order (the module indexes them that way); every parse-error
 * class has a parse_ counter and a text; every errno an err_ counter;
 * every key a name.
 */
static int lists_agree(char *why, size_t n)
{
	static const char * const suffix[] = { "_attempts", "_ok", "_failed" };
	int base = counter_index("inspect_attempts");
	char name[64];
	unsigned int i, j;

	for (i = 0; i < NELEM(verb_names); i++) {
		for (j = 0; j < 3; j++) {
			snprintf(name, sizeof(name), "%s%s", verb_names[i], suffix[j]);
			if (counter_index(name) != base + (int)(3 * i + j))
				return snprintf(why, n, "counter %s missing or out of place", name);
		}
	}
	for (i = 1; i < MMLAB_NR_PERRS; i++) {
		snprintf(name, sizeof(name), "parse_%s", mmlab_perr_name(i));
		if (counter_index(name) < 0 || !mmlab_perr_text(i) || !*mmlab_perr_text(i))
			return snprintf(why, n, "parse class %s: no counter or text", name);
	}
	for (i = 0; i < NELEM(check_names); i++) {
		char failed[64];
		int a, b;

		snprintf(name, sizeof(name), "check_%s_passed", check_names[i]);
		snprintf(failed, sizeof(failed), "check_%s_failed", check_names[i]);
		a = counter_index(name);
		b = counter_index(failed);
		if (a < 0 || b != a + 1)
			return snprintf(why, n, "check %s: counters missing or apart",
					check_names[i]);
	}
	for (i = 0; i < NELEM(errno_names); i++) {
		snprintf(name, sizeof(name), "err_%s", errno_names[i]);
		if (counter_index(name) < 0)
			return snprintf(why, n, "no counter %s", name);
	}
	for (i = 0; i < MMLAB_NR_KEYS; i++)
		if (!mmlab_key_name(i))
			return snprintf(why, n, "key %u has no spec", i);
	return 0;
}

static void canon(const struct mmlab_cmd *c, char *out, size_t n)
{
	size_t o = snprintf(out, n, "%s", mmlab_verb_name(c->verb));
	int k;

	for (k = 0; k < MMLAB_NR_KEYS; k++) {
		if (!mmlab_has(c, k))
			continue;
		if (c->str[k])
			o += snprintf(out + o, n - o, " %s=%s", mmlab_key_name(k), c->str[k]);
		else
			o += snprintf(out + o, n - o, " %s=%llu",
				      mmlab_key_name(k), c->num[k]);
	}
}

static const struct tcase cases[] = {
	/* valid */
	{ "reset", 0, "reset" },
	{ "reset\n", 0, "reset" },
	{ "  reset  \t\n", 0, "reset" },
	{ "selftest", 0, "selftest" },
	{ "inspect pid=1 addr=0x1000", 0, "inspect pid=1 addr=4096" },
	{ "inspect pfn=0x1a2b3", 0, "inspect pfn=107187" },
	{ "inspect pid=42 addr=4096 len=2M", 0, "inspect pid=42 addr=4096 len=2097152" },
	{ "migrate pid=7 addr=0x7f3a1c000000 node=1", 0,
	  "migrate pid=7 addr=139887554592768 node=1" },
	{ "migrate pid=7 addr=0 mode=sync_light verify=1", 0,
	  "migrate pid=7 addr=0 mode=1 verify=1" },
	{ "migrate\tpid=7\taddr=1\tmode=async", 0, "migrate pid=7 addr=1 mode=0" },
	{ "migrate pid=7 addr=1 dst=locked", 0, "migrate pid=7 addr=1 dst=2" },
	{ "pin pid=7 addr=1 mode=pin", 0, "pin pid=7 addr=1 mode=1" },
	{ "pin pid=7 addr=1 mode=get", 0, "pin pid=7 addr=1 mode=0" },
	{ "migrate pid=7 addr=1 len=256M", 0, "migrate pid=7 addr=1 len=268435456" },
	{ "migrate pid=7 addr=1 len=4k", 0, "migrate pid=7 addr=1 len=4096" },
	{ "migrate pid=7 addr=0xFFFFFFFFFFFFFFFF", 0,
	  "migrate pid=7 addr=18446744073709551615" },
	{ "migrate pid=4194304 addr=1 node=1023", 0, "migrate pid=4194304 addr=1 node=1023" },
	{ "rmap pfn=12 action=referenced", 0, "rmap pfn=12 action=1" },
	{ "rmap pid=1 addr=2", 0, "rmap pid=1 addr=2" },
	{ "move_charge pid=3 addr=0x1000 to=/A/B policy=skip-mapped", 0,
	  "move_charge pid=3 addr=4096 to=/A/B policy=2" },
	{ "pin pid=3 addr=0x1000", 0, "pin pid=3 addr=4096" },
	{ "unpin", 0, "unpin" },
	{ "unpin pid=3 addr=0x1000", 0, "unpin pid=3 addr=4096" },
	{ "stress op=rmap pid=3 addr=1 threads=4 seconds=2", 0,
	  "stress pid=3 addr=1 op=1 threads=4 seconds=2" },
	{ "stress op=migrate pid=3 addr=1 iterations=10000000", 0,
	  "stress pid=3 addr=1 op=0 iterations=10000000" },
	{ "stress op=migrate pid=3 addr=1 iterations=1 reason=numa_misplaced dst=pool", 0,
	  "stress pid=3 addr=1 op=0 iterations=1 dst=1 reason=1" },
	{ "reset\r\n", 0, "reset" },
	/* rejected */
	{ "", 0, "!empty_line" },
	{ "   \n", 0, "!empty_line" },
	{ "frobnicate pid=1", 0, "!unknown_verb" },
	{ "Reset", 0, "!unknown_verb" },
	{ "reset\nreset", 0, "!multiple" },
	{ "inspect pid=1\naddr=2\n", 0, "!multiple" },
	{ "reset\0x", 7, "!nul" },
	{ "inspect pid=1 addr=2 colour=red", 0, "!unknown_key" },
	{ "rmap pid=1 addr=2 node=1", 0, "!unknown_key" },
	{ "reset pid=1", 0, "!unknown_key" },
	{ "inspect pid=1 addr=2 pid=1", 0, "!duplicate_key" },
	{ "inspect pid= addr=2", 0, "!empty_value" },
	{ "inspect pid", 0, "!syntax" },
	{ "inspect pid=1 addr=2 =3", 0, "!unknown_key" },
	{ "inspect pid=abc addr=2", 0, "!bad_number" },
	{ "inspect pid=-1 addr=2", 0, "!bad_number" },
	{ "inspect pid=0x addr=2", 0, "!bad_number" },
	{ "inspect pid=1 addr=0x12g4", 0, "!bad_number" },
	{ "inspect pid=1 addr=12K", 0, "!bad_number" },
	{ "inspect pid=1 addr=18446744073709551616", 0, "!overflow" },
	{ "inspect pid=1 addr=0x10000000000000000", 0, "!overflow" },
	{ "inspect pid=1 addr=2 len=4T", 0, "!bad_suffix" },
	{ "inspect pid=1 addr=2 len=4KB", 0, "!bad_suffix" },
	{ "inspect pid=1 addr=2 len=17179869184G", 0, "!overflow" },
	{ "inspect pid=1 addr=2 len=257M", 0, "!out_of_range" },
	{ "inspect pid=1 addr=2 len=0", 0, "!out_of_range" },
	{ "inspect pid=0 addr=2", 0, "!out_of_range" },
	{ "inspect pid=4194305 addr=2", 0, "!out_of_range" },
	{ "migrate pid=1 addr=2 node=1024", 0, "!out_of_range" },
	{ "migrate pid=1 addr=2 mode=fast", 0, "!bad_value" },
	{ "migrate pid=1 addr=2 mode=pin", 0, "!bad_value" },
	{ "pin pid=1 addr=2 mode=sync", 0, "!bad_value" },
	{ "migrate pid=1 addr=2 dst=heap", 0, "!bad_value" },
	{ "rmap pid=1 addr=2 dst=pool", 0, "!unknown_key" },
	{ "migrate pid=1 addr=2 verify=2", 0, "!bad_value" },
	{ "move_charge pid=1 addr=2 to=A", 0, "!bad_value" },
	{ "move_charge pid=1 addr=2", 0, "!missing_key" },
	{ "migrate addr=2", 0, "!missing_key" },
	{ "migrate pid=2", 0, "!missing_key" },
	{ "inspect", 0, "!missing_key" },
	{ "inspect pfn=1 pid=2", 0, "!conflict" },
	{ "stress op=rmap pid=1 addr=2", 0, "!missing_key" },
	{ "stress op=rmap pid=1 addr=2 seconds=1 iterations=5", 0, "!conflict" },
	{ "stress op=rmap pid=1 addr=2 threads=17 seconds=1", 0, "!out_of_range" },
	{ "stress pid=1 addr=2 seconds=1", 0, "!missing_key" },
};

int main(void)
{
	static char big[MMLAB_LINE_MAX + 16], buf[MMLAB_LINE_MAX + 32];
	struct mmlab_cmd cmd;
	struct mmlab_perr_info err;
	int pass = 0, failn = 0, n = sizeof(cases) / sizeof(cases[0]), i, ret;
	char got[512];

	printf("TAP version 13\n1..%d\n", n + 4);
	for (i = 0; i < n; i++) {
		const struct tcase *t = &cases[i];
		size_t len = t->len ? t->len : strlen(t->line);

		memcpy(buf, t->line, len);
		ret = mmlab_parse(buf, len, &cmd, &err);
		if (ret)
			snprintf(got, sizeof(got), "!%s", mmlab_perr_name(err.class));
		else
			canon(&cmd, got, sizeof(got));
		if ((ret == 0 || ret == -EINVAL) && !strcmp(got, t->want) &&
		    (ret == 0 || err.reason[0])) {
			printf("ok %d - %s\n", i + 1, t->want);
			pass++;
		} else {
			printf("not ok %d - line %d: want '%s' got '%s' (%d, %s)\n",
			       i + 1, i, t->want, got, ret, err.reason);
			failn++;
		}
	}
	/* 4096 bytes of command are fine, 4097 are not. */
	memset(big, ' ', sizeof(big));
	memcpy(big, "reset", 5);
	ret = mmlab_parse(memcpy(buf, big, MMLAB_LINE_MAX), MMLAB_LINE_MAX, &cmd, &err);
	printf("%s %d - 4096-byte line accepted\n", ret ? "not ok" : "ok", n + 1);
	ret ? failn++ : pass++;
	memset(big, 'x', sizeof(big));
	memcpy(big, "reset ", 6);
	ret = mmlab_parse(memcpy(buf, big, MMLAB_LINE_MAX + 1), MMLAB_LINE_MAX + 1, &cmd, &err);
	i = ret == -EINVAL && err.class == MMLAB_PERR_too_long;
	printf("%s %d - 4097-byte line rejected as too_long\n", i ? "ok" : "not ok", n + 2);
	i ? pass++ : failn++;
	/* Reasons are quotable: no '"', no '\\', no control bytes. */
	memcpy(buf, "inspect \"\\\x01\xff=1", 14);
	ret = mmlab_parse(buf, 14, &cmd, &err);
	i = ret == -EINVAL && !strpbrk(err.reason, "\"\\\x01\xff");
	printf("%s %d - reason is safe to quote: %s\n", i ? "ok" : "not ok", n + 3, err.reason);
	i ? pass++ : failn++;
	got[0] = '\0';
	i = !lists_agree(got, sizeof(got));
	printf("%s %d - mmlab_lists.h lists agree %s\n", i ? "ok" : "not ok", n + 4, got);
	i ? pass++ : failn++;
	printf("%d passed, %d failed\n", pass, failn);
	return failn ? 1 : 0;
}
