// SPDX-License-Identifier: GPL-2.0
/*
 * gup_waker: a process whose second thread calls GUP-fast on its own page
 * over and over, for E52 (seed 004's GUP-fast race).
 *
 *   gup_waker
 *
 * Maps one private anon page, writes it, prints "pid=PID addr=0x... len=4096"
 * and "ready".  A thread then loops on futex(FUTEX_WAKE) without
 * FUTEX_PRIVATE_FLAG at that page: a shared futex's key comes from
 * get_futex_key(), which takes the page with get_user_pages_fast() and
 * drops it again (no waiter is ever woken), until the process is killed.
 * The thread runs on the last CPU, the migrating commands elsewhere: the
 * race needs two CPUs, and 6.1's second vCPU under TCG is the one whose
 * udelay() was wrong (inject.c), so a delay there must hold too.
 * The injections file's hits= of gup_fast_grab count the calls.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096UL

static void *waker(void *page)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(n > 1 ? n - 1 : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	for (;;)
		syscall(SYS_futex, page, FUTEX_WAKE, 1, NULL, NULL, 0);
	return NULL;
}

int main(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_t t;

	if (p == MAP_FAILED) {
		perror("gup_waker: mmap");
		return 1;
	}
	memset(p, 0x5a, PAGE);
	printf("pid=%d addr=%p len=%lu\nready\n", getpid(), (void *)p, PAGE);
	fflush(stdout);
	if (pthread_create(&t, NULL, waker, p)) {
		fprintf(stderr, "gup_waker: pthread_create failed\n");
		return 1;
	}
	for (;;)
		pause();
}
