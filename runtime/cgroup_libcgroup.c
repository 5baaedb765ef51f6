/* The libcgroup backend of the cgroup layer (cgroup.h): creates the run's
 * leaf cgroup(s) and sets the limits through Debian's libcgroup 2.0.2;
 * joining, killing, statistics and waiting for the leaves to empty are the
 * shared code's (cgroup.c), which works on the leaf directories filled in
 * here.
 *
 * The leaf is <own cgroup>/cordon-<pid> in every hierarchy used, the own
 * cgroup as /proc/self/cgroup gives it per hierarchy.  libcgroup names a
 * group by one path for all its controllers, so where the own paths differ
 * between v1 hierarchies (e.g. memory in /some/where, pids at /) this
 * backend makes one libcgroup group per distinct path, each with the
 * controllers whose own cgroup is there.
 *
 * What libcgroup 2.0.2 does and does not do, and how this file copes:
 *  - it does not translate setting names between v1 and v2: the names are
 *    chosen here from the hierarchy's file system type;
 *  - it creates the directory and then writes the values in order, stopping
 *    at the first that fails, and leaves the directory behind: every failure
 *    deletes what was made;
 *  - by default it chowns and chmods every file of the new group (~135
 *    syscalls); the second argument of cgroup_create_cgroup(),
 *    ignore_ownership, skips that (2.0.2 has no field or setter for it);
 *  - on cgroup v2 it writes "+controller" into cgroup.subtree_control of
 *    every cgroup from the first below the mount point down to the parent
 *    of the group (the mount point's own only when the parent is the root).
 *    That fails for a user in a delegated subtree, who may not write above
 *    it (libcgroup issue #421), and with EBUSY where one of those cgroups
 *    holds processes (issue #271) -- which includes cordon's own cgroup
 *    unless it is the root cgroup.  Those failures are reported as such,
 *    naming the cgroup, pointing to the cgroupfs backend; a "+controller"
 *    already written higher up stays (it cannot be taken back safely);
 *  - cgroup_get_current_controller_path() fails on a cgroup v2 controller
 *    (its fscanf needs a non-empty controller list, and the v2 line "0::/x"
 *    has none): the v2 own path is read from /proc/self/cgroup here;
 *  - it logs errors to stdout by default: a quiet logger is installed
 *    (CGROUP_LOGLEVEL in the environment sends its log to stderr instead);
 *  - it cannot create a v2 group without a controller: when nothing needs
 *    one (only CPU time, read from cpu.stat), pids carries the group;
 *  - optional files (memory.memsw.limit_in_bytes, memory.swap.max,
 *    memory.oom.group) exist only with swap accounting or a recent kernel;
 *    they are written with cgroup_modify_cgroup() once the group exists and
 *    shows them;
 *  - deletion: cgroup_delete_cgroup_ext() with CGFLAG_DELETE_EMPTY_ONLY, a
 *    plain rmdir per hierarchy.  Without it, libcgroup would first open the
 *    parent's tasks file for writing and move whatever is left in the leaf
 *    to the parent, out of the limits -- and the parent (cordon's own
 *    cgroup) is not ours to change;
 *  - cost: it re-reads /proc/mounts before every mkdir and every value it
 *    writes, mkdirs every component of the path from / (mkdir -p), and
 *    cgroup_init() reads /proc/cgroups and /proc/mounts.
 *
 * Joining: the child moves itself into the leaves by writing "0" to each
 * leaf's cgroup.procs (cg_join in cgroup.c), never through libcgroup's
 * cgroup_attach_task*(): cordon starts the child with
 * clone(CLONE_VM|CLONE_VFORK), so the parent is suspended until the child
 * execs and cannot attach it from outside, and in the child, between clone
 * and exec, only async-signal-safe code on memory it does not share may
 * run -- libcgroup's attach allocates and fopen()s (heap and stdio shared
 * with the suspended parent), takes a rwlock, and on v1 writes the `tasks`
 * file, which moves one thread only, not the process. */
#include "cgroup.h"
#include "fileio.h"

#include <stdlib.h>

#ifndef CORDON_WITH_LIBCGROUP

int cg_lib_create(struct cg_run *r, const struct cg_limits *lim, char *err, size_t errlen)
{
	(void)r;
	(void)lim;
	if (err && errlen)
		snprintf(err, errlen,
			 "the libcgroup cgroup backend is not available: cordon was built "
			 "without libcgroup and there is no cordon-libcgroup beside it; "
			 "rebuild with libcgroup-dev installed (apt-get install "
			 "libcgroup-dev; make clean all), or use the default backend "
			 "(--cgroup-backend=cgroupfs)");
	return -1;
}

void cg_lib_destroy(struct cg_run *r)
{
	free(r->lib);
	r->lib = NULL;
}

#else /* CORDON_WITH_LIBCGROUP */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <libcgroup.h>

#define CGROUP2_MAGIC 0x63677270UL


static const char *const use_cgroupfs =
	"the libcgroup backend cannot work here: use the default cgroupfs backend "
	"(--cgroup-backend=cgroupfs), in a cgroup of cordon's own where this user "
	"has none (`systemd-run --user --scope -p Delegate=yes cordon run ...`)";

/* r->lib: the libcgroup groups made, one per distinct own path */
struct cg_lib {
	size_t n;
	struct cgroup *cg[CG_NCTRL];
};

/* One hierarchy in use while creating. */
struct hier {
	char mnt[PATH_MAX];   /* its mount point */
	char own[PATH_MAX];   /* cordon's own cgroup in it, from /proc/self/cgroup */
	char leaf[PATH_MAX];  /* mnt + own + /cordon-<pid> */
	bool v2;
	unsigned used;        /* the controllers the leaf is made with */
	size_t group;         /* index of its libcgroup group */
	char settings[256];   /* "file=value, ..." written here, for messages */
};

struct plan {
	struct hier h[CG_NCTRL];
	size_t nh;
	char name[CG_NCTRL][PATH_MAX]; /* libcgroup group names: own + /cordon-<pid> */
	size_t ng;
	/* the hierarchies of each group in the order their controllers are
	 * added, which is the order libcgroup creates them in: v2 first */
	size_t order[CG_NCTRL][CG_NCTRL];
	size_t norder[CG_NCTRL];
};

static int fail(char *err, size_t len, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t len, int rc, const char *fmt, ...)
{
	if (err && len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* libcgroup's text for one of its codes (ECGOTHER: the errno behind it) */
static const char *lib_strerror(int code)
{
	if (code < ECGROUPNOTCOMPILED || code > ECGNONEMPTY)
		return strerror(code);
	return cgroup_strerror(code);
}

static void quiet_logger(void *userdata, int level, const char *fmt, va_list ap)
{
	(void)userdata;
	(void)level;
	(void)fmt;
	(void)ap;
}

static void stderr_logger(void *userdata, int level, const char *fmt, va_list ap)
{
	(void)userdata;
	(void)level;
	fputs("cordon: libcgroup: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* cordon's own cgroup v2 path: the "0::" line of /proc/self/cgroup. */
static int own_v2_path(char *out, size_t len)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	int rc = -1;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (strncmp(line, "0::", 3) == 0) {
			cg_v2_runs_parent(line + 3);
			if ((size_t)snprintf(out, len, "%s", line + 3) < len)
				rc = 0;
			break;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

/* "a" + "/b" without doubling the slash when a is "/" (or empty) */
static int join(char *out, size_t len, const char *a, const char *b)
{
	size_t al = strlen(a);
	while (al > 0 && a[al - 1] == '/')
		al--;
	return (size_t)snprintf(out, len, "%.*s%s", (int)al, a, b) < len ? 0 : -1;
}

/* Is ctrl listed in dir/cgroup.subtree_control? */
static bool subtree_has(const char *dir, const char *ctrl)
{
	char path[PATH_MAX + 32], buf[512];
	if (join(path, sizeof path, dir, "/cgroup.subtree_control") < 0 ||
	    fio_read_at(AT_FDCWD, path, buf, sizeof buf) < 0)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	return cg_list_has(buf, ctrl);
}

/* Would libcgroup's "+ctrl" write into dir/cgroup.subtree_control fail:
 * busy: the controller is not on there yet (EBUSY comes from the first such
 * cgroup holding processes); else: the file is not writable by us. */
static bool v2_level_fails(const char *dir, const char *ctrl, bool busy)
{
	char f[PATH_MAX + 32];
	if (busy)
		return !subtree_has(dir, ctrl);
	return join(f, sizeof f, dir, "/cgroup.subtree_control") == 0 &&
	       faccessat(AT_FDCWD, f, W_OK, AT_EACCESS) != 0;
}

/* After a failed create on v2: where libcgroup's "+controller" write
 * failed.  It goes controller by controller, and for each through the
 * cgroups from the first below the mount point down to the own cgroup (the
 * mount point itself only when the own cgroup is the root). */
static bool v2_failed_level(const struct hier *h, bool busy, char *dir, size_t dlen,
			    const char **ctrl)
{
	for (int c = 0; c < CG_NCTRL; c++) {
		if (!(h->used & (1U << c)))
			continue;
		char path[PATH_MAX];
		if ((size_t)snprintf(path, sizeof path, "%s", h->mnt) >= sizeof path)
			return false;
		const char *rest = h->own;
		while (*rest == '/')
			rest++;
		bool first = true;
		while (first || *rest) {
			first = false;
			if (*rest) {
				size_t seg = strcspn(rest, "/"), pl = strlen(path);
				if (pl + 1 + seg >= sizeof path)
					return false;
				path[pl] = '/';
				memcpy(path + pl + 1, rest, seg);
				path[pl + 1 + seg] = '\0';
				rest += seg;
				while (*rest == '/')
					rest++;
			}
			if (v2_level_fails(path, cg_ctrl_name((enum cg_ctrl)c), busy)) {
				snprintf(dir, dlen, "%s", path);
				*ctrl = cg_ctrl_name((enum cg_ctrl)c);
				return true;
			}
		}
	}
	return false;
}

/* Which controllers are needed, and which are optional (v1 freezer). */
static void wanted(const struct cg_run *r, const struct cg_limits *lim, unsigned *need,
		   unsigned *opt)
{
	*need = 0;
	*opt = 0;
	if (lim->memory)
		*need |= 1U << CG_MEMORY;
	if (lim->pids)
		*need |= 1U << CG_PIDS;
	if (lim->cpu_quota_us)
		*need |= 1U << CG_CPU;
	if (r->layout == CG_V2) {
		/* the CPU time is in cpu.stat of every v2 cgroup, no controller
		 * needed; a group needs one controller for libcgroup to make it */
		if (!*need)
			*opt = 1U << CG_PIDS;
	} else {
		if (lim->cputime)
			*need |= 1U << CG_CPUACCT;
		*opt = 1U << CG_FREEZER; /* the shared kill freezes a forking tree */
		if (lim->cpu_quota_us)
			*opt |= 1U << CG_CPUACCT; /* the report's CPU time */
	}
	*opt &= ~*need;
}

/* Finds the mount point, version and own path of each controller and
 * groups them into hierarchies and libcgroup groups. */
static int make_plan(struct plan *p, const struct cg_run *r, unsigned need, unsigned opt,
		     char *err, size_t len)
{
	char suffix[32];
	snprintf(suffix, sizeof suffix, "/cordon-%d", (int)getpid());
	memset(p, 0, sizeof *p);
	for (int c = 0; c < CG_NCTRL; c++) {
		unsigned bit = 1U << c;
		if (!((need | opt) & bit))
			continue;
		char *mnt = NULL;
		int ret = cgroup_get_subsys_mount_point(cg_ctrl_name((enum cg_ctrl)c), &mnt);
		if (ret) {
			free(mnt);
			if (!(need & bit))
				continue;
			if (ret == ECGROUPNOTEXIST)
				return fail(err, len, -2, "the %s cgroup controller is not mounted "
					    "(libcgroup finds no hierarchy with it); --best-effort "
					    "falls back to rlimits", cg_ctrl_name((enum cg_ctrl)c));
			return fail(err, len, -1, "libcgroup cannot find the mount point of the "
				    "%s cgroup controller: %s", cg_ctrl_name((enum cg_ctrl)c),
				    lib_strerror(ret));
		}
		size_t i;
		for (i = 0; i < p->nh; i++)
			if (strcmp(p->h[i].mnt, mnt) == 0)
				break;
		struct hier *h = &p->h[i];
		if (i == p->nh) {
			p->nh++;
			if (snprintf(h->mnt, sizeof h->mnt, "%s", mnt) >= (int)sizeof h->mnt) {
				free(mnt);
				return fail(err, len, -1, "cgroup mount point too long");
			}
			struct statfs fs;
			h->v2 = statfs(mnt, &fs) == 0 && (unsigned long)fs.f_type == CGROUP2_MAGIC;
			int rc;
			if (h->v2) {
				rc = own_v2_path(h->own, sizeof h->own);
			} else {
				char *own = NULL;
				ret = cgroup_get_current_controller_path(getpid(), cg_ctrl_name((enum cg_ctrl)c),
									 &own);
				rc = ret || !own ||
				     snprintf(h->own, sizeof h->own, "%s", own) >= (int)sizeof h->own
				     ? -1 : 0;
				free(own);
			}
			if (rc < 0) {
				int rc2 = need & bit ? -2 : 0;
				if (rc2 == 0) { /* optional: do without it */
					p->nh--;
					free(mnt);
					continue;
				}
				free(mnt);
				return fail(err, len, rc2, "cannot find cordon's own cgroup in the %s "
					    "hierarchy in /proc/self/cgroup%s%s",
					    cg_ctrl_name((enum cg_ctrl)c), ret ? ": " : "",
					    ret ? lib_strerror(ret) : "");
			}
			char parent[PATH_MAX];
			if (join(parent, sizeof parent, h->mnt, h->own) < 0 ||
			    join(h->leaf, sizeof h->leaf, parent, suffix) < 0) {
				free(mnt);
				return fail(err, len, -1, "cgroup path too long: %s%s", h->mnt,
					    h->own);
			}
			/* libcgroup builds mount point + own path, which is only right
			 * when the mount shows the hierarchy from its root; it would
			 * mkdir -p a missing own cgroup */
			if (!is_dir(parent)) {
				free(mnt);
				return fail(err, len, -1, "cordon's own cgroup %s (%s in the %s "
					    "hierarchy) is not there: the cgroup file system is "
					    "mounted from a subtree (a container without a cgroup "
					    "namespace?), which libcgroup cannot handle; %s",
					    parent, h->own, cg_ctrl_name((enum cg_ctrl)c), use_cgroupfs);
			}
			if (access(h->leaf, F_OK) == 0) {
				free(mnt);
				return fail(err, len, -1, "the cgroup %s exists already (left by an "
					    "earlier supervisor with this pid that could not be "
					    "removed); remove it with rmdir", h->leaf);
			}
		}
		free(mnt);
		h->used |= bit;
	}
	if (!p->nh)
		return fail(err, len, -2, "no cgroup controller to make a cgroup with");
	if (r->layout == CG_V2 && (p->nh != 1 || !p->h[0].v2))
		return fail(err, len, -1, "libcgroup places the controllers in more than one "
			    "hierarchy on this cgroup v2 machine; %s", use_cgroupfs);
	/* one libcgroup group per distinct own path */
	for (size_t i = 0; i < p->nh; i++) {
		size_t g;
		for (g = 0; g < i; g++)
			if (strcmp(p->h[g].own, p->h[i].own) == 0)
				break;
		if (g < i) {
			p->h[i].group = p->h[g].group;
			continue;
		}
		p->h[i].group = p->ng;
		if (join(p->name[p->ng], sizeof p->name[0], p->h[i].own, suffix) < 0)
			return fail(err, len, -1, "cgroup path too long: %s", p->h[i].own);
		p->ng++;
	}
	for (int v2 = 1; v2 >= 0; v2--)
		for (size_t i = 0; i < p->nh; i++)
			if (p->h[i].v2 == v2) {
				size_t g = p->h[i].group;
				p->order[g][p->norder[g]++] = i;
			}
	return 0;
}

static int add(struct cgroup_controller *cc, const char *file, uint64_t v, char *list,
	       size_t llen)
{
	char s[32];
	snprintf(s, sizeof s, "%" PRIu64, v);
	size_t used = strlen(list);
	snprintf(list + used, llen - used, "%s%s=%s", used ? ", " : "", file, s);
	return cgroup_add_value_string(cc, file, s);
}

/* Adds the controllers of hierarchy h to group cg, with the limits in the
 * names of its version. */
static int add_limits(struct cgroup *cg, struct hier *h, const struct cg_limits *lim)
{
	char *list = h->settings;
	size_t llen = sizeof h->settings;
	for (int c = 0; c < CG_NCTRL; c++) {
		if (!(h->used & (1U << c)))
			continue;
		struct cgroup_controller *cc = cgroup_add_controller(cg, cg_ctrl_name((enum cg_ctrl)c));
		if (!cc)
			return ECGINVAL;
		int ret = 0;
		uint64_t period = lim->cpu_period_us ? lim->cpu_period_us : 100000;
		if (c == CG_MEMORY && lim->memory) {
			ret = add(cc, h->v2 ? "memory.max" : "memory.limit_in_bytes", lim->memory,
				  list, llen);
		} else if (c == CG_PIDS && lim->pids) {
			ret = add(cc, "pids.max", lim->pids, list, llen);
		} else if (c == CG_CPU && lim->cpu_quota_us) {
			if (h->v2) {
				char s[64];
				snprintf(s, sizeof s, "%" PRIu64 " %" PRIu64, lim->cpu_quota_us,
					 period);
				size_t used = strlen(list);
				snprintf(list + used, llen - used, "%scpu.max=%s", used ? ", " : "",
					 s);
				ret = cgroup_add_value_string(cc, "cpu.max", s);
			} else {
				/* the period first: the quota is checked against it */
				ret = add(cc, "cpu.cfs_period_us", period, list, llen);
				if (!ret)
					ret = add(cc, "cpu.cfs_quota_us", lim->cpu_quota_us, list,
						  llen);
			}
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* The memory settings whose files only some kernels have, written once the
 * group exists: v1 memsw (after memory.limit_in_bytes, which it may not be
 * below), v2 memory.swap.max and memory.oom.group. */
static int set_optional(const struct plan *p, const struct cg_limits *lim, char *err,
			size_t len)
{
	for (size_t i = 0; i < p->nh; i++) {
		const struct hier *h = &p->h[i];
		if (!(h->used & (1U << CG_MEMORY)) || !lim->memory)
			continue;
		char val[3][32], list[256] = "";
		const char *file[3];
		size_t n = 0;
		int dfd = open(h->leaf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return fail(err, len, -1, "cannot open the cgroup %s: %s", h->leaf,
				    strerror(errno));
		if (h->v2) {
			/* no swap escape */
			if (faccessat(dfd, "memory.swap.max", F_OK, 0) == 0) {
				file[n] = "memory.swap.max";
				snprintf(val[n++], sizeof val[0], "0");
			}
			/* an OOM kill ends the whole tree, not one process of it */
			if (faccessat(dfd, "memory.oom.group", F_OK, 0) == 0) {
				file[n] = "memory.oom.group";
				snprintf(val[n++], sizeof val[0], "1");
			}
		} else if (faccessat(dfd, "memory.memsw.limit_in_bytes", F_OK, 0) == 0) {
			file[n] = "memory.memsw.limit_in_bytes";
			snprintf(val[n++], sizeof val[0], "%" PRIu64, lim->memory);
		}
		close(dfd);
		if (!n)
			continue;
		struct cgroup *cg = cgroup_new_cgroup(p->name[h->group]);
		struct cgroup_controller *cc = cg ? cgroup_add_controller(cg, "memory") : NULL;
		int ret = cc ? 0 : ECGFAIL;
		for (size_t k = 0; k < n && !ret; k++) {
			size_t used = strlen(list);
			snprintf(list + used, sizeof list - used, "%s%s=%s", used ? ", " : "",
				 file[k], val[k]);
			ret = cgroup_add_value_string(cc, file[k], val[k]);
		}
		if (!ret)
			ret = cgroup_modify_cgroup(cg);
		if (cg)
			cgroup_free(&cg);
		if (ret)
			return fail(err, len, -1, "libcgroup could not set %s in the cgroup %s: %s",
				    list, h->leaf, lib_strerror(ret));
	}
	return 0;
}

/* Why cgroup_create_cgroup() failed for group g, in err; returns -1 or -2.
 * libcgroup goes through the controllers in the order added: for each, it
 * (v2) enables it in every cgroup.subtree_control above, makes the
 * directory, writes the values, and stops at the first failure.  So the
 * first hierarchy whose leaf is missing is where the creation failed --
 * unless the values of the one before it were refused. */
static int create_failed(const struct plan *p, size_t g, int ret, char *err, size_t len)
{
	int e = ret == ECGOTHER ? cgroup_get_last_errno() : 0;
	size_t m = p->norder[g], miss = m;
	for (size_t k = 0; k < m && miss == m; k++)
		if (!is_dir(p->h[p->order[g][k]].leaf))
			miss = k;
	bool mkdir_error = ret == ECGROUPNOTOWNER || ret == ECGROUPNOTALLOWED ||
			   ret == ECGROUPNOTMOUNTED || ret == ECGROUPSUBSYSNOTMOUNTED;
	if (miss < m && (miss == 0 || mkdir_error)) {
		const struct hier *h = &p->h[p->order[g][miss]];
		if (h->v2 && ret != ECGROUPNOTMOUNTED && ret != ECGROUPSUBSYSNOTMOUNTED) {
			char dir[PATH_MAX];
			const char *ctrl;
			bool busy = e == EBUSY;
			if (!v2_failed_level(h, busy, dir, sizeof dir, &ctrl))
				return fail(err, len, -1, "libcgroup could not create the cgroup %s: "
					    "%s (libcgroup 2.0.2 writes +controller into "
					    "cgroup.subtree_control of every cgroup from the root "
					    "down); %s", h->leaf, lib_strerror(ret), use_cgroupfs);
			if (busy)
				return fail(err, len, -2, "libcgroup could not enable the %s "
					    "controller for the cgroup %s: libcgroup 2.0.2 writes "
					    "+%s into cgroup.subtree_control of every cgroup from the "
					    "root down, and %s holds processes: cgroup v2 lets only a "
					    "cgroup without processes pass controllers to its children "
					    "(%s; libcgroup issue #271); %s", ctrl, h->leaf, ctrl, dir,
					    strerror(EBUSY), use_cgroupfs);
			return fail(err, len, -2, "libcgroup could not enable the %s controller "
				    "for the cgroup %s: libcgroup 2.0.2 writes +%s into "
				    "cgroup.subtree_control of every cgroup from the root down, "
				    "and this user may not write %s/cgroup.subtree_control (%s: "
				    "the cgroup is not delegated to it; libcgroup issue #421); %s",
				    ctrl, h->leaf, ctrl, dir,
				    e ? strerror(e) : strerror(EACCES), use_cgroupfs);
		}
		if (mkdir_error)
			return fail(err, len, -2, "libcgroup cannot create the cgroup %s: %s (this "
				    "user may not create cgroups under its own cgroup %s there: "
				    "run as root, in a delegated cgroup (`systemd-run --user --scope -p "
				    "Delegate=yes cordon run ...`), or with --best-effort to fall back "
				    "to rlimits)", h->leaf, lib_strerror(ret), h->own);
		return fail(err, len, -1, "libcgroup cannot create the cgroup %s: %s", h->leaf,
			    lib_strerror(ret));
	}
	/* the values of the last leaf made were refused */
	const struct hier *h = &p->h[p->order[g][miss ? miss - 1 : 0]];
	return fail(err, len, -1, "libcgroup could not set %s in the cgroup %s: %s%s; check "
		    "the limits of the policy (the cgroup was removed)",
		    h->settings[0] ? h->settings : "its values", h->leaf, lib_strerror(ret),
		    ret == ECGROUPVALUENOTEXIST ? " (a file is missing)" : "");
}

static void lib_free(struct cg_lib *lib)
{
	if (!lib)
		return;
	for (size_t i = 0; i < lib->n; i++) {
		/* empty only: tasks are never moved to the parent (where they would
		 * escape the limits), and the parent is not touched at all */
		cgroup_delete_cgroup_ext(lib->cg[i], CGFLAG_DELETE_EMPTY_ONLY);
		cgroup_free(&lib->cg[i]);
	}
	free(lib);
}

int cg_lib_create(struct cg_run *r, const struct cg_limits *lim, char *err, size_t errlen)
{
	r->n = 0;
	r->lib = NULL;
	if (getenv("CGROUP_LOGLEVEL"))
		cgroup_set_logger(stderr_logger, -1, NULL);
	else
		cgroup_set_logger(quiet_logger, 0, NULL);
	int ret = cgroup_init();
	if (ret == ECGROUPNOTMOUNTED)
		return fail(err, errlen, -2, "libcgroup finds no cgroup hierarchy with a "
			    "controller mounted; --best-effort falls back to rlimits");
	if (ret)
		return fail(err, errlen, -1, "libcgroup cannot initialise (it reads "
			    "/proc/cgroups and /proc/mounts): %s", lib_strerror(ret));

	unsigned need, opt;
	wanted(r, lim, &need, &opt);
	struct plan *p = malloc(sizeof *p);
	struct cg_lib *lib = calloc(1, sizeof *lib);
	int rc;
	if (!p || !lib) {
		rc = fail(err, errlen, -1, "out of memory");
		goto out;
	}
	rc = make_plan(p, r, need, opt, err, errlen);
	if (rc < 0)
		goto out;

	for (size_t g = 0; g < p->ng; g++) {
		struct cgroup *cg = cgroup_new_cgroup(p->name[g]);
		if (!cg) {
			rc = fail(err, errlen, -1, "out of memory");
			goto out;
		}
		lib->cg[lib->n++] = cg;
		ret = 0;
		for (size_t k = 0; k < p->norder[g] && !ret; k++)
			ret = add_limits(cg, &p->h[p->order[g][k]], lim);
		if (ret) {
			rc = fail(err, errlen, -1, "libcgroup cannot describe the cgroup %s: %s",
				  p->name[g], lib_strerror(ret));
			goto out;
		}
		/* 1: ignore_ownership, no chown/chmod of every file */
		ret = cgroup_create_cgroup(cg, 1);
		if (ret) {
			rc = create_failed(p, g, ret, err, errlen);
			goto out;
		}
	}
	rc = set_optional(p, lim, err, errlen);
	if (rc < 0)
		goto out;

	for (size_t i = 0; i < p->nh; i++) {
		const struct hier *h = &p->h[i];
		struct cg_leaf *lf = &r->leaf[r->n++];
		memcpy(lf->dir, h->leaf, sizeof lf->dir);
		lf->ctrls = h->used;
		lf->fd = lf->procs_fd = -1;
		if (cg_leaf_open(lf, err, errlen) < 0) {
			rc = -1;
			goto out;
		}
	}
	r->lib = lib;
	lib = NULL;
	r->backend = CG_BACKEND_LIBCGROUP;
	rc = 0;
out:
	if (rc < 0) {
		for (size_t i = 0; i < r->n; i++) {
			struct cg_leaf *lf = &r->leaf[i];
			if (lf->procs_fd >= 0)
				close(lf->procs_fd);
			if (lf->fd >= 0)
				close(lf->fd);
			lf->fd = lf->procs_fd = -1;
			lf->dir[0] = '\0';
			lf->ctrls = 0;
		}
		r->n = 0;
	}
	lib_free(lib);
	free(p);
	return rc;
}

void cg_lib_destroy(struct cg_run *r)
{
	lib_free(r->lib);
	r->lib = NULL;
}

#endif /* CORDON_WITH_LIBCGROUP */
