// SPDX-License-Identifier: GPL-2.0
/*
 * vma: private anonymous mappings changed one command at a time, for the
 * VMA split/merge experiments (E35).  Reads commands on stdin, answers
 * each with one line on stdout, so that a test can read counters and
 * /proc/PID/maps between steps without this process doing anything else.
 *
 *   map N r|rw          mmap N pages, MAP_PRIVATE|MAP_ANONYMOUS
 *                       -> "ok addr=0x... len=..." (the newest mapping)
 *   prot FIRST N r|rw   mprotect pages [FIRST, FIRST+N) of the newest
 *   touch I             write page I of the newest (faults it in)
 *   quit
 * Errors answer "err ..." and go on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char *base;
static unsigned long hint = 0x600000000000UL;
static long psz;

static int prot_of(const char *s)
{
	return strcmp(s, "rw") ? PROT_READ : PROT_READ | PROT_WRITE;
}

static void run(const char *line)
{
	unsigned long a, b;
	char p[8];

	if (sscanf(line, "map %lu %7s", &a, p) == 2) {
		/* 1 GiB apart: no neighbour to merge with but its own pieces. */
		hint += 1UL << 30;
		base = mmap((void *)hint, a * psz, prot_of(p),
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (base == MAP_FAILED) {
			base = NULL;
			printf("err mmap %s\n", strerror(errno));
			return;
		}
		printf("ok addr=%p len=%lu\n", (void *)base, a * psz);
	} else if (base && sscanf(line, "prot %lu %lu %7s", &a, &b, p) == 3) {
		if (mprotect(base + a * psz, b * psz, prot_of(p)))
			printf("err mprotect %s\n", strerror(errno));
		else
			printf("ok\n");
	} else if (base && sscanf(line, "touch %lu", &a) == 1) {
		base[a * psz] = 1;
		printf("ok\n");
	} else {
		printf("err bad command\n");
	}
}

int main(void)
{
	char line[128];

	psz = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ok pid=%d\n", getpid());
	while (fgets(line, sizeof(line), stdin) && strncmp(line, "quit", 4))
		run(line);
	return 0;
}
