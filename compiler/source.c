/* Loads policy files: the main file, `include "FILE"` (relative to the
 * including file), `use NAME` (NAME.cordon on the search path), include-once
 * by inode, cycle detection, and the compile context's lifetime. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "source_open.h"
#include "xalloc.h"

void compile_init(struct compile_ctx *c, FILE *diag_out)
{
	*c = (struct compile_ctx){.diag = {.out = diag_out}, .untrusted = {.fd = -1}};
}

bool compile_set_untrusted(struct compile_ctx *c, const char *root)
{
	int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *real = fd >= 0 ? realpath(root, NULL) : NULL;
	if (!real) {
		diag_plain_error(&c->diag, "--untrusted %s: %s (the repository's root "
				 "directory)", root, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	c->untrusted.root = src_lexical_abs(root);
	c->untrusted.root_real = real;
	c->untrusted.fd = fd;
	return true;
}

void compile_free(struct compile_ctx *c)
{
	diag_flush(&c->diag);
	for (size_t i = 0; i < c->nfiles; i++) {
		free(c->files[i]->name);
		free(c->files[i]->path);
		free(c->files[i]->dir);
		free(c->files[i]->text);
		free(c->files[i]->lines);
		free(c->files[i]);
	}
	free(c->files);
	for (size_t i = 0; i < c->nsearch; i++)
		free(c->search[i]);
	free(c->search);
	for (size_t i = 0; i < c->nabsent; i++)
		free(c->absent[i]);
	free(c->absent);
	stmts_free(&c->stmts);
	arena_free(&c->strings);
	free(c->untrusted.root);
	free(c->untrusted.root_real);
	if (c->untrusted.fd >= 0)
		close(c->untrusted.fd);
}

void compile_add_search_dir(struct compile_ctx *c, const char *dir)
{
	if (!dir || !*dir)
		return;
	XGROW(c->search, c->nsearch, c->search_cap);
	c->search[c->nsearch++] = xstrdup(dir);
}

void compile_add_stmt(struct compile_ctx *c, struct stmt *s)
{
	stmts_push(&c->stmts, s);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static struct src_file *find_loaded(struct compile_ctx *c, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (c->files[i]->dev == dev && c->files[i]->ino == ino)
			return c->files[i];
	return NULL;
}

/* Notes the include chain that led to f, innermost first. */
static void note_chain(struct compile_ctx *c, const struct src_file *f)
{
	for (; f && f->parent; f = f->parent)
		diag_note(&c->diag, &f->included_at, "'%s' was included from here",
			  f->name);
}

/* Opens, reads and parses one file.  at: where it was named (NULL for the
 * main file); profile: it is read through `use`, or included by a file
 * that was.  Returns false only on errors. */
static bool load(struct compile_ctx *c, const char *path, const char *shown,
		 const struct cordon_loc *at, const struct src_file *parent,
		 bool profile)
{
	int fd;
	bool is_stdin = !at && strcmp(path, "-") == 0;
	struct stat st;
	if (is_stdin && c->untrusted.root) {
		diag_plain_error(&c->diag, "--untrusted needs the policy's file, not "
				 "standard input");
		return false;
	}
	if (is_stdin) {
		fd = dup(0);
		if (fd < 0 || fstat(fd, &st) < 0) {
			diag_plain_error(&c->diag, "cannot read standard input: %s",
					 strerror(errno));
			if (fd >= 0)
				close(fd);
			return false;
		}
	} else {
		fd = src_open(c, path, !at, !profile, at, &st);
		if (fd < 0)
			return false;
	}
	struct src_file *seen = is_stdin ? NULL : find_loaded(c, st.st_dev, st.st_ino);
	if (seen) {
		close(fd);
		if (!seen->active)
			return true; /* already loaded: include-once */
		diag_error(&c->diag, at, "include cycle: '%s' includes itself", shown);
		note_chain(c, parent);
		return false;
	}
	size_t len = 0;
	char *text = src_read(c, fd, &st, is_stdin ? "<stdin>" : path, at, &len);
	close(fd);
	if (!text)
		return false;
	struct src_file *f = xcalloc(1, sizeof *f);
	f->name = xstrdup(is_stdin ? "<stdin>" : shown);
	f->dir = is_stdin ? xstrdup(".") : dir_of(path);
	f->path = is_stdin ? NULL : xstrdup(path);
	f->text = text;
	f->len = len;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->parent = parent;
	if (at)
		f->included_at = *at;
	f->is_main = !at;
	f->profile = profile;
	f->index = (unsigned)c->nfiles;
	XGROW(c->files, c->nfiles, c->files_cap);
	c->files[c->nfiles++] = f;

	if (!src_check_text(c, f))
		return false;
	f->active = true;
	c->depth++;
	bool ok = parse_file(c, f);
	c->depth--;
	f->active = false;
	return ok;
}

bool compile_parse_main(struct compile_ctx *c, const char *path)
{
	int before = c->diag.errors;
	load(c, path, path, NULL, NULL, false);
	return c->diag.errors == before;
}

static const struct src_file *current_file(const struct cordon_loc *at)
{
	return at->file;
}

static bool depth_ok(struct compile_ctx *c, const struct cordon_loc *at)
{
	if (c->depth < CORDON_MAX_INCLUDE_DEPTH)
		return true;
	diag_error(&c->diag, at, "includes nest more than %d deep",
		   CORDON_MAX_INCLUDE_DEPTH);
	note_chain(c, current_file(at));
	return false;
}

void compile_include(struct compile_ctx *c, const struct item *file)
{
	const struct src_file *cur = current_file(&file->loc);
	if (c->diag.stopped)
		return;
	if (!file->text[0]) {
		diag_error(&c->diag, &file->loc, "include needs a file name");
		return;
	}
	if (!depth_ok(c, &file->loc))
		return;
	char *path = file->text[0] == '/' ? xstrdup(file->text)
					  : xasprintf("%s/%s", cur->dir, file->text);
	char *shown = file->text[0] == '/' || strcmp(cur->dir, ".") == 0
			      ? xstrdup(file->text) : xstrdup(path);
	load(c, path, shown, &file->loc, cur, cur->profile);
	free(path);
	free(shown);
}

static bool valid_profile_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

char **compile_list_profiles(const struct compile_ctx *c, size_t *n)
{
	char **names = NULL;
	size_t cnt = 0, cap = 0;
	for (size_t i = 0; i < c->nsearch; i++) {
		DIR *d = opendir(c->search[i]);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			size_t l = strlen(de->d_name);
			if (l > 7 && strcmp(de->d_name + l - 7, ".cordon") == 0) {
				XGROW(names, cnt, cap);
				names[cnt++] = xstrndup(de->d_name, l - 7);
			}
		}
		closedir(d);
	}
	*n = cnt;
	return names;
}

void compile_use(struct compile_ctx *c, const struct item *name)
{
	const struct src_file *cur = current_file(&name->loc);
	if (c->diag.stopped)
		return;
	if (!valid_profile_name(name->text)) {
		diag_error(&c->diag, &name->loc,
			   "'%s' is not a profile name (lower-case letters, digits, '-' "
			   "and '_'); to read a file, write include \"%s\";",
			   name->text, name->text);
		return;
	}
	if (!depth_ok(c, &name->loc))
		return;
	for (size_t i = 0; i < c->nsearch; i++) {
		char *path = xasprintf("%s/%s.cordon", c->search[i], name->text);
		if (access(path, F_OK) == 0) {
			load(c, path, path, &name->loc, cur, true);
			free(path);
			return;
		}
		XGROW(c->absent, c->nabsent, c->absent_cap);
		c->absent[c->nabsent++] = path;
	}
	size_t n = 0;
	char **names = compile_list_profiles(c, &n);
	const char *guess = did_you_mean(name->text, (const char *const *)names, n);
	if (guess)
		diag_error(&c->diag, &name->loc, "unknown profile '%s'; did you mean '%s'?",
			   name->text, guess);
	else
		diag_error(&c->diag, &name->loc, "unknown profile '%s'", name->text);
	if (c->nsearch == 0) {
		diag_note(&c->diag, NULL,
			  "the profile search path is empty: pass -I DIR or set CORDON_PATH");
	} else {
		size_t len = 0;
		for (size_t i = 0; i < c->nsearch; i++)
			len += strlen(c->search[i]) + 1;
		char *list = xmalloc(len + 1), *p = list;
		for (size_t i = 0; i < c->nsearch; i++)
			p += sprintf(p, "%s%s", i ? ":" : "", c->search[i]);
		diag_note(&c->diag, NULL,
			  "looked for %s.cordon in %s (add a directory with -I DIR or "
			  "CORDON_PATH)", name->text, list);
		free(list);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
