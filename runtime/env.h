/* The sandbox's environment, built from the policy's env rules before the
 * fork: nothing inherited passes unless a rule allows it. */
#ifndef CORDON_ENV_H
#define CORDON_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "policy_load.h"

struct env_vars {
	const char *home, *tmpdir, *workspace; /* for ${HOME} ... in SET values */
	bool export_tmpdir; /* TMPDIR=tmpdir for the command (its private one),
			       unless the policy sets TMPDIR itself */
};

/* A NULL-terminated array for execve: every inherited NAME=VALUE whose first
 * matching ALLOW/DENY rule is an ALLOW, then every SET (expanded).  NULL with
 * a reason in err on failure (out of memory, a value too long). */
char **env_build(const struct cpb_policy *p, char *const *inherited,
		 const struct env_vars *vars, char *err, size_t errlen);
void env_free(char **env);

/* Glob match of an environment name: '*' any run, '?' one character. */
bool env_glob_match(const char *pattern, const char *name, size_t name_len);

#endif
