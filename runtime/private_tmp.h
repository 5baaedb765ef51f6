/* ${TMPDIR} of a policy is a private directory per run: made before the
 * sandbox is built (so the Landlock rules name it), exported to the command
 * as TMPDIR, and removed with everything in it after the run.  Nothing the
 * command leaves there outlives it, and it sees nothing of the shared /tmp
 * (other programs' files and sockets) unless the policy names /tmp itself. */
#ifndef CORDON_PRIVATE_TMP_H
#define CORDON_PRIVATE_TMP_H

#include <stddef.h>

/* Makes parent/cordon-<pid>-XXXXXX (mode 0700) into out.  -1 with errno. */
int ptmp_create(const char *parent, char *out, size_t len);

/* Removes dir and everything in it, never following a symbolic link out of
 * it.  -1 with errno when something could not be removed. */
int ptmp_remove(const char *dir);

/* Removes the entry name of the directory open at dirfd, and everything in
 * it when it is a directory, never following a symbolic link.  -1 with
 * errno when it could not be removed. */
int ptmp_remove_entry(int dirfd, const char *name);

#endif
