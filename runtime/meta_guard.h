/* The metadata calls, checked by the supervisor where no namespace can be
 * had: chmod, fchmod, fchmodat, fchmodat2, chown, fchown, lchown, fchownat,
 * utime, utimes, utimensat, futimesat, setxattr, lsetxattr, fsetxattr,
 * setxattrat, removexattr, lremovexattr, fremovexattr, removexattrat.
 *
 * Landlock has no right for metadata, and a root command without
 * capabilities still owns root's files: without a read-only view of the
 * filesystem (the namespace layer), the command could chmod, chown, touch
 * or set xattrs on files the policy only lets it read.  The runtime's own
 * filter (nons_filter.c) hands these calls to the supervisor, which
 *  1. reads the path (and name, value, times) once from the caller's
 *     memory, and opens the base the kernel would use: the caller's cwd
 *     (/proc/TID/cwd) or dirfd (/proc/TID/fd/N), or for the f* calls the
 *     descriptor itself (an O_PATH one is EBADF, as for the kernel);
 *     /proc/self, /proc/thread-self and /dev/fd in front of a path mean
 *     the caller's;
 *  2. then without its capabilities (DAC is the kernel's, as for the
 *     command) opens the object (O_PATH, with or without following the
 *     last link as the call says) relative to that base;
 *  3. checks that the object lies in a tree every layer lets the command
 *     write and under no deny (write_trees.c), and is not a device node;
 *  4. makes the call itself on the object it opened (never on a path the
 *     command could change in between), and answers with its result;
 *     outside, EROFS (what a read-only mount says), a device node EPERM.
 * The checks of the kernel that come before any lookup (flags, sizes,
 * times) are made first, so that the answers are the kernel's. */
#ifndef CORDON_META_GUARD_H
#define CORDON_META_GUARD_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "write_trees.h"

struct nt_plan;

struct meta_guard {
	struct write_trees *trees;
	char *value;   /* a buffer for xattr values (64 KiB) */
};

int meta_init(struct meta_guard *m, struct write_trees *trees);
void meta_free(struct meta_guard *m);

/* Whether nr (x86_64) is one of the metadata calls. */
bool meta_handles(int nr);

/* Answers req in resp (error, or val 0). */
void meta_serve(struct meta_guard *m, struct nt_plan *n, const struct seccomp_notif *req,
		struct seccomp_notif_resp *resp);

#endif
