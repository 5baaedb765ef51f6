/* Where a run's policy layers come from on disk, besides -p: the user's
 * own policy, and the repository's `.cordon`, found upward from the
 * working directory.  The repository is untrusted: its `.cordon` is refused
 * (exit 125, saying why and what to do) when it is a symbolic link, not a
 * regular file, owned by someone other than the caller or root, or
 * writable by group or others; the search stops at the repository's root
 * (the directory holding `.git`), at a filesystem boundary and at the home
 * directory (each looked in, not passed), and never looks in or above a
 * directory others can write (a sticky /tmp) or own. */
#ifndef CORDON_DISCOVER_H
#define CORDON_DISCOVER_H

#include <stddef.h>
#include <sys/stat.h>

#include "home.h"
#include "policy_source.h"

/* ${XDG_CONFIG_HOME:-~/.config}/cordon/user.cordon into out.  1 when it
 * exists, 0 when not (or no ~ is known), -1 with err when it cannot be
 * told (a directory on the way cannot be searched). */
int user_policy(const struct home *h, char *out, size_t len, char *err, size_t errlen);

/* The repository's .cordon into path, and the repository's root (the
 * nearest directory upward from it that holds .git, else the .cordon's
 * own directory) into root.  1 found, 0 none (err then says where the
 * search stopped, when it was at a directory others can write), -1
 * refused (err).  looked->absent gets each .cordon it looked for in vain
 * (one the command made there would be a later run's layer, and would move
 * its workspace). */
int discover_policy(const struct home *h, char *path, size_t len, char *root, size_t rootlen,
		    char *err, size_t errlen, struct layer_inputs *looked);

/* The checks a discovered .cordon passes (st from lstat or fstat of it),
 * as ssh's StrictModes.  0, or -1 with err naming path, why and what to
 * do. */
int dot_cordon_check(const struct stat *st, const char *path, char *err, size_t errlen);

#endif
