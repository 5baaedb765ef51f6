/* Which directories a policy lets the command change (create, remove,
 * rename or write entries in), compared by inode so that symbolic links
 * cannot hide one: what cordon must keep out of the command's reach (its
 * policy cache, the cgroup filesystem) and where a link the command could
 * have planted may lie. */
#ifndef CORDON_WRITABLE_H
#define CORDON_WRITABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "landlock.h"
#include "policy_load.h"

#define WRITABLE_MAX 64

struct changeable {
	struct stat st[WRITABLE_MAX];
	size_t n;
	bool unknown; /* a path that does not exist (it may become a directory),
			 or too many: everything counts as changeable */
};

/* The directories p's rules with a right beyond reading and executing
 * name. */
void changeable_dirs(const struct cpb_policy *p, const struct ll_paths *paths,
		     struct changeable *c);

/* Whether one of c's directories is dir or one of its parents.  When it
 * cannot tell (dir cannot be opened), true. */
bool changeable_contains(const struct changeable *c, const char *dir);

/* The same for a directory open at fd (not closed). */
bool changeable_contains_fd(const struct changeable *c, int fd);

#endif
