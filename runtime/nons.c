/* What the namespace layer holds, held where no namespace can be had (see
 * nons.h). */
#include "nons.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mount_guard.h"

struct ns_probe {
	bool sys_admin;
	volatile int ok;
};

static int ns_probe_child(void *arg)
{
	struct ns_probe *p = arg;
	p->ok = unshare(p->sys_admin ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS) == 0;
	_exit(0);
}

bool nons_needed(bool sys_admin)
{
	if (!mg_available(sys_admin))
		return true;
	/* a seccomp filter above cordon (a container's profile, an outer
	 * cordon) may refuse unshare whatever the sysctls say: a child of
	 * ours tries it (its namespaces die with it) */
	if (!nt_filtered())
		return false;
	static const size_t stack_size = 16 * 1024;
	char *stack = __builtin_alloca(stack_size + 16);
	stack = (char *)(((uintptr_t)stack + 15) & ~(uintptr_t)15);
	struct ns_probe p = {sys_admin, 0};
	pid_t pid = clone(ns_probe_child, stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &p);
	if (pid < 0)
		return true;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return !p.ok;
}

/* Whether the command may write /dev/shm (then the sweep is on). */
static bool shm_writable(struct write_trees *t)
{
	int fd = openat(AT_FDCWD, SHM_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool w = wt_contains(t, fd, NULL) == 1;
	close(fd);
	return w;
}

int nons_plan(struct nons *s, bool on, const struct cpb_policy *const *layers,
	      unsigned nlayers, const struct ll_paths *paths, struct nt_plan *n, char *err,
	      size_t errlen)
{
	*s = (struct nons){.on = on};
	if (!on)
		return 0;
	if (wt_plan(&s->trees, layers, nlayers, paths, err, errlen) != 0)
		return -1;
	if (meta_init(&s->meta, &s->trees) != 0 || nf_build(&s->filter, n->listener) != 0) {
		snprintf(err, errlen, "cannot build the seccomp program for running without "
			 "namespaces: %s", errno ? strerror(errno) : "too long (a cordon bug)");
		nons_free(s);
		return -1;
	}
	if (shm_plan(&s->shm, shm_writable(&s->trees), err, errlen) != 0) {
		nons_free(s);
		return -1;
	}
	n->extra = &s->filter.prog;
	n->meta = n->listener ? &s->meta : NULL;
	return 0;
}

const char *nons_gap(const struct nons *s, const struct nt_plan *n)
{
	if (s->on && !n->listener)
		return "chmod, chown, utimes and xattrs of files outside the writable trees (no "
		       "mount namespace, and no seccomp listener: a filter above cordon has one)";
	return NULL;
}

void nons_finish(struct nons *s)
{
	if (s->on)
		shm_sweep(&s->shm);
}

void nons_free(struct nons *s)
{
	if (!s->on)
		return;
	shm_free(&s->shm);
	meta_free(&s->meta);
	wt_free(&s->trees);
	s->on = false;
}
