/* Tests the namespace layer's plan and its API (runtime/ns_layer.c) on
 * policies written by hand over a temporary tree: which trees are writable
 * in the view when several layers must all allow it, which `deny write`
 * rules become read-only binds (and leave Landlock), what
 * ns_hold_readonly holds and pins, what ns_unplan gives back; then the
 * plan applied for real in a forked child (unshare with the plan's flags,
 * ns_apply), each attempt with a control in a child without it, which must
 * succeed.  Runs as root and as an unprivileged user (a user namespace). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "landlock_abi.h"
#include "ns_layer.h"
#include "tap.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define RD (CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR)
#define WR                                                                      \
	(CORDON_LL_FS_WRITE_FILE | CORDON_LL_FS_TRUNCATE | CORDON_LL_FS_REMOVE_FILE | \
	 CORDON_LL_FS_REMOVE_DIR | CORDON_LL_FS_MAKE_REG | CORDON_LL_FS_MAKE_DIR |   \
	 CORDON_LL_FS_MAKE_SYM | CORDON_LL_FS_REFER)

static char root[PATH_MAX];

/* root/rel, kept to the end (the rules point at it). */
static char names[64][PATH_MAX + 64];
static int nnames;
static const char *at(const char *rel)
{
	if (nnames == 64)
		exit(1);
	snprintf(names[nnames], sizeof names[nnames], "%s/%s", root, rel);
	return names[nnames++];
}

static void mkdirs(const char *rel)
{
	char p[PATH_MAX + 64];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static void touch(const char *rel)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}

static struct cpb_policy layer(struct cpb_fs_rule *rules, size_t n)
{
	struct cpb_policy p = {0};
	p.handled_fs = CORDON_LL_FS_ABI5;
	p.fs = malloc(n * sizeof *rules);
	memcpy(p.fs, rules, n * sizeof *rules);
	p.nfs = n;
	return p;
}

static bool listed(const struct ns_list *l, const char *rel)
{
	char canon[PATH_MAX];
	if (!realpath(at(rel), canon))
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].path, canon) == 0)
			return true;
	return false;
}

/* Runs what in a forked child, in the plan's namespaces when n is not
 * NULL: 0 when the call succeeded, else its errno (-1: the set-up failed). */
enum what { WRITE_NEW, WRITE_HELD, RENAME_WAY, WRITE_OUTSIDE, CHMOD_OUTSIDE };
static int attempt(const struct ns_plan *n, enum what what)
{
	pid_t pid = fork();
	if (pid == 0) {
		const char *where = "";
		if (n && (unshare(ns_clone_flags(n)) != 0 || ns_apply(n, &where) != 0))
			_exit(255);
		int r = 0;
		switch (what) {
		case WRITE_NEW: r = open(at("ws/new"), O_WRONLY | O_CREAT, 0644); break;
		case WRITE_HELD: r = open(at("ws/deep/x/held/f"), O_WRONLY | O_CREAT, 0644); break;
		case RENAME_WAY: r = rename(at("ws/deep"), at("ws/deep2")); break;
		case WRITE_OUTSIDE: r = open(at("out/f"), O_WRONLY | O_TRUNC); break;
		case CHMOD_OUTSIDE: r = chmod(at("out/f"), 0600); break;
		}
		_exit(r < 0 ? (errno & 0x7f) : 0);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st) == 255 ? -1 : WEXITSTATUS(st);
}

static int rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

int main(void)
{
	snprintf(root, sizeof root, "%s/cordon-test-ns-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	mkdirs("ws/sub");
	mkdirs("ws/a/b");
	mkdirs("ws/deep/x/held");
	mkdirs("ws/.git/hooks");
	mkdirs("other");
	mkdirs("out");
	touch("out/f");
	chmod(at("out/f"), 0644);
	struct ll_paths paths = {.home = NULL, .tmpdir = "/tmp", .workspace = at("ws")};
	char err[512];
	bool admin = geteuid() == 0;
	tap_plan(26);

	/* one layer: the workspace is the writable tree, the hooks a hold */
	struct cpb_fs_rule r1[] = {
		{at("ws"), CPB_BASE_ROOT, RD | WR, 0},
		{at("ws/.git/hooks"), CPB_BASE_ROOT, 0, WR},
	};
	struct cpb_policy p1 = layer(r1, 2), *one[] = {&p1};
	struct ns_plan n;
	int rc = ns_plan(&n, one, 1, &paths, NS_ALL, admin, err, sizeof err);
	tap_ok(rc == 0 && n.active, "one layer: namespaces (%s)", rc ? err : n.why);
	if (!n.active) {
		tap_diag("no namespaces here: %s", n.why);
		return 1;
	}
	tap_ok(n.view && n.wr.n == 1 && listed(&n.wr, "ws"), "... the workspace is the one writable tree");
	tap_ok(n.hold.n == 1 && listed(&n.hold, "ws/.git/hooks"), "... .git/hooks is a read-only bind");
	tap_ok(n.pin.n == 1 && listed(&n.pin, "ws/.git"), "... with .git pinned");
	tap_ok(p1.fs[1].deny == 0 && n.nmoved == 1, "... and its deny taken from Landlock");
	tap_ok(strcmp(ns_enforced(&n), "mount,ipc") == 0, "... the report says mount,ipc");

	/* the API: a path held the same way, the way to it pinned */
	tap_ok(ns_hold_readonly(&n, &p1, at("ws/deep/x/held")) == 1, "ns_hold_readonly in the workspace: held");
	tap_ok(listed(&n.hold, "ws/deep/x/held") && listed(&n.pin, "ws/deep") &&
		       listed(&n.pin, "ws/deep/x"),
	       "... a read-only bind, ws/deep and ws/deep/x pinned");
	tap_ok(ns_hold_readonly(&n, &p1, at("out/f")) == 1 && !listed(&n.hold, "out/f"),
	       "... outside every writable tree: held by the view, no bind");
	errno = 0;
	tap_ok(ns_hold_readonly(&n, &p1, at("ws/nothere")) == -1 && errno == ENOENT,
	       "... a path that does not exist: -1, ENOENT");

	/* the plan applied, each attempt with its control */
	tap_ok(attempt(NULL, WRITE_NEW) == 0, "control: a new file in the workspace");
	unlink(at("ws/new"));
	tap_ok(attempt(&n, WRITE_NEW) == 0, "in the view: a new file in the workspace");
	tap_ok(attempt(NULL, WRITE_HELD) == 0, "control: a file in the held directory");
	unlink(at("ws/deep/x/held/f"));
	tap_ok(attempt(&n, WRITE_HELD) == EROFS, "in the view: the held directory is read-only (EROFS)");
	tap_ok(attempt(NULL, RENAME_WAY) == 0, "control: rename a directory on the way");
	rename(at("ws/deep2"), at("ws/deep"));
	tap_ok(attempt(&n, RENAME_WAY) == EBUSY, "in the view: it is pinned (EBUSY)");
	tap_ok(attempt(NULL, WRITE_OUTSIDE) == 0 && attempt(NULL, CHMOD_OUTSIDE) == 0,
	       "control: write and chmod a file outside the writable tree");
	chmod(at("out/f"), 0644);
	tap_ok(attempt(&n, WRITE_OUTSIDE) == EROFS && attempt(&n, CHMOD_OUTSIDE) == EROFS,
	       "in the view: both fail with EROFS");
	struct stat st;
	tap_ok(stat(at("out/f"), &st) == 0 && (st.st_mode & 0777) == 0644, "... and the mode is unchanged");

	/* the last resort: everything back to Landlock */
	size_t before = p1.nfs;
	tap_ok(ns_unplan(&n, "test") == 0 && !n.active && ns_clone_flags(&n) == 0,
	       "ns_unplan: no namespaces");
	tap_ok(p1.fs[1].deny == WR, "... the moved deny is back");
	tap_ok(p1.nfs == before + 2 && (p1.fs[before].deny & WR) == (WR & p1.handled_fs) &&
		       strstr(p1.fs[before].path, "ws/deep/x/held"),
	       "... and what ns_hold_readonly held has a Landlock carve-out");
	free(p1.fs); /* before the plan whose strings its carve-outs name */
	p1.fs = NULL;
	ns_free(&n);

	/* two layers: writable only where both let the command write; a deny
	 * of one layer holds in the other's tree */
	struct cpb_fs_rule ra[] = {
		{at("ws"), CPB_BASE_ROOT, RD | WR, 0},
		{at("ws/a/b"), CPB_BASE_ROOT, RD | WR, 0},
	};
	struct cpb_fs_rule rb[] = {
		{at("ws"), CPB_BASE_ROOT, RD | WR, 0},
		{at("other"), CPB_BASE_ROOT, RD | WR, 0},
		{at("ws/a"), CPB_BASE_ROOT, 0, WR},
	};
	struct cpb_policy pa = layer(ra, 2), pb = layer(rb, 3), *two[] = {&pa, &pb};
	rc = ns_plan(&n, two, 2, &paths, NS_ALL, admin, err, sizeof err);
	tap_ok(rc == 0 && n.wr.n == 1 && listed(&n.wr, "ws"),
	       "two layers: only the workspace is writable (other: one layer only)");
	tap_ok(n.hold.n == 1 && listed(&n.hold, "ws/a"), "... the second layer's deny write ./a is a bind");
	tap_ok(!listed(&n.wr, "ws/a/b"), "... which the first layer's allow below it does not undo");
	ns_free(&n);

	/* --ns-layer none */
	struct cpb_policy p0 = layer(r1, 2), *zero[] = {&p0};
	rc = ns_plan(&n, zero, 1, &paths, 0, admin, err, sizeof err);
	tap_ok(rc == 0 && !n.active && strcmp(ns_enforced(&n), "none") == 0 &&
		       ns_hold_readonly(&n, &p0, at("ws")) == 0,
	       "no parts: no namespaces, and ns_hold_readonly says the caller must hold it");
	ns_free(&n);

	free(p0.fs);
	free(pa.fs);
	free(pb.fs);
	nftw(root, rm, 16, FTW_DEPTH | FTW_PHYS);
	return tap_failed ? 1 : 0;
}
