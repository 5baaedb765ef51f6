/* `cordon run`'s command line. */
#ifndef CORDON_OPTIONS_H
#define CORDON_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "cgroup.h"

enum { EXIT_CORDON = 125, EXIT_CANNOT_EXEC = 126, EXIT_NOT_FOUND = 127 };

#define OPTS_MAX_POLICIES 16

struct opts {
	const char *policy[OPTS_MAX_POLICIES]; /* each -p, in order */
	size_t npolicy;
	const char *report, *workspace;
	bool no_discover;      /* --no-discover: no .cordon upward */
	bool quiet;            /* -q: no warning about allowed paths that do not exist */
	bool best_effort, strict;
	unsigned abi_override; /* --assume-landlock-abi N: N + 1; 0: not given */
	unsigned ns_parts;     /* --ns-layer: what the namespace layer may do (NS_*) */
	enum cg_backend cg_backend;
	char **cmd;
};

void usage(FILE *out);

/* Parses `cordon run` options (argv[0] is "run"); returns 0, or 125 on a
 * usage error (the command did not run, as env(1) and timeout(1) say
 * it). */
int parse_run(int argc, char **argv, struct opts *o);

#endif
