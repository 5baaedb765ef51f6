/* Turning one policy file into a compiled policy: a .cpb is read and
 * validated; a source policy is compiled by cordonc (cordonc_exec.c) and
 * the result cached by content hash. */
#ifndef CORDON_POLICY_SOURCE_H
#define CORDON_POLICY_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "policy_load.h"

/* What a layer's compile read.  A run must keep all of it out of the
 * command's reach (issue 9 item 1): a later run's compile of the same
 * layer reads these files again, and would use a file that appears at one
 * of the absent paths. */
struct layer_inputs {
	char **read;     /* every file the compile read (absolute), the policy first */
	size_t nread;
	char **absent;   /* the profile paths looked for in vain, earlier on the
			    search path than the one used */
	size_t nabsent;
	char *deps;      /* the cache entry's .deps, or NULL (a .cpb, or no cache) */
	char *cpb;       /* the cache entry's compiled policy, or NULL */
};

/* Loads path into p.  A source policy is compiled by cordonc (beside this
 * program, else on PATH); the result is cached under
 * ${XDG_CACHE_HOME:-~/.cache}/cordon (not at all without either) by a
 * SHA-256 of the source, its path, the compiler, $CORDON_PATH and root,
 * and reused only while every file it read is unchanged.  With root (a
 * policy discovered in the repository whose root it is), the file must
 * pass dot_cordon_check again on the open file, and cordonc gets
 * --untrusted ROOT.  cordonc's diagnostics go to standard error.  *source
 * tells whether path was a source policy.  Returns 0, or -1 with a reason
 * in err; in holds what the compile read (free it with layer_inputs_free in
 * both cases). */
int policy_load(const char *path, const char *root, struct cpb_policy *p, bool *source,
		struct layer_inputs *in, char *err, size_t errlen);

void layer_inputs_free(struct layer_inputs *in);
/* Adds path to in->absent: 0, or -1 when out of memory. */
int layer_inputs_add_absent(struct layer_inputs *in, const char *path);

/* The cache directory (malloc'd), made if missing; NULL when there is no
 * usable one.  The sandbox must never be able to write it: a policy planted
 * there would be a later run's policy. */
char *policy_cache_dir(void);

#endif
