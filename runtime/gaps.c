/* What a run cannot enforce (see gaps.h). */
#include "gaps.h"

#include "cg_advice.h"

#include <stdio.h>
#include <unistd.h>

static void gap(struct gaps *g, const char *fmt, const char *a, unsigned x, unsigned y)
{
	if (g->n >= GAPS_MAX)
		return;
	snprintf(g->text[g->n], sizeof g->text[g->n], fmt, a, x, y);
	g->item[g->n] = g->text[g->n];
	g->n++;
	g->item[g->n] = NULL;
}

void gaps_add(struct gaps *g, const char *text)
{
	gap(g, "%s", text, 0, 0);
}

void find_gaps(uint32_t missing_features, unsigned abi, uint32_t present,
	       const char *no_cgroup, struct gaps *g)
{
	for (unsigned b = 0; b < CPB_FEAT_COUNT; b++)
		if (missing_features & (1U << b))
			gap(g, "%s (needs Landlock ABI %u; this kernel has %u)",
			    cpb_feature_name(b), cpb_feature_abi(b), abi);
	g->cg_from = g->cg_to = g->n;
	if (!no_cgroup)
		return;
	if (present & CPB_LIMIT_MEMORY)
		gap(g, "limit memory (no cgroup; best-effort sets RLIMIT_AS on each process and "
		       "polls the tree's memory (PSS) every 10 ms)%s", "", 0, 0);
	if (present & CPB_LIMIT_PIDS)
		gap(g, geteuid() == 0 ? "limit pids (no cgroup; RLIMIT_NPROC does not apply to "
					"root: not enforced)%s"
				      : "limit pids (no cgroup; best-effort sets RLIMIT_NPROC, "
					"which counts every process of uid %2$u, not only this tree)%1$s",
		    "", (unsigned)getuid(), 0);
	if (present & CPB_LIMIT_CPU)
		gap(g, "limit cpu (no cgroup: not enforced)%s", "", 0, 0);
	if (present & CPB_LIMIT_CPUTIME)
		gap(g, "limit cputime (no cgroup; best-effort sets RLIMIT_CPU on each process, "
		       "not the tree)%s", "", 0, 0);
	g->cg_to = g->n;
}

void gaps_refusal(const struct gaps *g, uint32_t present, const char *no_cgroup, char *err,
		  size_t errlen)
{
	/* the gaps a missing cgroup made are said in short, with what works
	 * on this host (cg_advice.c); the others one by one */
	size_t others = g->n - (g->cg_to - g->cg_from), used = 0;
	err[0] = '\0';
	if (others) {
		used = (size_t)snprintf(err, errlen, "this system cannot enforce all of the policy: ");
		for (size_t i = 0, k = 0; i < g->n && used < errlen; i++)
			if (i < g->cg_from || i >= g->cg_to)
				used += (size_t)snprintf(err + used, errlen - used, "%s%s",
							 k++ ? "; " : "", g->item[i]);
		if (used < errlen)
			used += (size_t)snprintf(err + used, errlen - used,
						 ". Run with --best-effort (or `enforce best-effort;`) "
						 "to run it anyway with what can be enforced%s",
						 no_cgroup ? ". Also: " : "");
	}
	if (no_cgroup && used < errlen)
		cg_refusal(present, no_cgroup, err + used, errlen - used);
}
