/* Lowering: checks every value of the statements and merges them into the IR
 * (compiler/ir.h), applying one precedence rule per resource class and
 * warning about rules that can never take effect. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "landlock_abi.h"
#include "xalloc.h"

/* Warnings about two rules are for the person who can change one of them:
 * shown when either is in the file being compiled, not for conflicts
 * between two profiles it uses. */
bool lower_concerns_user(const struct cordon_loc *a, const struct cordon_loc *b)
{
	return (a && a->file && a->file->is_main) || (b && b->file && b->file->is_main);
}

const char *lower_where(const struct cordon_loc *l, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%d", l->file ? l->file->name : "?", l->first_line);
	return buf;
}

/* ---- numbers ------------------------------------------------------------ */

/* Parses leading digits into *v; returns the rest, or NULL on overflow or
 * when there are no digits. */
static const char *digits(const char *s, uint64_t *v)
{
	uint64_t n = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - 9) / 10)
			return NULL;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	*v = n;
	return p == s ? NULL : p;
}

static bool parse_size(const char *s, uint64_t *out)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = {{"", 0},     {"B", 0},     {"K", 10},    {"KiB", 10},
		     {"M", 20},   {"MiB", 20},  {"G", 30},    {"GiB", 30},
		     {"T", 40},   {"TiB", 40}};
	uint64_t v;
	const char *rest = digits(s, &v);
	if (!rest)
		return false;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(rest, units[i].suffix) == 0) {
			if (units[i].shift && v > (UINT64_MAX >> units[i].shift))
				return false;
			*out = v << units[i].shift;
			return true;
		}
	}
	return false;
}

/* 30s, 1m, 1m30s, 500ms, 2h, 1d: milliseconds. */
static bool parse_duration(const char *s, uint64_t *out, bool *unitless)
{
	uint64_t total = 0;
	*unitless = false;
	if (!*s)
		return false;
	while (*s) {
		uint64_t v, mul;
		const char *p = digits(s, &v);
		if (!p)
			return false;
		if (strncmp(p, "ms", 2) == 0)
			mul = 1, p += 2;
		else if (*p == 's')
			mul = 1000, p++;
		else if (*p == 'm')
			mul = 60000, p++;
		else if (*p == 'h')
			mul = 3600000, p++;
		else if (*p == 'd')
			mul = 86400000, p++;
		else {
			*unitless = *p == '\0';
			return false;
		}
		if (v > (UINT64_MAX - total) / mul)
			return false;
		total += v * mul;
		s = p;
	}
	*out = total;
	return true;
}

/* 0.5, 2, 1.25, 50%: thousandths of a CPU. */
static bool parse_cpu(const char *s, uint64_t *out)
{
	uint64_t whole, frac = 0;
	const char *p = digits(s, &whole);
	if (!p || whole > 100000)
		return false;
	if (*p == '%') {
		if (p[1])
			return false;
		*out = whole * 10;
		return true;
	}
	if (*p == '.') {
		const char *q = ++p;
		unsigned nd = 0;
		for (; *q >= '0' && *q <= '9'; q++, nd++) {
			if (nd == 3)
				return false; /* finer than a thousandth */
			frac = frac * 10 + (uint64_t)(*q - '0');
		}
		if (nd == 0 || *q)
			return false;
		for (; nd < 3; nd++)
			frac *= 10;
	} else if (*p) {
		return false;
	}
	*out = whole * 1000 + frac;
	return true;
}

/* ---- paths -------------------------------------------------------------- */

/* Collapses "//" and "/./" and drops a trailing "/" and leading "./";
 * keeps ".." (the runtime resolves it against the real tree). */
static char *normalize(struct arena *a, const char *in, bool absolute)
{
	size_t len = strlen(in);
	char *out = arena_alloc(a, len + 2), *o = out;
	const char *p = in;
	if (absolute)
		*o++ = '/';
	while (*p) {
		while (*p == '/')
			p++;
		const char *seg = p;
		while (*p && *p != '/')
			p++;
		size_t sl = (size_t)(p - seg);
		if (sl == 0 || (sl == 1 && seg[0] == '.'))
			continue;
		if (o > out && o[-1] != '/')
			*o++ = '/';
		memcpy(o, seg, sl);
		o += sl;
	}
	*o = '\0';
	return out;
}

static const struct {
	const char *name;
	enum cpb_base base;
} path_vars[] = {
	{"HOME", CPB_BASE_HOME},
	{"TMPDIR", CPB_BASE_TMPDIR},
	{"WORKSPACE", CPB_BASE_WORKSPACE},
};

/* Splits a written path into its base and the normalized rest; *dir when
 * it was written with a trailing '/' below its base (a directory). */
bool lower_path(struct compile_ctx *c, const struct item *it, enum cpb_base *base,
		char **rest, bool *dir)
{
	const char *s = it->text;
	struct diag *d = &c->diag;
	if (!*s) {
		diag_error(d, &it->loc, "empty path");
		return false;
	}
	if (strlen(s) >= CPB_MAX_STRING - 1) {
		diag_error(d, &it->loc, "path is longer than %u bytes", CPB_MAX_STRING - 2);
		return false;
	}
	if (!it->quoted && strpbrk(s, "*?")) {
		diag_error(d, &it->loc,
			   "'%s': wildcards are not supported in paths; name the "
			   "directory, and deny what it must not reach", s);
		return false;
	}
	const char *after = s;
	if (s[0] == '/') {
		*base = CPB_BASE_ROOT;
	} else if (s[0] == '~') {
		if (s[1] && s[1] != '/') {
			diag_error(d, &it->loc,
				   "'%s': ~user is not supported; write ~ or ${HOME} for "
				   "the invoking user's home", s);
			return false;
		}
		*base = CPB_BASE_HOME;
		after = s + 1;
	} else if (s[0] == '$' && s[1] == '{') {
		const char *end = strchr(s, '}');
		size_t n = end ? (size_t)(end - s - 2) : 0;
		size_t i;
		for (i = 0; end && i < sizeof path_vars / sizeof path_vars[0]; i++)
			if (strlen(path_vars[i].name) == n &&
			    strncmp(s + 2, path_vars[i].name, n) == 0)
				break;
		if (!end || i == sizeof path_vars / sizeof path_vars[0]) {
			diag_error(d, &it->loc,
				   "'%s': unknown variable; paths may start with ${HOME}, "
				   "${TMPDIR} or ${WORKSPACE}", s);
			return false;
		}
		if (end[1] && end[1] != '/') {
			diag_error(d, &it->loc, "'%s': a '/' must follow '}'", s);
			return false;
		}
		*base = path_vars[i].base;
		after = end + 1;
	} else {
		*base = CPB_BASE_WORKSPACE;
	}
	if (strstr(after, "${") || (!it->quoted && strchr(after, '~') == after)) {
		diag_error(d, &it->loc,
			   "'%s': variables may only start a path", s);
		return false;
	}
	*rest = normalize(&c->strings, after, *base == CPB_BASE_ROOT);
	size_t n = strlen(after);
	*dir = n > 1 && after[n - 1] == '/' && (*rest)[0] && strcmp(*rest, "/") != 0;
	return true;
}

/* ---- files -------------------------------------------------------------- */

#define WRITE_RIGHTS                                                           \
	(CORDON_LL_FS_WRITE_FILE | CORDON_LL_FS_TRUNCATE |                     \
	 CORDON_LL_FS_REMOVE_DIR | CORDON_LL_FS_REMOVE_FILE |                  \
	 CORDON_LL_FS_MAKE_DIR | CORDON_LL_FS_MAKE_REG |                       \
	 CORDON_LL_FS_MAKE_SOCK | CORDON_LL_FS_MAKE_FIFO |                     \
	 CORDON_LL_FS_MAKE_SYM | CORDON_LL_FS_REFER | CORDON_LL_FS_RESOLVE_UNIX)

/* Executing a file opens it for reading, and Landlock checks read_file as
 * well as execute on that open: an allowed exec carries read_file.  A
 * denied exec only takes execute away. */
static uint64_t rights_of(unsigned words, bool allow)
{
	uint64_t r = 0;
	if (words & ACC_READ)
		r |= CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR;
	if (words & ACC_WRITE)
		r |= WRITE_RIGHTS;
	if (words & ACC_EXEC)
		r |= CORDON_LL_FS_EXECUTE | (allow ? CORDON_LL_FS_READ_FILE : 0);
	if (words & ACC_IOCTL)
		r |= CORDON_LL_FS_IOCTL_DEV;
	return r;
}

static const char *const word_names[4] = {"read", "write", "exec", "ioctl"};

struct fs_entry {
	enum cpb_base base;
	char *path;
	bool deny;
	bool dir;                     /* written with a trailing '/' */
	unsigned words;
	unsigned order;
	const char *written;
	const struct cordon_loc *loc; /* in the statement's item */
};

static int cmp_fs_entry(const void *a, const void *b)
{
	const struct fs_entry *x = a, *y = b;
	if (x->base != y->base)
		return (int)x->base - (int)y->base;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_fs_key(const struct ir_fs_rule *r, enum cpb_base base,
		      const char *path)
{
	if (r->base != base)
		return (int)r->base - (int)base;
	return strcmp(r->path, path);
}

static void merge_fs_entry(struct compile_ctx *c, struct ir_fs_rule *r,
			   const struct fs_entry *e)
{
	unsigned *have = e->deny ? &r->deny_words : &r->allow_words;
	const struct cordon_loc **locs = e->deny ? r->deny_loc : r->allow_loc;
	char buf[256];
	for (unsigned w = 0; w < 4; w++) {
		if (!(e->words & (1U << w)))
			continue;
		if (*have & (1U << w)) {
			if (lower_concerns_user(e->loc, locs[w]))
				diag_warning(&c->diag, e->loc,
					     "duplicate rule: '%s' of '%s' is already %s "
					     "at %s", word_names[w], e->written,
					     e->deny ? "denied" : "allowed",
					     lower_where(locs[w], buf, sizeof buf));
			continue;
		}
		*have |= 1U << w;
		locs[w] = e->loc;
	}
}

/* The denied paths, hashed, so that checking every ancestor of every
 * allowed path costs one lookup each. */
struct deny_set {
	const struct ir_fs_rule **slot;
	size_t mask, count;
};

#define HASH_SEED 1469598103934665603ULL
#define HASH_STEP(h, ch) (((h) ^ (unsigned char)(ch)) * 1099511628211ULL)

static size_t hash_path(enum cpb_base base, const char *p, size_t len)
{
	size_t h = HASH_SEED ^ (size_t)base;
	for (size_t i = 0; i < len; i++)
		h = HASH_STEP(h, p[i]);
	return h;
}

static void deny_set_init(struct deny_set *s, const struct ir *ir)
{
	size_t n = 0;
	for (size_t i = 0; i < ir->nfs; i++)
		n += ir->fs[i].deny_words != 0;
	size_t cap = 16;
	while (cap < n * 2)
		cap *= 2;
	s->slot = xcalloc(cap, sizeof *s->slot);
	s->mask = cap - 1;
	s->count = n;
	for (size_t i = 0; i < ir->nfs; i++) {
		const struct ir_fs_rule *r = &ir->fs[i];
		if (!r->deny_words)
			continue;
		size_t h = hash_path(r->base, r->path, strlen(r->path)) & s->mask;
		while (s->slot[h])
			h = (h + 1) & s->mask;
		s->slot[h] = r;
	}
}

/* The denied rule for the first len bytes of p, whose hash is h. */
static const struct ir_fs_rule *deny_set_find(const struct deny_set *s, size_t h,
					      enum cpb_base base, const char *p,
					      size_t len)
{
	for (h &= s->mask; s->slot[h]; h = (h + 1) & s->mask) {
		const struct ir_fs_rule *r = s->slot[h];
		if (r->base == base && strncmp(r->path, p, len) == 0 &&
		    r->path[len] == '\0')
			return r;
	}
	return NULL;
}

static void warn_shadowed(struct compile_ctx *c, const struct ir_fs_rule *r,
			  const struct ir_fs_rule *a)
{
	char buf[256];
	unsigned both = a->deny_words & r->allow_words;
	for (unsigned w = 0; w < 4; w++)
		if ((both & (1U << w)) &&
		    lower_concerns_user(r->allow_loc[w], a->deny_loc[w]))
			diag_warning(&c->diag, r->allow_loc[w],
				     "'%s' of this path never takes effect: it is "
				     "denied %s at %s (deny wins over allow)",
				     word_names[w],
				     a == r ? "for the same path" : "for a parent",
				     lower_where(a->deny_loc[w], buf, sizeof buf));
}

/* An allowed word under a denied one never takes effect: deny wins.  One
 * pass over each allowed path hashes every prefix that names a parent
 * ("", "a", "a/b" below a base; "/", "/a" for absolute paths). */
static void check_shadowed(struct compile_ctx *c, struct ir *ir)
{
	struct deny_set set;
	deny_set_init(&set, ir);
	for (size_t i = 0; set.count && i < ir->nfs; i++) {
		const struct ir_fs_rule *r = &ir->fs[i];
		if (!r->allow_words)
			continue;
		const char *p = r->path;
		size_t len = strlen(p), h = HASH_SEED ^ (size_t)r->base;
		bool root = r->base == CPB_BASE_ROOT;
		for (size_t k = 0; k <= len; k++) {
			bool parent = k == len || (root ? k == 1 || (k > 1 && p[k] == '/')
							: k == 0 || p[k] == '/');
			if (parent) {
				const struct ir_fs_rule *a = deny_set_find(&set, h, r->base, p, k);
				if (a)
					warn_shadowed(c, r, a);
			}
			if (k < len)
				h = HASH_STEP(h, p[k]);
		}
	}
	free(set.slot);
}

static void lower_fs(struct compile_ctx *c, struct ir *ir)
{
	struct fs_entry *ents = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < c->stmts.n; i++) {
		const struct stmt *s = &c->stmts.v[i];
		if (s->kind != ST_FS)
			continue;
		for (size_t j = 0; j < s->args.n; j++) {
			struct fs_entry e = {
				.deny = s->deny, .words = s->access,
				.order = (unsigned)i, .loc = &s->args.v[j].loc,
				.written = s->args.v[j].text,
			};
			if (!lower_path(c, &s->args.v[j], &e.base, &e.path, &e.dir))
				continue;
			XGROW(ents, n, cap);
			ents[n++] = e;
		}
	}
	if (n)
		qsort(ents, n, sizeof *ents, cmp_fs_entry);
	ir->fs = xcalloc(n, sizeof *ir->fs);
	for (size_t i = 0; i < n; i++) {
		struct ir_fs_rule *r = ir->nfs ? &ir->fs[ir->nfs - 1] : NULL;
		if (!r || cmp_fs_key(r, ents[i].base, ents[i].path) != 0) {
			r = &ir->fs[ir->nfs++];
			r->base = ents[i].base;
			r->path = ents[i].path;
		}
		merge_fs_entry(c, r, &ents[i]);
		r->dir |= ents[i].dir;
	}
	free(ents);
	for (size_t i = 0; i < ir->nfs; i++) {
		ir->fs[i].allow = rights_of(ir->fs[i].allow_words, true);
		ir->fs[i].deny = rights_of(ir->fs[i].deny_words, false);
	}
	check_shadowed(c, ir);
}

/* ---- environment -------------------------------------------------------- */

/* A name is an identifier ([A-Za-z_][A-Za-z0-9_]*); a pattern may also
 * hold the wildcards * and ? (glob_ok). */
static bool valid_env_name(struct compile_ctx *c, const struct item *it,
			   const char *name, size_t len, bool glob_ok)
{
	if (len == 0 || len > 255) {
		diag_error(&c->diag, &it->loc, "an environment variable name must have "
			   "1 to 255 characters");
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];
		bool wild = ch == '*' || ch == '?';
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_' ||
		    (i > 0 && ch >= '0' && ch <= '9') || (glob_ok && wild))
			continue;
		char what[48];
		if (ch >= '0' && ch <= '9')
			snprintf(what, sizeof what, "start with a digit");
		else if (ch == ' ')
			snprintf(what, sizeof what, "hold a space");
		else if (ch < ' ' || ch == 0x7f)
			snprintf(what, sizeof what, "hold a control character");
		else if (ch >= 0x80)
			snprintf(what, sizeof what, "hold a non-ASCII character");
		else
			snprintf(what, sizeof what, "hold '%c'%s", ch, wild ? " here" : "");
		diag_error(&c->diag, &it->loc,
			   "'%.*s': an environment variable name cannot %s (a name "
			   "is letters, digits and '_', not starting with a digit%s)",
			   (int)len, name, what, glob_ok ? "; a pattern may use * and ?" : "");
		return false;
	}
	return true;
}

static int cmp_env(const void *a, const void *b)
{
	const struct ir_env_rule *x = a, *y = b;
	bool xs = x->action == CPB_ENV_SET, ys = y->action == CPB_ENV_SET;
	if (xs != ys)
		return xs - ys;
	if (xs)
		return strcmp(x->pattern, y->pattern);
	if (x->glob != y->glob)
		return x->glob - y->glob;
	if (x->literals != y->literals)
		return x->literals > y->literals ? -1 : 1;
	return x->order > y->order ? -1 : x->order < y->order;
}

static int cmp_env_pattern(const void *a, const void *b)
{
	const struct ir_env_rule *x = a, *y = b;
	int c = strcmp(x->pattern, y->pattern);
	if (c)
		return c;
	bool xs = x->action == CPB_ENV_SET, ys = y->action == CPB_ENV_SET;
	if (xs != ys)
		return xs - ys;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Checks ${...} in a value: only the path variables are expanded. */
static bool check_value(struct compile_ctx *c, const struct item *it,
			const char *v, bool *expand)
{
	*expand = false;
	for (const char *p = strstr(v, "${"); p; p = strstr(p + 2, "${")) {
		const char *end = strchr(p, '}');
		size_t n = end ? (size_t)(end - p - 2) : 0;
		bool ok = false;
		for (size_t i = 0; end && i < sizeof path_vars / sizeof path_vars[0]; i++)
			if (strlen(path_vars[i].name) == n &&
			    strncmp(p + 2, path_vars[i].name, n) == 0)
				ok = true;
		if (!ok) {
			diag_error(&c->diag, &it->loc,
				   "unknown variable in value; values may use ${HOME}, "
				   "${TMPDIR} and ${WORKSPACE}");
			return false;
		}
		*expand = true;
	}
	return true;
}

static void lower_env(struct compile_ctx *c, struct ir *ir)
{
	size_t cap = 0;
	for (size_t i = 0; i < c->stmts.n; i++) {
		const struct stmt *s = &c->stmts.v[i];
		if (s->kind == ST_ENV) {
			for (size_t j = 0; j < s->args.n; j++) {
				const struct item *it = &s->args.v[j];
				if (!valid_env_name(c, it, it->text, strlen(it->text), true))
					continue;
				struct ir_env_rule r = {
					.pattern = it->text,
					.action = s->deny ? CPB_ENV_DENY : CPB_ENV_ALLOW,
					.glob = strpbrk(it->text, "*?") != NULL,
					.order = (unsigned)i, .loc = it->loc,
				};
				for (const char *p = it->text; *p; p++)
					r.literals += *p != '*' && *p != '?';
				XGROW(ir->env, ir->nenv, cap);
				ir->env[ir->nenv++] = r;
			}
		} else if (s->kind == ST_ENV_SET) {
			const struct item *it = &s->args.v[0];
			const char *eq = strchr(it->text, '=');
			if (!eq) {
				diag_error(&c->diag, &it->loc,
					   "set env needs NAME=VALUE (quote a value with "
					   "spaces: NAME=\"a b\")");
				continue;
			}
			if (s->args.n > 1 && eq[1]) {
				diag_error(&c->diag, &s->args.v[1].loc,
					   "a quoted value must follow '=' directly");
				continue;
			}
			if (!valid_env_name(c, it, it->text, (size_t)(eq - it->text), false))
				continue;
			const struct item *vi = s->args.n > 1 ? &s->args.v[1] : it;
			const char *value = s->args.n > 1 ? vi->text : eq + 1;
			if (strlen(value) >= CPB_MAX_STRING - 1) {
				diag_error(&c->diag, &vi->loc, "value is longer than %u bytes",
					   CPB_MAX_STRING - 2);
				continue;
			}
			struct ir_env_rule r = {
				.pattern = arena_strndup(&c->strings, it->text,
							 (size_t)(eq - it->text)),
				.value = value, .action = CPB_ENV_SET,
				.order = (unsigned)i, .loc = it->loc,
			};
			if (!check_value(c, vi, value, &r.expand))
				continue;
			XGROW(ir->env, ir->nenv, cap);
			ir->env[ir->nenv++] = r;
		}
	}
	/* Group by pattern: the same pattern twice means the later statement
	 * wins and the earlier one never takes effect. */
	if (ir->nenv)
		qsort(ir->env, ir->nenv, sizeof *ir->env, cmp_env_pattern);
	char buf[256];
	size_t k = 0;
	for (size_t i = 0; i < ir->nenv; i++) {
		struct ir_env_rule *a = &ir->env[i];
		struct ir_env_rule *b = i + 1 < ir->nenv ? &ir->env[i + 1] : NULL;
		if (b && strcmp(a->pattern, b->pattern) == 0 &&
		    (a->action == CPB_ENV_SET) == (b->action == CPB_ENV_SET)) {
			if (lower_concerns_user(&a->loc, &b->loc)) {
				if (a->action == b->action && a->action != CPB_ENV_SET)
					diag_warning(&c->diag, &b->loc,
						     "duplicate rule: '%s' is already %s at %s",
						     a->pattern,
						     a->action == CPB_ENV_ALLOW ? "allowed" : "denied",
						     lower_where(&a->loc, buf, sizeof buf));
				else
					diag_warning(&c->diag, &b->loc,
						     "this rule overrides the one for '%s' at %s, "
						     "which never takes effect (the later statement "
						     "wins)", a->pattern,
						     lower_where(&a->loc, buf, sizeof buf));
			}
			continue;
		}
		/* set env NAME with an exact deny env NAME: the set wins */
		if (b && a->action == CPB_ENV_DENY && !a->glob &&
		    b->action == CPB_ENV_SET && strcmp(a->pattern, b->pattern) == 0 &&
		    lower_concerns_user(&a->loc, &b->loc))
			diag_warning(&c->diag, &a->loc,
				     "contradictory: '%s' is denied here but set at %s; "
				     "the set wins", a->pattern,
				     lower_where(&b->loc, buf, sizeof buf));
		ir->env[k++] = *a;
	}
	ir->nenv = k;
	if (ir->nenv)
		qsort(ir->env, ir->nenv, sizeof *ir->env, cmp_env);
}

/* ---- network ------------------------------------------------------------ */

static int cmp_ports(const void *a, const void *b)
{
	const struct ir_ports *x = a, *y = b;
	if (x->dir != y->dir)
		return (int)x->dir - (int)y->dir;
	return (int)x->lo - (int)y->lo;
}

static bool parse_port(const char *s, uint64_t *v, const char **rest)
{
	*rest = digits(s, v);
	return *rest && *v <= 65535;
}

enum port_check { PORT_OK, PORT_SYNTAX, PORT_REVERSED, PORT_ZERO_CONNECT };

/* A port or range of a net statement (dir: NETD_*) into lo..hi. */
static enum port_check port_range(const char *s, int dir, uint64_t *lo, uint64_t *hi)
{
	const char *rest;
	*lo = *hi = 0;
	if (!parse_port(s, lo, &rest) ||
	    (*rest && (*rest != '-' || !parse_port(rest + 1, hi, &rest) || *rest)))
		return PORT_SYNTAX;
	if (!strchr(s, '-'))
		*hi = *lo;
	if (*lo > *hi)
		return PORT_REVERSED;
	return *lo == 0 && dir == NETD_CONNECT ? PORT_ZERO_CONNECT : PORT_OK;
}

/* Until a rule can name a host: `net connect tcp 443` reaches port 443 on
 * every address, this machine's and the cloud metadata service's too. */
static void note_port_not_host(struct compile_ctx *c)
{
	for (size_t i = 0; i < c->stmts.n; i++) {
		const struct stmt *s = &c->stmts.v[i];
		if (s->kind != ST_NET_PORTS || s->mode != NETD_CONNECT || !s->args.n ||
		    (s->loc.file && s->loc.file->profile))
			continue;
		const char *p = NULL;
		uint64_t lo, hi;
		for (size_t j = 0; !p && j < s->args.n; j++)
			if (port_range(s->args.v[j].text, NETD_CONNECT, &lo, &hi) == PORT_OK)
				p = s->args.v[j].text;
		if (!p)
			continue;
		diag_notice(&c->diag, &s->kw,
			    "net connect tcp names a port, not a host: it also reaches "
			    "127.0.0.1:%s, 0.0.0.0:%s and 169.254.169.254:%s (the cloud "
			    "metadata service)%s", p, p, p,
			    s->args.n > 1 ? ", and so for every port listed" : "");
	}
}

static void lower_net(struct compile_ctx *c, struct ir *ir)
{
	const struct stmt *none = NULL, *all = NULL, *grant = NULL;
	size_t cap = 0;
	char buf[256];
	for (size_t i = 0; i < c->stmts.n; i++) {
		const struct stmt *s = &c->stmts.v[i];
		if (s->kind == ST_NET_MODE) {
			if (s->mode == NET_NONE)
				none = none ? none : s;
			else if (s->mode == NET_ALL)
				all = all ? all : s, ir->net_all = true;
			else
				grant = grant ? grant : s, ir->net_unix = true;
			continue;
		}
		if (s->kind != ST_NET_PORTS)
			continue;
		grant = grant ? grant : s;
		for (size_t j = 0; j < s->args.n; j++) {
			const struct item *it = &s->args.v[j];
			uint64_t lo, hi;
			switch (port_range(it->text, s->mode, &lo, &hi)) {
			case PORT_OK:
				break;
			case PORT_SYNTAX:
				diag_error(&c->diag, &it->loc,
					   "invalid port '%s': expected a port 0-65535 or a "
					   "range like 8000-8080", it->text);
				continue;
			case PORT_REVERSED:
				diag_error(&c->diag, &it->loc,
					   "invalid port range '%s': the first port is "
					   "larger than the last", it->text);
				continue;
			case PORT_ZERO_CONNECT:
				diag_error(&c->diag, &it->loc,
					   "port 0 cannot be connected to (for bind, 0 "
					   "means any ephemeral port)");
				continue;
			}
			XGROW(ir->ports, ir->nports, cap);
			ir->ports[ir->nports++] = (struct ir_ports){
				.dir = (enum net_dir)s->mode, .lo = (uint16_t)lo,
				.hi = (uint16_t)hi, .loc = it->loc};
		}
	}
	if (ir->nports)
		qsort(ir->ports, ir->nports, sizeof *ir->ports, cmp_ports);
	size_t k = 0;
	for (size_t i = 0; i < ir->nports; i++) {
		struct ir_ports *p = &ir->ports[i];
		struct ir_ports *last = k ? &ir->ports[k - 1] : NULL;
		if (last && last->dir == p->dir && (uint32_t)p->lo <= (uint32_t)last->hi + 1) {
			if (p->lo <= last->hi && lower_concerns_user(&p->loc, &last->loc))
				diag_warning(&c->diag, &p->loc,
					     "duplicate rule: port %u is already listed at %s",
					     (unsigned)p->lo, lower_where(&last->loc, buf, sizeof buf));
			if (p->hi > last->hi)
				last->hi = p->hi;
			continue;
		}
		ir->ports[k++] = *p;
	}
	ir->nports = k;
	if (all) {
		for (size_t i = 0; i < c->stmts.n; i++) {
			const struct stmt *s = &c->stmts.v[i];
			if ((s->kind == ST_NET_PORTS || (s->kind == ST_NET_MODE && s != all &&
			     s->mode != NET_ALL)) && lower_concerns_user(&s->loc, &all->loc))
				diag_warning(&c->diag, &s->kw,
					     "this rule never takes effect: 'net all' at %s "
					     "already allows every socket",
					     lower_where(&all->loc, buf, sizeof buf));
		}
		/* no network rule at all: port rules would need the TCP port
		 * feature that `net all` does not ask for */
		ir->nports = 0;
		return;
	}
	if (none && grant && none->loc.file == grant->loc.file &&
	    lower_concerns_user(&none->loc, &grant->loc))
		diag_warning(&c->diag, &none->kw,
			     "contradictory: 'net none' here, but %s opens the network; "
			     "the grant wins ('net none' only states the default)",
			     lower_where(&grant->loc, buf, sizeof buf));
	note_port_not_host(c);
}

/* ---- limits ------------------------------------------------------------- */

static bool parse_limit(struct compile_ctx *c, int kind, const struct item *it,
			uint64_t *v)
{
	struct diag *d = &c->diag;
	const char *s = it->text;
	bool unitless;
	switch (kind) {
	case LIM_MEMORY:
	case LIM_FSIZE:
	case LIM_DISK:
		if (!parse_size(s, v)) {
			diag_error(d, &it->loc,
				   "invalid size '%s': expected a whole number with an "
				   "optional unit K, M, G or T (powers of 1024), e.g. 512M", s);
			return false;
		}
		if (kind == LIM_MEMORY && *v < (1U << 20)) {
			diag_error(d, &it->loc, "limit memory %s is too small to start a "
				   "program: the least is 1M", s);
			return false;
		}
		return true;
	case LIM_TIME:
	case LIM_CPUTIME:
		if (!parse_duration(s, v, &unitless)) {
			diag_error(d, &it->loc,
				   unitless ? "invalid duration '%s': add a unit (ms, s, m, "
					      "h or d), e.g. 30s"
					    : "invalid duration '%s': expected e.g. 500ms, "
					      "30s, 1m30s, 2h", s);
			return false;
		}
		if (*v == 0) {
			diag_error(d, &it->loc, "limit %s must be longer than 0",
				   limit_kind_name((enum limit_kind)kind));
			return false;
		}
		return true;
	case LIM_CPU:
		if (!parse_cpu(s, v) || *v == 0) {
			diag_error(d, &it->loc,
				   "invalid CPU share '%s': expected a number of CPUs "
				   "above 0 with at most 3 decimals (0.5, 2) or a "
				   "percentage of one CPU (50%%)", s);
			return false;
		}
		return true;
	default: {
		const char *rest = digits(s, v);
		uint64_t max = kind == LIM_PIDS ? 4194304 : 1048576;
		if (!rest || *rest || *v == 0 || *v > max) {
			diag_error(d, &it->loc,
				   "invalid count '%s' for limit %s: expected a whole "
				   "number from 1 to %llu", s,
				   limit_kind_name((enum limit_kind)kind),
				   (unsigned long long)max);
			return false;
		}
		return true;
	}
	}
}

/* A limit of a profile (a file read through `use`) is a default: the
 * policy's own statements (its file and what it includes) replace it, up or
 * down.  Among statements of the same rank the smallest value wins. */
static void lower_limits(struct compile_ctx *c, struct ir *ir)
{
	struct best {
		uint64_t v;
		const struct cordon_loc *loc;
	} best[2][LIM_COUNT] = {{{0, NULL}}}; /* [0] the policy's own, [1] profiles' */
	char buf[256];
	for (size_t i = 0; i < c->stmts.n; i++) {
		const struct stmt *s = &c->stmts.v[i];
		if (s->kind != ST_LIMIT)
			continue;
		uint64_t v;
		const struct item *it = &s->args.v[0];
		if (!parse_limit(c, s->mode, it, &v))
			continue;
		struct best *b = &best[it->loc.file && it->loc.file->profile][s->mode];
		if (b->loc) {
			bool keep_old = b->v <= v;
			const struct cordon_loc *loser = keep_old ? &it->loc : b->loc;
			const struct cordon_loc *winner = keep_old ? b->loc : &it->loc;
			if (loser->file && loser->file->is_main)
				diag_warning(&c->diag, loser,
					     "limit %s: this value never takes effect; the "
					     "smaller one at %s wins",
					     limit_kind_name((enum limit_kind)s->mode),
					     lower_where(winner, buf, sizeof buf));
			if (keep_old)
				continue;
		}
		*b = (struct best){v, &it->loc};
	}
	for (unsigned k = 0; k < LIM_COUNT; k++) {
		const struct best *own = &best[0][k], *dflt = &best[1][k];
		const struct best *b = own->loc ? own : dflt;
		if (!b->loc)
			continue;
		if (own->loc && dflt->loc && own->v == dflt->v && own->loc->file->is_main)
			diag_notice(&c->diag, own->loc,
				    "limit %s: the same value as the profile's default "
				    "at %s", limit_kind_name((enum limit_kind)k),
				    lower_where(dflt->loc, buf, sizeof buf));
		ir->limits_present |= 1U << k;
		ir->limit[k] = b->v;
		ir->limit_loc[k] = *b->loc;
	}
}

/* ---- syscalls ----------------------------------------------------------- */

/* Filtered by argument (sockets, ioctl, clone, personality): a policy may
 * deny them outright, never lift their filter. */
static bool arg_filtered(const char *name)
{
	static const char *const names[] = {"socket", "socketpair", "ioctl",
					    "clone", "personality"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static void unknown_syscall(struct compile_ctx *c, const struct item *it)
{
	if (seccomp_syscall_resolve_name(it->text) != __NR_SCMP_ERROR) {
		diag_error(&c->diag, &it->loc,
			   "'%s' is not a syscall on x86_64 (it exists on other "
			   "architectures)", it->text);
		return;
	}
	size_t n;
	char **names = syscall_names(&n);
	const char *guess = did_you_mean(it->text, (const char *const *)names, n);
	if (guess)
		diag_error(&c->diag, &it->loc,
			   "unknown syscall '%s' on x86_64; did you mean '%s'?",
			   it->text, guess);
	else
		diag_error(&c->diag, &it->loc, "unknown syscall '%s' on x86_64",
			   it->text);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void lower_syscalls(struct compile_ctx *c, struct ir *ir)
{
	static const char *const action_names[] = {"", "allowed", "denied", "killed"};
	char buf[256];
	for (size_t i = 0; i < c->stmts.n; i++) {
		const struct stmt *s = &c->stmts.v[i];
		if (s->kind != ST_SYSCALL)
			continue;
		for (size_t j = 0; j < s->args.n; j++) {
			const struct item *it = &s->args.v[j];
			int nr = syscall_number(it->text);
			if (nr < 0) {
				unknown_syscall(c, it);
				continue;
			}
			if (s->mode == SYS_ALLOW && strcmp(it->text, "clone3") == 0) {
				diag_error(&c->diag, &it->loc,
					   "'clone3' cannot be allowed: its flags are out of "
					   "seccomp's reach, so the program could create "
					   "namespaces; programs fall back to clone");
				continue;
			}
			if (s->mode == SYS_ALLOW && arg_filtered(it->text)) {
				diag_error(&c->diag, &it->loc,
					   "'%s' is filtered by its arguments and cannot be "
					   "allowed outright%s", it->text,
					   strncmp(it->text, "socket", 6) == 0
						   ? "; use net statements for sockets" : "");
				continue;
			}
			if (s->mode != SYS_ALLOW && (strcmp(it->text, "execve") == 0 ||
						     strcmp(it->text, "exit_group") == 0)) {
				diag_error(&c->diag, &it->loc,
					   "'%s' cannot be denied: cordon needs it to start "
					   "and end the command", it->text);
				continue;
			}
			/* (limits come first: under limit disk, seccomp_gen.c
			 * denies fallocate) */
			bool disk_denies = (ir->limits_present & (1U << LIM_DISK)) &&
					   strcmp(it->text, "fallocate") == 0;
			if (s->mode == SYS_ALLOW && !in_default_deny(nr) && !disk_denies &&
			    lower_concerns_user(&it->loc, NULL))
				diag_warning(&c->diag, &it->loc,
					     "'%s' is not denied by default: this rule never "
					     "takes effect", it->text);
			struct ir_syscall *sc = &ir->sys[nr];
			if (sc->action) {
				const struct cordon_loc *old = &sc->loc;
				if (lower_concerns_user(&it->loc, old)) {
					if (sc->action == (enum sys_action)s->mode)
						diag_warning(&c->diag, &it->loc,
							     "duplicate rule: '%s' is already %s at %s",
							     it->text, action_names[sc->action],
							     lower_where(old, buf, sizeof buf));
					else
						diag_warning(&c->diag, &it->loc,
							     "contradictory: '%s' is %s at %s; the "
							     "stronger action wins (kill > deny > allow)",
							     it->text, action_names[sc->action],
							     lower_where(old, buf, sizeof buf));
				}
				if (sc->action >= (enum sys_action)s->mode)
					continue;
			}
			sc->action = (enum sys_action)s->mode;
			sc->loc = it->loc;
		}
	}
}

/* ---- what the kernel must provide --------------------------------------- */

static void lower_landlock(struct compile_ctx *c, struct ir *ir)
{
	const struct stmt *strict = NULL, *lax = NULL;
	for (size_t i = 0; i < c->stmts.n; i++) {
		const struct stmt *s = &c->stmts.v[i];
		if (s->kind == ST_ENFORCE && s->mode)
			lax = lax ? lax : s;
		else if (s->kind == ST_ENFORCE)
			strict = strict ? strict : s;
	}
	if (strict && lax && lower_concerns_user(&strict->loc, &lax->loc)) {
		char buf[256];
		diag_warning(&c->diag, &lax->kw,
			     "contradictory: 'enforce strict' at %s wins over this "
			     "statement", lower_where(&strict->loc, buf, sizeof buf));
	}
	ir->best_effort = lax && !strict;

	ir->handled_fs = CORDON_LL_FS_ALL;
	ir->features = CPB_FEAT_FS | CPB_FEAT_TRUNCATE | CPB_FEAT_IOCTL_DEV |
		       CPB_FEAT_SCOPE_SIGNAL;
	ir->scoped = CORDON_LL_SCOPE_SIGNAL;
	if (!ir->net_all) {
		ir->handled_net = CORDON_LL_NET_BIND_TCP | CORDON_LL_NET_CONNECT_TCP |
				  CORDON_LL_NET_BIND_UDP | CORDON_LL_NET_CONNECT_SEND_UDP;
		ir->scoped |= CORDON_LL_SCOPE_ABSTRACT_UNIX_SOCKET;
		if (ir->nports)
			ir->features |= CPB_FEAT_NET_TCP;
		if (ir->net_unix)
			ir->features |= CPB_FEAT_SCOPE_ABSTRACT_UNIX | CPB_FEAT_RESOLVE_UNIX;
	}
	ir->landlock_abi = cpb_features_abi(ir->features);
	ir->arch = CPB_ARCH_X86_64;
}

bool lower(struct compile_ctx *c, struct ir *ir)
{
	int before = c->diag.errors;
	*ir = (struct ir){0};
	if (c->diag.stopped)
		return false; /* too many errors already */
	lower_fs(c, ir);
	lower_env(c, ir);
	lower_net(c, ir);
	lower_limits(c, ir);
	lower_syscalls(c, ir);
	lower_protect(c, ir);
	lower_landlock(c, ir);
	return c->diag.errors == before;
}

void ir_free(struct ir *ir)
{
	/* paths, patterns and values live in the compile context's arena */
	free(ir->fs);
	free(ir->env);
	free(ir->ports);
	free(ir->prot);
	*ir = (struct ir){0};
}
