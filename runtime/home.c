/* What `~` means for a run (see home.h). */
#include "home.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The password database's home of the real uid, if absolute. */
static void pw_home(char *out, size_t len)
{
	out[0] = '\0';
	long max = sysconf(_SC_GETPW_R_SIZE_MAX);
	size_t size = max > 0 ? (size_t)max : 16384;
	char *buf = malloc(size);
	struct passwd pw, *res = NULL;
	if (buf && getpwuid_r(getuid(), &pw, buf, size, &res) == 0 && res && res->pw_dir &&
	    res->pw_dir[0] == '/')
		snprintf(out, len, "%s", res->pw_dir);
	free(buf);
}

/* Whether a and b are the same directory (by inode, or by name when
 * either is missing). */
static int same_dir(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return strcmp(a, b) == 0;
}

void home_find(struct home *h)
{
	const char *env = getenv("HOME");
	char pw[PATH_MAX];
	pw_home(pw, sizeof pw);
	h->pw[0] = '\0';
	if (env && env[0] == '/') {
		snprintf(h->dir, sizeof h->dir, "%s", env);
		if (pw[0] && !same_dir(env, pw))
			snprintf(h->pw, sizeof h->pw, "%s", pw);
	} else {
		snprintf(h->dir, sizeof h->dir, "%s", pw);
	}
}
