// SPDX-License-Identifier: GPL-2.0
/*
 * rm_memcgscan [--wait S] DIR...: memcg-v1 memory.stat of each memcg DIR
 * against every page of physical memory charged to it (E27).  Waits S
 * seconds first (memory.stat is flushed every 2 s), with nothing else to
 * do: its own mappings, and those of its waiting parent, stay as they are
 * while the stats settle.  Then reads each DIR/memory.stat and counts,
 * from /proc/kpageflags, /proc/kpagecount and /proc/kpagecgroup (the memcg
 * by the inode of DIR), LRU pages the way memory.stat does:
 *   cache: not anon (page cache and shmem); mapped_file: those with a
 *   mapcount; rss: anon with a mapcount.
 * Prints one line per DIR:
 *   dir= ino= cache= mapped_file= rss= stat_cache= stat_mapped_file= stat_rss=
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KPF_LRU 5
#define KPF_ANON 12
#define CHUNK 65536
#define MAXCG 8

static long stat_of(const char *dir, const char *key)
{
	char path[512], k[64];
	long long v;
	long r = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.stat", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (!strcmp(k, key)) {
			r = v / 4096;
			break;
		}
	fclose(f);
	return r;
}

int main(int argc, char **argv)
{
	static unsigned long long f[CHUNK], c[CHUNK], g[CHUNK];
	unsigned long long ino[MAXCG];
	unsigned long cache[MAXCG] = { 0 }, mapped[MAXCG] = { 0 }, rss[MAXCG] = { 0 }, off = 0;
	long sc[MAXCG], sm[MAXCG], sr[MAXCG];
	int kf = open("/proc/kpageflags", O_RDONLY), kc = open("/proc/kpagecount", O_RDONLY);
	int kg = open("/proc/kpagecgroup", O_RDONLY), first = 1, n, i, j;
	struct stat st;
	ssize_t r;

	if (argc > 2 && !strcmp(argv[1], "--wait")) {
		sleep(atoi(argv[2]));
		first = 3;
	}
	n = argc - first;
	if (kf < 0 || kc < 0 || kg < 0 || n < 1 || n > MAXCG)
		return 2;
	for (i = 0; i < n; i++) {
		if (stat(argv[first + i], &st))
			return 2;
		ino[i] = st.st_ino;
		sc[i] = stat_of(argv[first + i], "cache");
		sm[i] = stat_of(argv[first + i], "mapped_file");
		sr[i] = stat_of(argv[first + i], "rss");
	}
	while ((r = pread(kf, f, sizeof(f), off * 8)) > 0) {
		unsigned long cnt = r / 8;

		if (pread(kc, c, cnt * 8, off * 8) != (ssize_t)(cnt * 8) ||
		    pread(kg, g, cnt * 8, off * 8) != (ssize_t)(cnt * 8))
			return 1;
		for (j = 0; j < (int)cnt; j++) {
			if (!((f[j] >> KPF_LRU) & 1))
				continue;
			for (i = 0; i < n && ino[i] != g[j]; i++)
				;
			if (i == n)
				continue;
			if ((f[j] >> KPF_ANON) & 1) {
				rss[i] += c[j] > 0;
			} else {
				cache[i]++;
				mapped[i] += c[j] > 0;
			}
		}
		off += cnt;
	}
	for (i = 0; i < n; i++)
		printf("dir=%s ino=%llu cache=%lu mapped_file=%lu rss=%lu stat_cache=%ld stat_mapped_file=%ld stat_rss=%ld\n",
		       argv[first + i], ino[i], cache[i], mapped[i], rss[i], sc[i], sm[i], sr[i]);
	return 0;
}
