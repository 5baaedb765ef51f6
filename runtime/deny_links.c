/* The search for denied files with another name (see deny_links.h).  Runs in
 * cordon before the clone; symbolic links below a denied path are not
 * followed (their targets are reached by their own paths), mount points
 * are crossed (a secret may be a bind mount). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deny_links.h"
#include "landlock_abi.h"

#define DL_MAX_DEPTH 32

struct walk {
	size_t entries;          /* looked at so far in this tree */
	char found[PATH_MAX];    /* the first file with another name */
	nlink_t links;
};

/* -1: stop (found, or too big); 0: go on.  path names dirfd. */
static int walk_dir(struct walk *w, int dirfd, char *path, size_t len, int depth)
{
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return 0;
	}
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (++w->entries > DL_MAX_ENTRIES)
			return closedir(d), -1;
		struct stat st;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue; /* gone meanwhile, or not ours to see */
		int n = snprintf(path + len, PATH_MAX - len, "/%s", e->d_name);
		if (n < 0 || (size_t)n >= PATH_MAX - len)
			continue; /* too long a path for anyone to open either */
		if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
			snprintf(w->found, sizeof w->found, "%s", path);
			w->links = st.st_nlink;
			rc = -1;
		} else if (S_ISDIR(st.st_mode) && depth < DL_MAX_DEPTH) {
			int fd = openat(dirfd, e->d_name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				rc = walk_dir(w, fd, path, len + (size_t)n, depth + 1);
		}
		path[len] = '\0';
	}
	closedir(d);
	return rc;
}

/* One denied path: the file itself, or the tree below it. */
static int walk_path(struct walk *w, const char *start)
{
	struct stat st;
	if (stat(start, &st) != 0)
		return 0; /* missing, or not ours to reach: nothing to read */
	if (S_ISREG(st.st_mode)) {
		w->entries++;
		if (st.st_nlink > 1) {
			snprintf(w->found, sizeof w->found, "%s", start);
			w->links = st.st_nlink;
			return -1;
		}
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return 0;
	int fd = openat(AT_FDCWD, start, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s", start);
	return walk_dir(w, fd, path, strlen(path), 0);
}

int dl_check(const struct cpb_policy *p, const struct ll_paths *paths, char *err,
	     size_t errlen, char *warn, size_t warnlen)
{
	struct walk w = {.entries = 0};
	int rc = 0;
	for (size_t i = 0; i < p->nfs; i++) {
		const struct cpb_fs_rule *r = &p->fs[i];
		char path[PATH_MAX];
		if (!(r->deny & CORDON_LL_FS_READ_FILE) ||
		    ll_rule_path(r, paths, path, sizeof path) != 0)
			continue;
		w.entries = 0;
		if (walk_path(&w, path) == 0)
			continue;
		if (w.found[0]) {
			snprintf(err, errlen,
				 "%s is denied to read but has %lu names (hard links): Landlock "
				 "follows paths, so another name of it may be readable in the "
				 "sandbox.  Find them with `find / -xdev -samefile %s` and "
				 "remove the extra links (or stop denying the file)",
				 w.found, (unsigned long)w.links, w.found);
			return -1;
		}
		if (rc == 0)
			snprintf(warn, warnlen,
				 "%s (denied to read) has more than %d entries: its files were "
				 "not checked for other names (hard links), which Landlock "
				 "would not deny", path, DL_MAX_ENTRIES);
		rc = 1;
	}
	return rc;
}
