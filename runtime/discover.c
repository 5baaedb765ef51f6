/* The user's policy and the repository's .cordon (see discover.h). */
#include "discover.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int user_policy(const struct home *h, char *out, size_t len, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(out, len, "%s/cordon/user.cordon", xdg);
	else if (h->dir[0])
		n = snprintf(out, len, "%s/.config/cordon/user.cordon", h->dir);
	else
		return 0;
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "the user policy's path is too long");
		return -1;
	}
	struct stat st;
	if (stat(out, &st) == 0)
		return 1;
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	snprintf(err, errlen, "cannot tell whether the user policy %s exists: %s", out,
		 strerror(errno));
	return -1;
}

int dot_cordon_check(const struct stat *st, const char *path, char *err, size_t errlen)
{
	const char *why = NULL, *fix = "";
	char buf[64];
	uid_t me = geteuid();
	if (S_ISLNK(st->st_mode)) {
		why = "is a symbolic link (a repository's link may point at any file)";
		fix = "replace it with the file it points to, or pass that file with -p";
	} else if (!S_ISREG(st->st_mode)) {
		why = "is not a regular file";
		fix = "remove it, or pass a policy with -p";
	} else if (st->st_uid != me && st->st_uid != 0) {
		snprintf(buf, sizeof buf, "is owned by uid %u, neither you nor root",
			 (unsigned)st->st_uid);
		why = buf;
		fix = "if you trust it, chown it to yourself, or pass it with -p";
	} else if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		why = "is writable by others than its owner";
		fix = "chmod go-w it, if you trust its content";
	}
	if (!why)
		return 0;
	snprintf(err, errlen, "%s %s: cordon does not use it as the repository's policy; %s",
		 path, why, fix);
	return -1;
}

/* A directory others may change: writable by group or others, or owned by
 * neither the caller nor root.  Nothing found in it or above it can be
 * trusted to be the repository's. */
static bool others_can_write(const struct stat *st)
{
	return (st->st_mode & (S_IWGRP | S_IWOTH)) ||
	       (st->st_uid != geteuid() && st->st_uid != 0);
}

static bool same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static bool is_home(const struct home *h, const struct stat *st)
{
	struct stat hs;
	return (h->dir[0] && stat(h->dir, &hs) == 0 && same(&hs, st)) ||
	       (h->pw[0] && stat(h->pw, &hs) == 0 && same(&hs, st));
}

/* One step up from fd (dir its path, edited in place): the parent's fd, or
 * -1 when the search stops here: dir is the root, a mount point (a
 * filesystem boundary), home, or the repository's root. */
static int up(int fd, const struct stat *st, char *dir, const struct home *h)
{
	struct stat gs, ps;
	if (fstatat(fd, ".git", &gs, AT_SYMLINK_NOFOLLOW) == 0 || is_home(h, st))
		return -1;
	int pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	if (fstat(pfd, &ps) != 0 || same(&ps, st) || ps.st_dev != st->st_dev) {
		close(pfd);
		return -1;
	}
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';
	return pfd;
}

/* Walks up from fd (dir its path, edited in place) within the bounds
 * above, calling visit on each directory until it returns nonzero (1: done,
 * -1: failed), which walk_up returns; 0 when the walk ends first (note then
 * says so when it was at a directory others can write). */
static int walk_up(int fd, char *dir, const struct home *h,
		   int (*visit)(int fd, const char *dir, void *ctx), void *ctx, char *note,
		   size_t notelen)
{
	int rc = 0;
	fd = openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (int depth = 0; fd >= 0 && depth < 256 && !rc; depth++) {
		struct stat st;
		if (fstat(fd, &st) != 0)
			break;
		if (others_can_write(&st)) {
			if (note)
				snprintf(note, notelen, "%s is writable by others or owned by another "
					 "user, so no .cordon in it or above it is used", dir);
			break;
		}
		rc = visit(fd, dir, ctx);
		if (!rc) {
			int pfd = up(fd, &st, dir, h);
			close(fd);
			fd = pfd;
		}
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The repository's root: the nearest directory holding .git. */
static int has_git(int fd, const char *dir, void *root)
{
	struct stat gs;
	if (fstatat(fd, ".git", &gs, AT_SYMLINK_NOFOLLOW) != 0)
		return 0;
	snprintf(root, PATH_MAX, "%s", dir);
	return 1;
}

struct search {
	const struct home *h;
	char *path, *root, *err;
	size_t len, errlen;
	struct layer_inputs *looked;
};

/* A .cordon here: found (checked), or looked for in vain. */
static int has_cordon(int fd, const char *dir, void *ctx)
{
	struct search *s = ctx;
	struct stat cs;
	snprintf(s->path, s->len, "%s/.cordon", strcmp(dir, "/") ? dir : "");
	if (fstatat(fd, ".cordon", &cs, AT_SYMLINK_NOFOLLOW) != 0) {
		if (layer_inputs_add_absent(s->looked, s->path) == 0)
			return 0;
		snprintf(s->err, s->errlen, "out of memory");
		return -1;
	}
	if (dot_cordon_check(&cs, s->path, s->err, s->errlen) != 0)
		return -1;
	/* the repository's root, from here up (else here) */
	char d[PATH_MAX];
	snprintf(d, sizeof d, "%s", dir);
	snprintf(s->root, PATH_MAX, "%s", dir);
	walk_up(fd, d, s->h, has_git, s->root, NULL, 0);
	return 1;
}

int discover_policy(const struct home *h, char *path, size_t len, char *root, size_t rootlen,
		    char *err, size_t errlen, struct layer_inputs *looked)
{
	char dir[PATH_MAX];
	err[0] = '\0';
	if (rootlen < PATH_MAX || !getcwd(dir, sizeof dir))
		return 0; /* no working directory (removed): nothing to discover */
	struct search s = {h, path, root, err, len, errlen, looked};
	return walk_up(AT_FDCWD, dir, h, has_cordon, &s, err, errlen);
}
