/* Files and directories cordon creates or writes for a run, in places the
 * command may have been able to write before (an earlier run): nothing a
 * command could have planted there is followed.  New files are made with
 * O_CREAT | O_EXCL | O_NOFOLLOW under a fresh name and renamed into place
 * (a symbolic or hard link at the final name is replaced, never written
 * through); everything is reached with *at() calls from a directory fd
 * that was opened once; a path is walked one component at a time, so that
 * a symbolic link on the way can be judged by where it lies. */
#ifndef CORDON_SAFE_OPEN_H
#define CORDON_SAFE_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Whether a symbolic link found in the directory open at dirfd may be
 * followed (false: the command could have planted it). */
typedef bool (*so_judge)(int dirfd, void *ctx);

/* Opens the directory dir (O_PATH), following each symbolic link on the
 * way only when judge (NULL: any) allows it where it lies.  The fd, or -1
 * with errno; a link refused sets errno EPERM and its path in bad. */
int so_open_dir(const char *dir, so_judge judge, void *ctx, char *bad, size_t badlen);

/* A new file in dirfd under a fresh name ".PREFIX.XXXXXXXX" (into name):
 * O_CREAT | O_EXCL | O_NOFOLLOW, so nothing planted there is opened.  The
 * fd (O_RDWR), or -1 with errno. */
int so_create_temp(int dirfd, const char *prefix, char *name, size_t namelen, mode_t mode);

/* A file with no name (O_TMPFILE in dirfd, else a new one unlinked at once),
 * O_RDWR.  The fd, or -1 with errno. */
int so_anon_file(int dirfd);

/* Writes data into dirfd/name through a new file and a rename: whatever
 * was at name (a planted link included) is replaced, not written through.
 * 0, or -1 with errno. */
int so_replace(int dirfd, const char *name, const void *data, size_t len, mode_t mode);

/* Makes the directory dirfd/name if it is missing and opens it (O_RDONLY,
 * O_NOFOLLOW: a link planted at name is refused with ELOOP or ENOTDIR).
 * The fd, or -1 with errno. */
int so_mkdir(int dirfd, const char *name, mode_t mode);

/* Random letters and digits into out (len - 1 of them). */
void so_random_name(char *out, size_t len);

#endif
