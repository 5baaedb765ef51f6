/* The policy grammar: a pure (reentrant) bison parser with locations that
 * carry the file name.  It builds statements (compiler/ast.h) and hands
 * `use` and `include` to the loader (compiler/source.c); values are checked
 * when the statements are lowered (compiler/lower.c). */
%code requires {
#include "ast.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
struct lex_state;

/* Locations carry the file: the default rule copies only lines and columns. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                           \
	do {                                                                  \
		if (N) {                                                      \
			(Cur).file = YYRHSLOC(Rhs, 1).file;                   \
			(Cur).first_line = YYRHSLOC(Rhs, 1).first_line;       \
			(Cur).first_column = YYRHSLOC(Rhs, 1).first_column;   \
			(Cur).last_line = YYRHSLOC(Rhs, N).last_line;         \
			(Cur).last_column = YYRHSLOC(Rhs, N).last_column;     \
		} else {                                                      \
			(Cur).file = YYRHSLOC(Rhs, 0).file;                   \
			(Cur).first_line = (Cur).last_line =                  \
				YYRHSLOC(Rhs, 0).last_line;                   \
			(Cur).first_column = (Cur).last_column =              \
				YYRHSLOC(Rhs, 0).last_column;                 \
		}                                                             \
	} while (0)
}

%code provides {
int yylex(YYSTYPE *yylval_param, YYLTYPE *yylloc_param, yyscan_t yyscanner);
}

%code {
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "ir.h"
#include "xalloc.h"

void *lexer_open(struct lex_state *ls, const char *text, size_t len);
void lexer_close(void *scanner);

static void add(struct lex_state *ls, enum stmt_kind kind, const YYLTYPE *loc,
		const YYLTYPE *kw, bool deny, int mode, unsigned access,
		struct items *args);
static struct items one(char *text, const YYLTYPE *loc, bool quoted);
static struct items more(struct items l, char *text, const YYLTYPE *loc,
			 bool quoted);
static unsigned add_access(struct lex_state *ls, unsigned set, unsigned a,
			   const YYLTYPE *loc);
static void item_at(struct item *it, char *text, const YYLTYPE *loc, bool q);
static void yyerror(const YYLTYPE *loc, yyscan_t scanner, struct lex_state *ls,
		    const char *msg);
}

%define api.pure full
%define parse.error custom
%define parse.lac full
%define api.location.type {struct cordon_loc}
%locations
%lex-param {yyscan_t scanner}
%parse-param {yyscan_t scanner} {struct lex_state *ls}

%union {
	char *str;
	struct items items;
	unsigned acc;
	int num;
}

%token <str> WORD "word" PATH "path" STRING "quoted string"
%token ALLOW "allow" DENY "deny" USE "use" INCLUDE "include"
%token READ "read" WRITE "write" EXEC "exec" IOCTL "ioctl"
%token ENV "env" SET "set"
%token NET "net" NONE "none" ALL "all" UNIX "unix" CONNECT "connect"
%token BIND "bind" TCP "tcp"
%token LIMIT "limit" MEMORY "memory" PIDS "pids" TIME "time"
%token CPUTIME "cputime" CPU "cpu" FILES "files" FSIZE "fsize" DISK "disk"
%token SYSCALL "syscall" KILL "kill"
%token ENFORCE "enforce" STRICT "strict" BEST_EFFORT "best-effort"
%token PROTECT "protect" UNPROTECT "unprotect"

%nterm <items> paths patterns ports sysnames value
%nterm <acc> accesses access
%nterm <num> limit_kind sys_action
%nterm <str> sysname

/* Strings (<str>) live in the compile context's arena and are freed with
 * it; lists own their arrays. */
%destructor { items_free(&$$); } <items>

%%

policy
	: stmts
	| stmts stmt
	;

stmts
	: %empty
	| stmts stmt ';'
	| stmts ';'
	| stmts error ';'        { yyerrok; }
	;

stmt
	: USE WORD               { struct item it; item_at(&it, $2, &@2, false);
	                           compile_use(ls->ctx, &it); }
	| USE STRING             { struct item it; item_at(&it, $2, &@2, true);
	                           compile_use(ls->ctx, &it); }
	| INCLUDE STRING         { struct item it; item_at(&it, $2, &@2, true);
	                           compile_include(ls->ctx, &it); }
	| INCLUDE PATH           { diag_error(&ls->ctx->diag, &@2,
	                               "include takes a quoted file name: include \"%s\";", $2); }
	| INCLUDE WORD           { diag_error(&ls->ctx->diag, &@2,
	                               "include takes a quoted file name: include \"%s\";", $2); }
	| ALLOW accesses paths   { add(ls, ST_FS, &@$, &@2, false, 0, $2, &$3); }
	| DENY accesses paths    { add(ls, ST_FS, &@$, &@2, true, 0, $2, &$3); }
	| ALLOW ENV patterns     { add(ls, ST_ENV, &@$, &@2, false, 0, 0, &$3); }
	| DENY ENV patterns      { add(ls, ST_ENV, &@$, &@2, true, 0, 0, &$3); }
	| SET ENV WORD           { struct items l = one($3, &@3, false);
	                           add(ls, ST_ENV_SET, &@$, &@2, false, 0, 0, &l); }
	| SET ENV WORD STRING    { struct items l = one($3, &@3, false);
	                           l = more(l, $4, &@4, true);
	                           add(ls, ST_ENV_SET, &@$, &@2, false, 0, 0, &l); }
	| NET NONE               { add(ls, ST_NET_MODE, &@$, &@2, false, NET_NONE, 0, NULL); }
	| NET ALL                { add(ls, ST_NET_MODE, &@$, &@2, false, NET_ALL, 0, NULL); }
	| NET UNIX               { add(ls, ST_NET_MODE, &@$, &@2, false, NET_UNIX, 0, NULL); }
	| NET CONNECT TCP ports  { add(ls, ST_NET_PORTS, &@$, &@2, false, NETD_CONNECT, 0, &$4); }
	| NET BIND TCP ports     { add(ls, ST_NET_PORTS, &@$, &@2, false, NETD_BIND, 0, &$4); }
	| LIMIT limit_kind value { add(ls, ST_LIMIT, &@$, &@2, false, $2, 0, &$3); }
	| SYSCALL sys_action sysnames
	                         { add(ls, ST_SYSCALL, &@$, &@2, false, $2, 0, &$3); }
	| ENFORCE STRICT         { add(ls, ST_ENFORCE, &@$, &@2, false, 0, 0, NULL); }
	| ENFORCE BEST_EFFORT    { add(ls, ST_ENFORCE, &@$, &@2, false, 1, 0, NULL); }
	| PROTECT paths          { add(ls, ST_PROTECT, &@$, &@1, false, 0, 0, &$2); }
	| UNPROTECT paths        { add(ls, ST_PROTECT, &@$, &@1, true, 0, 0, &$2); }
	;

accesses
	: access                 { $$ = $1; }
	| accesses ',' access    { $$ = add_access(ls, $1, $3, &@3); }
	;

access
	: READ                   { $$ = ACC_READ; }
	| WRITE                  { $$ = ACC_WRITE; }
	| EXEC                   { $$ = ACC_EXEC; }
	| IOCTL                  { $$ = ACC_IOCTL; }
	;

paths
	: PATH                   { $$ = one($1, &@1, false); }
	| WORD                   { $$ = one($1, &@1, false); }
	| STRING                 { $$ = one($1, &@1, true); }
	| paths PATH             { $$ = more($1, $2, &@2, false); }
	| paths WORD             { $$ = more($1, $2, &@2, false); }
	| paths STRING           { $$ = more($1, $2, &@2, true); }
	;

patterns
	: WORD                   { $$ = one($1, &@1, false); }
	| STRING                 { $$ = one($1, &@1, true); }
	| patterns WORD          { $$ = more($1, $2, &@2, false); }
	| patterns STRING        { $$ = more($1, $2, &@2, true); }
	;

ports
	: WORD                   { $$ = one($1, &@1, false); }
	| ports WORD             { $$ = more($1, $2, &@2, false); }
	;

value
	: WORD                   { $$ = one($1, &@1, false); }
	| PATH                   { $$ = one($1, &@1, false); }
	;

limit_kind
	: MEMORY  { $$ = LIM_MEMORY; }
	| PIDS    { $$ = LIM_PIDS; }
	| TIME    { $$ = LIM_TIME; }
	| CPUTIME { $$ = LIM_CPUTIME; }
	| CPU     { $$ = LIM_CPU; }
	| FILES   { $$ = LIM_FILES; }
	| FSIZE   { $$ = LIM_FSIZE; }
	| DISK    { $$ = LIM_DISK; }
	;

sys_action
	: ALLOW   { $$ = SYS_ALLOW; }
	| DENY    { $$ = SYS_DENY; }
	| KILL    { $$ = SYS_KILL; }
	;

sysnames
	: sysname                { $$ = one($1, &@1, false); }
	| sysnames sysname       { $$ = more($1, $2, &@2, false); }
	;

/* Syscalls whose names are also keywords. */
sysname
	: WORD                   { $$ = $1; }
	| READ                   { $$ = (char *)"read"; }
	| WRITE                  { $$ = (char *)"write"; }
	| KILL                   { $$ = (char *)"kill"; }
	| TIME                   { $$ = (char *)"time"; }
	| BIND                   { $$ = (char *)"bind"; }
	| CONNECT                { $$ = (char *)"connect"; }
	| IOCTL                  { $$ = (char *)"ioctl"; }
	;

%%

static const struct {
	const char *word;
	int token;
} keywords[] = {
	{"all", ALL},         {"allow", ALLOW},     {"best-effort", BEST_EFFORT},
	{"bind", BIND},       {"connect", CONNECT}, {"cpu", CPU},
	{"cputime", CPUTIME}, {"deny", DENY},       {"disk", DISK},
	{"enforce", ENFORCE},
	{"env", ENV},         {"exec", EXEC},       {"files", FILES},
	{"fsize", FSIZE},     {"include", INCLUDE}, {"ioctl", IOCTL},
	{"kill", KILL},       {"limit", LIMIT},     {"memory", MEMORY},
	{"net", NET},         {"none", NONE},       {"pids", PIDS},
	{"protect", PROTECT}, {"read", READ},       {"set", SET},
	{"strict", STRICT},   {"syscall", SYSCALL}, {"tcp", TCP},
	{"time", TIME},       {"unix", UNIX},       {"unprotect", UNPROTECT},
	{"use", USE},         {"write", WRITE},
};
#define NKEYWORDS (sizeof keywords / sizeof keywords[0])
/* (the lexer recognizes keywords itself; this table names them in messages) */

/* The words that start a statement, for "did you mean". */
static const char *const stmt_keywords[] = {
	"allow", "deny", "use", "include", "set", "net", "limit", "syscall",
	"enforce", "protect", "unprotect",
};

/* The statement keyword that word is a likely misspelling of, or NULL (a
 * syscall name is taken as one: `syscall deny mount` NEWLINE `setns`). */
static const char *stmt_keyword_guess(const char *word)
{
	if (syscall_number(word) >= 0)
		return NULL;
	return did_you_mean(word, stmt_keywords,
			    sizeof stmt_keywords / sizeof stmt_keywords[0]);
}

static bool loc_before(const struct cordon_loc *a, const struct cordon_loc *b)
{
	return a->first_line < b->first_line ||
	       (a->first_line == b->first_line && a->first_column < b->first_column);
}

static const char *keyword_of_kind(yysymbol_kind_t kind)
{
	for (size_t i = 0; i < NKEYWORDS; i++)
		if (YYTRANSLATE(keywords[i].token) == kind)
			return keywords[i].word;
	return NULL;
}

static void item_at(struct item *it, char *text, const YYLTYPE *loc, bool q)
{
	it->text = text;
	it->loc = *loc;
	it->quoted = q;
}

static struct items one(char *text, const YYLTYPE *loc, bool quoted)
{
	struct items l = {0};
	items_push(&l, text, loc, quoted);
	return l;
}

static struct items more(struct items l, char *text, const YYLTYPE *loc,
			 bool quoted)
{
	items_push(&l, text, loc, quoted);
	return l;
}

static unsigned add_access(struct lex_state *ls, unsigned set, unsigned a,
			   const YYLTYPE *loc)
{
	if (set & a)
		diag_warning(&ls->ctx->diag, loc, "access right listed twice");
	return set | a;
}

static void add(struct lex_state *ls, enum stmt_kind kind, const YYLTYPE *loc,
		const YYLTYPE *kw, bool deny, int mode, unsigned access,
		struct items *args)
{
	struct stmt s = {
		.kind = kind, .loc = *loc, .deny = deny, .mode = mode,
		.access = access,
	};
	/* the statement's first words: from its start to the end of kw */
	s.kw = *loc;
	s.kw.last_line = kw->last_line;
	s.kw.last_column = kw->last_column;
	if (args) {
		s.args = *args;
		*args = (struct items){0};
	}
	/* A word that starts a line inside the statement and looks like a
	 * statement keyword: the statement before it lacks its ';'. */
	const struct cordon_loc *lw = &ls->line_word.loc;
	const char *guess;
	if (ls->line_word.set && loc_before(loc, lw) &&
	    (lw->first_line < loc->last_line ||
	     (lw->first_line == loc->last_line && lw->first_column <= loc->last_column)) &&
	    (guess = stmt_keyword_guess(ls->line_word.text))) {
		diag_warning(&ls->ctx->diag, lw,
			     "'%s' starts a line but is read as part of the statement "
			     "of line %d, which has no ';' before it; did you mean "
			     "'%s'? (write ./%s for a path)", ls->line_word.text,
			     loc->first_line, guess, ls->line_word.text);
		ls->line_word.set = false;
	}
	compile_add_stmt(ls->ctx, &s);
}

/* Describes the expected tokens in words: keywords by name, the word-like
 * tokens by what they stand for here. */
static void expected_words(char *buf, size_t len, const yysymbol_kind_t *exp,
			   int n)
{
	bool has_word = false, has_path = false, has_string = false,
	     has_kill = false;
	const char *names[YYNTOKENS];
	int k = 0;
	for (int i = 0; i < n; i++) {
		switch (exp[i]) {
		case YYSYMBOL_WORD: has_word = true; break;
		case YYSYMBOL_PATH: has_path = true; break;
		case YYSYMBOL_STRING: has_string = true; break;
		case YYSYMBOL_YYEOF: case YYSYMBOL_YYerror: break;
		case YYSYMBOL_KILL: has_kill = true; /* fall through */
		default: {
			const char *kw = keyword_of_kind(exp[i]);
			names[k++] = kw ? kw : yysymbol_name(exp[i]);
		}
		}
	}
	const char *what = NULL;
	if (has_path && has_string)
		what = "a path";
	else if (has_word && has_kill && n > 4)
		what = "a syscall name", k = 0;
	else if (has_word && has_string)
		what = "a name";
	else if (has_word && has_path)
		what = "a value";
	else if (has_word)
		what = "a word";
	size_t used = 0;
	buf[0] = '\0';
	if (what)
		used += (size_t)snprintf(buf + used, len - used, "%s", what);
	for (int i = 0; i < k && used < len; i++) {
		const char *sep = used == 0 ? "" : i == k - 1 ? " or " : ", ";
		const char *q = strcmp(names[i], "';'") == 0 || strcmp(names[i], "','") == 0
					? "" : "'";
		used += (size_t)snprintf(buf + used, len - used, "%s%s%s%s", sep,
					 q, names[i], q);
	}
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner,
				 struct lex_state *ls)
{
	(void)scanner;
	struct diag *d = &ls->ctx->diag;
	yysymbol_kind_t exp[YYNTOKENS];
	int n = yypcontext_expected_tokens(yyctx, exp, YYNTOKENS);
	if (n < 0)
		n = 0;
	yysymbol_kind_t look = yypcontext_token(yyctx);
	const YYLTYPE *loc = yypcontext_location(yyctx);
	bool starts_stmt = false, wants_semi = false;
	const char *kwcands[YYNTOKENS];
	size_t nk = 0;
	for (int i = 0; i < n; i++) {
		if (exp[i] == YYSYMBOL_ALLOW)
			starts_stmt = true;
		if (exp[i] == YYTRANSLATE(';'))
			wants_semi = true;
		const char *kw = keyword_of_kind(exp[i]);
		if (kw)
			kwcands[nk++] = kw;
	}

	char found[96];
	if (look == YYSYMBOL_YYEOF)
		snprintf(found, sizeof found, "the end of the file");
	else if (look == YYTRANSLATE(';'))
		snprintf(found, sizeof found, "';'");
	else
		snprintf(found, sizeof found, "'%s'", ls->last_text);

	/* A misspelt statement keyword that starts a line of this statement,
	 * or is the token found: the statement before it lacks its ';'. */
	const char *lw_guess = NULL;
	unsigned semis = ls->nsemi - (look == YYTRANSLATE(';'));
	if (ls->line_word.set && ls->line_word.nsemi == semis &&
	    !loc_before(loc, &ls->line_word.loc))
		lw_guess = stmt_keyword_guess(ls->line_word.text);
	if (lw_guess) {
		YYLTYPE at = ls->line_word.prev;
		at.first_line = at.last_line;
		at.first_column = at.last_column + 1;
		at.last_column = at.first_column;
		diag_error(d, &at, "expected ';' at the end of the statement");
		diag_error(d, &ls->line_word.loc,
			   "expected a statement, found '%s'; did you mean '%s'?",
			   ls->line_word.text, lw_guess);
		ls->line_word.set = false;
		return 0;
	}

	/* A statement that runs into the next line without its ';' (not at
	 * the start of a statement: there a word is a misspelt keyword). */
	bool stmt_start = !ls->prev_loc.file || strcmp(ls->prev_text, ";") == 0;
	if (wants_semi && !stmt_start && look != YYSYMBOL_YYEOF &&
	    ls->prev_loc.file && loc->first_line > ls->prev_loc.last_line) {
		YYLTYPE at = ls->prev_loc;
		at.first_line = at.last_line;
		at.first_column = at.last_column + 1;
		at.last_column = at.first_column;
		diag_error(d, &at, "expected ';' at the end of the statement");
		return 0;
	}

	const char *guess = NULL;
	if (look == YYSYMBOL_WORD || keyword_of_kind(look))
		guess = did_you_mean(ls->last_text, kwcands, nk);
	char hint[160] = "";
	if (guess)
		snprintf(hint, sizeof hint, "; did you mean '%s'?", guess);
	else if (strcmp(ls->last_text, "udp") == 0)
		snprintf(hint, sizeof hint,
			 "; only TCP ports can be listed (use 'net all' for other "
			 "protocols)");

	if (starts_stmt && n > 6) {
		diag_error(d, loc,
			   "expected a statement (allow, deny, use, include, set, net, "
			   "limit, syscall, enforce, protect or unprotect), found %s%s",
			   found, hint);
		return 0;
	}
	char want[512];
	expected_words(want, sizeof want, exp, n);
	if (ls->prev_text[0] && look != YYSYMBOL_YYEOF)
		diag_error(d, loc, "expected %s after '%s', found %s%s", want,
			   ls->prev_text, found, hint);
	else
		diag_error(d, loc, "expected %s, found %s%s", want, found, hint);
	return 0;
}

/* Only for bison's own failures (its stack exhausted): syntax errors go
 * through yyreport_syntax_error. */
static void yyerror(const YYLTYPE *loc, yyscan_t scanner, struct lex_state *ls,
		    const char *msg)
{
	(void)scanner;
	diag_error(&ls->ctx->diag, loc, "%s: the policy nests too deeply", msg);
}

bool parse_file(struct compile_ctx *c, const struct src_file *f)
{
	struct lex_state ls = {
		.ctx = c, .file = f, .line = 1, .column = 1,
	};
	yyscan_t scanner = lexer_open(&ls, f->text, f->len);
	if (!scanner) {
		diag_plain_error(&c->diag, "%s: cannot start the lexer", f->name);
		return false;
	}
	int r = yyparse(scanner, &ls);
	lexer_close(scanner);
	return r == 0;
}
