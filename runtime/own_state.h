/* What cordon relies on, out of the command's reach when the policy would
 * let it change it: the policy cache (a policy planted there would be the
 * next run's) and, when the run has a cgroup, the cgroup filesystem (a
 * command that may write cgroup.procs elsewhere leaves its limits behind:
 * root without capabilities still owns those files).  Each is held by a
 * deny carve-out added to the policy, so that even an allowed ~ cannot
 * reach it, nor rename it away. */
#ifndef CORDON_OWN_STATE_H
#define CORDON_OWN_STATE_H

#include <stdbool.h>

#include "landlock.h"
#include "policy_load.h"

/* Adds the carve-outs p needs.  *cache_dir is the policy cache directory:
 * when NULL and p may change directories, it is looked up (and made:
 * policy_cache_dir), malloc'd; it may stay NULL (no cache).  The rules
 * point at it: it must outlive p.  0, or -1 when out of memory. */
int protect_own(struct cpb_policy *p, const struct ll_paths *paths, bool cgroup,
		char **cache_dir);

#endif
