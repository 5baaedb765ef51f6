/* The metadata calls, checked and made by the supervisor (see
 * meta_guard.h). */
#include "meta_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fileio.h"
#include "notify.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef UTIME_OMIT
#define UTIME_OMIT ((1L << 30) - 2L)
#endif
#define XATTR_NAME_MAX_ 255
#define XATTR_SIZE_MAX_ 65536
#define XATTR_ARGS_SIZE 16 /* struct xattr_args (setxattrat, Linux 6.13) */
#define O_PATH_FLAG 010000000

enum kind { K_CHMOD, K_CHOWN, K_UTIME, K_UTIMES, K_UTIMENS, K_SETX, K_REMOVEX };
/* How the call names its object: a path (from the cwd), a dirfd and a path
 * (arguments 0 and 1), or a descriptor (argument 0). */
enum how { H_PATH, H_AT, H_FD };

struct call {
	int nr;
	enum kind kind;
	enum how how;
	bool nofollow;  /* lchown, lsetxattr, lremovexattr */
	int flags;      /* the argument with AT_* flags, or -1 */
	int arg;        /* the first argument after the object */
};

static const struct call calls[] = {
	{90, K_CHMOD, H_PATH, false, -1, 1},   /* chmod */
	{91, K_CHMOD, H_FD, false, -1, 1},     /* fchmod */
	{268, K_CHMOD, H_AT, false, -1, 2},    /* fchmodat */
	{452, K_CHMOD, H_AT, false, 3, 2},     /* fchmodat2 */
	{92, K_CHOWN, H_PATH, false, -1, 1},   /* chown */
	{93, K_CHOWN, H_FD, false, -1, 1},     /* fchown */
	{94, K_CHOWN, H_PATH, true, -1, 1},    /* lchown */
	{260, K_CHOWN, H_AT, false, 4, 2},     /* fchownat */
	{132, K_UTIME, H_PATH, false, -1, 1},  /* utime */
	{235, K_UTIMES, H_PATH, false, -1, 1}, /* utimes */
	{261, K_UTIMES, H_AT, false, -1, 2},   /* futimesat */
	{280, K_UTIMENS, H_AT, false, 3, 2},   /* utimensat */
	{188, K_SETX, H_PATH, false, -1, 1},   /* setxattr */
	{189, K_SETX, H_PATH, true, -1, 1},    /* lsetxattr */
	{190, K_SETX, H_FD, false, -1, 1},     /* fsetxattr */
	{463, K_SETX, H_AT, false, 2, 3},      /* setxattrat */
	{197, K_REMOVEX, H_PATH, false, -1, 1}, /* removexattr */
	{198, K_REMOVEX, H_PATH, true, -1, 1},  /* lremovexattr */
	{199, K_REMOVEX, H_FD, false, -1, 1},   /* fremovexattr */
	{466, K_REMOVEX, H_AT, false, 2, 3},    /* removexattrat */
};
#define NCALLS (sizeof calls / sizeof calls[0])

static const struct call *call_of(int nr)
{
	for (size_t i = 0; i < NCALLS; i++)
		if (calls[i].nr == nr)
			return &calls[i];
	return NULL;
}

bool meta_handles(int nr)
{
	return call_of(nr) != NULL;
}

int meta_init(struct meta_guard *m, struct write_trees *trees)
{
	m->trees = trees;
	m->value = malloc(XATTR_SIZE_MAX_);
	return m->value ? 0 : -1;
}

void meta_free(struct meta_guard *m)
{
	free(m->value);
	m->value = NULL;
}

/* What the call carries besides its object, read once. */
struct payload {
	mode_t mode;
	uid_t uid;
	gid_t gid;
	bool times;                 /* else "now" */
	struct timespec ts[2];
	char name[XATTR_NAME_MAX_ + 1];
	const void *value;
	size_t size;
	int xflags;
};

static uint64_t arg(const struct seccomp_notif *req, int i)
{
	return req->data.args[i];
}

/* The kernel's checks of the call's own arguments, before any lookup; the
 * payload read from the caller.  0, or -errno; 1: the call does nothing
 * (utimensat with both times UTIME_OMIT). */
static int read_payload(struct meta_guard *m, struct nt_plan *n,
			const struct seccomp_notif *req, const struct call *c, struct payload *p)
{
	pid_t pid = (pid_t)req->pid;
	int a = c->arg;
	long len;
	switch (c->kind) {
	case K_CHMOD:
		p->mode = (mode_t)(uint16_t)arg(req, a); /* umode_t */
		return 0;
	case K_CHOWN:
		p->uid = (uid_t)arg(req, a);
		p->gid = (gid_t)arg(req, a + 1);
		return 0;
	case K_UTIME: {
		struct { int64_t actime, modtime; } u;
		if (!(p->times = arg(req, a) != 0))
			return 0;
		if (nt_read(n, pid, arg(req, a), &u, sizeof u) != 0)
			return -EFAULT;
		p->ts[0] = (struct timespec){(time_t)u.actime, 0};
		p->ts[1] = (struct timespec){(time_t)u.modtime, 0};
		return 0;
	}
	case K_UTIMES: {
		struct { int64_t sec, usec; } tv[2];
		if (!(p->times = arg(req, a) != 0))
			return 0;
		if (nt_read(n, pid, arg(req, a), tv, sizeof tv) != 0)
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].usec < 0 || tv[i].usec >= 1000000)
				return -EINVAL;
			p->ts[i] = (struct timespec){(time_t)tv[i].sec, (long)tv[i].usec * 1000};
		}
		return 0;
	}
	case K_UTIMENS:
		if (!(p->times = arg(req, a) != 0))
			return 0;
		if (nt_read(n, pid, arg(req, a), p->ts, sizeof p->ts) != 0)
			return -EFAULT;
		return p->ts[0].tv_nsec == UTIME_OMIT && p->ts[1].tv_nsec == UTIME_OMIT;
	case K_SETX:
	case K_REMOVEX:
		len = nt_read_str(n, pid, arg(req, a), p->name, sizeof p->name, ERANGE);
		if (len < 0)
			return (int)len;
		if (len == 0)
			return -ERANGE;
		if (c->kind == K_REMOVEX)
			return 0;
		uint64_t value, size;
		if (c->how != H_AT) {
			/* setxattr(path|fd, name, value, size, flags) */
			value = arg(req, a + 1);
			size = arg(req, a + 2);
			p->xflags = (int)arg(req, a + 3);
		} else {
			/* setxattrat(dfd, path, at_flags, name, args, size) */
			uint64_t xa[2], usize = arg(req, 5);
			if (usize < XATTR_ARGS_SIZE)
				return -EINVAL;
			if (usize > XATTR_ARGS_SIZE)
				return -E2BIG; /* a newer struct than this cordon knows */
			if (nt_read(n, pid, arg(req, 4), xa, sizeof xa) != 0)
				return -EFAULT;
			value = xa[0];
			size = (uint32_t)xa[1];
			p->xflags = (int)(uint32_t)(xa[1] >> 32);
		}
		if (p->xflags & ~(XATTR_CREATE | XATTR_REPLACE))
			return -EINVAL;
		if (size > XATTR_SIZE_MAX_)
			return -E2BIG;
		p->size = (size_t)size;
		p->value = m->value;
		if (size && nt_read(n, pid, value, m->value, (size_t)size) != 0)
			return -EFAULT;
		return 0;
	}
	return -ENOSYS;
}

/* The caller's own entries, as /proc/TGID or /proc/TGID/task/TID: what
 * /proc/self, /proc/thread-self and /dev/fd mean to the kernel for it.
 * Rewrites path in place when it starts with one of them; false when the
 * result does not fit. */
static bool callers_proc(pid_t tid, char *path, size_t size)
{
	static const struct {
		const char *prefix, *in; /* in: what follows /proc/TGID */
		bool task;               /* then /task/TID */
	} own[] = {
		{"/proc/self", "", false},   {"/proc/thread-self", "", true},
		{"/dev/fd", "/fd", false},   {"/dev/stdin", "/fd/0", false},
		{"/dev/stdout", "/fd/1", false}, {"/dev/stderr", "/fd/2", false},
	};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
		size_t l = strlen(own[i].prefix);
		if (strncmp(path, own[i].prefix, l) != 0 || (path[l] && path[l] != '/'))
			continue;
		char status[64], buf[1024], out[PATH_MAX];
		snprintf(status, sizeof status, "/proc/%d/status", (int)tid);
		const char *t = fio_read_at(AT_FDCWD, status, buf, sizeof buf) > 0
					? strstr(buf, "\nTgid:") : NULL;
		if (!t)
			return false;
		int tgid = (int)strtol(t + 6, NULL, 10), w;
		if (own[i].task)
			w = snprintf(out, sizeof out, "/proc/%d/task/%d%s", tgid, (int)tid, path + l);
		else
			w = snprintf(out, sizeof out, "/proc/%d%s%s", tgid, own[i].in, path + l);
		if (w < 0 || (size_t)w >= sizeof out || (size_t)w >= size)
			return false;
		strcpy(path, out);
		return true;
	}
	return true;
}

/* The caller's descriptor fd, reopened O_PATH (the same file), or -errno:
 * EBADF when it has none, or (as_fd: the f* calls, which the kernel makes
 * on an open file) when it is an O_PATH one. */
static int callers_fd(pid_t tid, int fd, bool as_fd)
{
	char path[64], info[256];
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)tid, fd);
	int o = fd >= 0 ? openat(AT_FDCWD, path, O_PATH | O_CLOEXEC) : -1;
	if (o < 0)
		return -EBADF;
	if (as_fd) {
		snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)tid, fd);
		const char *f = fio_read_at(AT_FDCWD, path, info, sizeof info) > 0
					? strstr(info, "flags:") : NULL;
		if (!f || (strtoul(f + 6, NULL, 8) & O_PATH_FLAG)) {
			close(o);
			return -EBADF;
		}
	}
	return o;
}

/* The object of the call, opened O_PATH as the kernel would find it for
 * the caller, or -errno. */
static int open_object(struct nt_plan *n, const struct seccomp_notif *req,
		       const struct call *c, int at_flags)
{
	pid_t tid = (pid_t)req->pid;
	enum how how = c->how;
	/* utimensat(fd, NULL, times, flags) is futimens(fd, times) */
	if (c->kind == K_UTIMENS && arg(req, 1) == 0) {
		if ((int)arg(req, 0) == AT_FDCWD)
			return -EFAULT;
		if (at_flags)
			return -EINVAL;
		how = H_FD;
	}
	if (how == H_FD)
		return callers_fd(tid, (int)arg(req, 0), true);
	char path[PATH_MAX];
	long len = nt_read_str(n, tid, arg(req, how == H_AT), path, sizeof path, ENAMETOOLONG);
	if (len < 0)
		return (int)len;
	if (len == 0 && !(at_flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (!callers_proc(tid, path, sizeof path))
		return -ENAMETOOLONG;
	int base;
	if (path[0] == '/') {
		base = AT_FDCWD; /* the caller's root is ours: chroot is denied */
	} else if (how == H_PATH || (int)arg(req, 0) == AT_FDCWD) {
		char cwd[64];
		snprintf(cwd, sizeof cwd, "/proc/%d/cwd", (int)tid);
		if ((base = openat(AT_FDCWD, cwd, O_PATH | O_CLOEXEC)) < 0)
			return -ENOENT;
	} else if ((base = callers_fd(tid, (int)arg(req, 0), false)) < 0) {
		return base;
	}
	if (len == 0) /* AT_EMPTY_PATH: the dirfd's own object */
		return base == AT_FDCWD ? -ENOENT : base;
	/* (without the supervisor's capabilities: see meta_serve) */
	bool nofollow = c->nofollow || (at_flags & AT_SYMLINK_NOFOLLOW);
	int o = openat(base, path, O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
	int e = errno;
	if (base >= 0)
		close(base);
	return o >= 0 ? o : -e;
}

/* The call itself, on the object (st its fstat); 0 or -errno. */
static int perform(const struct call *c, int obj, const struct stat *st,
		   const struct payload *p)
{
	char self[64];
	snprintf(self, sizeof self, "/proc/self/fd/%d", obj);
	bool link = S_ISLNK(st->st_mode);
	int r;
	switch (c->kind) {
	case K_CHMOD:
		/* a symbolic link has no mode of its own to change */
		r = link ? (errno = EOPNOTSUPP, -1) : fchmodat(AT_FDCWD, self, p->mode, 0);
		break;
	case K_CHOWN:
		r = fchownat(obj, "", p->uid, p->gid, AT_EMPTY_PATH);
		break;
	case K_UTIME:
	case K_UTIMES:
	case K_UTIMENS:
		r = utimensat(obj, "", p->times ? p->ts : NULL, AT_EMPTY_PATH);
		break;
	case K_SETX:
		/* user.* xattrs live on files and directories only, the others
		 * need capabilities the command has not */
		r = link ? (errno = EPERM, -1)
			 : setxattr(self, p->name, p->value, p->size, p->xflags);
		break;
	case K_REMOVEX:
		r = link ? (errno = EPERM, -1) : removexattr(self, p->name);
		break;
	default:
		errno = ENOSYS;
		r = -1;
	}
	return r == 0 ? 0 : -errno;
}

void meta_serve(struct meta_guard *m, struct nt_plan *n, const struct seccomp_notif *req,
		struct seccomp_notif_resp *resp)
{
	const struct call *c = call_of(req->data.nr);
	struct payload p = {0};
	int at_flags = c && c->flags >= 0 ? (int)arg(req, c->flags) : 0;
	if (!c) {
		resp->error = -ENOSYS;
		return;
	}
	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
		resp->error = -EINVAL;
		return;
	}
	int r = read_payload(m, n, req, c, &p);
	if (r != 0) {
		resp->error = r < 0 ? r : 0;
		return;
	}
	/* from here on without the supervisor's capabilities: the lookup, the
	 * walk up from the object (a directory the command may not search
	 * says "outside") and the call are the command's */
	nt_as_command(n, true);
	int obj = open_object(n, req, c, at_flags);
	struct stat st;
	if (obj < 0) {
		resp->error = obj;
	} else if (!nt_still_valid(n, req->id)) {
		resp->error = -ENOENT; /* gone: its pid may have been reused */
	} else if (fstat(obj, &st) != 0) {
		resp->error = -errno;
	} else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		/* /dev/null is writable under base, and root owns it */
		resp->error = -EPERM;
		n->stats.meta_refused++;
	} else if (wt_contains(m->trees, obj, &st) != 1) {
		resp->error = -EROFS;
		n->stats.meta_refused++;
	} else {
		resp->error = perform(c, obj, &st, &p);
		n->stats.meta_done++;
	}
	nt_as_command(n, false);
	if (obj >= 0)
		close(obj);
}
