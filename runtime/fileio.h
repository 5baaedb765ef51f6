/* Whole small files in one system call each way: cgroup and /proc files,
 * sysctls.  Only system calls (no allocation), so the child may use them
 * between clone and exec. */
#ifndef CORDON_FILEIO_H
#define CORDON_FILEIO_H

#include <sys/types.h>

/* Writes text to file (relative to dirfd, or AT_FDCWD) in one write(2).
 * 0, or -1 with errno. */
int fio_write_at(int dirfd, const char *file, const char *text);

/* Reads up to len - 1 bytes of file into buf, NUL-terminated.  Its length,
 * or -1 with errno (buf then holds ""). */
ssize_t fio_read_at(int dirfd, const char *file, char *buf, size_t len);

#endif
