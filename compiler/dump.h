/* `cordonc --dump`: a compiled policy in words. */
#ifndef CORDON_DUMP_H
#define CORDON_DUMP_H

#include <stdio.h>

#include "policy_load.h"

void dump_policy(FILE *out, const struct cpb_policy *p);

#endif
