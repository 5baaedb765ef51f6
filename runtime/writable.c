/* Which directories a policy lets the command change (see writable.h). */
#include "writable.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "landlock_abi.h"

void changeable_dirs(const struct cpb_policy *p, const struct ll_paths *paths,
		     struct changeable *c)
{
	uint64_t change = p->handled_fs & ~(CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR |
					   CORDON_LL_FS_EXECUTE);
	c->n = 0;
	c->unknown = false;
	for (size_t i = 0; i < p->nfs; i++) {
		const struct cpb_fs_rule *r = &p->fs[i];
		char path[PATH_MAX];
		if (!(r->allow & change))
			continue;
		if (ll_rule_path(r, paths, path, sizeof path) != 0) {
			c->unknown |= errno == ENAMETOOLONG; /* cannot tell: protect */
			continue;
		}
		struct stat st;
		if (stat(path, &st) != 0 || c->n == WRITABLE_MAX)
			c->unknown = true;
		else if (S_ISDIR(st.st_mode))
			c->st[c->n++] = st;
	}
}

bool changeable_contains_fd(const struct changeable *c, int dirfd)
{
	if (c->unknown)
		return true;
	int fd = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st, prev = {0};
	bool hit = fd < 0; /* cannot tell: protect it */
	for (size_t depth = 0; !hit && fd >= 0 && depth < 256 && fstat(fd, &st) == 0; depth++) {
		if (depth && st.st_dev == prev.st_dev && st.st_ino == prev.st_ino)
			break; /* the root is its own parent */
		for (size_t k = 0; k < c->n && !hit; k++)
			hit = st.st_dev == c->st[k].st_dev && st.st_ino == c->st[k].st_ino;
		prev = st;
		int up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = up;
	}
	if (fd >= 0)
		close(fd);
	return hit;
}

bool changeable_contains(const struct changeable *c, const char *dir)
{
	if (c->unknown)
		return true;
	int fd = openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return true;
	bool hit = changeable_contains_fd(c, fd);
	close(fd);
	return hit;
}
