/* ${TMPDIR} of a policy is a private directory per run: made before the
 * sandbox is built (so the Landlock rules name it), exported to the command
 * as TMPDIR, and removed with everything in it after the run.  Nothing the
 * command leaves there outlives it, and it sees nothing of the shared /tmp
 * (other programs' files and sockets) unless the policy names /tmp itself.
 *
 * It is made with mkdirat from its parent's fd, opened once (each symbolic
 * link on the way judged by where it lies), and removed through the same
 * fd, never following a link the command left in it or put in its place. */
#ifndef CORDON_PRIVATE_TMP_H
#define CORDON_PRIVATE_TMP_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "safe_open.h"

struct ptmp {
	char path[PATH_MAX]; /* parent/cordon-<pid>-XXXXXX; "" before it is made */
	int parent_fd;       /* its parent, -1 before */
	char name[64];
	dev_t dev;           /* what was made there */
	ino_t ino;
};

/* Makes the directory (mode 0700) under parent.  0, or -1 with errno
 * (EPERM: a link on the way that judge refused; its path in bad). */
int ptmp_create(struct ptmp *t, const char *parent, so_judge judge, void *ctx, char *bad,
		size_t badlen);

/* Removes it and everything in it, never following a symbolic link out of
 * it.  -1 with errno when something could not be removed. */
int ptmp_remove(struct ptmp *t);

/* Removes the entry name of the directory open at dirfd, and everything in
 * it when it is a directory, never following a symbolic link.  -1 with
 * errno when it could not be removed. */
int ptmp_remove_entry(int dirfd, const char *name);

#endif
