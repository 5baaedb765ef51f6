/* The namespace layer (see ns_layer.h): planned in the parent, applied in
 * the child with the new mount API (open_tree, move_mount, mount_setattr:
 * Linux 5.12), by file descriptor, so that a path swapped for a symbolic
 * link between the plan and the mount is refused instead of followed. */
#include "ns_layer.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpb_format.h"
#include "fileio.h"
#include "landlock_abi.h"
#include "safe_open.h"

/* The new mount API, named here: the build machines' headers (glibc 2.36,
 * musl 1.2.3) have it only in part.  The numbers are the same on every
 * architecture. */
#define NR_open_tree 428
#define NR_move_mount 429
#define NR_fsopen 430
#define NR_fsconfig 431
#define NR_fsmount 432
#define NR_mount_setattr 442
#define NS_OPEN_TREE_CLONE 1U
#define NS_AT_RECURSIVE 0x8000U
#define NS_MOVE_F_EMPTY 0x4U
#define NS_MOVE_T_EMPTY 0x40U
#define NS_FS_CLOEXEC 1U /* FSOPEN_CLOEXEC, FSMOUNT_CLOEXEC */
#define NS_FSCONFIG_SET_STRING 1U
#define NS_FSCONFIG_CMD_CREATE 6U
#define NS_ATTR_RDONLY 0x1U
#define NS_ATTR_NOSUID 0x2U
#define NS_ATTR_NODEV 0x4U
#define NS_ATTR_NOEXEC 0x8U

struct ns_mount_attr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* What a read-only mount takes away: every right of `write` (lower.c's
 * WRITE_RIGHTS) but connecting to a socket, and making devices. */
#define NS_WRITE                                                               \
	(CORDON_LL_FS_WRITE_FILE | CORDON_LL_FS_TRUNCATE |                     \
	 CORDON_LL_FS_REMOVE_DIR | CORDON_LL_FS_REMOVE_FILE |                  \
	 CORDON_LL_FS_MAKE_DIR | CORDON_LL_FS_MAKE_REG |                       \
	 CORDON_LL_FS_MAKE_SOCK | CORDON_LL_FS_MAKE_FIFO |                     \
	 CORDON_LL_FS_MAKE_CHAR | CORDON_LL_FS_MAKE_BLOCK |                    \
	 CORDON_LL_FS_MAKE_SYM | CORDON_LL_FS_REFER)
#define NS_READ (CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR)

/* ---- paths ------------------------------------------------------------ */

/* anc is p itself or one of its ancestors (both canonical) */
static bool at_or_above(const char *anc, const char *p)
{
	size_t n = strlen(anc);
	if (n == 1)
		return anc[0] == '/';
	return strncmp(p, anc, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

static bool strictly_below(const char *p, const char *anc)
{
	return strcmp(p, anc) != 0 && at_or_above(anc, p);
}

static size_t depth(const char *p)
{
	size_t d = 0;
	for (; *p; p++)
		d += *p == '/';
	return d;
}

/* The canonical name of path (symbolic links followed) into out, and what
 * it is into st.  false when it does not exist or cannot be reached.
 * (realpath walks the components with readlink: a third of the cost of
 * asking /proc for the name of an O_PATH fd, which makes an inode.) */
static bool resolve(const char *path, char *out, struct stat *st)
{
	return realpath(path, out) && stat(out, st) == 0;
}

static int list_find(const struct ns_list *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].path, path) == 0)
			return (int)i;
	return -1;
}

/* Adds path (kept sorted shallowest first; once).  0, or -1 (ENOMEM). */
static int list_add(struct ns_list *l, const char *path, const struct stat *st)
{
	if (list_find(l, path) >= 0)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct ns_path *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	char *copy = strdup(path);
	if (!copy)
		return -1;
	size_t d = depth(path), at = l->n;
	while (at > 0 && depth(l->v[at - 1].path) > d)
		at--;
	memmove(l->v + at + 1, l->v + at, (l->n - at) * sizeof *l->v);
	l->v[at] = (struct ns_path){.path = copy, .dev = st->st_dev, .ino = st->st_ino,
				    .dir = S_ISDIR(st->st_mode)};
	l->n++;
	return 0;
}

static void list_remove(struct ns_list *l, size_t i)
{
	free(l->v[i].path);
	memmove(l->v + i, l->v + i + 1, (l->n - i - 1) * sizeof *l->v);
	l->n--;
}

static void list_free(struct ns_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	*l = (struct ns_list){0};
}

/* ---- the layers' rules, resolved on demand ------------------------------ */

struct res {
	char *canon; /* NULL: does not exist (or not yet looked up) */
	struct stat st;
	bool done;
};

struct layer {
	struct cpb_policy *p;
	struct res *r;
	uint64_t *deny; /* the deny bits as the policy had them */
};

struct planner {
	struct ns_plan *n;
	struct layer *l;
	size_t nl;
	const struct ll_paths *paths;
	bool oom;
};

static bool is_proc_self(const char *path)
{
	const char *rest = NULL;
	if (strncmp(path, "/proc/self", 10) == 0)
		rest = path + 10;
	else if (strncmp(path, "/proc/thread-self", 17) == 0)
		rest = path + 17;
	return rest && (*rest == '\0' || *rest == '/');
}

/* Rule i of layer l, resolved. */
static const struct res *res_of(struct planner *pl, struct layer *l, size_t i)
{
	struct res *r = &l->r[i];
	if (r->done)
		return r;
	r->done = true;
	char path[PATH_MAX], canon[PATH_MAX];
	if (ll_rule_path(&l->p->fs[i], pl->paths, path, sizeof path) != 0 || path[0] != '/')
		return r;
	/* the command's own /proc entry, not cordon's: writable there means
	 * writable in /proc */
	if (is_proc_self(path))
		snprintf(path, sizeof path, "/proc");
	if (!resolve(path, canon, &r->st))
		return r;
	r->canon = strdup(canon);
	pl->oom |= !r->canon;
	return r;
}

/* Whether layer l lets the command write at t (canonical): some allowed
 * write right at or above it that no deny at or above it takes away
 * (Landlock's rule: a deny holds for everything beneath it), leaving out
 * rule skip (SIZE_MAX: none). */
static bool writable_but(struct planner *pl, struct layer *l, const char *t, size_t skip)
{
	uint64_t h = l->p->handled_fs, allow = 0, deny = 0;
	for (size_t i = 0; i < l->p->nfs; i++) {
		if (i == skip)
			continue;
		uint64_t a = l->p->fs[i].allow & h & NS_WRITE, d = l->deny[i] & h & NS_WRITE;
		if (!a && !d)
			continue;
		const struct res *r = res_of(pl, l, i);
		if (r->canon && at_or_above(r->canon, t)) {
			allow |= a;
			deny |= d;
		}
	}
	return (allow & ~deny) != 0;
}

static bool writable_in(struct planner *pl, struct layer *l, const char *t)
{
	return writable_but(pl, l, t, SIZE_MAX);
}

static bool writable_in_all(struct planner *pl, const char *t)
{
	for (size_t k = 0; k < pl->nl; k++)
		if (!writable_in(pl, &pl->l[k], t))
			return false;
	return true;
}

/* The writable tree of the view that holds t, or NULL. */
static const struct ns_path *root_of(const struct ns_plan *n, const char *t)
{
	for (size_t i = 0; i < n->wr.n; i++)
		if (at_or_above(n->wr.v[i].path, t))
			return &n->wr.v[i];
	return NULL;
}

/* The trees writable in every layer: each allowed write path of any layer
 * that every layer lets the command write.  Devices, sockets and FIFOs are
 * left read-only: writing to them works on a read-only mount, changing
 * them does not. */
static int find_roots(struct planner *pl)
{
	for (size_t k = 0; k < pl->nl; k++) {
		struct layer *l = &pl->l[k];
		for (size_t i = 0; i < l->p->nfs; i++) {
			if (!(l->p->fs[i].allow & l->p->handled_fs & NS_WRITE))
				continue;
			const struct res *r = res_of(pl, l, i);
			if (!r->canon || !(S_ISDIR(r->st.st_mode) || S_ISREG(r->st.st_mode)) ||
			    !writable_in_all(pl, r->canon))
				continue;
			if (list_add(&pl->n->wr, r->canon, &r->st) < 0)
				return -1;
		}
	}
	/* outermost only: a clone of a tree holds the trees inside it */
	for (size_t i = 0; i < pl->n->wr.n;) {
		bool inner = false;
		for (size_t j = 0; j < pl->n->wr.n && !inner; j++)
			inner = j != i && strictly_below(pl->n->wr.v[i].path, pl->n->wr.v[j].path);
		if (inner)
			list_remove(&pl->n->wr, i);
		else
			i++;
	}
	return 0;
}

/* Binds every directory strictly between root and t onto itself. */
static int pin_way(struct ns_plan *n, const char *root, const char *t)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", t);
	for (char *slash; (slash = strrchr(dir, '/')) && slash != dir;) {
		*slash = '\0';
		if (!strictly_below(dir, root))
			break;
		struct stat st;
		if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
			continue; /* canonical: it is a directory, unless it just went */
		if (list_add(&n->pin, dir, &st) < 0)
			return -1;
	}
	return 0;
}

/* A pin that is also a hold or a cover is held by that mount. */
static void prune_pins(struct ns_plan *n)
{
	for (size_t i = 0; i < n->pin.n;)
		if (list_find(&n->hold, n->pin.v[i].path) >= 0 ||
		    list_find(&n->cover, n->pin.v[i].path) >= 0)
			list_remove(&n->pin, i);
		else
			i++;
}

/* t lies where the private /dev/shm replaces what was there. */
static bool in_shm(const struct ns_plan *n, const char *t)
{
	return n->shm && at_or_above(n->shm_dir.path, t);
}

/* A read-only bind of t (canonical, st) with the way to it pinned, where t
 * lies in a writable tree; 1 when the view holds t (by that, or because it
 * is read-only there anyway), 0 when it does not, -1 out of memory. */
static int hold(struct ns_plan *n, const char *t, const struct stat *st)
{
	if (in_shm(n, t))
		return 1; /* not there at all */
	const struct ns_path *root = root_of(n, t);
	if (!root)
		return n->view ? 1 : 0;
	if (!(n->parts & NS_HOLDS))
		return 0;
	if (list_add(&n->hold, t, st) < 0 || pin_way(n, root->path, t) < 0)
		return -1;
	return 1;
}

/* The `deny write` rules: a read-only bind inside a writable tree.  A rule
 * that also denies reading or executing stays with Landlock (and, for
 * reading, a cover); under `net unix` one whose deny must also stop
 * connecting to sockets stays with Landlock too (a read-only mount does
 * not stop that), held by a bind as well. */
static int plan_holds(struct planner *pl)
{
	for (size_t k = 0; k < pl->nl; k++) {
		struct layer *l = &pl->l[k];
		struct cpb_policy *p = l->p;
		for (size_t i = 0; i < p->nfs; i++) {
			uint64_t d = l->deny[i] & p->handled_fs;
			if (!d || p->fs[i].allow || (d & ~(NS_WRITE | CORDON_LL_FS_RESOLVE_UNIX)))
				continue;
			const struct res *r = res_of(pl, l, i);
			if (!r->canon || strcmp(r->canon, "/") == 0)
				continue;
			int held = hold(pl->n, r->canon, &r->st);
			if (held < 0)
				return -1;
			bool unix_deny = (d & CORDON_LL_FS_RESOLVE_UNIX) &&
					 (p->features & CPB_FEAT_RESOLVE_UNIX);
			/* Landlock's carve-out costs the directories on the way
			 * their right to create entries only inside a tree this
			 * layer lets the command write: only there is it moved */
			if (!held || unix_deny || !writable_but(pl, l, r->canon, i))
				continue;
			struct ns_moved *m = realloc(pl->n->moved, (pl->n->nmoved + 1) * sizeof *m);
			if (!m)
				return -1;
			pl->n->moved = m;
			m[pl->n->nmoved++] = (struct ns_moved){p, i, p->fs[i].deny};
			p->fs[i].deny = 0;
		}
	}
	return 0;
}

/* Some rule of any layer allows something at or below t (canonical; also
 * as written, unresolved) that the deny d does not take away: a cover
 * would hide it. */
static bool allowed_below(struct planner *pl, const char *t, const char *written, uint64_t d)
{
	for (size_t k = 0; k < pl->nl; k++) {
		const struct cpb_policy *p = pl->l[k].p;
		for (size_t i = 0; i < p->nfs; i++) {
			uint64_t a = p->fs[i].allow & p->handled_fs;
			char path[PATH_MAX];
			if (!a || ll_rule_path(&p->fs[i], pl->paths, path, sizeof path) != 0)
				continue;
			const char *c = pl->l[k].r[i].canon; /* when already resolved */
			bool at = strcmp(path, t) == 0 || strcmp(path, written) == 0 ||
				  (c && strcmp(c, t) == 0);
			bool below = strictly_below(path, t) || strictly_below(path, written) ||
				     (c && strictly_below(c, t));
			if (below || (at && (a & ~d)))
				return true;
		}
	}
	return false;
}

/* t (canonical; written: as the rule names it) lies below a tree layer l
 * lets the command read or write, written as its prefix, or below a tree
 * it lets the command write. */
static bool in_allowed_tree(struct planner *pl, struct layer *l, const char *t,
			    const char *written)
{
	const struct cpb_policy *p = l->p;
	for (size_t i = 0; i < p->nfs; i++) {
		uint64_t a = p->fs[i].allow & p->handled_fs;
		char path[PATH_MAX];
		if (!(a & (CORDON_LL_FS_READ_DIR | NS_WRITE)) ||
		    ll_rule_path(&p->fs[i], pl->paths, path, sizeof path) != 0)
			continue;
		if (strictly_below(t, path) || strictly_below(written, path))
			return true;
		if (a & NS_WRITE) {
			const struct res *r = res_of(pl, l, i);
			if (r->canon && strictly_below(t, r->canon))
				return true;
		}
	}
	return false;
}

/* The `deny read` rules inside allowed trees: an empty mount of mode 0
 * over each.  Not under /proc, /sys or /dev (pseudo-filesystems, where
 * Landlock's carve-out alone holds them). */
/* The `deny` rules a cover holds whole (it hides reading, writing and
 * running alike) leave Landlock, as the `deny write` that a read-only bind
 * holds do: Landlock's carve-out would cost every directory on the way the
 * right to be listed and to have new entries read (a workspace with
 * `deny read ./secret` could not be listed), and one rule per entry of each.
 * ns_unplan gives them back. */
static int move_covered(struct planner *pl)
{
	struct ns_plan *n = pl->n;
	for (size_t k = 0; k < pl->nl; k++) {
		struct layer *l = &pl->l[k];
		struct cpb_policy *p = l->p;
		for (size_t i = 0; i < p->nfs; i++) {
			if (!(p->fs[i].deny & p->handled_fs & CORDON_LL_FS_READ_FILE) || p->fs[i].allow)
				continue;
			const struct res *r = res_of(pl, l, i);
			bool covered = false;
			for (size_t c = 0; r->canon && c < n->cover.n && !covered; c++)
				covered = at_or_above(n->cover.v[c].path, r->canon);
			if (!covered)
				continue;
			struct ns_moved *m = realloc(n->moved, (n->nmoved + 1) * sizeof *m);
			if (!m)
				return -1;
			n->moved = m;
			m[n->nmoved++] = (struct ns_moved){p, i, p->fs[i].deny};
			p->fs[i].deny = 0;
		}
	}
	return 0;
}

static int plan_covers(struct planner *pl)
{
	struct ns_plan *n = pl->n;
	for (size_t k = 0; k < pl->nl; k++) {
		struct layer *l = &pl->l[k];
		const struct cpb_policy *p = l->p;
		for (size_t i = 0; i < p->nfs; i++) {
			uint64_t d = l->deny[i] & p->handled_fs;
			char written[PATH_MAX];
			if (!(d & CORDON_LL_FS_READ_FILE) || p->fs[i].allow ||
			    ll_rule_path(&p->fs[i], pl->paths, written, sizeof written) != 0)
				continue;
			const struct res *r = res_of(pl, l, i);
			const char *t = r->canon;
			if (!t || strcmp(t, "/") == 0 || at_or_above("/proc", t) ||
			    at_or_above("/sys", t) || at_or_above("/dev", t) || in_shm(n, t) ||
			    (S_ISDIR(r->st.st_mode) && !(d & CORDON_LL_FS_READ_DIR)))
				continue;
			const struct ns_path *root = root_of(n, t);
			if ((!root && !in_allowed_tree(pl, l, t, written)) ||
			    allowed_below(pl, t, written, d))
				continue;
			if (list_add(&n->cover, t, &r->st) < 0 ||
			    (root && pin_way(n, root->path, t) < 0))
				return -1;
		}
	}
	/* a cover inside another is hidden by it */
	for (size_t i = 0; i < n->cover.n;) {
		bool inner = false;
		for (size_t j = 0; j < n->cover.n && !inner; j++)
			inner = j != i && strictly_below(n->cover.v[i].path, n->cover.v[j].path);
		if (inner)
			list_remove(&n->cover, i);
		else
			i++;
	}
	n->cover_first_dir = n->cover.n;
	for (size_t i = 0; i < n->cover.n; i++) {
		if (!n->cover.v[i].dir)
			n->cover_file = true;
		else if (n->cover_first_dir == n->cover.n)
			n->cover_first_dir = i;
	}
	if (n->cover_file && n->cover_first_dir == n->cover.n) {
		/* only files: the tmpfs is attached for a moment where no cover
		 * lies (covers are never under /dev, /proc or /sys) */
		static const char *const spots[] = {"/dev", "/proc", "/sys"};
		char canon[PATH_MAX];
		struct stat st;
		for (size_t s = 0; s < 3 && !n->cover_tmp.path; s++)
			if (resolve(spots[s], canon, &st) && S_ISDIR(st.st_mode) &&
			    strcmp(canon, spots[s]) == 0) {
				n->cover_tmp = (struct ns_path){.path = strdup(canon),
								.dev = st.st_dev,
								.ino = st.st_ino, .dir = true};
				if (!n->cover_tmp.path)
					return -1;
			}
		if (!n->cover_tmp.path) {
			/* nowhere to attach it: Landlock's carve-outs hold them */
			list_free(&n->cover);
			n->cover_file = false;
			n->cover_first_dir = 0;
		}
	}
	return n->active ? move_covered(pl) : 0;
}

/* /dev/shm, when every layer lets the command write it and no writable
 * tree lies inside it (a TMPDIR under /dev/shm keeps the shared one). */
static int plan_shm(struct planner *pl, uint64_t mem)
{
	struct ns_plan *n = pl->n;
	char canon[PATH_MAX];
	struct stat st;
	if (!resolve("/dev/shm", canon, &st) || !S_ISDIR(st.st_mode) ||
	    !writable_in_all(pl, canon))
		return 0;
	for (size_t i = 0; i < pl->n->wr.n; i++)
		if (strictly_below(pl->n->wr.v[i].path, canon))
			return 0;
	int at = list_find(&pl->n->wr, canon);
	if (at >= 0)
		list_remove(&pl->n->wr, (size_t)at);
	n->shm_dir = (struct ns_path){.path = strdup(canon), .dev = st.st_dev, .ino = st.st_ino,
				      .dir = true};
	if (!n->shm_dir.path)
		return -1;
	n->shm = true;
	uint64_t inodes = mem / 4096;
	snprintf(n->shm_opts, sizeof n->shm_opts, "mode=1777,size=%llu,nr_inodes=%llu",
		 (unsigned long long)mem, (unsigned long long)(inodes < 1024 ? 1024 : inodes));
	return 0;
}

/* ---- whether namespaces can be had -------------------------------------- */

static int flags_of(bool userns, unsigned parts)
{
	return (parts & NS_MOUNT ? CLONE_NEWNS : 0) | (parts & NS_IPC ? CLONE_NEWIPC : 0) |
	       (userns ? CLONE_NEWUSER : 0);
}

static long sysctl_value(const char *path, long absent)
{
	char buf[32];
	return fio_read_at(AT_FDCWD, path, buf, sizeof buf) > 0 ? strtol(buf, NULL, 10) : absent;
}

static bool effective_cap(int cap)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0, 0, 0}, {0, 0, 0}};
	return syscall(SYS_capget, &h, d) == 0 && ((d[cap / 32].effective >> (cap % 32)) & 1);
}

struct trial {
	int flags;
	volatile int err;
};

static int trial_main(void *arg)
{
	struct trial *t = arg;
	if ((t->flags & CLONE_NEWNS) && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		t->err = errno;
		_exit(1);
	}
	_exit(0);
}

/* Another sandbox around cordon (a container's seccomp filter, an outer
 * Landlock domain: both need no_new_privs or a filter) may refuse the
 * namespaces or the mounts in them: a child that only tries says so.  Not
 * needed without either, where the kernel's rules (above) tell. */
static bool trial(struct ns_plan *n, int flags)
{
	int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), sc = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	if (nnp == 0 && sc == 0)
		return true;
	struct trial t = {.flags = flags};
	char stack[16384] __attribute__((aligned(16)));
	pid_t pid = clone(trial_main, stack + sizeof stack,
			  CLONE_VM | CLONE_VFORK | SIGCHLD | flags, &t);
	int st = 0;
	if (pid < 0)
		t.err = errno;
	else if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		t.err = t.err ? t.err : ECHILD;
	if (!t.err)
		return true;
	snprintf(n->why, sizeof n->why, "%s: %s; cordon runs inside another sandbox that "
		 "refuses them (%s)", pid < 0 ? "clone with namespace flags" :
		 "mount in a new mount namespace", strerror(t.err),
		 sc != 0 ? "a seccomp filter: a container's, or cordon's own" :
			   "no_new_privs: an outer Landlock domain?");
	return false;
}

static bool decide(struct ns_plan *n, unsigned parts, bool sys_admin)
{
	if (!(parts & (NS_MOUNT | NS_IPC))) {
		snprintf(n->why, sizeof n->why, "--ns-layer leaves the namespaces out");
		return false;
	}
	n->userns = !sys_admin;
	if (n->userns) {
		/* an unprivileged user namespace: allowed unless a knob says no */
		if (sysctl_value("/proc/sys/user/max_user_namespaces", 0) <= 0) {
			snprintf(n->why, sizeof n->why, "no CAP_SYS_ADMIN, and user namespaces are "
				 "off (/proc/sys/user/max_user_namespaces is 0 or unreadable)");
			return false;
		}
		if (sysctl_value("/proc/sys/kernel/unprivileged_userns_clone", 1) != 1) {
			snprintf(n->why, sizeof n->why, "no CAP_SYS_ADMIN, and unprivileged user "
				 "namespaces are off (kernel.unprivileged_userns_clone = 0)");
			return false;
		}
		if (geteuid() == 0 && !effective_cap(CAP_SETFCAP)) {
			/* Linux 5.12: mapping uid 0 needs CAP_SETFCAP (a mapped root
			 * could write file capabilities valid outside) */
			snprintf(n->why, sizeof n->why, "uid 0 without CAP_SYS_ADMIN or CAP_SETFCAP, "
				 "which a user namespace that maps uid 0 needs");
			return false;
		}
		if (sysctl_value("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", 0) != 0) {
			snprintf(n->why, sizeof n->why, "no CAP_SYS_ADMIN, and AppArmor restricts "
				 "unprivileged user namespaces "
				 "(kernel.apparmor_restrict_unprivileged_userns = 1)");
			return false;
		}
	}
	n->parts = parts & NS_ALL;
	if (!(n->parts & NS_MOUNT))
		n->parts &= NS_IPC; /* the rest lives in the mount namespace */
	return trial(n, flags_of(n->userns, n->parts));
}

const char *ns_available(bool sys_admin, char *why, size_t len)
{
	struct ns_plan n = {.active = false};
	if (!decide(&n, NS_ALL, sys_admin)) {
		snprintf(why, len, "%s", n.why);
		return NULL;
	}
	why[0] = '\0';
	return n.userns ? "mount,ipc, in a user namespace of the caller's uid and gid"
			: "mount,ipc (CAP_SYS_ADMIN)";
}

/* ---- the plan ---------------------------------------------------------- */

/* A `deny write DIR/` that does not exist yet, in a writable tree: made
 * (see ns_plan). */
/* so_open_dir's test: no link on the way is acceptable */
static bool no_links(int dirfd, void *ctx)
{
	(void)dirfd;
	(void)ctx;
	return false;
}

static void make_missing_dirs(struct planner *pl, struct layer *l)
{
	const struct cpb_policy *p = l->p;
	for (size_t i = 0; i < p->nfs; i++) {
		const struct cpb_fs_rule *r = &p->fs[i];
		char path[PATH_MAX], parent[PATH_MAX], target[PATH_MAX];
		struct stat st;
		if (!r->dir || r->allow || !(r->deny & p->handled_fs & NS_WRITE) ||
		    ll_rule_path(r, pl->paths, path, sizeof path) != 0 || lstat(path, &st) == 0)
			continue;
		char *slash = strrchr(path, '/');
		if (!slash || slash == path || !slash[1])
			continue;
		*slash = '\0';
		if (!resolve(path, parent, &st) || !S_ISDIR(st.st_mode) ||
		    (size_t)snprintf(target, sizeof target, "%s/%s", parent, slash + 1) >=
			    sizeof target || !writable_but(pl, l, target, i))
			continue;
		/* from the parent's fd, reached without following any link
		 * (resolve saw none; one planted since is refused) */
		char bad[PATH_MAX];
		int pfd = so_open_dir(parent, no_links, NULL, bad, sizeof bad);
		if (pfd >= 0) {
			(void)mkdirat(pfd, slash + 1, 0755);
			close(pfd);
		}
	}
	/* what was looked up before the directories existed is looked up again */
	for (size_t i = 0; i < p->nfs; i++) {
		free(l->r[i].canon);
		l->r[i] = (struct res){0};
	}
}

/* Some layer denies writing, and only writing, a path inside a tree it
 * lets the command write (what the holds would have held). */
static bool deny_write_in_writable(struct planner *pl)
{
	for (size_t k = 0; k < pl->nl; k++) {
		struct layer *l = &pl->l[k];
		for (size_t i = 0; i < l->p->nfs; i++) {
			uint64_t d = l->deny[i] & l->p->handled_fs;
			if (!d || l->p->fs[i].allow || (d & ~(NS_WRITE | CORDON_LL_FS_RESOLVE_UNIX)))
				continue;
			const struct res *r = res_of(pl, l, i);
			if (r->canon && strcmp(r->canon, "/") != 0 && writable_but(pl, l, r->canon, i))
				return true;
		}
	}
	return false;
}

int ns_parse_parts(const char *list, unsigned *parts)
{
	static const struct {
		const char *name;
		unsigned bits;
	} words[] = {{"all", NS_ALL}, {"none", 0}, {"mount", NS_MOUNT}, {"ipc", NS_IPC},
		     {"view", NS_VIEW}, {"holds", NS_HOLDS}, {"covers", NS_COVERS},
		     {"shm", NS_SHM}};
	*parts = 0;
	for (const char *s = list; *s;) {
		size_t len = strcspn(s, ",");
		size_t w = 0;
		while (w < sizeof words / sizeof *words &&
		       (strlen(words[w].name) != len || strncmp(words[w].name, s, len) != 0))
			w++;
		if (w == sizeof words / sizeof *words)
			return -1;
		*parts |= words[w].bits;
		s += len + (s[len] == ',');
	}
	return 0;
}

int ns_plan(struct ns_plan *n, struct cpb_policy *const *layers, size_t nlayers,
	    const struct ll_paths *paths, unsigned parts, bool sys_admin, char *err,
	    size_t errlen)
{
	*n = (struct ns_plan){0};
	struct planner pl = {.n = n, .nl = nlayers, .paths = paths};
	int rc = -1;
	pl.l = calloc(nlayers ? nlayers : 1, sizeof *pl.l);
	if (!pl.l)
		goto out;
	uint64_t mem = NS_SHM_DEFAULT;
	bool have_mem = false;
	for (size_t k = 0; k < nlayers; k++) {
		struct layer *l = &pl.l[k];
		l->p = layers[k];
		l->r = calloc(l->p->nfs ? l->p->nfs : 1, sizeof *l->r);
		l->deny = calloc(l->p->nfs ? l->p->nfs : 1, sizeof *l->deny);
		if (!l->r || !l->deny)
			goto out;
		for (size_t i = 0; i < l->p->nfs; i++)
			l->deny[i] = l->p->fs[i].deny;
		if (l->p->limits.present & CPB_LIMIT_MEMORY) {
			if (!have_mem || l->p->limits.memory < mem)
				mem = l->p->limits.memory;
			have_mem = true;
		}
	}
	for (size_t k = 0; k < nlayers; k++)
		make_missing_dirs(&pl, &pl.l[k]);

	n->active = decide(n, parts, sys_admin);
	if (!n->active || !(n->parts & NS_MOUNT) || !(n->parts & NS_HOLDS))
		n->lost_holds = deny_write_in_writable(&pl);
	if (!n->active || !(n->parts & NS_MOUNT)) {
		rc = pl.oom ? -1 : 0;
		goto out;
	}
	if (find_roots(&pl) < 0)
		goto out;
	/* `/` writable in every layer: there is no read-only view to make */
	n->view = (n->parts & NS_VIEW) && list_find(&n->wr, "/") < 0;
	if ((n->parts & NS_SHM) && plan_shm(&pl, mem) < 0)
		goto out;
	if (plan_holds(&pl) < 0 || ((n->parts & NS_COVERS) && plan_covers(&pl) < 0))
		goto out;
	prune_pins(n);
	if (n->view && n->wr.n > NS_MAX_TREES) {
		snprintf(err, errlen, "the policy lets the command write %zu separate trees; the "
			 "namespace layer's read-only view holds at most %d (grant their common "
			 "parent instead)", n->wr.n, NS_MAX_TREES);
		rc = -2;
		goto out;
	}
	if (!getcwd(n->cwd, sizeof n->cwd))
		n->cwd[0] = '\0';
	snprintf(n->uid_map, sizeof n->uid_map, "%u %u 1\n", (unsigned)geteuid(),
		 (unsigned)geteuid());
	snprintf(n->gid_map, sizeof n->gid_map, "%u %u 1\n", (unsigned)getegid(),
		 (unsigned)getegid());
	rc = pl.oom ? -1 : 0;
out:
	if (rc == -1)
		snprintf(err, errlen, "out of memory");
	for (size_t k = 0; pl.l && k < nlayers; k++) {
		for (size_t i = 0; pl.l[k].r && i < pl.l[k].p->nfs; i++)
			free(pl.l[k].r[i].canon);
		free(pl.l[k].r);
		free(pl.l[k].deny);
	}
	free(pl.l);
	return rc < 0 ? -1 : 0;
}

int ns_hold_readonly(struct ns_plan *n, struct cpb_policy *layer, const char *path)
{
	if (!n->active || !(n->parts & NS_MOUNT))
		return 0;
	char canon[PATH_MAX];
	struct stat st;
	if (!resolve(path, canon, &st))
		return -1;
	int held = hold(n, canon, &st);
	if (held <= 0) {
		if (held < 0)
			errno = ENOMEM;
		return held;
	}
	prune_pins(n);
	struct ns_given *g = realloc(n->given, (n->ngiven + 1) * sizeof *g);
	if (!g)
		return -1;
	n->given = g;
	g[n->ngiven] = (struct ns_given){layer, strdup(canon)};
	if (!g[n->ngiven].path)
		return -1;
	n->ngiven++;
	return 1;
}

int ns_clone_flags(const struct ns_plan *n)
{
	return n->active ? flags_of(n->userns, n->parts) : 0;
}

const char *ns_enforced(const struct ns_plan *n)
{
	if (!n || !n->active)
		return "none";
	switch (n->parts & (NS_MOUNT | NS_IPC)) {
	case NS_MOUNT | NS_IPC: return "mount,ipc";
	case NS_MOUNT: return "mount";
	case NS_IPC: return "ipc";
	default: return "none";
	}
}

int ns_unplan(struct ns_plan *n, const char *why)
{
	for (size_t i = 0; i < n->nmoved; i++)
		n->moved[i].layer->fs[n->moved[i].rule].deny = n->moved[i].deny;
	n->nmoved = 0;
	int rc = 0;
	for (size_t i = 0; i < n->ngiven; i++) {
		struct cpb_policy *p = n->given[i].layer;
		struct cpb_fs_rule *fs = realloc(p->fs, (p->nfs + 1) * sizeof *fs);
		if (!fs) {
			rc = -1;
			break;
		}
		p->fs = fs;
		p->fs[p->nfs++] = (struct cpb_fs_rule){.path = n->given[i].path,
						       .base = CPB_BASE_ROOT,
						       .deny = p->handled_fs & NS_WRITE};
	}
	n->active = false;
	snprintf(n->why, sizeof n->why, "%s", why);
	return rc;
}

void ns_free(struct ns_plan *n)
{
	list_free(&n->wr);
	list_free(&n->pin);
	list_free(&n->hold);
	list_free(&n->cover);
	free(n->cover_tmp.path);
	free(n->shm_dir.path);
	free(n->moved);
	for (size_t i = 0; i < n->ngiven; i++)
		free(n->given[i].path);
	free(n->given);
	*n = (struct ns_plan){0};
}

/* ---- in the child: system calls only ------------------------------------ */

static int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	return (int)syscall(NR_open_tree, dfd, path, flags);
}

static int sys_move_mount(int from, int to)
{
	return (int)syscall(NR_move_mount, from, "", to, "", NS_MOVE_F_EMPTY | NS_MOVE_T_EMPTY);
}

static int sys_mount_setattr(int dfd, const char *path, unsigned flags, uint64_t set,
			     uint64_t propagation)
{
	struct ns_mount_attr a = {.attr_set = set, .propagation = propagation};
	return (int)syscall(NR_mount_setattr, dfd, path, flags, &a, sizeof a);
}

/* A tmpfs, detached: its options as key/value pairs (NULL-terminated). */
static int new_tmpfs(const char *const *opts, unsigned attrs)
{
	int fs = (int)syscall(NR_fsopen, "tmpfs", NS_FS_CLOEXEC);
	if (fs < 0)
		return -1;
	for (; *opts; opts += 2)
		if (syscall(NR_fsconfig, fs, NS_FSCONFIG_SET_STRING, opts[0], opts[1], 0) != 0)
			goto fail;
	if (syscall(NR_fsconfig, fs, NS_FSCONFIG_CMD_CREATE, NULL, NULL, 0) != 0)
		goto fail;
	int m = (int)syscall(NR_fsmount, fs, NS_FS_CLOEXEC, attrs);
	int e = errno;
	close(fs);
	errno = e;
	return m;
fail:
	e = errno;
	close(fs);
	errno = e;
	return -1;
}

/* p, opened without following a link at its end, and still the inode the
 * parent found there (ESTALE when it is not). */
static int open_checked(const struct ns_path *p)
{
	int fd = openat(AT_FDCWD, p->path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_dev != p->dev || st.st_ino != p->ino) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

static void close2(int a, int b)
{
	int e = errno;
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
	errno = e;
}

/* Mounts the detached mount m over p; closes m. */
static int attach(int m, const struct ns_path *p)
{
	int dfd = m < 0 ? -1 : open_checked(p);
	int r = dfd < 0 ? -1 : sys_move_mount(m, dfd);
	close2(m, dfd);
	return r;
}

/* p's tree (with its submounts) bound onto itself, read-only if ro. */
static int rebind(const struct ns_path *p, bool ro)
{
	int dfd = open_checked(p);
	if (dfd < 0)
		return -1;
	int t = sys_open_tree(dfd, "", NS_OPEN_TREE_CLONE | O_CLOEXEC | NS_AT_RECURSIVE |
					       AT_EMPTY_PATH);
	int r = t < 0 || (ro && sys_mount_setattr(t, "", AT_EMPTY_PATH | NS_AT_RECURSIVE,
						  NS_ATTR_RDONLY, 0) != 0)
			? -1 : sys_move_mount(t, dfd);
	close2(t, dfd);
	return r;
}

/* `/` and everything under it read-only, but the writable trees, cloned
 * first (with their submounts and each one's flags) and attached again. */
static int make_view(const struct ns_plan *n, const char **what)
{
	int fds[2 * NS_MAX_TREES];
	size_t k = 0;
	int r = 0;
	for (; k < n->wr.n; k++) {
		*what = n->wr.v[k].path;
		fds[2 * k] = open_checked(&n->wr.v[k]);
		fds[2 * k + 1] = fds[2 * k] < 0 ? -1 :
			sys_open_tree(fds[2 * k], "", NS_OPEN_TREE_CLONE | O_CLOEXEC |
							      NS_AT_RECURSIVE | AT_EMPTY_PATH);
		if (fds[2 * k + 1] < 0) {
			close2(fds[2 * k], -1);
			r = -1;
			break;
		}
	}
	if (r == 0) {
		*what = "making / read-only";
		r = sys_mount_setattr(AT_FDCWD, "/", NS_AT_RECURSIVE, NS_ATTR_RDONLY, 0);
	}
	for (size_t i = 0; i < k; i++) {
		if (r == 0) {
			*what = n->wr.v[i].path;
			r = sys_move_mount(fds[2 * i + 1], fds[2 * i]);
		}
		close2(fds[2 * i], fds[2 * i + 1]);
	}
	return r;
}

/* The covers: one empty tmpfs of mode 0, read-only (a file "f" of mode 0
 * in it for the covers of files), attached over the first directory (or,
 * for files only, a moment over n->cover_tmp) and cloned onto the rest. */
static int make_covers(const struct ns_plan *n, const char **what)
{
	static const char *const opts[] = {"mode", "0", NULL}; /* empty, read-only: no bound needed */
	*what = "making the covers' tmpfs";
	int m = new_tmpfs(opts, NS_ATTR_NOSUID | NS_ATTR_NODEV | NS_ATTR_NOEXEC);
	if (m < 0)
		return -1;
	if (n->cover_file) {
		int f = openat(m, "f", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0);
		if (f < 0) {
			close2(m, -1);
			return -1;
		}
		close(f);
	}
	const struct ns_path *first =
		n->cover_first_dir < n->cover.n ? &n->cover.v[n->cover_first_dir] : &n->cover_tmp;
	int dfd = -1, r = sys_mount_setattr(m, "", AT_EMPTY_PATH, NS_ATTR_RDONLY, 0);
	if (r == 0) {
		*what = first->path;
		dfd = open_checked(first);
		r = dfd < 0 ? -1 : sys_move_mount(m, dfd);
	}
	for (size_t i = 0; r == 0 && i < n->cover.n; i++) {
		if (i == n->cover_first_dir)
			continue;
		const struct ns_path *c = &n->cover.v[i];
		*what = c->path;
		r = attach(sys_open_tree(m, c->dir ? "" : "f", NS_OPEN_TREE_CLONE | O_CLOEXEC |
								(c->dir ? AT_EMPTY_PATH : 0)),
			   c);
	}
	if (first == &n->cover_tmp && dfd >= 0) {
		int e = errno;
		if (umount2(n->cover_tmp.path, MNT_DETACH | UMOUNT_NOFOLLOW) != 0 && r == 0) {
			*what = n->cover_tmp.path;
			r = -1;
		} else {
			errno = e;
		}
	}
	close2(m, dfd);
	return r;
}

int ns_apply(const struct ns_plan *n, const char **what)
{
	*what = "";
	if (!n || !n->active)
		return 0;
	if (n->userns) {
		/* the same uid and gid inside: files keep their owners */
		*what = "writing the user namespace's uid_map and gid_map";
		if (fio_write_at(AT_FDCWD, "/proc/self/setgroups", "deny") != 0 ||
		    fio_write_at(AT_FDCWD, "/proc/self/uid_map", n->uid_map) != 0 ||
		    fio_write_at(AT_FDCWD, "/proc/self/gid_map", n->gid_map) != 0)
			return -1;
	}
	if (!(n->parts & NS_MOUNT))
		return 0;
	/* nothing done here propagates back to the caller's namespace; a
	 * clone of a private mount is private */
	*what = "making every mount private";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return -1;
	if (n->view && make_view(n, what) != 0)
		return -1;
	for (size_t i = 0; i < n->pin.n; i++) {
		*what = n->pin.v[i].path;
		if (rebind(&n->pin.v[i], false) != 0)
			return -1;
	}
	for (size_t i = 0; i < n->hold.n; i++) {
		*what = n->hold.v[i].path;
		if (rebind(&n->hold.v[i], true) != 0)
			return -1;
	}
	if (n->cover.n && make_covers(n, what) != 0)
		return -1;
	if (n->shm) {
		/* mount(2): one call, cheaper here than fsopen's four */
		*what = n->shm_dir.path;
		int dfd = open_checked(&n->shm_dir);
		if (dfd < 0)
			return -1;
		close(dfd);
		if (mount("tmpfs", n->shm_dir.path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  n->shm_opts) != 0)
			return -1;
	}
	/* the working directory was the mount underneath: the view's now */
	*what = n->cwd;
	if (n->cwd[0] && chdir(n->cwd) != 0)
		return -2;
	return 0;
}
