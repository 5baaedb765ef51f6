/*
 * Validates a seccomp classic-BPF program the way the kernel does before
 * installing it: bpf_check_classic() and check_load_and_stores() in
 * net/core/filter.c, then seccomp_check_filter() in kernel/seccomp.c.
 *
 * Deliberate points, checked against a live 6.18 kernel:
 *  - BPF_ALU|BPF_MOD is valid classic BPF but seccomp_check_filter() does not
 *    list it, so seccomp rejects it (EINVAL); so do we.
 *  - The kernel's check that scratch memory is written before it is read IS
 *    implemented (mem_init_check), with the kernel's exact (conservative)
 *    algorithm: a linear pass where the state after a jump is "all valid"
 *    (the fall-through instruction is only reachable as a jump target).
 *  - Like the kernel, jt/jf/k of instructions that do not use them are not
 *    checked, and the opcode must match exactly (no stray size/mode bits).
 */
#include "bpf_check.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/seccomp.h>

#define SECCOMP_DATA_SIZE ((uint32_t)sizeof(struct seccomp_data))

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The opcodes seccomp_check_filter() lets through, exactly. */
static int seccomp_opcode_ok(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_ALU | BPF_NEG:
	case BPF_JMP | BPF_JA:
		return 1;
	}
	if (BPF_CLASS(code) == BPF_ALU && (code & ~0xf8) == BPF_ALU) {
		switch (BPF_OP(code)) {
		case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_DIV:
		case BPF_AND: case BPF_OR: case BPF_XOR:
		case BPF_LSH: case BPF_RSH:
			return 1;
		}
		return 0;
	}
	if (BPF_CLASS(code) == BPF_JMP && (code & ~0xf8) == BPF_JMP) {
		switch (BPF_OP(code)) {
		case BPF_JEQ: case BPF_JGT: case BPF_JGE: case BPF_JSET:
			return 1;
		}
	}
	return 0;
}

static int is_mem_op(uint16_t code)
{
	return code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM) ||
	       code == BPF_ST || code == BPF_STX;
}

static int check_target(size_t pc, uint64_t target, size_t n, char *err, size_t errlen)
{
	if (target < n)
		return 0;
	return fail(err, errlen,
		    "instruction %zu: jump target %llu is past the end (program has %zu instructions)",
		    pc, (unsigned long long)target, n);
}

static int check_jumps(const struct sock_filter *f, size_t pc, size_t n,
		       char *err, size_t errlen)
{
	if (f->code == (BPF_JMP | BPF_JA))
		return check_target(pc, (uint64_t)pc + 1 + f->k, n, err, errlen);
	if (check_target(pc, (uint64_t)pc + 1 + f->jt, n, err, errlen))
		return -1;
	return check_target(pc, (uint64_t)pc + 1 + f->jf, n, err, errlen);
}

static int check_abs(const struct sock_filter *f, size_t pc, char *err, size_t errlen)
{
	if (f->k & 3)
		return fail(err, errlen,
			    "instruction %zu: load offset %u is not 4-byte aligned", pc, f->k);
	if (f->k >= SECCOMP_DATA_SIZE)
		return fail(err, errlen,
			    "instruction %zu: load offset %u is outside struct seccomp_data (%u bytes)",
			    pc, f->k, SECCOMP_DATA_SIZE);
	return 0;
}

static int check_alu_const(const struct sock_filter *f, size_t pc, char *err, size_t errlen)
{
	uint16_t op = BPF_OP(f->code);

	if (BPF_SRC(f->code) != BPF_K || op == BPF_NEG)
		return 0;
	if ((op == BPF_DIV || op == BPF_MOD) && f->k == 0)
		return fail(err, errlen, "instruction %zu: division by constant zero", pc);
	if ((op == BPF_LSH || op == BPF_RSH) && f->k >= 32)
		return fail(err, errlen,
			    "instruction %zu: shift by constant %u (must be below 32)", pc, f->k);
	return 0;
}

static int check_insn(const struct sock_filter *prog, size_t pc, size_t n,
		      char *err, size_t errlen)
{
	const struct sock_filter *f = &prog[pc];

	if (!seccomp_opcode_ok(f->code))
		return fail(err, errlen,
			    "instruction %zu: opcode 0x%04x is not allowed in a seccomp filter",
			    pc, f->code);
	if (BPF_CLASS(f->code) == BPF_JMP)
		return check_jumps(f, pc, n, err, errlen);
	if (BPF_CLASS(f->code) == BPF_ALU)
		return check_alu_const(f, pc, err, errlen);
	if (f->code == (BPF_LD | BPF_W | BPF_ABS))
		return check_abs(f, pc, err, errlen);
	if (is_mem_op(f->code) && f->k >= BPF_MEMWORDS)
		return fail(err, errlen,
			    "instruction %zu: scratch memory index %u is out of range (0..%d)",
			    pc, f->k, BPF_MEMWORDS - 1);
	return 0;
}

/* Folds the slots known written at pc into its jump targets' masks. */
static void mem_propagate(const struct sock_filter *f, size_t pc,
			  uint16_t *masks, uint16_t valid)
{
	if (f->code == (BPF_JMP | BPF_JA)) {
		masks[pc + 1 + f->k] &= valid;
		return;
	}
	masks[pc + 1 + f->jt] &= valid;
	masks[pc + 1 + f->jf] &= valid;
}

/* The kernel's check_load_and_stores(); needs all jump targets in range. */
static int mem_init_check(const struct sock_filter *prog, size_t n,
			  char *err, size_t errlen)
{
	uint16_t masks[BPF_MAXINSNS];
	uint16_t valid = 0;

	for (size_t pc = 0; pc < n; pc++)
		masks[pc] = 0xffff;
	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &prog[pc];

		valid &= masks[pc];
		if (f->code == BPF_ST || f->code == BPF_STX) {
			valid |= (uint16_t)(1u << f->k);
		} else if (f->code == (BPF_LD | BPF_MEM) || f->code == (BPF_LDX | BPF_MEM)) {
			if (!(valid & (1u << f->k)))
				return fail(err, errlen,
					    "instruction %zu: reads scratch memory M[%u] before it is written on every path",
					    pc, f->k);
		} else if (BPF_CLASS(f->code) == BPF_JMP) {
			mem_propagate(f, pc, masks, valid);
			valid = 0xffff;
		}
	}
	return 0;
}

int bpf_check(const struct sock_filter *prog, size_t n, char *err, size_t errlen)
{
	uint16_t last;

	if (n == 0)
		return fail(err, errlen, "program is empty (0 instructions)");
	if (n > BPF_MAXINSNS)
		return fail(err, errlen, "program has %zu instructions (the limit is %d)",
			    n, BPF_MAXINSNS);
	if (!prog)
		return fail(err, errlen, "program is NULL");
	for (size_t pc = 0; pc < n; pc++)
		if (check_insn(prog, pc, n, err, errlen))
			return -1;
	last = prog[n - 1].code;
	if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
		return fail(err, errlen,
			    "last instruction (%zu) is not a RET (opcode 0x%04x)", n - 1, last);
	return mem_init_check(prog, n, err, errlen);
}
