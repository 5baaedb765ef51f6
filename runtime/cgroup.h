/* The cgroup layer: one fresh leaf cgroup per run that holds the command's
 * whole process tree, with its limits, its usage and events, and a way to
 * kill everything in it.  Two backends create and set the leaf: cgroupfs
 * (writes the files itself; pure v2, v1 and hybrid layouts) and libcgroup
 * (Debian's libcgroup 2.0.2, when cordon is built with it).  Joining,
 * killing, statistics and removal are shared: they work on the leaf
 * directories whatever made them.
 *
 * Leaves are named cordon-<supervisor pid> and are created under the cgroup
 * cordon itself is in (per hierarchy on v1).  The supervisor holds an
 * flock on each leaf directory while it runs; a leaf nobody holds belongs
 * to a supervisor that is gone (SIGKILL), and the next run kills what is
 * left in it and removes it. */
#ifndef CORDON_CGROUP_H
#define CORDON_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum cg_layout { CG_NONE, CG_V1, CG_V2 }; /* CG_V1 includes hybrid */
enum cg_backend { CG_BACKEND_CGROUPFS, CG_BACKEND_LIBCGROUP };

/* v1 mounts these separately (cpu and cpuacct are often co-mounted) */
enum cg_ctrl { CG_MEMORY, CG_PIDS, CG_CPU, CG_CPUACCT, CG_FREEZER, CG_NCTRL };

struct cg_limits {
	uint64_t memory;        /* bytes, RAM without swap escape; 0: none */
	uint64_t pids;          /* live tasks of the tree; 0: none */
	uint64_t cpu_quota_us;  /* per cpu_period_us; 0: none */
	uint64_t cpu_period_us;
	bool cputime;           /* the tree's CPU time must be readable */
};

struct cg_leaf {
	char dir[PATH_MAX];     /* the leaf directory; "" when not created */
	int fd;                 /* the leaf directory, flock'd while we run */
	int procs_fd;           /* its cgroup.procs, written by the child */
	unsigned ctrls;         /* 1 << enum cg_ctrl of this hierarchy */
};

struct cg_run {
	enum cg_layout layout;
	enum cg_backend backend;
	size_t n;               /* leaves: 1 on v2, one per hierarchy on v1 */
	struct cg_leaf leaf[CG_NCTRL];
	void *lib;              /* the libcgroup backend's own state */
};

struct cg_stats {
	bool has_peak;
	uint64_t peak_memory;   /* bytes */
	uint64_t oom_kills;     /* processes the OOM killer ended */
	uint64_t pids_max;      /* forks refused at pids.max */
	bool has_cpu;
	uint64_t cpu_usec;      /* CPU time of the whole tree */
};

/* Creates the leaf (or leaves) for lim and sets the limits; nothing is
 * left behind on failure.  Returns 0; -1 with err saying what failed (path
 * and errno) and what to do; -2 when this machine has no cgroup for us at
 * all (no controller, not delegated, read-only), which best-effort turns
 * into the rlimit fallback. */
int cg_create(struct cg_run *r, const struct cg_limits *lim, enum cg_backend be, char *err,
	      size_t errlen);

/* In the child, between clone and exec: moves the calling process into the
 * leaves.  Only write(2) on the fds opened by cg_create. */
int cg_join(const struct cg_run *r);

/* The v2 leaf's directory fd for clone3(CLONE_INTO_CGROUP), or -1. */
int cg_clone_fd(const struct cg_run *r);

/* CPU time of the tree so far; -1 when it cannot be read. */
int cg_cpu_usec(const struct cg_run *r, uint64_t *usec);

void cg_stats(const struct cg_run *r, struct cg_stats *s);

/* Kills every process in the leaves (cgroup.kill on v2, the freezer on v1,
 * a kill loop otherwise).  The caller reaps. */
void cg_kill(struct cg_run *r);

/* Kills what is left, waits for the leaves to empty and removes them. */
void cg_destroy(struct cg_run *r);

/* Where a run's leaves would go, for advice (cg_advice.c). */
struct cg_place {
	enum cg_layout layout;
	unsigned need;  /* the controllers a run would use (1 << enum cg_ctrl) */
	bool complete;  /* every controller it needs is there to be had */
	size_t n;
	char dir[CG_NCTRL][PATH_MAX]; /* v1: the own cgroup of each hierarchy a run
				       * would use; v2: where the leaves go */
};
void cg_where(const struct cg_limits *lim, struct cg_place *w);

/* The layout of this machine and which controllers a run would get, for
 * `cordon probe`. */
void cg_probe(FILE *out);

const char *cg_layout_name(enum cg_layout l);
const char *cg_ctrl_name(enum cg_ctrl c); /* "memory", "pids", ... */
/* v2: the cgroup where a run's leaves go, from cordon's own: its parent
 * when cordon sits in the supervisor/ leaf it moves itself into (edits path
 * in place). */
void cg_v2_runs_parent(char *path);
/* Whether a blank-separated list (cgroup.controllers) holds word. */
bool cg_list_has(const char *list, const char *word);

/* For a backend that made lf->dir: opens it, takes its lock, opens its
 * cgroup.procs.  0, or -1 with err naming the path and errno. */
int cg_leaf_open(struct cg_leaf *lf, char *err, size_t len);

/* The libcgroup backend (runtime/cgroup_libcgroup.c); without it built in,
 * cg_lib_create fails with a message saying so. */
int cg_lib_create(struct cg_run *r, const struct cg_limits *lim, char *err, size_t errlen);
void cg_lib_destroy(struct cg_run *r);

#endif
