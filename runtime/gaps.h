/* What the kernel or this version of cordon cannot enforce of a policy:
 * Landlock features newer than the kernel's ABI, and the limits that need a
 * cgroup when there is none.  Strict refuses a run with gaps; best-effort
 * runs it and the report lists them in not_enforced. */
#ifndef CORDON_GAPS_H
#define CORDON_GAPS_H

#include <stddef.h>
#include <stdint.h>

#include "policy_load.h"

#define GAPS_MAX 16

struct gaps {
	const char *item[GAPS_MAX + 1]; /* NULL-terminated */
	char text[GAPS_MAX][160];
	size_t n;
	size_t cg_from, cg_to; /* the items that a missing cgroup made */
};

/* Adds the gaps of Landlock features missing (bits of CPB_FEAT_*, the ABI
 * used abi) and, when no_cgroup is not NULL (why there is no cgroup), of
 * the limits in present (CPB_LIMIT_*) that need one. */
void find_gaps(uint32_t missing_features, unsigned abi, uint32_t present,
	       const char *no_cgroup, struct gaps *g);

/* The strict refusal: the gaps, why there is no cgroup (or NULL: then the
 * limits in present (CPB_LIMIT_*) that need one are said with what works
 * on this host, cg_advice.c), and what to do. */
/* Adds one item (copied). */
void gaps_add(struct gaps *g, const char *text);

void gaps_refusal(const struct gaps *g, uint32_t present, const char *no_cgroup, char *err,
		  size_t errlen);

#endif
