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
