/* The compile context: everything one compilation owns (no global state),
 * and the entry points from source text to statements, IR and .cpb. */
#ifndef CORDON_COMPILE_H
#define CORDON_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"

#define CORDON_MAX_INCLUDE_DEPTH 16
#define CORDON_MAX_POLICY_BYTES (4U << 20) /* read in all by one compile */

struct compile_ctx {
	struct diag diag;
	struct arena strings;    /* every string of the AST and the IR */
	struct src_file **files; /* every file loaded, main first */
	size_t nfiles, files_cap;
	char **search;           /* where `use NAME` looks, in order */
	size_t nsearch, search_cap;
	struct stmts stmts;      /* all statements, includes expanded in place */
	int depth;               /* current include depth */
	char **absent;           /* profile paths looked for and not found: a */
	size_t nabsent, absent_cap; /* cache must notice when one appears */
	size_t bytes_read;       /* of all files, at most CORDON_MAX_POLICY_BYTES */
	struct {                 /* --untrusted ROOT (compile_set_untrusted) */
		char *root;      /* absolute, normalized; NULL: a trusted compile */
		char *root_real; /* the same, symbolic links resolved */
		int fd;          /* O_PATH of the directory, or -1 */
	} untrusted;
};

/* The lexer's per-file state (flex extra). */
struct lex_state {
	struct compile_ctx *ctx;
	const struct src_file *file;
	int line, column;            /* position of the next byte */
	char last_text[64];          /* the last token, for "did you mean" */
	char prev_text[64];          /* the token before it */
	struct cordon_loc last_loc;  /* its location */
	struct cordon_loc prev_loc;  /* the token before it */
	bool line_has_token;         /* a token was read on this line */
	unsigned nsemi;              /* ';' read so far */
	/* The last word that starts a line inside a statement (the token
	 * before it is not ';'): a misspelt statement keyword after a missing
	 * ';' (`allow read ./a` NEWLINE `alow read ./b;`). */
	struct {
		bool set;
		unsigned nsemi;          /* nsemi when it was read */
		struct cordon_loc loc, prev; /* it, and the token before it */
		char text[64];
	} line_word;
};

void compile_init(struct compile_ctx *c, FILE *diag_out);
void compile_free(struct compile_ctx *c);
/* Adds a directory to the `use` search path (-I, then $CORDON_PATH, then the
 * installed share dir, in the order they are added). */
void compile_add_search_dir(struct compile_ctx *c, const char *dir);
/* The policy is the repository's, whose root is root (cordonc --untrusted):
 * its files must lie beneath root, reached through no symbolic link that
 * leaves it, and pass ssh's StrictModes (compiler/source_open.h).  Returns
 * false, having reported why, when root is not a directory. */
bool compile_set_untrusted(struct compile_ctx *c, const char *root);
/* Parses the policy at path ("-" = standard input) and every file it uses or
 * includes into c->stmts.  Returns false when there were errors. */
bool compile_parse_main(struct compile_ctx *c, const char *path);

/* Called by the parser. */
void compile_use(struct compile_ctx *c, const struct item *name);
void compile_include(struct compile_ctx *c, const struct item *file);
void compile_add_stmt(struct compile_ctx *c, struct stmt *s);

/* In grammar/parser.y. */
bool parse_file(struct compile_ctx *c, const struct src_file *f);

/* The names that `use` can find, for "did you mean" (caller frees). */
char **compile_list_profiles(const struct compile_ctx *c, size_t *n);

#endif
