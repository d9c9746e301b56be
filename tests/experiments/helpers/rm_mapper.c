// SPDX-License-Identifier: GPL-2.0
/*
 * rm_mapper: the processes of E27 (cgroup-v1 charge moving while other
 * mappers of the same file come and go).
 *
 *   rm_mapper t --file PATH --pages N
 *       T: prints "pid= addr=0x770000000000 len=", then "ready", and waits
 *       for SIGUSR1 (time to move it to another memcg: everything it
 *       faulted so far, its libraries included, stays charged where it
 *       started); then writes N pages to PATH (charged to its memcg now),
 *       maps them MAP_SHARED at that address, reads them all, zaps the
 *       second half with MADV_DONTNEED (page cache behind empty ptes) and
 *       waits for a signal.
 *   rm_mapper o --file PATH --pages N
 *       an observer: maps the existing file at 0x780000000000, reads every
 *       page, prints "pid= addr= len=", then "ready", and waits.
 *   rm_mapper r --file PATH --pages N --seconds S --seed X
 *       R: for S seconds maps the file, reads a random subset of pages,
 *       zaps a random sub-range with MADV_DONTNEED, unmaps; then exits.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long npages = 64, seconds = 5, i;
	const char *path = NULL;
	unsigned int seed = 1;
	struct timespec end, now;
	char *p, *buf;
	int fd;

	if (argc < 2)
		return 2;
	for (i = 2; i + 1 < (unsigned long)argc; i += 2) {
		if (!strcmp(argv[i], "--file"))
			path = argv[i + 1];
		else if (!strcmp(argv[i], "--pages"))
			npages = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoul(argv[i + 1], NULL, 0);
	}
	if (!path)
		return 2;
	if (!strcmp(argv[1], "t")) {
		sigset_t set;
		int sig;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		setvbuf(stdout, NULL, _IOLBF, 0);
		printf("pid=%d addr=0x770000000000 len=%lu\nready\n", getpid(), npages * PAGE);
		if (sigwait(&set, &sig))
			return 1;
		fd = open(path, O_RDWR | O_CREAT, 0644);	/* no truncation: see E27 */
		buf = malloc(npages * PAGE);
		if (fd < 0 || !buf)
			return 1;
		memset(buf, 0x42, npages * PAGE);
		if (write(fd, buf, npages * PAGE) != (ssize_t)(npages * PAGE) || fsync(fd))
			return 1;
		p = mmap((void *)0x770000000000UL, npages * PAGE, PROT_READ,
			 MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
		if (p == MAP_FAILED)
			return 1;
		for (i = 0; i < npages; i++)
			(void)*(volatile char *)(p + i * PAGE);
		madvise(p + npages / 2 * PAGE, npages / 2 * PAGE, MADV_DONTNEED);
		for (;;)
			pause();
	}
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	if (!strcmp(argv[1], "o")) {
		p = mmap((void *)0x780000000000UL, npages * PAGE, PROT_READ,
			 MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
		if (p == MAP_FAILED)
			return 1;
		for (i = 0; i < npages; i++)
			(void)*(volatile char *)(p + i * PAGE);
		setvbuf(stdout, NULL, _IOLBF, 0);
		printf("pid=%d addr=%p len=%lu\nready\n", getpid(), (void *)p, npages * PAGE);
		for (;;)
			pause();
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	do {
		unsigned long first, n;

		p = mmap(NULL, npages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return 1;
		for (i = 0; i < npages; i++)
			if (rand_r(&seed) & 1)
				(void)*(volatile char *)(p + i * PAGE);
		first = rand_r(&seed) % npages;
		n = 1 + rand_r(&seed) % (npages - first);
		madvise(p + first * PAGE, n * PAGE, MADV_DONTNEED);
		usleep(rand_r(&seed) % 2000);
		munmap(p, npages * PAGE);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec);
	return 0;
}
