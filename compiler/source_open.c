/* Opening and reading one policy file as safely as the compile's mode asks
 * (compiler/source_open.h).  The repository's policy is untrusted input: a
 * launcher shows cordon's diagnostics to its model, so a policy that
 * includes /proc/self/environ, a FIFO, /dev/zero or a symbolic link to a
 * secret must be refused before a byte of it is read, and a compile must
 * stay bounded in bytes (here) and errors (compiler/diag.c). */
#include "source_open.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "xalloc.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif

char *src_lexical_abs(const char *path)
{
	char *joined;
	if (path[0] == '/') {
		joined = xstrdup(path);
	} else {
		char *cwd = getcwd(NULL, 0);
		joined = xasprintf("%s/%s", cwd ? cwd : "/nonexistent-cwd", path);
		free(cwd);
	}
	/* components in place: "", "." dropped, ".." takes the last one back */
	char *out = xmalloc(strlen(joined) + 2), *o = out;
	for (char *p = joined; *p;) {
		while (*p == '/')
			p++;
		char *seg = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (o > out && o[-1] != '/')
				o--;
			if (o > out)
				o--;
			continue;
		}
		*o++ = '/';
		memcpy(o, seg, n);
		o += n;
	}
	if (o == out)
		*o++ = '/';
	*o = '\0';
	free(joined);
	return out;
}

/* The part of abs beneath dir (both absolute and normalized), or NULL when
 * abs is not strictly beneath it. */
static const char *beneath(const char *abs, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return abs[1] ? abs + 1 : NULL;
	if (strncmp(abs, dir, n) != 0 || abs[n] != '/' || !abs[n + 1])
		return NULL;
	return abs + n + 1;
}

/* How a file is opened: openat2 with resolve restrictions where there is
 * one (else openat, then checked through /proc/self/fd when the file must
 * lie beneath ROOT). */
struct how {
	int dirfd;
	const char *path;
	uint64_t resolve;
	const char *beneath; /* the fallback checks the file lies beneath it */
};

static int open_how(const struct how *h, int flags)
{
	if (h->resolve) {
		struct open_how oh = {.flags = (uint64_t)flags, .resolve = h->resolve};
		int fd = (int)syscall(SYS_openat2, h->dirfd, h->path, &oh, sizeof oh);
		if (fd >= 0 || errno != ENOSYS)
			return fd;
		/* no openat2 (before Linux 5.6, or a seccomp filter hides it) */
	}
	int fd = openat(h->dirfd, h->path, flags);
	if (fd < 0 || !h->beneath)
		return fd;
	char link[64], where[PATH_MAX + 1];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, where, PATH_MAX);
	if (n >= 0)
		where[n] = '\0';
	if (n < 0 || !beneath(where, h->beneath)) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

static const char *file_type(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
	       : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket"
						   : "not a regular file";
}

/* ssh's StrictModes for a file of the repository's policy. */
static bool strict_modes(struct compile_ctx *c, const char *path, const struct stat *st,
			 const struct cordon_loc *at)
{
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		diag_error(&c->diag, at,
			   "'%s' is writable by %s: a policy compiled with --untrusted "
			   "must be writable by its owner only (as ssh's StrictModes); "
			   "run: chmod go-w '%s'", path,
			   (st->st_mode & S_IWGRP) && (st->st_mode & S_IWOTH)
				   ? "its group and others"
				   : st->st_mode & S_IWGRP ? "its group" : "others",
			   path);
		return false;
	}
	uid_t me = geteuid();
	if (st->st_uid != me && st->st_uid != 0) {
		diag_error(&c->diag, at,
			   "'%s' is owned by uid %u, neither you (uid %u) nor root: a "
			   "policy compiled with --untrusted must be (as ssh's "
			   "StrictModes); run: chown %u '%s' (as root), or replace it "
			   "with a copy of your own", path, (unsigned)st->st_uid,
			   (unsigned)me, (unsigned)me, path);
		return false;
	}
	return true;
}

/* Whether the file behind pfd (an O_PATH descriptor) may be read as a
 * policy (pipe_ok: a FIFO may); reports why not.  Checked before the file
 * is opened for reading, since opening some devices does something (a
 * watchdog starts counting down). */
static bool check_kind(struct compile_ctx *c, int pfd, const char *path, bool pipe_ok,
		       const struct cordon_loc *at, struct stat *st)
{
	struct statfs sf;
	if (fstat(pfd, st) < 0 || fstatfs(pfd, &sf) < 0) {
		diag_error(&c->diag, at, "cannot open '%s': %s", path, strerror(errno));
		return false;
	}
	if (S_ISDIR(st->st_mode)) {
		diag_error(&c->diag, at, "'%s' is a directory, not a policy file", path);
		return false;
	}
	if (sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC) {
		diag_error(&c->diag, at, "'%s' is on %s, not a policy file (not read)",
			   path, sf.f_type == PROC_SUPER_MAGIC ? "/proc" : "/sys");
		return false;
	}
	if (!S_ISREG(st->st_mode) && !(pipe_ok && S_ISFIFO(st->st_mode))) {
		diag_error(&c->diag, at,
			   "'%s' is %s: a policy is a regular file (not read)", path,
			   file_type(st->st_mode));
		return false;
	}
	return true;
}

int src_open(struct compile_ctx *c, const char *path, bool main, bool repo,
	     const struct cordon_loc *at, struct stat *st)
{
	bool untrusted = repo && c->untrusted.root;
	/* the main file of a trusted compile is the caller's own: it may be a
	 * pipe (cordonc <(...)), reached through /dev/fd */
	bool callers = main && !untrusted;
	struct how h = {.dirfd = AT_FDCWD, .path = path,
			.resolve = callers ? 0 : RESOLVE_NO_MAGICLINKS};
	char *abs = NULL;
	if (untrusted) {
		abs = src_lexical_abs(path);
		h.path = beneath(abs, c->untrusted.root);
		if (!h.path)
			h.path = beneath(abs, c->untrusted.root_real);
		if (!h.path) {
			diag_error(&c->diag, at,
				   "'%s' is outside the repository %s: a policy compiled "
				   "with --untrusted reads only files beneath it (not "
				   "opened)", path, c->untrusted.root);
			free(abs);
			return -1;
		}
		h.dirfd = c->untrusted.fd;
		h.resolve |= RESOLVE_BENEATH;
		h.beneath = c->untrusted.root_real;
	}
	int fd = -1, pfd = open_how(&h, O_PATH | O_CLOEXEC);
	if (pfd < 0 && errno == EXDEV)
		diag_error(&c->diag, at,
			   "'%s' leads out of the repository %s through a symbolic "
			   "link: refused with --untrusted (not read)", path,
			   c->untrusted.root);
	else if (pfd < 0 && errno == ELOOP && h.resolve)
		diag_error(&c->diag, at,
			   "'%s' resolves through a link into /proc (as /dev/stdin "
			   "does) or too many symbolic links: not a policy file (not "
			   "read)", path);
	else if (pfd < 0)
		diag_error(&c->diag, at, "cannot open '%s': %s", path, strerror(errno));
	else if (check_kind(c, pfd, path, callers, at, st) &&
		 (!untrusted || strict_modes(c, path, st, at))) {
		/* the same path again, for reading; it must still be that file */
		struct stat again;
		fd = open_how(&h, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &again) < 0) {
			diag_error(&c->diag, at, "cannot open '%s': %s", path,
				   strerror(errno));
			if (fd >= 0)
				close(fd);
			fd = -1;
		} else if (again.st_dev != st->st_dev || again.st_ino != st->st_ino) {
			diag_error(&c->diag, at, "'%s' changed while it was opened; "
				   "not read", path);
			close(fd);
			fd = -1;
		} else if (!S_ISREG(st->st_mode)) {
			/* the caller's pipe: reads wait for the writer */
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		}
	}
	if (pfd >= 0)
		close(pfd);
	free(abs);
	return fd;
}

char *src_read(struct compile_ctx *c, int fd, const struct stat *st, const char *path,
	       const struct cordon_loc *at, size_t *len)
{
	size_t left = CORDON_MAX_POLICY_BYTES - c->bytes_read;
	size_t hint = S_ISREG(st->st_mode) && (uint64_t)st->st_size <= left
			      ? (size_t)st->st_size : 0;
	size_t cap = hint >= 4096 ? hint + 1 : 4096, n = 0;
	char *buf = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		size_t want = cap - n;
		if (want > left + 1 - n)
			want = left + 1 - n; /* one byte past the budget tells */
		ssize_t r = want ? read(fd, buf + n, want) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			diag_error(&c->diag, at, "cannot read '%s': %s", path, strerror(e));
			return NULL;
		}
		n += (size_t)r;
		if (n > left) {
			free(buf);
			diag_error(&c->diag, at,
				   "'%s' takes the policy files of this compile past %u "
				   "MiB in all: not read further", path,
				   CORDON_MAX_POLICY_BYTES >> 20);
			return NULL;
		}
		if (r == 0)
			break;
	}
	buf[n] = '\0';
	c->bytes_read += n;
	*len = n;
	return buf;
}

/* The length of the valid UTF-8 sequence at p (shortest form, no
 * surrogates, at most U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char b = p[0];
	size_t n = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3
		 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
	if (n == 0 || (size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((b == 0xE0 && p[1] < 0xA0) || (b == 0xED && p[1] > 0x9F) ||
	    (b == 0xF0 && p[1] < 0x90) || (b == 0xF4 && p[1] > 0x8F))
		return 0; /* overlong, surrogate, above U+10FFFF */
	return n;
}

/* The first byte of [p, end) that is NUL or not valid UTF-8, or end.
 * Eight bytes at a time while they are ASCII without NUL (a byte >= 0x80,
 * or a 0 byte through the borrow, sets a high bit of (w - 0x01..01) | w). */
static const unsigned char *first_bad(const unsigned char *p, const unsigned char *end)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	while (p < end) {
		uint64_t w;
		if (end - p >= 8 && (memcpy(&w, p, 8), !(((w - ones) | w) & highs))) {
			p += 8;
			continue;
		}
		size_t n = *p >= 0x80 ? utf8_len(p, end) : *p ? 1 : 0;
		if (n == 0)
			return p;
		p += n;
	}
	return end;
}

bool src_check_text(struct compile_ctx *c, struct src_file *f)
{
	const unsigned char *start = (const unsigned char *)f->text;
	const unsigned char *end = start + f->len, *p = first_bad(start, end);
	/* the offset of each line, up to the bad byte if there is one */
	size_t cap = 0;
	int line = 0;
	const unsigned char *bol = start;
	for (const unsigned char *q = start;;) {
		XGROW(f->lines, f->nlines, cap);
		f->lines[f->nlines++] = (size_t)(q - start);
		line++, bol = q;
		const unsigned char *nl = memchr(q, '\n', (size_t)(end - q));
		if (!nl || nl >= p)
			break;
		q = nl + 1;
	}
	if (p == end)
		return true;
	struct cordon_loc l = {.file = f, .first_line = line, .last_line = line,
			       .first_column = (int)(p - bol) + 1};
	l.last_column = l.first_column;
	unsigned char bad = *p;
	/* dropped first: diag_error quotes the line of a file that has text */
	free(f->text);
	free(f->lines);
	f->text = NULL;
	f->lines = NULL;
	f->len = f->nlines = 0;
	if (bad)
		diag_error(&c->diag, &l, "invalid UTF-8 (byte 0x%02x): a policy is UTF-8 "
			   "text; the file is not read", bad);
	else
		diag_error(&c->diag, &l, "a NUL byte: a policy is a text file; the file "
			   "is not read");
	return false;
}
