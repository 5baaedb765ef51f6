/* cordon: run a command inside a compiled policy, and say how it ended.
 *   cordon run [-p POLICY] [--report FILE|-] [--workspace DIR]
 *              [--best-effort|--strict] [--] CMD [ARG]...
 *   cordon probe
 * Exit status: the command's own; 128+N for signal N; 124 `limit time`;
 * 125 cordon failed before the command started (the command never ran);
 * 126 the command cannot be executed; 127 it was not found. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cg_advice.h"
#include "cgroup.h"
#include "deny_links.h"
#include "env.h"
#include "exec_hint.h"
#include "landlock_abi.h"
#include "landlock.h"
#include "launch.h"
#include "ns_layer.h"
#include "policy_load.h"
#include "policy_source.h"
#include "private_tmp.h"
#include "probe.h"
#include "report.h"

#ifndef CORDON_VERSION
#define CORDON_VERSION "0.1"
#endif

extern char **environ;

/* The limits only a cgroup holds for the whole tree. */
#define CG_LIMITS (CPB_LIMIT_MEMORY | CPB_LIMIT_PIDS | CPB_LIMIT_CPU | CPB_LIMIT_CPUTIME)

enum { EXIT_CORDON = 125, EXIT_CANNOT_EXEC = 126, EXIT_NOT_FOUND = 127 };

struct opts {
	const char *policy, *report, *workspace;
	bool best_effort, strict;
	bool quiet; /* -q: no warning about allowed paths that do not exist */
	unsigned abi_override; /* --assume-landlock-abi N: N + 1; 0: not given */
	unsigned ns_parts;     /* --ns-layer: what the namespace layer may do */
	enum cg_backend cg_backend;
	char **cmd;
};

static void usage(FILE *out)
{
	fputs("usage: cordon run [-p POLICY] [--report FILE|-] [--workspace DIR] [-q]\n"
	      "                  [--best-effort|--strict] [--cgroup-backend=cgroupfs|libcgroup]\n"
	      "                  [--] CMD [ARG]...\n"
	      "       cordon probe\n"
	      "POLICY is a compiled .cpb or a source policy; without -p, the file .cordon\n"
	      "in the working directory or its nearest parent.  --report - writes the\n"
	      "JSON report to standard error.  -q: no warning about allowed paths that\n"
	      "do not exist on this machine.\n",
	      out);
}

/* Parses `cordon run` options; returns 0, or 125 on a usage error (the
 * command did not run, as env(1) and timeout(1) say it). */
static int parse_run(int argc, char **argv, struct opts *o)
{
	enum { O_REPORT = 256, O_WORKSPACE, O_BEST, O_STRICT, O_ABI, O_CGB, O_NS, O_HELP };
	static const struct option lo[] = {
		{"policy", required_argument, NULL, 'p'},
		{"report", required_argument, NULL, O_REPORT},
		{"workspace", required_argument, NULL, O_WORKSPACE},
		{"best-effort", no_argument, NULL, O_BEST},
		{"strict", no_argument, NULL, O_STRICT},
		{"assume-landlock-abi", required_argument, NULL, O_ABI},
		{"cgroup-backend", required_argument, NULL, O_CGB},
		{"ns-layer", required_argument, NULL, O_NS},
		{"help", no_argument, NULL, O_HELP},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 1;
	o->ns_parts = NS_ALL;
	while ((c = getopt_long(argc, argv, "+p:q", lo, NULL)) != -1) {
		switch (c) {
		case 'p': o->policy = optarg; break;
		case 'q': o->quiet = true; break;
		case O_REPORT: o->report = optarg; break;
		case O_WORKSPACE: o->workspace = optarg; break;
		case O_BEST: o->best_effort = true; break;
		case O_STRICT: o->strict = true; break;
		case O_ABI: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || v > 64) {
				fprintf(stderr, "cordon: error: --assume-landlock-abi takes 0 to 64\n");
				return EXIT_CORDON;
			}
			/* testing: behave as if the kernel had this ABI (never more
			 * than it has; 0: no Landlock at all) */
			o->abi_override = (unsigned)v + 1;
			break;
		}
		case O_CGB:
			if (strcmp(optarg, "cgroupfs") == 0) {
				o->cg_backend = CG_BACKEND_CGROUPFS;
			} else if (strcmp(optarg, "libcgroup") == 0) {
				o->cg_backend = CG_BACKEND_LIBCGROUP;
			} else {
				fprintf(stderr, "cordon: error: --cgroup-backend takes cgroupfs or "
						"libcgroup, not '%s'\n", optarg);
				return EXIT_CORDON;
			}
			break;
		case O_NS:
			/* benchmarks and tests: less of the namespace layer */
			if (ns_parse_parts(optarg, &o->ns_parts) != 0) {
				fprintf(stderr, "cordon: error: --ns-layer takes all, none or a "
					"list of mount,ipc,view,holds,covers,shm, not '%s'\n", optarg);
				return EXIT_CORDON;
			}
			break;
		case O_HELP: usage(stdout); exit(0);
		default: usage(stderr); return EXIT_CORDON;
		}
	}
	if (o->best_effort && o->strict) {
		fputs("cordon: error: --best-effort and --strict contradict each other\n", stderr);
		return EXIT_CORDON;
	}
	if (optind >= argc) {
		fputs("cordon: error: no command given\n", stderr);
		usage(stderr);
		return EXIT_CORDON;
	}
	o->cmd = argv + optind;
	return 0;
}

/* The executable for cmd: as given when it holds a '/', else searched in the
 * sandbox's PATH (or a default). */
static char *resolve_command(const char *cmd, char *const *env)
{
	if (strchr(cmd, '/'))
		return strdup(cmd);
	const char *path = "/usr/local/bin:/usr/bin:/bin";
	for (char *const *e = env; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	char *copy = strdup(path), *save = NULL;
	for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
		char cand[PATH_MAX];
		snprintf(cand, sizeof cand, "%s/%s", *d ? d : ".", cmd);
		struct stat st;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
			free(copy);
			return strdup(cand);
		}
	}
	free(copy);
	return NULL;
}

/* Adds a rule the policy did not write: nothing in the sandbox may change
 * cordon's policy cache (a policy planted there would be the next run's).
 * A deny carve-out, so that even an allowed ~ cannot reach it, nor rename
 * it away. */
/* The directories the policy lets the sandbox change, by inode; a path that
 * does not exist (it may become a directory) or too many make `unknown`. */
struct changeable {
	struct stat st[64];
	size_t n;
	bool unknown;
};

static void changeable_dirs(const struct cpb_policy *p, const struct ll_paths *paths,
			    struct changeable *c)
{
	uint64_t change = p->handled_fs & ~(CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR |
					   CORDON_LL_FS_EXECUTE);
	c->n = 0;
	c->unknown = false;
	for (size_t i = 0; i < p->nfs; i++) {
		const struct cpb_fs_rule *r = &p->fs[i];
		char path[PATH_MAX];
		if (!(r->allow & change))
			continue;
		if (ll_rule_path(r, paths, path, sizeof path) != 0) {
			c->unknown |= errno == ENAMETOOLONG; /* cannot tell: protect */
			continue;
		}
		struct stat st;
		if (stat(path, &st) != 0 || c->n == 64)
			c->unknown = true;
		else if (S_ISDIR(st.st_mode))
			c->st[c->n++] = st;
	}
}

/* Whether one of c's directories is dir or one of its parents, compared by
 * inode so that symbolic links cannot hide it. */
static bool contains(const struct changeable *c, const char *dir)
{
	if (c->unknown)
		return true;
	int fd = openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st, prev = {0};
	bool hit = fd < 0; /* cannot tell: protect it */
	for (size_t depth = 0; !hit && fd >= 0 && depth < 256 && fstat(fd, &st) == 0; depth++) {
		if (depth && st.st_dev == prev.st_dev && st.st_ino == prev.st_ino)
			break; /* the root is its own parent */
		for (size_t k = 0; k < c->n && !hit; k++)
			hit = st.st_dev == c->st[k].st_dev && st.st_ino == c->st[k].st_ino;
		prev = st;
		int up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = up;
	}
	if (fd >= 0)
		close(fd);
	return hit;
}

/* Adds a deny carve-out for everything but reading under dir. */
static int deny_changes(struct cpb_policy *p, const char *dir)
{
	struct cpb_fs_rule *fs = realloc(p->fs, (p->nfs + 1) * sizeof *fs);
	if (!fs)
		return -1;
	p->fs = fs;
	p->fs[p->nfs++] = (struct cpb_fs_rule){
		.path = dir, .base = CPB_BASE_ROOT,
		.deny = p->handled_fs & ~(CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR |
					  CORDON_LL_FS_EXECUTE),
	};
	return 0;
}

/* Keeps what cordon relies on out of the command's reach when the policy
 * would let it change it: the policy cache (the next run's policy) and,
 * when the run has a cgroup, the cgroup filesystem (a command that may
 * write cgroup.procs elsewhere leaves its limits behind: root without
 * capabilities still owns those files). */
static int protect_own(struct cpb_policy *p, const struct ll_paths *paths, bool cgroup,
		       char **dir_out)
{
	*dir_out = NULL;
	struct changeable c;
	changeable_dirs(p, paths, &c);
	/* a policy that changes no directory can neither write the cache nor
	 * create it */
	if (!c.n && !c.unknown)
		return 0;
	if (cgroup && contains(&c, "/sys/fs/cgroup") && deny_changes(p, "/sys/fs/cgroup") < 0)
		return -1;
	char *dir = policy_cache_dir();
	*dir_out = dir;
	if (!dir || !contains(&c, dir))
		return 0;
	return deny_changes(p, dir);
}

/* What the kernel or this version of cordon cannot enforce of p. */
struct gaps {
	const char *item[17]; /* NULL-terminated */
	char text[16][160];
	size_t n;
	size_t cg_from, cg_to; /* the items that a missing cgroup made */
};

static void gap(struct gaps *g, const char *fmt, const char *a, unsigned x, unsigned y)
{
	if (g->n >= 16)
		return;
	snprintf(g->text[g->n], sizeof g->text[g->n], fmt, a, x, y);
	g->item[g->n] = g->text[g->n];
	g->n++;
}

static void find_gaps(const struct cpb_policy *p, const struct ll_result *ll,
		      const char *no_cgroup, struct gaps *g)
{
	for (unsigned b = 0; b < CPB_FEAT_COUNT; b++)
		if (ll->missing_features & (1U << b))
			gap(g, "%s (needs Landlock ABI %u; this kernel has %u)",
			    cpb_feature_name(b), cpb_feature_abi(b), ll->abi);
	g->cg_from = g->cg_to = g->n;
	if (!no_cgroup)
		return;
	uint32_t present = p->limits.present;
	if (present & CPB_LIMIT_MEMORY)
		gap(g, "limit memory (no cgroup; best-effort sets RLIMIT_AS on each process and "
		       "polls the tree's memory (PSS) every 10 ms)%s", "", 0, 0);
	if (present & CPB_LIMIT_PIDS)
		gap(g, geteuid() == 0 ? "limit pids (no cgroup; RLIMIT_NPROC does not apply to "
					"root: not enforced)%s"
				      : "limit pids (no cgroup; best-effort sets RLIMIT_NPROC, "
					"which counts every process of uid %2$u, not only this tree)%1$s",
		    "", (unsigned)getuid(), 0);
	if (present & CPB_LIMIT_CPU)
		gap(g, "limit cpu (no cgroup: not enforced)%s", "", 0, 0);
	if (present & CPB_LIMIT_CPUTIME)
		gap(g, "limit cputime (no cgroup; best-effort sets RLIMIT_CPU on each process, "
		       "not the tree)%s", "", 0, 0);
	g->cg_to = g->n;
}

static int run(struct opts *o)
{
	char err[PATH_MAX + 1024];
	FILE *rep = NULL;
	if (o->report)
		rep = strcmp(o->report, "-") == 0 ? stderr : fopen(o->report, "we");
	if (o->report && !rep) {
		fprintf(stderr, "cordon: error: cannot write the report %s: %s\n", o->report,
			strerror(errno));
		return EXIT_CORDON;
	}
	struct cpb_policy p;
	char *policy_path = NULL;
	struct ll_result ll = {.ruleset_fd = -1};
	char **env = NULL, *exe = NULL, *cache = NULL;
	int code = EXIT_CORDON;
	struct cg_run cg = {.n = 0};
	char ptmp[PATH_MAX] = ""; /* the private ${TMPDIR}, once made */
	struct ns_plan ns = {.active = false};
	struct watch watch = {.nfs = 0};

	if (policy_open(o->policy, &p, &policy_path, err, sizeof err) != 0) {
		p = (struct cpb_policy){0};
		goto fail;
	}
	char ws[PATH_MAX];
	if (!realpath(o->workspace ? o->workspace : ".", ws)) {
		snprintf(err, sizeof err, "workspace %s: %s", o->workspace ? o->workspace : ".",
			 strerror(errno));
		goto fail;
	}
	/* the command runs in its workspace */
	if (o->workspace && chdir(ws) != 0) {
		snprintf(err, sizeof err, "workspace %s: %s", ws, strerror(errno));
		goto fail;
	}
	const char *home = getenv("HOME"), *tmp = getenv("TMPDIR");
	struct ll_paths paths = {
		.home = home && home[0] == '/' ? home : NULL,
		.tmpdir = tmp && tmp[0] == '/' ? tmp : "/tmp",
		.workspace = ws,
		.std_fds = true, /* /dev/stdout is the file stdout already is */
	};
	/* ${TMPDIR} is a private directory of this run */
	for (size_t i = 0; i < p.nfs && !ptmp[0]; i++)
		if (p.fs[i].base == CPB_BASE_TMPDIR) {
			if (ptmp_create(paths.tmpdir, ptmp, sizeof ptmp) != 0) {
				snprintf(err, sizeof err, "cannot make the run's private temporary "
					 "directory under %s: %s (set TMPDIR to a writable directory)",
					 paths.tmpdir, strerror(errno));
				ptmp[0] = '\0';
				goto fail;
			}
			paths.tmpdir = ptmp;
		}
	for (size_t i = 0; i < p.nfs && !paths.home; i++)
		if (p.fs[i].base == CPB_BASE_HOME && p.fs[i].allow) {
			snprintf(err, sizeof err, "the policy names paths under ~ but HOME is not "
				 "set to an absolute path");
			goto fail;
		}
	/* what cordon holds: the child drops it; CAP_SYS_ADMIN makes mounts */
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0, 0, 0}, {0, 0, 0}};
	if (syscall(SYS_capget, &h, d) != 0)
		memset(d, 0, sizeof d);
	bool caps = d[0].permitted | d[1].permitted | d[0].effective | d[1].effective;
	bool sys_admin = (d[0].effective >> CAP_SYS_ADMIN) & 1;
	/* the namespace layer, decided here once; it takes from Landlock the
	 * `deny write` inside writable trees that its mounts hold */
	struct cpb_policy *layers[] = {&p};
	if (ns_plan(&ns, layers, 1, &paths, o->ns_parts, sys_admin, err, sizeof err) != 0)
		goto fail;
	if (!ns.active && ns.lost_holds)
		fprintf(stderr, "cordon: warning: no mount namespace (%s); `deny write` inside "
			"writable directories falls back to Landlock's carve-outs, which take from "
			"the directories on the way the right to create entries\n", ns.why);
	if (protect_own(&p, &paths, p.limits.present & CG_LIMITS, &cache) < 0) {
		snprintf(err, sizeof err, "out of memory");
		goto fail;
	}
	if (o->abi_override == 1) {
		ll.missing_features = p.features; /* as if there were no Landlock */
	} else if (ll_build(&p, &paths, o->abi_override ? o->abi_override - 1 : 0, &ll,
			    err, sizeof err) != 0) {
		goto fail;
	}
	/* one line for all the allowed paths this machine does not have */
	char missing[PATH_MAX + 256];
	ll_missing_summary(&ll, missing, sizeof missing);
	if (missing[0] && !o->quiet)
		fprintf(stderr, "cordon: warning: %s (-q: not this warning)\n", missing);
	/* a denied secret with another name that Landlock would let through */
	char dl_warn[PATH_MAX + 256];
	switch (dl_check(&p, &paths, err, sizeof err, dl_warn, sizeof dl_warn)) {
	case -1:
		goto fail;
	case 1:
		fprintf(stderr, "cordon: warning: %s\n", dl_warn);
		break;
	}

	bool best = !o->strict && (o->best_effort || (p.flags & CPB_FLAG_BEST_EFFORT));
	/* a fresh cgroup for the limits that must hold for the whole tree */
	const struct cpb_limits *lim = &p.limits;
	char cg_err[PATH_MAX + 512] = "";
	if (lim->present & CG_LIMITS) {
		struct cg_limits cl = {
			.memory = lim->present & CPB_LIMIT_MEMORY ? lim->memory : 0,
			.pids = lim->present & CPB_LIMIT_PIDS ? lim->pids : 0,
			.cputime = lim->present & CPB_LIMIT_CPUTIME,
		};
		if (lim->present & CPB_LIMIT_CPU) {
			/* a share of one CPU over each 100 ms (the kernel's floor: 1 ms) */
			cl.cpu_period_us = 100000;
			cl.cpu_quota_us = (uint64_t)lim->cpu_milli * 100;
			if (cl.cpu_quota_us < 1000)
				cl.cpu_quota_us = 1000;
		}
		int rc = cg_create(&cg, &cl, o->cg_backend, cg_err, sizeof cg_err);
		if (rc == -1) {
			snprintf(err, sizeof err, "%s", cg_err);
			goto fail;
		}
	}
	struct gaps g = {0};
	find_gaps(&p, &ll, cg_err[0] ? cg_err : NULL, &g);
	/* the gaps a missing cgroup made are said in short, with what works on
	 * this host (cg_advice.c); the others one by one */
	size_t others = g.n - (g.cg_to - g.cg_from), used = 0;
	if (g.n && !best && others) {
		used = (size_t)snprintf(err, sizeof err,
					"this system cannot enforce all of the policy: ");
		for (size_t i = 0, k = 0; i < g.n && used < sizeof err; i++)
			if (i < g.cg_from || i >= g.cg_to)
				used += (size_t)snprintf(err + used, sizeof err - used, "%s%s",
							 k++ ? "; " : "", g.item[i]);
		if (used < sizeof err)
			used += (size_t)snprintf(err + used, sizeof err - used,
				 ". Run with --best-effort (or `enforce best-effort;`) to run "
				 "it anyway with what can be enforced%s", cg_err[0] ? ". Also: " : "");
	}
	if (g.n && !best && cg_err[0] && used < sizeof err)
		cg_refusal(p.limits.present & CG_LIMITS, cg_err, err + used, sizeof err - used);
	if (g.n && !best)
		goto fail;

	struct env_vars vars = {paths.home, paths.tmpdir, paths.workspace, ptmp[0] != '\0'};
	env = env_build(&p, environ, &vars, err, sizeof err);
	if (!env)
		goto fail;
	struct run_outcome out = {0};
	exe = resolve_command(o->cmd[0], env);
	if (!exe) {
		out.reason = RUN_ERROR;
		out.exit_code = EXIT_NOT_FOUND;
		snprintf(out.error, sizeof out.error, "%s: command not found", o->cmd[0]);
		fprintf(stderr, "cordon: %s\n", out.error);
	} else {
		struct sock_fprog prog = {(unsigned short)p.nbpf, p.bpf};
		struct launch l = {
			.path = exe, .argv = o->cmd, .envp = env, .ruleset_fd = ll.ruleset_fd,
			.proc_self_rights = ll.proc_self_rights,
			.filter = &prog, .drop_caps = caps || geteuid() == 0,
			.setpcap = (d[0].effective >> CAP_SETPCAP) & 1,
			.ns = &ns, .dev_shm_rights = ll.dev_shm_rights,
		};
		if (lim->present & CPB_LIMIT_FILES) {
			l.set_nofile = true;
			l.nofile.rlim_cur = l.nofile.rlim_max = lim->files;
		}
		if (lim->present & CPB_LIMIT_FSIZE) {
			l.set_fsize = true;
			l.fsize.rlim_cur = l.fsize.rlim_max = lim->fsize;
		}
		if (cg.n) {
			l.cg = &cg;
			if (lim->present & CPB_LIMIT_CPUTIME)
				l.cputime_limit_us = lim->cputime_ms * 1000;
		} else {
			/* best-effort without a cgroup (strict refused above) */
			if (lim->present & CPB_LIMIT_CPUTIME) {
				l.set_cpu = true;
				l.cpu.rlim_cur = (lim->cputime_ms + 999) / 1000;
				l.cpu.rlim_max = l.cpu.rlim_cur + 1;
			}
			if (lim->present & CPB_LIMIT_MEMORY) {
				l.set_as = true;
				l.as.rlim_cur = l.as.rlim_max = lim->memory;
			}
			if ((lim->present & CPB_LIMIT_PIDS) && geteuid() != 0) {
				l.set_nproc = true;
				l.nproc.rlim_cur = l.nproc.rlim_max = lim->pids;
			}
			/* ... and the tree's memory, polled */
			if (lim->present & CPB_LIMIT_MEMORY) {
				watch.mem = true;
				watch.mem_limit = lim->memory;
				l.watch = &watch;
			}
		}
		if (lim->present & CPB_LIMIT_DISK) {
			/* without Landlock the command may write wherever cordon may */
			if (watch_disk_start(&watch, &p, &paths, ll.ruleset_fd < 0, lim->disk, err,
					     sizeof err) != 0)
				goto fail;
			l.watch = &watch;
		}
		if (lim->present & CPB_LIMIT_TIME)
			l.time_limit_ms = lim->time_ms;
		launch_and_wait(&l, &out);
		if (out.ns_failed && o->abi_override != 1) {
			/* the last resort: no namespaces after all, though ns_plan
			 * found nothing against them; the command did not start.
			 * Again with Landlock's carve-outs, which hold the denies */
			fprintf(stderr, "cordon: warning: %s; the command runs without the "
				"namespace layer, and `deny write` inside writable directories "
				"falls back to Landlock's carve-outs, which take from the "
				"directories on the way the right to create entries\n", out.error);
			if (ns_unplan(&ns, out.error) != 0) {
				snprintf(err, sizeof err, "out of memory");
				goto fail;
			}
			ll_result_free(&ll);
			if (ll_build(&p, &paths, o->abi_override ? o->abi_override - 1 : 0, &ll,
				     err, sizeof err) != 0)
				goto fail;
			l.ruleset_fd = ll.ruleset_fd;
			l.proc_self_rights = ll.proc_self_rights;
			l.ns = NULL;
			launch_and_wait(&l, &out);
		}
		/* a refused exec: what the policy lacks, from its rules */
		if (out.reason == RUN_ERROR && out.exec_errno && ll.ruleset_fd >= 0)
			exec_hint(&p, &paths, exe, env, out.exec_errno, out.error,
				  sizeof out.error);
		if (out.reason == RUN_ERROR)
			fprintf(stderr, "cordon: %s\n", out.error);
	}
	/* why it ended, from the cgroup's events: a failure after an OOM kill
	 * or a refused fork is reported as such */
	struct cg_stats st = {0};
	if (cg.n) {
		cg_stats(&cg, &st);
		bool failed = out.reason == RUN_SIGNALED ||
			      (out.reason == RUN_EXITED && out.exit_code != 0);
		if (failed && st.oom_kills)
			out.reason = RUN_OOM;
		else if (failed && st.pids_max)
			out.reason = RUN_PIDS;
	}
	code = out.exit_code;
	if (rep) {
		struct report r = {
			.outcome = &out, .landlock_abi = ll.abi,
			.landlock = ll.abi == 0 ? "none" : ll.missing_features ? "partial" : "full",
			.seccomp = true,
			.cgroup = cg.n ? cg_layout_name(cg.layout)
				: p.limits.present & (CPB_LIMIT_FILES | CPB_LIMIT_FSIZE | CG_LIMITS)
					  ? "rlimit" : "none",
			.cg = cg.n ? &st : NULL,
			.watch = watch.mem || watch.disk ? &watch : NULL,
			.cg_backend = cg.backend == CG_BACKEND_LIBCGROUP ? "libcgroup" : "cgroupfs",
			.cg_layout = cg_layout_name(cg.layout),
			.best_effort = best, .not_enforced = g.item, .policy = policy_path,
			.namespaces = ns_enforced(&ns),
		};
		g.item[g.n] = NULL;
		report_write(rep, &r);
	}
	goto done;
fail:
	fprintf(stderr, "cordon: error: %s\n", err);
	if (rep)
		report_error(rep, err, ll.abi);
done:
	if (cg.n)
		cg_destroy(&cg);
	ns_free(&ns);
	watch_free(&watch);
	if (ptmp[0] && ptmp_remove(ptmp) != 0)
		fprintf(stderr, "cordon: warning: cannot remove the run's temporary directory "
			"%s: %s\n", ptmp, strerror(errno));
	if (rep && rep != stderr)
		fclose(rep);
	free(exe);
	free(cache);
	env_free(env);
	ll_result_free(&ll);
	cpb_free(&p);
	free(policy_path);
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
