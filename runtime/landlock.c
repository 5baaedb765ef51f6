/* Builds the Landlock ruleset of a policy (not enforced here): negotiates the
 * ABI, opens the policy's paths, expands each deny inside an allowed tree
 * into grants on the siblings along the way, and adds the TCP port rules.
 *
 * Landlock only ever adds rights: a rule grants its rights to the inode it is
 * on and to everything beneath it, and nothing can take them away below.  A
 * policy's `deny` is therefore applied here, for each allowed path P with
 * rights R:
 *
 *  1. the rights denied at P itself or at any ancestor of P are removed;
 *  2. for each deny rule Q strictly below P whose rights D meet R, the rights
 *     S = D & R are not granted at P: P gets R \ S, and every entry of P's
 *     directory gets S, except the entry on the way to Q, which is expanded
 *     the same way, down to Q; Q itself gets S minus what Q denies (other
 *     deny rules met on the way are handled by the same recursion).  When Q
 *     is not a directory, READ_DIR is not split: listing its parent shows
 *     the name, not the contents.  Write rights are split for a file too,
 *     since a file is removed and re-created through its parent.
 *
 * Consequences, by design:
 *  - the directories on the way from P to Q do not get S on themselves: for a
 *    write carve-out no file can be created or removed in Q's parent (nor in
 *    any directory between P and Q), which is exactly what stops deleting
 *    and re-creating Q; for a read carve-out of a directory, the directories
 *    on the way cannot be listed;
 *  - the grants attach to the entries that exist when the ruleset is built:
 *    an entry created later in a directory on the way gets only what the
 *    directory itself has (R \ S), not S;
 *  - a deny of a path that does not exist carves nothing: if it is created
 *    later inside an allowed tree, it gets the tree's rights;
 *  - symbolic links are never followed while expanding and get no grant (a
 *    link planted in the tree must not carry a grant to its target; access
 *    through a link is checked on the target anyway);
 *  - rules are on inodes, the checks walk the path used: a denied file that
 *    has another hard link elsewhere in the allowed tree (or a directory
 *    bind-mounted there) is reachable through that other name.  Landlock
 *    itself stops a *new* link or rename from giving a file more rights
 *    (EXDEV), and on ABI 1, where REFER is not handled, every rename or link
 *    across directories is denied;
 *  - a carve-out in a huge directory needs one rule per entry: past
 *    LL_MAX_FS_RULES the build fails instead of running without the deny.
 *
 * Paths are compared by their canonical names (symbolic links and `..`
 * resolved, as the kernel resolved them when opening), taken from
 * /proc/self/fd and checked against the opened inode.
 *
 * With paths->std_fds, the files open as fds 0, 1 and 2 get a rule each on
 * their own inode, with the rights their open modes give (std_fds.c),
 * through grant() like every rule, so that a deny at or above one still
 * takes its rights away.  Allowed paths that do not exist are counted, the
 * first LL_MISSING_SHOWN kept by name, for one warning line per run. */
#include "landlock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock_abi.h"
#include "std_fds.h"

#define NR_landlock_create_ruleset 444
#define NR_landlock_add_rule 445

static int ll_create_ruleset(const struct cordon_ll_ruleset_attr *attr, size_t size,
			     uint32_t flags)
{
	return (int)syscall(NR_landlock_create_ruleset, attr, size, flags);
}

static int ll_add_rule(int ruleset_fd, int type, const void *attr)
{
	return (int)syscall(NR_landlock_add_rule, ruleset_fd, type, attr, 0U);
}

unsigned ll_kernel_abi(void)
{
	int v = ll_create_ruleset(NULL, 0, CORDON_LL_CREATE_RULESET_VERSION);
	return v > 0 ? (unsigned)v : 0;
}

/* ---- ABI negotiation ------------------------------------------------------ */

static uint64_t fs_rights_of_abi(unsigned abi)
{
	if (abi >= 9)
		return CORDON_LL_FS_ABI9;
	if (abi >= 5)
		return CORDON_LL_FS_ABI5;
	if (abi >= 3)
		return CORDON_LL_FS_ABI3;
	if (abi >= 2)
		return CORDON_LL_FS_ABI2;
	return abi >= 1 ? CORDON_LL_FS_ABI1 : 0;
}

static uint64_t net_rights_of_abi(unsigned abi)
{
	uint64_t r = 0;
	if (abi >= 4)
		r |= CORDON_LL_NET_BIND_TCP | CORDON_LL_NET_CONNECT_TCP;
	if (abi >= 10)
		r |= CORDON_LL_NET_BIND_UDP | CORDON_LL_NET_CONNECT_SEND_UDP;
	return r;
}

static uint64_t scopes_of_abi(unsigned abi)
{
	return abi >= 6 ? CORDON_LL_SCOPE_ABSTRACT_UNIX_SOCKET | CORDON_LL_SCOPE_SIGNAL : 0;
}

/* The bytes of struct cordon_ll_ruleset_attr that the ABI knows. */
static size_t attr_size_of_abi(unsigned abi)
{
	if (abi >= 10)
		return sizeof(struct cordon_ll_ruleset_attr);
	if (abi >= 6)
		return 3 * sizeof(uint64_t);
	if (abi >= 4)
		return 2 * sizeof(uint64_t);
	return sizeof(uint64_t);
}

/* ---- the build ----------------------------------------------------------- */

/* One filesystem rule of the policy, opened. */
struct fsent {
	char *path;     /* as opened: the base, "/", the rule's path */
	char *canon;    /* canonical name; NULL when the path does not exist */
	int fd;         /* O_PATH, or -1 */
	bool dir;
	uint64_t allow; /* masked with the handled rights (and file rights) */
	uint64_t deny;  /* masked with the handled rights */
};

struct build {
	int rfd;
	uint64_t handled_fs;
	struct fsent *e;
	size_t n;
	size_t nfs;       /* filesystem rules added so far */
	const char *top;  /* the allowed path being expanded, for messages */
	unsigned depth;   /* expand() calls under way */
	struct ll_result *out;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct build *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* An allowed path that does not exist: counted, the first few kept by name. */
static int note_missing(struct build *b, const char *path)
{
	size_t k = b->out->nmissing;
	if (k < LL_MISSING_SHOWN && !(b->out->missing[k] = strdup(path)))
		return fail(b, "out of memory");
	b->out->nmissing++;
	return 0;
}

/* anc is path itself or one of its ancestors (both canonical). */
static bool at_or_above(const char *anc, const char *path)
{
	size_t n = strlen(anc);
	if (n == 1 && anc[0] == '/')
		return true;
	return strncmp(path, anc, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* path lies strictly beneath anc (both canonical). */
static bool strictly_below(const char *path, const char *anc)
{
	size_t n = strlen(anc);
	if (n == 1 && anc[0] == '/')
		return path[1] != '\0';
	return strncmp(path, anc, n) == 0 && path[n] == '/';
}

/* The canonical name of the inode open as fd (opened from path):
 * realpath(path), or else the kernel's name of the fd; either must name
 * that inode.  (realpath walks the components with readlink, about a third
 * of the cost of reading /proc/self/fd/N, which makes a proc inode.) */
static int canonical(struct build *b, int fd, const char *path, char **out)
{
	char link[64], *buf = malloc(PATH_MAX + 1);
	struct stat fst, pst;
	if (!buf)
		return fail(b, "out of memory");
	if (!realpath(path, buf)) {
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		ssize_t len = readlink(link, buf, PATH_MAX);
		if (len <= 0 || len >= PATH_MAX || buf[0] != '/') {
			free(buf);
			return fail(b, "cannot resolve %s: %s", path, strerror(errno));
		}
		buf[len] = '\0';
	}
	if (fstat(fd, &fst) < 0 || stat(buf, &pst) < 0 || fst.st_dev != pst.st_dev ||
	    fst.st_ino != pst.st_ino) {
		free(buf);
		return fail(b, "cannot resolve %s: its canonical name does not lead back to it",
			    path);
	}
	*out = buf;
	return 0;
}

static int add_fs_rule(struct build *b, int fd, const char *path, uint64_t rights)
{
	if (b->nfs >= LL_MAX_FS_RULES && b->depth)
		return fail(b, "deny carve-out under %s needs more than %d rules", b->top,
			    LL_MAX_FS_RULES);
	if (b->nfs >= LL_MAX_FS_RULES)
		return fail(b, "the policy needs more than %d filesystem rules", LL_MAX_FS_RULES);
	struct cordon_ll_path_beneath_attr a = {.allowed_access = rights, .parent_fd = fd};
	if (ll_add_rule(b->rfd, CORDON_LL_RULE_PATH_BENEATH, &a) < 0)
		return fail(b, "landlock_add_rule %s: %s", path, strerror(errno));
	b->nfs++;
	b->out->nrules++;
	return 0;
}

static int grant(struct build *b, int fd, const char *path, bool dir, uint64_t r);

/* Gives s to every entry of the directory fd (canonical name path), except
 * symbolic links; grant() splits again on the way to a deny. */
static int expand(struct build *b, int fd, const char *path, uint64_t s)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return fail(b, "cannot list %s: %s", path, strerror(errno));
	DIR *d = fdopendir(dfd);
	if (!d) {
		int e = errno;
		close(dfd);
		return fail(b, "cannot list %s: %s", path, strerror(e));
	}
	bool root = strcmp(path, "/") == 0;
	int rc = 0;
	b->depth++;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno)
				rc = fail(b, "cannot list %s: %s", path, strerror(errno));
			break;
		}
		const char *name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || de->d_type == DT_LNK)
			continue;
		char *sub = NULL;
		if (asprintf(&sub, "%s/%s", root ? "" : path, name) < 0) {
			rc = fail(b, "out of memory");
			break;
		}
		int efd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (efd < 0) {
			/* removed since it was listed: nothing to grant */
			if (errno != ENOENT)
				rc = fail(b, "cannot open %s: %s", sub, strerror(errno));
		} else if (fstat(efd, &st) < 0) {
			rc = fail(b, "cannot stat %s: %s", sub, strerror(errno));
		} else if (!S_ISLNK(st.st_mode)) {
			rc = grant(b, efd, sub, S_ISDIR(st.st_mode), s);
		}
		if (efd >= 0)
			close(efd);
		free(sub);
		if (rc < 0)
			break;
	}
	b->depth--;
	closedir(d);
	return rc;
}

/* Grants r beneath the inode fd (canonical name path), minus what any deny
 * at or above it takes away, split around the denies below it. */
static int grant(struct build *b, int fd, const char *path, bool dir, uint64_t r)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->e[i].canon && b->e[i].deny && at_or_above(b->e[i].canon, path))
			r &= ~b->e[i].deny;
	if (!dir)
		r &= CORDON_LL_FS_FILE_RIGHTS;
	if (!r)
		return 0;
	uint64_t s = 0;
	if (dir) {
		for (size_t i = 0; i < b->n; i++) {
			const struct fsent *q = &b->e[i];
			if (!q->canon || !q->deny || !strictly_below(q->canon, path))
				continue;
			uint64_t d = q->deny & r;
			if (!q->dir)
				d &= ~CORDON_LL_FS_READ_DIR;
			s |= d;
		}
	}
	if ((r & ~s) && add_fs_rule(b, fd, path, r & ~s) < 0)
		return -1;
	return s ? expand(b, fd, path, s) : 0;
}

/* The directory a base stands for. */
static const char *base_dir(const struct ll_paths *paths, enum cpb_base base)
{
	switch (base) {
	case CPB_BASE_ROOT:
		return "";
	case CPB_BASE_HOME:
		return paths ? paths->home : NULL;
	case CPB_BASE_TMPDIR:
		return paths ? paths->tmpdir : NULL;
	case CPB_BASE_WORKSPACE:
		return paths ? paths->workspace : NULL;
	default:
		return NULL;
	}
}

int ll_rule_path(const struct cpb_fs_rule *r, const struct ll_paths *paths, char *out,
		 size_t len)
{
	const char *dir = base_dir(paths, r->base);
	if (!dir) {
		errno = EINVAL;
		return -1;
	}
	const char *sep = r->base != CPB_BASE_ROOT && r->path[0] ? "/" : "";
	if ((size_t)snprintf(out, len, "%s%s%s", dir, sep, r->path) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* As written in a policy (cpb_base_name, without linking the reader). */
static const char *base_name(enum cpb_base base)
{
	static const char *const names[] = {"/", "${HOME}", "${TMPDIR}", "${WORKSPACE}"};
	return (unsigned)base < CPB_BASE_COUNT ? names[base] : "an unknown base";
}

/* A rule for a policy without any deny: the rights as allowed, or their
 * file rights when the path turns out not to be a directory. */
static int add_plain_rule(struct build *b, const struct fsent *e)
{
	if (b->nfs >= LL_MAX_FS_RULES)
		return fail(b, "the policy needs more than %d filesystem rules", LL_MAX_FS_RULES);
	struct cordon_ll_path_beneath_attr a = {.allowed_access = e->allow, .parent_fd = e->fd};
	int r = ll_add_rule(b->rfd, CORDON_LL_RULE_PATH_BENEATH, &a);
	if (r < 0 && errno == EINVAL && (e->allow & ~CORDON_LL_FS_FILE_RIGHTS)) {
		a.allowed_access = e->allow & CORDON_LL_FS_FILE_RIGHTS;
		r = a.allowed_access ? ll_add_rule(b->rfd, CORDON_LL_RULE_PATH_BENEATH, &a) : 0;
		if (!a.allowed_access)
			return 0; /* only directory rights on a file: nothing applies */
	}
	if (r < 0)
		return fail(b, "landlock_add_rule %s: %s", e->path, strerror(errno));
	b->nfs++;
	b->out->nrules++;
	return 0;
}

/* Opens every filesystem rule's path into b->e. */
static int open_fs_rules(struct build *b, const struct cpb_policy *p, const struct ll_paths *paths)
{
	b->e = calloc(p->nfs ? p->nfs : 1, sizeof *b->e);
	if (!b->e)
		return fail(b, "out of memory");
	/* canonical names only matter to relate allows and denies: without a
	 * deny, the name as opened serves (and saves a /proc lookup a path) */
	bool any_deny = false;
	for (size_t i = 0; i < p->nfs; i++)
		any_deny |= (p->fs[i].deny & b->handled_fs) != 0;
	for (size_t i = 0; i < p->nfs; i++) {
		const struct cpb_fs_rule *r = &p->fs[i];
		struct fsent *e = &b->e[b->n++];
		e->fd = -1;
		e->allow = r->allow & b->handled_fs;
		e->deny = r->deny & b->handled_fs;
		char path[PATH_MAX];
		if (ll_rule_path(r, paths, path, sizeof path) != 0) {
			if (errno == EINVAL && !r->allow) {
				b->n--; /* a deny under an unset ~: nothing there to deny */
				continue;
			}
			return errno == EINVAL ? fail(b, "the policy uses %s, which is not set",
						      base_name(r->base))
					       : fail(b, "a path under %s is too long",
						      base_name(r->base));
		}
		if (!(e->path = strdup(path)))
			return fail(b, "out of memory");
		if (e->path[0] != '/')
			return fail(b, "%s is not an absolute path", e->path);
		if (!e->allow && !e->deny)
			continue;
		if (strcmp(e->path, "/proc/self") == 0) {
			/* here it would name cordon's own entry: the child adds
			 * its own (ll_add_proc_self) */
			b->out->proc_self_rights = e->allow & ~e->deny &
						   (CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR);
			continue;
		}
		if (strcmp(e->path, "/dev/shm") == 0)
			b->out->dev_shm_rights = e->allow & ~e->deny;
		e->fd = openat(AT_FDCWD, e->path, O_PATH | O_CLOEXEC);
		if (e->fd < 0) {
			/* a deny of a path cordon's user cannot reach: neither can the
			 * command, which runs as that user with less */
			if (!e->allow && (errno == EACCES || errno == EPERM))
				continue;
			if (errno != ENOENT && errno != ENOTDIR)
				return fail(b, "cannot open %s: %s", e->path, strerror(errno));
			/* a missing deny has nothing to carve */
			if (e->allow && note_missing(b, e->path) < 0)
				return -1;
			continue;
		}
		if (!any_deny) {
			/* nothing to carve: add the rule now, without asking
			 * whether it is a directory; Landlock answers EINVAL for
			 * directory rights on a file, and the file rights go */
			if (e->allow && add_plain_rule(b, e) < 0)
				return -1;
			continue;
		}
		struct stat st;
		if (fstat(e->fd, &st) < 0)
			return fail(b, "cannot stat %s: %s", e->path, strerror(errno));
		e->dir = S_ISDIR(st.st_mode);
		if (!e->dir)
			e->allow &= CORDON_LL_FS_FILE_RIGHTS;
		if (canonical(b, e->fd, e->path, &e->canon) < 0)
			return -1;
	}
	return 0;
}

static int add_fs_rules(struct build *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct fsent *e = &b->e[i];
		if (!e->canon || !e->allow)
			continue;
		b->top = e->path;
		if (grant(b, e->fd, e->canon, e->dir, e->allow) < 0)
			return -1;
	}
	return 0;
}

/* The files open as fds 0, 1 and 2 (std_fds.c), each with the rights its
 * open mode gives, minus what a deny at or above it takes away. */
static int add_std_fd_rules(struct build *b)
{
	struct std_fd s[3];
	int n = std_fds_open(b->handled_fs, s);
	bool any_deny = false;
	for (size_t i = 0; i < b->n; i++)
		any_deny |= b->e[i].canon && b->e[i].deny;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		/* without a name there is no telling whether a deny covers it */
		if (!s[i].canon && any_deny)
			continue;
		b->top = s[i].canon ? s[i].canon : "a standard stream";
		rc = grant(b, s[i].fd, b->top, false, s[i].rights);
	}
	std_fds_close(s, n > 0 ? (size_t)n : 0);
	return rc;
}

/* One rule per port of each range, each port once per right. */
static int add_net_rules(struct build *b, const struct cpb_policy *p, uint64_t handled_net)
{
	static const uint64_t rights[2] = {CORDON_LL_NET_BIND_TCP, CORDON_LL_NET_CONNECT_TCP};
	uint8_t *seen = calloc(2, 65536 / 8);
	if (!seen)
		return fail(b, "out of memory");
	int rc = 0;
	for (size_t i = 0; i < p->nnet && rc == 0; i++) {
		const struct cpb_net_rule *r = &p->net[i];
		if (r->proto != CPB_PROTO_TCP)
			continue;
		unsigned k = r->kind == CPB_NET_BIND ? 0 : r->kind == CPB_NET_CONNECT ? 1 : 2;
		if (k > 1 || !(handled_net & rights[k]))
			continue;
		for (unsigned port = r->lo; port <= r->hi; port++) {
			uint8_t *bit = &seen[k * 8192 + port / 8];
			if (*bit & (1U << (port % 8)))
				continue;
			*bit |= (uint8_t)(1U << (port % 8));
			struct cordon_ll_net_port_attr a = {.allowed_access = rights[k],
							    .port = port};
			if (ll_add_rule(b->rfd, CORDON_LL_RULE_NET_PORT, &a) < 0) {
				rc = fail(b, "landlock_add_rule %s port %u: %s",
					  k ? "connect tcp" : "bind tcp", port, strerror(errno));
				break;
			}
			b->out->nrules++;
		}
	}
	free(seen);
	return rc;
}

static uint32_t missing_features(uint32_t features, unsigned abi)
{
	uint32_t m = 0;
	for (unsigned bit = 0; bit < 32; bit++)
		if ((features & (1U << bit)) && (abi == 0 || cpb_feature_abi(bit) > abi))
			m |= 1U << bit;
	return m;
}

int ll_build(const struct cpb_policy *p, const struct ll_paths *paths, unsigned abi_override,
	     struct ll_result *out, char *err, size_t errlen)
{
	*out = (struct ll_result){.ruleset_fd = -1};
	struct build b = {.rfd = -1, .out = out, .err = err, .errlen = errlen};
	unsigned abi = ll_kernel_abi();
	if (abi > CORDON_LL_MAX_ABI)
		abi = CORDON_LL_MAX_ABI;
	if (abi_override && abi_override < abi)
		abi = abi_override;
	out->abi = abi;
	out->missing_features = missing_features(p->features, abi);
	if (abi == 0)
		return 0;

	b.handled_fs = p->handled_fs & fs_rights_of_abi(abi);
	uint64_t handled_net = p->handled_net & net_rights_of_abi(abi);
	struct cordon_ll_ruleset_attr attr = {
		.handled_access_fs = b.handled_fs,
		.handled_access_net = handled_net,
		.scoped = p->scoped & scopes_of_abi(abi),
	};
	int rc = -1;
	b.rfd = ll_create_ruleset(&attr, attr_size_of_abi(abi), 0);
	if (b.rfd < 0) {
		if (errno == ENOMSG)
			fail(&b, "landlock_create_ruleset: the policy handles no right "
				 "Landlock ABI %u knows", abi);
		else
			fail(&b, "landlock_create_ruleset (ABI %u): %s", abi, strerror(errno));
		goto out;
	}
	if (open_fs_rules(&b, p, paths) < 0 || add_fs_rules(&b) < 0 ||
	    (paths && paths->std_fds && add_std_fd_rules(&b) < 0) ||
	    add_net_rules(&b, p, handled_net) < 0)
		goto out;
	out->ruleset_fd = b.rfd;
	b.rfd = -1;
	rc = 0;
out:
	for (size_t i = 0; i < b.n; i++) {
		if (b.e[i].fd >= 0)
			close(b.e[i].fd);
		free(b.e[i].path);
		free(b.e[i].canon);
	}
	free(b.e);
	if (b.rfd >= 0)
		close(b.rfd);
	if (rc < 0) {
		unsigned used = out->abi;
		uint32_t missing = out->missing_features;
		ll_result_free(out);
		out->abi = used;
		out->missing_features = missing;
	}
	return rc;
}

void ll_result_free(struct ll_result *r)
{
	if (r->ruleset_fd >= 0)
		close(r->ruleset_fd);
	for (size_t i = 0; i < LL_MISSING_SHOWN; i++)
		free(r->missing[i]);
	*r = (struct ll_result){.ruleset_fd = -1};
}

void ll_missing_summary(const struct ll_result *r, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (!r->nmissing)
		return;
	size_t used = (size_t)snprintf(buf, len, "%zu allowed %s not exist and %s skipped: ",
				       r->nmissing, r->nmissing == 1 ? "path does" : "paths do",
				       r->nmissing == 1 ? "was" : "were");
	for (size_t i = 0; i < LL_MISSING_SHOWN && r->missing[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 r->missing[i]);
	if (r->nmissing > LL_MISSING_SHOWN && used < len)
		snprintf(buf + used, len - used, " and %zu more", r->nmissing - LL_MISSING_SHOWN);
}

int ll_add_proc_self(int ruleset_fd, uint64_t rights)
{
	return ll_add_child_rule(ruleset_fd, "/proc/self", rights);
}

int ll_add_child_rule(int ruleset_fd, const char *path, uint64_t rights)
{
	int fd = openat(AT_FDCWD, path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct cordon_ll_path_beneath_attr a = {.allowed_access = rights, .parent_fd = fd};
	int r = ll_add_rule(ruleset_fd, CORDON_LL_RULE_PATH_BENEATH, &a);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}
