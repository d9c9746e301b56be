// SPDX-License-Identifier: GPL-2.0
/*
 * rm_ksm: KSM pages merged across processes (E32, E34).
 *
 *   rm_ksm [--procs N] [--pages M]
 *
 * N processes (default 3: this one and N-1 children) each map M private
 * anonymous pages (default 2) of their own at the same address, fill every
 * page with the same bytes and mark them MADV_MERGEABLE, so KSM can merge
 * all N*M pages into one KSM page (pages_shared 1, pages_sharing N*M-1).
 * Every page is faulted on node 0 (MPOL_BIND), so the KSM page is there.
 * Prints "pid= addr= len= children=PID,PID", then "ready", and waits for
 * a signal; the children die with it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096UL
#define BASE ((void *)0x720000000000UL)

static pid_t kids[16];
static int nkids;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static char *map_pages(size_t len)
{
	unsigned long node0 = 1;
	char *p;

	if (syscall(SYS_set_mempolicy, 2 /* MPOL_BIND */, &node0, 64))
		die("set_mempolicy");
	p = mmap(BASE, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		die("mmap");
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i++)
		p[i] = (char)(0x5b ^ (i % PAGE % 251));	/* the same in every page */
	if (madvise(p, len, MADV_MERGEABLE))
		die("MADV_MERGEABLE");
	return p;
}

static void on_term(int sig)
{
	int i;

	(void)sig;
	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGTERM);
	_exit(0);
}

int main(int argc, char **argv)
{
	int procs = 3, pages = 2, i, pp[2];
	size_t len;
	char c, *p;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--procs"))
			procs = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--pages"))
			pages = atoi(argv[i + 1]);
	}
	if (procs < 1 || procs > 16 || pages < 1 || pipe(pp))
		die("usage");
	len = pages * PAGE;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	for (i = 1; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid) {
			nkids = 0;
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			map_pages(len);
			if (write(pp[1], "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		kids[nkids++] = pid;
		if (read(pp[0], &c, 1) != 1)
			die("child");
	}
	p = map_pages(len);
	printf("pid=%d addr=%p len=%zu", getpid(), (void *)p, len);
	for (i = 0; i < nkids; i++)
		printf("%s%d", i ? "," : " children=", kids[i]);
	printf("\nready\n");
	fflush(stdout);
	for (;;)
		pause();
}
