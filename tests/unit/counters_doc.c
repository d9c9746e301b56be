// SPDX-License-Identifier: GPL-2.0
/*
 * counters_doc: docs/counters.md's table of every `stats` counter, made from
 * the one list (include/mmlab_lists.h) in the order `stats` prints them, so
 * the documentation cannot drift from the module.  A counter of a family
 * (err_, parse_, VERB_attempts/_ok/_failed, check_..._passed/_failed) is
 * described from its family (the parse classes with the parser's own
 * texts); any other counter must carry a description in the list, or this
 * program fails.  scripts/readme-counters puts the output into
 * docs/counters.md.
 */
#include <stdio.h>
#include <string.h>
#include "../../include/mmlab_cmd.h"

struct named {
	const char *name;
	const char *desc;
};

static const struct named counters[] = {
#define MMLAB_COUNTER(name, ...) { #name, "" __VA_ARGS__ },
#include "../../include/mmlab_lists.h"
};

static const struct named checks[] = {
#define MMLAB_CHECK(name, ...) { #name, "" __VA_ARGS__ },
#include "../../include/mmlab_lists.h"
};

static const char * const verbs[] = {
#define MMLAB_VERB(name, ...) #name,
#include "../../include/mmlab_lists.h"
};

static const char * const errnos[] = {
#define MMLAB_ERRNO(name) #name,
#include "../../include/mmlab_lists.h"
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static char buf[256];

/* "<prefix><name><suffix>" for one of NAMES: the index, or -1. */
static int match(const char *c, const char *prefix, const char *suffix,
		 const char *const *names, size_t stride, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *nm = *(const char *const *)((const char *)names + i * stride);

		snprintf(buf, sizeof(buf), "%s%s%s", prefix, nm, suffix);
		if (!strcmp(c, buf))
			return (int)i;
	}
	return -1;
}

static const char *family(const char *c)
{
	static char d[256];
	int i, p;

	i = match(c, "err_", "", errnos, sizeof(errnos[0]), NELEM(errnos));
	if (i >= 0) {
		snprintf(d, sizeof(d), "writes that failed with %s", errnos[i]);
		return d;
	}
	for (p = 1; p < MMLAB_NR_PERRS; p++) {
		snprintf(buf, sizeof(buf), "parse_%s", mmlab_perr_name(p));
		if (!strcmp(c, buf)) {
			snprintf(d, sizeof(d), "lines rejected with EINVAL: %s", mmlab_perr_text(p));
			return d;
		}
	}
	if ((i = match(c, "", "_attempts", verbs, sizeof(verbs[0]), NELEM(verbs))) >= 0)
		snprintf(d, sizeof(d), "`%s` commands written", verbs[i]);
	else if ((i = match(c, "", "_ok", verbs, sizeof(verbs[0]), NELEM(verbs))) >= 0)
		snprintf(d, sizeof(d), "`%s` commands that ran (write succeeded)", verbs[i]);
	else if ((i = match(c, "", "_failed", verbs, sizeof(verbs[0]), NELEM(verbs))) >= 0)
		snprintf(d, sizeof(d), "`%s` commands whose write failed", verbs[i]);
	else if ((i = match(c, "check_", "_passed", &checks[0].name, sizeof(checks[0]),
			    NELEM(checks))) >= 0)
		snprintf(d, sizeof(d), "check held: %s", checks[i].desc);
	else if ((i = match(c, "check_", "_failed", &checks[0].name, sizeof(checks[0]),
			    NELEM(checks))) >= 0)
		snprintf(d, sizeof(d), "check failed (reported per page): %s", checks[i].desc);
	else
		return NULL;
	return d;
}

int main(void)
{
	const char *d;
	size_t i;
	int bad = 0;

	printf("| counter | what it counts |\n|---|---|\n");
	for (i = 0; i < NELEM(counters); i++) {
		d = family(counters[i].name);
		if (counters[i].desc[0])
			d = counters[i].desc;
		if (!d) {
			fprintf(stderr, "counters_doc: %s has no description in mmlab_lists.h\n",
				counters[i].name);
			bad = 1;
			continue;
		}
		printf("| `%s` | ", counters[i].name);
		for (; *d; d++)		/* a '|' would end the markdown cell */
			printf(*d == '|' ? "\\|" : "%c", *d);
		printf(" |\n");
	}
	for (i = 0; i < NELEM(checks); i++) {
		if (!checks[i].desc[0]) {
			fprintf(stderr, "counters_doc: check %s has no description\n", checks[i].name);
			bad = 1;
		}
	}
	return bad;
}
