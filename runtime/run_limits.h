/* How a policy's limits reach the run: the cgroup's limits, the rlimits the
 * child sets, and what the supervisor times and polls.  With a cgroup,
 * memory, pids, cpu and cputime hold for the whole tree; without one
 * (best-effort: strict refused it) they fall back to rlimits per process
 * and a polled memory sum. */
#ifndef CORDON_RUN_LIMITS_H
#define CORDON_RUN_LIMITS_H

#include "cgroup.h"
#include "launch.h"
#include "policy_load.h"
#include "watch.h"

/* The limits only a cgroup holds for the whole tree. */
#define CG_LIMITS (CPB_LIMIT_MEMORY | CPB_LIMIT_PIDS | CPB_LIMIT_CPU | CPB_LIMIT_CPUTIME)

/* The cgroup limits of lim. */
void limits_for_cgroup(const struct cpb_limits *lim, struct cg_limits *cl);

/* Sets l's rlimits and timers from lim; cg is the run's cgroup (NULL
 * without one); w gets the polled memory limit without a cgroup (and l
 * points at it).  `limit disk` is watch_disk_start's. */
void limits_for_launch(const struct cpb_limits *lim, struct cg_run *cg, struct launch *l,
		       struct watch *w);

#endif
