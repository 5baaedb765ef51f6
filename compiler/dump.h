/* `cordonc --dump`: a compiled policy in words. */
#ifndef CORDON_DUMP_H
#define CORDON_DUMP_H

#include <stdio.h>

#include "policy_load.h"

void dump_policy(FILE *out, const struct cpb_policy *p);
/* Layers of one run, outermost first (names: as given), each under a
 * heading, then what they make together. */
void dump_layers(FILE *out, const struct cpb_policy *p, const char *const *names,
		 size_t n);

#endif
