/* Read-only bind mounts for `deny write` inside a writable tree (see
 * mount_guard.h). */
#include "mount_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cpb_format.h"
#include "fileio.h"
#include "landlock_abi.h"
#include "safe_open.h"

/* What a read-only mount takes away: every right of `write` (lower.c's
 * WRITE_RIGHTS), except connecting to a socket in it. */
#define MG_WRITE                                                               \
	(CORDON_LL_FS_WRITE_FILE | CORDON_LL_FS_TRUNCATE |                     \
	 CORDON_LL_FS_REMOVE_DIR | CORDON_LL_FS_REMOVE_FILE |                  \
	 CORDON_LL_FS_MAKE_DIR | CORDON_LL_FS_MAKE_REG |                       \
	 CORDON_LL_FS_MAKE_SOCK | CORDON_LL_FS_MAKE_FIFO |                     \
	 CORDON_LL_FS_MAKE_CHAR | CORDON_LL_FS_MAKE_BLOCK |                    \
	 CORDON_LL_FS_MAKE_SYM | CORDON_LL_FS_REFER)

static long sysctl_value(const char *path, long absent)
{
	char buf[32];
	return fio_read_at(AT_FDCWD, path, buf, sizeof buf) > 0 ? strtol(buf, NULL, 10) : absent;
}

bool mg_available(bool sys_admin)
{
	if (sys_admin)
		return true;
	/* an unprivileged user namespace: allowed unless a knob says no
	 * (Debian's older kernels, Ubuntu's AppArmor restriction) */
	return sysctl_value("/proc/sys/user/max_user_namespaces", 0) > 0 &&
	       sysctl_value("/proc/sys/kernel/unprivileged_userns_clone", 1) == 1 &&
	       sysctl_value("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", 0) == 0;
}

/* The rule's path, resolved (symbolic links followed); false if it does
 * not exist. */
static bool resolve(const struct cpb_fs_rule *r, const struct ll_paths *paths, char *out)
{
	char path[PATH_MAX];
	return ll_rule_path(r, paths, path, sizeof path) == 0 && realpath(path, out) != NULL;
}

/* a strictly below d (both canonical) */
static bool below(const char *a, const char *d)
{
	size_t n = strlen(d);
	if (n == 1)
		return a[0] == '/' && a[1] != '\0';
	return strncmp(a, d, n) == 0 && a[n] == '/';
}

static bool listed(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static int depth_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t dx = 0, dy = 0;
	for (; *x; x++)
		dx += *x == '/';
	for (; *y; y++)
		dy += *y == '/';
	return dx < dy ? -1 : dx > dy;
}

/* target (canonical) lies strictly below a tree p lets the command write */
static bool in_writable_tree(const struct cpb_policy *p, const struct ll_paths *paths,
			     const char *target)
{
	char w[PATH_MAX];
	for (size_t j = 0; j < p->nfs; j++)
		if ((p->fs[j].allow & p->handled_fs & MG_WRITE) && resolve(&p->fs[j], paths, w) &&
		    below(target, w))
			return true;
	return false;
}

static bool no_links(int dirfd, void *ctx)
{
	(void)dirfd;
	(void)ctx;
	return false;
}

void mg_make_missing_dirs(const struct cpb_policy *p, const struct ll_paths *paths)
{
	for (size_t i = 0; i < p->nfs; i++) {
		const struct cpb_fs_rule *r = &p->fs[i];
		char path[PATH_MAX], parent[PATH_MAX], target[PATH_MAX];
		struct stat st;
		if (!r->dir || r->allow || !(r->deny & p->handled_fs & MG_WRITE) ||
		    ll_rule_path(r, paths, path, sizeof path) != 0 || lstat(path, &st) == 0)
			continue;
		char *slash = strrchr(path, '/');
		if (!slash || slash == path || !slash[1])
			continue;
		*slash = '\0';
		if (!realpath(path, parent) ||
		    (size_t)snprintf(target, sizeof target, "%s/%s", parent, slash + 1) >=
			    sizeof target ||
		    !in_writable_tree(p, paths, target))
			continue;
		/* from the parent's fd, reached without following any link
		 * (realpath saw none; one planted since is refused) */
		char bad[PATH_MAX];
		int pfd = so_open_dir(parent, no_links, NULL, bad, sizeof bad);
		if (pfd >= 0) {
			(void)mkdirat(pfd, slash + 1, 0755);
			close(pfd);
		}
	}
}

int mg_plan(struct cpb_policy *p, const struct ll_paths *paths, bool sys_admin,
	    struct mount_guard *g)
{
	memset(g, 0, sizeof *g);
	/* the writable trees: resolved allowed paths with write rights */
	char (*w)[PATH_MAX] = NULL;
	size_t nw = 0;
	int rc = 0;
	for (size_t i = 0; i < p->nfs; i++) {
		const struct cpb_fs_rule *r = &p->fs[i];
		uint64_t d = r->deny & p->handled_fs;
		if (!d || r->allow || (d & ~(MG_WRITE | CORDON_LL_FS_RESOLVE_UNIX)))
			continue;
		/* under net unix the deny must also stop connects: Landlock's */
		if ((d & CORDON_LL_FS_RESOLVE_UNIX) && (p->features & CPB_FEAT_RESOLVE_UNIX))
			continue;
		char target[PATH_MAX];
		if (!resolve(r, paths, target) || strcmp(target, "/") == 0)
			continue;
		if (!w) {
			w = calloc(p->nfs, sizeof *w);
			if (!w)
				return -1;
			for (size_t j = 0; j < p->nfs; j++)
				if ((p->fs[j].allow & p->handled_fs & MG_WRITE) &&
				    resolve(&p->fs[j], paths, w[nw]))
					nw++;
		}
		/* only where a writable tree holds it: elsewhere Landlock's
		 * carve-out costs nothing */
		bool inside = false;
		for (size_t j = 0; j < nw && !inside; j++)
			inside = below(target, w[j]);
		if (!inside || g->nro == MG_MAX || listed(g->ro, g->nro, target))
			continue;
		/* pin every directory between a writable tree and the target */
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s", target);
		for (char *slash; (slash = strrchr(dir, '/')) && slash != dir;) {
			*slash = '\0';
			bool under = false;
			for (size_t j = 0; j < nw && !under; j++)
				under = below(dir, w[j]);
			if (!under)
				break;
			if (listed(g->pin, g->npin, dir))
				continue;
			if (g->npin == MG_MAX || !(g->pin[g->npin] = strdup(dir))) {
				rc = -1;
				goto out;
			}
			g->npin++;
		}
		if (!(g->ro[g->nro] = strdup(target))) {
			rc = -1;
			goto out;
		}
		g->nro++;
		g->rule[g->nrule] = i;
		g->deny[g->nrule++] = p->fs[i].deny;
		p->fs[i].deny = 0; /* held by the mount, not by Landlock */
	}
	/* a target that is also a pin is bound read-only, not pinned */
	for (size_t i = 0; i < g->npin;)
		if (listed(g->ro, g->nro, g->pin[i])) {
			free(g->pin[i]);
			g->pin[i] = g->pin[--g->npin];
		} else {
			i++;
		}
	qsort(g->pin, g->npin, sizeof *g->pin, depth_cmp);
	qsort(g->ro, g->nro, sizeof *g->ro, depth_cmp);
	g->userns = !sys_admin;
	snprintf(g->uid_map, sizeof g->uid_map, "%u %u 1\n", (unsigned)geteuid(),
		 (unsigned)geteuid());
	snprintf(g->gid_map, sizeof g->gid_map, "%u %u 1\n", (unsigned)getegid(),
		 (unsigned)getegid());
out:
	free(w);
	return rc;
}

/* The flags of the mount holding path that a remount must keep (in a user
 * namespace the kernel refuses to drop them). */
static unsigned long kept_flags(const char *path)
{
	struct statfs sf;
	if (statfs(path, &sf) != 0)
		return 0;
	unsigned long f = 0;
	if (sf.f_flags & ST_NOSUID)
		f |= MS_NOSUID;
	if (sf.f_flags & ST_NODEV)
		f |= MS_NODEV;
	if (sf.f_flags & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sf.f_flags & ST_NOATIME)
		f |= MS_NOATIME;
	if (sf.f_flags & ST_NODIRATIME)
		f |= MS_NODIRATIME;
	if (sf.f_flags & ST_RELATIME)
		f |= MS_RELATIME;
	return f;
}

int mg_apply(const struct mount_guard *g)
{
	if (!g || !g->nro)
		return 0;
	if (g->userns) {
		/* the same uid and gid inside: files keep their owners */
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0 ||
		    fio_write_at(AT_FDCWD, "/proc/self/setgroups", "deny") != 0 ||
		    fio_write_at(AT_FDCWD, "/proc/self/uid_map", g->uid_map) != 0 ||
		    fio_write_at(AT_FDCWD, "/proc/self/gid_map", g->gid_map) != 0)
			return -1;
	} else if (unshare(CLONE_NEWNS) != 0) {
		return -1;
	}
	/* nothing done here propagates back to the caller's namespace */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return -1;
	for (size_t i = 0; i < g->npin; i++)
		if (mount(g->pin[i], g->pin[i], NULL, MS_BIND, NULL) != 0)
			return -1;
	for (size_t i = 0; i < g->nro; i++)
		if (mount(g->ro[i], g->ro[i], NULL, MS_BIND | MS_REC, NULL) != 0 ||
		    mount(NULL, g->ro[i], NULL,
			  MS_REMOUNT | MS_BIND | MS_RDONLY | kept_flags(g->ro[i]), NULL) != 0)
			return -1;
	return 0;
}

void mg_unplan(struct cpb_policy *p, struct mount_guard *g)
{
	for (size_t i = 0; i < g->nrule; i++)
		p->fs[g->rule[i]].deny = g->deny[i];
	g->nrule = 0;
	mg_free(g);
}

void mg_free(struct mount_guard *g)
{
	for (size_t i = 0; i < g->npin; i++)
		free(g->pin[i]);
	for (size_t i = 0; i < g->nro; i++)
		free(g->ro[i]);
	g->npin = g->nro = 0;
}
