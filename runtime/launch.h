/* Starting the sandboxed command and supervising it: the child's short path
 * from clone to exec, and the parent's poll loop over a pidfd, a signalfd
 * and a timer. */
#ifndef CORDON_LAUNCH_H
#define CORDON_LAUNCH_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

#include "cgroup.h"
#include "ns_layer.h"
#include "watch.h"

/* Everything the child needs, prepared before the clone so that the child
 * only makes system calls. */
struct launch {
	const char *path;           /* the resolved executable */
	char *const *argv;
	char *const *envp;
	int ruleset_fd;             /* Landlock ruleset, or -1 */
	uint64_t proc_self_rights;  /* rights on the child's own /proc entry */
	const struct sock_fprog *filter;
	bool set_nofile, set_fsize, set_cpu, set_as, set_nproc;
	struct rlimit nofile, fsize, cpu, as, nproc; /* cpu, as, nproc: fallbacks */
	bool drop_caps;             /* we hold capabilities (root, file caps) */
	bool setpcap;               /* ... among them CAP_SETPCAP */
	uint64_t time_limit_ms;     /* 0: none */
	struct cg_run *cg;          /* the run's cgroup, or NULL */
	const struct ns_plan *ns;   /* the namespace layer, or NULL */
	uint64_t dev_shm_rights;    /* Landlock's rule for the private /dev/shm */
	uint64_t cputime_limit_us;  /* the tree's CPU time, read from cg; 0: none */
	struct watch *watch;        /* polled limits (disk, memory without cg), or NULL */
};

enum run_reason { RUN_EXITED, RUN_SIGNALED, RUN_TIMEOUT, RUN_OOM, RUN_PIDS, RUN_CPU,
		  RUN_DISK, RUN_ERROR };

struct run_outcome {
	enum run_reason reason;
	int exit_code;              /* what cordon exits with */
	int signal;                 /* the signal that ended the command, or 0 */
	double wall_ms, user_ms, sys_ms;
	char error[2048];           /* RUN_ERROR: what failed */
	bool ns_failed;             /* ... it was making l->ns (clone or mounts) */
	int exec_errno;             /* ... it was execve itself: its errno; else 0 */
};

/* Starts l's command in its sandbox and waits for it and everything it
 * started.  Fills o; returns 0, or -1 when the supervisor itself could not
 * run (o->error says why, exit_code 125). */
int launch_and_wait(const struct launch *l, struct run_outcome *o);

#endif
