/* Limits no kernel counter holds for us, polled by the supervisor:
 *  - `limit disk`: how much the filesystems the command may write on have
 *    grown since the start (free blocks, and one block per new inode), and
 *  - `limit memory` without a cgroup (best-effort): the proportional set
 *    size (PSS) of every process of the command's tree, summed.
 * Both are polled (every 10 ms, or less often when a look takes long), so
 * they stop a runaway within one period, not at the byte; docs/runtime.md
 * says what each counts and misses. */
#ifndef CORDON_WATCH_H
#define CORDON_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "landlock.h"
#include "policy_load.h"

#define WATCH_MAX_FS 64

struct watch_fs {
	int fd;              /* O_PATH of a directory on it, for fstatfs */
	dev_t dev;
	uint64_t bfree0, ffree0, frsize;
};

struct watch {
	uint64_t disk_limit;     /* bytes; 0 with !disk */
	bool disk;
	struct watch_fs fs[WATCH_MAX_FS];
	size_t nfs;
	uint64_t disk_peak;      /* the largest growth seen, bytes */

	uint64_t mem_limit;      /* bytes; 0 with !mem */
	bool mem;
	uint64_t mem_peak;       /* the largest sum seen, bytes */
};

/* limit disk: records the filesystems the command may grow, those of p's
 * writable rules (every mounted filesystem when all, e.g. without
 * Landlock) and those mounted beneath them, with their free blocks and
 * inodes now.  0, or -1 with a reason in err (path and errno). */
int watch_disk_start(struct watch *w, const struct cpb_policy *p,
		     const struct ll_paths *paths, bool all, uint64_t limit, char *err,
		     size_t errlen);

/* How much they have grown since: 0 when they have shrunk.  Updates the
 * peak. */
uint64_t watch_disk_growth(struct watch *w);

/* The PSS of supervisor's descendants, summed, in bytes (they are all its
 * descendants: it is their subreaper).  Updates the peak. */
uint64_t watch_mem_usage(struct watch *w, pid_t supervisor);

/* Whether a limit is over: sets *what to "disk" or "memory" first. */
bool watch_over(struct watch *w, pid_t supervisor, const char **what);

void watch_free(struct watch *w);

#endif
