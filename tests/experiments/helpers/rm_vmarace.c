// SPDX-License-Identifier: GPL-2.0
/*
 * rm_vmarace: VMA split/merge churn on pages that mmlab migrates (E36).
 *
 *   rm_vmarace --pages N --seconds S --out FILE
 *
 * Maps N private anonymous pages (4 KiB, no THP), writes a pattern that
 * depends on the page number, prints "pid= addr= len=", then "ready".
 * Then, for S seconds, thread A changes random sub-ranges (1..64 pages):
 * mprotect read-only / read-write, mlock / munlock, MADV_RANDOM /
 * MADV_NORMAL, which split the vma and merge it back; thread B reads every
 * page and compares it with its pattern.  Afterwards the whole range is
 * made read-write, munlocked and MADV_NORMAL again (one vma), B checks
 * every page once more, and "ops= checks= errors= vmas_max=" goes to FILE.
 * Then it waits for a signal.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define BASE ((void *)0x740000000000UL)

static unsigned char *base;
static unsigned long npages, ops, checks, errors;
static volatile int stop;

static unsigned long long pat(unsigned long i, unsigned long w)
{
	return (i << 32) ^ (w * 0x9e3779b97f4a7c15ULL);
}

static int check_page(unsigned long i)
{
	const unsigned long long *q = (const void *)(base + i * PAGE);
	unsigned long w;

	for (w = 0; w < PAGE / 8; w++)
		if (q[w] != pat(i, w))
			return 1;
	return 0;
}

static void *reader(void *arg)
{
	unsigned long i;

	(void)arg;
	while (!stop)
		for (i = 0; i < npages && !stop; i++) {
			errors += check_page(i);
			checks++;
		}
	return NULL;
}

static void *changer(void *arg)
{
	unsigned int seed = 42;

	(void)arg;
	while (!stop) {
		unsigned long first = rand_r(&seed) % npages;
		unsigned long n = 1 + rand_r(&seed) % 64;
		unsigned char *p = base + first * PAGE;

		if (first + n > npages)
			n = npages - first;
		switch (rand_r(&seed) % 6) {
		case 0: mprotect(p, n * PAGE, PROT_READ); break;
		case 1: mprotect(p, n * PAGE, PROT_READ | PROT_WRITE); break;
		case 2: mlock(p, n * PAGE); break;
		case 3: munlock(p, n * PAGE); break;
		case 4: madvise(p, n * PAGE, MADV_RANDOM); break;
		default: madvise(p, n * PAGE, MADV_NORMAL); break;
		}
		ops++;
	}
	return NULL;
}

static int count_vmas(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long s, e, lo = (unsigned long)base, hi = lo + npages * PAGE;
	char line[256];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s < hi && e > lo)
			n++;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	unsigned long seconds = 10, i, w;
	const char *out = "/dev/null";
	pthread_t a, b;
	struct timespec end, now;
	int vmas_max = 0, v;
	FILE *f;

	for (i = 1; i + 1 < (unsigned long)argc; i += 2) {
		if (!strcmp(argv[i], "--pages"))
			npages = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
	}
	if (!npages)
		npages = 4096;
	base = mmap(BASE, npages * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(base, npages * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < npages; i++)
		for (w = 0; w < PAGE / 8; w++)
			((unsigned long long *)(base + i * PAGE))[w] = pat(i, w);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid=%d addr=%p len=%lu\nready\n", getpid(), (void *)base, npages * PAGE);
	pthread_create(&a, NULL, changer, NULL);
	pthread_create(&b, NULL, reader, NULL);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	do {
		usleep(100000);
		v = count_vmas();
		if (v > vmas_max)
			vmas_max = v;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec ||
		 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
	stop = 1;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	mprotect(base, npages * PAGE, PROT_READ | PROT_WRITE);
	munlock(base, npages * PAGE);
	madvise(base, npages * PAGE, MADV_NORMAL);
	for (i = 0; i < npages; i++) {
		errors += check_page(i);
		checks++;
	}
	f = fopen(out, "w");
	if (f) {
		fprintf(f, "ops=%lu checks=%lu errors=%lu vmas_max=%d vmas_end=%d\n", ops, checks,
			errors, vmas_max, count_vmas());
		fclose(f);
	}
	for (;;)
		pause();
}
