// SPDX-License-Identifier: GPL-2.0
/*
 * nodeof PID ADDR... — the NUMA node of each page, as move_pages(2) with a
 * NULL node list reports it (an oracle independent of mmlab).  Prints one
 * number per address, or the negative errno move_pages put in status.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc - 2, i, *status;
	void **pages;

	if (n < 1) {
		fprintf(stderr, "usage: nodeof PID ADDR...\n");
		return 2;
	}
	pages = calloc(n, sizeof(*pages));
	status = calloc(n, sizeof(*status));
	for (i = 0; i < n; i++)
		pages[i] = (void *)strtoul(argv[i + 2], NULL, 0);
	if (syscall(SYS_move_pages, atoi(argv[1]), n, pages, NULL, status, 0)) {
		perror("move_pages");
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%d\n", status[i]);
	return 0;
}
