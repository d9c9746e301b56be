/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmlab, the command line (scripts/cli/): what its files share.
 *
 * The grammar is not here: options, their checks and the errno names and
 * numbers come from module/parse.c, linked in (include/mmlab_cmd.h).
 */
#ifndef MMLAB_CLI_H
#define MMLAB_CLI_H

#include <stddef.h>
#include <sysexits.h>	/* EX_USAGE 64, EX_UNAVAILABLE 69, EX_SOFTWARE 70, EX_NOPERM 77 */
#include "../../include/mmlab_cmd.h"

#define CLI_ATTR(a) __attribute__((a))
#define CLI_PRINTF(f, a) CLI_ATTR(__format__(__printf__, f, a))
#define CLI_NORETURN CLI_ATTR(__noreturn__)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* util.c: a growable string, always NUL-terminated. */
struct buf {
	char *s;
	size_t len, cap;
};

void buf_add(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) CLI_PRINTF(2, 3);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
char *xstrdup(const char *s);

/* util.c: messages (stdout is flushed first, so they stay in order) and exits. */
extern int cli_raw;		/* --raw: print what the module wrote, as it wrote it */
void say(const char *fmt, ...) CLI_PRINTF(1, 2);
void die(int status, const char *fmt, ...) CLI_PRINTF(2, 3) CLI_NORETURN;
void usage_error(const char *sub, const char *fmt, ...) CLI_PRINTF(2, 3) CLI_NORETURN;
int term_width(void);
int has_blank(const char *s);
int split_words(char *s, char **word, int max);

/* debugfs.c: the module's files. */
struct reply {
	struct buf text;	/* the reply, as read */
	const char *errname;	/* NULL: the write succeeded */
	char errbuf[96];
	int status;		/* the exit status it makes */
};

const char *mmlab_dir(void);
void read_file(const char *name, struct buf *out);
void read_all(int fd, struct buf *out);
int ctl_open(void);
void ctl_run(int fd, const char *line, struct reply *r);
void ctl_close(int fd);
void probes_write(const char *word) CLI_NORETURN;
int errno_status(const char *name);

/* line.c: a subcommand's arguments as one control line. */
struct cmdline {
	struct buf line;
	int verb;
	int help, raw;
	char usage[160];	/* why the arguments are wrong */
	char reason[160];	/* why the grammar refuses the line ("": it does not) */
};

int control_verb(const char *sub);
const char *verb_cli_name(int verb, char *buf, size_t len);
int verb_holds(int verb);
int key_index(const char *name);
int key_takes_value(int key);
int build_cmd(const char *sub, int argc, char **argv, struct cmdline *c);
void refusal(const char *reason, struct reply *r);
void show_reply(const char *sub, int raw, const struct reply *r);
int control_cmd(const char *sub, int argc, char **argv);

/* render.c: logfmt lines as tables. */
struct field {
	char *key, *val;
};

struct fields {
	char *type;
	struct field *f;
	int n, cap;
};

struct render_state {
	int titles;		/* a title over each table */
	int groups;		/* groups printed so far */
	int force_table;	/* never a key/value block */
};

struct group;

void parse_line(const char *s, struct fields *f);
void fields_free(struct fields *f);
struct group *group_new(const char *type, size_t len);
void group_add(struct group *g, const char *line);
void group_flush(struct group *g, struct render_state *st);
void group_free(struct group *g);
void render(const char *text, size_t len, int force_table);

/* help.c */
struct opt {
	const char *name, *arg, *help;
};

struct subcmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;	/* after "usage: mmlab NAME " */
	const char *about;
	const struct opt *opts;	/* then -h, --help; ends with { } */
	const char *example;
};

extern const struct subcmd session_cmd, write_cmd, stats_cmd, probes_cmd, features_cmd;
extern const struct subcmd repro_cmd, replay_cmd;
const struct subcmd *find_subcmd(const char *name);
const struct subcmd *subcmd_at(int i);
void help_top(void);
void help_cmd(const char *sub);
/* A subcommand that takes only --raw and --help: 1 when help was printed. */
int plain_args(int argc, char **argv, const char *sub);

#define SYMBOL_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_."

/* probes.c: the built-in probe sets of module/probes.c, as `@NAME`. */
extern const char * const probe_sets[];

/* complete.c */
int complete(int n, char **word);

#endif /* MMLAB_CLI_H */
