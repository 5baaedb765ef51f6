/* The x86_64 system call table: name -> number, sorted by name. */
#ifndef CORDON_SYSCALL_TABLE_H
#define CORDON_SYSCALL_TABLE_H

#include <stddef.h>

struct syscall_entry {
	const char *name;
	int nr;
};

extern const struct syscall_entry syscall_table[];
extern const size_t n_syscall_table;

#endif
