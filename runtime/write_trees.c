/* Where the command may change things, by inode (see write_trees.h). */
#include "write_trees.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "landlock_abi.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* A rule that lets the command write beneath its path: lower.c's `write`
 * always carries write_file. */
#define WT_WRITE CORDON_LL_FS_WRITE_FILE
/* A deny that takes reading or any right of `write`: the namespace layer
 * covers the first with an empty mount, makes the second read-only. */
#define WT_DENY                                                                 \
	(CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR | CORDON_LL_FS_WRITE_FILE | \
	 CORDON_LL_FS_TRUNCATE | CORDON_LL_FS_REMOVE_DIR | CORDON_LL_FS_REMOVE_FILE | \
	 CORDON_LL_FS_MAKE_DIR | CORDON_LL_FS_MAKE_REG | CORDON_LL_FS_MAKE_SYM |   \
	 CORDON_LL_FS_REFER)

static int add_root(struct wt_root **v, size_t *n, int fd, unsigned layer)
{
	struct stat st;
	if (*n >= WT_MAX_ROOTS || fstat(fd, &st) != 0) {
		close(fd);
		errno = *n >= WT_MAX_ROOTS ? E2BIG : errno;
		return -1;
	}
	struct wt_root *g = realloc(*v, (*n + 1) * sizeof **v);
	if (!g) {
		close(fd);
		return -1;
	}
	*v = g;
	g[(*n)++] = (struct wt_root){st.st_dev, st.st_ino, fd, layer, WT_UNKNOWN};
	return 0;
}

int wt_plan(struct write_trees *t, const struct cpb_policy *const *layers, unsigned nlayers,
	    const struct ll_paths *paths, char *err, size_t errlen)
{
	*t = (struct write_trees){.nlayers = nlayers};
	for (unsigned l = 0; l < nlayers; l++) {
		const struct cpb_policy *p = layers[l];
		for (size_t i = 0; i < p->nfs; i++) {
			const struct cpb_fs_rule *r = &p->fs[i];
			bool deny = r->deny & p->handled_fs & WT_DENY;
			bool write = !deny && (r->allow & p->handled_fs & WT_WRITE);
			char path[PATH_MAX];
			if (!deny && !write)
				continue;
			if (ll_rule_path(r, paths, path, sizeof path) != 0)
				continue; /* an unset base: Landlock has nothing there either */
			int fd = openat(AT_FDCWD, path, O_PATH | O_CLOEXEC);
			if (fd < 0)
				continue; /* not there: no root, as for Landlock */
			if (add_root(deny ? &t->deny : &t->allow, deny ? &t->ndeny : &t->nallow,
				     fd, l) != 0) {
				snprintf(err, errlen, "cannot hold %s for the metadata checks: %s",
					 path, strerror(errno));
				wt_free(t);
				return -1;
			}
		}
	}
	return 0;
}

void wt_free(struct write_trees *t)
{
	for (size_t i = 0; i < t->nallow; i++)
		close(t->allow[i].fd);
	for (size_t i = 0; i < t->ndeny; i++)
		close(t->deny[i].fd);
	free(t->allow);
	free(t->deny);
	*t = (struct write_trees){0};
}

static bool is(const struct wt_root *r, const struct stat *st)
{
	return r->dev == st->st_dev && r->ino == st->st_ino;
}

/* Meets st: true when it is a denied root; else marks the layers whose
 * writable root it is in *seen, and *last is the last such root. */
static bool meet(const struct write_trees *t, const struct stat *st, uint64_t *seen,
		 struct wt_root **last)
{
	for (size_t i = 0; i < t->ndeny; i++)
		if (is(&t->deny[i], st))
			return true;
	for (size_t i = 0; i < t->nallow; i++)
		if (is(&t->allow[i], st)) {
			*seen |= 1ULL << (t->allow[i].layer % 64);
			*last = &t->allow[i];
		}
	return false;
}

/* The directory that holds the non-directory of fd (st) under the name the
 * kernel shows for it, checked to hold that very inode: an O_PATH fd, or
 * -1 when there is none to be found (*nowhere: no path reaches it). */
static int holder(int fd, const struct stat *st, bool *nowhere)
{
	char link[64], path[PATH_MAX + 1];
	*nowhere = false;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n <= 0 || n >= (ssize_t)sizeof path - 1)
		return -1;
	path[n] = '\0';
	if (path[0] != '/' || st->st_nlink == 0) {
		/* pipe:[...], socket:[...], anon_inode:..., a memfd, an
		 * unlinked or O_TMPFILE file: no path leads to it */
		*nowhere = true;
		return -1;
	}
	char *slash = strrchr(path, '/'), base[NAME_MAX + 1];
	if (strlen(slash + 1) > NAME_MAX)
		return -1;
	strcpy(base, slash + 1);
	slash[slash == path] = '\0'; /* "/name": the directory is "/" */
	int dir = openat(AT_FDCWD, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat at;
	if (dir >= 0 && base[0] && fstatat(dir, base, &at, AT_SYMLINK_NOFOLLOW) == 0 &&
	    at.st_dev == st->st_dev && at.st_ino == st->st_ino)
		return dir;
	if (dir >= 0)
		close(dir);
	return -1;
}

int wt_contains(struct write_trees *t, int fd, const struct stat *given)
{
	struct stat st;
	struct statfs sf;
	if (given)
		st = *given;
	else if (fstat(fd, &st) != 0)
		return 0;
	if (fstatfs(fd, &sf) != 0 || sf.f_type == PROC_SUPER_MAGIC || t->nlayers == 0)
		return 0;
	uint64_t seen = 0, all = t->nlayers >= 64 ? ~0ULL : (1ULL << t->nlayers) - 1;
	struct wt_root *last = NULL, *top = NULL;
	int cur = fd;
	if (!S_ISDIR(st.st_mode)) {
		bool nowhere;
		if (meet(t, &st, &seen, &last))
			return 0;
		if ((cur = holder(fd, &st, &nowhere)) < 0)
			return nowhere;
		if (fstat(cur, &st) != 0) {
			close(cur);
			return 0;
		}
	}
	/* up to the root: a deny above a writable root still wins, so a walk
	 * that cannot go on (a directory on the way that may not be searched)
	 * says "outside".  What lies above a writable root is the same for
	 * every object beneath it: once every layer's root is met, the answer
	 * the first walk from there found is the answer (top->above). */
	enum { STUCK, TOP, DENIED, KNOWN } end = STUCK;
	struct stat prev = {0};
	for (int depth = 0; depth < PATH_MAX / 2; depth++) {
		if (depth && st.st_dev == prev.st_dev && st.st_ino == prev.st_ino) {
			end = TOP; /* the root is its own parent */
			break;
		}
		if (meet(t, &st, &seen, &last)) {
			end = DENIED;
			break;
		}
		if ((seen & all) == all && !top && (top = last)->above) {
			end = KNOWN;
			break;
		}
		prev = st;
		int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cur != fd)
			close(cur);
		cur = up;
		if (cur < 0 || fstat(cur, &st) != 0)
			break;
	}
	if (cur >= 0 && cur != fd)
		close(cur);
	if (end == KNOWN)
		return top->above == WT_CLEAR;
	if (top && (end == TOP || end == DENIED))
		top->above = end == TOP ? WT_CLEAR : WT_DENIED;
	return end == TOP && (seen & all) == all;
}
