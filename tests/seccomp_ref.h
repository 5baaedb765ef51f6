/* The reference seccomp generator (tests/seccomp_ref.c): cordonc's former
 * libseccomp-based generator, linked into tests/test_seccomp only, which
 * checks compiler/seccomp_gen.c's program against it. */
#ifndef CORDON_SECCOMP_REF_H
#define CORDON_SECCOMP_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/filter.h>

#include "compile.h"
#include "ir.h"

/* Like seccomp_generate(): a malloc'd program for ir, or false with a
 * message in c's diagnostics. */
bool seccomp_generate_ref(struct compile_ctx *c, const struct ir *ir,
			  struct sock_filter **prog, size_t *n);

#endif
