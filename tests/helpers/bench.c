// SPDX-License-Identifier: GPL-2.0
/*
 * bench: the measurements of `make bench`, one kind per call, each printed
 * as CSV rows "bench,what,variant,size,round,ns[,extra]" (ns is the time of
 * one measured operation).  Every comparison interleaves its variants
 * round by round (A B C A B C ...) on fresh, identical page sets.
 *
 *   bench mig 4k|thp PAGES ROUNDS
 *       PAGES base pages (4k) or THPs (thp) faulted on node 0 in a child,
 *       then moved to node 1 by: mmlab migrate, move_pages(2) (every 4 KiB
 *       address, as its users pass them), migrate_pages(2) (the whole
 *       child), and mmlab copy (the bytes into new pages on node 1: rows
 *       "copy" for the copies alone and "copy_alloc" with allocation and
 *       free).  Each variant's pages are checked on node 1 afterwards.
 *   bench rmap anon|file MAPPINGS ROUNDS
 *       one page mapped by MAPPINGS processes (a fork tree; the file page
 *       MAP_SHARED from /tmp/mmlab-bench-file), walked ROUNDS x 20 times by
 *       mmlab rmap and by rmap action=referenced, interleaved.
 *   bench fault MIB ITER
 *       touch MIB MiB of anon memory and MADV_DONTNEED it, ITER times: one
 *       row (the caller attaches probes around it).
 *   bench migloop PAGES ITER
 *       PAGES pages migrated node 0 -> 1 -> 0 ... ITER times by mmlab.
 *   bench ctl COMMANDS FDS
 *       COMMANDS inspect commands of one page, spread over FDS processes
 *       with one open file each, all at once: one row, the wall time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define HPAGE (2UL << 20)
#define CTL "/sys/kernel/debug/mmlab/control"
#define MPOL_BIND 2
#define MPOL_MF_MOVE 2

static void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* One mmlab command on @fd (or its own open file when -1); the reply is read. */
static char reply[1 << 22];

static int mmlab_on(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int mmlab_on(int fd, const char *fmt, ...)
{
	int own = fd < 0, err = 0;
	char line[512];
	size_t got = 0;
	va_list ap;
	ssize_t n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (own)
		fd = open(CTL, O_RDWR);
	if (fd < 0)
		die(CTL);
	if (write(fd, line, strlen(line)) < 0)
		err = errno;
	while ((n = read(fd, reply + got, sizeof(reply) - 1 - got)) > 0)
		got += n;
	reply[got] = '\0';
	if (own)
		close(fd);
	return err;
}
#define mmlab(...) mmlab_on(-1, __VA_ARGS__)

/* The value of " KEY=" in the reply, or -1. */
static long long reply_num(const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(reply, pat);
	return p ? strtoll(p + strlen(pat), NULL, 0) : -1;
}

/* ---- a child that holds pages ------------------------------------------- */

struct holder {
	pid_t pid;
	char *addr;
	size_t len;
};

static void bind0(void)
{
	unsigned long mask = 1;

	if (syscall(SYS_set_mempolicy, MPOL_BIND, &mask, 64))
		die("set_mempolicy");
}

/* Fork a child that faults @len bytes of anon memory (THP-aligned) on node 0 and waits. */
static struct holder hold(size_t len, int thp)
{
	struct holder h = { .len = len };
	int p[2];

	if (pipe(p))
		die("pipe");
	h.pid = fork();
	if (h.pid < 0)
		die("fork");
	if (!h.pid) {
		char *m = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		size_t i;

		if (m == MAP_FAILED)
			die("mmap");
		m = (char *)(((unsigned long)m + HPAGE - 1) & ~(HPAGE - 1));
		madvise(m, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		bind0();
		for (i = 0; i < len; i += PAGE)
			m[i] = (char)(i / PAGE + 1);
		if (write(p[1], &m, sizeof(m)) != sizeof(m))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &h.addr, sizeof(h.addr)) != sizeof(h.addr))
		die("holder did not start");
	close(p[0]);
	return h;
}

static void unhold(struct holder *h)
{
	kill(h->pid, SIGKILL);
	waitpid(h->pid, NULL, 0);
}

/* How many of the holder's pages are on @node (move_pages status query). */
static long on_node(struct holder *h, int node)
{
	long n = h->len / PAGE, i, hits = 0;
	void **pages = calloc(n, sizeof(*pages));
	int *status = calloc(n, sizeof(*status));

	for (i = 0; i < n; i++)
		pages[i] = h->addr + i * PAGE;
	if (syscall(SYS_move_pages, h->pid, n, pages, NULL, status, 0))
		die("move_pages query");
	for (i = 0; i < n; i++)
		hits += status[i] == node;
	free(pages);
	free(status);
	return hits;
}

/* ---- bench mig ------------------------------------------------------------ */

enum { M_MMLAB, M_MOVE_PAGES, M_MIGRATE_PAGES, M_COPY, M_NR };
static const char * const mig_name[] = { "mmlab", "move_pages", "migrate_pages", "copy" };

static unsigned long long mig_one(int how, struct holder *h, unsigned long long *extra)
{
	long n = h->len / PAGE, i;
	unsigned long long t0, t;
	unsigned long from = 1, to = 2;

	if (how == M_MOVE_PAGES) {
		void **pages = calloc(n, sizeof(*pages));
		int *nodes = calloc(n, sizeof(*nodes)), *status = calloc(n, sizeof(*status));

		for (i = 0; i < n; i++) {
			pages[i] = h->addr + i * PAGE;
			nodes[i] = 1;
		}
		t0 = now_ns();
		if (syscall(SYS_move_pages, h->pid, n, pages, nodes, status, MPOL_MF_MOVE) < 0)
			die("move_pages");
		t = now_ns() - t0;
		free(pages);
		free(nodes);
		free(status);
		return t;
	}
	if (how == M_MIGRATE_PAGES) {
		t0 = now_ns();
		if (syscall(SYS_migrate_pages, h->pid, 64, &from, &to) < 0)
			die("migrate_pages");
		return now_ns() - t0;
	}
	t0 = now_ns();
	if (mmlab("%s pid=%d addr=%p len=%zu node=1", how == M_COPY ? "copy" : "migrate",
		  h->pid, h->addr, h->len))
		die(how == M_COPY ? "mmlab copy" : "mmlab migrate");
	t = now_ns() - t0;
	if (how == M_COPY) {
		*extra = reply_num("total_ns");
		return reply_num("copy_ns");
	}
	return t;
}

static int bench_mig(int thp, long count, int rounds)
{
	size_t len = count * (thp ? HPAGE : PAGE);
	unsigned long long ns, extra = 0;
	int r, how;

	for (r = 1; r <= rounds; r++) {
		for (how = 0; how < M_NR; how++) {
			struct holder h = hold(len, thp);

			ns = mig_one(how, &h, &extra);
			if (how != M_COPY && on_node(&h, 1) != (long)(len / PAGE))
				fprintf(stderr, "bench: %s left %ld of %zu pages off node 1\n",
					mig_name[how], len / PAGE - on_node(&h, 1), len / PAGE);
			printf("bench,mig,%s,%s%ld,%d,%llu\n", mig_name[how], thp ? "thp" : "4k",
			       count, r, ns);
			if (how == M_COPY)
				printf("bench,mig,copy_alloc,%s%ld,%d,%llu\n", thp ? "thp" : "4k",
				       count, r, extra);
			fflush(stdout);
			unhold(&h);
		}
	}
	return 0;
}

/* ---- bench rmap ----------------------------------------------------------- */

static int bench_rmap(int file, int mappings, int rounds)
{
	int fd = -1, ctl, r, k, i, n = 0, walks = 20;
	pid_t *kids = calloc(mappings, sizeof(*kids));
	char *m;

	if (file) {
		fd = open("/tmp/mmlab-bench-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, PAGE))
			die("bench file");
	}
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 file ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	m[0] = 1;
	for (i = 1; i < mappings; i++) {
		kids[n] = fork();
		if (kids[n] < 0)
			die("fork");
		if (!kids[n]) {
			(void)*(volatile char *)m;
			pause();
			_exit(0);
		}
		n++;
	}
	/* Every child has its mapping once the walk finds them all. */
	for (i = 0; i < 1000; i++) {
		mmlab("rmap pid=%d addr=%p", getpid(), m);
		if (reply_num("found") == mappings)
			break;
		usleep(10000);
	}
	if (reply_num("found") != mappings)
		fprintf(stderr, "bench: rmap found %lld of %d mappings\n", reply_num("found"),
			mappings);
	ctl = open(CTL, O_RDWR);		/* one open file: the walks, not open(), are timed */
	if (ctl < 0)
		die(CTL);
	for (r = 1; r <= rounds; r++) {
		for (k = 0; k < 2; k++) {
			unsigned long long t0 = now_ns();

			for (i = 0; i < walks; i++)
				if (mmlab_on(ctl, "rmap pid=%d addr=%p%s", getpid(), m,
					     k ? " action=referenced" : ""))
					die("mmlab rmap");
			printf("bench,rmap,%s,%s%d,%d,%llu\n", k ? "referenced" : "mmlab",
			       file ? "file" : "anon", mappings, r, (now_ns() - t0) / walks);
			fflush(stdout);
		}
	}
	close(ctl);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}

/* ---- bench fault, migloop, ctl ------------------------------------------------ */

static int bench_fault(long mib, int iter)
{
	size_t len = mib << 20, off;
	unsigned long long t0;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (m == MAP_FAILED)
		die("mmap");
	madvise(m, len, MADV_NOHUGEPAGE);
	t0 = now_ns();
	for (i = 0; i < iter; i++) {
		for (off = 0; off < len; off += PAGE)
			m[off] = 1;
		madvise(m, len, MADV_DONTNEED);
	}
	printf("bench,fault,run,%ldMiB,%d,%llu\n", mib, iter, (now_ns() - t0) / iter);
	return 0;
}

static int bench_migloop(long count, int iter)
{
	struct holder h = hold(count * PAGE, 0);
	unsigned long long t0 = now_ns();
	int i;

	for (i = 0; i < iter; i++)
		if (mmlab("migrate pid=%d addr=%p len=%zu node=%d", h.pid, h.addr, h.len,
			  (i + 1) % 2))
			die("mmlab migrate");
	printf("bench,migloop,run,%ld,%d,%llu\n", count, iter, (now_ns() - t0) / iter);
	unhold(&h);
	return 0;
}

static int bench_ctl(long commands, int fds)
{
	struct holder h = hold(PAGE, 0);
	char line[128];
	unsigned long long t0 = now_ns();
	int i, j, len;

	len = snprintf(line, sizeof(line), "inspect pid=%d addr=%p", h.pid, h.addr);
	for (i = 0; i < fds; i++) {
		if (fork() == 0) {
			int fd = open(CTL, O_RDWR);
			char buf[4096];

			if (fd < 0)
				_exit(1);
			for (j = i; j < commands; j += fds) {
				if (write(fd, line, len) != len || read(fd, buf, sizeof(buf)) <= 0)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (i = 0; i < fds; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			die("ctl worker");
	}
	printf("bench,ctl,fds%d,%ld,1,%llu\n", fds, commands, now_ns() - t0);
	unhold(&h);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "mig"))
		return bench_mig(!strcmp(argv[2], "thp"), atol(argv[3]), atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "rmap"))
		return bench_rmap(!strcmp(argv[2], "file"), atoi(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "fault"))
		return bench_fault(atol(argv[2]), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "migloop"))
		return bench_migloop(atol(argv[2]), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "ctl"))
		return bench_ctl(atol(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: see the header of tests/helpers/bench.c\n");
	return 2;
}
