// SPDX-License-Identifier: GPL-2.0
/*
 * rm_cow: one private anonymous page, forked and written one step at a
 * time (E33).  Commands on stdin, one answer line each on stdout:
 *
 *   fork      fork a child that shares the page   -> "ok child=PID"
 *   write     this process writes the page        -> "ok move= copy= wp="
 *   cwrite    the child writes the page           -> "ok move= copy= wp="
 *   dontneed  this process zaps its pte (MADV_DONTNEED)
 *   reap      kill the child and wait for it
 *   quit
 * Starts with "ok pid= addr=" (the page written once).
 *
 * write and cwrite count the kernel's work themselves: the writer first
 * writes every present page of its other private writable mappings (so
 * that none of them is left shared-then-alone by the fork, which would
 * make its next write a reuse or a copy of its own), then reads mmlab's
 * probes file, writes the page, and reads it again.  move= is the hits of
 * page_move_anon_rmap + folio_move_anon_rmap in between, copy= of
 * wp_page_copy, wp= of do_wp_page: this process's write fault alone (a
 * shell reading the file would count its own faults after its forks).
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

#define PAGE 4096

static char *page;
static pid_t child;
static int to_child[2], from_child[2];

static char pbuf[2][65536], res[128];

/* Write every present page of the private writable mappings but @page. */
static void prime(void)
{
	static char line[512];
	unsigned long s, e, a, ent;
	FILE *f = fopen("/proc/self/maps", "r");
	int pm = open("/proc/self/pagemap", O_RDONLY);
	char perm[8];

	if (!f || pm < 0)
		exit(1);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &s, &e, perm) != 3 || strcmp(perm, "rw-p"))
			continue;
		for (a = s; a < e; a += PAGE) {
			if (a == (unsigned long)page)
				continue;
			if (pread(pm, &ent, 8, a / PAGE * 8) != 8 || !(ent >> 63))
				continue;
			*(volatile char *)a = *(volatile char *)a;
		}
	}
	fclose(f);
	close(pm);
}

static void read_probes(char *buf)
{
	int fd = open("/sys/kernel/debug/mmlab/probes", O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof(pbuf[0]) - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

/* hits= of probe @sym in @buf (0 when not attached). */
static long hits(const char *buf, const char *sym)
{
	char key[80];
	const char *l = buf, *h;

	snprintf(key, sizeof(key), " sym=%s ", sym);
	l = strstr(buf, key);
	if (!l)
		return 0;
	h = strstr(l, " hits=");
	return h ? atol(h + 6) : 0;
}

static long delta(const char *sym)
{
	return hits(pbuf[1], sym) - hits(pbuf[0], sym);
}

/* The measured write fault; the result in res. */
static void measured_write(char c)
{
	prime();
	read_probes(pbuf[0]);
	page[0] = c;
	read_probes(pbuf[1]);
	snprintf(res, sizeof(res), "ok move=%ld copy=%ld wp=%ld",
		 delta("page_move_anon_rmap") + delta("folio_move_anon_rmap"),
		 delta("wp_page_copy"), delta("do_wp_page"));
}

static void child_loop(void)
{
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (read(to_child[0], &c, 1) == 1) {
		measured_write(c);
		if (write(from_child[1], res, sizeof(res)) != sizeof(res))
			break;
	}
	_exit(0);
}

static void run(const char *l)
{

	if (!strncmp(l, "fork", 4)) {
		if (pipe(to_child) || pipe(from_child)) {
			printf("err pipe\n");
			return;
		}
		child = fork();
		if (!child)
			child_loop();
		printf("ok child=%d\n", child);
	} else if (!strncmp(l, "write", 5)) {
		measured_write(page[0] + 1);
		printf("%s\n", res);
	} else if (!strncmp(l, "cwrite", 6)) {
		if (write(to_child[1], "c", 1) != 1 ||
		    read(from_child[0], res, sizeof(res)) != sizeof(res))
			printf("err child\n");
		else
			printf("%s\n", res);
	} else if (!strncmp(l, "dontneed", 8)) {
		printf(madvise(page, PAGE, MADV_DONTNEED) ? "err madvise\n" : "ok\n");
	} else if (!strncmp(l, "reap", 4)) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = 0;
		printf("ok\n");
	} else {
		printf("err bad command\n");
	}
}

int main(void)
{
	char line[64];

	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	madvise(page, PAGE, MADV_NOHUGEPAGE);
	memset(page, 0x11, PAGE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ok pid=%d addr=%p\n", getpid(), (void *)page);
	while (fgets(line, sizeof(line), stdin) && strncmp(line, "quit", 4))
		run(line);
	if (child > 0)
		kill(child, SIGKILL);
	return 0;
}
