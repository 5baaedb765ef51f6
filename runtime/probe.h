/* `cordon probe`: what this kernel and this user can enforce. */
#ifndef CORDON_PROBE_H
#define CORDON_PROBE_H

#include <stdio.h>

int probe(FILE *out);

#endif
