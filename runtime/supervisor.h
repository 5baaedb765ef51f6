/* The supervisor: cordon's side of a run once the command is started.  It
 * is a child subreaper (every descendant that outlives its parent comes
 * back to cordon) and waits in one poll loop over the command's pidfd, a
 * signalfd (SIGINT, SIGTERM, SIGHUP, SIGQUIT are forwarded to the command's
 * process group), a timerfd for `limit time`, one for `limit cputime` (read
 * from the cgroup) and one for the polled limits (watch.c: `limit disk`,
 * `limit memory` without a cgroup).  When the command ends (or a limit is
 * passed) every process left in the tree and in its cgroup is killed and
 * reaped. */
#ifndef CORDON_SUPERVISOR_H
#define CORDON_SUPERVISOR_H

#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>

#include "launch.h"

struct supervisor {
	struct timespec t0;       /* when the run started */
	struct rusage before;     /* children reaped before (cordonc) are not the command's */
	sigset_t old;             /* the caller's signal mask, restored after */
	int sfd, tfd, cfd, wfd;   /* signalfd; timers: time, cputime, polled limits (-1: none) */
	unsigned ncpu;            /* CPUs the tree may run on (cputime checks) */
	bool timed_out, over_limit;
	const char *polled;       /* over_limit: the polled limit passed, NULL: cputime */
	int status;               /* the command's wait status */
};

/* Before the clone: blocks the forwarded signals (the caller's mask goes
 * to s->old, which the child restores before exec), becomes a subreaper and
 * opens the signalfd and timers l asks for.  0, or -1 with o set (125). */
int sup_open(struct supervisor *s, const struct launch *l, struct run_outcome *o);

/* Waits for the command (pid, pidfd) in the poll loop: forwards signals,
 * kills the tree when a limit is passed. */
void sup_wait(struct supervisor *s, const struct launch *l, pid_t pid, int pidfd,
	      struct run_outcome *o);

/* After the command (pid > 0) or a failed start (pid -1): kills and reaps
 * what is left, measures the run's time, closes everything sup_open opened,
 * restores the signal mask and fills in how the command ended (unless o
 * already holds an error). */
void sup_finish(struct supervisor *s, const struct launch *l, pid_t pid, int pidfd,
		struct run_outcome *o);

/* o becomes an error: code, and fmt with a and strerror(err). */
void sup_error(struct run_outcome *o, int code, const char *fmt, const char *a, int err);

#endif
