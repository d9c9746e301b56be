// SPDX-License-Identifier: GPL-2.0
/*
 * mc_task: a process whose memory the memcg experiments (E20-E31) build
 * step by step.  It reads one command a line on stdin and answers one line
 * on stdout ("ok ..." or "err ..."), so a script drives it as a coproc and
 * can move it between memcgs between steps.  Regions are numbered in the
 * order they were made; page i of a region is filled with byte i * 7 + 1.
 *
 *   anon N            N written private anon pages (MADV_NOHUGEPAGE)
 *   thp               one 2 MiB-aligned written THP (MADV_HUGEPAGE)
 *   hugetlb N         N written 2 MiB MAP_HUGETLB pages
 *   shmem N           N written pages of a memfd, MAP_SHARED
 *   file PATH N       create PATH with N pages written by write(), then
 *                     map it MAP_SHARED and read every page
 *   fmap PATH N A B   map N pages of the existing PATH MAP_SHARED at a
 *                     2 MiB-aligned address, MADV_RANDOM, read pages [A,B)
 *   fread PATH A B    pread() pages [A,B) of PATH with FADV_RANDOM
 *   fdrop PATH        fsync PATH and drop its clean page cache
 *   pageout R         MADV_PAGEOUT region R until no page of it is mapped (an
 *                     anon pte is then a swap entry, a shmem pte empty)
 *   read R [A B]      read every page of region R (or pages [A,B) of it)
 *   dontneed R A B    MADV_DONTNEED pages [A,B) of region R
 *   cached R          how many pages of region R are in the page cache
 *   map PATH          map all of PATH read-only, read every page, unmap
 *                     (its page cache is then charged to this memcg)
 *   fork [read R [A B]]  a child that shares everything (and reads region
 *                     R, or pages [A,B) of it, first), then waits;
 *                     answers "ok child=PID"
 *
 * A region's answer is "ok region=R addr=0x... len=BYTES".  The first line
 * printed is "pid=PID"; EOF on stdin ends it (and its children).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../helpers/pageout.h"

#define PAGE 4096UL
#define HPAGE (2UL << 20)
#define MAX_REGIONS 32
#define MAX_KIDS 16

static struct { char *addr; size_t len; } regions[MAX_REGIONS];
static int nregions;
static pid_t kids[MAX_KIDS];
static int nkids;

static int reply_region(char *p, size_t len)
{
	if (nregions == MAX_REGIONS) {
		errno = ENOSPC;
		return -1;
	}
	regions[nregions].addr = p;
	regions[nregions].len = len;
	printf("ok region=%d addr=%p len=%zu\n", nregions++, (void *)p, len);
	return 0;
}

static void fill(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n / PAGE; i++)
		memset(p + i * PAGE, (int)(i * 7 + 1), PAGE);
}

static void read_pages(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += PAGE)
		(void)*(volatile char *)(p + i);
}

/* An anonymous reservation of n bytes aligned to align (0: none). */
static char *reserve(size_t n, size_t align)
{
	char *p = mmap(NULL, n + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (align)
		p = (char *)(((unsigned long)p + align - 1) & ~(align - 1));
	return p;
}

static int do_anon(size_t n, int thp)
{
	size_t len = thp ? HPAGE : n * PAGE;
	char *p = reserve(len, thp ? HPAGE : 0);

	if (!p || madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		return -1;
	fill(p, len);
	return reply_region(p, len);
}

static int do_hugetlb(size_t n)
{
	char *p = mmap(NULL, n * HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	fill(p, n * HPAGE);
	return reply_region(p, n * HPAGE);
}

static int do_shmem(size_t n)
{
	int fd = memfd_create("mc_task", 0);
	char *p;

	if (fd < 0 || ftruncate(fd, n * PAGE))
		return -1;
	p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	fill(p, n * PAGE);
	return reply_region(p, n * PAGE);
}

static int do_file(const char *path, size_t n)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *buf = malloc(n * PAGE), *p;

	if (fd < 0 || !buf)
		return -1;
	fill(buf, n * PAGE);
	if (write(fd, buf, n * PAGE) != (ssize_t)(n * PAGE))
		return -1;
	free(buf);
	p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	read_pages(p, n * PAGE);
	return reply_region(p, n * PAGE);
}

static int do_fmap(const char *path, size_t n, size_t a, size_t b)
{
	int fd = open(path, O_RDWR);
	char *p = reserve(n * PAGE, HPAGE);

	if (fd < 0 || !p || b > n || a > b)
		return -1;
	p = mmap(p, n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED || madvise(p, n * PAGE, MADV_RANDOM))
		return -1;
	read_pages(p + a * PAGE, (b - a) * PAGE);
	return reply_region(p, n * PAGE);
}

static int do_fread(const char *path, size_t a, size_t b)
{
	int fd = open(path, O_RDONLY);
	char *buf = malloc(PAGE);
	size_t i;

	if (fd < 0 || !buf || posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM))
		return -1;
	for (i = a; i < b; i++)
		if (pread(fd, buf, PAGE, i * PAGE) != (ssize_t)PAGE)
			return -1;
	free(buf);
	close(fd);
	printf("ok\n");
	return 0;
}

static int do_fdrop(const char *path)
{
	int fd = open(path, O_RDWR);

	if (fd < 0 || fsync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		return -1;
	close(fd);
	printf("ok\n");
	return 0;
}

/* Page region r out; check with pagemap that no page is present any more. */
static int do_pageout(int r)
{
	int tries = pageout_until(regions[r].addr, regions[r].len, none_present);
	size_t n = regions[r].len / PAGE,
	       swapped = n - pagemap_count(regions[r].addr, regions[r].len, 63);

	if (tries < 0)
		return -1;
	printf("%s swapped=%zu tries=%d\n", swapped == n ? "ok" : "err", swapped, tries);
	return 0;
}

static int do_map(const char *path)
{
	int fd = open(path, O_RDONLY);
	off_t size = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
	char *p;

	if (size <= 0)
		return -1;
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	read_pages(p, size);
	munmap(p, size);
	close(fd);
	printf("ok\n");
	return 0;
}

static int do_cached(int r)
{
	size_t i, n = regions[r].len / PAGE, cached = 0;
	unsigned char *vec = malloc(n);

	if (!vec || mincore(regions[r].addr, regions[r].len, vec))
		return -1;
	for (i = 0; i < n; i++)
		cached += vec[i] & 1;
	free(vec);
	printf("ok cached=%zu\n", cached);
	return 0;
}

/* Pages [a,b) of region r (all of it when b is 0), or -1. */
static int span(int r, size_t a, size_t b, char **p, size_t *len)
{
	if (!b)
		b = regions[r].len / PAGE;
	if (a >= b || b > regions[r].len / PAGE)
		return -1;
	*p = regions[r].addr + a * PAGE;
	*len = (b - a) * PAGE;
	return 0;
}

static int do_fork(int r, size_t a, size_t b)
{
	char *p = NULL;
	size_t len = 0;
	int pp[2];
	pid_t pid;
	char c;

	if (nkids == MAX_KIDS || (r >= 0 && span(r, a, b, &p, &len)) || pipe(pp))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (r >= 0)
			read_pages(p, len);
		if (write(pp[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	kids[nkids++] = pid;
	if (read(pp[0], &c, 1) != 1)
		return -1;
	close(pp[0]);
	close(pp[1]);
	printf("ok child=%d\n", pid);
	return 0;
}

static int region_arg(const char *s)
{
	int r = atoi(s);

	return r >= 0 && r < nregions ? r : -1;
}

static int run(char *line)
{
	char *argv[8] = { 0 }, *save = NULL, *p;
	size_t len;
	int argc = 0, r;

	for (char *t = strtok_r(line, " \t\n", &save); t && argc < 8;
	     t = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = t;
	if (!argc)
		return -1;
#define ARG(i) (argc > (i) ? argv[i] : "0")
	if (!strcmp(argv[0], "anon"))
		return do_anon(strtoul(ARG(1), NULL, 0), 0);
	if (!strcmp(argv[0], "thp"))
		return do_anon(0, 1);
	if (!strcmp(argv[0], "hugetlb"))
		return do_hugetlb(strtoul(ARG(1), NULL, 0));
	if (!strcmp(argv[0], "shmem"))
		return do_shmem(strtoul(ARG(1), NULL, 0));
	if (!strcmp(argv[0], "file") && argc == 3)
		return do_file(argv[1], strtoul(argv[2], NULL, 0));
	if (!strcmp(argv[0], "fmap") && argc == 5)
		return do_fmap(argv[1], strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0),
			       strtoul(argv[4], NULL, 0));
	if (!strcmp(argv[0], "fread") && argc == 4)
		return do_fread(argv[1], strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	if (!strcmp(argv[0], "fdrop") && argc == 2)
		return do_fdrop(argv[1]);
	if (!strcmp(argv[0], "map") && argc == 2)
		return do_map(argv[1]);
	if (!strcmp(argv[0], "fork") && argc == 1)
		return do_fork(-1, 0, 0);
	if (!strcmp(argv[0], "fork") && argc >= 3 && !strcmp(argv[1], "read")) {
		r = region_arg(argv[2]);
		return r < 0 ? -1 : do_fork(r, strtoul(ARG(3), NULL, 0), strtoul(ARG(4), NULL, 0));
	}
	r = region_arg(ARG(1));
	if (r < 0 || span(r, strtoul(ARG(2), NULL, 0), strtoul(ARG(3), NULL, 0), &p, &len))
		return -1;
	if (!strcmp(argv[0], "pageout"))
		return do_pageout(r);
	if (!strcmp(argv[0], "read")) {
		read_pages(p, len);
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[0], "dontneed")) {
		if (madvise(p, len, MADV_DONTNEED))
			return -1;
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[0], "cached"))
		return do_cached(r);
	errno = EINVAL;
	return -1;
#undef ARG
}

int main(void)
{
	char line[512];
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid=%d\n", getpid());
	while (fgets(line, sizeof(line), stdin)) {
		errno = 0;
		if (run(line))
			printf("err errno=%d %s\n", errno, strerror(errno));
	}
	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}
