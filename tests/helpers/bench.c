// SPDX-License-Identifier: GPL-2.0
/*
 * bench: the measurements of `make bench`, one kind per call, each printed
 * as CSV rows "bench,what,variant,size,round,ns[,extra]" (ns is the time of
 * one measured operation).  Every comparison interleaves its variants
 * round by round (A B C A B C ...) on fresh, identical page sets.
 *
 *   bench mig 4k|thp PAGES ROUNDS [verify]
 *       PAGES base pages (4k) or THPs (thp) faulted on node 0 in a child,
 *       then moved to node 1 by: mmlab migrate (row "mmlab": the write and
 *       the read of the whole reply, on one file opened before any timing;
 *       "mmlab_write": the write alone), move_pages(2) (every 4 KiB
 *       address, as its users pass them; the syscall alone),
 *       migrate_pages(2) (the whole child), mmlab copy (the bytes into new
 *       pages on node 1: "copy" the copies alone and "copy_alloc" with
 *       allocation and free, as the module times them; "copy_wall" the
 *       command) and, with "verify", mmlab migrate verify=1
 *       ("mmlab_verify").  A warm-up round 0 is run and not reported;
 *       round r starts with the r-th variant.  Every variant is checked,
 *       and bench stops (status 1) on the first that fails: the pages all
 *       on node 0 before and on node 1 after (0 for copy: move_pages
 *       query), AnonHugePages of its region unchanged (smaps: THPs
 *       stayed THPs), move_pages status all 1, mmlab's whole reply read
 *       with its summary: every page migrated with checks=ok, none failed,
 *       skipped, raced or split, nothing truncated (copy: every page and
 *       folio copied, no allocation failed).
 *   bench check migrate PAGES | copy PAGES FOLIOS
 *       the reply check of bench mig on a reply read from stdin: "ok"
 *       (status 0) or "bad: why" (status 1).
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
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

/*
 * The longest reply the module gives (MMLAB_REPLY_MAX in module/base.h) and
 * a page to spare: a read that fills the buffer did not reach the end.
 * Allocated and touched once, so no timed read faults it in.
 */
#define REPLY_MAX (16UL << 20)
#define REPLY_BUF (REPLY_MAX + PAGE)
static char *reply;
static size_t reply_len;

static void reply_init(void)
{
	reply = malloc(REPLY_BUF);
	if (!reply)
		die("reply buffer");
	memset(reply, 0, REPLY_BUF);
}

/* Write one command line to @fd; errno of a failed write, or 0. */
static int mmlab_send(int fd, const char *line)
{
	return write(fd, line, strlen(line)) < 0 ? errno : 0;
}

/* Read the whole reply of the last command on @fd, to its end. */
static void mmlab_recv(int fd)
{
	ssize_t n;

	reply_len = 0;
	while ((n = read(fd, reply + reply_len, REPLY_BUF - 1 - reply_len)) > 0)
		reply_len += n;
	if (n < 0)
		die("read " CTL);
	if (reply_len >= REPLY_BUF - 1) {
		errno = EFBIG;
		die("reply longer than MMLAB_REPLY_MAX");
	}
	reply[reply_len] = '\0';
}

/* One mmlab command on @fd (or its own open file when -1); the reply is read. */
static int mmlab_on(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int mmlab_on(int fd, const char *fmt, ...)
{
	int own = fd < 0, err;
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (own)
		fd = open(CTL, O_RDWR);
	if (fd < 0)
		die(CTL);
	err = mmlab_send(fd, line);
	mmlab_recv(fd);
	if (own)
		close(fd);
	return err;
}
#define mmlab(...) mmlab_on(-1, __VA_ARGS__)

/* The value of " KEY=" (or "KEY=" at the start of a line) in @text, or -1. */
static long long text_num(const char *text, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(text, pat);
	return p ? strtoll(p + strlen(pat), NULL, 0) : -1;
}

static long long reply_num(const char *key)
{
	return text_num(reply, key);
}

/* ---- checking a reply --------------------------------------------------- */

static char why[256];

static const char *bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return why;
}

/* Lines of @text that start with @prefix. */
static long count_lines(const char *text, const char *prefix)
{
	size_t len = strlen(prefix);
	const char *p = text;
	long n = 0;

	while (p && *p) {
		n += !strncmp(p, prefix, len);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/* Occurrences of @str in @text. */
static long count_str(const char *text, const char *str)
{
	const char *p = text;
	long n = 0;

	while ((p = strstr(p, str))) {
		n++;
		p += strlen(str);
	}
	return n;
}

/* The summary line of @op in @text, or NULL. */
static const char *summary_of(const char *text, const char *op)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "summary op=%s ", op);
	p = strstr(text, pat);
	return p && (p == text || p[-1] == '\n') ? p : NULL;
}

static const char *expect_key(const char *sum, const char *key, long long want)
{
	long long got = text_num(sum, key);

	return got == want ? NULL : bad("%s=%lld, expected %lld", key, got, want);
}

/*
 * A whole `migrate` reply of @pages base pages that all moved: its summary
 * says so, every page has its migrated line with checks=ok, nothing was cut.
 */
static const char *check_migrate(const char *text, long pages)
{
	static const char * const zero[] = { "failed", "skipped", "raced", "checks_failed",
					      "split", "alloc_failed" };
	const char *sum = summary_of(text, "migrate"), *err;
	long lines;
	size_t i;

	if (strstr(text, "\ntruncated=1") || !strncmp(text, "truncated=1", 11))
		return bad("reply truncated");
	if (!sum)
		return bad("no migrate summary in the reply");
	err = expect_key(sum, "pages", pages);
	if (!err)
		err = expect_key(sum, "migrated", pages);
	for (i = 0; !err && i < ARRAY_SIZE(zero); i++)
		err = expect_key(sum, zero[i], 0);
	if (err)
		return err;
	lines = count_lines(text, "migrate addr=");
	if (lines != pages)
		return bad("%ld page lines in the reply, expected %ld", lines, pages);
	lines = count_str(text, " result=migrated checks=ok");
	if (lines != pages)
		return bad("%ld pages migrated with checks=ok in the reply, expected %ld", lines,
			   pages);
	return NULL;
}

/* A whole `copy` reply: every base page copied, in @folios folios, no allocation failed. */
static const char *check_copy(const char *text, long pages, long folios)
{
	const char *sum = summary_of(text, "copy"), *err;

	if (!sum)
		return bad("no copy summary in the reply");
	err = expect_key(sum, "pages", pages);
	if (!err)
		err = expect_key(sum, "folios", folios);
	if (!err)
		err = expect_key(sum, "alloc_failed", 0);
	if (!err && (text_num(sum, "copy_ns") <= 0 || text_num(sum, "total_ns") <= 0))
		err = bad("copy_ns or total_ns missing");
	return err;
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

/* The holder alive now, killed when bench stops on a failed check. */
static pid_t held, held_by;

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
	held = h.pid;
	held_by = getpid();
	if (read(p[0], &h.addr, sizeof(h.addr)) != sizeof(h.addr))
		die("holder did not start");
	close(p[0]);
	return h;
}

static void kill_held(void)
{
	if (held && getpid() == held_by)
		kill(held, SIGKILL);
}

static void unhold(struct holder *h)
{
	kill(h->pid, SIGKILL);
	waitpid(h->pid, NULL, 0);
	held = 0;
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

/*
 * AnonHugePages in kB of the holder's region: the sum over the vmas of its
 * smaps that overlap it (the kernel's count, not mmlab's).  Not
 * smaps_rollup: the child also maps, copy-on-write, the parent's reply
 * buffer, which khugepaged may have collapsed into THPs of its own.
 */
static long thp_kb(struct holder *h)
{
	unsigned long start, end, lo = (unsigned long)h->addr, hi = lo + h->len;
	char path[64], line[512];
	long kb, sum = 0;
	int in = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", h->pid);
	f = fopen(path, "r");
	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			in = start < hi && end > lo;
		else if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			sum += kb;
	}
	fclose(f);
	return sum;
}

/* ---- bench mig ------------------------------------------------------------ */

/*
 * The variants of one round.  mmlab: the write of `migrate` and the read
 * of its whole reply (what a user pays to learn the outcome, as
 * move_pages' caller learns it from status[]), on one file opened once;
 * its row mmlab_write is the write alone.  verify: the same with verify=1
 * (crc32 of every page before and after), reported apart.
 */
enum { M_MMLAB, M_MOVE_PAGES, M_MIGRATE_PAGES, M_COPY, M_VERIFY, M_NR };
static const char * const mig_name[] = {
	"mmlab", "move_pages", "migrate_pages", "copy", "mmlab_verify"
};

struct mig_case {
	int thp, fd, verify;		/* verify: mmlab_verify runs here */
	long count, pages;		/* THPs or base pages; base pages */
	size_t len;
	char name[32];
};

/* The phases a migrate summary times (walk_ns=...), printed as phase_walk... */
static const char * const phase_name[] = { "walk", "isolate", "migrate", "check" };
#define NR_PHASES 4

struct mig_out {
	unsigned long long ns, write_ns, copy_ns, total_ns;
	long long phase[NR_PHASES];
};

/*
 * status[] must say node 1 for every page, but for a THP's tail pages:
 * once its first address isolated the THP, each tail address finds it off
 * the LRU and gets -EBUSY, though the THP then moves whole (6.1's
 * add_page_for_migration(): isolate_lru_page(head) fails, seen in the
 * guest as status[1] = -16; 6.12's add_folio_for_migration() likewise).
 * Where the pages are is then checked by the query after it.
 */
static void mig_move_pages(struct holder *h, int thp, struct mig_out *o)
{
	long n = h->len / PAGE, i;
	void **pages = calloc(n, sizeof(*pages));
	int *nodes = calloc(n, sizeof(*nodes)), *status = calloc(n, sizeof(*status));
	unsigned long long t0;

	if (!pages || !nodes || !status)
		die("move_pages arrays");
	for (i = 0; i < n; i++) {
		pages[i] = h->addr + i * PAGE;
		nodes[i] = 1;
		status[i] = -1;		/* touched here, not in the timed call */
	}
	t0 = now_ns();
	if (syscall(SYS_move_pages, h->pid, n, pages, nodes, status, MPOL_MF_MOVE))
		die("move_pages");
	o->ns = now_ns() - t0;
	for (i = 0; i < n; i++)
		if (status[i] != 1 && !(thp && i % (HPAGE / PAGE) && status[i] == -EBUSY)) {
			fprintf(stderr, "bench: move_pages status[%ld] = %d, expected node 1\n",
				i, status[i]);
			exit(1);
		}
	free(pages);
	free(nodes);
	free(status);
}

/* A migrate or copy command on the case's one open file: write, then read it all. */
static void mig_mmlab(struct mig_case *c, struct holder *h, int how, struct mig_out *o)
{
	char line[160];
	unsigned long long t0, t1;
	const char *err;
	int i;

	snprintf(line, sizeof(line), "%s pid=%d addr=%p len=%zu node=1%s",
		 how == M_COPY ? "copy" : "migrate", h->pid, h->addr, h->len,
		 how == M_VERIFY ? " verify=1" : "");
	t0 = now_ns();
	errno = mmlab_send(c->fd, line);
	t1 = now_ns();
	if (errno) {
		mmlab_recv(c->fd);
		fprintf(stderr, "bench: %s: %s", line, reply);
		die(mig_name[how]);
	}
	mmlab_recv(c->fd);
	o->ns = now_ns() - t0;
	o->write_ns = t1 - t0;
	if (how == M_COPY) {
		err = check_copy(reply, c->pages, c->count);
		o->copy_ns = reply_num("copy_ns");
		o->total_ns = reply_num("total_ns");
	} else {
		err = check_migrate(reply, c->pages);
		for (i = 0; !err && i < NR_PHASES; i++) {
			snprintf(line, sizeof(line), "%s_ns", phase_name[i]);
			o->phase[i] = text_num(summary_of(reply, "migrate"), line);
			if (o->phase[i] < 0)
				err = bad("no %s in the migrate summary", line);
		}
	}
	if (err) {
		fprintf(stderr, "bench: %s %s: %s\n", mig_name[how], c->name, err);
		exit(1);
	}
}

/* Where the pages must be and that THPs are still THPs (base pages still base pages). */
static void mig_where(struct mig_case *c, struct holder *h, int how, int node, const char *when)
{
	long on = on_node(h, node), kb = thp_kb(h), want_kb = c->thp ? (long)(c->len >> 10) : 0;

	if (on != c->pages) {
		fprintf(stderr, "bench: %s %s: %ld of %ld pages on node %d %s\n", mig_name[how],
			c->name, on, c->pages, node, when);
		exit(1);
	}
	if (kb != want_kb) {
		fprintf(stderr, "bench: %s %s: AnonHugePages %ld kB %s, expected %ld kB (THP %s)\n",
			mig_name[how], c->name, kb, when, want_kb,
			c->thp ? "split or never faulted" : "where none should be");
		exit(1);
	}
}

static void mig_one(struct mig_case *c, int how, int round)
{
	struct holder h = hold(c->len, c->thp);
	struct mig_out o = {};
	unsigned long long t0;
	int i;

	mig_where(c, &h, how, 0, "before");
	switch (how) {
	case M_MOVE_PAGES:
		mig_move_pages(&h, c->thp, &o);
		break;
	case M_MIGRATE_PAGES: {
		unsigned long from = 1, to = 2;

		t0 = now_ns();
		if (syscall(SYS_migrate_pages, h.pid, 64, &from, &to))
			die("migrate_pages");	/* >0: pages it could not move */
		o.ns = now_ns() - t0;
		break;
	}
	default:
		mig_mmlab(c, &h, how, &o);
	}
	mig_where(c, &h, how, how == M_COPY ? 0 : 1, "after");
	unhold(&h);
	if (!round)
		return;		/* the warm-up round: checked, not reported */
	if (how == M_COPY) {
		printf("bench,mig,copy,%s,%d,%llu\n", c->name, round, o.copy_ns);
		printf("bench,mig,copy_alloc,%s,%d,%llu\n", c->name, round, o.total_ns);
		printf("bench,mig,copy_wall,%s,%d,%llu\n", c->name, round, o.ns);
	} else {
		printf("bench,mig,%s,%s,%d,%llu\n", mig_name[how], c->name, round, o.ns);
	}
	if (how == M_MMLAB) {
		printf("bench,mig,mmlab_write,%s,%d,%llu\n", c->name, round, o.write_ns);
		for (i = 0; i < NR_PHASES; i++)
			printf("bench,mig,phase_%s,%s,%d,%lld\n", phase_name[i], c->name, round,
			       o.phase[i]);
	}
	fflush(stdout);
}

/*
 * Round 0 is a warm-up (first touches, the reply buffer's growth, the
 * allocator's free lists) and is not reported.  Round r runs the variants
 * from the r-th on, so that none always goes first.
 */
static int bench_mig(int thp, long count, int rounds, int verify)
{
	struct mig_case c = { .thp = thp, .count = count, .verify = verify };
	int r, i, how;

	c.pages = count * (thp ? HPAGE / PAGE : 1);
	c.len = c.pages * PAGE;
	snprintf(c.name, sizeof(c.name), "%s%ld", thp ? "thp" : "4k", count);
	c.fd = open(CTL, O_RDWR);
	if (c.fd < 0)
		die(CTL);
	for (r = 0; r <= rounds; r++) {
		for (i = 0; i < M_NR; i++) {
			how = (i + r) % M_NR;
			if (how == M_VERIFY && !c.verify)
				continue;
			mig_one(&c, how, r);
		}
	}
	close(c.fd);
	return 0;
}

/* bench check migrate PAGES | copy PAGES FOLIOS: check a reply on stdin, as bench mig does. */
static int bench_check(int argc, char **argv)
{
	const char *err;

	reply_len = fread(reply, 1, REPLY_BUF - 1, stdin);
	reply[reply_len] = '\0';
	if (argc == 4 && !strcmp(argv[2], "migrate"))
		err = check_migrate(reply, atol(argv[3]));
	else if (argc == 5 && !strcmp(argv[2], "copy"))
		err = check_copy(reply, atol(argv[3]), atol(argv[4]));
	else
		err = "usage: bench check migrate PAGES | copy PAGES FOLIOS";
	if (err) {
		printf("bad: %s\n", err);
		return 1;
	}
	printf("ok\n");
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
	reply_init();
	atexit(kill_held);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "mig"))
		return bench_mig(!strcmp(argv[2], "thp"), atol(argv[3]), atoi(argv[4]),
				 argc == 6 && !strcmp(argv[5], "verify"));
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return bench_check(argc, argv);
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
