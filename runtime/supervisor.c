/* The supervisor's poll loop, the sweep of what the command left, and how
 * the run ended (see supervisor.h). */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef W_EXITCODE /* glibc's; musl has none */
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

void sup_error(struct run_outcome *o, int code, const char *fmt, const char *a, int err)
{
	o->reason = RUN_ERROR;
	o->exit_code = code;
	snprintf(o->error, sizeof o->error, fmt, a, strerror(err));
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

static void arm(int fd, uint64_t us)
{
	struct itimerspec its = {.it_value = {.tv_sec = (time_t)(us / 1000000),
					      .tv_nsec = (long)(us % 1000000) * 1000L}};
	timerfd_settime(fd, 0, &its, NULL);
}

/* When to look at the tree's CPU time next: it cannot use more than one
 * second per second per CPU it may run on, so not before the rest of the
 * limit divided by that; at least 10 ms apart. */
static void arm_cpu_check(int cfd, uint64_t used, uint64_t limit, unsigned ncpu)
{
	uint64_t left = limit > used ? limit - used : 0, us = left / (ncpu ? ncpu : 1);
	arm(cfd, us < 10000 ? 10000 : us);
}

/* The next look at the polled limits: 10 ms on, or four times as long as
 * the last look took, so that a tree of many processes cannot keep the
 * supervisor busy. */
static void arm_watch(int wfd, uint64_t took_us)
{
	arm(wfd, took_us * 4 > 10000 ? took_us * 4 : 10000);
}

static unsigned cpus_usable(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return 1;
	int n = CPU_COUNT(&set);
	return n > 0 ? (unsigned)n : 1;
}

static int timer(void)
{
	return timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
}

static void close_all(struct supervisor *s)
{
	int *fds[] = {&s->sfd, &s->tfd, &s->cfd, &s->wfd};
	for (size_t i = 0; i < 4; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

int sup_open(struct supervisor *s, const struct launch *l, struct run_outcome *o)
{
	*s = (struct supervisor){.sfd = -1, .tfd = -1, .cfd = -1, .wfd = -1, .ncpu = 1};
	clock_gettime(CLOCK_MONOTONIC, &s->t0);
	if (getrusage(RUSAGE_CHILDREN, &s->before) != 0)
		memset(&s->before, 0, sizeof s->before);
	sigset_t fwd;
	sigemptyset(&fwd);
	sigaddset(&fwd, SIGCHLD);
	sigaddset(&fwd, SIGINT);
	sigaddset(&fwd, SIGTERM);
	sigaddset(&fwd, SIGHUP);
	sigaddset(&fwd, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &fwd, &s->old) < 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		sup_error(o, 125, "cannot set up the supervisor%s: %s", "", errno);
		return -1;
	}
	s->sfd = signalfd(-1, &fwd, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->sfd >= 0 && l->time_limit_ms) {
		s->tfd = timer();
		if (s->tfd >= 0 &&
		    timerfd_settime(s->tfd, 0,
				    &(struct itimerspec){.it_value = {
					    .tv_sec = (time_t)(l->time_limit_ms / 1000),
					    .tv_nsec = (long)(l->time_limit_ms % 1000) * 1000000L}},
				    NULL) < 0) {
			close(s->tfd);
			s->tfd = -1;
		}
	}
	/* limit cputime: the tree's CPU time, read from its cgroup */
	if (s->sfd >= 0 && l->cputime_limit_us && l->cg) {
		s->cfd = timer();
		s->ncpu = cpus_usable();
		if (s->cfd >= 0)
			arm_cpu_check(s->cfd, 0, l->cputime_limit_us, s->ncpu);
	}
	/* the polled limits: every 10 ms, or less often when a look is slow */
	if (s->sfd >= 0 && l->watch) {
		s->wfd = timer();
		if (s->wfd >= 0)
			arm_watch(s->wfd, 0);
	}
	if (s->sfd < 0 || (l->time_limit_ms && s->tfd < 0) ||
	    (l->cputime_limit_us && l->cg && s->cfd < 0) || (l->watch && s->wfd < 0)) {
		sup_error(o, 125, "cannot set up the supervisor%s: %s", "", errno);
		close_all(s);
		sigprocmask(SIG_SETMASK, &s->old, NULL);
		return -1;
	}
	return 0;
}

void sup_wait(struct supervisor *s, const struct launch *l, pid_t pid, int pidfd,
	      struct run_outcome *o)
{
	/* the child has exec'd: the seccomp listener it sent (notify.c) */
	if (l->notify)
		nt_receive(l->notify);
	int lfd = l->notify ? l->notify->fd : -1;
	for (;;) {
		struct pollfd p[6] = {{pidfd, POLLIN, 0}, {s->sfd, POLLIN, 0}, {s->tfd, POLLIN, 0},
				      {s->cfd, POLLIN, 0}, {s->wfd, POLLIN, 0}, {lfd, POLLIN, 0}};
		if (poll(p, 6, -1) < 0) {
			if (errno == EINTR)
				continue;
			sup_error(o, 125, "supervisor poll%s: %s", "", errno);
			kill(-pid, SIGKILL);
			return;
		}
		/* a call of the command's that waits for the supervisor */
		if (lfd >= 0 && (p[5].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    ((p[5].revents & POLLIN) ? nt_serve(l->notify) : -1) < 0)
			lfd = -1; /* gone: nothing uses the filter any more */
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(s->sfd, &si, sizeof si) == (ssize_t)sizeof si)
				if (si.ssi_signo != SIGCHLD)
					kill(-pid, (int)si.ssi_signo);
		}
		if (s->cfd >= 0 && (p[3].revents & POLLIN)) {
			uint64_t ticks, used = 0;
			ssize_t rd = read(s->cfd, &ticks, sizeof ticks); /* re-armed below */
			(void)rd;
			if (cg_cpu_usec(l->cg, &used) == 0 && used >= l->cputime_limit_us)
				s->over_limit = true;
			else
				arm_cpu_check(s->cfd, used, l->cputime_limit_us, s->ncpu);
		}
		if (s->wfd >= 0 && (p[4].revents & POLLIN)) {
			uint64_t ticks;
			ssize_t rd = read(s->wfd, &ticks, sizeof ticks); /* re-armed below */
			(void)rd;
			struct timespec w0;
			clock_gettime(CLOCK_MONOTONIC, &w0);
			if (watch_over(l->watch, getpid(), &s->polled))
				s->over_limit = true;
			else
				arm_watch(s->wfd, (uint64_t)(ms_since(&w0) * 1000));
		}
		if ((s->tfd >= 0 && (p[2].revents & POLLIN)) || s->over_limit) {
			s->timed_out = !s->over_limit;
			kill(-pid, SIGKILL);
			if (l->cg)
				cg_kill(l->cg);
			sweep(0);
			return;
		}
		if (p[0].revents & POLLIN) {
			siginfo_t info;
			memset(&info, 0, sizeof info);
			if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) == 0) {
				s->status = info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0)
								       : info.si_status;
				return;
			}
		}
	}
}

void sup_finish(struct supervisor *s, const struct launch *l, pid_t pid, int pidfd,
		struct run_outcome *o)
{
	if (pid > 0) {
		/* whatever the command left running goes with it */
		if (l->cg)
			cg_kill(l->cg);
		sweep(pid);
		o->wall_ms = ms_since(&s->t0);
		struct rusage ru;
		if (getrusage(RUSAGE_CHILDREN, &ru) == 0) {
			o->user_ms = tv_ms(&ru.ru_utime) - tv_ms(&s->before.ru_utime);
			o->sys_ms = tv_ms(&ru.ru_stime) - tv_ms(&s->before.ru_stime);
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	close_all(s);
	if (pid > 0 && l->watch && l->watch->disk)
		watch_disk_growth(l->watch); /* the last word for the report */
	sigprocmask(SIG_SETMASK, &s->old, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);

	if (pid <= 0 || o->reason == RUN_ERROR)
		return;
	if (s->timed_out) {
		o->reason = RUN_TIMEOUT;
		o->exit_code = 124;
		o->signal = SIGKILL;
	} else if (s->over_limit) {
		o->reason = !s->polled ? RUN_CPU : strcmp(s->polled, "disk") == 0 ? RUN_DISK : RUN_OOM;
		o->signal = SIGKILL;
		o->exit_code = 128 + SIGKILL;
	} else if (WIFSIGNALED(s->status)) {
		o->reason = RUN_SIGNALED;
		o->signal = WTERMSIG(s->status);
		o->exit_code = 128 + o->signal;
	} else {
		o->reason = RUN_EXITED;
		o->exit_code = WEXITSTATUS(s->status);
	}
}
