/*
 * A user-space classic-BPF interpreter that runs seccomp filters on synthetic
 * seccomp_data, for tests. Semantics follow the kernel: A, X and the 16
 * scratch words start at 0; ABS loads read native-order 32-bit words from
 * seccomp_data; LEN is sizeof(struct seccomp_data); shifts by X use X & 31
 * (as the kernel's interpreter and x86 JIT do). Two deliberate differences:
 * BPF_MOD runs (seccomp's loader would reject it; bpf_check() does), and
 * division by X == 0 is an error here, where the kernel's program would
 * silently return 0 (SECCOMP_RET_KILL_THREAD).
 */
#include "bpf_interp.h"

#include <string.h>

struct vm {
	uint32_t a, x;
	uint32_t mem[BPF_MEMWORDS];
	const struct seccomp_data *data;
	const char *err;
};

/* Outcome of one instruction: continue at *next, return, or fail. */
enum step { STEP_NEXT, STEP_RET, STEP_FAIL };

static enum step vm_fail(struct vm *vm, const char *msg)
{
	vm->err = msg;
	return STEP_FAIL;
}

static enum step do_ld_abs(struct vm *vm, uint32_t k)
{
	if ((k & 3) || k >= sizeof(struct seccomp_data))
		return vm_fail(vm, "ABS load outside struct seccomp_data or unaligned");
	memcpy(&vm->a, (const unsigned char *)vm->data + k, sizeof(vm->a));
	return STEP_NEXT;
}

static enum step do_mem(struct vm *vm, uint16_t code, uint32_t k)
{
	if (k >= BPF_MEMWORDS)
		return vm_fail(vm, "scratch memory index out of range");
	if (code == (BPF_LD | BPF_MEM))
		vm->a = vm->mem[k];
	else if (code == (BPF_LDX | BPF_MEM))
		vm->x = vm->mem[k];
	else if (code == BPF_ST)
		vm->mem[k] = vm->a;
	else
		vm->mem[k] = vm->x;
	return STEP_NEXT;
}

/* Ops that cannot fail; returns 0 if op is not one of them. */
static int alu_simple(uint16_t op, uint32_t *a, uint32_t v)
{
	switch (op) {
	case BPF_ADD: *a += v; return 1;
	case BPF_SUB: *a -= v; return 1;
	case BPF_MUL: *a *= v; return 1;
	case BPF_AND: *a &= v; return 1;
	case BPF_OR:  *a |= v; return 1;
	case BPF_XOR: *a ^= v; return 1;
	}
	return 0;
}

static enum step do_alu(struct vm *vm, uint16_t code, uint32_t k)
{
	uint16_t op = BPF_OP(code);
	uint32_t v = BPF_SRC(code) == BPF_X ? vm->x : k;

	if (code == (BPF_ALU | BPF_NEG)) {
		vm->a = -vm->a;
		return STEP_NEXT;
	}
	if ((code & ~0xf8) != BPF_ALU)
		return vm_fail(vm, "unknown opcode");
	if (alu_simple(op, &vm->a, v))
		return STEP_NEXT;
	if ((op == BPF_DIV || op == BPF_MOD) && v == 0)
		return vm_fail(vm, "division by zero");
	if ((op == BPF_LSH || op == BPF_RSH) && BPF_SRC(code) == BPF_K && v >= 32)
		return vm_fail(vm, "shift by constant >= 32");
	switch (op) {
	case BPF_DIV: vm->a /= v; break;
	case BPF_MOD: vm->a %= v; break;
	case BPF_LSH: vm->a <<= v & 31; break;
	case BPF_RSH: vm->a >>= v & 31; break;
	default:
		return vm_fail(vm, "unknown opcode");
	}
	return STEP_NEXT;
}

static int jmp_taken(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ: return a == v;
	case BPF_JGT: return a > v;
	case BPF_JGE: return a >= v;
	default:      return (a & v) != 0;	/* BPF_JSET */
	}
}

static enum step do_jmp(struct vm *vm, const struct sock_filter *f, size_t pc,
			size_t n, size_t *next)
{
	uint16_t op = BPF_OP(f->code);
	uint64_t target;

	if (f->code == (BPF_JMP | BPF_JA)) {
		target = (uint64_t)pc + 1 + f->k;
	} else {
		if ((f->code & ~0xf8) != BPF_JMP ||
		    (op != BPF_JEQ && op != BPF_JGT && op != BPF_JGE && op != BPF_JSET))
			return vm_fail(vm, "unknown opcode");
		target = jmp_taken(op, vm->a, BPF_SRC(f->code) == BPF_X ? vm->x : f->k)
			 ? (uint64_t)pc + 1 + f->jt : (uint64_t)pc + 1 + f->jf;
	}
	if (target >= n)
		return vm_fail(vm, "jump past the end of the program");
	*next = (size_t)target;
	return STEP_NEXT;
}

static enum step do_load(struct vm *vm, uint16_t code, uint32_t k)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:  return do_ld_abs(vm, k);
	case BPF_LD | BPF_W | BPF_LEN:  vm->a = sizeof(struct seccomp_data); break;
	case BPF_LDX | BPF_W | BPF_LEN: vm->x = sizeof(struct seccomp_data); break;
	case BPF_LD | BPF_IMM:          vm->a = k; break;
	case BPF_LDX | BPF_IMM:         vm->x = k; break;
	case BPF_MISC | BPF_TAX:        vm->x = vm->a; break;
	case BPF_MISC | BPF_TXA:        vm->a = vm->x; break;
	default:
		return vm_fail(vm, "unknown opcode");
	}
	return STEP_NEXT;
}

static enum step step(struct vm *vm, const struct sock_filter *prog, size_t pc,
		      size_t n, size_t *next, uint32_t *ret)
{
	const struct sock_filter *f = &prog[pc];

	*next = pc + 1;
	if (f->code == (BPF_RET | BPF_K) || f->code == (BPF_RET | BPF_A)) {
		*ret = f->code == (BPF_RET | BPF_K) ? f->k : vm->a;
		return STEP_RET;
	}
	if (f->code == (BPF_LD | BPF_MEM) || f->code == (BPF_LDX | BPF_MEM) ||
	    f->code == BPF_ST || f->code == BPF_STX)
		return do_mem(vm, f->code, f->k);
	if (BPF_CLASS(f->code) == BPF_ALU)
		return do_alu(vm, f->code, f->k);
	if (BPF_CLASS(f->code) == BPF_JMP)
		return do_jmp(vm, f, pc, n, next);
	return do_load(vm, f->code, f->k);
}

int bpf_interp_run(const struct sock_filter *prog, size_t n,
		   const struct seccomp_data *data, uint32_t *ret, const char **err)
{
	struct vm vm = { .data = data };
	enum step s = STEP_NEXT;
	size_t pc = 0, steps = 0;

	if (!prog || n == 0) {
		*err = "empty program";
		return -1;
	}
	/* Jumps only go forward, so a valid run takes at most n steps. */
	while (s == STEP_NEXT && pc < n && steps++ <= n)
		s = step(&vm, prog, pc, n, &pc, ret);
	if (s == STEP_RET)
		return 0;
	if (s == STEP_NEXT)
		vm.err = pc >= n ? "falls off the end of the program" : "step limit exceeded";
	*err = vm.err;
	return -1;
}
