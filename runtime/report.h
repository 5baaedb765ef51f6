/* The JSON report of a run: how it ended, what it cost, what was enforced,
 * which layers made up the policy.  It is written only when the run is
 * over, in a place the command may have been able to write: through a new
 * file and a rename in its directory, opened before the run, so that a
 * link planted at its name is replaced, never written through. */
#ifndef CORDON_REPORT_H
#define CORDON_REPORT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cgroup.h"
#include "launch.h"
#include "safe_open.h"

struct report_layer {
	const char *policy;        /* the policy file */
	const char *source;        /* "user", "command line", "discovered" */
};

struct report {
	const struct run_outcome *outcome;
	unsigned landlock_abi;
	const char *landlock;      /* "full", "partial", "none" */
	bool seccomp;
	const char *cgroup;        /* "v2", "v1", "rlimit", "none" */
	bool best_effort;
	const char *const *not_enforced; /* NULL-terminated */
	const struct report_layer *layers; /* outermost first */
	size_t nlayers;            /* "policy" is the innermost's */
	const struct cg_stats *cg; /* the run's cgroup, or NULL */
	const struct watch *watch; /* the polled limits, or NULL */
	const char *cg_backend, *cg_layout;
	const char *const *shm_swept; /* NULL-terminated, or NULL: no sweep */
	const char *namespaces;    /* the namespace layer: "mount,ipc", "none", ... */
};

/* Where it goes: nowhere, standard error (--report -), or a file. */
struct report_out {
	const char *path;          /* as given; NULL: no report */
	bool to_stderr;
	int dirfd;                 /* the file's directory, else -1 */
	bool checked;              /* ... reached as report_check_dir allows */
	char dir[PATH_MAX], name[NAME_MAX + 1];
};

/* --report path, before anything else: a path that is a symbolic link or
 * not a regular file is refused (-1, err: the run exits 125 and nothing is
 * written there).  Its directory is opened following only the links that
 * lie where cordon's user cannot write; checked later otherwise. */
int report_open(struct report_out *o, const char *path, char *err, size_t errlen);

/* Once the policy is known: the report's directory again, each symbolic
 * link on the way judged by where it lies (judge: not where the command
 * may write).  0, or -1 with err naming the link. */
int report_check_dir(struct report_out *o, so_judge judge, void *ctx, char *err,
		     size_t errlen);

/* Writes the report (to o; nothing without one).  A failure is said on
 * standard error. */
void report_save(struct report_out *o, const struct report *r);
/* ... for a failure before the command could start. */
void report_save_error(struct report_out *o, const char *message, unsigned landlock_abi);

void report_close(struct report_out *o);

/* The report as one line of JSON on out. */
void report_write(FILE *out, const struct report *r);

#endif
