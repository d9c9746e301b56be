// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: write generated command lines to mmlab's control file, one write()
 * per line on one open file, and count what came back.
 *
 *   fuzz --lines N --seed S --pid P --addr A --len L [--file PATH]
 *
 * Classes (one picked per line):
 *   random     random bytes, 0..300 long, NULs and newlines included
 *   valid      a well-formed command on the target (P, A, L) or on pid 1
 *   number     a valid command with one number replaced by a boundary:
 *              0, 1, the key's limits and one past, 2^64-1, 2^64, -1, 0x,
 *              40 digits, a bad suffix
 *   address    addresses at the edges of the mapping, page 0, kernel
 *              addresses, the last page of the address space
 *   length     huge and edge lengths (0, 1, 256M, 256M+1, 4G, 1T)
 *   keys       a key repeated, dropped, unknown, emptied, or verb changed
 *   cut        a valid command cut short, or with spaces/tabs/case changed
 * A line that takes longer than 0.5 s is interrupted (SIGALRM, so that a
 * long stress command shows its EINTR path).  Prints one line per class
 * (tried, accepted, errnos) and a total.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

enum { RANDOM, VALID, NUMBER, ADDRESS, LENGTH, KEYS, CUT, NCLASS };
static const char * const class_names[] = {
	"random", "valid", "number", "address", "length", "keys", "cut",
};
#define MAXERR 134

static unsigned long tried[NCLASS], accepted[NCLASS], errs[NCLASS][MAXERR];
static unsigned long pid, addr, len;
static char line[8192];

static unsigned long rnd(unsigned long n)
{
	return n ? (unsigned long)random() % n : 0;
}

/* A valid command on the target; small, so that it runs quickly. */
static int valid(char *b, size_t n)
{
	unsigned long a = addr + rnd(len / 4096) * 4096;
	static const char * const modes[] = { "async", "sync_light", "sync" };

	switch (rnd(11)) {
	case 0:
		return snprintf(b, n, "inspect pid=%lu addr=0x%lx len=%lu", pid, a, 4096 * (1 + rnd(4)));
	case 1:
		return snprintf(b, n, "migrate pid=%lu addr=0x%lx node=%lu mode=%s", pid, a, rnd(2),
				modes[rnd(3)]);
	case 2:
		return snprintf(b, n, "migrate pid=%lu addr=0x%lx len=%lu verify=1", pid, a, 4096 * (1 + rnd(4)));
	case 3:
		return snprintf(b, n, "rmap pid=%lu addr=0x%lx", pid, a);
	case 4:
		return snprintf(b, n, "rmap pid=%lu addr=0x%lx action=referenced", pid, a);
	case 5:
		return snprintf(b, n, "pin pid=%lu addr=0x%lx", pid, a);
	case 6:
		return snprintf(b, n, "unpin");
	case 7:
		return snprintf(b, n, "move_charge pid=%lu addr=0x%lx to=/mmlab-fuzz-none policy=present",
				pid, a);
	case 8:
		return snprintf(b, n, "stress op=rmap pid=%lu addr=0x%lx threads=%lu iterations=%lu", pid,
				a, 1 + rnd(2), 1 + rnd(3));
	case 9:
		return snprintf(b, n, "inspect pid=1 addr=0x%lx", 0x400000 + rnd(64) * 4096);
	default:
		/* The self-test calls every resolved function: keep it rare. */
		return snprintf(b, n, rnd(20) ? "reset" : "selftest");
	}
}

static const char * const numbers[] = {
	"0", "1", "16", "17", "300", "301", "1023", "1024", "4194304", "4194305",
	"10000000", "10000001", "18446744073709551615", "18446744073709551616", "-1",
	"0x", "0xffffffffffffffff", "0x10000000000000000", "1234567890123456789012345678901234567890",
	"4Q", "1K", "08", "+5", " 1", "1e9",
};
static const char * const keys[] = { "pid", "addr", "len", "node", "threads", "iterations", "pfn" };

/* Replace the value of @key in @b (or append it) with @val. */
static int with_value(char *b, size_t n, const char *key, const char *val)
{
	char tmp[1024], *p, *e;
	char pat[32];

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(b, pat);
	if (!p)
		return snprintf(b + strlen(b), n - strlen(b), " %s=%s", key, val);
	p += strlen(pat);
	e = p + strcspn(p, " ");
	snprintf(tmp, sizeof(tmp), "%.*s%s%s", (int)(p - b), b, val, e);
	return snprintf(b, n, "%s", tmp);
}

static int generate(int cls, char *b, size_t n)
{
	char v[64];
	int i, k;

	if (cls == RANDOM) {
		k = rnd(301);
		for (i = 0; i < k; i++)
			b[i] = (char)rnd(256);
		return k;
	}
	valid(b, n);
	switch (cls) {
	case NUMBER:
		with_value(b, n, keys[rnd(7)], numbers[rnd(sizeof(numbers) / sizeof(*numbers))]);
		break;
	case ADDRESS: {
		static const unsigned long fixed[] = {
			0, 4096, 0xffff888000000000UL, 0xffffffff81000000UL, 0xfffffffffffff000UL,
			0x7ffffffff000UL, 0x800000000000UL,
		};
		unsigned long edge[] = { addr - 4096, addr + len, addr + len - 1, addr - 1 };

		snprintf(v, sizeof(v), "0x%lx", rnd(2) ? fixed[rnd(7)] : edge[rnd(4)]);
		with_value(b, n, "addr", v);
		break;
	}
	case LENGTH: {
		static const char * const lens[] = {
			"0", "1", "4095", "4097", "256M", "268435457", "257M", "4G", "1T", "0x10000000",
		};

		/* The valid 256M ones walk 65536 pages (a second under TCG): rare. */
		with_value(b, n, "len", lens[rnd(100) ? rnd(4) + rnd(2) * 5 : rnd(10)]);
		break;
	}
	case KEYS:
		switch (rnd(5)) {
		case 0: { /* repeat the first key */
			char *sp = strchr(b, ' ');
			char *e = sp ? strchr(sp + 1, ' ') : NULL;

			if (sp)
				snprintf(b + strlen(b), n - strlen(b), " %.*s",
					 (int)((e ? e : sp + strlen(sp)) - sp - 1), sp + 1);
			break;
		}
		case 1: { /* drop the first key */
			char *sp = strchr(b, ' ');
			char *e = sp ? strchr(sp + 1, ' ') : NULL;

			if (sp)
				memmove(sp, e ? e : sp + strlen(sp), strlen(e ? e : sp + strlen(sp)) + 1);
			break;
		}
		case 2:
			snprintf(b + strlen(b), n - strlen(b), " colour=red");
			break;
		case 3:
			with_value(b, n, keys[rnd(7)], "");
			break;
		default:
			memcpy(b, rnd(2) ? "MIGRATE" : "rmapp  ", 7);
			break;
		}
		break;
	case CUT:
		k = strlen(b);
		if (rnd(2)) {
			b[rnd(k + 1)] = '\0';
		} else {
			for (i = 0; i < k; i++)
				if (b[i] == ' ' && rnd(3) == 0)
					b[i] = '\t';
			snprintf(b + k, n - k, "%s", rnd(2) ? "   \n" : "\n\n");
		}
		break;
	}
	return strlen(b);
}

static void on_alarm(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	const char *path = "/sys/kernel/debug/mmlab/control";
	unsigned long lines = 1000, seed = 1, i, total = 0, ok = 0;
	struct itimerval t = { .it_value = { 0, 500000 } }, off = { };
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	int fd, c, e;

	for (c = 1; c + 1 < argc; c += 2) {
		unsigned long v = strtoul(argv[c + 1], NULL, 0);

		if (!strcmp(argv[c], "--lines"))
			lines = v;
		else if (!strcmp(argv[c], "--seed"))
			seed = v;
		else if (!strcmp(argv[c], "--pid"))
			pid = v;
		else if (!strcmp(argv[c], "--addr"))
			addr = v;
		else if (!strcmp(argv[c], "--len"))
			len = v;
		else if (!strcmp(argv[c], "--file"))
			path = argv[c + 1];
	}
	srandom(seed);
	sigaction(SIGALRM, &sa, NULL);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < lines; i++) {
		int cls = rnd(NCLASS);
		int n = generate(cls, line, sizeof(line));

		tried[cls]++;
		setitimer(ITIMER_REAL, &t, NULL);
		if (write(fd, line, n) == n) {
			accepted[cls]++;
		} else {
			e = errno < MAXERR ? errno : 0;
			errs[cls][e]++;
		}
		setitimer(ITIMER_REAL, &off, NULL);
	}
	for (c = 0; c < NCLASS; c++) {
		printf("class=%s tried=%lu accepted=%lu", class_names[c], tried[c], accepted[c]);
		for (e = 0; e < MAXERR; e++)
			if (errs[c][e])
				printf(" %s=%lu", e ? strerrorname_np(e) : "other", errs[c][e]);
		printf("\n");
		total += tried[c];
		ok += accepted[c];
	}
	printf("total lines=%lu accepted=%lu rejected=%lu\n", total, ok, total - ok);
	return 0;
}
