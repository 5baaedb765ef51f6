/* Files the policy denies reading that have another name.  Landlock rules
 * follow paths: a hard link to ~/.aws/credentials planted in the workspace
 * before the run is the same file under a name the policy lets the command
 * read.  Finding that other name would mean searching every readable tree;
 * instead, before the run, cordon looks for regular files with more than one
 * link under each `deny read` path and refuses to run when it finds one.  A
 * denied tree with more than DL_MAX_ENTRIES entries is not searched to the
 * end (a warning says so): the check is for secrets, which are small
 * trees, and it runs before every launch. */
#ifndef CORDON_DENY_LINKS_H
#define CORDON_DENY_LINKS_H

#include <stddef.h>

#include "landlock.h"
#include "policy_load.h"

#define DL_MAX_ENTRIES 1000

/* 0: none found (a denied path that is missing or that cordon's user cannot
 * read counts as none: the command cannot reach it either).  1: a tree was
 * too big to search; warn holds the first such warning.  -1: a denied file
 * has another name; err says which and what to do. */
int dl_check(const struct cpb_policy *p, const struct ll_paths *paths, char *err,
	     size_t errlen, char *warn, size_t warnlen);

#endif
