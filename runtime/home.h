/* What `~` means for a run: $HOME when it is an absolute path, else the
 * home directory the password database gives the invoking user.  When both
 * are known and differ, a deny under ~ must hold for both: a command can
 * reach the other one through any grant that covers it, and a deny is
 * never dropped. */
#ifndef CORDON_HOME_H
#define CORDON_HOME_H

#include <limits.h>

struct home {
	char dir[PATH_MAX]; /* ~: $HOME, else the password database's; "" when neither */
	char pw[PATH_MAX];  /* the password database's home when $HOME is used and it
			       differs (another directory), else "" */
};

void home_find(struct home *h);

#endif
