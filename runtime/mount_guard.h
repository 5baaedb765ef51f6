/* `deny write` inside a writable tree, with read-only bind mounts.
 *
 * Landlock only adds rights, and a right on a directory holds for
 * everything beneath it; so a `deny write ./.git/hooks` inside an allowed
 * workspace can only be had by granting the siblings along the path one by
 * one (landlock.c), which takes from the workspace root and .git the right
 * to create entries: no new file at the root, no `git commit`.  Where a
 * mount namespace can be had (root, or an unprivileged user namespace),
 * cordon instead keeps the parent's grant whole and makes the denied path a
 * read-only bind mount in the command's own mount namespace, and binds each
 * directory between the writable tree and it onto itself, so that it cannot
 * be renamed or removed to put another in its place (rename and rmdir of a
 * mount point fail with EBUSY).  Nothing changes outside the command's
 * mount namespace.  A denied path that does not exist, a deny of more than
 * writing, and (under `net unix`) one that must also stop connecting to
 * sockets stay with Landlock. */
#ifndef CORDON_MOUNT_GUARD_H
#define CORDON_MOUNT_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "landlock.h"
#include "policy_load.h"

#define MG_MAX 32

struct mount_guard {
	size_t npin, nro;
	char *pin[MG_MAX]; /* directories bound onto themselves, shallowest first */
	char *ro[MG_MAX];  /* paths made read-only */
	size_t nrule;      /* the rules moved here, to put back (mg_unplan) */
	size_t rule[MG_MAX];
	uint64_t deny[MG_MAX];
	bool userns;       /* not root: a user namespace first */
	char uid_map[32], gid_map[32];
};

/* A `deny write DIR/` (written with a trailing '/': a directory) that does
 * not exist at the start of the run could be made by the command when its
 * parent lies in a writable tree, and filled: a repository's .git/modules
 * before any submodule is initialised (git would later run the hooks
 * planted there).  cordon makes each such directory, empty, mode 0755, as
 * git itself would, before the rules are planned, so that the read-only
 * mount (or Landlock's carve-out) holds it.  Only where the parent exists
 * and lies in a writable tree; a failure is left to the rules (the command,
 * as the same user with less, cannot make it either). */
void mg_make_missing_dirs(const struct cpb_policy *p, const struct ll_paths *paths);

/* Whether this process could make a mount namespace for the command
 * (sys_admin: it holds CAP_SYS_ADMIN). */
bool mg_available(bool sys_admin);

/* Moves the eligible `deny write` rules of p into g (their deny bits are
 * cleared in p, so landlock.c does not expand them).  Returns 0 (g->nro may
 * be 0), or -1 when out of memory. */
int mg_plan(struct cpb_policy *p, const struct ll_paths *paths, bool sys_admin,
	    struct mount_guard *g);

/* Gives the rules back to Landlock (when the mounts could not be made:
 * a container's seccomp filter may refuse unshare) and empties g. */
void mg_unplan(struct cpb_policy *p, struct mount_guard *g);

/* In the child, between clone and exec, before capabilities are dropped:
 * the namespace and the mounts.  Only system calls; -1 with errno. */
int mg_apply(const struct mount_guard *g);

void mg_free(struct mount_guard *g);

#endif
