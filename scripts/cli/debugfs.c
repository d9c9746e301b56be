// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab CLI: the module's debugfs files.
 *
 * A control command opens the control file, writes one line in one
 * write(), reads that line's reply from the same open file and closes it.
 * A refused write names its errno in the reply (error=NAME reason="...");
 * the errno's number, from the module's own list, is the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"

/*
 * The CLI's own exit statuses are no errno the module can answer: a
 * duplicate case label fails the build if the list ever gains one.
 */
static inline void exit_statuses_are_not_errnos(int e)
{
	switch (e) {
	case EX_USAGE:
	case EX_UNAVAILABLE:
	case EX_SOFTWARE:
	case EX_NOPERM:
#define MMLAB_ERRNO(name) case name:
#define MMLAB_ERRNO_OTHER(name) case name:
#include "../../include/mmlab_lists.h"
		break;
	}
}

const char *mmlab_dir(void)
{
	const char *d = getenv("MMLAB_DEBUGFS");

	return d && *d ? d : "/sys/kernel/debug/mmlab";
}

/* The exit status for an errno name: its number, or 70 for a name not in the list. */
int errno_status(const char *name)
{
	int n = name ? mmlab_errnum(name) : 0;

	return n ? n : EX_SOFTWARE;
}

/* The name of errno e, NULL when the module's list has none. */
static const char *errno_name(int e)
{
	const char *name = mmlab_errname(e);

	return mmlab_errnum(name) == e ? name : NULL;
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

static int debugfs_mounted(void)
{
	char mnt[256], fs[64];
	int found = 0;
	FILE *f = fopen("/proc/mounts", "r");

	if (!f)
		return 0;
	while (!found && fscanf(f, "%*s %255s %63s %*[^\n]", mnt, fs) == 2)
		found = !strcmp(mnt, "/sys/kernel/debug") && !strcmp(fs, "debugfs");
	fclose(f);
	return found;
}

/* Exit with a one-line reason when DIR/NAME cannot be used. */
static void need_file(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", mmlab_dir(), name);
	if (exists(path))
		return;
	/* debugfs is root's (0700): to anyone else the directory is not there. */
	if (geteuid())
		die(EX_NOPERM, "permission denied: %s is root's (run as root, with CAP_SYS_ADMIN)",
		    mmlab_dir());
	if (!getenv("MMLAB_DEBUGFS") && !debugfs_mounted())
		die(EX_UNAVAILABLE, "debugfs is not mounted (%s)",
		    "mount -t debugfs none /sys/kernel/debug");
	die(EX_UNAVAILABLE, "the mmlab module is not loaded: no %s (insmod mmlab.ko)", path);
}

static int open_file(const char *name, int flags)
{
	char path[512];
	int fd;

	need_file(name);
	snprintf(path, sizeof(path), "%s/%s", mmlab_dir(), name);
	fd = open(path, flags | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (!exists(path))
		die(EX_UNAVAILABLE, "the mmlab module went away: no %s", path);
	die(EX_NOPERM, "cannot open %s: permission denied (CAP_SYS_ADMIN is needed, even as root)",
	    path);
}

/* All of fd, to its end (the files are not seekable: read until 0). */
void read_all(int fd, struct buf *out)
{
	char chunk[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(out, chunk, n);
	}
	buf_add(out, "", 0);
}

/* The whole of DIR/NAME. */
void read_file(const char *name, struct buf *out)
{
	int fd = open_file(name, O_RDONLY);

	read_all(fd, out);
	close(fd);
}

int ctl_open(void)
{
	return open_file("control", O_RDWR);
}

void ctl_close(int fd)
{
	close(fd);
}

/* One write of "TEXT\n"; 0 or the errno. */
static int write_line(int fd, const char *text)
{
	struct buf b = { 0 };
	ssize_t n;

	buf_printf(&b, "%s\n", text);
	do {
		n = write(fd, b.s, b.len);
	} while (n < 0 && errno == EINTR);
	buf_free(&b);
	return n < 0 ? errno : 0;
}

/* The errno NAME of a reply that starts "error=NAME ", copied into buf. */
static const char *reply_errname(const char *text, char *buf, size_t len)
{
	size_t n;

	if (strncmp(text, "error=", 6))
		return NULL;
	text += 6;
	n = strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
	if (!n || text[n] != ' ' || n >= len)
		return NULL;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return buf;
}

/* One command on the open control file: its reply, errno name and exit status in r. */
void ctl_run(int fd, const char *line, struct reply *r)
{
	int err = write_line(fd, line);

	buf_reset(&r->text);
	read_all(fd, &r->text);
	r->errname = NULL;
	r->status = 0;
	if (!err)
		return;
	/* The module names the errno in its reply; a write cut short leaves none. */
	r->errname = reply_errname(r->text.s, r->errbuf, sizeof(r->errbuf));
	if (!r->errname)
		r->errname = errno_name(err);
	r->status = errno_status(r->errname);
	if (!r->errname) {
		snprintf(r->errbuf, sizeof(r->errbuf), "errno? (%s)", strerror(err));
		r->errname = r->errbuf;
	}
}

/* One write to the probes file, then exit: 0, or its errno (it leaves no reply). */
void probes_write(const char *word)
{
	int fd = open_file("probes", O_WRONLY);
	int err = write_line(fd, word);
	const char *name;

	close(fd);
	if (!err)
		exit(0);
	name = errno_name(err);
	say("mmlab probes: %s: %s (%s)", word, name ? name : "errno?", strerror(err));
	exit(errno_status(name));
}
