/* The per-run private temporary directory (see private_tmp.h). */
#include "private_tmp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ptmp_create(struct ptmp *t, const char *parent, so_judge judge, void *ctx, char *bad,
		size_t badlen)
{
	*t = (struct ptmp){.parent_fd = -1};
	int pfd = so_open_dir(parent, judge, ctx, bad, badlen);
	if (pfd < 0)
		return -1;
	for (int tries = 0; tries < 100; tries++) {
		char rnd[7];
		so_random_name(rnd, sizeof rnd);
		snprintf(t->name, sizeof t->name, "cordon-%d-%s", (int)getpid(), rnd);
		if (mkdirat(pfd, t->name, 0700) == 0)
			break;
		if (errno != EEXIST || tries == 99) {
			int e = errno;
			close(pfd);
			errno = e;
			return -1;
		}
	}
	struct stat st;
	if (fstatat(pfd, t->name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    (size_t)snprintf(t->path, sizeof t->path, "%s/%s", parent, t->name) >= sizeof t->path) {
		int e = errno;
		unlinkat(pfd, t->name, AT_REMOVEDIR);
		close(pfd);
		t->path[0] = '\0';
		errno = e ? e : ENAMETOOLONG;
		return -1;
	}
	t->parent_fd = pfd;
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	return 0;
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

/* The directory made, if it is still there under its name (opened). */
static int reopen(const struct ptmp *t)
{
	int fd = openat(t->parent_fd, t->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) != 0 || st.st_dev != t->dev || st.st_ino != t->ino)) {
		close(fd);
		errno = EEXIST; /* something else took its name */
		return -1;
	}
	return fd;
}

int ptmp_remove(struct ptmp *t)
{
	if (t->parent_fd < 0)
		return 0;
	int fd = reopen(t), rc = 0;
	if (fd < 0) {
		rc = errno == ENOENT ? 0 : -1;
	} else {
		empty_dir(fd, 0);
		if (unlinkat(t->parent_fd, t->name, AT_REMOVEDIR) != 0) {
			/* readdir may skip entries removed under it: one more pass */
			fd = reopen(t);
			if (fd >= 0)
				empty_dir(fd, 0);
			rc = unlinkat(t->parent_fd, t->name, AT_REMOVEDIR);
		}
	}
	int e = errno;
	close(t->parent_fd);
	t->parent_fd = -1;
	errno = e;
	return rc;
}
