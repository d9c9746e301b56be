// SPDX-License-Identifier: GPL-2.0
/*
 * rm_mapexit: a process that munmaps its pages, or exits, at a chosen
 * moment while mmlab migrates them (E37).
 *
 *   rm_mapexit --anon N --file PATH --fpages M --action munmap|exit --delay-us D
 *
 * Maps N private anonymous pages and, right after them, M pages of PATH
 * (MAP_SHARED, written by it first), writes all of them, prints "pid=
 * addr= len=" (both ranges), then "ready", and forks a child that shares
 * both ranges (the anon pages COW-shared: mapcount 2).  mmlab migrates
 * through this process, which it holds (mm_users) for each command: its
 * own exit_mmap() cannot run during a migration, the child's can.  On
 * SIGUSR1, after D microseconds: exit: the child exits, then this process
 * 20 ms later; munmap: this process munmaps both ranges, kills the child
 * and exits 20 ms later.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define BASE 0x730000000000UL

int main(int argc, char **argv)
{
	unsigned long anon = 32, fpages = 32, delay = 0;
	const char *path = NULL, *action = "exit";
	char *a, *f, *buf;
	sigset_t set;
	int fd, i, sig, pp[2];
	pid_t child;
	char c;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--anon"))
			anon = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--file"))
			path = argv[i + 1];
		else if (!strcmp(argv[i], "--fpages"))
			fpages = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--action"))
			action = argv[i + 1];
		else if (!strcmp(argv[i], "--delay-us"))
			delay = strtoul(argv[i + 1], NULL, 0);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	a = mmap((void *)BASE, anon * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	fd = path ? open(path, O_RDWR | O_CREAT | O_TRUNC, 0644) : -1;
	buf = calloc(fpages, PAGE);
	if (a == MAP_FAILED || fd < 0 || !buf ||
	    write(fd, buf, fpages * PAGE) != (ssize_t)(fpages * PAGE)) {
		perror("setup");
		return 1;
	}
	f = mmap(a + anon * PAGE, fpages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
	if (f == MAP_FAILED) {
		perror("mmap file");
		return 1;
	}
	madvise(a, anon * PAGE, MADV_NOHUGEPAGE);
	memset(a, 0x61, anon * PAGE);
	memset(f, 0x62, fpages * PAGE);
	if (pipe(pp))
		return 1;
	child = fork();
	if (!child) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (i = 0; i < (int)fpages; i++)	/* no ptes copied for shared file vmas */
			(void)*(volatile char *)(f + i * PAGE);
		if (write(pp[1], "r", 1) != 1 || sigwait(&set, &sig))
			_exit(1);
		usleep(delay);
		_exit(0);
	}
	if (child < 0 || read(pp[0], &c, 1) != 1)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid=%d addr=%p len=%lu child=%d\nready\n", getpid(), (void *)a,
	       (anon + fpages) * PAGE, child);
	if (sigwait(&set, &sig))
		return 1;
	if (!strcmp(action, "munmap")) {
		usleep(delay);
		munmap(a, (anon + fpages) * PAGE);
		kill(child, SIGKILL);
	} else {
		kill(child, SIGUSR1);
	}
	waitpid(child, NULL, 0);
	usleep(20000);
	return 0;
}
