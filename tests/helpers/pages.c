// SPDX-License-Identifier: GPL-2.0
/*
 * pages: map pages of one kind, fault them in, say where they are, wait.
 *
 *   pages KIND [--len BYTES] [--node N] [--file PATH] [--children N]
 *         [--private-child] [--usr2 write|mprotect-half|dontneed-half|read|writeback-first]
 *         [--churn] [--guard BYTES] [--order N]
 *
 * KIND: anon thp mlock mlock-thp shared ksm file file-dirty shmem
 *       swapcache swap hugetlb hugetlbfs hugetlb-shared hugetlb-marker
 *       hugetlb-hwpoison zero device-private
 *       mthp pte-thp partial-thp thp-cow shmem-thp file-large shmem-mthp
 *       fork-offset hugetlb-1g mlock-mthp mthp-cow
 *
 * Large folios (every region 2 MiB aligned, MADV_HUGEPAGE, written):
 * mthp --order N: anon multi-size THP of order N (2 to 8; --len default one
 * folio).  The size must be enabled in
 * /sys/kernel/mm/transparent_hugepage/hugepages-<KB>kB/enabled (the caller
 * sets it, and 2 MiB to never so that only that size is used); without the
 * directory (6.1: no multi-size THP) it exits 95 (EOPNOTSUPP) with the
 * reason, with the size disabled 1.  mlock-mthp: the same, then mlock()ed
 * (6.12 mlocks a large folio the range covers whole); mthp-cow: the same,
 * shared with a child that writes its first page, as thp-cow.
 * pte-thp: a PMD THP per 2 MiB, then the second page of each mprotect()ed
 * read-only: the PMD is split into PTEs (3 vmas), the folio stays large.
 * pte-thp, partial-thp and thp-cow end MADV_NOHUGEPAGE (no khugepaged).
 * partial-thp: a PMD THP per 2 MiB, then all but its first 16 pages
 * (printed "mapped=16") zapped with MADV_DONTNEED: a partially mapped
 * folio (on the deferred-split queue; 6.12 sets PG_partially_mapped).
 * thp-cow: a PMD THP per 2 MiB, shared with a child by fork(); the child
 * writes the first page of each (a COW of that page alone, the child's PMD
 * split), as tools/testing/selftests/mm/cow.c does: "child=PID".
 * fork-offset [--order N]: a PMD THP (with --order, an mthp of order N),
 * shared with a child by fork(); the child unmaps the folio's first page and
 * mremap()s the rest to 3 pages past a 2 MiB boundary: it maps pages 1..
 * of the folio at another alignment ("child=PID child_addr=" where it maps
 * page 1), the parent all of it where it was.  Both MADV_NOHUGEPAGE.
 * shmem-thp: shmem THP, MAP_SHARED, written: the file --file PATH (on a
 * tmpfs mounted huge=always), else a memfd (shmem_enabled decides).
 * file-large: large page-cache folios of --file PATH on a file system with
 * large folios (xfs: 5.18+): the file is written, fsynced, its page cache
 * dropped (POSIX_FADV_DONTNEED; mincore() must then see nothing cached),
 * then mapped MAP_SHARED at a 2 MiB boundary with MADV_HUGEPAGE and read:
 * the read fault's readahead asks for PMD-order folios for a VM_HUGEPAGE
 * vma (do_sync_mmap_readahead()), which then map by PMD (FilePmdMapped).
 * On an xfs with a block size above the page size (6.12) every folio is at
 * least of the block's order (mapping_min_folio_order()).  Exits 1 with the
 * reason when pages of the range are still cached after the drop.
 * shmem-mthp --order N: anon shmem (mmap MAP_SHARED | MAP_ANONYMOUS: the
 * per-size knob rules anon shmem only, shmem_allowable_huge_orders()) in
 * folios of order N (1 to 8): the caller sets
 * /sys/kernel/mm/transparent_hugepage/hugepages-<KB>kB/shmem_enabled (and
 * the other sizes to never).  Without that file (6.1: no shmem mTHP; 6.11
 * added it) it exits 95 (EOPNOTSUPP) with the reason, with the size never 1.
 *
 * hugetlb-1g: MAP_HUGETLB | MAP_HUGE_1GB, --len default 1 GiB, from the
 * 1 GiB pool of --node N (the caller reserves it: hugepagesz=1G on the
 * kernel command line).  Not filled (a 1 GiB memset is seconds under TCG):
 * the 8 bytes at each 2 MiB offset k hold HUGE1G_MAGIC + k.  Without 1 GiB
 * hugetlb pages (no /sys/kernel/mm/hugepages/hugepages-1048576kB: an x86
 * CPU without pdpe1gb, or another page size) it exits 95 (EOPNOTSUPP) with
 * the reason; with the node's pool empty, 1.
 *
 * hugetlb-shared: a hugetlbfs file (memfd_create(MFD_HUGETLB)) mapped
 * MAP_SHARED and written: file-backed hugetlb pages in its page cache.
 *
 * hugetlbfs: a file of --file PATH on a hugetlbfs mount, MAP_SHARED.
 * hugetlb-marker: a MAP_HUGETLB page write-protected with userfaultfd
 * (UFFD_FEATURE_WP_HUGETLBFS_SHMEM), then zapped with MADV_DONTNEED: its
 * pte is a uffd-wp pte marker (the userfaultfd stays open until exit).
 * hugetlb-hwpoison: a MAP_HUGETLB page poisoned with MADV_HWPOISON: its pte
 * is a hwpoison entry; prints "pfn=0x..." (of the page before) and exits
 * 95 (EOPNOTSUPP) on a kernel without CONFIG_MEMORY_FAILURE.
 * device-private: anon pages migrated into the device memory of
 * lib/test_hmm.c's dmirror device (/dev/hmm_dmirror0, `modprobe test_hmm`),
 * as tools/testing/selftests/mm/hmm-tests.c does (HMM_DMIRROR_MIGRATE_TO_DEV);
 * the device file stays open until exit.  Prints "cpages=N", the pages it
 * migrated.  Without the device (a kernel built without DEVICE_PRIVATE or
 * TEST_HMM) it exits 95 (EOPNOTSUPP) with the reason.  --usr2 read: read
 * every page, which faults each back into system memory.
 *
 * Prints "kind=KIND pid=PID addr=0x... len=N" (and "child=PID" for the kinds
 * with a second process), then "ready", and waits until a line arrives on
 * stdin or a signal (SIGTERM, SIGINT, SIGUSR1) ends it.  --node N binds the
 * faults to node N (default 0) so that migration to the other node has
 * somewhere to go.  Page i of a region is filled with byte (i * 7 + 1).
 *
 * --children N forks N children that share the region and wait (printed as
 * "children=PID,PID,..."); with --private-child the last of them maps the
 * file or memfd again MAP_PRIVATE read-only at the same address and reads
 * it.  SIGUSR2 makes a process do the --usr2 action: "write" its first page
 * (a COW break in a child), "mprotect-half" (the second half read-only,
 * which splits the vma and a PMD mapping), "dontneed-half" (zap the
 * second half's ptes: file pages stay in the page cache, unmapped) or
 * "writeback-first" (start writeback of the file's first page:
 * sync_file_range(SYNC_FILE_RANGE_WRITE), which does not wait for it).
 * --churn: once ready, the main
 * process forks and reaps short-lived children in a loop until it ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include "pageout.h"

#define PAGE 4096UL
#define HPAGE (2UL << 20)
#define GPAGE (1UL << 30)
#define HUGE1G_SYSFS "/sys/kernel/mm/hugepages/hugepages-1048576kB"
#define HUGE1G_MAGIC 0x6d6d6c6162000000ULL	/* "mmlab" */
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << 26)	/* log2(1 GiB) << MAP_HUGE_SHIFT */
#endif
#define MPOL_DEFAULT 0
#define MPOL_BIND 2
#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif

static const char *kind, *file;
static size_t len;
static int node;
static pid_t child;
static void *child_addr;
static int child_pipe[2];
static int map_fd = -1;		/* the file or memfd behind the region */
static pid_t kids[64];
static int nkids;
static char *region;
static const char *usr2_action = "";
static int dmirror_fd = -1;	/* device-private: the dmirror device */
static unsigned long dmirror_cpages;
static int uffd = -1;		/* hugetlb-marker: kept open, or the marker goes */
static unsigned long poisoned_pfn;	/* hugetlb-hwpoison */
static int order = -1;		/* mthp */
static int partial_mapped;	/* partial-thp: pages left mapped per THP */
#define PARTIAL_KEEP 16
#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage"

/* lib/test_hmm_uapi.h (not an installed header), 6.12. */
struct hmm_dmirror_cmd {
	unsigned long long addr, ptr, npages, cpages, faults;
};
#define HMM_DMIRROR_MIGRATE_TO_DEV _IOWR('H', 0x02, struct hmm_dmirror_cmd)

static void die(const char *what)
{
	fprintf(stderr, "pages: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void bind_node(int on)
{
	unsigned long mask = 1UL << node;

	if (syscall(SYS_set_mempolicy, on ? MPOL_BIND : MPOL_DEFAULT, on ? &mask : NULL,
		    on ? 64 : 0))
		die("set_mempolicy");
}

static void fill(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n / PAGE; i++)
		memset(p + i * PAGE, (int)(i * 7 + 1), PAGE);
}

/*
 * --guard BYTES: the region sits at the start of an inaccessible
 * (PROT_NONE, no pages) reservation that long, so that a range running
 * past its end (the fuzz's huge lengths) covers nothing of the process
 * but that: not its libraries, whose page cache every process maps.
 */
static size_t guard;

static char *map_anon(size_t n, size_t align, int flags)
{
	char *p = mmap(NULL, n + align + guard, guard ? PROT_NONE : PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (guard ? MAP_NORESERVE : flags), -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (align)
		p = (char *)(((unsigned long)p + align - 1) & ~(align - 1));
	if (guard && mmap(p, n, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | flags, -1, 0) == MAP_FAILED)
		die("mmap in the guard");
	return p;
}

/* Page out, and check with /proc/self/pagemap that every page went to swap. */
static void page_out(char *p, size_t n)
{
	size_t swapped;

	if (pageout_until(p, n, all_swapped) < 0)
		die("MADV_PAGEOUT");
	swapped = pagemap_count(p, n, 62);
	if (swapped < n / PAGE) {
		fprintf(stderr, "pages: only %zu of %zu pages went to swap\n", swapped, n / PAGE);
		exit(1);
	}
}

static char *file_pages(int dirty)
{
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *buf = malloc(len), *p;

	if (fd < 0 || !buf)
		die(file ? file : "--file missing");
	fill(buf, len);
	if (write(fd, buf, len) != (ssize_t)len || fsync(fd))
		die("write file");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	map_fd = fd;
	if (dirty)
		fill(p, len);	/* dirty through the mapping, never synced */
	else
		for (size_t i = 0; i < len; i += PAGE)
			(void)*(volatile char *)(p + i);
	free(buf);
	return p;
}

static void wait_child_exit(int sig)
{
	int i;

	(void)sig;
	if (child > 0)
		kill(child, SIGTERM);
	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGTERM);
	_exit(0);
}

static void on_usr2(int sig)
{
	(void)sig;
	if (!strcmp(usr2_action, "write"))
		memset(region, 0x5a, PAGE);
	else if (!strcmp(usr2_action, "mprotect-half"))
		mprotect(region + len / 2, len / 2, PROT_READ);
	else if (!strcmp(usr2_action, "dontneed-half"))
		madvise(region + len / 2, len / 2, MADV_DONTNEED);
	else if (!strcmp(usr2_action, "writeback-first"))
		sync_file_range(map_fd, 0, PAGE, SYNC_FILE_RANGE_WRITE);
	else if (!strcmp(usr2_action, "read"))
		for (size_t i = 0; i < len; i += PAGE)
			(void)*(volatile char *)(region + i);
}

/* Children that share the region (the last one privately with --private-child). */
static void fork_children(int n, int private_last)
{
	char c;
	int i, pp[2];

	if (n > (int)(sizeof(kids) / sizeof(kids[0])) || pipe(pp))
		die("--children");
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid) {
			kids[nkids++] = pid;
			if (read(pp[0], &c, 1) != 1)
				die("child");
			continue;
		}
		child = 0;
		nkids = 0;
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (private_last && i == n - 1) {
			if (map_fd < 0 || mmap(region, len, PROT_READ, MAP_PRIVATE | MAP_FIXED,
					       map_fd, 0) == MAP_FAILED)
				die("--private-child");
		}
		/* fork() copies no ptes of shared file vmas: fault them in. */
		for (size_t j = 0; j < len; j += PAGE)
			(void)*(volatile char *)(region + j);
		if (write(pp[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
}

/* Fork and reap children that live a few milliseconds, forever. */
static void churn(void)
{
	unsigned int i;

	for (i = 0;; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			if (i & 1)
				memset(region, 0x5a, PAGE);	/* COW break */
			usleep(1000 * (i % 5));
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

/*
 * fork-offset, in the child: unmap the first page, move the rest to
 * OFFSET_SHIFT pages past a 2 MiB boundary (it splits a PMD mapping into
 * PTEs); returns where the folio's page 1 now is.
 */
#define OFFSET_SHIFT 3
static char *offset_remap(char *p, size_t n)
{
	char *dst = map_anon(n + HPAGE, HPAGE, 0) + OFFSET_SHIFT * PAGE;
	char *q;

	if (munmap(p, PAGE))
		die("munmap");
	q = mremap(p + PAGE, n - PAGE, n - PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (q == MAP_FAILED)
		die("mremap");
	return q;
}

/* A child that maps nothing new, shares the parent's pages, and waits. */
static void fork_child(char *p, size_t n, int ksm)
{
	if (pipe(child_pipe))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child) {
		if (read(child_pipe[0], &child_addr, sizeof(child_addr)) != sizeof(child_addr))
			die("child");
		return;
	}
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (ksm) {
		/* Its own copy, same bytes: KSM merges the two. */
		char *q = map_anon(n, 0, 0);

		madvise(q, n, MADV_NOHUGEPAGE);
		memcpy(q, p, n);
		if (write(child_pipe[1], &q, sizeof(q)) != sizeof(q))
			_exit(1);
		if (madvise(q, n, MADV_MERGEABLE))
			die("MADV_MERGEABLE");
		munmap(p, n);
	}
	if (!strcmp(kind, "fork-offset"))
		p = offset_remap(p, n);
	if (strstr(kind, "thp-cow")) {	/* and mthp-cow */
		for (size_t i = 0; i < n; i += HPAGE)
			memset(p + i, 0x5a, PAGE);	/* COW of one page */
		madvise(p, n, MADV_NOHUGEPAGE);	/* no khugepaged collapse */
	}
	if (!ksm && write(child_pipe[1], &p, sizeof(p)) != sizeof(p))
		_exit(1);
	for (;;)
		pause();
}

/* Migrate [p, p + n) into the dmirror device's private memory. */
static void to_device(char *p, size_t n)
{
	struct hmm_dmirror_cmd cmd = { .addr = (unsigned long)p, .npages = n / PAGE };
	void *bounce = malloc(n);	/* the device copies what it got here */

	dmirror_fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (dmirror_fd < 0) {
		fprintf(stderr, "pages: device-private: /dev/hmm_dmirror0: %s "
			"(needs CONFIG_DEVICE_PRIVATE and CONFIG_TEST_HMM: modprobe test_hmm)\n",
			strerror(errno));
		exit(EOPNOTSUPP);
	}
	cmd.ptr = (unsigned long)bounce;
	if (!bounce || ioctl(dmirror_fd, HMM_DMIRROR_MIGRATE_TO_DEV, &cmd))
		die("HMM_DMIRROR_MIGRATE_TO_DEV");
	dmirror_cpages = cmd.cpages;
	free(bounce);
}

/* @fd (a new file of its kind, or -1) sized to len, mapped shared and written. */
static char *map_shared_fd(int fd, const char *what)
{
	char *p;

	if (fd < 0 || ftruncate(fd, len))
		die(what);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die(what);
	map_fd = fd;
	fill(p, len);
	return p;
}

static char *map_hugetlb(void)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	if (p == MAP_FAILED)
		die("mmap MAP_HUGETLB (reserve hugepages first)");
	fill(p, len);
	return p;
}

/*
 * hugetlb-1g: 1 GiB hugetlb pages, a marker word per 2 MiB (the fault has
 * zeroed the page: enough to tell that migration copied all of it).
 */
static char *map_hugetlb_1g(void)
{
	char *p;
	size_t i;

	if (access(HUGE1G_SYSFS, F_OK)) {
		fprintf(stderr, "pages: hugetlb-1g: no %s: this kernel or CPU has no 1 GiB "
			"hugetlb pages (x86: the CPU flag pdpe1gb)\n", HUGE1G_SYSFS);
		exit(EOPNOTSUPP);
	}
	if (len % GPAGE) {
		fprintf(stderr, "pages: hugetlb-1g: --len is a multiple of 1 GiB\n");
		exit(2);
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, -1, 0);
	if (p == MAP_FAILED)
		die("mmap MAP_HUGE_1GB (reserve 1 GiB pages first: hugepagesz=1G hugepages=N)");
	for (i = 0; i < len; i += HPAGE)
		*(unsigned long long *)(p + i) = HUGE1G_MAGIC + i / HPAGE;
	return p;
}

/* A uffd-wp pte marker on each huge page of [p, p + n). */
static void uffd_wp_zap(char *p, size_t n)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_WP_HUGETLBFS_SHMEM };
	struct uffdio_register reg = {
		.range = { (unsigned long)p, n }, .mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = { (unsigned long)p, n }, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) || ioctl(uffd, UFFDIO_REGISTER, &reg) ||
	    ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
		die("userfaultfd write-protect");
	/* The zap keeps the uffd-wp bit as a marker (__unmap_hugepage_range()). */
	if (madvise(p, n, MADV_DONTNEED))
		die("MADV_DONTNEED");
}

/* The pfn of the page at @p, from /proc/self/pagemap (root sees pfns). */
static unsigned long self_pfn(const char *p)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e = 0;

	if (fd < 0 || pread(fd, &e, 8, (uintptr_t)p / PAGE * 8) != 8)
		die("/proc/self/pagemap");
	close(fd);
	return e & ((1ULL << 55) - 1);
}

static void on_sigbus(int sig)
{
	(void)sig;
}

/*
 * MADV_HWPOISON runs memory_failure() with MF_ACTION_REQUIRED (6.12): it
 * sends the caller a SIGBUS (BUS_MCEERR_AR), which kills unless handled.
 */
static void hwpoison(char *p)
{
	poisoned_pfn = self_pfn(p);
	signal(SIGBUS, on_sigbus);
	if (!madvise(p, len, MADV_HWPOISON))
		return;
	if (errno == EINVAL) {
		fprintf(stderr, "pages: hugetlb-hwpoison: MADV_HWPOISON: %s "
			"(needs CONFIG_MEMORY_FAILURE)\n", strerror(errno));
		exit(EOPNOTSUPP);
	}
	die("MADV_HWPOISON");
}

/* The [selected] word of a sysfs THP "enabled" file, in @buf. */
static const char *thp_mode(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[128], *a, *b;

	snprintf(buf, n, "?");
	if (!f)
		return buf;
	if (fgets(line, sizeof(line), f) && (a = strchr(line, '[')) && (b = strchr(a, ']'))) {
		*b = '\0';
		snprintf(buf, n, "%s", a + 1);
	}
	fclose(f);
	return buf;
}

/* Anon multi-size THP of --order N: 95 where the kernel has no such size. */
static char *make_mthp(void)
{
	char dir[128], path[160], mode[32], top[32];
	unsigned long kb = (PAGE << order) >> 10;
	char *p;

	if (order < 2 || order > 8) {
		fprintf(stderr, "pages: mthp: --order %d: 2 to 8 (order 9 is the PMD THP: kind thp)\n",
			order);
		exit(2);
	}
	snprintf(dir, sizeof(dir), THP_SYSFS "/hugepages-%lukB", kb);
	if (access(dir, F_OK)) {
		fprintf(stderr, "pages: mthp: no %s: this kernel has no anon multi-size THP of "
			"order %d (%lu kB; 6.8 added them)\n", dir, order, kb);
		exit(EOPNOTSUPP);
	}
	snprintf(path, sizeof(path), "%s/enabled", dir);
	thp_mode(path, mode, sizeof(mode));
	thp_mode(THP_SYSFS "/enabled", top, sizeof(top));
	if (!strcmp(mode, "never") || (!strcmp(mode, "inherit") && !strcmp(top, "never"))) {
		fprintf(stderr, "pages: mthp: %s is [%s] (top-level [%s]): enable the size first\n",
			path, mode, top);
		exit(1);
	}
	if (!len)
		len = PAGE << order;
	p = map_anon(len, HPAGE, 0);
	if (madvise(p, len, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE");
	fill(p, len);
	return p;
}

/* A PMD THP per 2 MiB of a 2 MiB aligned region, written. */
static char *map_thp(void)
{
	char *p = map_anon(len, HPAGE, 0);

	if (madvise(p, len, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE");
	fill(p, len);
	return p;
}

/* What makes pte-thp and partial-thp of a PMD THP per 2 MiB. */
static void thp_reshape(char *p)
{
	size_t i;

	for (i = 0; i + HPAGE <= len; i += HPAGE) {
		if (!strcmp(kind, "pte-thp") && mprotect(p + i + PAGE, PAGE, PROT_READ))
			die("mprotect");
		if (!strcmp(kind, "partial-thp") &&
		    madvise(p + i + PARTIAL_KEEP * PAGE, HPAGE - PARTIAL_KEEP * PAGE,
			    MADV_DONTNEED))
			die("MADV_DONTNEED");
	}
	if (!strcmp(kind, "partial-thp"))
		partial_mapped = PARTIAL_KEEP;
	/*
	 * No khugepaged from here on: it collapses the 16 pages of a
	 * partial-thp (496 ptes none, under max_ptes_none) into a new THP
	 * behind the caller's back (seen on the lab kernel).
	 */
	if (madvise(p, len, MADV_NOHUGEPAGE))
		die("MADV_NOHUGEPAGE");
}

/* fork-offset before the fork: the folio, no khugepaged from here on. */
static char *make_fork_offset(void)
{
	char *p;

	if (order >= 0) {
		p = make_mthp();
	} else {
		if (!len)
			len = HPAGE;
		p = map_thp();
	}
	if (madvise(p, len, MADV_NOHUGEPAGE))
		die("MADV_NOHUGEPAGE");
	return p;
}

/* shmem THP: --file PATH (tmpfs huge=always) or a memfd, at a 2 MiB boundary. */
static char *make_shmem_thp(void)
{
	int fd = file ? open(file, O_RDWR | O_CREAT | O_TRUNC, 0644) :
			memfd_create("mmlab-shmem-thp", 0);
	char *p = map_anon(len, HPAGE, 0);	/* an aligned place for it */

	if (fd < 0 || ftruncate(fd, len))
		die(file ? file : "memfd");
	if (mmap(p, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		die("mmap shmem");
	madvise(p, len, MADV_HUGEPAGE);	/* for shmem_enabled=advise */
	map_fd = fd;
	fill(p, len);
	return p;
}

/* The drop of @fd's clean page cache, seen by mincore() on a mapping of it. */
static void drop_cache(int fd, char *p)
{
	unsigned char vec[HPAGE / PAGE];
	size_t i, off, cached = 0;

	if (posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		die("posix_fadvise DONTNEED");
	for (off = 0; off < len; off += HPAGE) {
		size_t n = len - off < HPAGE ? len - off : HPAGE;

		if (mincore(p + off, n, vec))
			die("mincore");
		for (i = 0; i < (n + PAGE - 1) / PAGE; i++)
			cached += vec[i] & 1;
	}
	if (cached) {
		fprintf(stderr, "pages: file-large: %zu pages of %s still cached after "
			"POSIX_FADV_DONTNEED: no fresh readahead\n", cached, file);
		exit(1);
	}
}

/*
 * file-large: the file written and fsynced (clean), its cache dropped, then
 * read back through a VM_HUGEPAGE mapping: the readahead of the first fault
 * allocates PMD-order folios where the mapping supports large folios.
 */
static char *make_file_large(void)
{
	int fd = file ? open(file, O_RDWR | O_CREAT | O_TRUNC, 0644) : -1;
	char *buf = malloc(len), *p = map_anon(len, HPAGE, 0);

	if (fd < 0 || !buf)
		die(file ? file : "file-large: --file missing");
	fill(buf, len);
	if (write(fd, buf, len) != (ssize_t)len || fsync(fd))
		die("write file");
	free(buf);
	if (mmap(p, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		die("mmap file");
	drop_cache(fd, p);
	if (madvise(p, len, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE");
	map_fd = fd;
	for (size_t i = 0; i < len; i += PAGE)
		(void)*(volatile char *)(p + i);
	return p;
}

/* shmem-mthp --order N: anon shmem in folios of order N (6.12's per-size knob). */
static char *make_shmem_mthp(void)
{
	char path[160], mode[32];
	unsigned long kb = (PAGE << order) >> 10;
	char *p;

	if (order < 1 || order > 8) {
		fprintf(stderr, "pages: shmem-mthp: --order %d: 1 to 8 (order 9: kind shmem-thp)\n",
			order);
		exit(2);
	}
	snprintf(path, sizeof(path), THP_SYSFS "/hugepages-%lukB/shmem_enabled", kb);
	if (access(path, F_OK)) {
		fprintf(stderr, "pages: shmem-mthp: no %s: this kernel has no shmem multi-size "
			"THP of order %d (%lu kB; 6.11 added them)\n", path, order, kb);
		exit(EOPNOTSUPP);
	}
	thp_mode(path, mode, sizeof(mode));
	if (!strcmp(mode, "never")) {
		fprintf(stderr, "pages: shmem-mthp: %s is [never]: enable the size first\n", path);
		exit(1);
	}
	if (!len)
		len = PAGE << order;
	p = map_anon(len, HPAGE, 0);	/* an aligned place for it */
	if (mmap(p, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) == MAP_FAILED)
		die("mmap anon shmem");
	madvise(p, len, MADV_HUGEPAGE);	/* for shmem_enabled=advise */
	fill(p, len);
	return p;
}

static char *make(void)
{
	char *p = NULL;

	bind_node(1);
	if (!strcmp(kind, "anon") || !strcmp(kind, "mlock") || !strcmp(kind, "shared") ||
	    !strcmp(kind, "swapcache") || !strcmp(kind, "swap")) {
		p = map_anon(len, 0, 0);
		madvise(p, len, MADV_NOHUGEPAGE);
		fill(p, len);
	} else if (!strcmp(kind, "thp") || !strcmp(kind, "mlock-thp") ||
		   !strcmp(kind, "thp-cow")) {
		p = map_thp();
	} else if (!strcmp(kind, "pte-thp") || !strcmp(kind, "partial-thp")) {
		p = map_thp();
		thp_reshape(p);
	} else if (!strcmp(kind, "mthp") || !strcmp(kind, "mlock-mthp") ||
		   !strcmp(kind, "mthp-cow")) {
		p = make_mthp();
	} else if (!strcmp(kind, "shmem-thp")) {
		p = make_shmem_thp();
	} else if (!strcmp(kind, "file-large")) {
		p = make_file_large();
	} else if (!strcmp(kind, "shmem-mthp")) {
		p = make_shmem_mthp();
	} else if (!strcmp(kind, "fork-offset")) {
		p = make_fork_offset();
	} else if (!strcmp(kind, "ksm")) {
		p = map_anon(len, 0, 0);
		madvise(p, len, MADV_NOHUGEPAGE);
		for (size_t i = 0; i < len; i++)
			p[i] = (char)(rand() ^ getpid());
		if (madvise(p, len, MADV_MERGEABLE))
			die("MADV_MERGEABLE");
	} else if (!strcmp(kind, "file") || !strcmp(kind, "file-dirty")) {
		p = file_pages(!strcmp(kind, "file-dirty"));
	} else if (!strcmp(kind, "shmem")) {
		p = map_shared_fd(memfd_create("mmlab-shmem", 0), "memfd");
	} else if (!strcmp(kind, "hugetlb")) {
		p = map_hugetlb();
	} else if (!strcmp(kind, "hugetlb-1g")) {
		p = map_hugetlb_1g();
	} else if (!strcmp(kind, "hugetlb-marker")) {
		p = map_hugetlb();
		uffd_wp_zap(p, len);
	} else if (!strcmp(kind, "hugetlb-hwpoison")) {
		p = map_hugetlb();
		hwpoison(p);
	} else if (!strcmp(kind, "hugetlbfs")) {
		p = map_shared_fd(open(file ? file : "", O_RDWR | O_CREAT | O_TRUNC, 0644),
				  file ? "hugetlbfs file (reserve hugepages first)" : "--file missing");
	} else if (!strcmp(kind, "hugetlb-shared")) {
		p = map_shared_fd(memfd_create("mmlab-hugetlb", MFD_HUGETLB),
				  "memfd MFD_HUGETLB (reserve hugepages first)");
	} else if (!strcmp(kind, "device-private")) {
		p = map_anon(len, 0, 0);
		madvise(p, len, MADV_NOHUGEPAGE);
		fill(p, len);
		to_device(p, len);
	} else if (!strcmp(kind, "zero")) {
		p = map_anon(len, 0, 0);
		madvise(p, len, MADV_NOHUGEPAGE);
		for (size_t i = 0; i < len; i += PAGE)
			(void)*(volatile char *)(p + i);
	} else {
		fprintf(stderr, "pages: unknown kind %s\n", kind);
		exit(2);
	}
	bind_node(0);
	if (!strncmp(kind, "mlock", 5) && mlock(p, len))
		die("mlock");
	if (!strcmp(kind, "swapcache") || !strcmp(kind, "swap"))
		page_out(p, len);
	if (!strcmp(kind, "swapcache"))
		for (size_t i = 0; i < len; i += PAGE)
			(void)*(volatile char *)(p + i);	/* read fault: stays in swapcache */
	if (!strcmp(kind, "shared") || !strcmp(kind, "ksm") || strstr(kind, "thp-cow") ||
	    !strcmp(kind, "fork-offset"))
		fork_child(p, len, !strcmp(kind, "ksm"));
	return p;
}

int main(int argc, char **argv)
{
	int i, children = 0, private_child = 0, do_churn = 0;
	char line[64], *p;

	if (argc < 2) {
		fprintf(stderr, "usage: pages KIND [--len BYTES] [--node N] [--file PATH]\n");
		return 2;
	}
	kind = argv[1];
	for (i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "0";

		if (!strcmp(argv[i], "--private-child"))
			private_child = 1;
		else if (!strcmp(argv[i], "--churn"))
			do_churn = 1;
		else if (!strcmp(argv[i], "--len") && ++i)
			len = strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "--node") && ++i)
			node = atoi(v);
		else if (!strcmp(argv[i], "--file") && ++i)
			file = v;
		else if (!strcmp(argv[i], "--guard") && ++i)
			guard = strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "--children") && ++i)
			children = atoi(v);
		else if (!strcmp(argv[i], "--usr2") && ++i)
			usr2_action = v;
		else if (!strcmp(argv[i], "--order") && ++i)
			order = atoi(v);
		else
			fprintf(stderr, "pages: unknown option %s\n", argv[i]), exit(2);
	}

	if (!len && !strcmp(kind, "hugetlb-1g"))
		len = GPAGE;
	/* The *mthp kinds and fork-offset size themselves from --order. */
	if (!len && !strstr(kind, "mthp") && strcmp(kind, "fork-offset"))
		len = strstr(kind, "thp") || !strncmp(kind, "hugetlb", 7) ||
		      !strcmp(kind, "file-large") ? HPAGE : PAGE;
	len = (len + PAGE - 1) & ~(PAGE - 1);
	signal(SIGTERM, wait_child_exit);
	signal(SIGINT, wait_child_exit);
	signal(SIGUSR1, wait_child_exit);
	p = make();
	region = p;
	signal(SIGUSR2, on_usr2);
	fork_children(children, private_child);
	printf("kind=%s pid=%d addr=%p len=%zu", kind, getpid(), (void *)p, len);
	if (child)
		printf(" child=%d child_addr=%p", child, child_addr);
	for (i = 0; i < nkids; i++)
		printf("%s%d", i ? "," : " children=", kids[i]);
	if (dmirror_fd >= 0)
		printf(" cpages=%lu", dmirror_cpages);
	if (poisoned_pfn)
		printf(" pfn=0x%lx", poisoned_pfn);
	if (order >= 0)
		printf(" order=%d", order);
	if (partial_mapped)
		printf(" mapped=%d", partial_mapped);
	printf("\nready\n");
	fflush(stdout);
	if (do_churn)
		churn();
	if (fgets(line, sizeof(line), stdin) == NULL)
		for (;;)
			pause();
	wait_child_exit(0);
	return 0;
}
