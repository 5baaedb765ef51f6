/* Starting the sandboxed command and supervising it.
 *
 * The child is made with clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD), as
 * posix_spawn does: it shares the parent's memory until it execs, so it
 * costs no page-table copy, and it reports a failure by writing into the
 * shared struct below before it exits.  Between clone and exec it only
 * makes system calls, in this order: parent-death signal, the run's
 * cgroup (unless clone3 made it there), new session, close inherited fds,
 * rlimits, the namespace layer (ns_layer.c: its namespaces come with the
 * clone flags), drop capabilities, no_new_privs, Landlock, seccomp (last),
 * signal mask, exec.  Any failure ends it with the step and
 * errno recorded and the command never runs.
 *
 * The parent is a child subreaper, so every descendant that outlives its
 * parent is re-parented to cordon, and it waits in one poll loop over the
 * child's pidfd, a signalfd (SIGINT, SIGTERM, SIGHUP, SIGQUIT are forwarded
 * to the command's process group), a timerfd for `limit time`, one for
 * `limit cputime` (read from the cgroup) and one for the polled limits
 * (watch.c: `limit disk`, `limit memory` without a cgroup).  When the
 * command ends (or time is up) every process left in the tree and in its
 * cgroup is killed and reaped. */
#include "launch.h"

#include "clone3.h"
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef W_EXITCODE /* glibc's; musl has none */
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define SECBIT_NOROOT (1 << 0)
#define SECBIT_NOROOT_LOCKED (1 << 1)
#define SECBIT_NO_SETUID_FIXUP (1 << 2)
#define SECBIT_NO_SETUID_FIXUP_LOCKED (1 << 3)
#define SECBIT_KEEP_CAPS_LOCKED (1 << 5)
#define SECBIT_NO_CAP_AMBIENT_RAISE (1 << 6)
#define SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED (1 << 7)

enum step {
	STEP_NONE,
	STEP_PDEATHSIG,
	STEP_CGROUP,
	STEP_SETSID,
	STEP_CLOSE_FDS,
	STEP_RLIMIT,
	STEP_NAMESPACES,
	STEP_CWD,
	STEP_CAPS,
	STEP_NO_NEW_PRIVS,
	STEP_LANDLOCK,
	STEP_SECCOMP,
	STEP_SIGMASK,
	STEP_EXEC,
};

static const char *const step_names[] = {
	"", "setting the parent-death signal", "joining the run's cgroup",
	"starting a new session",
	"closing inherited file descriptors", "setting resource limits",
	"making the namespace layer's mounts",
	"entering the working directory in the namespace layer's view",
	"dropping capabilities", "setting no_new_privs",
	"applying the Landlock ruleset", "installing the seccomp filter",
	"restoring the signal mask", "executing the command",
};

struct child {
	const struct launch *l;
	pid_t parent;
	sigset_t mask; /* the caller's signal mask, restored before exec */
	bool in_cgroup; /* born in it (clone3 CLONE_INTO_CGROUP) */
	volatile int step;
	volatile int err;
	const char *volatile ns_what; /* STEP_NAMESPACES, STEP_CWD: where */
};

static int fail(struct child *c, int step)
{
	c->err = errno;
	c->step = step;
	_exit(125);
}

static int drop_caps(const struct launch *l)
{
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

static int child_main(void *arg)
{
	struct child *c = arg;
	const struct launch *l = c->l;

	/* the command dies with cordon; checked against the saved parent in
	 * case cordon died before the prctl */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != c->parent)
		fail(c, STEP_PDEATHSIG);
	/* into the run's cgroup before anything it could charge there */
	if (l->cg && !c->in_cgroup && cg_join(l->cg) < 0)
		fail(c, STEP_CGROUP);
	/* no controlling terminal to inject keystrokes into */
	if (setsid() < 0)
		fail(c, STEP_SETSID);
	int rfd = l->ruleset_fd;
	if (rfd > 3 && syscall(SYS_close_range, 3, rfd - 1, 0) < 0)
		fail(c, STEP_CLOSE_FDS);
	if (syscall(SYS_close_range, rfd >= 3 ? rfd + 1 : 3, ~0U, 0) < 0)
		fail(c, STEP_CLOSE_FDS);
	struct rlimit zero = {0, 0};
	if (setrlimit(RLIMIT_CORE, &zero) < 0 ||
	    (l->set_nofile && setrlimit(RLIMIT_NOFILE, &l->nofile) < 0) ||
	    (l->set_fsize && setrlimit(RLIMIT_FSIZE, &l->fsize) < 0) ||
	    (l->set_cpu && setrlimit(RLIMIT_CPU, &l->cpu) < 0) ||
	    (l->set_as && setrlimit(RLIMIT_AS, &l->as) < 0) ||
	    (l->set_nproc && setrlimit(RLIMIT_NPROC, &l->nproc) < 0))
		fail(c, STEP_RLIMIT);
	const char *what = "";
	int nsr = ns_apply(l->ns, &what);
	c->ns_what = what;
	if (nsr < 0)
		fail(c, nsr == -2 ? STEP_CWD : STEP_NAMESPACES);
	/* a user namespace gave us capabilities in it: none go on */
	if ((l->drop_caps || (l->ns && l->ns->active && l->ns->userns)) && drop_caps(l) < 0)
		fail(c, STEP_CAPS);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail(c, STEP_NO_NEW_PRIVS);
	if (rfd >= 0) {
		if (l->proc_self_rights && ll_add_proc_self(rfd, l->proc_self_rights) < 0)
			fail(c, STEP_LANDLOCK);
		if (l->ns && l->ns->active && l->ns->shm && l->dev_shm_rights &&
		    ll_add_child_rule(rfd, "/dev/shm", l->dev_shm_rights) < 0)
			fail(c, STEP_LANDLOCK);
		if (syscall(446 /* landlock_restrict_self */, rfd, 0) < 0)
			fail(c, STEP_LANDLOCK);
		close(rfd);
	}
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, l->filter) < 0)
		fail(c, STEP_SECCOMP);
	if (sigprocmask(SIG_SETMASK, &c->mask, NULL) < 0)
		fail(c, STEP_SIGMASK);
	execve(l->path, l->argv, l->envp);
	c->err = errno;
	c->step = STEP_EXEC;
	_exit(127);
}

static double tv_ms(const struct timeval *t)
{
	return (double)t->tv_sec * 1e3 + (double)t->tv_usec / 1e3;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Our own children, from /proc (the command's descendants re-parented to
 * us as subreaper).  Returns how many pids it put in out. */
static size_t list_children(pid_t self, pid_t *out, size_t max)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)self, (int)self);
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[8192];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	size_t k = 0;
	for (char *p = buf, *end; k < max && *p; p = end) {
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (v > 0)
			out[k++] = (pid_t)v;
	}
	return k;
}

/* Kills every process left in the command's tree and reaps them all.  Our
 * children cannot be reused pids until reaped, so kill() by pid is safe;
 * their own children re-parent to us when they die, and the loop ends when
 * nothing is left to wait for. */
static void sweep(pid_t pgid)
{
	pid_t self = getpid(), kids[512];
	if (pgid > 0)
		kill(-pgid, SIGKILL);
	for (;;) {
		/* usually nothing is left: no need to look in /proc */
		pid_t r = waitpid(-1, NULL, __WALL | WNOHANG);
		if (r < 0 && errno == ECHILD)
			break;
		if (r > 0)
			continue;
		size_t n = list_children(self, kids, 512);
		for (size_t i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		if (waitpid(-1, NULL, __WALL) < 0 && errno == ECHILD)
			break;
	}
}

static void set_error(struct run_outcome *o, int code, const char *fmt, const char *a,
		      int err)
{
	o->reason = RUN_ERROR;
	o->exit_code = code;
	snprintf(o->error, sizeof o->error, fmt, a, strerror(err));
}

/* The supervisor's signalfd and timers (-1: none). */
static void close_fds(int a, int b, int c)
{
	int fds[] = {a, b, c};
	for (size_t i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* When to look at the tree's CPU time next: it cannot use more than one
 * second per second per CPU it may run on, so not before the rest of the
 * limit divided by that; at least 10 ms apart. */
static void arm_cpu_check(int cfd, uint64_t used, uint64_t limit, unsigned ncpu)
{
	uint64_t left = limit > used ? limit - used : 0, us = left / (ncpu ? ncpu : 1);
	if (us < 10000)
		us = 10000;
	struct itimerspec its = {.it_value = {.tv_sec = (time_t)(us / 1000000),
					      .tv_nsec = (long)(us % 1000000) * 1000L}};
	timerfd_settime(cfd, 0, &its, NULL);
}

/* The next look at the polled limits: 10 ms on, or four times as long as
 * the last look took, so that a tree of many processes cannot keep the
 * supervisor busy. */
static void arm_watch(int wfd, uint64_t took_us)
{
	uint64_t us = took_us * 4 > 10000 ? took_us * 4 : 10000;
	struct itimerspec its = {.it_value = {.tv_sec = (time_t)(us / 1000000),
					      .tv_nsec = (long)(us % 1000000) * 1000L}};
	timerfd_settime(wfd, 0, &its, NULL);
}

static unsigned cpus_usable(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return 1;
	int n = CPU_COUNT(&set);
	return n > 0 ? (unsigned)n : 1;
}

int launch_and_wait(const struct launch *l, struct run_outcome *o)
{
	*o = (struct run_outcome){.exit_code = 125};
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* children waited for before (cordonc compiling the policy) are not
	 * the command's */
	struct rusage before;
	if (getrusage(RUSAGE_CHILDREN, &before) != 0)
		memset(&before, 0, sizeof before);

	sigset_t fwd, old;
	sigemptyset(&fwd);
	sigaddset(&fwd, SIGCHLD);
	sigaddset(&fwd, SIGINT);
	sigaddset(&fwd, SIGTERM);
	sigaddset(&fwd, SIGHUP);
	sigaddset(&fwd, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &fwd, &old) < 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		set_error(o, 125, "cannot set up the supervisor%s: %s", "", errno);
		return -1;
	}
	int sfd = signalfd(-1, &fwd, SFD_CLOEXEC | SFD_NONBLOCK);
	int tfd = -1;
	if (sfd >= 0 && l->time_limit_ms) {
		tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		struct itimerspec its = {.it_value = {
			.tv_sec = (time_t)(l->time_limit_ms / 1000),
			.tv_nsec = (long)(l->time_limit_ms % 1000) * 1000000L}};
		if (tfd >= 0 && timerfd_settime(tfd, 0, &its, NULL) < 0) {
			close(tfd);
			tfd = -1;
		}
	}
	/* limit cputime: the tree's CPU time, read from its cgroup */
	int cfd = -1;
	unsigned ncpu = 1;
	if (sfd >= 0 && l->cputime_limit_us && l->cg) {
		cfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		ncpu = cpus_usable();
		if (cfd >= 0)
			arm_cpu_check(cfd, 0, l->cputime_limit_us, ncpu);
	}
	/* the polled limits: every 10 ms, or less often when a look is slow */
	int wfd = -1;
	if (sfd >= 0 && l->watch) {
		wfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (wfd >= 0)
			arm_watch(wfd, 0);
	}
	if (sfd < 0 || (l->time_limit_ms && tfd < 0) ||
	    (l->cputime_limit_us && l->cg && cfd < 0) || (l->watch && wfd < 0)) {
		set_error(o, 125, "cannot set up the supervisor%s: %s", "", errno);
		close_fds(sfd, tfd, cfd);
		if (wfd >= 0)
			close(wfd);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}

	/* the child runs on this stack's spare room while we are suspended */
	static const size_t stack_size = 64 * 1024;
	char *stack = __builtin_alloca(stack_size + 16);
	stack = (char *)(((uintptr_t)stack + 15) & ~(uintptr_t)15);
	struct child c = {.l = l, .parent = getpid(), .mask = old};
	int pidfd = -1;
	pid_t pid = -1;
	int cgfd = l->cg ? cg_clone_fd(l->cg) : -1;
	/* born in its namespaces (the namespace layer) */
	int nsflags = l->ns ? ns_clone_flags(l->ns) : 0;
	if (cgfd >= 0) {
		/* born in its cgroup: never charged elsewhere, no migration */
		struct cordon_clone_args ca = {
			.flags = CLONE_VM | CLONE_VFORK | CLONE_PIDFD | CLONE_INTO_CGROUP |
				 (uint64_t)nsflags,
			.pidfd = (uint64_t)(uintptr_t)&pidfd, .exit_signal = SIGCHLD,
			.stack = (uint64_t)(uintptr_t)stack, .stack_size = stack_size,
			.cgroup = (uint64_t)cgfd,
		};
		c.in_cgroup = true;
		long r = cordon_clone3(&ca, sizeof ca, child_main, &c);
		pid = r > 0 ? (pid_t)r : -1;
		/* not available (old kernel, a seccomp filter of a container):
		 * clone and let the child write cgroup.procs */
		if (pid < 0) {
			c.in_cgroup = false;
			pidfd = -1;
		}
	}
	if (pid < 0)
		pid = clone(child_main, stack + stack_size,
			    CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD | nsflags, &c, &pidfd);
	if (pid < 0) {
		int e = errno;
		set_error(o, 125, "cannot start the command%s: clone: %s",
			  nsflags ? " in its namespaces" : "", e);
		/* refused namespaces (a seccomp filter, a limit): the caller may
		 * start it again without them */
		o->ns_failed = nsflags && e != EAGAIN && e != ENOMEM;
		close_fds(sfd, tfd, cfd);
		if (wfd >= 0)
			close(wfd);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}

	int status = 0;
	bool timed_out = false, over_limit = false, done = false;
	const char *polled = NULL; /* over_limit: the polled limit passed, or NULL (cputime) */
	if (c.step) {
		/* the child failed before exec and has exited */
		waitpid(pid, &status, 0);
		done = true;
		if (c.step == STEP_EXEC)
			set_error(o, c.err == ENOENT ? 127 : 126, "cannot execute %s: %s",
				  l->path, c.err);
		else
			set_error(o, 125, "sandbox set-up failed while %s: %s",
				  step_names[c.step], c.err);
		if (c.step == STEP_NAMESPACES || c.step == STEP_CWD) /* where */
			snprintf(o->error, sizeof o->error, "sandbox set-up failed while %s (%.1024s): "
				 "%s", step_names[c.step], c.ns_what, strerror(c.err));
		o->ns_failed = c.step == STEP_NAMESPACES;
		o->exec_errno = c.step == STEP_EXEC ? c.err : 0;
	}
	while (!done) {
		struct pollfd p[5] = {{pidfd, POLLIN, 0}, {sfd, POLLIN, 0}, {tfd, POLLIN, 0},
				      {cfd, POLLIN, 0}, {wfd, POLLIN, 0}};
		if (poll(p, 5, -1) < 0) {
			if (errno == EINTR)
				continue;
			set_error(o, 125, "supervisor poll%s: %s", "", errno);
			kill(-pid, SIGKILL);
			break;
		}
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
				if (si.ssi_signo != SIGCHLD)
					kill(-pid, (int)si.ssi_signo);
		}
		if (cfd >= 0 && (p[3].revents & POLLIN)) {
			uint64_t ticks, used = 0;
			ssize_t rd = read(cfd, &ticks, sizeof ticks); /* re-armed below */
			(void)rd;
			if (cg_cpu_usec(l->cg, &used) == 0 && used >= l->cputime_limit_us)
				over_limit = true;
			else
				arm_cpu_check(cfd, used, l->cputime_limit_us, ncpu);
		}
		if (wfd >= 0 && (p[4].revents & POLLIN)) {
			uint64_t ticks;
			ssize_t rd = read(wfd, &ticks, sizeof ticks); /* re-armed below */
			(void)rd;
			struct timespec w0;
			clock_gettime(CLOCK_MONOTONIC, &w0);
			if (watch_over(l->watch, c.parent, &polled))
				over_limit = true;
			else
				arm_watch(wfd, (uint64_t)(ms_since(&w0) * 1000));
		}
		if ((tfd >= 0 && (p[2].revents & POLLIN)) || over_limit) {
			timed_out = !over_limit;
			kill(-pid, SIGKILL);
			if (l->cg)
				cg_kill(l->cg);
			sweep(0);
			done = true;
			break;
		}
		if (p[0].revents & POLLIN) {
			siginfo_t info;
			memset(&info, 0, sizeof info);
			if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) == 0) {
				status = info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0)
								    : info.si_status;
				done = true;
			}
		}
	}
	/* whatever the command left running goes with it */
	if (l->cg)
		cg_kill(l->cg);
	sweep(pid);
	o->wall_ms = ms_since(&t0);
	struct rusage ru;
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0) {
		o->user_ms = tv_ms(&ru.ru_utime) - tv_ms(&before.ru_utime);
		o->sys_ms = tv_ms(&ru.ru_stime) - tv_ms(&before.ru_stime);
	}
	close(pidfd);
	close_fds(sfd, tfd, cfd);
	if (wfd >= 0)
		close(wfd);
	if (l->watch && l->watch->disk)
		watch_disk_growth(l->watch); /* the last word for the report */
	sigprocmask(SIG_SETMASK, &old, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);

	if (o->reason == RUN_ERROR)
		return 0;
	if (timed_out) {
		o->reason = RUN_TIMEOUT;
		o->exit_code = 124;
		o->signal = SIGKILL;
	} else if (over_limit) {
		o->reason = !polled ? RUN_CPU : strcmp(polled, "disk") == 0 ? RUN_DISK : RUN_OOM;
		o->signal = SIGKILL;
		o->exit_code = 128 + SIGKILL;
	} else if (WIFSIGNALED(status)) {
		o->reason = RUN_SIGNALED;
		o->signal = WTERMSIG(status);
		o->exit_code = 128 + o->signal;
	} else {
		o->reason = RUN_EXITED;
		o->exit_code = WEXITSTATUS(status);
	}
	return 0;
}
