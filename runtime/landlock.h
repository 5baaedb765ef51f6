/* The Landlock ruleset of a policy: negotiates the ABI with the kernel and
 * builds (does not enforce) a ruleset from the policy's filesystem and
 * network rules, expanding "deny inside allow" into grants on siblings. */
#ifndef CORDON_LANDLOCK_H
#define CORDON_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy_load.h"

/* The directories the relative bases stand for: absolute, resolved by the
 * caller.  A NULL member is an error only for a policy that uses it. */
struct ll_paths {
	const char *home, *tmpdir, *workspace;
	/* also grant the files open as fds 0, 1 and 2 what their open modes
	 * give (std_fds.c): /dev/stdout is then the file stdout already is */
	bool std_fds;
};

/* How many of the allowed paths that do not exist ll_build keeps by name
 * (for the one warning line of a run); the rest are only counted. */
#define LL_MISSING_SHOWN 3

struct ll_result {
	int ruleset_fd;            /* -1 when no Landlock is available (abi 0) */
	unsigned abi;              /* the ABI used: min(kernel's, override) */
	uint32_t missing_features; /* CPB_FEAT_* bits whose ABI (cpb_feature_abi) > abi */
	size_t nmissing;           /* allowed paths that do not exist (skipped) */
	char *missing[LL_MISSING_SHOWN]; /* the first of them, NULL past nmissing */
	size_t nrules;             /* landlock_add_rule calls made (fs + net) */
	/* The rights of a rule for /proc/self: not added here, where /proc/self
	 * is cordon's own entry; the child adds it for itself (ll_add_proc_self). */
	uint64_t proc_self_rights;
	/* The rights of the rule for /dev/shm, which the child adds again on
	 * its private /dev/shm (ns_layer.c): a rule holds for an inode, and
	 * the new tmpfs is another one. */
	uint64_t dev_shm_rights;
};

/* The absolute path a policy rule names: its base (/, ~, ${TMPDIR}, the
 * workspace) and the path below it.  0, or -1 with errno EINVAL when the
 * base is not set, ENAMETOOLONG when it does not fit in len. */
int ll_rule_path(const struct cpb_fs_rule *r, const struct ll_paths *paths, char *out,
		 size_t len);

/* In the sandboxed child, before landlock_restrict_self: grants rights on
 * the child's own /proc/<pid>.  Only system calls; returns -1 with errno. */
int ll_add_proc_self(int ruleset_fd, uint64_t rights);

/* The same for path as the child sees it (its private /dev/shm). */
int ll_add_child_rule(int ruleset_fd, const char *path, uint64_t rights);

/* The most filesystem rules one ruleset may take (a deny carve-out in a huge
 * directory grants every sibling); beyond it ll_build fails. */
#define LL_MAX_FS_RULES 100000

/* The kernel's Landlock ABI: 0 if none (ENOSYS, or EOPNOTSUPP when disabled
 * at boot). */
unsigned ll_kernel_abi(void);

/* Builds (does not enforce) the ruleset for p.  abi_override 0 = the kernel's
 * ABI, else min(kernel, override) (a test option that can only lower it).
 * Returns 0, or -1 with a one-line reason in err naming the path and errno
 * ("cannot open /x: Permission denied"); out then holds nothing to free (no
 * fd, no missing paths) but still tells abi and missing_features.  On
 * success with abi 0, ruleset_fd is -1 and missing_features holds every
 * feature bit of p.  The caller's child calls
 * landlock_restrict_self(ruleset_fd, 0) after PR_SET_NO_NEW_PRIVS.
 *
 * Paths are opened, following symbolic links, when the ruleset is built:
 * Landlock rules attach to the inodes that exist then (see landlock.c for
 * what that means for deny carve-outs). */
int ll_build(const struct cpb_policy *p, const struct ll_paths *paths, unsigned abi_override,
	     struct ll_result *out, char *err, size_t errlen);

/* Closes the ruleset fd and frees the missing paths; r may be reused after. */
void ll_result_free(struct ll_result *r);

/* The one line that says which allowed paths do not exist: "2 allowed paths
 * do not exist and were skipped: /a, /b" (the first LL_MISSING_SHOWN, then
 * "and N more").  Empty when none. */
void ll_missing_summary(const struct ll_result *r, char *buf, size_t len);

#endif
