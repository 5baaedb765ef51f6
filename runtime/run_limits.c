/* How a policy's limits reach the run (see run_limits.h). */
#include "run_limits.h"

#include <unistd.h>

void limits_for_cgroup(const struct cpb_limits *lim, struct cg_limits *cl)
{
	*cl = (struct cg_limits){
		.memory = lim->present & CPB_LIMIT_MEMORY ? lim->memory : 0,
		.pids = lim->present & CPB_LIMIT_PIDS ? lim->pids : 0,
		.cputime = lim->present & CPB_LIMIT_CPUTIME,
	};
	if (lim->present & CPB_LIMIT_CPU) {
		/* a share of one CPU over each 100 ms (the kernel's floor: 1 ms) */
		cl->cpu_period_us = 100000;
		cl->cpu_quota_us = (uint64_t)lim->cpu_milli * 100;
		if (cl->cpu_quota_us < 1000)
			cl->cpu_quota_us = 1000;
	}
}

static void rlim(bool *set, struct rlimit *r, rlim_t cur, rlim_t max)
{
	*set = true;
	r->rlim_cur = cur;
	r->rlim_max = max;
}

void limits_for_launch(const struct cpb_limits *lim, struct cg_run *cg, struct launch *l,
		       struct watch *w)
{
	uint32_t has = lim->present;
	if (has & CPB_LIMIT_FILES)
		rlim(&l->set_nofile, &l->nofile, lim->files, lim->files);
	if (has & CPB_LIMIT_FSIZE)
		rlim(&l->set_fsize, &l->fsize, lim->fsize, lim->fsize);
	if (has & CPB_LIMIT_TIME)
		l->time_limit_ms = lim->time_ms;
	if (cg && cg->n) {
		l->cg = cg;
		if (has & CPB_LIMIT_CPUTIME)
			l->cputime_limit_us = lim->cputime_ms * 1000;
		return;
	}
	/* best-effort without a cgroup (strict refused it) */
	if (has & CPB_LIMIT_CPUTIME)
		rlim(&l->set_cpu, &l->cpu, (lim->cputime_ms + 999) / 1000,
		     (lim->cputime_ms + 999) / 1000 + 1);
	if (has & CPB_LIMIT_MEMORY)
		rlim(&l->set_as, &l->as, lim->memory, lim->memory);
	if ((has & CPB_LIMIT_PIDS) && geteuid() != 0)
		rlim(&l->set_nproc, &l->nproc, lim->pids, lim->pids);
	/* ... and the tree's memory, polled */
	if (has & CPB_LIMIT_MEMORY) {
		w->mem = true;
		w->mem_limit = lim->memory;
		l->watch = w;
	}
}
