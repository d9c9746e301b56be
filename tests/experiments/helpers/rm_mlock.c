// SPDX-License-Identifier: GPL-2.0
/*
 * rm_mlock: mlock/munlock and exit churn on a shared file while something
 * else reclaims (E13).
 *
 *   rm_mlock --file PATH --pages N --seconds S --out FILE
 *
 * Writes N pages to PATH.  P2 (a child) maps them MAP_SHARED, unlocked,
 * at 0x750000000000 and reads them all every 20 ms.  For S seconds, a
 * series of P1 processes each mlockall(MCL_CURRENT|MCL_FUTURE), map the
 * file MAP_SHARED at 0x760000000000, then munlock and mlock random
 * sub-ranges for 100..600 ms and exit (in whatever state they are).  Then
 * a last P1 maps it with everything locked and stays.  Prints "pid=
 * addr= len= child=" (P2 and its mapping), then "ready"; when the churn
 * is over it writes "rounds= p1=PID" to FILE.  SIGUSR1 kills the last P1 and appends
 * "p1_exited=1"; SIGTERM ends everything.
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
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define P2_BASE ((void *)0x750000000000UL)
#define P1_BASE ((void *)0x760000000000UL)

static unsigned long npages;
static int fd;

static char *map_at(void *at)
{
	char *p = mmap(at, npages * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		_exit(1);
	}
	return p;
}

static void touch(const char *p)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		(void)*(volatile const char *)(p + i * PAGE);
}

static pid_t spawn_p1(int churn_ms, unsigned int seed)
{
	pid_t pid = fork();
	struct timespec end, now;
	char *p;

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		perror("mlockall");
	p = map_at(P1_BASE);
	touch(p);
	if (!churn_ms)
		for (;;)
			pause();
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_nsec += churn_ms * 1000000L;
	end.tv_sec += end.tv_nsec / 1000000000L;
	end.tv_nsec %= 1000000000L;
	do {
		unsigned long first = rand_r(&seed) % npages;
		unsigned long n = 1 + rand_r(&seed) % (npages - first);

		if (rand_r(&seed) & 1)
			munlock(p + first * PAGE, n * PAGE);
		else
			mlock(p + first * PAGE, n * PAGE);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec ||
		 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *path = NULL, *out = "/dev/null";
	unsigned long seconds = 10, rounds = 0;
	struct timespec end, now;
	unsigned int seed = 7;
	pid_t p2, p1;
	sigset_t set;
	char *buf;
	FILE *f;
	int i, sig;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--file"))
			path = argv[i + 1];
		else if (!strcmp(argv[i], "--pages"))
			npages = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
	}
	if (!npages)
		npages = 1024;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = path ? open(path, O_RDWR | O_CREAT | O_TRUNC, 0644) : -1;
	buf = malloc(npages * PAGE);
	if (fd < 0 || !buf)
		return 1;
	memset(buf, 0x77, npages * PAGE);
	if (write(fd, buf, npages * PAGE) != (ssize_t)(npages * PAGE) || fsync(fd))
		return 1;
	free(buf);
	p2 = fork();
	if (!p2) {
		char *p;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		p = map_at(P2_BASE);
		for (;;) {
			touch(p);
			usleep(20000);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid=%d addr=%p len=%lu child=%d\nready\n", getpid(), P2_BASE, npages * PAGE, p2);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	do {
		p1 = spawn_p1(100 + rand_r(&seed) % 500, seed + rounds);
		waitpid(p1, NULL, 0);
		rounds++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec);
	p1 = spawn_p1(0, 0);
	usleep(300000);	/* it has mapped and locked everything by then */
	f = fopen(out, "w");
	if (f) {
		fprintf(f, "rounds=%lu p1=%d\n", rounds, p1);
		fclose(f);
	}
	while (sigwait(&set, &sig) == 0) {
		if (sig == SIGTERM)
			break;
		kill(p1, SIGKILL);
		waitpid(p1, NULL, 0);
		f = fopen(out, "a");
		if (f) {
			fprintf(f, "p1_exited=1\n");
			fclose(f);
		}
	}
	kill(p1, SIGKILL);
	kill(p2, SIGKILL);
	return 0;
}
