/* What a run left in /dev/shm, removed after it, where no namespace can be
 * had (the namespace layer gives the command a private /dev/shm instead).
 *
 * /dev/shm is machine-wide: what a run leaves there outlives it, is a
 * channel to the next run and memory that no run's limit bounds any more.
 * When the policy lets the command write /dev/shm, its entries are listed
 * (name and inode) before the command starts and again after the whole
 * tree has ended; an entry is the run's, and is removed (without
 * following links; a directory with what it holds), when
 *  - it is not in the first listing (by name and inode),
 *  - it is owned by the run's uid,
 *  - and no process still alive holds it open or mapped (a look through
 *    /proc/PID/fd and /proc/PID/maps of every process this user may see).
 * The last rule is for the other processes of the same uid, concurrent
 * cordon runs among them: what they made during the run and still use is
 * theirs.  What they made and no longer hold open (a name kept for a later
 * open) cannot be told from the run's and is removed too.  Entries made
 * inside directories of /dev/shm that existed before are not looked at.
 * The names removed go into the report ("shm_swept"). */
#ifndef CORDON_SHM_SWEEP_H
#define CORDON_SHM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SHM_DIR "/dev/shm"

struct shm_entry {
	char *name;
	ino_t ino;
};

struct shm_sweep {
	bool on;
	struct shm_entry *before;
	size_t nbefore;
	char **removed;        /* NULL-terminated once swept */
	size_t nremoved;
	char **kept;           /* new entries held by a live process */
	size_t nkept;
};

/* Lists /dev/shm (when on).  0, or -1 with err: the command must not run
 * (the sweep could not tell its entries from the others'). */
int shm_plan(struct shm_sweep *s, bool on, char *err, size_t errlen);

/* After the run (every process of the tree gone): removes the run's
 * entries. */
void shm_sweep(struct shm_sweep *s);

void shm_free(struct shm_sweep *s);

#endif
