/* Tests the Landlock ruleset builder (runtime/landlock.c): policies written
 * by hand over a temporary tree, every case run for real in a forked child
 * under the ruleset and, as a control, in one without it, which must succeed.
 * Runs as root and as an unprivileged user; needs a kernel with Landlock. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "landlock.h"
#include "landlock_abi.h"
#include "tap.h"

/* The rules below are written {path, base, allow, deny}: the fields after
 * those (dir) stay zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define NR_landlock_restrict_self 446

#define RD (CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR)
#define WR                                                                      \
	(CORDON_LL_FS_WRITE_FILE | CORDON_LL_FS_TRUNCATE | CORDON_LL_FS_REMOVE_FILE | \
	 CORDON_LL_FS_REMOVE_DIR | CORDON_LL_FS_MAKE_REG | CORDON_LL_FS_MAKE_DIR |   \
	 CORDON_LL_FS_MAKE_SYM | CORDON_LL_FS_MAKE_SOCK | CORDON_LL_FS_MAKE_FIFO |   \
	 CORDON_LL_FS_REFER | CORDON_LL_FS_RESOLVE_UNIX)
#define EX CORDON_LL_FS_EXECUTE

#define WS CPB_BASE_WORKSPACE
#define ANYFAIL (-2) /* expectation: some step failed */
#define STEP_SETUP 99 /* the child could not enter the sandbox */

/* An operation, run in a forked child; paths are relative to the tree. */
enum opk {
	OP_READ,          /* open a, read a byte */
	OP_LIST,          /* opendir a, readdir */
	OP_WRITE,         /* open a for appending, write a byte */
	OP_CREATE,        /* create a (O_EXCL) */
	OP_MKDIR,         /* mkdir a */
	OP_UNLINK,        /* unlink a */
	OP_UNLINK_CREATE, /* unlink a, then create it again */
	OP_RENAME,        /* rename a to b */
	OP_RENAME_READ,   /* rename a to b, then read b */
	OP_LINK,          /* link a to b */
	OP_LINK_READ,     /* link a to b, then read b */
	OP_LINK_WRITE,    /* link a to b, then write b */
	OP_TRUNCATE,      /* truncate(a, 0) */
	OP_EXEC,          /* execve a */
	OP_CONNECT,       /* TCP connect to 127.0.0.1:port */
	OP_BIND,          /* TCP bind to 127.0.0.1:port */
	OP_KILL_PARENT,   /* kill(getppid(), 0) */
};

struct op {
	enum opk k;
	const char *a, *b;
	unsigned port;
};

struct res {
	int step; /* 0: every step succeeded */
	int err;  /* errno of the failing step; -1: something else went wrong */
};

struct t {
	char root[64];       /* the temporary tree */
	char ws[128], home[128], tmpdir[128];
	struct ll_paths paths;
	unsigned kabi;
};

static void bail(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	exit(1);
}

static void path_of(const struct t *t, const char *rel, char *buf, size_t len)
{
	if (rel[0] == '/')
		snprintf(buf, len, "%s", rel);
	else
		snprintf(buf, len, "%s/%s", t->root, rel);
}

/* ---- the tree -------------------------------------------------------------- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP || flag == FTW_D)
		chmod(path, 0700); /* directories a case made unreadable */
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode))
		chmod(path, 0700);
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) < 0)
		bail(path);
}

static void put(const struct t *t, const char *rel, const char *content)
{
	char p[256];
	path_of(t, rel, p, sizeof p);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content) ||
	    close(fd) < 0)
		bail(p);
}

static void dir(const struct t *t, const char *rel)
{
	char p[256];
	path_of(t, rel, p, sizeof p);
	if (mkdir(p, 0755) < 0)
		bail(p);
}

static void sym(const struct t *t, const char *target, const char *rel)
{
	char p[256], tp[256];
	path_of(t, rel, p, sizeof p);
	path_of(t, target, tp, sizeof tp);
	if (symlink(tp, p) < 0)
		bail(p);
}

static void copy(const char *src, const struct t *t, const char *rel)
{
	char p[256], buf[65536];
	path_of(t, rel, p, sizeof p);
	int in = open(src, O_RDONLY | O_CLOEXEC);
	int out = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (in < 0 || out < 0)
		bail(p);
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			bail(p);
	if (n < 0 || close(out) < 0)
		bail(p);
	close(in);
}

/* (Re)creates the tree: rules attach to inodes, so each build gets a fresh one. */
static void fresh_tree(const struct t *t)
{
	char p[256];
	path_of(t, "ws", p, sizeof p);
	rm_rf(p);
	path_of(t, "outside", p, sizeof p);
	rm_rf(p);
	dir(t, "outside");
	put(t, "outside/secret", "TOPSECRET");
	dir(t, "ws");
	put(t, "ws/a.txt", "alpha");
	put(t, "ws/secret.txt", "sierra");
	dir(t, "ws/sub");
	put(t, "ws/sub/b.txt", "bravo");
	dir(t, "ws/sub/deep");
	put(t, "ws/sub/deep/c.txt", "charlie");
	put(t, "ws/sub/deep/x.txt", "xray");
	dir(t, "ws/priv");
	put(t, "ws/priv/p.txt", "papa");
	dir(t, "ws/ro");
	put(t, "ws/ro/r.txt", "romeo");
	dir(t, "ws/rw");
	put(t, "ws/rw/f.txt", "foxtrot");
	put(t, "ws/rw/keep.txt", "kilo");
	dir(t, "ws/bin");
	copy("/bin/true", t, "ws/bin/true");
	dir(t, "ws/noexec");
	copy("/bin/true", t, "ws/noexec/true");
	dir(t, "ws/links");
	put(t, "ws/links/ok.txt", "oscar");
	put(t, "ws/links/hidden.txt", "hotel");
	sym(t, "outside/secret", "ws/links/fl");
	sym(t, "outside", "ws/links/dl");
	sym(t, "outside/secret", "ws/topl");
}

/* Entries of a directory that are not symbolic links. */
static size_t count_entries(const struct t *t, const char *rel)
{
	char p[256];
	path_of(t, rel, p, sizeof p);
	DIR *d = opendir(p);
	if (!d)
		bail(p);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && de->d_type != DT_LNK)
			n++;
	closedir(d);
	return n;
}

/* ---- running an operation ------------------------------------------------------ */

static int do_read(const char *p)
{
	char c;
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int rc = read(fd, &c, 1) == 1 ? 0 : errno ? errno : EIO;
	close(fd);
	return rc;
}

static int do_create(const char *p)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int do_socket(int *fd, unsigned port, struct sockaddr_in *sa)
{
	*fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	*sa = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	return *fd < 0 ? errno : 0;
}

/* The operation; *step is the step that failed. */
static int do_op(const struct op *o, const char *a, const char *b, int *step)
{
	int fd, e;
	struct sockaddr_in sa;
	*step = 1;
	switch (o->k) {
	case OP_READ:
		return do_read(a);
	case OP_LIST: {
		DIR *d = opendir(a);
		if (!d)
			return errno;
		errno = 0;
		e = readdir(d) ? 0 : errno ? errno : EIO;
		closedir(d);
		return e;
	}
	case OP_WRITE:
		fd = open(a, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd < 0)
			return errno;
		e = write(fd, "!", 1) == 1 ? 0 : errno;
		close(fd);
		return e;
	case OP_CREATE:
		return do_create(a);
	case OP_MKDIR:
		return mkdir(a, 0755) < 0 ? errno : 0;
	case OP_UNLINK:
		return unlink(a) < 0 ? errno : 0;
	case OP_UNLINK_CREATE:
		if (unlink(a) < 0)
			return errno;
		*step = 2;
		return do_create(a);
	case OP_RENAME:
		return rename(a, b) < 0 ? errno : 0;
	case OP_RENAME_READ:
		if (rename(a, b) < 0)
			return errno;
		*step = 2;
		return do_read(b);
	case OP_LINK:
		return link(a, b) < 0 ? errno : 0;
	case OP_LINK_READ:
		if (link(a, b) < 0)
			return errno;
		*step = 2;
		return do_read(b);
	case OP_LINK_WRITE:
		if (link(a, b) < 0)
			return errno;
		*step = 2;
		fd = open(b, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd < 0)
			return errno;
		e = write(fd, "!", 1) == 1 ? 0 : errno;
		close(fd);
		return e;
	case OP_TRUNCATE:
		return truncate(a, 0) < 0 ? errno : 0;
	case OP_EXEC: {
		char *const argv[] = {(char *)a, NULL}, *const envp[] = {NULL};
		execve(a, argv, envp);
		return errno;
	}
	case OP_CONNECT:
	case OP_BIND:
		if ((e = do_socket(&fd, o->port, &sa)))
			return e;
		*step = 2;
		if (o->k == OP_CONNECT)
			e = connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ? errno : 0;
		else
			e = bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ? errno : 0;
		close(fd);
		return e;
	case OP_KILL_PARENT:
		return kill(getppid(), 0) < 0 ? errno : 0;
	}
	return EINVAL;
}

/* Runs o in a forked child, under ruleset_fd unless it is -1. */
static struct res run(const struct t *t, const struct op *o, int ruleset_fd)
{
	char a[256], b[256];
	path_of(t, o->a ? o->a : ".", a, sizeof a);
	path_of(t, o->b ? o->b : ".", b, sizeof b);
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		bail("pipe");
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		bail("fork");
	if (pid == 0) {
		struct res r = {0, 0};
		close(pfd[0]);
		if (ruleset_fd >= 0 && (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
					syscall(NR_landlock_restrict_self, ruleset_fd, 0U) < 0)) {
			r = (struct res){STEP_SETUP, errno};
		} else {
			r.err = do_op(o, a, b, &r.step);
			if (!r.err)
				r.step = 0;
		}
		if (write(pfd[1], &r, sizeof r) != sizeof r)
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	struct res r;
	ssize_t n = read(pfd[0], &r, sizeof r);
	close(pfd[0]);
	int status;
	if (waitpid(pid, &status, 0) < 0)
		bail("waitpid");
	if (n == 0 && o->k == OP_EXEC) /* the exec succeeded: true's status */
		r = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? (struct res){0, 0}
								  : (struct res){1, -1};
	else if (n != sizeof r || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		r = (struct res){1, -1};
	return r;
}

static const char *show(struct res r, char *buf, size_t len)
{
	if (r.step == 0)
		snprintf(buf, len, "ok");
	else if (r.step == STEP_SETUP)
		snprintf(buf, len, "sandbox setup failed: %s", strerror(r.err));
	else if (r.err < 0)
		snprintf(buf, len, "child failed");
	else
		snprintf(buf, len, "step %d: %s", r.step, strerror(r.err));
	return buf;
}

static bool matches(struct res r, int expect)
{
	if (r.step == STEP_SETUP || r.err < 0)
		return false;
	if (expect == ANYFAIL)
		return r.step != 0;
	return expect == 0 ? r.step == 0 : r.err == expect;
}

static const char *expect_name(int expect)
{
	return expect == 0 ? "allowed" : expect == ANYFAIL ? "denied" : strerrorname_np(expect);
}

static int build(const struct t *t, const struct cpb_policy *p, unsigned ovr, struct ll_result *r)
{
	char err[512];
	if (ll_build(p, &t->paths, ovr, r, err, sizeof err) < 0) {
		tap_diag("ll_build: %s", err);
		return -1;
	}
	return 0;
}

typedef void (*hook_fn)(const struct t *t);

/* Runs o without the sandbox (must succeed) and under p's ruleset (must give
 * expect), each on a fresh tree; hook runs after the ruleset is built. */
static void check_ex(const struct t *t, const char *what, const struct cpb_policy *p, unsigned ovr,
		     struct op o, int expect, hook_fn hook)
{
	char b1[128], b2[128];
	fresh_tree(t);
	if (hook)
		hook(t);
	struct res control = run(t, &o, -1);
	fresh_tree(t);
	struct ll_result r;
	if (build(t, p, ovr, &r) < 0) {
		tap_ok(0, "%s: ruleset built", what);
		return;
	}
	if (hook)
		hook(t);
	struct res got = run(t, &o, r.ruleset_fd);
	ll_result_free(&r);
	tap_ok(control.step == 0 && matches(got, expect), "%s: %s (got %s; control %s)", what,
	       expect_name(expect), show(got, b1, sizeof b1), show(control, b2, sizeof b2));
}

static void check(const struct t *t, const char *what, const struct cpb_policy *p, struct op o,
		  int expect)
{
	check_ex(t, what, p, 0, o, expect, NULL);
}

#define NRULES(a) (sizeof(a) / sizeof *(a))
#define POLICY(rules)                                                                \
	{.fs = (rules), .nfs = NRULES(rules), .handled_fs = CORDON_LL_FS_ALL,        \
	 .features = CPB_FEAT_FS | CPB_FEAT_TRUNCATE}
#define R(p) {OP_READ, (p), NULL, 0}
#define OP(k, p) {(k), (p), NULL, 0}
#define OP2(k, p, q) {(k), (p), (q), 0}

/* ---- the cases -------------------------------------------------------------------- */

static void test_basic(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"", WS, RD, 0}};
	struct cpb_policy p = POLICY(rules);
	check(t, "allow read ws: read ws/a.txt", &p, (struct op)R("ws/a.txt"), 0);
	check(t, "allow read ws: read ws/sub/deep/c.txt", &p, (struct op)R("ws/sub/deep/c.txt"), 0);
	check(t, "allow read ws: read outside/secret", &p, (struct op)R("outside/secret"), EACCES);
	check(t, "allow read ws: list ws", &p, (struct op)OP(OP_LIST, "ws"), 0);
	check(t, "allow read ws: read through symlink ws/topl to outside", &p,
	      (struct op)R("ws/topl"), EACCES);

	fresh_tree(t);
	struct ll_result r;
	if (build(t, &p, 0, &r) == 0) {
		unsigned want = t->kabi > CORDON_LL_MAX_ABI ? CORDON_LL_MAX_ABI : t->kabi;
		tap_ok(r.ruleset_fd >= 0 && r.nrules == 1 && r.nmissing == 0 && r.abi == want &&
			       r.missing_features == 0,
		       "one allow: fd %d, %zu rule, %zu missing, abi %u (kernel %u), missing %#x",
		       r.ruleset_fd, r.nrules, r.nmissing, r.abi, t->kabi, r.missing_features);
		ll_result_free(&r);
		tap_ok(r.ruleset_fd == -1 && r.missing[0] == NULL, "ll_result_free resets the result");
	} else {
		tap_ok(0, "one allow: ruleset built");
	}
	if (build(t, &p, 99, &r) == 0) {
		tap_ok(r.abi == (t->kabi > CORDON_LL_MAX_ABI ? CORDON_LL_MAX_ABI : t->kabi),
		       "abi_override 99 cannot raise the ABI (got %u)", r.abi);
		ll_result_free(&r);
	} else {
		tap_ok(0, "abi_override 99: ruleset built");
	}
}

static void test_bases(const struct t *t)
{
	static struct cpb_fs_rule home[] = {{"", CPB_BASE_HOME, RD, 0}};
	struct cpb_policy p = POLICY(home);
	check(t, "allow read ~ (ws/sub): read ws/sub/b.txt", &p, (struct op)R("ws/sub/b.txt"), 0);
	check(t, "allow read ~ (ws/sub): read ws/a.txt", &p, (struct op)R("ws/a.txt"), EACCES);

	static struct cpb_fs_rule tmp[] = {{"", CPB_BASE_TMPDIR, RD | WR, 0}};
	struct cpb_policy p2 = POLICY(tmp);
	check(t, "allow write ${TMPDIR} (ws/rw): create ws/rw/new", &p2,
	      (struct op)OP(OP_CREATE, "ws/rw/new"), 0);
	check(t, "allow write ${TMPDIR} (ws/rw): create ws/sub/new", &p2,
	      (struct op)OP(OP_CREATE, "ws/sub/new"), EACCES);

	static struct cpb_fs_rule dotdot[] = {{"../outside", WS, RD, 0}};
	struct cpb_policy p3 = POLICY(dotdot);
	check(t, "allow read ws/../outside: read outside/secret", &p3,
	      (struct op)R("outside/secret"), 0);

	/* the deny names a symlink to the allowed directory: it is the same path */
	static struct cpb_fs_rule vialink[] = {{"../outside", WS, RD, 0}, {"links/dl", WS, 0, RD}};
	struct cpb_policy p4 = POLICY(vialink);
	check(t, "allow read outside, deny read ws/links/dl (-> outside): read outside/secret",
	      &p4, (struct op)R("outside/secret"), EACCES);
}

static void test_file_carve(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"", WS, RD, 0}, {"secret.txt", WS, 0, RD}};
	struct cpb_policy p = POLICY(rules);
	const char *w = "deny read ws/secret.txt in allowed ws";
	char what[160];
#define W(s) (snprintf(what, sizeof what, "%s: %s", w, (s)), what)
	check(t, W("read ws/secret.txt"), &p, (struct op)R("ws/secret.txt"), EACCES);
	check(t, W("read sibling ws/a.txt"), &p, (struct op)R("ws/a.txt"), 0);
	check(t, W("read ws/sub/b.txt"), &p, (struct op)R("ws/sub/b.txt"), 0);
	check(t, W("read ws/sub/deep/c.txt"), &p, (struct op)R("ws/sub/deep/c.txt"), 0);
	check(t, W("list ws (READ_DIR not split for a file)"), &p, (struct op)OP(OP_LIST, "ws"), 0);
	check(t, W("exec ws/bin/true (never allowed)"), &p, (struct op)OP(OP_EXEC, "ws/bin/true"),
	      EACCES);

	fresh_tree(t);
	struct ll_result r;
	size_t n = count_entries(t, "ws");
	if (build(t, &p, 0, &r) == 0) {
		tap_ok(r.nrules == n, "%s: %zu rules = ws + its %zu other non-symlink entries", w,
		       r.nrules, n - 1);
		ll_result_free(&r);
	} else {
		tap_ok(0, "%s: ruleset built", w);
	}
#undef W
}

static void make_late(const struct t *t)
{
	put(t, "ws/late.txt", "lima");
}

static void test_late_entry(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"", WS, RD, 0}, {"secret.txt", WS, 0, RD}};
	struct cpb_policy p = POLICY(rules);
	check_ex(t, "deny read ws/secret.txt: ws/late.txt created after the build is not granted "
		    "(documented)",
		 &p, 0, (struct op)R("ws/late.txt"), EACCES, make_late);
}

static void test_dir_carve(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"", WS, RD, 0}, {"priv", WS, 0, RD}};
	struct cpb_policy p = POLICY(rules);
	check(t, "deny read ws/priv: read ws/priv/p.txt", &p, (struct op)R("ws/priv/p.txt"), EACCES);
	check(t, "deny read ws/priv: list ws/priv", &p, (struct op)OP(OP_LIST, "ws/priv"), EACCES);
	check(t, "deny read ws/priv: read ws/a.txt", &p, (struct op)R("ws/a.txt"), 0);
	check(t, "deny read ws/priv: read ws/sub/deep/c.txt", &p, (struct op)R("ws/sub/deep/c.txt"),
	      0);
	check(t, "deny read ws/priv: list ws (the parent cannot be listed, documented)", &p,
	      (struct op)OP(OP_LIST, "ws"), EACCES);

	static struct cpb_fs_rule deep[] = {{"", WS, RD, 0}, {"sub/deep/x.txt", WS, 0, RD}};
	struct cpb_policy p2 = POLICY(deep);
	check(t, "deny read ws/sub/deep/x.txt: read it", &p2, (struct op)R("ws/sub/deep/x.txt"),
	      EACCES);
	check(t, "deny read ws/sub/deep/x.txt: read ws/sub/deep/c.txt", &p2,
	      (struct op)R("ws/sub/deep/c.txt"), 0);
	check(t, "deny read ws/sub/deep/x.txt: read ws/sub/b.txt", &p2, (struct op)R("ws/sub/b.txt"),
	      0);
	check(t, "deny read ws/sub/deep/x.txt: list ws/sub/deep", &p2,
	      (struct op)OP(OP_LIST, "ws/sub/deep"), 0);
}

static void test_ancestor_deny(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"sub", WS, RD, 0}, {"", WS, 0, RD}};
	struct cpb_policy p = POLICY(rules);
	check(t, "allow read ws/sub, deny read ws: read ws/sub/b.txt", &p,
	      (struct op)R("ws/sub/b.txt"), EACCES);
	fresh_tree(t);
	struct ll_result r;
	if (build(t, &p, 0, &r) == 0) {
		tap_ok(r.nrules == 0, "allow read ws/sub, deny read ws: no rule (%zu)", r.nrules);
		ll_result_free(&r);
	} else {
		tap_ok(0, "allow under a deny: ruleset built");
	}

	static struct cpb_fs_rule partial[] = {{"sub", WS, RD | WR, 0}, {"", WS, 0, WR}};
	struct cpb_policy p2 = POLICY(partial);
	check(t, "allow read,write ws/sub, deny write ws: read ws/sub/b.txt", &p2,
	      (struct op)R("ws/sub/b.txt"), 0);
	check(t, "allow read,write ws/sub, deny write ws: write ws/sub/b.txt", &p2,
	      (struct op)OP(OP_WRITE, "ws/sub/b.txt"), EACCES);
}

static void test_readonly(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"", WS, RD, 0}, {"rw", WS, RD | WR, 0}};
	struct cpb_policy p = POLICY(rules);
	check(t, "read-only ws: write ws/ro/r.txt", &p, (struct op)OP(OP_WRITE, "ws/ro/r.txt"),
	      EACCES);
	check(t, "read-only ws: create ws/ro/new", &p, (struct op)OP(OP_CREATE, "ws/ro/new"), EACCES);
	check(t, "read-only ws: unlink ws/ro/r.txt", &p, (struct op)OP(OP_UNLINK, "ws/ro/r.txt"),
	      EACCES);
	check(t, "read-only ws: mkdir ws/ro/d", &p, (struct op)OP(OP_MKDIR, "ws/ro/d"), EACCES);
	check(t, "write ws/rw: write ws/rw/f.txt", &p, (struct op)OP(OP_WRITE, "ws/rw/f.txt"), 0);
	check(t, "write ws/rw: create ws/rw/new", &p, (struct op)OP(OP_CREATE, "ws/rw/new"), 0);
	check(t, "write ws/rw: truncate ws/rw/f.txt", &p, (struct op)OP(OP_TRUNCATE, "ws/rw/f.txt"),
	      0);
	if (t->kabi >= 3)
		check(t, "read-only ws: truncate ws/ro/r.txt (ABI 3)", &p,
		      (struct op)OP(OP_TRUNCATE, "ws/ro/r.txt"), EACCES);
	else
		tap_diag("kernel ABI %u < 3: truncate not tested", t->kabi);

	/* an allow on a file may only carry file rights: the others are dropped */
	static struct cpb_fs_rule file[] = {{"a.txt", WS, RD | WR, 0}};
	struct cpb_policy p2 = POLICY(file);
	check(t, "allow read,write on the file ws/a.txt: write it", &p2,
	      (struct op)OP(OP_WRITE, "ws/a.txt"), 0);
	check(t, "allow read,write on the file ws/a.txt: read it", &p2, (struct op)R("ws/a.txt"), 0);
	check(t, "allow read,write on the file ws/a.txt: read ws/secret.txt", &p2,
	      (struct op)R("ws/secret.txt"), EACCES);
}

static void test_write_carve(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"", WS, RD | WR, 0}, {"rw/keep.txt", WS, 0, WR}};
	struct cpb_policy p = POLICY(rules);
	const char *w = "deny write ws/rw/keep.txt in writable ws";
	char what[160];
#define W(s) (snprintf(what, sizeof what, "%s: %s", w, (s)), what)
	check(t, W("write ws/rw/f.txt"), &p, (struct op)OP(OP_WRITE, "ws/rw/f.txt"), 0);
	check(t, W("create ws/sub/new"), &p, (struct op)OP(OP_CREATE, "ws/sub/new"), 0);
	check(t, W("unlink ws/sub/b.txt"), &p, (struct op)OP(OP_UNLINK, "ws/sub/b.txt"), 0);
	check(t, W("write ws/rw/keep.txt"), &p, (struct op)OP(OP_WRITE, "ws/rw/keep.txt"), EACCES);
	check(t, W("read ws/rw/keep.txt"), &p, (struct op)R("ws/rw/keep.txt"), 0);
	check(t, W("truncate ws/rw/keep.txt"), &p, (struct op)OP(OP_TRUNCATE, "ws/rw/keep.txt"),
	      t->kabi >= 3 ? EACCES : 0);
	check(t, W("unlink ws/rw/keep.txt"), &p, (struct op)OP(OP_UNLINK, "ws/rw/keep.txt"), EACCES);
	check(t, W("delete and re-create ws/rw/keep.txt"), &p,
	      (struct op)OP(OP_UNLINK_CREATE, "ws/rw/keep.txt"), EACCES);
	check(t, W("rename ws/rw/keep.txt to ws/rw/moved"), &p,
	      (struct op)OP2(OP_RENAME, "ws/rw/keep.txt", "ws/rw/moved"), EACCES);
	check(t, W("rename ws/rw/f.txt over ws/rw/keep.txt"), &p,
	      (struct op)OP2(OP_RENAME, "ws/rw/f.txt", "ws/rw/keep.txt"), EACCES);
	check(t, W("hard link it to ws/sub/hl and write it"), &p,
	      (struct op)OP2(OP_LINK_WRITE, "ws/rw/keep.txt", "ws/sub/hl"), ANYFAIL);
	check(t, W("rename it into ws/sub"), &p,
	      (struct op)OP2(OP_RENAME, "ws/rw/keep.txt", "ws/sub/keep.txt"), ANYFAIL);
	check(t, W("create ws/rw/new (the parent is on the way, documented)"), &p,
	      (struct op)OP(OP_CREATE, "ws/rw/new"), EACCES);
	check(t, W("create ws/new (on the way too, documented)"), &p,
	      (struct op)OP(OP_CREATE, "ws/new"), EACCES);
#undef W

	static struct cpb_fs_rule d[] = {{"", WS, RD | WR, 0}, {"rw", WS, 0, WR}};
	struct cpb_policy p2 = POLICY(d);
	check(t, "deny write ws/rw: create ws/rw/new", &p2, (struct op)OP(OP_CREATE, "ws/rw/new"),
	      EACCES);
	check(t, "deny write ws/rw: write ws/rw/f.txt", &p2, (struct op)OP(OP_WRITE, "ws/rw/f.txt"),
	      EACCES);
	check(t, "deny write ws/rw: rename ws/rw to ws/rw2", &p2,
	      (struct op)OP2(OP_RENAME, "ws/rw", "ws/rw2"), EACCES);
	check(t, "deny write ws/rw: write ws/sub/b.txt", &p2, (struct op)OP(OP_WRITE, "ws/sub/b.txt"),
	      0);
	check(t, "deny write ws/rw: mkdir ws/sub/d", &p2, (struct op)OP(OP_MKDIR, "ws/sub/d"), 0);
}

static void test_multi_deny(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {
		{"", WS, RD | WR, 0}, {"secret.txt", WS, 0, RD}, {"sub/deep", WS, 0, WR}};
	struct cpb_policy p = POLICY(rules);
	const char *w = "deny read ws/secret.txt, deny write ws/sub/deep";
	char what[160];
#define W(s) (snprintf(what, sizeof what, "%s: %s", w, (s)), what)
	check(t, W("read ws/secret.txt"), &p, (struct op)R("ws/secret.txt"), EACCES);
	check(t, W("write ws/secret.txt"), &p, (struct op)OP(OP_WRITE, "ws/secret.txt"), 0);
	check(t, W("read ws/sub/deep/c.txt"), &p, (struct op)R("ws/sub/deep/c.txt"), 0);
	check(t, W("write ws/sub/deep/c.txt"), &p, (struct op)OP(OP_WRITE, "ws/sub/deep/c.txt"),
	      EACCES);
	check(t, W("create ws/sub/deep/new"), &p, (struct op)OP(OP_CREATE, "ws/sub/deep/new"),
	      EACCES);
	check(t, W("write ws/sub/b.txt"), &p, (struct op)OP(OP_WRITE, "ws/sub/b.txt"), 0);
	check(t, W("write ws/a.txt"), &p, (struct op)OP(OP_WRITE, "ws/a.txt"), 0);
	check(t, W("read ws/a.txt"), &p, (struct op)R("ws/a.txt"), 0);
#undef W
}

static void test_exec(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {
		{"/usr/lib", CPB_BASE_ROOT, RD | EX, 0},  {"/lib", CPB_BASE_ROOT, RD | EX, 0},
		{"/lib64", CPB_BASE_ROOT, RD | EX, 0},    {"/etc/ld.so.cache", CPB_BASE_ROOT, RD, 0},
		{"/usr/lib64", CPB_BASE_ROOT, RD | EX, 0}, {"bin", WS, RD | EX, 0},
		{"noexec", WS, RD, 0}};
	struct cpb_policy p = POLICY(rules);
	check(t, "allow exec ws/bin: exec ws/bin/true", &p, (struct op)OP(OP_EXEC, "ws/bin/true"), 0);
	check(t, "allow read ws/noexec: exec ws/noexec/true", &p,
	      (struct op)OP(OP_EXEC, "ws/noexec/true"), EACCES);

	static struct cpb_fs_rule carve[] = {
		{"/usr/lib", CPB_BASE_ROOT, RD | EX, 0},  {"/lib", CPB_BASE_ROOT, RD | EX, 0},
		{"/lib64", CPB_BASE_ROOT, RD | EX, 0},    {"/etc/ld.so.cache", CPB_BASE_ROOT, RD, 0},
		{"/usr/lib64", CPB_BASE_ROOT, RD | EX, 0}, {"", WS, RD | EX, 0},
		{"noexec", WS, 0, EX}};
	struct cpb_policy p2 = POLICY(carve);
	check(t, "allow exec ws, deny exec ws/noexec: exec ws/bin/true", &p2,
	      (struct op)OP(OP_EXEC, "ws/bin/true"), 0);
	check(t, "allow exec ws, deny exec ws/noexec: exec ws/noexec/true", &p2,
	      (struct op)OP(OP_EXEC, "ws/noexec/true"), EACCES);
	check(t, "allow exec ws, deny exec ws/noexec: read ws/noexec/true", &p2,
	      (struct op)R("ws/noexec/true"), 0);
}

static void test_symlinks(const struct t *t)
{
	/* the carve-out makes the expansion walk ws/links, which holds symlinks
	 * to outside/secret (fl) and outside (dl) */
	static struct cpb_fs_rule rules[] = {{"", WS, RD | WR, 0}, {"links/hidden.txt", WS, 0, RD}};
	struct cpb_policy p = POLICY(rules);
	const char *w = "deny read ws/links/hidden.txt";
	char what[160];
#define W(s) (snprintf(what, sizeof what, "%s: %s", w, (s)), what)
	check(t, W("read ws/links/hidden.txt"), &p, (struct op)R("ws/links/hidden.txt"), EACCES);
	check(t, W("read ws/links/ok.txt"), &p, (struct op)R("ws/links/ok.txt"), 0);
	check(t, W("read ws/links/fl (-> outside/secret)"), &p, (struct op)R("ws/links/fl"), EACCES);
	check(t, W("read ws/links/dl/secret (dl -> outside)"), &p,
	      (struct op)R("ws/links/dl/secret"), EACCES);
	check(t, W("read outside/secret (the link's target got no grant)"), &p,
	      (struct op)R("outside/secret"), EACCES);
	check(t, W("write outside/secret"), &p, (struct op)OP(OP_WRITE, "outside/secret"), EACCES);
	check(t, W("list outside"), &p, (struct op)OP(OP_LIST, "outside"), EACCES);
#undef W
}

static void test_links_renames(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"", WS, RD | WR, 0}, {"secret.txt", WS, 0, RD}};
	struct cpb_policy p = POLICY(rules);
	check(t, "writable ws: hard link outside/secret into ws/rw", &p,
	      (struct op)OP2(OP_LINK, "outside/secret", "ws/rw/hl"), EXDEV);
	check(t, "writable ws: hard link outside/secret into ws/rw and read it", &p,
	      (struct op)OP2(OP_LINK_READ, "outside/secret", "ws/rw/hl"), ANYFAIL);
	check(t, "deny read ws/secret.txt: hard link it to ws/sub/hl and read it", &p,
	      (struct op)OP2(OP_LINK_READ, "ws/secret.txt", "ws/sub/hl"), ANYFAIL);
	check(t, "deny read ws/secret.txt: rename it into ws/sub", &p,
	      (struct op)OP2(OP_RENAME, "ws/secret.txt", "ws/sub/stolen"), EXDEV);
	check(t, "deny read ws/secret.txt: rename it into ws/sub and read it", &p,
	      (struct op)OP2(OP_RENAME_READ, "ws/secret.txt", "ws/sub/stolen"), ANYFAIL);
	check(t, "deny read ws/secret.txt: rename it within ws and read it", &p,
	      (struct op)OP2(OP_RENAME_READ, "ws/secret.txt", "ws/renamed"), ANYFAIL);
	check(t, "deny read ws/secret.txt: rename ws/a.txt into ws/sub", &p,
	      (struct op)OP2(OP_RENAME, "ws/a.txt", "ws/sub/a.txt"), 0);
}

static void test_missing(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"", WS, RD, 0},
					     {"nope", WS, RD, 0},
					     {"a.txt/under-a-file", WS, RD, 0},
					     {"nothere", WS, 0, RD},
					     {"sub/nothere", WS, 0, WR}};
	struct cpb_policy p = POLICY(rules);
	fresh_tree(t);
	struct ll_result r;
	if (build(t, &p, 0, &r) == 0) {
		char sum[512];
		ll_missing_summary(&r, sum, sizeof sum);
		bool w1 = r.nmissing == 2 && strstr(sum, "2 allowed paths do not exist and were "
							 "skipped: ") &&
			  strstr(sum, "/ws/nope, ") && strstr(sum, "/ws/a.txt/under-a-file") &&
			  !strstr(sum, "more");
		tap_ok(w1, "missing allowed paths (ENOENT, ENOTDIR): one summary (%s)", sum);
		tap_ok(r.nrules == 1, "missing denied paths carve nothing: %zu rule", r.nrules);
		ll_result_free(&r);
	} else {
		tap_ok(0, "missing paths: ruleset built");
		tap_ok(0, "missing paths: rules");
	}
	/* many: counted, the first few named, one line */
	static struct cpb_fs_rule many[] = {{"", WS, RD, 0},      {"m1", WS, RD, 0},
					    {"m2", WS, RD, 0},    {"m3", WS, RD, 0},
					    {"m4", WS, RD | EX, 0}, {"m5", WS, RD, 0}};
	struct cpb_policy pm = POLICY(many);
	if (build(t, &pm, 0, &r) == 0) {
		char sum[512];
		ll_missing_summary(&r, sum, sizeof sum);
		tap_ok(r.nmissing == 5 && strstr(sum, "5 allowed paths do not exist") &&
			       strstr(sum, "/ws/m3 and 2 more") && !strstr(sum, "/ws/m4") &&
			       !strchr(sum, '\n'),
		       "5 missing allowed paths: one line naming the first %d (%s)",
		       LL_MISSING_SHOWN, sum);
		ll_result_free(&r);
	} else {
		tap_ok(0, "many missing paths: ruleset built");
	}
	{
		struct ll_result one = {.ruleset_fd = -1, .nmissing = 1};
		char name[] = "/usr/share/nodejs", sum[256];
		one.missing[0] = name;
		ll_missing_summary(&one, sum, sizeof sum);
		tap_ok(strcmp(sum, "1 allowed path does not exist and was skipped: "
				   "/usr/share/nodejs") == 0,
		       "one missing allowed path: singular (%s)", sum);
		struct ll_result none = {.ruleset_fd = -1};
		ll_missing_summary(&none, sum, sizeof sum);
		tap_ok(sum[0] == '\0', "no missing path: no summary");
	}
	check(t, "with missing paths: read ws/a.txt", &p, (struct op)R("ws/a.txt"), 0);
	check(t, "with missing paths: read outside/secret", &p, (struct op)R("outside/secret"),
	      EACCES);
}

static void test_errors(const struct t *t)
{
	char loop[256], err[512];
	struct ll_result r;
	snprintf(loop, sizeof loop, "%s/loop", t->root);
	struct cpb_fs_rule rules[] = {{loop, CPB_BASE_ROOT, RD, 0}};
	struct cpb_policy p = POLICY(rules);
	int rc = ll_build(&p, &t->paths, 0, &r, err, sizeof err);
	tap_ok(rc < 0 && strstr(err, "cannot open ") && strstr(err, "/loop: Too many levels") &&
		       r.ruleset_fd == -1 && r.nmissing == 0 && r.missing[0] == NULL &&
		       r.abi == (t->kabi > CORDON_LL_MAX_ABI ? CORDON_LL_MAX_ABI : t->kabi),
	       "allowed symlink loop: error (%s), the result still tells abi %u",
	       rc < 0 ? err : "built", r.abi);
	if (rc == 0)
		ll_result_free(&r);

	struct cpb_fs_rule drules[] = {{"", WS, RD, 0}, {loop, CPB_BASE_ROOT, 0, RD}};
	struct cpb_policy p2 = POLICY(drules);
	rc = ll_build(&p2, &t->paths, 0, &r, err, sizeof err);
	tap_ok(rc < 0 && strstr(err, "Too many levels"), "denied symlink loop: error (%s)",
	       rc < 0 ? err : "built");
	if (rc == 0)
		ll_result_free(&r);

	static struct cpb_fs_rule home[] = {{"x", CPB_BASE_HOME, RD, 0}};
	struct cpb_policy p3 = POLICY(home);
	struct ll_paths none = {NULL, NULL, NULL};
	rc = ll_build(&p3, &none, 0, &r, err, sizeof err);
	tap_ok(rc < 0 && strstr(err, "${HOME}"), "no home directory: error (%s)",
	       rc < 0 ? err : "built");
	if (rc == 0)
		ll_result_free(&r);

	static struct cpb_fs_rule rel[] = {{"relative", CPB_BASE_ROOT, RD, 0}};
	struct cpb_policy p4 = POLICY(rel);
	rc = ll_build(&p4, &t->paths, 0, &r, err, sizeof err);
	tap_ok(rc < 0 && strstr(err, "not an absolute path"), "relative root path: error (%s)",
	       rc < 0 ? err : "built");
	if (rc == 0)
		ll_result_free(&r);

	struct cpb_policy empty = {.handled_fs = 0};
	rc = ll_build(&empty, &t->paths, 0, &r, err, sizeof err);
	tap_ok(rc < 0 && strstr(err, "handles no right"), "nothing handled: error (%s)",
	       rc < 0 ? err : "built");
	if (rc == 0)
		ll_result_free(&r);

	if (geteuid() == 0) {
		tap_diag("root: permission errors not tested (run as 65534 for those)");
		return;
	}
	/* unprivileged: an unsearchable directory, and one on the way to a deny
	 * that can be searched but not listed */
	char locked[256], opaque[256];
	snprintf(locked, sizeof locked, "%s/locked", t->root);
	snprintf(opaque, sizeof opaque, "%s/ws/sub", t->root);
	fresh_tree(t);
	if (mkdir(locked, 0) < 0)
		bail(locked);
	static struct cpb_fs_rule lk[] = {{"../locked/x", WS, RD, 0}};
	struct cpb_policy p5 = POLICY(lk);
	rc = ll_build(&p5, &t->paths, 0, &r, err, sizeof err);
	tap_ok(rc < 0 && strstr(err, "cannot open ") && strstr(err, "/locked/x: Permission denied"),
	       "unsearchable allowed path: error (%s)", rc < 0 ? err : "built");
	if (rc == 0)
		ll_result_free(&r);
	rmdir(locked);

	if (chmod(opaque, 0311) < 0)
		bail(opaque);
	static struct cpb_fs_rule op[] = {{"", WS, RD, 0}, {"sub/b.txt", WS, 0, RD}};
	struct cpb_policy p6 = POLICY(op);
	rc = ll_build(&p6, &t->paths, 0, &r, err, sizeof err);
	tap_ok(rc < 0 && strstr(err, "cannot list ") && strstr(err, "/ws/sub: Permission denied"),
	       "unlistable directory on the way to a deny: error (%s)", rc < 0 ? err : "built");
	if (rc == 0)
		ll_result_free(&r);
	chmod(opaque, 0755);
}

static void test_abi_override(const struct t *t)
{
	static struct cpb_fs_rule rules[] = {{"", WS, RD, 0}};
	struct cpb_policy p = POLICY(rules);
	p.features |= CPB_FEAT_SCOPE_SIGNAL;
	p.scoped = CORDON_LL_SCOPE_SIGNAL;
	struct ll_result r;
	char b1[128];

	fresh_tree(t);
	if (t->kabi >= 3 && build(t, &p, 3, &r) == 0) {
		tap_ok(r.abi == 3 && r.missing_features == CPB_FEAT_SCOPE_SIGNAL,
		       "abi_override 3: abi %u, missing %#x (signal scoping)", r.abi,
		       r.missing_features);
		ll_result_free(&r);
	} else {
		tap_ok(0, "abi_override 3: ruleset built (kernel ABI %u)", t->kabi);
	}
	check_ex(t, "abi_override 3: read ws/a.txt", &p, 3, (struct op)R("ws/a.txt"), 0, NULL);
	check_ex(t, "abi_override 3: read outside/secret", &p, 3, (struct op)R("outside/secret"),
		 EACCES, NULL);
	check_ex(t, "abi_override 3: signal the parent (not scoped)", &p, 3,
		 (struct op)OP(OP_KILL_PARENT, NULL), 0, NULL);
	if (t->kabi >= 6)
		check(t, "kernel ABI: signal the parent (scoped)", &p,
		      (struct op)OP(OP_KILL_PARENT, NULL), EPERM);

	/* ABI 1: REFER is not handled, so renames across directories are denied */
	static struct cpb_fs_rule wrules[] = {{"", WS, RD | WR, 0}};
	struct cpb_policy pw = POLICY(wrules);
	check_ex(t, "abi_override 1: rename ws/rw/f.txt into ws/sub", &pw, 1,
		 (struct op)OP2(OP_RENAME, "ws/rw/f.txt", "ws/sub/f.txt"), EXDEV, NULL);
	check_ex(t, "abi_override 1: rename ws/rw/f.txt within ws/rw", &pw, 1,
		 (struct op)OP2(OP_RENAME, "ws/rw/f.txt", "ws/rw/g.txt"), 0, NULL);
	check(t, "kernel ABI: rename ws/rw/f.txt into ws/sub", &pw,
	      (struct op)OP2(OP_RENAME, "ws/rw/f.txt", "ws/sub/f.txt"), 0);
	/* ABI 1 has no truncate right: a read-only file can be truncated */
	fresh_tree(t);
	if (build(t, &p, 1, &r) == 0) {
		tap_ok(r.abi == 1 && r.missing_features == (CPB_FEAT_TRUNCATE | CPB_FEAT_SCOPE_SIGNAL),
		       "abi_override 1: missing %#x (truncate, signal scoping)", r.missing_features);
		struct op o = OP(OP_TRUNCATE, "ws/ro/r.txt");
		struct res got = run(t, &o, r.ruleset_fd);
		tap_ok(got.step == 0, "abi_override 1: truncate of read-only ws/ro/r.txt is not "
				      "controlled (got %s)",
		       show(got, b1, sizeof b1));
		ll_result_free(&r);
	} else {
		tap_ok(0, "abi_override 1: ruleset built");
		tap_ok(0, "abi_override 1: truncate");
	}
}

/* A listener on 127.0.0.1, any free port. */
static int listener(unsigned *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		bail("listener");
	*port = ntohs(sa.sin_port);
	return fd;
}

static void test_net(const struct t *t)
{
	if (t->kabi < 4) {
		tap_diag("kernel ABI %u < 4: TCP rules not tested", t->kabi);
		return;
	}
	unsigned pa, pb, pc;
	int la = listener(&pa), lb = listener(&pb), lc = listener(&pc);
	close(lc); /* pc: a port that was free a moment ago */
	struct cpb_net_rule net[] = {{CPB_NET_CONNECT, CPB_PROTO_TCP, (uint16_t)pa, (uint16_t)pa},
				     {CPB_NET_BIND, CPB_PROTO_TCP, 0, 0}};
	struct cpb_policy p = {.net = net, .nnet = 2, .handled_fs = CORDON_LL_FS_ALL,
			       .handled_net = CORDON_LL_NET_BIND_TCP | CORDON_LL_NET_CONNECT_TCP,
			       .features = CPB_FEAT_FS | CPB_FEAT_NET_TCP};
	char what[128];
	snprintf(what, sizeof what, "net connect tcp %u: connect to port %u", pa, pa);
	check(t, what, &p, (struct op){OP_CONNECT, NULL, NULL, pa}, 0);
	snprintf(what, sizeof what, "net connect tcp %u: connect to port %u", pa, pb);
	check(t, what, &p, (struct op){OP_CONNECT, NULL, NULL, pb}, EACCES);
	check(t, "net bind tcp 0: bind port 0", &p, (struct op){OP_BIND, NULL, NULL, 0}, 0);
	snprintf(what, sizeof what, "net bind tcp 0: bind port %u", pc);
	check(t, what, &p, (struct op){OP_BIND, NULL, NULL, pc}, EACCES);

	struct ll_result r;
	if (build(t, &p, 0, &r) == 0) {
		tap_ok(r.nrules == 2, "two port rules: %zu", r.nrules);
		ll_result_free(&r);
	} else {
		tap_ok(0, "port rules: ruleset built");
	}
	if (build(t, &p, 3, &r) == 0) {
		tap_ok(r.nrules == 0 && r.missing_features == CPB_FEAT_NET_TCP,
		       "abi_override 3: no port rule (%zu), missing %#x", r.nrules,
		       r.missing_features);
		ll_result_free(&r);
	} else {
		tap_ok(0, "abi_override 3 with net rules: ruleset built");
	}
	check_ex(t, "abi_override 3: connect to an unlisted port (TCP not handled)", &p, 3,
		 (struct op){OP_CONNECT, NULL, NULL, pb}, 0, NULL);

	/* ranges: one rule per port, overlaps merged */
	struct cpb_net_rule ranges[] = {{CPB_NET_CONNECT, CPB_PROTO_TCP, 1000, 1009},
					{CPB_NET_CONNECT, CPB_PROTO_TCP, 1005, 1014},
					{CPB_NET_BIND, CPB_PROTO_TCP, 65530, 65535}};
	struct cpb_policy p2 = p;
	p2.net = ranges;
	p2.nnet = 3;
	if (build(t, &p2, 0, &r) == 0) {
		tap_ok(r.nrules == 21, "ranges 1000-1009, 1005-1014, 65530-65535: %zu rules (21)",
		       r.nrules);
		ll_result_free(&r);
	} else {
		tap_ok(0, "port ranges: ruleset built");
	}
	close(la);
	close(lb);
}

/* A deny in a directory of LL_MAX_FS_RULES + 1 entries: the build must fail. */
static void test_cap(const struct t *t)
{
	char big[128], name[160];
	const char *where = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(big, sizeof big, "%s/cordon-ll-big-XXXXXX", where);
	if (!mkdtemp(big))
		bail(big);
	int dfd = open(big, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		bail(big);
	for (int i = 0; i <= LL_MAX_FS_RULES; i++) {
		snprintf(name, sizeof name, "f%d", i);
		if (mknodat(dfd, name, S_IFREG | 0644, 0) < 0)
			bail(name);
	}
	close(dfd);
	snprintf(name, sizeof name, "%s/f0", big);
	struct cpb_fs_rule rules[] = {{big, CPB_BASE_ROOT, RD, 0}, {name, CPB_BASE_ROOT, 0, RD}};
	struct cpb_policy p = POLICY(rules);
	struct ll_result r;
	char err[512];
	int rc = ll_build(&p, &t->paths, 0, &r, err, sizeof err);
	tap_ok(rc < 0 && strstr(err, "deny carve-out under ") && strstr(err, big) &&
		       strstr(err, "needs more than 100000 rules") && r.ruleset_fd == -1,
	       "carve-out among %d entries: error (%s)", LL_MAX_FS_RULES + 1,
	       rc < 0 ? err : "built");
	if (rc == 0)
		ll_result_free(&r);
	/* one entry fewer fits */
	snprintf(name, sizeof name, "%s/f1", big);
	unlink(name);
	snprintf(name, sizeof name, "%s/f0", big);
	rc = ll_build(&p, &t->paths, 0, &r, err, sizeof err);
	tap_ok(rc == 0 && r.nrules == LL_MAX_FS_RULES, "carve-out among %d entries: %zu rules",
	       LL_MAX_FS_RULES, rc == 0 ? r.nrules : 0);
	if (rc == 0)
		ll_result_free(&r);
	rm_rf(big);
}

int main(void)
{
	struct t t = {.kabi = ll_kernel_abi()};
	if (t.kabi == 0)
		tap_skip_all("no Landlock on this kernel");
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(t.root, sizeof t.root, "/tmp/cordon-ll-XXXXXX");
	if (!mkdtemp(t.root))
		bail("mkdtemp");
	snprintf(t.ws, sizeof t.ws, "%s/ws", t.root);
	snprintf(t.home, sizeof t.home, "%s/ws/sub", t.root);
	snprintf(t.tmpdir, sizeof t.tmpdir, "%s/ws/rw", t.root);
	t.paths = (struct ll_paths){t.home, t.tmpdir, t.ws};
	char loop[128];
	snprintf(loop, sizeof loop, "%s/loop", t.root);
	if (symlink(loop, loop) < 0)
		bail(loop);
	tap_diag("kernel Landlock ABI %u, uid %u, tree %s", t.kabi, (unsigned)geteuid(), t.root);

	test_basic(&t);
	test_bases(&t);
	test_file_carve(&t);
	test_late_entry(&t);
	test_dir_carve(&t);
	test_ancestor_deny(&t);
	test_readonly(&t);
	test_write_carve(&t);
	test_multi_deny(&t);
	test_exec(&t);
	test_symlinks(&t);
	test_links_renames(&t);
	test_missing(&t);
	test_errors(&t);
	test_abi_override(&t);
	test_net(&t);
	test_cap(&t);

	rm_rf(t.root);
	return tap_done();
}
