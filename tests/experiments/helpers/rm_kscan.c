// SPDX-License-Identifier: GPL-2.0
/*
 * rm_kscan PID ADDR N: the pages mapped at [ADDR, ADDR + N pages) of PID,
 * summed up from /proc/PID/pagemap, /proc/kpageflags, /proc/kpagecount
 * and /proc/kpagecgroup in one pass (E13, E27: a shell reading them page
 * by page would take minutes under TCG).  Prints
 *   present= mlocked= unevictable= lru= mlocked_evictable=
 *   unevictable_unlocked= mapped_once= cg=INO:N,INO:N
 * (mapped_once: kpagecount 1; cg: pages per memcg inode).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define KPF_LRU 5
#define KPF_UNEVICTABLE 18
#define KPF_MLOCKED 33

static unsigned long long word(int fd, unsigned long i)
{
	unsigned long long v = 0;

	if (pread(fd, &v, 8, i * 8) != 8)
		v = 0;
	return v;
}

int main(int argc, char **argv)
{
	unsigned long addr, n, i, present = 0, ml = 0, unev = 0, lru = 0, ml_ev = 0, unev_ul = 0;
	unsigned long once = 0, cgn[64] = { 0 };
	unsigned long long cgi[64] = { 0 };
	int pm, kf, kc, kg, ncg = 0, j;
	char path[64];

	if (argc < 4)
		return 2;
	snprintf(path, sizeof(path), "/proc/%s/pagemap", argv[1]);
	addr = strtoul(argv[2], NULL, 0);
	n = strtoul(argv[3], NULL, 0);
	pm = open(path, O_RDONLY);
	kf = open("/proc/kpageflags", O_RDONLY);
	kc = open("/proc/kpagecount", O_RDONLY);
	kg = open("/proc/kpagecgroup", O_RDONLY);
	if (pm < 0 || kf < 0 || kc < 0 || kg < 0) {
		perror("open");
		return 1;
	}
	for (i = 0; i < n; i++) {
		unsigned long long e = word(pm, addr / 4096 + i), f, cg;
		unsigned long pfn;

		if (!(e >> 63))
			continue;
		pfn = e & ((1ULL << 55) - 1);
		present++;
		f = word(kf, pfn);
		ml += (f >> KPF_MLOCKED) & 1;
		unev += (f >> KPF_UNEVICTABLE) & 1;
		lru += (f >> KPF_LRU) & 1;
		ml_ev += ((f >> KPF_MLOCKED) & 1) && !((f >> KPF_UNEVICTABLE) & 1);
		unev_ul += ((f >> KPF_UNEVICTABLE) & 1) && !((f >> KPF_MLOCKED) & 1);
		once += word(kc, pfn) == 1;
		cg = word(kg, pfn);
		for (j = 0; j < ncg && cgi[j] != cg; j++)
			;
		if (j == ncg && ncg < 64)
			cgi[ncg++] = cg;
		if (j < 64)
			cgn[j]++;
	}
	printf("present=%lu mlocked=%lu unevictable=%lu lru=%lu mlocked_evictable=%lu ",
	       present, ml, unev, lru, ml_ev);
	printf("unevictable_unlocked=%lu mapped_once=%lu cg=", unev_ul, once);
	for (j = 0; j < ncg; j++)
		printf("%s%llu:%lu", j ? "," : "", cgi[j], cgn[j]);
	printf("\n");
	return 0;
}
