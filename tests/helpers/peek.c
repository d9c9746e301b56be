// SPDX-License-Identifier: GPL-2.0
/*
 * peek: 64-bit words of a /proc binary file (pagemap, kpageflags,
 * kpagecount), in one process where dd | od | tr took three.
 *
 *   peek [-s STRIDE] FILE INDEX [COUNT [BIT]]
 *
 * Prints COUNT (default 1) words from word INDEX, one decimal a line; with
 * BIT, only how many of them have that bit set (pagemap's present pages:
 * BIT 63), one number where a shell loop over 65,536 lines took seconds.
 * -s STRIDE: the words INDEX, INDEX + STRIDE, ... (a word per 2 MiB of a
 * 1 GiB page in /proc/PID/mem: -s 262144).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long long index, count, i, set = 0, stride = 1;
	int fd, bit = -1;
	uint64_t w;

	if (argc > 2 && !strcmp(argv[1], "-s")) {
		stride = strtoull(argv[2], NULL, 0);
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: peek [-s STRIDE] FILE INDEX [COUNT [BIT]]\n");
		return 2;
	}
	index = strtoull(argv[2], NULL, 0);
	count = argc > 3 ? strtoull(argv[3], NULL, 0) : 1;
	if (argc > 4)
		bit = atoi(argv[4]);
	if (argc > 4 && (bit < 0 || bit > 63)) {
		fprintf(stderr, "peek: BIT is 0 to 63\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (pread(fd, &w, 8, (off_t)((index + i * stride) * 8)) != 8) {
			perror("pread");
			return 1;
		}
		if (bit < 0)
			printf("%llu\n", (unsigned long long)w);
		else
			set += (w >> bit) & 1;
	}
	if (bit >= 0)
		printf("%llu\n", set);
	return 0;
}
