/* The sandbox's environment, built from the policies' env rules before the
 * fork: nothing inherited passes unless a rule allows it.  A run of several
 * layers filters it layer by layer, from the innermost to the outermost: a
 * variable passes only when every layer passes it, an outer layer's
 * `set env` wins, and a lower layer's `set env` of a name an outer layer
 * drops does not reach the command. */
#ifndef CORDON_ENV_H
#define CORDON_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "policy_load.h"

struct env_vars {
	const char *home, *tmpdir, *workspace; /* for ${HOME} ... in SET values */
	bool export_tmpdir; /* TMPDIR=tmpdir for the command (its private one),
			       unless a policy sets TMPDIR itself */
};

/* A NULL-terminated array for execve (malloc'd, env_free): the inherited
 * environment passed through the layers (layer[0] the outermost): each
 * keeps the NAME=VALUE whose first matching ALLOW/DENY rule is an ALLOW and
 * adds its SETs (expanded), which replace a kept variable of the same name.
 * NULL with a reason in err on failure (out of memory). */
char **env_build(const struct cpb_policy *const *layer, size_t nlayers, char *const *inherited,
		 const struct env_vars *vars, char *err, size_t errlen);
void env_free(char **env);

/* Glob match of an environment name: '*' any run, '?' one character. */
bool env_glob_match(const char *pattern, const char *name, size_t name_len);

#endif
