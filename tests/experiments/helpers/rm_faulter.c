// SPDX-License-Identifier: GPL-2.0
/*
 * rm_faulter: a thread that keeps using one page while mmlab migrates it
 * (E40, E05).
 *
 *   rm_faulter --mode rw [--pages N] --out FILE
 *       the thread stores an incrementing sequence number in each of N
 *       pages (default 1) in turn and reads it back; a read that differs
 *       from the last write is a lost write, and so is a page that does
 *       not hold the last number stored in it when the thread stops.
 *   rm_faulter --mode dio --file PATH --out FILE
 *       PATH (one page, written here with a known pattern) is read with
 *       O_DIRECT into the page, which is zeroed before each read; a page
 *       that does not hold the pattern afterwards is a lost read (the I/O
 *       went to a page the process no longer maps).
 *
 * Prints "pid= addr= len=", then "ready".  SIGUSR1 stops the thread
 * and writes "iters= errors= io_errors= seq= last0=" to FILE (last0: the
 * last number stored in the first page, rw mode); the process then waits
 * for SIGTERM.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static volatile unsigned long *page;
static unsigned char want[PAGE];
static unsigned long iters, errors, seq, io_errors, npages = 1, *last;
static volatile int stop;
static int fd = -1;

static void *rw_loop(void *arg)
{
	(void)arg;
	unsigned long i = 0;

	while (!stop) {
		volatile unsigned long *w = page + i * (PAGE / sizeof(*page));

		*w = ++seq;
		if (*w != seq)
			errors++;
		last[i] = seq;
		iters++;
		i = (i + 1) % npages;
	}
	for (i = 0; i < npages; i++)
		errors += page[i * (PAGE / sizeof(*page))] != last[i];
	return NULL;
}

static void *dio_loop(void *arg)
{
	(void)arg;
	while (!stop) {
		memset((void *)page, 0, PAGE);
		if (pread(fd, (void *)page, PAGE, 0) != PAGE)
			io_errors++;
		else if (memcmp((void *)page, want, PAGE))
			errors++;
		iters++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = "rw", *out = "/dev/null", *path = NULL;
	pthread_t t;
	sigset_t set;
	FILE *f;
	int i, sig;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--mode"))
			mode = argv[i + 1];
		else if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
		else if (!strcmp(argv[i], "--file"))
			path = argv[i + 1];
		else if (!strcmp(argv[i], "--pages"))
			npages = strtoul(argv[i + 1], NULL, 0);
	}
	last = calloc(npages, sizeof(*last));
	if (!npages || !last)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	page = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	madvise((void *)page, npages * PAGE, MADV_NOHUGEPAGE);
	memset((void *)page, 0, npages * PAGE);
	if (!strcmp(mode, "dio")) {
		for (i = 0; i < PAGE; i++)
			want[i] = (unsigned char)(0xa5 ^ (i * 31));
		fd = path ? open(path, O_RDWR | O_CREAT | O_TRUNC, 0644) : -1;
		if (fd < 0 || write(fd, want, PAGE) != PAGE || fsync(fd)) {
			perror("dio file");
			return 1;
		}
		close(fd);
		fd = open(path, O_RDONLY | O_DIRECT);
		if (fd < 0) {
			perror("O_DIRECT");
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid=%d addr=%p len=%lu\nready\n", getpid(), (void *)page, npages * PAGE);
	pthread_create(&t, NULL, fd < 0 ? rw_loop : dio_loop, NULL);
	do {
		if (sigwait(&set, &sig))
			return 1;
	} while (sig != SIGUSR1 && sig != SIGTERM);
	stop = 1;
	pthread_join(t, NULL);
	f = fopen(out, "w");
	if (f) {
		fprintf(f, "iters=%lu errors=%lu io_errors=%lu seq=%lu last0=%lu\n", iters, errors,
			io_errors, seq, last[0]);
		fclose(f);
	}
	if (sig == SIGTERM)
		return 0;
	while (sigwait(&set, &sig) == 0 && sig != SIGTERM)
		;
	return 0;
}
