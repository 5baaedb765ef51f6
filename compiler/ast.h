/* The policy's abstract syntax: source files, locations and statements, as
 * the parser builds them (grammar/parser.y) and lowering reads them. */
#ifndef CORDON_AST_H
#define CORDON_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct src_file;

/* Bison's location type (api.location.type): lines and columns are 1-based;
 * columns count bytes; last_column is the last byte of the token. */
struct cordon_loc {
	const struct src_file *file;
	int first_line, first_column;
	int last_line, last_column;
};

/* A loaded policy file.  Owned by the compile context; lives until the end
 * of the compilation so that diagnostics can quote its lines. */
struct src_file {
	char *name;            /* as shown in diagnostics */
	char *path;            /* as opened (NULL for standard input) */
	char *dir;             /* directory for relative includes */
	char *text;            /* the whole file, NUL-terminated */
	size_t len;
	size_t *lines;         /* offset of each line in text (lines[0] = 0), */
	size_t nlines;         /* so that a diagnostic finds its line at once */
	dev_t dev;
	ino_t ino;
	const struct src_file *parent; /* the file that included it, or NULL */
	struct cordon_loc included_at;
	unsigned index;        /* load order, for sorting diagnostics */
	bool is_main;          /* the file named on the command line */
	bool profile;          /* read through `use` (or included by such a
	                          file): its limits are defaults */
	bool active;           /* being parsed now (for cycle detection) */
};

/* A word of the source (a path, a name, a number) with its location. */
struct item {
	char *text;
	struct cordon_loc loc;
	bool quoted; /* written as a "string" */
};

struct items {
	struct item *v;
	size_t n, cap;
};

/* Access words of `allow`/`deny`. */
enum {
	ACC_READ = 1 << 0,
	ACC_WRITE = 1 << 1,
	ACC_EXEC = 1 << 2,
	ACC_IOCTL = 1 << 3,
};

enum stmt_kind {
	ST_FS,        /* allow|deny ACCESS PATH... */
	ST_ENV,       /* allow|deny env PATTERN... */
	ST_ENV_SET,   /* set env NAME=VALUE */
	ST_NET_MODE,  /* net none|all|unix */
	ST_NET_PORTS, /* net connect|bind tcp PORT... */
	ST_LIMIT,     /* limit KIND VALUE */
	ST_SYSCALL,   /* syscall allow|deny|kill NAME... */
	ST_ENFORCE,   /* enforce strict|best-effort */
	ST_PROTECT,   /* protect|unprotect TARGET... (deny: unprotect) */
};

enum net_mode { NET_NONE = 1, NET_ALL, NET_UNIX };
enum net_dir { NETD_BIND = 1, NETD_CONNECT };
enum sys_action { SYS_ALLOW = 1, SYS_DENY, SYS_KILL };
enum limit_kind {
	LIM_MEMORY,
	LIM_PIDS,
	LIM_TIME,
	LIM_CPUTIME,
	LIM_CPU,
	LIM_FILES,
	LIM_FSIZE,
	LIM_DISK,
	LIM_COUNT
};

struct stmt {
	enum stmt_kind kind;
	struct cordon_loc loc; /* the whole statement */
	struct cordon_loc kw;  /* its first words (allow read, net none, ...) */
	bool deny;             /* ST_FS, ST_ENV; ST_PROTECT: unprotect */
	unsigned access;       /* ST_FS: ACC_* */
	int mode;              /* ST_NET_MODE: net_mode; ST_NET_PORTS: net_dir;
	                          ST_LIMIT: limit_kind; ST_SYSCALL: sys_action;
	                          ST_ENFORCE: 1 = best-effort */
	struct items args;     /* paths, patterns, ports, names; or the limit's
	                          value; ST_ENV_SET: [0] = NAME=VALUE text */
};

struct stmts {
	struct stmt *v;
	size_t n, cap;
};

void items_push(struct items *l, char *text, const struct cordon_loc *loc,
		bool quoted);
void items_free(struct items *l);
void stmts_push(struct stmts *l, struct stmt *s); /* takes s->args */
void stmts_free(struct stmts *l);

const char *limit_kind_name(enum limit_kind k);
const char *access_words(unsigned access, char *buf, size_t len);

#endif
