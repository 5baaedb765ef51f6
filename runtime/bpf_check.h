/* Validates a seccomp classic-BPF program the way the kernel does before installing it. */
#ifndef CORDON_BPF_CHECK_H
#define CORDON_BPF_CHECK_H

#include <stddef.h>
#include <linux/filter.h>

/*
 * Returns 0 if prog is a program the kernel's seccomp would accept (and so
 * always ends in a RET); otherwise -1 and writes a one-line reason, e.g.
 * "instruction 12: jump target 40 is past the end (program has 30
 * instructions)", into err (truncated to errlen; err may be NULL).
 */
int bpf_check(const struct sock_filter *prog, size_t n, char *err, size_t errlen);

#endif
