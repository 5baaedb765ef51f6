/* The files open as the command's standard streams (std_fds.h).
 *
 * A command may already read fd 0 and write fds 1 and 2, whatever file the
 * caller put there: `cmd >/var/log/x` gives it that file.  Programs also
 * reach them by name, `echo error >/dev/stderr` or `jq . /dev/stdin`:
 * /dev/stderr is a link to /proc/self/fd/2, which the kernel resolves to the
 * file itself, and Landlock then checks that file as if it were opened by its
 * path, outside the grants.  A rule on the file's own inode, with the rights
 * the open mode gives, restores that and gives nothing more: reading and
 * writing it through the descriptor, from any offset, truncating it
 * (ftruncate) and dropping O_APPEND (fcntl) are possible already.  The rule
 * is on the inode, not the directory: nothing beside the file is reachable.
 * A `deny` of the policy that covers the file still wins (landlock.c grants
 * through the same path as every rule). */
#include "std_fds.h"

#include "landlock_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The kernel's name of fd, when it still names the same file. */
static char *name_of(int fd)
{
	char link[64], buf[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof buf - 1);
	if (n <= 0 || buf[0] != '/')
		return NULL;
	buf[n] = '\0';
	struct stat a, b;
	if (fstat(fd, &a) != 0 || stat(buf, &b) != 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return NULL;
	return strdup(buf);
}

int std_fds_open(uint64_t handled, struct std_fd out[3])
{
	int n = 0;
	for (int which = 0; which < 3; which++) {
		int fl = fcntl(which, F_GETFL);
		struct stat st;
		if (fl < 0 || fstat(which, &st) != 0 || (fl & O_PATH) ||
		    !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
			continue;
		int acc = fl & O_ACCMODE;
		uint64_t r = 0;
		if (acc == O_RDONLY || acc == O_RDWR)
			r |= CORDON_LL_FS_READ_FILE;
		if (acc == O_WRONLY || acc == O_RDWR)
			r |= CORDON_LL_FS_WRITE_FILE | CORDON_LL_FS_TRUNCATE;
		r &= handled;
		if (!r)
			continue;
		/* the file itself, not the descriptor: reopening the magic link
		 * with O_PATH gives the inode without its open mode */
		char link[64];
		snprintf(link, sizeof link, "/proc/self/fd/%d", which);
		int fd = openat(AT_FDCWD, link, O_PATH | O_CLOEXEC);
		if (fd < 0)
			continue; /* no /proc: nothing to reopen it through either */
		out[n] = (struct std_fd){.fd = fd, .rights = r, .canon = name_of(fd)};
		n++;
	}
	return n;
}

void std_fds_close(struct std_fd *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i].fd >= 0)
			close(s[i].fd);
		free(s[i].canon);
		s[i].fd = -1;
		s[i].canon = NULL;
	}
}
