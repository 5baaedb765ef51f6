/* Disassembles a seccomp classic-BPF program into annotated text for `cordonc --dump`. */
#ifndef CORDON_BPF_DISASM_H
#define CORDON_BPF_DISASM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/filter.h>

/*
 * Writes one line per instruction to out. sysname(nr, arg) returns a syscall
 * name or NULL; it is used to annotate jeq/jgt/jge against the syscall
 * number. sysname may be NULL.
 */
void bpf_disasm(FILE *out, const struct sock_filter *prog, size_t n,
		const char *(*sysname)(uint32_t nr, void *arg), void *arg);

#endif
