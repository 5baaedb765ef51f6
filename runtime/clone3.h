/* clone3(2) with a function to run on a stack of our own, as glibc's
 * clone() does for clone(2): needed for CLONE_VM | CLONE_VFORK together with
 * CLONE_INTO_CGROUP, which only clone3 has.  x86_64 only; elsewhere it
 * returns -ENOSYS and the caller falls back to clone() and cgroup.procs. */
#ifndef CORDON_CLONE3_H
#define CORDON_CLONE3_H

#include <stddef.h>
#include <stdint.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* struct clone_args of Linux 5.7 (CLONE_ARGS_SIZE_VER2) */
struct cordon_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
		set_tid, set_tid_size, cgroup;
};

/* Returns the child's pid to the parent, or -errno; the child runs fn(arg)
 * on args->stack and exits with its return value.  stack + stack_size
 * must be 16-byte aligned. */
long cordon_clone3(struct cordon_clone_args *args, size_t size, int (*fn)(void *), void *arg);

#endif
