/* Opening and reading one policy file as safely as the compile's mode
 * asks: never blocking, never reading what is not a regular file (but the
 * main file of a trusted compile, which may be a pipe), nothing on /proc or
 * /sys, within the compile's byte budget; under --untrusted ROOT, files of
 * the repository's policy only beneath ROOT, through no symbolic link that
 * leaves it, writable by no one but their owner, owned by the caller or
 * root.  A refused file is never read, so nothing of it can be quoted. */
#ifndef CORDON_SOURCE_OPEN_H
#define CORDON_SOURCE_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "compile.h"

/* Opens path (as the loader resolved it).  main: the file named on the
 * command line; repo: under --untrusted, the file belongs to the
 * repository's policy (the main file and what it includes, not profiles).
 * On success returns the descriptor and fills *st; otherwise reports why
 * (at `at`, or without a location for the main file) and returns -1.
 * Reads nothing. */
int src_open(struct compile_ctx *c, const char *path, bool main, bool repo,
	     const struct cordon_loc *at, struct stat *st);

/* Reads all of fd within what is left of the compile's byte budget
 * (CORDON_MAX_POLICY_BYTES in all); NULL after reporting why. */
char *src_read(struct compile_ctx *c, int fd, const struct stat *st, const char *path,
	       const struct cordon_loc *at, size_t *len);

/* A policy is text: no NUL byte and valid UTF-8.  Otherwise the error is
 * reported at the first bad byte, and f's text is dropped first (so the
 * message does not quote it).  Returns false then. */
bool src_check_text(struct compile_ctx *c, struct src_file *f);

/* path made absolute (against the working directory) and normalized
 * without touching the filesystem: no "//", ".", or "..". */
char *src_lexical_abs(const char *path);

#endif
