/* What to add when the policy refuses to run the command: decided in the
 * parent from the policy's exec rules, after the child reported EACCES from
 * execve (the child only reports the errno). */
#ifndef CORDON_EXEC_HINT_H
#define CORDON_EXEC_HINT_H

#include <stddef.h>

#include "landlock.h"
#include "policy_load.h"

/* exe could not be executed (execve failed with err).  When err is EACCES
 * and the policy's rules grant no exec on exe or on the interpreter its
 * `#!` line names (for `#!/usr/bin/env NAME`, also on NAME found in the
 * command's PATH, from envp), writes the message into out ("/usr/bin/pytest:
 * not executable under this policy (add: allow exec /usr/bin/pytest;)") and
 * returns 1; otherwise (another errno, or the policy grants them all and
 * something else refused) returns 0 and leaves out alone. */
int exec_hint(const struct cpb_policy *p, const struct ll_paths *paths, const char *exe,
	      char *const *envp, int err, char *out, size_t len);

#endif
