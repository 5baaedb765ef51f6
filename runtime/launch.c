/* Starting the sandboxed command.
 *
 * The child is made with clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD), as
 * posix_spawn does: it shares the parent's memory until it execs, so it
 * costs no page-table copy, and it reports a failure by writing into the
 * shared struct below before it exits.  Between clone and exec it only
 * makes system calls: the steps of child_steps[] in their order, then the
 * exec.  Any failure ends it with the step and errno recorded, and the
 * command never runs.  The namespace layer's namespaces (ns_layer.c) come
 * with the clone's flags, its mounts in a step.  The supervisor
 * (supervisor.c) then waits for it. */
#include "launch.h"

#include "clone3.h"
#include "landlock.h"
#include "ns_layer.h"
#include "supervisor.h"

#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SECBIT_NOROOT (1 << 0)
#define SECBIT_NOROOT_LOCKED (1 << 1)
#define SECBIT_NO_SETUID_FIXUP (1 << 2)
#define SECBIT_NO_SETUID_FIXUP_LOCKED (1 << 3)
#define SECBIT_KEEP_CAPS_LOCKED (1 << 5)
#define SECBIT_NO_CAP_AMBIENT_RAISE (1 << 6)
#define SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED (1 << 7)

/* What the child shares with the parent (CLONE_VM): its input, and how it
 * failed. */
struct child {
	const struct launch *l;
	pid_t parent;
	sigset_t mask;   /* the caller's signal mask, restored before exec */
	bool in_cgroup;  /* born in it (clone3 CLONE_INTO_CGROUP) */
	int keep[LAUNCH_MAX_LAYERS + 1]; /* the rulesets' fds and the listener's
					  * socket, ascending: not closed */
	size_t nkeep;
	volatile int step; /* 1 + the index of the failed step; STEP_EXEC: the exec */
	volatile int layer; /* ... and the layer it was applying */
	volatile int err;
	const char *volatile ns_what; /* the namespaces step: where it failed */
	volatile bool ns_cwd; /* ... entering the working directory in the view */
};

/* ---- the child's steps, between clone and exec: system calls only -------- */

/* The command dies with cordon; checked against the saved parent in case
 * cordon died before the prctl. */
static int pdeathsig(struct child *c)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return -1;
	return getppid() == c->parent ? 0 : -1;
}

/* Into the run's cgroup before anything it could charge there. */
static int join_cgroup(struct child *c)
{
	return c->l->cg && !c->in_cgroup ? cg_join(c->l->cg) : 0;
}

/* No controlling terminal to inject keystrokes into. */
static int new_session(struct child *c)
{
	(void)c;
	return setsid() < 0 ? -1 : 0;
}

/* Every inherited fd above 2 but those keep_rulesets lists. */
static int close_fds(struct child *c)
{
	unsigned lo = 3;
	for (size_t i = 0; i < c->nkeep; i++) {
		unsigned k = (unsigned)c->keep[i];
		if (k > lo && syscall(SYS_close_range, lo, k - 1, 0) < 0)
			return -1;
		if (k + 1 > lo)
			lo = k + 1;
	}
	return syscall(SYS_close_range, lo, ~0U, 0) < 0 ? -1 : 0;
}

static int rlimits(struct child *c)
{
	const struct launch *l = c->l;
	struct rlimit zero = {0, 0};
	if (setrlimit(RLIMIT_CORE, &zero) < 0 ||
	    (l->set_nofile && setrlimit(RLIMIT_NOFILE, &l->nofile) < 0) ||
	    (l->set_fsize && setrlimit(RLIMIT_FSIZE, &l->fsize) < 0) ||
	    (l->set_cpu && setrlimit(RLIMIT_CPU, &l->cpu) < 0) ||
	    (l->set_as && setrlimit(RLIMIT_AS, &l->as) < 0) ||
	    (l->set_nproc && setrlimit(RLIMIT_NPROC, &l->nproc) < 0))
		return -1;
	return 0;
}

/* The namespace layer's view (ns_layer.c; the namespaces themselves came
 * with the clone's flags). */
static int namespaces(struct child *c)
{
	const char *what = "";
	int r = ns_apply(c->l->ns, &what);
	c->ns_what = what;
	c->ns_cwd = r == -2;
	return r < 0 ? -1 : 0;
}

static int drop_caps(struct child *c)
{
	const struct launch *l = c->l;
	/* a user namespace gave us capabilities in it: none go on */
	if (!l->drop_caps && !(l->ns && l->ns->active && l->ns->userns))
		return 0;
	/* no capability comes back through exec of a setuid-root file or as
	 * uid 0, and none can be raised into the ambient set (these need
	 * CAP_SETPCAP; without it there is no bounding set to empty) */
	if (l->setpcap && prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
				     SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |
				     SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
				     SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED, 0, 0, 0) < 0)
		return -1;
	/* every capability up to the kernel's last (EINVAL past it) */
	for (int cap = 0; l->setpcap && cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL && cap > 0)
				break;
			return -1;
		}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return -1;
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0, 0, 0}, {0, 0, 0}};
	return (int)syscall(SYS_capset, &h, d);
}

static int no_new_privs(struct child *c)
{
	(void)c;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ? -1 : 0;
}

/* One Landlock domain per layer: the kernel allows an access only when
 * every domain does. */
static int apply_landlock(struct child *c)
{
	for (size_t i = 0; i < c->l->nlayers; i++) {
		const struct launch_layer *y = &c->l->layer[i];
		c->layer = (int)i;
		if (y->ruleset_fd < 0)
			continue;
		if (y->proc_self_rights && ll_add_proc_self(y->ruleset_fd, y->proc_self_rights) < 0)
			return -1;
		/* a rule on the host's /dev/shm does not reach the tmpfs over it */
		if (c->l->ns && c->l->ns->active && c->l->ns->shm && y->dev_shm_rights &&
		    ll_add_child_rule(y->ruleset_fd, "/dev/shm", y->dev_shm_rights) < 0)
			return -1;
		if (syscall(446 /* landlock_restrict_self */, y->ruleset_fd, 0) < 0)
			return -1;
		close(y->ruleset_fd);
	}
	return 0;
}

/* One filter per layer (the kernel takes the strictest answer); last, so
 * that the steps above are not subject to them.  The innermost layer's goes
 * through notify.c: then the runtime's own filter, the last one installed
 * with the seccomp listener, which it sends to the parent. */
static int install_seccomp(struct child *c)
{
	const struct launch *l = c->l;
	for (size_t i = 0; i < l->nlayers; i++) {
		c->layer = (int)i;
		const struct sock_fprog *f = l->layer[i].filter;
		if ((i + 1 == l->nlayers && l->notify ? nt_install(f, l->notify)
						      : syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
								0, f)) < 0)
			return -1;
	}
	return 0;
}

static int restore_sigmask(struct child *c)
{
	return sigprocmask(SIG_SETMASK, &c->mask, NULL) < 0 ? -1 : 0;
}

static const struct child_step {
	const char *name; /* "sandbox set-up failed while NAME" */
	int (*run)(struct child *c);
} child_steps[] = {
	{"setting the parent-death signal", pdeathsig},
	{"joining the run's cgroup", join_cgroup},
	{"starting a new session", new_session},
	{"closing inherited file descriptors", close_fds},
	{"setting resource limits", rlimits},
	{"making the namespace layer's mounts", namespaces},
	{"dropping capabilities", drop_caps},
	{"setting no_new_privs", no_new_privs},
	{"applying the Landlock ruleset", apply_landlock},
	{"installing the seccomp filter", install_seccomp},
	{"restoring the signal mask", restore_sigmask},
};
#define NSTEPS (sizeof child_steps / sizeof child_steps[0])
#define STEP_EXEC ((int)NSTEPS + 1)

static int child_main(void *arg)
{
	struct child *c = arg;
	for (size_t i = 0; i < NSTEPS; i++)
		if (child_steps[i].run(c) < 0) {
			c->err = errno;
			c->step = (int)i + 1;
			_exit(125);
		}
	execve(c->l->path, c->l->argv, c->l->envp);
	c->err = errno;
	c->step = STEP_EXEC;
	_exit(127);
}

/* ---- the parent ------------------------------------------------------------ */

/* Clones the child (into its cgroup with clone3 where it can); the pid, or
 * -1 with errno.  Returns once the child has exec'd or exited. */
static pid_t start_child(struct child *c, int *pidfd)
{
	/* the child runs on this stack's spare room while we are suspended */
	static const size_t stack_size = 64 * 1024;
	char *stack = __builtin_alloca(stack_size + 16);
	stack = (char *)(((uintptr_t)stack + 15) & ~(uintptr_t)15);
	pid_t pid = -1;
	int cgfd = c->l->cg ? cg_clone_fd(c->l->cg) : -1;
	/* born in its namespaces (the namespace layer) */
	int nsflags = c->l->ns ? ns_clone_flags(c->l->ns) : 0;
	if (cgfd >= 0) {
		/* born in its cgroup: never charged elsewhere, no migration */
		struct cordon_clone_args ca = {
			.flags = CLONE_VM | CLONE_VFORK | CLONE_PIDFD | CLONE_INTO_CGROUP |
				 (uint64_t)nsflags,
			.pidfd = (uint64_t)(uintptr_t)pidfd, .exit_signal = SIGCHLD,
			.stack = (uint64_t)(uintptr_t)stack, .stack_size = stack_size,
			.cgroup = (uint64_t)cgfd,
		};
		c->in_cgroup = true;
		long r = cordon_clone3(&ca, sizeof ca, child_main, c);
		pid = r > 0 ? (pid_t)r : -1;
		/* not available (old kernel, a seccomp filter of a container):
		 * clone and let the child write cgroup.procs */
		if (pid < 0) {
			c->in_cgroup = false;
			*pidfd = -1;
		}
	}
	if (pid < 0)
		pid = clone(child_main, stack + stack_size,
			    CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD | nsflags, c, pidfd);
	return pid;
}

/* The child failed before exec and has exited: why, in o. */
static void child_failed(const struct child *c, pid_t pid, struct run_outcome *o)
{
	waitpid(pid, NULL, 0);
	if (c->step == STEP_EXEC) {
		sup_error(o, c->err == ENOENT ? 127 : 126, "cannot execute %s: %s", c->l->path,
			  c->err);
		o->exec_errno = c->err; /* exec_hint.c says what the policy lacks */
		return;
	}
	const struct child_step *s = &child_steps[c->step - 1];
	char what[PATH_MAX + 128];
	snprintf(what, sizeof what, "%s", s->name);
	if (c->l->nlayers > 1 && (s->run == apply_landlock || s->run == install_seccomp))
		snprintf(what, sizeof what, "%s of layer %d (%s)", s->name, c->layer + 1,
			 c->l->layer[c->layer].name);
	if (s->run == namespaces) /* where */
		snprintf(what, sizeof what, "%s (%.1024s)",
			 c->ns_cwd ? "entering the working directory in the namespace layer's view"
				   : s->name, c->ns_what);
	sup_error(o, 125, "sandbox set-up failed while %s: %s", what, c->err);
	o->ns_failed = s->run == namespaces && !c->ns_cwd;
}

/* The fds close_fds keeps, in ascending order: the rulesets' and the
 * child's end of the socketpair that carries the seccomp listener. */
static void keep_rulesets(struct child *c)
{
	const struct launch *l = c->l;
	for (size_t i = 0; i <= l->nlayers && c->nkeep <= LAUNCH_MAX_LAYERS; i++) {
		int fd = i < l->nlayers ? l->layer[i].ruleset_fd : l->notify ? l->notify->sock[1] : -1;
		if (fd < 3)
			continue;
		size_t k = c->nkeep++;
		for (; k > 0 && c->keep[k - 1] > fd; k--)
			c->keep[k] = c->keep[k - 1];
		c->keep[k] = fd;
	}
}

int launch_and_wait(const struct launch *l, struct run_outcome *o)
{
	*o = (struct run_outcome){.exit_code = 125};
	struct supervisor s;
	if (sup_open(&s, l, o) < 0)
		return -1;
	struct child c = {.l = l, .parent = getpid(), .mask = s.old};
	keep_rulesets(&c);
	int pidfd = -1;
	pid_t pid = start_child(&c, &pidfd);
	if (pid < 0) {
		int e = errno;
		bool ns = l->ns && ns_clone_flags(l->ns);
		sup_error(o, 125, "cannot start the command%s: clone: %s", ns ? " in its namespaces" : "",
			  e);
		/* refused namespaces (a seccomp filter, a limit): the caller may
		 * start it again without them */
		o->ns_failed = ns && e != EAGAIN && e != ENOMEM;
		sup_finish(&s, l, -1, -1, o);
		return -1;
	}
	if (c.step)
		child_failed(&c, pid, o);
	else
		sup_wait(&s, l, pid, pidfd, o);
	sup_finish(&s, l, pid, pidfd, o);
	return 0;
}
