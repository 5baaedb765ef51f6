/* cordon: run a command inside a compiled policy, and say how it ended.
 *   cordon run [-p POLICY]... [--no-discover] [--report FILE|-]
 *              [--workspace DIR] [--best-effort|--strict] [--] CMD [ARG]...
 *   cordon probe
 * Exit status: the command's own; 128+N for signal N; 124 `limit time`;
 * 125 cordon failed before the command started (the command never ran);
 * 126 the command cannot be executed; 127 it was not found.
 *
 * A run is the list of steps in steps[] below, over one struct run
 * (run.h); the first step that fails ends it (exit 125, the command never
 * ran), and run_free releases what the steps made. */
#include <errno.h>
#include <fcntl.h>
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
#include "exec_hint.h"
#include "layers.h"
#include "own_state.h"
#include "probe.h"
#include "run.h"
#include "run_limits.h"
#include "writable.h"

#ifndef CORDON_VERSION
#define CORDON_VERSION "0.1"
#endif

extern char **environ;

/* ---- the steps ---------------------------------------------------------- */

/* --report FILE, opened first so that every failure can be reported; a
 * path that is a symbolic link or not a regular file is refused. */
static int open_report(struct run *r)
{
	return report_open(&r->rep, r->o->report, r->err, sizeof r->err);
}

/* The layers: the user's policy, each -p, the discovered .cordon. */
static int load_layers(struct run *r)
{
	home_find(&r->home);
	return layers_load(r);
}

/* The workspace: --workspace DIR; else the directory of the .cordon
 * discovered upward (the repository's); else that of the last source
 * policy given with -p; else the working directory.  The command runs in
 * the caller's working directory whatever the workspace is. */
static int workspace(struct run *r)
{
	const char *w = r->o->workspace, *from = NULL;
	for (size_t i = 0; !w && i < r->nlayers; i++)
		if (r->layer[i].source == LAYER_DISCOVERED || r->layer[i].discovered)
			from = r->layer[i].path;
	for (size_t i = r->nlayers; !w && !from && i-- > 0;)
		if (r->layer[i].source == LAYER_CMDLINE && !r->layer[i].compiled)
			from = r->layer[i].path;
	char dir[PATH_MAX];
	if (from) {
		snprintf(dir, sizeof dir, "%s", from);
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

/* What ~, ${TMPDIR} and the workspace stand for.  A policy that uses ~
 * when no home is known is refused; a deny under ~ also holds for the
 * password database's home when $HOME is another directory. */
static int paths(struct run *r)
{
	const char *tmp = getenv("TMPDIR");
	r->paths = (struct ll_paths){
		.home = r->home.dir[0] ? r->home.dir : NULL,
		.tmpdir = tmp && tmp[0] == '/' ? tmp : "/tmp",
		.workspace = r->ws,
		.std_fds = true, /* /dev/stdout is the file stdout already is */
	};
	if (!r->paths.home && layers_use_home(r)) {
		snprintf(r->err, sizeof r->err, "the policy uses ~, but HOME is not an absolute "
			 "path and the password database has no home directory for uid %u: set HOME",
			 (unsigned)getuid());
		return -1;
	}
	if (layers_deny_other_home(r) != 0) {
		snprintf(r->err, sizeof r->err, "out of memory");
		return -1;
	}
	return 0;
}

/* Whether the command could have put a symbolic link into the directory at
 * dirfd: every layer lets it change that directory (without Landlock:
 * cordon's user may write it).  ${TMPDIR} is each run's own directory,
 * made afresh: it is never where an earlier run left a link. */
static bool command_cannot_write(int dirfd, void *ctx)
{
	const struct run *r = ctx;
	if (r->o->abi_override == 1 || ll_kernel_abi() == 0)
		return faccessat(dirfd, ".", W_OK, AT_EACCESS) != 0;
	struct ll_paths paths = r->paths;
	paths.tmpdir = r->tmp.path[0] ? r->tmp.path : NULL;
	for (size_t i = 0; i < r->nlayers; i++) {
		struct changeable c;
		changeable_dirs(&r->layer[i].p, &paths, &c);
		if (!changeable_contains_fd(&c, dirfd))
			return true;
	}
	return false;
}

/* The report's directory, reached without a link the command could have
 * planted (an earlier run, under the same policy). */
static int report_path(struct run *r)
{
	return report_check_dir(&r->rep, command_cannot_write, r, r->err, sizeof r->err);
}

/* ${TMPDIR} is a private directory of this run. */
static int private_tmpdir(struct run *r)
{
	bool named = false;
	for (size_t i = 0; i < r->nlayers; i++)
		for (size_t k = 0; k < r->layer[i].p.nfs; k++)
			named |= r->layer[i].p.fs[k].base == CPB_BASE_TMPDIR;
	if (!named)
		return 0;
	char bad[PATH_MAX];
	if (ptmp_create(&r->tmp, r->paths.tmpdir, command_cannot_write, r, bad, sizeof bad) != 0) {
		if (errno == EPERM)
			snprintf(r->err, sizeof r->err, "the run's private temporary directory would "
				 "be made under %s, whose path goes through the symbolic link %s, "
				 "which lies where this policy lets the command write; set TMPDIR to "
				 "a directory without it", r->paths.tmpdir, bad);
		else
			snprintf(r->err, sizeof r->err, "cannot make the run's private temporary "
				 "directory under %s: %s (set TMPDIR to a writable directory)",
				 r->paths.tmpdir, strerror(errno));
		return -1;
	}
	r->paths.tmpdir = r->tmp.path;
	return 0;
}

/* What cordon holds (the child drops it; CAP_SYS_ADMIN makes mounts), the
 * namespace layer (decided here once: it takes from Landlock the `deny
 * write` inside writable trees that its mounts hold), and what cordon keeps
 * out of the command's reach, layer by layer. */
static int plan(struct run *r)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0, 0, 0}, {0, 0, 0}};
	if (syscall(SYS_capget, &h, d) != 0)
		memset(d, 0, sizeof d);
	r->caps = d[0].permitted | d[1].permitted | d[0].effective | d[1].effective;
	r->sys_admin = (d[0].effective >> CAP_SYS_ADMIN) & 1;
	r->setpcap = (d[0].effective >> CAP_SETPCAP) & 1;
	struct cpb_policy *p[RUN_MAX_LAYERS];
	for (size_t i = 0; i < r->nlayers; i++)
		p[i] = &r->layer[i].p;
	if (ns_plan(&r->ns, p, r->nlayers, &r->paths, r->o->ns_parts, r->sys_admin, r->err,
		    sizeof r->err) != 0)
		return -1;
	/* no namespace: what its layer would hold is held by other means (nons.h) */
	r->no_ns = !r->ns.active;
	if (!r->ns.active && r->ns.lost_holds)
		fprintf(stderr, "cordon: warning: no mount namespace (%s); `deny write` inside "
			"writable directories falls back to Landlock's carve-outs, which take from "
			"the directories on the way the right to create entries\n", r->ns.why);
	for (size_t i = 0; i < r->nlayers; i++)
		if (protect_own(&r->layer[i].p, &r->paths, r->lim.present & CG_LIMITS, &r->cache) < 0) {
			snprintf(r->err, sizeof r->err, "out of memory");
			return -1;
		}
	return 0;
}

/* One line for all the allowed paths this machine does not have, in every
 * layer (a path skipped by two layers counts twice); -q leaves it out. */
static void missing_paths_warning(const struct run *r)
{
	struct ll_result all = {.ruleset_fd = -1};
	for (size_t i = 0; i < r->nlayers; i++) {
		const struct ll_result *y = &r->layer[i].ll;
		all.nmissing += y->nmissing;
		for (size_t k = 0; k < LL_MISSING_SHOWN && y->missing[k]; k++) {
			size_t j = 0;
			while (j < LL_MISSING_SHOWN && all.missing[j] &&
			       strcmp(all.missing[j], y->missing[k]) != 0)
				j++;
			if (j < LL_MISSING_SHOWN && !all.missing[j])
				all.missing[j] = y->missing[k];
		}
	}
	char line[PATH_MAX + 256];
	ll_missing_summary(&all, line, sizeof line);
	if (line[0] && !r->o->quiet)
		fprintf(stderr, "cordon: warning: %s (-q: not this warning)\n", line);
}

/* One ruleset per layer. */
static int build_landlock(struct run *r)
{
	unsigned abi = r->o->abi_override;
	for (size_t i = 0; i < r->nlayers; i++) {
		struct layer *y = &r->layer[i];
		if (abi == 1) {
			r->missing |= y->p.features; /* as if there were no Landlock */
			continue;
		}
		if (ll_build(&y->p, &r->paths, abi ? abi - 1 : 0, &y->ll, r->err, sizeof r->err) != 0)
			return -1;
		r->abi = y->ll.abi;
		r->missing |= y->ll.missing_features;
	}
	missing_paths_warning(r);
	return 0;
}

/* A denied secret with another name that Landlock would let through. */
static int deny_links(struct run *r)
{
	for (size_t i = 0; i < r->nlayers; i++) {
		char warn[PATH_MAX + 256];
		switch (dl_check(&r->layer[i].p, &r->paths, r->err, sizeof r->err, warn,
				 sizeof warn)) {
		case -1:
			return -1;
		case 1:
			fprintf(stderr, "cordon: warning: %s\n", warn);
			break;
		}
	}
	return 0;
}

/* The seccomp listener, and where no namespace can be had what the
 * namespace layer would hold, by other means (nons.h). */
static int fallbacks(struct run *r)
{
	const struct cpb_policy *p[RUN_MAX_LAYERS];
	for (size_t i = 0; i < r->nlayers; i++)
		p[i] = &r->layer[i].p;
	nons_free(&r->nons);
	nt_free(&r->nt);
	if (nt_plan(&r->nt, r->no_ns, r->err, sizeof r->err) != 0)
		return -1;
	return nons_plan(&r->nons, r->no_ns, p, (unsigned)r->nlayers, &r->paths, &r->nt, r->err,
			 sizeof r->err);
}

/* A fresh cgroup for the limits that must hold for the whole tree: one,
 * with each limit the smallest of any layer. */
static int cgroup(struct run *r)
{
	if (!(r->lim.present & CG_LIMITS))
		return 0;
	struct cg_limits cl;
	limits_for_cgroup(&r->lim, &cl);
	if (cg_create(&r->cg, &cl, r->o->cg_backend, r->cg_err, sizeof r->cg_err) != -1)
		return 0;
	snprintf(r->err, sizeof r->err, "%s", r->cg_err);
	return -1;
}

/* Strict refuses what cannot be enforced. */
static int gaps(struct run *r)
{
	const char *no_cg = r->cg_err[0] ? r->cg_err : NULL;
	find_gaps(r->missing, r->abi, r->lim.present, no_cg, &r->gaps);
	const char *ng = nons_gap(&r->nons, &r->nt);
	if (ng)
		gaps_add(&r->gaps, ng);
	if (!r->gaps.n || r->best)
		return 0;
	gaps_refusal(&r->gaps, r->lim.present & CG_LIMITS, no_cg, r->err, sizeof r->err);
	return -1;
}

/* Filtered by every layer, from the innermost to the outermost. */
static int environment(struct run *r)
{
	const struct cpb_policy *p[RUN_MAX_LAYERS];
	for (size_t i = 0; i < r->nlayers; i++)
		p[i] = &r->layer[i].p;
	struct env_vars vars = {r->paths.home, r->paths.tmpdir, r->paths.workspace,
				r->tmp.path[0] != '\0'};
	r->env = env_build(p, r->nlayers, environ, &vars, r->err, sizeof r->err);
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

static void launch_layers(struct run *r)
{
	for (size_t i = 0; i < r->nlayers; i++) {
		struct layer *y = &r->layer[i];
		y->prog = (struct sock_fprog){(unsigned short)y->p.nbpf, y->p.bpf};
		r->ll[i] = (struct launch_layer){y->ll.ruleset_fd, y->ll.proc_self_rights, &y->prog,
						 y->path, y->ll.dev_shm_rights};
	}
}

/* The last resort: no namespaces after all, though ns_plan found nothing
 * against them; the command did not start.  Again with Landlock's
 * carve-outs, which hold the denies, and what the namespace layer would
 * have held by other means. */
static int launch_without_mounts(struct run *r)
{
	fprintf(stderr, "cordon: warning: %s; the command runs without the namespace layer, "
		"and `deny write` inside writable directories falls back to Landlock's "
		"carve-outs, which take from the directories on the way the right to create "
		"entries\n", r->out.error);
	unsigned abi = r->o->abi_override;
	if (ns_unplan(&r->ns, r->out.error) != 0) {
		snprintf(r->err, sizeof r->err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < r->nlayers; i++) {
		struct layer *y = &r->layer[i];
		ll_result_free(&y->ll);
		if (ll_build(&y->p, &r->paths, abi ? abi - 1 : 0, &y->ll, r->err, sizeof r->err) != 0)
			return -1;
	}
	/* and what the namespace layer would hold, by other means */
	r->no_ns = true;
	if (fallbacks(r) != 0)
		return -1;
	const char *ng = nons_gap(&r->nons, &r->nt);
	if (ng && !r->best) {
		snprintf(r->err, sizeof r->err, "this system cannot enforce all of the policy: %s. "
			 "Run with --best-effort (or `enforce best-effort;`) to run it anyway with "
			 "what can be enforced", ng);
		return -1;
	}
	if (ng)
		gaps_add(&r->gaps, ng);
	launch_layers(r);
	r->l.ns = NULL;
	launch_and_wait(&r->l, &r->out);
	return 0;
}

static int launch(struct run *r)
{
	if (!r->exe)
		return 0;
	launch_layers(r);
	r->l = (struct launch){
		.path = r->exe, .argv = r->o->cmd, .envp = r->env, .layer = r->ll,
		.nlayers = r->nlayers, .drop_caps = r->caps || geteuid() == 0,
		.setpcap = r->setpcap, .ns = &r->ns, .notify = &r->nt,
	};
	limits_for_launch(&r->lim, &r->cg, &r->l, &r->watch);
	if (r->lim.present & CPB_LIMIT_DISK) {
		/* the filesystems the innermost layer lets the command grow (the
		 * others' can only be fewer in effect); without Landlock, every
		 * one cordon may write on */
		if (watch_disk_start(&r->watch, &r->layer[r->nlayers - 1].p, &r->paths, r->abi == 0,
				     r->lim.disk, r->err, sizeof r->err) != 0)
			return -1;
		r->l.watch = &r->watch;
	}
	launch_and_wait(&r->l, &r->out);
	if (r->out.ns_failed && r->o->abi_override != 1 && launch_without_mounts(r) != 0)
		return -1;
	/* a refused exec: what the policy lacks, from the rules of the first
	 * layer that lacks it */
	for (size_t i = 0; r->out.reason == RUN_ERROR && r->out.exec_errno && r->abi && i < r->nlayers;
	     i++)
		if (exec_hint(&r->layer[i].p, &r->paths, r->exe, r->env, r->out.exec_errno,
			      r->out.error, sizeof r->out.error))
			break;
	if (r->out.reason == RUN_ERROR)
		fprintf(stderr, "cordon: %s\n", r->out.error);
	return 0;
}

/* Why it ended, from the cgroup's events: a failure after an OOM kill or a
 * refused fork is reported as such. */
static int after_run(struct run *r)
{
	/* what the run left in /dev/shm, where it is shared */
	nons_finish(&r->nons);
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
	struct report_layer layers[RUN_MAX_LAYERS];
	for (size_t i = 0; i < r->nlayers; i++)
		layers[i] = (struct report_layer){r->layer[i].path,
						  layer_source_name(r->layer[i].source)};
	const struct cpb_limits *lim = &r->lim;
	struct report rp = {
		.outcome = &r->out, .landlock_abi = r->abi,
		.landlock = r->abi == 0 ? "none" : r->missing ? "partial" : "full",
		.seccomp = true,
		.cgroup = r->cg.n ? cg_layout_name(r->cg.layout)
			: lim->present & (CPB_LIMIT_FILES | CPB_LIMIT_FSIZE | CG_LIMITS) ? "rlimit"
											  : "none",
		.cg = r->cg.n ? &r->st : NULL,
		.watch = r->watch.mem || r->watch.disk ? &r->watch : NULL,
		.cg_backend = r->cg.backend == CG_BACKEND_LIBCGROUP ? "libcgroup" : "cgroupfs",
		.cg_layout = cg_layout_name(r->cg.layout),
		.best_effort = r->best, .not_enforced = r->gaps.item,
		.layers = layers, .nlayers = r->nlayers,
		.namespaces = ns_enforced(&r->ns),
		.shm_swept = !r->nons.shm.on ? NULL
			     : r->nons.shm.removed ? (const char *const *)r->nons.shm.removed
						   : (const char *const[]){NULL},
	};
	report_save(&r->rep, &rp);
	return 0;
}

static const struct step {
	const char *name;
	int (*run)(struct run *r); /* 0, or -1 with r->err set */
} steps[] = {
	{"open the report", open_report},
	{"load the policy layers", load_layers},
	{"the workspace", workspace},
	{"the paths", paths},
	{"the report's path", report_path},
	{"the private TMPDIR", private_tmpdir},
	{"plan the layers of enforcement", plan},
	{"Landlock", build_landlock},
	{"denied files with another name", deny_links},
	{"what no namespace would hold", fallbacks},
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
	ns_free(&r->ns);
	nons_free(&r->nons);
	nt_free(&r->nt);
	if (r->cg.n)
		cg_destroy(&r->cg);
	watch_free(&r->watch);
	if (r->tmp.path[0] && ptmp_remove(&r->tmp) != 0)
		fprintf(stderr, "cordon: warning: cannot remove the run's temporary directory "
			"%s: %s\n", r->tmp.path, strerror(errno));
	report_close(&r->rep);
	for (size_t i = 0; i < r->nlayers; i++)
		layer_free(&r->layer[i]);
	layer_inputs_free(&r->discovery);
	free(r->exe);
	free(r->cache);
	env_free(r->env);
}

static int run(const struct opts *o)
{
	struct run *r = calloc(1, sizeof *r);
	if (!r) {
		fputs("cordon: error: out of memory\n", stderr);
		return EXIT_CORDON;
	}
	*r = (struct run){.o = o, .code = EXIT_CORDON, .tmp = {.parent_fd = -1},
			  .rep = {.dirfd = -1}, .nt = {.sock = {-1, -1}, .fd = -1}};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i].run(r) != 0) {
			fprintf(stderr, "cordon: error: %s\n", r->err);
			report_save_error(&r->rep, r->err, r->abi);
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
