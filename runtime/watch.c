/* The polled limits: limit disk and, without a cgroup, limit memory (see
 * watch.h).  Runs in the supervisor only, never between clone and exec. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fileio.h"
#include "landlock_abi.h"
#include "watch.h"

/* The rights with which a command can take space: writing a file, and
 * making any kind of entry (each new inode is counted as one block). */
#define GROW_RIGHTS                                                            \
	(CORDON_LL_FS_WRITE_FILE | CORDON_LL_FS_MAKE_DIR | CORDON_LL_FS_MAKE_REG | \
	 CORDON_LL_FS_MAKE_SOCK | CORDON_LL_FS_MAKE_FIFO | CORDON_LL_FS_MAKE_CHAR | \
	 CORDON_LL_FS_MAKE_BLOCK | CORDON_LL_FS_MAKE_SYM)

/* Adds the filesystem that holds path, once; a path that does not exist
 * (nothing can be written there) or a filesystem without blocks (proc,
 * sysfs, cgroupfs: nothing to fill) is left out.  0, or -1 with err. */
static int add_fs(struct watch *w, const char *path, char *err, size_t errlen)
{
	int fd = openat(AT_FDCWD, path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	struct statfs sf;
	if (fstat(fd, &st) != 0 || fstatfs(fd, &sf) != 0) {
		snprintf(err, errlen, "limit disk: cannot look at %s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	bool known = !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) || sf.f_blocks == 0;
	for (size_t i = 0; i < w->nfs && !known; i++)
		known = w->fs[i].dev == st.st_dev;
	if (known) {
		close(fd);
		return 0;
	}
	if (w->nfs == WATCH_MAX_FS) {
		snprintf(err, errlen, "limit disk: the command may write on more than %d "
			 "filesystems (at %s); narrow its writable paths", WATCH_MAX_FS, path);
		close(fd);
		return -1;
	}
	w->fs[w->nfs++] = (struct watch_fs){
		.fd = fd, .dev = st.st_dev, .bfree0 = sf.f_bfree, .ffree0 = sf.f_ffree,
		.frsize = sf.f_frsize ? (uint64_t)sf.f_frsize : (uint64_t)sf.f_bsize,
	};
	return 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o = *s;
		}
	}
	*o = '\0';
}

static bool beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Adds every read-write mount at or beneath one of dirs (all of them when
 * ndirs is 0 and all is set). */
static int add_mounts(struct watch *w, char **dirs, size_t ndirs, bool all, char *err,
		      size_t errlen)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f) {
		snprintf(err, errlen, "limit disk: cannot read /proc/self/mountinfo: %s",
			 strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		/* id parent major:minor root MOUNTPOINT OPTIONS ... */
		char *save = NULL, *fld[6] = {0};
		char *t = strtok_r(line, " ", &save);
		for (int i = 0; i < 6 && t; i++, t = strtok_r(NULL, " ", &save))
			fld[i] = t;
		if (!fld[5] || strncmp(fld[5], "rw", 2) != 0 || (fld[5][2] && fld[5][2] != ','))
			continue;
		unescape(fld[4]);
		bool wanted = all;
		for (size_t i = 0; i < ndirs && !wanted; i++)
			wanted = beneath(fld[4], dirs[i]);
		if (wanted)
			rc = add_fs(w, fld[4], err, errlen);
	}
	free(line);
	fclose(f);
	return rc;
}

int watch_disk_start(struct watch *w, const struct cpb_policy *p,
		     const struct ll_paths *paths, bool all, uint64_t limit, char *err,
		     size_t errlen)
{
	w->disk = true;
	w->disk_limit = limit;
	char **dirs = calloc(p->nfs ? p->nfs : 1, sizeof *dirs);
	size_t ndirs = 0;
	int rc = dirs ? 0 : -1;
	if (!dirs)
		snprintf(err, errlen, "out of memory");
	for (size_t i = 0; i < p->nfs && rc == 0 && !all; i++) {
		const struct cpb_fs_rule *r = &p->fs[i];
		char path[PATH_MAX];
		if (!(r->allow & GROW_RIGHTS) || ll_rule_path(r, paths, path, sizeof path) != 0)
			continue;
		/* mount points are compared with the path as the kernel
		 * resolves it */
		char *real = realpath(path, NULL);
		if (!real)
			continue; /* missing: nothing can be written there */
		dirs[ndirs++] = real;
		rc = add_fs(w, real, err, errlen);
	}
	if (rc == 0 && (ndirs || all))
		rc = add_mounts(w, dirs, ndirs, all, err, errlen);
	for (size_t i = 0; i < ndirs; i++)
		free(dirs[i]);
	free(dirs);
	return rc;
}

uint64_t watch_disk_growth(struct watch *w)
{
	uint64_t grown = 0;
	for (size_t i = 0; i < w->nfs; i++) {
		struct watch_fs *f = &w->fs[i];
		struct statfs sf;
		if (fstatfs(f->fd, &sf) != 0)
			continue;
		if (sf.f_bfree < f->bfree0)
			grown += (f->bfree0 - sf.f_bfree) * f->frsize;
		if (sf.f_ffree < f->ffree0)
			grown += (f->ffree0 - sf.f_ffree) * f->frsize;
	}
	if (grown > w->disk_peak)
		w->disk_peak = grown;
	return grown;
}

/* The "Pss:" of /proc/PID/smaps_rollup, in bytes (0 when it is gone). */
static uint64_t pss_of(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	if (fio_read_at(AT_FDCWD, path, buf, sizeof buf) <= 0)
		return 0;
	const char *s = strstr(buf, "\nPss:");
	return s ? strtoull(s + 5, NULL, 10) * 1024 : 0;
}

/* Appends the children of every thread of pid to out[*n..max). */
static void children_of(pid_t pid, pid_t *out, size_t *n, size_t max)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	for (struct dirent *e; *n < max && (e = readdir(d));) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char file[320], buf[4096];
		snprintf(file, sizeof file, "/proc/%d/task/%s/children", (int)pid, e->d_name);
		if (fio_read_at(AT_FDCWD, file, buf, sizeof buf) <= 0)
			continue;
		for (char *p = buf, *end; *n < max && *p; p = end) {
			long v = strtol(p, &end, 10);
			if (end == p)
				break;
			if (v > 0)
				out[(*n)++] = (pid_t)v;
		}
	}
	closedir(d);
}

#define WATCH_MAX_TASKS 8192

uint64_t watch_mem_usage(struct watch *w, pid_t supervisor)
{
	pid_t tree[WATCH_MAX_TASKS];
	size_t n = 0;
	uint64_t sum = 0;
	children_of(supervisor, tree, &n, WATCH_MAX_TASKS);
	for (size_t i = 0; i < n; i++) {
		sum += pss_of(tree[i]);
		children_of(tree[i], tree, &n, WATCH_MAX_TASKS);
	}
	if (sum > w->mem_peak)
		w->mem_peak = sum;
	return sum;
}

bool watch_over(struct watch *w, pid_t supervisor, const char **what)
{
	if (w->disk && watch_disk_growth(w) > w->disk_limit) {
		*what = "disk";
		return true;
	}
	if (w->mem && watch_mem_usage(w, supervisor) > w->mem_limit) {
		*what = "memory";
		return true;
	}
	return false;
}

void watch_free(struct watch *w)
{
	for (size_t i = 0; i < w->nfs; i++)
		close(w->fs[i].fd);
	w->nfs = 0;
}
