/* The JSON report of a run: how it ended, what it cost, what was enforced. */
#ifndef CORDON_REPORT_H
#define CORDON_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "cgroup.h"
#include "launch.h"

struct report {
	const struct run_outcome *outcome;
	unsigned landlock_abi;
	const char *landlock;      /* "full", "partial", "none" */
	bool seccomp;
	const char *cgroup;        /* "v2", "v1", "rlimit", "none" */
	bool best_effort;
	const char *const *not_enforced; /* NULL-terminated */
	const char *policy;        /* the policy file */
	const struct cg_stats *cg; /* the run's cgroup, or NULL */
	const struct watch *watch; /* the polled limits, or NULL */
	const char *cg_backend, *cg_layout;
	const char *namespaces;    /* the namespace layer: "mount,ipc", "none", ... */
};

void report_write(FILE *out, const struct report *r);
/* Writes a report for a failure before the command could start. */
void report_error(FILE *out, const char *message, unsigned landlock_abi);

#endif
