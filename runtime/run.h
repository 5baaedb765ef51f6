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
#include "home.h"
#include "landlock.h"
#include "launch.h"
#include "ns_layer.h"
#include "options.h"
#include "policy_load.h"
#include "policy_source.h"
#include "private_tmp.h"
#include "report.h"
#include "watch.h"
#include "nons.h"
#include "notify.h"

#define RUN_MAX_LAYERS LAUNCH_MAX_LAYERS

enum layer_source { LAYER_USER, LAYER_CMDLINE, LAYER_DISCOVERED };

/* One layer of the run's policy.  Each is enforced on its own (its own
 * Landlock domain, its own seccomp filter, its own pass over the
 * environment), so that an access is allowed only when every layer allows
 * it; what must be one for the run (limits, the cgroup, the mounts) is
 * merged: the smallest limit, the union of the read-only mounts. */
struct layer {
	char *path;               /* the policy file, as given or found */
	enum layer_source source;
	bool discovered;          /* a -p policy that is also the discovered .cordon */
	bool compiled;            /* a .cpb (else a source policy, compiled by cordonc) */
	char *root;               /* discovered: the repository's root (cordonc --untrusted) */
	struct cpb_policy p;      /* validated; cordon adds rules of its own to p.fs (the
				     carve-outs of own_state.c, the other home's denies) */
	char **owned;             /* the paths of the rules cordon added */
	size_t nowned;
	/* Self-protection (issue 9 item 1): every file this layer's compile
	 * read (the policy file first), the cache entry's .deps and .cpb, and
	 * the profile paths looked for in vain.  None of them may be writable
	 * by the command: a later run compiles this layer from them again. */
	struct layer_inputs in;
	struct ll_result ll;      /* its Landlock ruleset (ruleset_fd -1: none) */
	struct sock_fprog prog;   /* its seccomp program (points into p) */
};

struct run {
	const struct opts *o;
	char err[PATH_MAX + 1024]; /* a failed step: why (the run then exits 125) */
	int code;                  /* what cordon exits with */
	struct report_out rep;     /* the report (--report) */

	/* policy: the layers, outermost first, and what is one for the run */
	struct layer layer[RUN_MAX_LAYERS];
	size_t nlayers;
	/* Self-protection, too: discovery.absent lists each .cordon discovery
	 * looked for in vain (from the working directory up to where it
	 * stopped).  One the command made there would be a later run's layer,
	 * and would move that run's workspace to its directory. */
	struct layer_inputs discovery;
	struct cpb_limits lim;     /* each limit the smallest of any layer */
	bool best;                 /* best-effort: --best-effort, or every layer says
				      `enforce best-effort` (and no --strict) */

	/* workspace and paths */
	char ws[PATH_MAX];         /* the workspace, resolved */
	struct home home;          /* ~ ($HOME, else the password database's) */
	struct ll_paths paths;     /* ~, ${TMPDIR} and the workspace for the rules */
	struct ptmp tmp;           /* the private ${TMPDIR} (tmp.path "" until made) */

	/* planning the layers of enforcement */
	bool caps;                 /* cordon holds capabilities (root, file caps) */
	bool sys_admin, setpcap;   /* ... among them CAP_SYS_ADMIN, CAP_SETPCAP */
	struct ns_plan ns;         /* the namespace layer, for every layer */
	char *cache;               /* the policy cache directory, or NULL */
	unsigned abi;              /* the Landlock ABI used (0: none) */
	uint32_t missing;          /* CPB_FEAT_* bits no layer's ruleset could hold */
	struct cg_run cg;          /* the run's cgroup (cg.n 0: none) */
	char cg_err[PATH_MAX + 512]; /* why there is no cgroup, or "" */
	struct gaps gaps;          /* what cannot be enforced */
	bool no_ns;                /* no mount namespace can be had: nons holds instead */
	struct nt_plan nt;         /* the seccomp listener (memfd, metadata checks) */
	struct nons nons;          /* what no namespace holds, held by other means */

	/* the command */
	char **env;                /* its environment */
	char *exe;                 /* its executable, or NULL: not found */
	struct launch_layer ll[RUN_MAX_LAYERS]; /* each layer, as the child applies it */
	struct launch l;           /* what the child needs */
	struct watch watch;        /* the polled limits */

	/* after the run */
	struct run_outcome out;
	struct cg_stats st;        /* the cgroup's statistics */
};

#endif
