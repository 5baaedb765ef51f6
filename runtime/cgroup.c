/* The cgroup layer (see cgroup.h): layout detection, the cgroupfs backend,
 * and what both backends share: stale-leaf sweep, join, kill, statistics,
 * removal.
 *
 * Pure v2: the leaf is <own cgroup>/cordon-<pid>.  Controllers must be on
 * in the own cgroup's cgroup.subtree_control, which cgroup v2 refuses while
 * that cgroup holds processes (no internal processes): when cordon is alone
 * in it (a delegated scope), cordon moves itself into <own>/supervisor/
 * first.  v1 and hybrid: one leaf per hierarchy in use, under the own
 * cgroup of that hierarchy, always with the freezer's when it is mounted
 * (to kill a forking tree without a race).  Every file write names its path
 * and errno when it fails. */
#include "cgroup.h"

#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#define CGROUP_SUPER_MAGIC_ 0x27e0eb
#define CGROUP2_SUPER_MAGIC_ 0x63677270
#define ROOT_DIR "/sys/fs/cgroup"

static const char *const ctrl_names[CG_NCTRL] = {"memory", "pids", "cpu", "cpuacct",
						 "freezer"};

const char *cg_ctrl_name(enum cg_ctrl c)
{
	return (unsigned)c < CG_NCTRL ? ctrl_names[c] : "?";
}

const char *cg_layout_name(enum cg_layout l)
{
	return l == CG_V2 ? "v2" : l == CG_V1 ? "v1" : "none";
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* ---- small file helpers ------------------------------------------------ */

/* The number after "key " in a flat-keyed file such as memory.events. */
static bool keyed_value(int dirfd, const char *file, const char *key, uint64_t *v)
{
	char buf[4096];
	if (fio_read_at(dirfd, file, buf, sizeof buf) < 0)
		return false;
	size_t kl = strlen(key);
	for (char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, kl) == 0 && p[kl] == ' ') {
			*v = strtoull(p + kl + 1, NULL, 10);
			return true;
		}
	return false;
}

static bool number_at(int dirfd, const char *file, uint64_t *v)
{
	char buf[64];
	if (fio_read_at(dirfd, file, buf, sizeof buf) <= 0)
		return false;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return false;
	*v = x;
	return true;
}

/* Pids listed in a cgroup's cgroup.procs; returns how many (up to max). */
static size_t procs_at(int dirfd, pid_t *out, size_t max)
{
	int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[16384];
	size_t k = 0, have = 0;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n')) && k < max) {
			long v = strtol(line, NULL, 10);
			if (v > 0)
				out[k++] = (pid_t)v;
			line = nl + 1;
		}
		have = strlen(line);
		memmove(buf, line, have);
		if (k == max)
			break;
	}
	close(fd);
	return k;
}

static bool populated(int dirfd)
{
	pid_t p[1];
	return procs_at(dirfd, p, 1) > 0;
}

/* ---- layout ------------------------------------------------------------- */

struct hierarchy {
	char parent[PATH_MAX]; /* the own cgroup: where leaves go */
	unsigned ctrls;
};

static enum cg_layout detect_layout(void)
{
	struct statfs fs;
	if (statfs(ROOT_DIR, &fs) != 0)
		return CG_NONE;
	if ((unsigned long)fs.f_type == CGROUP2_SUPER_MAGIC_)
		return CG_V2;
	return CG_V1;
}

/* The own cgroup path of hierarchy `field` ("0" line: "" for v2), from
 * /proc/self/cgroup.  For v1, fills one entry per hierarchy carrying one of
 * our controllers. */
static size_t own_hierarchies(enum cg_layout layout, struct hierarchy *h, size_t max)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return 0;
	char line[PATH_MAX + 256];
	size_t n = 0;
	while (n < max && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		const char *list = c1 + 1, *path = c2 + 1;
		if (layout == CG_V2) {
			if (strncmp(line, "0:", 2) != 0 || *list)
				continue;
			snprintf(h[n].parent, sizeof h[n].parent, "%s%s", ROOT_DIR,
				 strcmp(path, "/") == 0 ? "" : path);
			h[n++].ctrls = 0;
			break;
		}
		unsigned ctrls = 0;
		char copy[256];
		snprintf(copy, sizeof copy, "%s", list);
		for (char *save, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
			for (int i = 0; i < CG_NCTRL; i++)
				if (strcmp(t, ctrl_names[i]) == 0)
					ctrls |= 1U << i;
		if (!ctrls)
			continue;
		char mnt[PATH_MAX];
		snprintf(mnt, sizeof mnt, "%s/%s", ROOT_DIR, list);
		struct statfs fs;
		if (statfs(mnt, &fs) != 0 || (unsigned long)fs.f_type != CGROUP_SUPER_MAGIC_)
			continue;
		if ((size_t)snprintf(h[n].parent, sizeof h[n].parent, "%s%s", mnt,
				     strcmp(path, "/") == 0 ? "" : path) >= sizeof h[n].parent)
			continue;
		h[n++].ctrls = ctrls;
	}
	fclose(f);
	return n;
}

/* ---- killing and the stale-leaf sweep ---------------------------------- */

static void freeze(int dirfd, bool on)
{
	fio_write_at(dirfd, "freezer.state", on ? "FROZEN" : "THAWED");
	if (!on)
		return;
	/* FREEZING until every task is stopped */
	for (int i = 0; i < 1000; i++) {
		char st[32];
		if (fio_read_at(dirfd, "freezer.state", st, sizeof st) < 0 ||
		    strncmp(st, "FROZEN", 6) == 0)
			return;
		sleep_ms(1);
	}
}

/* Kills every process of the cgroup at dirfd: cgroup.kill (v2, 5.14+);
 * else with the freezer's leaf frozen (no fork can race the kill); else a
 * kill loop, which converges when pids.max caps the churn. */
static void kill_cgroup(int dirfd, int freezer_fd)
{
	if (fio_write_at(dirfd, "cgroup.kill", "1") == 0)
		return;
	if (freezer_fd >= 0)
		freeze(freezer_fd, true);
	pid_t pids[1024];
	for (int round = 0; round < 200; round++) {
		size_t n = procs_at(dirfd, pids, 1024);
		if (!n)
			break;
		for (size_t i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		if (freezer_fd >= 0 && n < 1024)
			break; /* frozen: one kill each is enough */
		sleep_ms(1);
	}
	if (freezer_fd >= 0)
		freeze(freezer_fd, false);
}

/* Waits up to ~2 s for the cgroup at dirfd (-1: unknown) to empty, then
 * removes it. */
static int remove_leaf(const char *path, int dirfd)
{
	for (int i = 0; dirfd >= 0 && i < 2000 && populated(dirfd); i++)
		sleep_ms(1);
	for (int i = 0; i < 100; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -1;
		sleep_ms(1);
	}
	return -1;
}

/* The supervisor pid in a leaf's name, or 0 when it is not one of ours. */
static pid_t leaf_pid(const char *s)
{
	if (strncmp(s, "cordon-", 7) != 0 || !s[7] || strlen(s + 7) > 9)
		return 0;
	long v = 0;
	for (s += 7; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return (pid_t)v;
}

/* Removes the leaves under parent whose supervisor is gone, killing what
 * is left in them first.  Gone: nobody holds the leaf's lock AND no process
 * has the pid in its name (a leaf another cordon has just made is not
 * locked yet, but its maker is alive; a reused pid only delays the sweep). */
static void sweep_stale(const char *parent)
{
	int pfd = openat(AT_FDCWD, parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return;
	DIR *d = fdopendir(dup(pfd));
	struct dirent *e;
	while (d && (e = readdir(d))) {
		pid_t owner = leaf_pid(e->d_name);
		if (!owner || owner == getpid() || kill(owner, 0) == 0 || errno != ESRCH)
			continue;
		int fd = openat(pfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			int fz = -1;
			if (faccessat(fd, "freezer.state", F_OK, 0) == 0)
				fz = fd;
			kill_cgroup(fd, fz);
			char path[PATH_MAX];
			if ((size_t)snprintf(path, sizeof path, "%s/%s", parent, e->d_name) <
			    sizeof path)
				remove_leaf(path, fd);
		}
		close(fd);
	}
	if (d)
		closedir(d);
	close(pfd);
}

/* ---- the cgroupfs backend ---------------------------------------------- */

static int set_file(struct cg_leaf *lf, const char *file, const char *value, char *err,
		    size_t len)
{
	if (fio_write_at(lf->fd, file, value) == 0)
		return 0;
	snprintf(err, len, "cannot set %s/%s to %s: %s", lf->dir, file, value, strerror(errno));
	return -1;
}

static int set_limits(struct cg_leaf *lf, enum cg_layout layout, const struct cg_limits *lim,
		      char *err, size_t len)
{
	char v[64];
	if (lf->ctrls & (1U << CG_MEMORY)) {
		snprintf(v, sizeof v, "%llu", (unsigned long long)lim->memory);
		if (layout == CG_V2) {
			if (set_file(lf, "memory.max", v, err, len) < 0)
				return -1;
			/* no swap escape (the file is absent without swap accounting) */
			if (faccessat(lf->fd, "memory.swap.max", F_OK, 0) == 0 &&
			    set_file(lf, "memory.swap.max", "0", err, len) < 0)
				return -1;
			/* an OOM kill ends the whole tree, not one process of it */
			if (set_file(lf, "memory.oom.group", "1", err, len) < 0)
				return -1;
		} else {
			if (set_file(lf, "memory.limit_in_bytes", v, err, len) < 0)
				return -1;
			if (faccessat(lf->fd, "memory.memsw.limit_in_bytes", F_OK, 0) == 0 &&
			    set_file(lf, "memory.memsw.limit_in_bytes", v, err, len) < 0)
				return -1;
		}
	}
	if (lf->ctrls & (1U << CG_PIDS)) {
		snprintf(v, sizeof v, "%llu", (unsigned long long)lim->pids);
		if (set_file(lf, "pids.max", v, err, len) < 0)
			return -1;
	}
	if (lf->ctrls & (1U << CG_CPU) && lim->cpu_quota_us) {
		if (layout == CG_V2) {
			snprintf(v, sizeof v, "%llu %llu", (unsigned long long)lim->cpu_quota_us,
				 (unsigned long long)lim->cpu_period_us);
			if (set_file(lf, "cpu.max", v, err, len) < 0)
				return -1;
		} else {
			snprintf(v, sizeof v, "%llu", (unsigned long long)lim->cpu_period_us);
			if (set_file(lf, "cpu.cfs_period_us", v, err, len) < 0)
				return -1;
			snprintf(v, sizeof v, "%llu", (unsigned long long)lim->cpu_quota_us);
			if (set_file(lf, "cpu.cfs_quota_us", v, err, len) < 0)
				return -1;
		}
	}
	return 0;
}

int cg_leaf_open(struct cg_leaf *lf, char *err, size_t len)
{
	lf->fd = openat(AT_FDCWD, lf->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lf->fd < 0 || flock(lf->fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		snprintf(err, len, "cannot open and lock the cgroup %s: %s%s", lf->dir, strerror(e),
			 e == EWOULDBLOCK ? " (another cordon is removing it as stale: try again)"
					  : "");
		return -1;
	}
	lf->procs_fd = openat(lf->fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (lf->procs_fd < 0) {
		snprintf(err, len, "cannot open %s/cgroup.procs: %s", lf->dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* mkdir the leaf under parent, lock it, open its cgroup.procs.  -2 when
 * we may not create cgroups there. */
static int make_leaf(struct cg_leaf *lf, const char *parent, char *err, size_t len)
{
	if ((size_t)snprintf(lf->dir, sizeof lf->dir, "%s/cordon-%d", parent, (int)getpid()) >=
	    sizeof lf->dir) {
		snprintf(err, len, "cgroup path too long under %s", parent);
		return -1;
	}
	if (mkdir(lf->dir, 0755) != 0) {
		int e = errno;
		snprintf(err, len, "cannot create the cgroup %s: %s", lf->dir, strerror(e));
		lf->dir[0] = '\0'; /* nothing to remove */
		return e == EACCES || e == EPERM || e == EROFS ? -2 : -1;
	}
	return cg_leaf_open(lf, err, len);
}

static void close_leaf(struct cg_leaf *lf)
{
	if (lf->procs_fd >= 0)
		close(lf->procs_fd);
	if (lf->fd >= 0)
		close(lf->fd);
	lf->procs_fd = lf->fd = -1;
}

static int create_v1(struct cg_run *r, const struct cg_limits *lim, unsigned need,
		     enum cg_backend be, char *err, size_t len)
{
	struct hierarchy h[CG_NCTRL + 4];
	size_t nh = own_hierarchies(CG_V1, h, sizeof h / sizeof h[0]);
	unsigned have = 0;
	for (size_t i = 0; i < nh; i++)
		have |= h[i].ctrls;
	for (int c = 0; c < CG_NCTRL; c++)
		if ((need & (1U << c)) && !(have & (1U << c))) {
			snprintf(err, len, "the cgroup v1 controller %s is not mounted under %s",
				 ctrl_names[c], ROOT_DIR);
			return -2;
		}
	need |= have & (1U << CG_FREEZER); /* to kill a forking tree */
	if (need & (1U << CG_CPU))
		need |= have & (1U << CG_CPUACCT); /* the report's CPU time */
	/* a stale run may have used hierarchies this one does not */
	for (size_t i = 0; i < nh; i++)
		sweep_stale(h[i].parent);
	if (be == CG_BACKEND_LIBCGROUP)
		return cg_lib_create(r, lim, err, len);
	for (size_t i = 0; i < nh; i++) {
		if (!(h[i].ctrls & need))
			continue;
		struct cg_leaf *lf = &r->leaf[r->n++];
		lf->ctrls = h[i].ctrls & need;
		int rc = make_leaf(lf, h[i].parent, err, len);
		if (rc < 0)
			return rc;
		if (set_limits(lf, CG_V1, lim, err, len) < 0)
			return -1;
	}
	return 0;
}

bool cg_list_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* v2: make sure parent (the own cgroup) passes the controllers down.  v2
 * lets only a cgroup without processes do that (the root cgroup aside; and
 * pids and cpu alone would be accepted but turn the leaves into threaded
 * ones, which cannot hold the command): when cordon is alone in parent it
 * first moves itself into parent/supervisor/.  write: enable them (the
 * libcgroup backend does it itself). */
static int enable_v2(const char *parent, unsigned need, bool write, char *err, size_t len)
{
	int pfd = openat(AT_FDCWD, parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0) {
		snprintf(err, len, "cannot open the cgroup %s: %s", parent, strerror(errno));
		return -2;
	}
	char avail[512], on[512], want[128] = "";
	if (fio_read_at(pfd, "cgroup.controllers", avail, sizeof avail) < 0 ||
	    fio_read_at(pfd, "cgroup.subtree_control", on, sizeof on) < 0) {
		snprintf(err, len, "cannot read the controllers of %s: %s", parent,
			 strerror(errno));
		close(pfd);
		return -2;
	}
	avail[strcspn(avail, "\n")] = '\0';
	on[strcspn(on, "\n")] = '\0';
	for (int c = 0; c < CG_NCTRL; c++) {
		if (!(need & (1U << c)))
			continue;
		const char *name = ctrl_names[c];
		if (!cg_list_has(avail, name)) {
			snprintf(err, len, "the %s controller is not available in %s (not "
				 "delegated to it)", name, parent);
			close(pfd);
			return -2;
		}
		if (!cg_list_has(on, name)) {
			size_t used = strlen(want);
			snprintf(want + used, sizeof want - used, "%s+%s", used ? " " : "", name);
		}
	}
	bool root = strcmp(parent, ROOT_DIR) == 0;
	pid_t pids[2];
	size_t n = root ? 0 : procs_at(pfd, pids, 2);
	int rc = 0;
	if (n == 1 && pids[0] == getpid()) {
		/* alone here: step into a leaf of our own */
		if ((mkdirat(pfd, "supervisor", 0755) != 0 && errno != EEXIST) ||
		    fio_write_at(pfd, "supervisor/cgroup.procs", "0") != 0) {
			snprintf(err, len, "cannot move cordon into %s/supervisor: %s", parent,
				 strerror(errno));
			rc = -1;
		}
	} else if (n) {
		snprintf(err, len, "cordon's cgroup %s holds other processes, so it cannot "
			 "give its runs controllers (cgroup v2 lets only a cgroup without "
			 "processes do that)", parent);
		rc = -2;
	}
	if (!rc && write && want[0] && fio_write_at(pfd, "cgroup.subtree_control", want) != 0) {
		int e = errno;
		bool denied = e == EACCES || e == EPERM || e == EROFS;
		snprintf(err, len, "cannot enable %s in %s/cgroup.subtree_control: %s", want,
			 parent, strerror(e));
		rc = denied ? -2 : -1;
	}
	close(pfd);
	return rc;
}

void cg_v2_runs_parent(char *path)
{
	/* started in the supervisor/ leaf an earlier cordon made: the runs'
	 * leaves (and stale ones) are beside it */
	static const char leaf[] = "/supervisor";
	size_t n = strlen(path), k = sizeof leaf - 1;
	if (n > k && strcmp(path + n - k, leaf) == 0)
		path[n - k] = '\0';
}

static int create_v2(struct cg_run *r, const struct cg_limits *lim, unsigned need,
		     enum cg_backend be, char *err, size_t len)
{
	struct hierarchy h[1];
	if (own_hierarchies(CG_V2, h, 1) != 1) {
		snprintf(err, len, "cannot find cordon's own cgroup v2 in /proc/self/cgroup");
		return -2;
	}
	need &= (1U << CG_MEMORY) | (1U << CG_PIDS) | (1U << CG_CPU);
	cg_v2_runs_parent(h[0].parent);
	sweep_stale(h[0].parent);
	/* libcgroup enables the controllers itself, and can only where cordon
	 * has left the cgroup first */
	int rc = enable_v2(h[0].parent, need, be == CG_BACKEND_CGROUPFS, err, len);
	if (rc < 0)
		return rc;
	if (be == CG_BACKEND_LIBCGROUP)
		return cg_lib_create(r, lim, err, len);
	struct cg_leaf *lf = &r->leaf[r->n++];
	lf->ctrls = need;
	rc = make_leaf(lf, h[0].parent, err, len);
	if (rc < 0)
		return rc;
	return set_limits(lf, CG_V2, lim, err, len);
}

/* The controllers lim needs (1 << enum cg_ctrl). */
static unsigned needed(const struct cg_limits *lim)
{
	unsigned need = 0;
	if (lim->memory)
		need |= 1U << CG_MEMORY;
	if (lim->pids)
		need |= 1U << CG_PIDS;
	if (lim->cpu_quota_us)
		need |= 1U << CG_CPU;
	if (lim->cputime)
		need |= 1U << CG_CPUACCT;
	return need;
}

int cg_create(struct cg_run *r, const struct cg_limits *lim, enum cg_backend be, char *err,
	      size_t errlen)
{
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < CG_NCTRL; i++)
		r->leaf[i].fd = r->leaf[i].procs_fd = -1;
	r->backend = be;
	r->layout = detect_layout();
	unsigned need = needed(lim);
	int rc;
	if (r->layout == CG_NONE) {
		snprintf(err, errlen, "no cgroup filesystem at %s: %s", ROOT_DIR,
			 strerror(errno));
		rc = -2;
	} else if (r->layout == CG_V2) {
		rc = create_v2(r, lim, need, be, err, errlen);
	} else {
		rc = create_v1(r, lim, need, be, err, errlen);
	}
	if (rc < 0) {
		cg_destroy(r);
		r->layout = CG_NONE;
	}
	return rc;
}

int cg_join(const struct cg_run *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (write(r->leaf[i].procs_fd, "0", 1) != 1)
			return -1;
	return 0;
}

int cg_clone_fd(const struct cg_run *r)
{
	return r->layout == CG_V2 && r->n == 1 ? r->leaf[0].fd : -1;
}

static const struct cg_leaf *with(const struct cg_run *r, enum cg_ctrl c)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->leaf[i].ctrls & (1U << c))
			return &r->leaf[i];
	return NULL;
}

int cg_cpu_usec(const struct cg_run *r, uint64_t *usec)
{
	if (r->layout == CG_V2 && r->n)
		return keyed_value(r->leaf[0].fd, "cpu.stat", "usage_usec", usec) ? 0 : -1;
	const struct cg_leaf *lf = with(r, CG_CPUACCT);
	uint64_t ns;
	if (!lf || !number_at(lf->fd, "cpuacct.usage", &ns))
		return -1;
	*usec = ns / 1000;
	return 0;
}

void cg_stats(const struct cg_run *r, struct cg_stats *s)
{
	memset(s, 0, sizeof *s);
	s->has_cpu = cg_cpu_usec(r, &s->cpu_usec) == 0;
	const struct cg_leaf *m = with(r, CG_MEMORY), *p = with(r, CG_PIDS);
	if (r->layout == CG_V2 && r->n) {
		m = p = &r->leaf[0];
		s->has_peak = number_at(m->fd, "memory.peak", &s->peak_memory);
		keyed_value(m->fd, "memory.events", "oom_kill", &s->oom_kills);
		keyed_value(p->fd, "pids.events", "max", &s->pids_max);
		return;
	}
	if (m) {
		s->has_peak = number_at(m->fd, "memory.max_usage_in_bytes", &s->peak_memory);
		keyed_value(m->fd, "memory.oom_control", "oom_kill", &s->oom_kills);
	}
	if (p)
		keyed_value(p->fd, "pids.events", "max", &s->pids_max);
}

void cg_kill(struct cg_run *r)
{
	if (!r->n)
		return;
	const struct cg_leaf *fz = with(r, CG_FREEZER);
	if (populated(r->leaf[0].fd))
		kill_cgroup(r->leaf[0].fd, fz ? fz->fd : -1);
}

void cg_destroy(struct cg_run *r)
{
	cg_kill(r);
	for (size_t i = 0; i < r->n; i++) {
		struct cg_leaf *lf = &r->leaf[i];
		if (r->backend == CG_BACKEND_CGROUPFS && lf->dir[0]) {
			if (remove_leaf(lf->dir, lf->fd) != 0)
				fprintf(stderr, "cordon: warning: cannot remove the cgroup %s: %s "
					"(the next run removes it)\n", lf->dir, strerror(errno));
		} else {
			/* libcgroup deletes it once it is empty */
			for (int k = 0; lf->fd >= 0 && k < 2000 && populated(lf->fd); k++)
				sleep_ms(1);
		}
		close_leaf(lf);
	}
	if (r->backend == CG_BACKEND_LIBCGROUP)
		cg_lib_destroy(r);
	r->n = 0;
}

void cg_where(const struct cg_limits *lim, struct cg_place *w)
{
	memset(w, 0, sizeof *w);
	w->layout = detect_layout();
	unsigned need = needed(lim);
	struct hierarchy h[CG_NCTRL + 4];
	size_t nh = w->layout == CG_NONE ? 0 : own_hierarchies(w->layout, h, sizeof h / sizeof h[0]);
	if (w->layout == CG_V2) {
		w->need = need & ((1U << CG_MEMORY) | (1U << CG_PIDS) | (1U << CG_CPU));
		char avail[512] = "";
		fio_read_at(AT_FDCWD, ROOT_DIR "/cgroup.controllers", avail, sizeof avail);
		w->complete = nh == 1;
		for (int c = 0; c < CG_NCTRL; c++)
			if ((w->need & (1U << c)) && !cg_list_has(avail, ctrl_names[c]))
				w->complete = false;
		if (nh == 1) {
			cg_v2_runs_parent(h[0].parent);
			memcpy(w->dir[0], h[0].parent, sizeof w->dir[0]);
			w->n = 1;
		}
		return;
	}
	/* as create_v1 does: the freezer too, cpuacct with cpu */
	unsigned have = 0;
	for (size_t i = 0; i < nh; i++)
		have |= h[i].ctrls;
	w->complete = w->layout == CG_V1 && (need & have) == need;
	need |= have & (1U << CG_FREEZER);
	if (need & (1U << CG_CPU))
		need |= have & (1U << CG_CPUACCT);
	w->need = need;
	for (size_t i = 0; i < nh && w->n < CG_NCTRL; i++)
		if (h[i].ctrls & need)
			memcpy(w->dir[w->n++], h[i].parent, sizeof w->dir[0]);
}

/* ---- cordon probe ------------------------------------------------------- */

void cg_probe(FILE *out)
{
	enum cg_layout layout = detect_layout();
	if (layout == CG_NONE) {
		fprintf(out, "cgroup: no cgroup filesystem at %s: limits need --best-effort "
			     "(rlimits)\n", ROOT_DIR);
		return;
	}
	struct hierarchy h[CG_NCTRL + 4];
	size_t nh = own_hierarchies(layout, h, sizeof h / sizeof h[0]);
	if (layout == CG_V2) {
		char avail[512] = "";
		int fd = nh ? openat(AT_FDCWD, h[0].parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		if (fd >= 0) {
			fio_read_at(fd, "cgroup.controllers", avail, sizeof avail);
			avail[strcspn(avail, "\n")] = '\0';
		}
		bool w = nh && access(h[0].parent, W_OK) == 0;
		fprintf(out, "cgroup: v2 (unified); own cgroup %s, controllers there: %s\n",
			nh ? h[0].parent : "?", avail[0] ? avail : "none");
		fprintf(out, "cgroup for this user (uid %d): %s\n", (int)getuid(),
			!w ? "none: the own cgroup is not writable (not delegated); strict limits "
			     "exit 125, --best-effort uses rlimits"
			: !avail[0] ? "none: no controller delegated"
				    : "v2: leaves under the own cgroup (moving into supervisor/ "
				      "when alone there)");
		if (fd >= 0)
			close(fd);
	} else {
		struct statfs u;
		bool hybrid = statfs(ROOT_DIR "/unified", &u) == 0 &&
			      (unsigned long)u.f_type == CGROUP2_SUPER_MAGIC_;
		fprintf(out, "cgroup: %s; v1 hierarchies:", hybrid ? "hybrid (v1 controllers, "
			"cgroup2 at " ROOT_DIR "/unified)" : "v1");
		unsigned have = 0, writable = 0;
		for (size_t i = 0; i < nh; i++) {
			have |= h[i].ctrls;
			if (access(h[i].parent, W_OK) == 0)
				writable |= h[i].ctrls;
		}
		for (int c = 0; c < CG_NCTRL; c++)
			fprintf(out, " %s%s", ctrl_names[c], have & (1U << c) ? "" : " (absent)");
		fputc('\n', out);
		fprintf(out, "cgroup for this user (uid %d): ", (int)getuid());
		if (writable == have && have)
			fputs("v1: leaves under the own cgroup of each hierarchy\n", out);
		else if (writable)
			fputs("v1 for some controllers only; limits needing the others exit 125 "
			      "(strict)\n", out);
		else
			fputs("none: the own cgroups are not writable; strict limits exit 125, "
			      "--best-effort uses rlimits\n", out);
	}
	fprintf(out, "cgroup for root: %s\n",
		layout == CG_V2 ? "v2 (controllers from the root cgroup)" : "v1");
}
