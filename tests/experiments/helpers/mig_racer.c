// SPDX-License-Identifier: GPL-2.0
/*
 * mig_racer: pages whose state changes under a migration, on purpose, for
 * the race classification of mmlab's migrate checks (11_migrate).
 *
 *   mig_racer writeback FILE PAGES
 *	a shared mapping of FILE (ext4), PAGES pages: forever, dirty every
 *	page through the mapping, then write them back with
 *	sync_file_range(): a page migrate saw dirty is clean when it looks
 *	again, and the kernel did nothing wrong.
 *   mig_racer swap PAGES
 *	private anon pages: forever, read them (swapped in, they stay in
 *	the swap cache), MADV_FREE them (which takes a mapped page out of
 *	the swap cache: folio_free_swap()), write them, page them out
 *	(MADV_PAGEOUT): a page migrate moved is a swap entry, or has left
 *	the swap cache, when it looks again.
 *
 * Prints "pid=PID addr=0x... len=N", then "ready", then loops until killed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../../helpers/pageout.h"

#define PAGE 4096UL

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void ready(char *p, size_t len)
{
	printf("pid=%d addr=%p len=%zu\nready\n", getpid(), (void *)p, len);
	fflush(stdout);
}

static void writeback(const char *file, size_t len)
{
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *p;
	size_t i;
	unsigned int n;

	if (fd < 0 || ftruncate(fd, len))
		die(file);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 1, len);
	ready(p, len);
	for (n = 0;; n++) {
		for (i = 0; i < len; i += PAGE)
			p[i] = (char)n;
		usleep(500);	/* dirty for a while ... */
		if (sync_file_range(fd, 0, len, SYNC_FILE_RANGE_WAIT_BEFORE |
				    SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER))
			die("sync_file_range");
		usleep(500);	/* ... and clean for a while */
	}
}

static void swap(size_t len)
{
	cpu_set_t orig;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;
	unsigned int n;

	if (p == MAP_FAILED)
		die("mmap");
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, 1, len);
	if (sched_getaffinity(0, sizeof(orig), &orig))
		die("sched_getaffinity");
	ready(p, len);
	for (n = 0;; n++) {
		for (i = 0; i < len; i += PAGE)
			(void)*(volatile char *)(p + i);
		madvise(p, len, MADV_FREE);
		for (i = 0; i < len; i += PAGE)
			p[i] = (char)n;	/* dirty again: MADV_FREE may not drop them */
		/* Each time from another CPU: madvise drains only its own LRU batch. */
		pageout_cpu((int)n, &orig);
		madvise(p, len, MADV_PAGEOUT);
	}
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "writeback"))
		writeback(argv[2], strtoul(argv[3], NULL, 0) * PAGE);
	else if (argc == 3 && !strcmp(argv[1], "swap"))
		swap(strtoul(argv[2], NULL, 0) * PAGE);
	fprintf(stderr, "usage: mig_racer writeback FILE PAGES | swap PAGES\n");
	return 2;
}
