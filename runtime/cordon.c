/* cordon: run a command inside a compiled policy, and say how it ended.
 *   cordon run [-p POLICY] [--report FILE|-] [--workspace DIR]
 *              [--best-effort|--strict] [--] CMD [ARG]...
 *   cordon probe
 * Exit status: the command's own; 128+N for signal N; 124 `limit time`;
 * 125 cordon failed before the command started (the command never ran);
 * 126 the command cannot be executed; 127 it was not found.
 *
 * A run is the list of steps in steps[] below, over one struct run
 * (run.h); the first step that fails ends it (exit 125, the command never
 * ran), and run_free releases what the steps made. */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "command.h"
#include "deny_links.h"
#include "env.h"
#include "own_state.h"
#include "policy_source.h"
#include "private_tmp.h"
#include "probe.h"
#include "report.h"
#include "run.h"
#include "run_limits.h"

#ifndef CORDON_VERSION
#define CORDON_VERSION "0.1"
#endif

extern char **environ;

/* ---- the steps ---------------------------------------------------------- */

/* --report FILE, opened first so that every failure can be reported. */
static int open_report(struct run *r)
{
	const char *f = r->o->report;
	if (!f)
		return 0;
	r->rep = strcmp(f, "-") == 0 ? stderr : fopen(f, "we");
	if (r->rep)
		return 0;
	snprintf(r->err, sizeof r->err, "cannot write the report %s: %s", f, strerror(errno));
	return -1;
}

static int load_policy(struct run *r)
{
	if (policy_open(r->o->policy, &r->p, &r->policy_path, &r->policy_source, r->err,
			sizeof r->err) == 0)
		return 0;
	r->p = (struct cpb_policy){0};
	return -1;
}

/* The workspace: --workspace DIR; else the directory of the source policy
 * discovered upward (the repository's) or given with -p; else the working
 * directory.  The command runs in the caller's working directory whatever
 * the workspace is. */
static int workspace(struct run *r)
{
	const char *w = r->o->workspace;
	char dir[PATH_MAX];
	if (!w && r->policy_source) {
		snprintf(dir, sizeof dir, "%s", r->policy_path);
		char *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0';
		w = slash ? dir : ".";
	}
	if (!realpath(w ? w : ".", r->ws)) {
		snprintf(r->err, sizeof r->err, "workspace %s: %s", w ? w : ".", strerror(errno));
		return -1;
	}
	return 0;
}

static int paths(struct run *r)
{
	const char *home = getenv("HOME"), *tmp = getenv("TMPDIR");
	r->paths = (struct ll_paths){
		.home = home && home[0] == '/' ? home : NULL,
		.tmpdir = tmp && tmp[0] == '/' ? tmp : "/tmp",
		.workspace = r->ws,
	};
	for (size_t i = 0; i < r->p.nfs && !r->paths.home; i++)
		if (r->p.fs[i].base == CPB_BASE_HOME && r->p.fs[i].allow) {
			snprintf(r->err, sizeof r->err, "the policy names paths under ~ but HOME is "
				 "not set to an absolute path");
			return -1;
		}
	return 0;
}

/* ${TMPDIR} is a private directory of this run. */
static int private_tmpdir(struct run *r)
{
	for (size_t i = 0; i < r->p.nfs; i++)
		if (r->p.fs[i].base == CPB_BASE_TMPDIR) {
			if (ptmp_create(r->paths.tmpdir, r->ptmp, sizeof r->ptmp) != 0) {
				snprintf(r->err, sizeof r->err, "cannot make the run's private "
					 "temporary directory under %s: %s (set TMPDIR to a "
					 "writable directory)", r->paths.tmpdir, strerror(errno));
				r->ptmp[0] = '\0';
				return -1;
			}
			r->paths.tmpdir = r->ptmp;
			return 0;
		}
	return 0;
}

/* What cordon holds (the child drops it; CAP_SYS_ADMIN makes mounts), the
 * `deny write` rules read-only mounts hold, and what cordon keeps out of
 * the command's reach. */
static int plan(struct run *r)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0, 0, 0}, {0, 0, 0}};
	if (syscall(SYS_capget, &h, d) != 0)
		memset(d, 0, sizeof d);
	r->caps = d[0].permitted | d[1].permitted | d[0].effective | d[1].effective;
	r->sys_admin = (d[0].effective >> CAP_SYS_ADMIN) & 1;
	r->setpcap = (d[0].effective >> CAP_SETPCAP) & 1;
	bool denies = false;
	for (size_t i = 0; i < r->p.nfs && !denies; i++)
		denies = r->p.fs[i].deny && !r->p.fs[i].allow;
	/* a denied directory the command could make and fill: made first */
	if (denies)
		mg_make_missing_dirs(&r->p, &r->paths);
	/* deny write inside a writable tree: a read-only mount where one can
	 * be had, which leaves the tree its right to create entries */
	if ((denies && mg_available(r->sys_admin) &&
	     mg_plan(&r->p, &r->paths, r->sys_admin, &r->guard) < 0) ||
	    protect_own(&r->p, &r->paths, r->p.limits.present & CG_LIMITS, &r->cache) < 0) {
		snprintf(r->err, sizeof r->err, "out of memory");
		return -1;
	}
	return 0;
}

static int build_landlock(struct run *r)
{
	unsigned abi = r->o->abi_override;
	if (abi == 1) {
		r->ll.missing_features = r->p.features; /* as if there were no Landlock */
		return 0;
	}
	if (ll_build(&r->p, &r->paths, abi ? abi - 1 : 0, &r->ll, r->err, sizeof r->err) != 0)
		return -1;
	for (size_t i = 0; i < r->ll.nwarnings; i++)
		fprintf(stderr, "cordon: warning: %s\n", r->ll.warnings[i]);
	return 0;
}

/* A denied secret with another name that Landlock would let through. */
static int deny_links(struct run *r)
{
	char warn[PATH_MAX + 256];
	switch (dl_check(&r->p, &r->paths, r->err, sizeof r->err, warn, sizeof warn)) {
	case -1:
		return -1;
	case 1:
		fprintf(stderr, "cordon: warning: %s\n", warn);
		break;
	}
	return 0;
}

/* A fresh cgroup for the limits that must hold for the whole tree. */
static int cgroup(struct run *r)
{
	r->best = !r->o->strict && (r->o->best_effort || (r->p.flags & CPB_FLAG_BEST_EFFORT));
	if (!(r->p.limits.present & CG_LIMITS))
		return 0;
	struct cg_limits cl;
	limits_for_cgroup(&r->p.limits, &cl);
	if (cg_create(&r->cg, &cl, r->o->cg_backend, r->cg_err, sizeof r->cg_err) != -1)
		return 0;
	snprintf(r->err, sizeof r->err, "%s", r->cg_err);
	return -1;
}

/* Strict refuses what cannot be enforced. */
static int gaps(struct run *r)
{
	const char *no_cg = r->cg_err[0] ? r->cg_err : NULL;
	find_gaps(r->ll.missing_features, r->ll.abi, r->p.limits.present, no_cg, &r->gaps);
	if (!r->gaps.n || r->best)
		return 0;
	gaps_refusal(&r->gaps, no_cg, r->err, sizeof r->err);
	return -1;
}

static int environment(struct run *r)
{
	struct env_vars vars = {r->paths.home, r->paths.tmpdir, r->paths.workspace,
				r->ptmp[0] != '\0'};
	r->env = env_build(&r->p, environ, &vars, r->err, sizeof r->err);
	return r->env ? 0 : -1;
}

/* A command that is not found is no failure of cordon's: it is reported as
 * the run's outcome (127), and nothing is launched. */
static int command(struct run *r)
{
	r->exe = resolve_command(r->o->cmd[0], r->env);
	if (r->exe)
		return 0;
	r->out.reason = RUN_ERROR;
	r->out.exit_code = EXIT_NOT_FOUND;
	snprintf(r->out.error, sizeof r->out.error, "%s: command not found", r->o->cmd[0]);
	fprintf(stderr, "cordon: %s\n", r->out.error);
	return 0;
}

/* No mount namespace after all (a container's seccomp filter may refuse
 * unshare): the command did not start; again with Landlock's carve-outs,
 * which hold the denies as well. */
static int launch_without_mounts(struct run *r)
{
	fprintf(stderr, "cordon: warning: %s; `deny write` inside writable directories falls "
		"back to Landlock's carve-outs, which take from the directories on the way the "
		"right to create entries\n", r->out.error);
	mg_unplan(&r->p, &r->guard);
	ll_result_free(&r->ll);
	unsigned abi = r->o->abi_override;
	if (ll_build(&r->p, &r->paths, abi ? abi - 1 : 0, &r->ll, r->err, sizeof r->err) != 0)
		return -1;
	r->l.ruleset_fd = r->ll.ruleset_fd;
	r->l.proc_self_rights = r->ll.proc_self_rights;
	r->l.guard = NULL;
	launch_and_wait(&r->l, &r->out);
	return 0;
}

static int launch(struct run *r)
{
	if (!r->exe)
		return 0;
	r->prog = (struct sock_fprog){(unsigned short)r->p.nbpf, r->p.bpf};
	r->l = (struct launch){
		.path = r->exe, .argv = r->o->cmd, .envp = r->env, .ruleset_fd = r->ll.ruleset_fd,
		.proc_self_rights = r->ll.proc_self_rights, .filter = &r->prog,
		.drop_caps = r->caps || geteuid() == 0, .setpcap = r->setpcap, .guard = &r->guard,
	};
	const struct cpb_limits *lim = &r->p.limits;
	limits_for_launch(lim, &r->cg, &r->l, &r->watch);
	if (lim->present & CPB_LIMIT_DISK) {
		/* without Landlock the command may write wherever cordon may */
		if (watch_disk_start(&r->watch, &r->p, &r->paths, r->ll.ruleset_fd < 0, lim->disk,
				     r->err, sizeof r->err) != 0)
			return -1;
		r->l.watch = &r->watch;
	}
	launch_and_wait(&r->l, &r->out);
	if (r->out.mounts_failed && r->o->abi_override != 1 && launch_without_mounts(r) != 0)
		return -1;
	if (r->out.reason == RUN_ERROR)
		fprintf(stderr, "cordon: %s\n", r->out.error);
	return 0;
}

/* Why it ended, from the cgroup's events: a failure after an OOM kill or a
 * refused fork is reported as such. */
static int after_run(struct run *r)
{
	if (r->cg.n) {
		cg_stats(&r->cg, &r->st);
		bool failed = r->out.reason == RUN_SIGNALED ||
			      (r->out.reason == RUN_EXITED && r->out.exit_code != 0);
		if (failed && r->st.oom_kills)
			r->out.reason = RUN_OOM;
		else if (failed && r->st.pids_max)
			r->out.reason = RUN_PIDS;
	}
	r->code = r->out.exit_code;
	return 0;
}

static int report(struct run *r)
{
	if (!r->rep)
		return 0;
	const struct cpb_limits *lim = &r->p.limits;
	struct report rp = {
		.outcome = &r->out, .landlock_abi = r->ll.abi,
		.landlock = r->ll.abi == 0 ? "none" : r->ll.missing_features ? "partial" : "full",
		.seccomp = true,
		.cgroup = r->cg.n ? cg_layout_name(r->cg.layout)
			: lim->present & (CPB_LIMIT_FILES | CPB_LIMIT_FSIZE | CG_LIMITS) ? "rlimit"
											  : "none",
		.cg = r->cg.n ? &r->st : NULL,
		.watch = r->watch.mem || r->watch.disk ? &r->watch : NULL,
		.cg_backend = r->cg.backend == CG_BACKEND_LIBCGROUP ? "libcgroup" : "cgroupfs",
		.cg_layout = cg_layout_name(r->cg.layout),
		.best_effort = r->best, .not_enforced = r->gaps.item, .policy = r->policy_path,
	};
	report_write(r->rep, &rp);
	return 0;
}

static const struct step {
	const char *name;
	int (*run)(struct run *r); /* 0, or -1 with r->err set */
} steps[] = {
	{"open the report", open_report},
	{"load the policy", load_policy},
	{"the workspace", workspace},
	{"the paths", paths},
	{"the private TMPDIR", private_tmpdir},
	{"plan the layers of enforcement", plan},
	{"Landlock", build_landlock},
	{"denied files with another name", deny_links},
	{"the cgroup", cgroup},
	{"the gaps", gaps},
	{"the environment", environment},
	{"the command", command},
	{"launch", launch},
	{"after-run checks", after_run},
	{"the report", report},
};

static void run_free(struct run *r)
{
	if (r->cg.n)
		cg_destroy(&r->cg);
	mg_free(&r->guard);
	watch_free(&r->watch);
	if (r->ptmp[0] && ptmp_remove(r->ptmp) != 0)
		fprintf(stderr, "cordon: warning: cannot remove the run's temporary directory "
			"%s: %s\n", r->ptmp, strerror(errno));
	if (r->rep && r->rep != stderr)
		fclose(r->rep);
	free(r->exe);
	free(r->cache);
	env_free(r->env);
	ll_result_free(&r->ll);
	cpb_free(&r->p);
	free(r->policy_path);
}

static int run(const struct opts *o)
{
	struct run *r = calloc(1, sizeof *r);
	if (!r) {
		fputs("cordon: error: out of memory\n", stderr);
		return EXIT_CORDON;
	}
	*r = (struct run){.o = o, .code = EXIT_CORDON, .ll = {.ruleset_fd = -1}};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i].run(r) != 0) {
			fprintf(stderr, "cordon: error: %s\n", r->err);
			if (r->rep)
				report_error(r->rep, r->err, r->ll.abi);
			r->code = EXIT_CORDON;
			break;
		}
	run_free(r);
	int code = r->code;
	free(r);
	return code;
}

#ifndef CORDON_WITH_LIBCGROUP
/* This build has no libcgroup (the musl build: libcgroup is built for
 * glibc): a run with --cgroup-backend=libcgroup goes to cordon-libcgroup
 * beside this binary, the same runtime built with glibc and libcgroup.
 * Returns only when there is none. */
static void exec_libcgroup_build(char **argv)
{
	char self[PATH_MAX];
	static const char name[] = "cordon-libcgroup";
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - sizeof name);
	if (n <= 0)
		return;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return;
	memcpy(slash + 1, name, sizeof name);
	execv(self, argv);
}
#endif

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_CORDON;
	}
	if (strcmp(argv[1], "run") == 0) {
		struct opts o = {0};
		int r = parse_run(argc - 1, argv + 1, &o);
#ifndef CORDON_WITH_LIBCGROUP
		if (!r && o.cg_backend == CG_BACKEND_LIBCGROUP)
			exec_libcgroup_build(argv);
#else
		/* exec'd as cordon-libcgroup: keep the name ps and pkill know */
		prctl(PR_SET_NAME, "cordon", 0, 0, 0);
#endif
		return r ? r : run(&o);
	}
	if (strcmp(argv[1], "probe") == 0)
		return probe(stdout);
	if (strcmp(argv[1], "--version") == 0) {
		puts("cordon " CORDON_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "cordon: error: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_CORDON;
}
