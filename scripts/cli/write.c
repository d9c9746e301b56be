// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: `mmlab write`, the raw pass-through.  Bytes go to the file
 * unchecked, one write() each, and the replies come back byte for byte:
 * what the tests need to send what the grammar refuses (random bytes,
 * NULs, a 5000-byte line) and to see the module's own errno for it.
 *
 * Its conventions are the kernel's, not the table commands': a failed
 * open or write prints "errno=NAME" on stderr (before that write's reply)
 * and the exit status is that errno's number, whatever it is; nothing is
 * parsed first, so nothing is refused here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

/* One write of s[0..n) on fd: 0, or its errno. */
static int write_one(int fd, const char *s, size_t n)
{
	return write(fd, s, n) == (ssize_t)n ? 0 : errno;
}

/* fd's reply, to its end, as it is. */
static void print_reply(int fd)
{
	struct buf r = { 0 };

	read_all(fd, &r);
	fwrite(r.s, 1, r.len, stdout);
	fflush(stdout);
	buf_free(&r);
}

/* --lines: each '\n'-separated piece of stdin (NULs and all) one command. */
static int write_lines(int fd)
{
	struct buf in = { 0 };
	unsigned long total = 0, ok = 0, seen[256] = { 0 };
	size_t i, start = 0;
	int e;

	read_all(0, &in);
	for (i = 0; i <= in.len; i++) {
		if (i < in.len && in.s[i] != '\n')
			continue;
		if (i > start) {	/* empty pieces are not written */
			e = write_one(fd, in.s + start, i - start);
			total++;
			if (!e)
				ok++;
			else if (e < 256)
				seen[e]++;
		}
		start = i + 1;
	}
	printf("lines=%lu ok=%lu failed=%lu\n", total, ok, total - ok);
	for (e = 0; e < 256; e++)
		if (seen[e])
			printf("errno=%s count=%lu\n", strerrorname_np(e), seen[e]);
	buf_free(&in);
	return 0;
}

/* One write of s[0..n), its errno named on stderr, its reply printed. */
static int write_shown(int fd, const char *s, size_t n)
{
	int e = write_one(fd, s, n);

	if (e) {
		fflush(stdout);
		fprintf(stderr, "errno=%s\n", strerrorname_np(e));
	}
	print_reply(fd);
	return e;
}

/*
 * --file NAME is a file of the mmlab directory; one with a '/' is a path.
 * Returns the fd, or -errno (named on stderr).
 */
static int open_target(const char *file)
{
	char path[512];
	int fd, e;

	if (strchr(file, '/'))
		snprintf(path, sizeof(path), "%s", file);
	else
		snprintf(path, sizeof(path), "%s/%s", mmlab_dir(), file);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	e = errno;
	fprintf(stderr, "errno=%s open %s: %s\n", strerrorname_np(e), path, strerror(e));
	return -e;
}

static int write_run(int argc, char **argv)
{
	const char *file = "control";
	int i = 0, fd, e = 0, mode = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help_cmd("write");
			return 0;
		}
		if (!strcmp(argv[i], "--file") && i + 1 < argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "--lines") || !strcmp(argv[i], "--stdin"))
			mode = argv[i][2];
		else
			usage_error("write", "unknown option %s", argv[i]);
	}
	if (!mode && i == argc)
		usage_error("write", "nothing to write: LINE..., --stdin or --lines");
	if (mode && i < argc)
		usage_error("write", "LINE arguments with %s", mode == 'l' ? "--lines" : "--stdin");
	fd = open_target(file);
	if (fd < 0)
		return -fd;
	if (mode == 'l')
		return write_lines(fd);
	if (mode == 's') {
		struct buf in = { 0 };

		read_all(0, &in);
		e = write_shown(fd, in.s, in.len);
		buf_free(&in);
	}
	for (; i < argc; i++) {
		int last = write_shown(fd, argv[i], strlen(argv[i]));

		if (last)
			e = last;
	}
	close(fd);
	return e;
}

static const struct opt write_opts[] = {
	{ "--file", "NAME", "another file of the mmlab directory (stats, probes), or a path" },
	{ "--stdin", "", "all of stdin as one write" },
	{ "--lines", "", "each line of stdin as one write; print how many failed, by errno" },
	{ }
};

const struct subcmd write_cmd = {
	.name = "write",
	.run = write_run,
	.usage = "[--file NAME] [--] LINE... | --stdin | --lines",
	.about =
		"Writes each LINE, unchecked, as one write() on ONE open file and prints\n"
		"each reply exactly as the module wrote it: the raw pass-through, for\n"
		"bytes the grammar would refuse (the tests send random bytes, NULs and\n"
		"over-long lines through it).  A failed open or write prints errno=NAME\n"
		"on stderr; the exit status is the errno of the last one that failed\n"
		"(13 EACCES, 1 EPERM, 22 EINVAL, ...), else 0.  --lines prints\n"
		"lines=N ok=N failed=N and one errno=NAME count=N line per errno seen.",
	.opts = write_opts,
	.example = "mmlab write 'pin pid=1234 addr=0x7f3a1000' 'inspect pid=1234 addr=0x7f3a1000'",
};
