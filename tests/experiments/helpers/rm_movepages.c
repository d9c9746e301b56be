// SPDX-License-Identifier: GPL-2.0
/*
 * rm_movepages PID NODE move|move_all ADDR...: move_pages(2) of another
 * process's pages to NODE with MPOL_MF_MOVE or MPOL_MF_MOVE_ALL (E34).
 * Prints "rc=R errno=E" then one status per address (the node, or the
 * negative errno the kernel put there).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_MF_MOVE (1 << 1)
#define MPOL_MF_MOVE_ALL (1 << 2)

int main(int argc, char **argv)
{
	int n = argc - 4, i, *status, *nodes;
	void **pages;
	long rc;

	if (n < 1) {
		fprintf(stderr, "usage: rm_movepages PID NODE move|move_all ADDR...\n");
		return 2;
	}
	pages = calloc(n, sizeof(*pages));
	status = calloc(n, sizeof(*status));
	nodes = calloc(n, sizeof(*nodes));
	if (!pages || !status || !nodes)
		return 1;
	for (i = 0; i < n; i++) {
		pages[i] = (void *)strtoul(argv[i + 4], NULL, 0);
		nodes[i] = atoi(argv[2]);
		status[i] = -1000;
	}
	rc = syscall(SYS_move_pages, atoi(argv[1]), n, pages, nodes, status,
		     strcmp(argv[3], "move_all") ? MPOL_MF_MOVE : MPOL_MF_MOVE_ALL);
	printf("rc=%ld errno=%d\n", rc, rc ? errno : 0);
	for (i = 0; i < n; i++)
		printf("%d\n", status[i]);
	return 0;
}
