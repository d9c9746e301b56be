/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pageout.h: MADV_PAGEOUT of a range until a count of its pages says done,
 * for the page helpers (helpers/pages.c, experiments/helpers/mig_region.c
 * and mc_task.c).
 *
 * MADV_PAGEOUT drains only this CPU's LRU batches (lru_add_drain()): a
 * page written while the task ran on another CPU may still sit in that
 * CPU's batch, off the LRU, where madvise cannot isolate it (E22 once
 * swapped nothing in 20 tries on 6.1 and on lab; E07 the same on 6.12).
 * So each try runs on the next CPU; the task's affinity is restored after.
 */
#ifndef MMLAB_TEST_PAGEOUT_H
#define MMLAB_TEST_PAGEOUT_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define PAGEOUT_TRIES 20

/* Pages of [addr, addr + len) that pagemap shows with BIT: 62 swapped, 63 present. */
static inline size_t pagemap_count(const void *addr, size_t len, int bit)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	size_t i, n = 0;
	uint64_t e;

	if (fd < 0) {	/* no count is no answer: stop the helper */
		perror("/proc/self/pagemap");
		exit(1);
	}
	for (i = 0; i < len / 4096; i++)
		if (pread(fd, &e, 8, ((uintptr_t)addr / 4096 + i) * 8) == 8)
			n += !!(e & (1ULL << bit));
	close(fd);
	return n;
}

/* Run this task on the try-th CPU of orig (round robin). */
static inline void pageout_cpu(int try, const cpu_set_t *orig)
{
	int cpu, seen = 0, want = try % CPU_COUNT(orig);
	cpu_set_t one;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, orig) || seen++ != want)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
		return;
	}
}

/*
 * Page [addr, addr + len) out until done(addr, len) (at most PAGEOUT_TRIES
 * tries, each on the next CPU).  Returns the tries made, -1 when madvise
 * failed (errno set).
 */
static inline int pageout_until(void *addr, size_t len, int (*done)(const void *, size_t))
{
	cpu_set_t orig;
	int tries, err = 0, have = !sched_getaffinity(0, sizeof(orig), &orig);

	for (tries = 0; tries < PAGEOUT_TRIES && !done(addr, len); tries++) {
		if (have)
			pageout_cpu(tries, &orig);
		if (madvise(addr, len, MADV_PAGEOUT)) {
			err = errno;
			break;
		}
	}
	if (have)
		sched_setaffinity(0, sizeof(orig), &orig);
	errno = err;
	return err ? -1 : tries;
}

/* done() for pageout_until: every page swapped / none present. */
static inline int all_swapped(const void *addr, size_t len)
{
	return pagemap_count(addr, len, 62) == len / 4096;
}

static inline int none_present(const void *addr, size_t len)
{
	return pagemap_count(addr, len, 63) == 0;
}

#endif /* MMLAB_TEST_PAGEOUT_H */
