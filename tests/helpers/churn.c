// SPDX-License-Identifier: GPL-2.0
/*
 * churn: a target process that keeps changing its own pages while mmlab
 * works on them (issue 7's races), then exits.
 *
 *   churn [--pages N] [--seconds S] [--seed X] [--quiet-ms M] [--go usr1]
 *
 * Maps N pages (default 16) of private anonymous memory, writes them,
 * prints "pid= addr= len=", then "ready", waits M ms (default
 * 0) and for S seconds (default 5) does, at random: fork a child that may
 * write a page (COW) and exits; munmap and map again a sub-range; mprotect
 * a sub-range read-only and back; MADV_DONTNEED a sub-range; MADV_PAGEOUT
 * a sub-range; rewrite a page.  Every write stores zeros, which is also
 * what a freshly faulted page holds: a page's contents never change, only
 * which page backs it, so a contents check that fails under churn is a
 * real corruption, not a write racing the check.  Prints what it did on
 * stderr and exits 0.
 *
 * With --go usr1 the S seconds start only when SIGUSR1 arrives after
 * "ready": the caller first starts what must race the churn, so a slow
 * guest (TCG beside a busy host) cannot let the churn end before the
 * racing commands have even looked the process up.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define MAX_CHILDREN 4

static char *base;
static long psz;
static unsigned long npages;
static unsigned long done[6];
static int children;

static void fill(unsigned long first, unsigned long n)
{
	unsigned long i;

	for (i = first; i < first + n; i++)
		memset(base + i * psz, 0, psz);
}

static void reap(int flags)
{
	while (children && waitpid(-1, NULL, flags) > 0)
		children--;
}

static void fork_child(void)
{
	pid_t pid;

	if (children >= MAX_CHILDREN)
		reap(0);
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, (rand() % 20) * 1000000L };
		unsigned long k = rand() % npages;

		if (rand() & 1)	/* COW: a page of its own, still zeros */
			base[k * psz] = 0;
		nanosleep(&ts, NULL);
		_exit(0);
	}
	if (pid > 0)
		children++;
}

static void step(void)
{
	unsigned long first = rand() % npages;
	unsigned long n = 1 + rand() % (npages - first);
	char *p = base + first * psz;
	int op = rand() % 6;

	switch (op) {
	case 0:
		fork_child();
		break;
	case 1:
		munmap(p, n * psz);
		if (mmap(p, n * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 -1, 0) == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
		fill(first, n);
		break;
	case 2:
		mprotect(p, n * psz, PROT_READ);
		mprotect(p, n * psz, PROT_READ | PROT_WRITE);
		break;
	case 3:
		madvise(p, n * psz, MADV_DONTNEED);
		fill(first, n);
		break;
	case 4:
		madvise(p, n * psz, MADV_PAGEOUT);
		break;
	default:
		fill(first, 1);
		break;
	}
	done[op]++;
	reap(WNOHANG);
}

int main(int argc, char **argv)
{
	unsigned long seconds = 5, quiet_ms = 0, seed = 1;
	struct timespec now, end, q;
	sigset_t go;
	int i, wait_go = 0, sig;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--pages"))
			npages = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--quiet-ms"))
			quiet_ms = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--go"))
			wait_go = !strcmp(argv[i + 1], "usr1");
	}
	if (!npages)
		npages = 16;
	srand(seed);
	psz = sysconf(_SC_PAGESIZE);
	base = mmap((void *)0x700000000000UL, npages * psz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	fill(0, npages);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Blocked before "ready", so a signal sent right after it is not lost. */
	sigemptyset(&go);
	sigaddset(&go, SIGUSR1);
	if (wait_go)
		sigprocmask(SIG_BLOCK, &go, NULL);
	printf("pid=%d addr=%p len=%lu\nready\n", getpid(), (void *)base, npages * psz);
	if (wait_go)
		sigwait(&go, &sig);
	q.tv_sec = quiet_ms / 1000;
	q.tv_nsec = (quiet_ms % 1000) * 1000000L;
	nanosleep(&q, NULL);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	do {
		step();
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec ||
		 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
	reap(0);
	fprintf(stderr, "churn forks=%lu remaps=%lu mprotects=%lu dontneeds=%lu pageouts=%lu writes=%lu\n",
	       done[0], done[1], done[2], done[3], done[4], done[5]);
	return 0;
}
