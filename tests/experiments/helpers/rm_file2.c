// SPDX-License-Identifier: GPL-2.0
/*
 * rm_file2 FILE: one file page mapped MAP_SHARED twice by this process (two
 * separate mmaps) and once by a child (E32: mapcount 3 through i_mmap).
 * Prints "pid= addr= addr2= len=4096 child=", then "ready", and waits for a
 * signal.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#define PAGE 4096

static pid_t child;

static void on_term(int sig)
{
	(void)sig;
	if (child > 0)
		kill(child, SIGTERM);
	_exit(0);
}

int main(int argc, char **argv)
{
	char buf[PAGE], c, *a, *b;
	int fd, pp[2];

	if (argc < 2)
		return 2;
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(buf, 0x3c, sizeof(buf));
	if (fd < 0 || write(fd, buf, PAGE) != PAGE || fsync(fd) || pipe(pp)) {
		perror("file");
		return 1;
	}
	a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	(void)*(volatile char *)a;
	(void)*(volatile char *)b;
	signal(SIGTERM, on_term);
	child = fork();
	if (!child) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		munmap(b, PAGE);
		(void)*(volatile char *)a;	/* fork copies no ptes of shared file vmas */
		if (write(pp[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (child < 0 || read(pp[0], &c, 1) != 1)
		return 1;
	printf("pid=%d addr=%p addr2=%p len=%d child=%d\nready\n", getpid(), (void *)a, (void *)b,
	       PAGE, child);
	fflush(stdout);
	for (;;)
		pause();
}
