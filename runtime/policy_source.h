/* Finding the policy of a run and turning a source policy into a compiled
 * one: cordonc on the fly, cached by content hash. */
#ifndef CORDON_POLICY_SOURCE_H
#define CORDON_POLICY_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "policy_load.h"

/* Opens the policy: arg (a .cpb or a source policy), or without one the file
 * .cordon in the working directory or its nearest parent that has one.  A
 * source policy is compiled by cordonc (next to this program, else on PATH);
 * the result is cached under $XDG_CACHE_HOME/cordon (else ~/.cache/cordon,
 * else not at all) by a SHA-256 of the source, its path, the compiler and
 * $CORDON_PATH, and reused only while every file it read is unchanged.
 * cordonc's diagnostics go to standard error.  *path_out gets the policy's
 * path (malloc'd), *source whether it was a source policy (not a .cpb).
 * Returns 0, or -1 with a reason in err. */
int policy_open(const char *arg, struct cpb_policy *p, char **path_out, bool *source,
		char *err, size_t errlen);

/* The cache directory (malloc'd), made if missing; NULL when there is no
 * usable one.  The sandbox must never be able to write it: a policy planted
 * there would be a later run's policy. */
char *policy_cache_dir(void);

#endif
