/* Where no namespace can be had (a container whose seccomp profile
 * forbids unshare, user namespaces turned off), the runtime holds by other
 * means what the namespace layer holds, switched on by one flag:
 *  - SysV IPC and POSIX message queues: refused by a seccomp program of
 *    the runtime's own (nons_filter.c), installed after the policy's;
 *  - the metadata calls on files outside the writable trees (chmod, chown,
 *    utimes, xattrs): handed to the supervisor by that program, checked and
 *    made there (meta_guard.c, write_trees.c); chattr's flags refused;
 *  - /dev/shm, when the policy lets the command write it: what the run
 *    left there is removed after it (shm_sweep.c).
 * What still cannot be held is a gap (nons_gap): without a seccomp
 * listener (another filter above cordon has one, as in cordon inside
 * cordon) the metadata calls cannot be checked; strict refuses to run,
 * best-effort runs with them unchecked. */
#ifndef CORDON_NONS_H
#define CORDON_NONS_H

#include <stdbool.h>
#include <stddef.h>

#include "landlock.h"
#include "meta_guard.h"
#include "nons_filter.h"
#include "notify.h"
#include "policy_load.h"
#include "shm_sweep.h"
#include "write_trees.h"

struct nons {
	bool on;
	struct write_trees trees;
	struct meta_guard meta;
	struct nons_filter filter;
	struct shm_sweep shm;
};

/* Before the clone, after the policy's own rules are final: when on, plans
 * all of the above for layers[0..nlayers-1] and hands n (the listener's
 * plan, made first) the filter and the metadata checks.  0, or -1 with err
 * (the command must not run). */
int nons_plan(struct nons *s, bool on, const struct cpb_policy *const *layers,
	      unsigned nlayers, const struct ll_paths *paths, struct nt_plan *n, char *err,
	      size_t errlen);

/* What s cannot hold (for not_enforced), or NULL. */
const char *nons_gap(const struct nons *s, const struct nt_plan *n);

/* After the run, every process of the tree gone: the /dev/shm sweep. */
void nons_finish(struct nons *s);

void nons_free(struct nons *s);


#endif
