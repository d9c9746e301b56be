// SPDX-License-Identifier: GPL-2.0
/*
 * hold_mlockfile FILE: map the first page of FILE MAP_SHARED, read it,
 * mlock() it, print "pid=PID addr=0x...", then "ready", and wait.
 * SIGUSR1 munlock()s it (VmLck in /proc/PID/status shows when it did);
 * SIGTERM ends it.  Experiment E12 runs two of these on one file page.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
}

int main(int argc, char **argv)
{
	volatile char *p;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: hold_mlockfile FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "hold_mlockfile: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED || mlock((void *)p, 4096)) {
		fprintf(stderr, "hold_mlockfile: mmap/mlock: %s\n", strerror(errno));
		return 1;
	}
	(void)p[0];
	signal(SIGUSR1, on_usr1);
	printf("pid=%d addr=%p\nready\n", getpid(), (void *)p);
	fflush(stdout);
	for (;;) {
		pause();
		if (usr1) {
			usr1 = 0;
			munlock((void *)p, 4096);
		}
	}
}
