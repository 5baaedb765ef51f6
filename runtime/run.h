/* One `cordon run`: the context its steps (cordon.c) share.  Each step
 * reads what the steps before it left here and adds its own part; one
 * clean-up (run_free) releases everything, whichever step failed. */
#ifndef CORDON_RUN_H
#define CORDON_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "cgroup.h"
#include "gaps.h"
#include "landlock.h"
#include "launch.h"
#include "mount_guard.h"
#include "options.h"
#include "policy_load.h"
#include "watch.h"

struct run {
	const struct opts *o;
	char err[PATH_MAX + 1024]; /* a failed step: why (the run then exits 125) */
	int code;                  /* what cordon exits with */
	FILE *rep;                 /* the report (--report), or NULL */

	/* policy */
	struct cpb_policy p;
	char *policy_path;         /* the policy file */
	bool policy_source;        /* ... a source policy (not a .cpb) */

	/* workspace and paths */
	char ws[PATH_MAX];         /* the workspace, resolved */
	struct ll_paths paths;     /* ~, ${TMPDIR} and the workspace for the rules */
	char ptmp[PATH_MAX];       /* the private ${TMPDIR}, once made, else "" */

	/* planning the layers of enforcement */
	bool caps;                 /* cordon holds capabilities (root, file caps) */
	bool sys_admin, setpcap;   /* ... among them CAP_SYS_ADMIN, CAP_SETPCAP */
	struct mount_guard guard;  /* `deny write` held by read-only mounts */
	char *cache;               /* the policy cache directory, or NULL */
	struct ll_result ll;       /* the Landlock ruleset */
	bool best;                 /* best-effort (else strict) */
	struct cg_run cg;          /* the run's cgroup (cg.n 0: none) */
	char cg_err[PATH_MAX + 512]; /* why there is no cgroup, or "" */
	struct gaps gaps;          /* what cannot be enforced */

	/* the command */
	char **env;                /* its environment */
	char *exe;                 /* its executable, or NULL: not found */
	struct launch l;           /* what the child needs */
	struct sock_fprog prog;    /* the seccomp filter (l.filter) */
	struct watch watch;        /* the polled limits */

	/* after the run */
	struct run_outcome out;
	struct cg_stats st;        /* the cgroup's statistics */
};

#endif
