// SPDX-License-Identifier: GPL-2.0
/*
 * peek: 64-bit words of a /proc binary file (pagemap, kpageflags,
 * kpagecount), in one process where dd | od | tr took three.
 *
 *   peek FILE INDEX [COUNT]
 *
 * Prints COUNT (default 1) words from word INDEX, one decimal a line.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long long index, count, i;
	uint64_t w;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: peek FILE INDEX [COUNT]\n");
		return 2;
	}
	index = strtoull(argv[2], NULL, 0);
	count = argc > 3 ? strtoull(argv[3], NULL, 0) : 1;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (pread(fd, &w, 8, (off_t)((index + i) * 8)) != 8) {
			perror("pread");
			return 1;
		}
		printf("%llu\n", (unsigned long long)w);
	}
	return 0;
}
