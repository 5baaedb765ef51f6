/* The per-run private temporary directory (see private_tmp.h). */
#include "private_tmp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ptmp_create(const char *parent, char *out, size_t len)
{
	if ((size_t)snprintf(out, len, "%s/cordon-%d-XXXXXX", parent, (int)getpid()) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return mkdtemp(out) ? 0 : -1;
}

/* Empties the directory open at fd (which it closes); depth-limited so a
 * hostile tree cannot exhaust the stack or fds. */
static int empty_dir(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			continue;
		if (errno != EISDIR && errno != EPERM) {
			rc = -1;
			continue;
		}
		/* a directory: O_NOFOLLOW, so a link planted in its place is not
		 * followed out of the tree */
		int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
							  O_CLOEXEC);
		if (sub >= 0 && depth > 64) {
			close(sub);
			sub = -1;
		}
		if (sub < 0 || empty_dir(sub, depth + 1) < 0 ||
		    unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int ptmp_remove_entry(int dirfd, const char *name)
{
	if (unlinkat(dirfd, name, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	empty_dir(fd, 0);
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}

int ptmp_remove(const char *dir)
{
	int fd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	empty_dir(fd, 0);
	if (rmdir(dir) == 0)
		return 0;
	/* readdir may skip entries removed under it: one more pass */
	fd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		empty_dir(fd, 0);
	return rmdir(dir) == 0 ? 0 : -1;
}
