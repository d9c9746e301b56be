// SPDX-License-Identifier: GPL-2.0
/*
 * mc_write FILE STRING: one write() of STRING to FILE (a cgroup control
 * file), and say how it went: "ok" or "errno=ENAME" (the errno's name,
 * which the shell's echo does not give).  Exit status 0 either way; 2 when
 * FILE cannot be opened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;
	ssize_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: mc_write FILE STRING\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "mc_write: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	n = write(fd, argv[2], strlen(argv[2]));
	if (n < 0)
		printf("errno=%s\n", strerrorname_np(errno));
	else
		printf("ok\n");
	close(fd);
	return 0;
}
