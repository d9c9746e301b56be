// SPDX-License-Identifier: GPL-2.0
/*
 * ctl: talk to /sys/kernel/debug/mmlab/control the way a program would.
 *
 *   ctl LINE...          one open file; each LINE is one write(), its reply
 *                        printed; exit status: 0, or the errno of the last
 *                        failed write (its name is printed as "errno=NAME"
 *                        on stderr)
 *   ctl --lines          read stdin, split at '\n' and write each piece
 *                        (NULs and all) as one command on one open file;
 *                        print "lines=N ok=N failed=N" and the errnos seen
 *   ctl --raw            read stdin whole and write it as one command
 *   ctl --file PATH ...  use another control file
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *path = "/sys/kernel/debug/mmlab/control";

static void print_reply(int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	fflush(stdout);
}

static int one(int fd, const char *line, size_t len)
{
	if (write(fd, line, len) == (ssize_t)len)
		return 0;
	return errno;
}

static int lines_mode(int fd)
{
	static char in[1 << 20];
	size_t n = fread(in, 1, sizeof(in), stdin), start = 0, i;
	unsigned long total = 0, ok = 0, seen[256] = { 0 };
	int err;

	for (i = 0; i <= n; i++) {
		if (i < n && in[i] != '\n')
			continue;
		if (i > start) {	/* empty pieces are not written */
			err = one(fd, in + start, i - start);
			total++;
			if (!err)
				ok++;
			else if (err < 256)
				seen[err]++;
		}
		start = i + 1;
	}
	printf("lines=%lu ok=%lu failed=%lu\n", total, ok, total - ok);
	for (i = 0; i < 256; i++)
		if (seen[i])
			printf("errno=%s count=%lu\n", strerrorname_np(i), seen[i]);
	return 0;
}

static int raw_mode(int fd)
{
	static char in[1 << 20];
	size_t n = fread(in, 1, sizeof(in), stdin);
	int err = one(fd, in, n);

	if (err)
		fprintf(stderr, "errno=%s\n", strerrorname_np(err));
	print_reply(fd);
	return err;
}

int main(int argc, char **argv)
{
	int fd, i = 1, err = 0;

	if (argc > 2 && !strcmp(argv[1], "--file")) {
		path = argv[2];
		i = 3;
	}
	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "errno=%s open %s: %s\n", strerrorname_np(errno), path,
			strerror(errno));
		return errno;
	}
	if (i < argc && !strcmp(argv[i], "--lines"))
		return lines_mode(fd);
	if (i < argc && !strcmp(argv[i], "--raw"))
		return raw_mode(fd);
	for (; i < argc; i++) {
		err = one(fd, argv[i], strlen(argv[i]));
		if (err)
			fprintf(stderr, "errno=%s\n", strerrorname_np(err));
		print_reply(fd);
	}
	close(fd);
	return err;
}
