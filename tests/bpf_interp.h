/* A user-space classic-BPF interpreter that runs seccomp filters on synthetic seccomp_data. */
#ifndef CORDON_BPF_INTERP_H
#define CORDON_BPF_INTERP_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/*
 * Runs prog on data like the kernel would. Returns 0 and sets *ret to the
 * program's return value, or -1 with *err set to a static message if the
 * program is invalid at run time (unknown opcode, out-of-range jump, load or
 * memory index, division by zero, falling off the end, more than n steps).
 */
int bpf_interp_run(const struct sock_filter *prog, size_t n,
		   const struct seccomp_data *data, uint32_t *ret, const char **err);

#endif
