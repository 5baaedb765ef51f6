/* Starting the sandboxed command and supervising it: the clone, the child's
 * list of steps from clone to exec (launch.c), and the supervisor's poll
 * loop (supervisor.c). */
#ifndef CORDON_LAUNCH_H
#define CORDON_LAUNCH_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

#include "cgroup.h"
#include "notify.h"
#include "ns_layer.h"
#include "watch.h"

/* The most layers a run's policy may have: each is a Landlock domain, and
 * Landlock stacks at most 16 (cordon may itself run inside another's). */
#define LAUNCH_MAX_LAYERS 8

/* One layer of the policy, as the child applies it. */
struct launch_layer {
	int ruleset_fd;             /* its Landlock ruleset, or -1 */
	uint64_t proc_self_rights;  /* its rights on the child's own /proc entry */
	const struct sock_fprog *filter; /* its seccomp program */
	const char *name;           /* its policy file, for messages */
	uint64_t dev_shm_rights;    /* its rule for the private /dev/shm (the
				     * namespace layer's tmpfs), added by the child */
};

/* Everything the child needs, prepared before the clone so that the child
 * only makes system calls. */
struct launch {
	const char *path;           /* the resolved executable */
	char *const *argv;
	char *const *envp;
	const struct launch_layer *layer; /* outermost first: one Landlock domain
					     and one seccomp filter each */
	size_t nlayers;
	bool set_nofile, set_fsize, set_cpu, set_as, set_nproc;
	struct rlimit nofile, fsize, cpu, as, nproc; /* cpu, as, nproc: fallbacks */
	bool drop_caps;             /* we hold capabilities (root, file caps) */
	bool setpcap;               /* ... among them CAP_SETPCAP */
	uint64_t time_limit_ms;     /* 0: none */
	struct cg_run *cg;          /* the run's cgroup, or NULL */
	const struct ns_plan *ns;   /* the namespace layer, or NULL */
	uint64_t cputime_limit_us;  /* the tree's CPU time, read from cg; 0: none */
	struct watch *watch;        /* polled limits (disk, memory without cg), or NULL */
	struct nt_plan *notify;     /* the seccomp listener and the runtime's own
				     * filter (notify.h), or NULL: the policy's
				     * filter alone, no listener */
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
