// SPDX-License-Identifier: GPL-2.0
/*
 * mig_region: map one region, fault it in on node 0, then act on it one
 * command at a time (for the migration experiments E04-E19).
 *
 *   mig_region [--len BYTES] [--thp] [--file PATH [--keep]] [--first-only]
 *
 * Anon MAP_PRIVATE by default (MADV_NOHUGEPAGE; --thp: 2 MiB aligned and
 * MADV_HUGEPAGE); --file maps PATH MAP_SHARED (created, filled and synced
 * unless --keep, which maps what is there and only reads it).  Page i is
 * filled with byte (i * 7 + 1); --first-only writes page 0 only, the rest
 * is read-faulted (anon: THP zero-filled; or the zero page without --thp).
 * Prints "pid= addr= len=", then "ready", then answers each line of stdin
 * with one line ("ok ..." or "err=ERRNO ..."):
 *
 *   read OFF [LEN]        read a byte of each page: minflt= majflt= (deltas)
 *   write OFF [LEN] [B]   write byte B (default 0x5a) in each page
 *   check OFF LEN         compare with the fill pattern: bad= zero= (pages)
 *   madv NAME OFF LEN     madvise NAME: pageout cold free dontneed nohugepage
 *   pageout OFF LEN       MADV_PAGEOUT until every page is a swap entry
 *                         (at most 20 tries): swapped=N
 *   mlock OFF LEN / munlock OFF LEN
 *   pwrite OFF LEN B      write(2) byte B over the file range (no sync)
 *   fsync
 *   odirect OFF LEN       read the file range with O_DIRECT and compare it
 *                         with the mapping: same=0|1
 *   kpf OFF LEN BIT       of the pages present in the range, how many map a
 *                         pfn with /proc/kpageflags bit BIT: n= (and
 *                         present= swapped=)
 *   quit
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../../helpers/pageout.h"

#define PAGE 4096UL
#define HPAGE (2UL << 20)
#ifndef MADV_COLD
#define MADV_COLD 20
#endif

static char *region;
static size_t len;
static int fd = -1;
static const char *path;

static void die(const char *what)
{
	fprintf(stderr, "mig_region: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void bind0(int on)
{
	unsigned long mask = 1;

	if (syscall(SYS_set_mempolicy, on ? 2 : 0, on ? &mask : NULL, on ? 64 : 0))
		die("set_mempolicy");
}

static int pattern(size_t i)
{
	return (int)(i * 7 + 1) & 0xff;
}

static void faults(long *min, long *maj)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*min = ru.ru_minflt;
	*maj = ru.ru_majflt;
}

static int madv_named(const char *name)
{
	if (!strcmp(name, "pageout"))
		return MADV_PAGEOUT;
	if (!strcmp(name, "cold"))
		return MADV_COLD;
	if (!strcmp(name, "free"))
		return MADV_FREE;
	if (!strcmp(name, "dontneed"))
		return MADV_DONTNEED;
	if (!strcmp(name, "nohugepage"))
		return MADV_NOHUGEPAGE;
	return -1;
}

static int odirect_same(size_t off, size_t n)
{
	int dfd = open(path, O_RDONLY | O_DIRECT), same;
	void *buf;

	if (dfd < 0 || posix_memalign(&buf, PAGE, n))
		return -1;
	same = pread(dfd, buf, n, off) == (ssize_t)n && !memcmp(buf, region + off, n);
	free(buf);
	close(dfd);
	return same;
}

static void kpf_count(size_t off, size_t n, int bit)
{
	int pm = open("/proc/self/pagemap", O_RDONLY), kf = open("/proc/kpageflags", O_RDONLY);
	unsigned long long e, f;
	int cnt = 0, present = 0, swapped = 0;
	size_t i;

	for (i = 0; pm >= 0 && kf >= 0 && i < n / PAGE; i++) {
		if (pread(pm, &e, 8, ((unsigned long)(region + off) / PAGE + i) * 8) != 8)
			break;
		swapped += !!(e & (1ULL << 62));
		if (!(e & (1ULL << 63)))
			continue;
		present++;
		if (pread(kf, &f, 8, (e & ((1ULL << 55) - 1)) * 8) == 8)
			cnt += !!(f & (1ULL << bit));
	}
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	printf("ok n=%d present=%d swapped=%d\n", cnt, present, swapped);
}

static void command(char *line)
{
	char name[16] = "", a[16] = "";
	unsigned long off = 0, n = PAGE, b = 0x5a;
	long min0, maj0, min1, maj1;
	size_t i, bad = 0, zero = 0;
	int adv, tries;

	if (sscanf(line, "read %lx %lx", &off, &n) >= 1) {
		faults(&min0, &maj0);
		for (i = 0; i < n; i += PAGE)
			(void)*(volatile char *)(region + off + i);
		faults(&min1, &maj1);
		printf("ok minflt=%ld majflt=%ld\n", min1 - min0, maj1 - maj0);
	} else if (sscanf(line, "write %lx %lx %lx", &off, &n, &b) >= 1) {
		for (i = 0; i < n; i += PAGE)
			*(volatile char *)(region + off + i) = (char)b;
		printf("ok\n");
	} else if (sscanf(line, "check %lx %lx", &off, &n) == 2) {
		for (i = 0; i < n; i += PAGE) {
			const unsigned char *p = (unsigned char *)region + off + i;
			int want = pattern((off + i) / PAGE);

			if (p[0] == want && p[PAGE - 1] == want)
				continue;
			if (p[0] == 0 && p[PAGE - 1] == 0)
				zero++;
			else
				bad++;
		}
		printf("ok bad=%zu zero=%zu\n", bad, zero);
	} else if (sscanf(line, "madv %15s %lx %lx", name, &off, &n) == 3) {
		adv = madv_named(name);
		if (adv < 0 || madvise(region + off, n, adv))
			printf("err=%d\n", adv < 0 ? EINVAL : errno);
		else
			printf("ok\n");
	} else if (sscanf(line, "pageout %lx %lx", &off, &n) == 2) {
		tries = pageout_until(region + off, n, all_swapped);
		printf("ok swapped=%d tries=%d\n", (int)pagemap_count(region + off, n, 62), tries);
	} else if (sscanf(line, "mlock %lx %lx", &off, &n) == 2) {
		printf(mlock(region + off, n) ? "err=%d\n" : "ok\n", errno);
	} else if (sscanf(line, "munlock %lx %lx", &off, &n) == 2) {
		printf(munlock(region + off, n) ? "err=%d\n" : "ok\n", errno);
	} else if (sscanf(line, "pwrite %lx %lx %lx", &off, &n, &b) == 3) {
		char *buf = malloc(n);

		memset(buf, (int)b, n);
		printf(pwrite(fd, buf, n, off) == (ssize_t)n ? "ok\n" : "err=%d\n", errno);
		free(buf);
	} else if (sscanf(line, "%15s", a) == 1 && !strcmp(a, "fsync")) {
		printf(fsync(fd) ? "err=%d\n" : "ok\n", errno);
	} else if (sscanf(line, "odirect %lx %lx", &off, &n) == 2) {
		printf("ok same=%d\n", odirect_same(off, n));
	} else if (sscanf(line, "kpf %lx %lx %lu", &off, &n, &b) == 3) {
		kpf_count(off, n, (int)b);
	} else {
		printf("err=%d unknown\n", EINVAL);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int i, thp = 0, keep = 0, first_only = 0;
	char line[128];
	size_t j;

	len = PAGE;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--len") && i + 1 < argc)
			len = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--thp"))
			thp = 1;
		else if (!strcmp(argv[i], "--file") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--keep"))
			keep = 1;
		else if (!strcmp(argv[i], "--first-only"))
			first_only = 1;
		else
			errno = EINVAL, die(argv[i]);
	}
	len = (len + PAGE - 1) & ~(PAGE - 1);
	bind0(1);
	if (path) {
		fd = open(path, O_RDWR | (keep ? 0 : O_CREAT | O_TRUNC), 0644);
		if (fd < 0)
			die(path);
		if (!keep) {
			char *buf = malloc(len);

			for (j = 0; j < len / PAGE; j++)
				memset(buf + j * PAGE, pattern(j), PAGE);
			if (write(fd, buf, len) != (ssize_t)len || fsync(fd))
				die("write");
			free(buf);
		}
		region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (region == MAP_FAILED)
			die("mmap file");
		for (j = 0; j < len; j += PAGE)
			(void)*(volatile char *)(region + j);
	} else {
		size_t align = thp ? HPAGE : 0;
		char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		region = (char *)(((unsigned long)p + (align ? align - 1 : 0)) & ~(align ? align - 1 : 0));
		if (madvise(region, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
			die("madvise");
		for (j = 0; j < len / PAGE; j++) {
			if (first_only && j)
				(void)*(volatile char *)(region + j * PAGE);
			else
				memset(region + j * PAGE, pattern(j), PAGE);
		}
	}
	bind0(0);
	printf("pid=%d addr=%p len=%zu\nready\n", getpid(), (void *)region, len);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "quit", 4))
			break;
		command(line);
	}
	return 0;
}
