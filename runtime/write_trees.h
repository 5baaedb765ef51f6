/* Where the command may change things, by inode: the trees every layer of
 * the policy lets it write, and the paths any layer denies (reading or
 * writing) beneath them.  For the checks the kernel cannot make where no
 * namespace can be had: the supervisor's answer to the metadata calls
 * (meta_guard.c) and the /dev/shm sweep (shm_sweep.c).
 *
 * The roots are opened (O_PATH, following links, as Landlock's rules are)
 * when the plan is made and kept open, so that their inode numbers cannot
 * be reused; a root that does not exist then is no root, as for Landlock.
 * An object lies in a writable tree when walking up from it (by "..",
 * crossing mounts as the kernel does) meets a writable root of every layer
 * and no denied root: a deny wins wherever it is, as in the language. */
#ifndef CORDON_WRITE_TREES_H
#define CORDON_WRITE_TREES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "landlock.h"
#include "policy_load.h"

#define WT_MAX_ROOTS 1024

enum { WT_UNKNOWN, WT_CLEAR, WT_DENIED };

struct wt_root {
	dev_t dev;
	ino_t ino;
	int fd;           /* O_PATH, held for the run */
	unsigned layer;   /* the layer whose rule it is */
	int above;        /* what the first walk found above it: WT_* */
};

struct write_trees {
	struct wt_root *allow, *deny;
	size_t nallow, ndeny;
	unsigned nlayers;
};

/* The roots of layers[0..nlayers-1] (each a compiled policy, with the
 * rules cordon adds of its own).  0, or -1 with err. */
int wt_plan(struct write_trees *t, const struct cpb_policy *const *layers, unsigned nlayers,
	    const struct ll_paths *paths, char *err, size_t errlen);

/* Where the object of fd (any kind of fd, O_PATH too; st its fstat, or
 * NULL) lies: 1 in a tree every layer lets the command write and under no
 * deny; 0 elsewhere, also when its place cannot be told (a name the kernel
 * shows as deleted while the file still has links, a path too long, a
 * directory on the way the caller may not search), or when it is on /proc.
 * An object that no path reaches (a pipe, a socket, a memfd, an unlinked
 * file) lies nowhere: 1.  The walk is made with the caller's credentials;
 * what lies above each writable root is remembered after the first walk
 * (the command cannot move what lies outside its writable trees). */
int wt_contains(struct write_trees *t, int fd, const struct stat *st);

void wt_free(struct write_trees *t);

#endif
