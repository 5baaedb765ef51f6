/* Tests bpf_check (validator), bpf_interp_run (interpreter) and bpf_disasm (disassembler). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "bpf_check.h"
#include "bpf_disasm.h"
#include "bpf_interp.h"
#include "tap.h"

#define S(code, k) BPF_STMT(code, k)
#define J(code, k, jt, jf) BPF_JUMP(code, k, jt, jf)
#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NR_PTRACE 101
#define NR_GETPID 39
#define NR_WRITE 1

#define LD_ABS(k) S(BPF_LD | BPF_W | BPF_ABS, k)
#define RET(k) S(BPF_RET | BPF_K, k)
#define ALLOW RET(SECCOMP_RET_ALLOW)
#define KILL RET(SECCOMP_RET_KILL_PROCESS)

/*
 * x86_64 filter: wrong arch or x32 -> KILL_PROCESS; ptrace -> ERRNO(EPERM);
 * write(fd > 0xffffffff or fd == 2, ...) -> ERRNO(EBADF); everything else ALLOW.
 */
static const struct sock_filter arch_filter[] = {
	/* 0 */ LD_ABS(4),
	/* 1 */ J(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 12),
	/* 2 */ LD_ABS(0),
	/* 3 */ J(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 10, 0),
	/* 4 */ J(BPF_JMP | BPF_JEQ | BPF_K, NR_PTRACE, 6, 0),
	/* 5 */ J(BPF_JMP | BPF_JEQ | BPF_K, NR_WRITE, 0, 7),
	/* 6 */ LD_ABS(20),		/* args[0] high */
	/* 7 */ J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 4),
	/* 8 */ LD_ABS(16),		/* args[0] low */
	/* 9 */ J(BPF_JMP | BPF_JEQ | BPF_K, 2, 2, 3),
	/* 10 */ RET(SECCOMP_RET_ERRNO | EPERM),
	/* 11 */ RET(SECCOMP_RET_ERRNO | EPERM),
	/* 12 */ RET(SECCOMP_RET_ERRNO | EBADF),
	/* 13 */ ALLOW,
	/* 14 */ KILL,
};

static struct seccomp_data mkdata(uint32_t arch, int nr, uint64_t a0)
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.arch = arch;
	d.nr = nr;
	d.args[0] = a0;
	return d;
}

static int rejects(const struct sock_filter *p, size_t n, const char *what)
{
	char err[160] = "";
	int r = bpf_check(p, n, err, sizeof(err));

	if (r == 0)
		return 0;
	if (strstr(err, what))
		return 1;
	tap_diag("error \"%s\" does not mention \"%s\"", err, what);
	return 0;
}

static int accepts(const struct sock_filter *p, size_t n)
{
	char err[160] = "";

	if (bpf_check(p, n, err, sizeof(err)) == 0)
		return 1;
	tap_diag("rejected: %s", err);
	return 0;
}

/* ---- bpf_check: valid programs ---- */

static void check_accepts(void)
{
	static const struct sock_filter minimal[] = { ALLOW };
	static const struct sock_filter every_op[] = {
		S(BPF_LD | BPF_W | BPF_LEN, 0), S(BPF_LDX | BPF_W | BPF_LEN, 0),
		S(BPF_LD | BPF_IMM, 7), S(BPF_LDX | BPF_IMM, 3),
		S(BPF_ST, 0), S(BPF_STX, 15), S(BPF_LD | BPF_MEM, 0), S(BPF_LDX | BPF_MEM, 15),
		S(BPF_ALU | BPF_ADD | BPF_K, 1), S(BPF_ALU | BPF_ADD | BPF_X, 0),
		S(BPF_ALU | BPF_SUB | BPF_K, 1), S(BPF_ALU | BPF_SUB | BPF_X, 0),
		S(BPF_ALU | BPF_MUL | BPF_K, 1), S(BPF_ALU | BPF_MUL | BPF_X, 0),
		S(BPF_ALU | BPF_DIV | BPF_K, 1), S(BPF_ALU | BPF_DIV | BPF_X, 0),
		S(BPF_ALU | BPF_AND | BPF_K, 1), S(BPF_ALU | BPF_AND | BPF_X, 0),
		S(BPF_ALU | BPF_OR | BPF_K, 1), S(BPF_ALU | BPF_OR | BPF_X, 0),
		S(BPF_ALU | BPF_XOR | BPF_K, 1), S(BPF_ALU | BPF_XOR | BPF_X, 0),
		S(BPF_ALU | BPF_LSH | BPF_K, 31), S(BPF_ALU | BPF_LSH | BPF_X, 0),
		S(BPF_ALU | BPF_RSH | BPF_K, 31), S(BPF_ALU | BPF_RSH | BPF_X, 0),
		S(BPF_ALU | BPF_NEG, 0), S(BPF_MISC | BPF_TAX, 0), S(BPF_MISC | BPF_TXA, 0),
		S(BPF_JMP | BPF_JA, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0), J(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 0),
		J(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 0), J(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 0),
		J(BPF_JMP | BPF_JGE | BPF_K, 1, 0, 0), J(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 0),
		J(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0), J(BPF_JMP | BPF_JSET | BPF_X, 0, 1, 0),
		LD_ABS(60), S(BPF_RET | BPF_A, 0),
	};
	/* M[1] is written on both paths that reach the load. */
	static const struct sock_filter mem_both[] = {
		LD_ABS(0), J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 2),
		S(BPF_ST, 1), S(BPF_JMP | BPF_JA, 1), S(BPF_STX, 1),
		S(BPF_LD | BPF_MEM, 1), S(BPF_RET | BPF_A, 0),
	};
	struct sock_filter *big = calloc(BPF_MAXINSNS, sizeof(*big));

	tap_ok(accepts(minimal, 1), "check: single `ret ALLOW` is valid");
	tap_ok(accepts(arch_filter, LEN(arch_filter)), "check: arch/nr/args filter is valid");
	tap_ok(accepts(every_op, LEN(every_op)), "check: every seccomp opcode is valid");
	tap_ok(accepts(mem_both, LEN(mem_both)), "check: memory written on both paths is valid");
	big[BPF_MAXINSNS - 1] = (struct sock_filter)ALLOW;	/* 4095 x `ld #0` */
	tap_ok(accepts(big, BPF_MAXINSNS), "check: exactly %d instructions is valid", BPF_MAXINSNS);
	free(big);
}

/* ---- bpf_check: invalid programs ---- */

static void check_rejects_shape(void)
{
	static const struct sock_filter not_ret[] = { ALLOW, S(BPF_LD | BPF_IMM, 0) };
	struct sock_filter *big = calloc(BPF_MAXINSNS + 1, sizeof(*big));
	char err[8];

	big[BPF_MAXINSNS] = (struct sock_filter)ALLOW;
	tap_ok(rejects(not_ret, 0, "empty"), "check: rejects an empty program");
	tap_ok(rejects(big, BPF_MAXINSNS + 1, "limit is 4096"), "check: rejects 4097 instructions");
	tap_ok(rejects(NULL, 1, "NULL"), "check: rejects a NULL program");
	tap_ok(rejects(not_ret, 2, "last instruction (1) is not a RET"),
	       "check: rejects a program whose last instruction is not RET");
	tap_ok(bpf_check(not_ret, 2, NULL, 0) == -1, "check: err may be NULL");
	memset(err, 'X', sizeof(err));
	tap_ok(bpf_check(not_ret, 2, err, sizeof(err)) == -1 && err[7] == '\0',
	       "check: a short err buffer is truncated and NUL-terminated");
	free(big);
}

static void check_rejects_opcodes(void)
{
	static const struct { uint16_t code; const char *why; } bad[] = {
		{ BPF_LD | BPF_H | BPF_ABS, "ld halfword (classic only)" },
		{ BPF_LD | BPF_W | BPF_IND, "ld indirect (classic only)" },
		{ BPF_LDX | BPF_B | BPF_MSH, "ldx msh (classic only)" },
		{ BPF_ALU | BPF_MOD | BPF_K, "mod #k (classic only, not seccomp)" },
		{ BPF_ALU | BPF_MOD | BPF_X, "mod x (classic only, not seccomp)" },
		{ BPF_RET | BPF_X, "ret x" },
		{ BPF_ALU | BPF_NEG | BPF_X, "neg with the X bit" },
		{ BPF_JMP | BPF_JA | BPF_X, "ja with the X bit" },
		{ BPF_LD | BPF_H | BPF_IMM, "ld imm with a size" },
		{ 0xff, "garbage 0xff" },
		{ 0x0106, "code above 0xff" },
	};

	for (size_t i = 0; i < LEN(bad); i++) {
		struct sock_filter p[] = { S(bad[i].code, 1), ALLOW };

		tap_ok(rejects(p, 2, "instruction 0: opcode"), "check: rejects opcode 0x%04x: %s",
		       bad[i].code, bad[i].why);
	}
}

static void check_rejects_jumps(void)
{
	struct sock_filter thirty[30];
	struct sock_filter ja[] = { S(BPF_JMP | BPF_JA, 1), ALLOW };
	struct sock_filter jf[] = { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 5), ALLOW, ALLOW };
	struct sock_filter ja_wrap[] = { S(BPF_JMP | BPF_JA, 0xffffffff), ALLOW };
	char err[160];

	for (size_t i = 0; i < 30; i++)
		thirty[i] = (struct sock_filter)ALLOW;
	thirty[12] = (struct sock_filter)J(BPF_JMP | BPF_JGT | BPF_K, 5, 27, 0);
	tap_ok(bpf_check(thirty, 30, err, sizeof(err)) == -1 &&
	       strcmp(err, "instruction 12: jump target 40 is past the end "
			   "(program has 30 instructions)") == 0,
	       "check: jt past the end, exact message");
	tap_ok(rejects(ja, 2, "jump target 2 is past the end"), "check: rejects ja past the end");
	tap_ok(rejects(jf, 3, "jump target 6 is past the end"), "check: rejects jf past the end");
	tap_ok(rejects(ja_wrap, 2, "jump target 4294967296"), "check: ja offset does not wrap around");
}

static void check_rejects_operands(void)
{
	struct sock_filter p[] = { S(0, 0), ALLOW };
	static const struct { uint16_t code; uint32_t k; const char *msg; } bad[] = {
		{ BPF_LD | BPF_W | BPF_ABS, 2, "not 4-byte aligned" },
		{ BPF_LD | BPF_W | BPF_ABS, 64, "outside struct seccomp_data" },
		{ BPF_LD | BPF_W | BPF_ABS, 0xfffff000, "outside struct seccomp_data" },
		{ BPF_LD | BPF_MEM, 16, "scratch memory index 16" },
		{ BPF_LDX | BPF_MEM, 16, "scratch memory index 16" },
		{ BPF_ST, 16, "scratch memory index 16" },
		{ BPF_STX, 0xffffffff, "scratch memory index 4294967295" },
		{ BPF_ALU | BPF_DIV | BPF_K, 0, "division by constant zero" },
		{ BPF_ALU | BPF_LSH | BPF_K, 32, "shift by constant 32" },
		{ BPF_ALU | BPF_RSH | BPF_K, 0xffffffff, "shift by constant" },
	};

	for (size_t i = 0; i < LEN(bad); i++) {
		p[0] = (struct sock_filter)S(bad[i].code, bad[i].k);
		tap_ok(rejects(p, 2, bad[i].msg), "check: rejects 0x%04x with k=%u (%s)",
		       bad[i].code, bad[i].k, bad[i].msg);
	}
}

static void check_rejects_uninit_mem(void)
{
	static const struct sock_filter never[] = { S(BPF_LD | BPF_MEM, 3), ALLOW };
	static const struct sock_filter one_path[] = {
		J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), S(BPF_ST, 3),
		S(BPF_LDX | BPF_MEM, 3), ALLOW,
	};
	static const struct sock_filter other_slot[] = {
		S(BPF_ST, 2), S(BPF_LD | BPF_MEM, 3), ALLOW,
	};

	tap_ok(rejects(never, 2, "reads scratch memory M[3] before"),
	       "check: rejects reading never-written memory");
	tap_ok(rejects(one_path, 4, "M[3]"), "check: rejects memory written on only one path");
	tap_ok(rejects(other_slot, 3, "M[3]"), "check: rejects reading a different slot");
}

/* ---- bpf_interp_run ---- */

static int run(const struct sock_filter *p, size_t n, const struct seccomp_data *d, uint32_t *ret)
{
	const char *err = NULL;

	if (bpf_interp_run(p, n, d, ret, &err) == 0)
		return 0;
	tap_diag("interp error: %s", err ? err : "(none)");
	return -1;
}

static int ret_is(const struct sock_filter *p, size_t n, struct seccomp_data d, uint32_t want)
{
	uint32_t got = 0xdeadbeef;

	if (run(p, n, &d, &got) == 0 && got == want)
		return 1;
	tap_diag("returned 0x%08x, want 0x%08x", got, want);
	return 0;
}

static void interp_arch_filter(void)
{
	const struct sock_filter *p = arch_filter;
	size_t n = LEN(arch_filter);

	tap_ok(ret_is(p, n, mkdata(AUDIT_ARCH_I386, NR_GETPID, 0), SECCOMP_RET_KILL_PROCESS),
	       "interp: AUDIT_ARCH_I386 -> KILL_PROCESS");
	tap_ok(ret_is(p, n, mkdata(AUDIT_ARCH_X86_64, 0x40000000 | NR_GETPID, 0),
		      SECCOMP_RET_KILL_PROCESS), "interp: x32 syscall -> KILL_PROCESS");
	tap_ok(ret_is(p, n, mkdata(AUDIT_ARCH_X86_64, NR_PTRACE, 0), SECCOMP_RET_ERRNO | EPERM),
	       "interp: ptrace -> ERRNO(EPERM)");
	tap_ok(ret_is(p, n, mkdata(AUDIT_ARCH_X86_64, NR_GETPID, 0), SECCOMP_RET_ALLOW),
	       "interp: getpid -> ALLOW");
	tap_ok(ret_is(p, n, mkdata(AUDIT_ARCH_X86_64, NR_WRITE, 1), SECCOMP_RET_ALLOW),
	       "interp: write(1) -> ALLOW");
	tap_ok(ret_is(p, n, mkdata(AUDIT_ARCH_X86_64, NR_WRITE, 2), SECCOMP_RET_ERRNO | EBADF),
	       "interp: write(2) -> ERRNO(EBADF) (low word)");
	tap_ok(ret_is(p, n, mkdata(AUDIT_ARCH_X86_64, NR_WRITE, 0x100000001ULL),
		      SECCOMP_RET_ERRNO | EBADF), "interp: write(0x100000001) -> ERRNO(EBADF) (high word)");
	tap_ok(ret_is(p, n, mkdata(AUDIT_ARCH_X86_64, NR_WRITE, 0x200000002ULL),
		      SECCOMP_RET_ERRNO | EBADF), "interp: write(0x200000002): high word decides first");
}

/* args[1] as 64-bit unsigned: > 0x1_00000005 -> ERRNO(1), else ALLOW. */
static void interp_arg64(void)
{
	static const struct sock_filter p[] = {
		/* 0 */ LD_ABS(28),				/* args[1] high */
		/* 1 */ J(BPF_JMP | BPF_JGT | BPF_K, 1, 3, 0),
		/* 2 */ J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 3),
		/* 3 */ LD_ABS(24),				/* args[1] low */
		/* 4 */ J(BPF_JMP | BPF_JGT | BPF_K, 5, 0, 1),
		/* 5 */ RET(SECCOMP_RET_ERRNO | 1),
		/* 6 */ ALLOW,
	};
	static const struct { uint64_t v; uint32_t want; } cases[] = {
		{ 0, SECCOMP_RET_ALLOW }, { 0xffffffff, SECCOMP_RET_ALLOW },
		{ 0x100000005ULL, SECCOMP_RET_ALLOW }, { 0x100000006ULL, SECCOMP_RET_ERRNO | 1 },
		{ 0x200000000ULL, SECCOMP_RET_ERRNO | 1 }, { ~0ULL, SECCOMP_RET_ERRNO | 1 },
	};

	tap_ok(accepts(p, LEN(p)), "check: 64-bit comparison program is valid");
	for (size_t i = 0; i < LEN(cases); i++) {
		struct seccomp_data d = mkdata(AUDIT_ARCH_X86_64, 0, 0);

		d.args[1] = cases[i].v;
		tap_ok(ret_is(p, LEN(p), d, cases[i].want), "interp: 64-bit arg 0x%llx > 0x100000005 is %s",
		       (unsigned long long)cases[i].v, cases[i].want == SECCOMP_RET_ALLOW ? "false" : "true");
	}
}

static void interp_jset(void)
{
	/* mmap-like: PROT_EXEC (4) in args[2] -> EACCES. */
	static const struct sock_filter p[] = {
		LD_ABS(32), J(BPF_JMP | BPF_JSET | BPF_K, 4, 0, 1),
		RET(SECCOMP_RET_ERRNO | EACCES), ALLOW,
	};
	static const struct sock_filter px[] = {
		LD_ABS(32), S(BPF_LDX | BPF_IMM, 6), J(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
		RET(SECCOMP_RET_ERRNO | EACCES), ALLOW,
	};
	struct seccomp_data d = mkdata(AUDIT_ARCH_X86_64, 9, 0);

	d.args[2] = 7;
	tap_ok(ret_is(p, LEN(p), d, SECCOMP_RET_ERRNO | EACCES), "interp: jset #4 on 7 is taken");
	d.args[2] = 3;
	tap_ok(ret_is(p, LEN(p), d, SECCOMP_RET_ALLOW), "interp: jset #4 on 3 is not taken");
	tap_ok(ret_is(px, LEN(px), d, SECCOMP_RET_ERRNO | EACCES), "interp: jset x (6) on 3 is taken");
	d.args[2] = 1;
	tap_ok(ret_is(px, LEN(px), d, SECCOMP_RET_ALLOW), "interp: jset x (6) on 1 is not taken");
}

static uint32_t alu_ref(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_ADD: return a + v;
	case BPF_SUB: return a - v;
	case BPF_MUL: return a * v;
	case BPF_DIV: return a / v;
	case BPF_MOD: return a % v;
	case BPF_AND: return a & v;
	case BPF_OR:  return a | v;
	case BPF_XOR: return a ^ v;
	case BPF_LSH: return a << (v & 31);
	default:      return a >> (v & 31);
	}
}

/* Each op with K and with X: `ld #a; ldx #b; op; ret a`. */
static void interp_alu(void)
{
	static const struct { uint16_t op; const char *name; uint32_t a, b; } ops[] = {
		{ BPF_ADD, "add", 0xfffffff0, 0x20 }, { BPF_SUB, "sub", 5, 9 },
		{ BPF_MUL, "mul", 0x10001, 0x10001 }, { BPF_DIV, "div", 0xfffffffe, 7 },
		{ BPF_MOD, "mod", 1000003, 97 }, { BPF_AND, "and", 0xf0f0, 0xff00 },
		{ BPF_OR, "or", 0xf0f0, 0x0f01 }, { BPF_XOR, "xor", 0xffff0000, 0x0ff00ff0 },
		{ BPF_LSH, "lsh", 0x80000001, 31 }, { BPF_RSH, "rsh", 0x80000000, 31 },
	};
	struct seccomp_data d = mkdata(0, 0, 0);

	for (size_t i = 0; i < LEN(ops); i++) {
		uint32_t want = alu_ref(ops[i].op, ops[i].a, ops[i].b);
		struct sock_filter pk[] = {
			S(BPF_LD | BPF_IMM, ops[i].a), S(BPF_ALU | ops[i].op | BPF_K, ops[i].b),
			S(BPF_RET | BPF_A, 0),
		};
		struct sock_filter px[] = {
			S(BPF_LD | BPF_IMM, ops[i].a), S(BPF_LDX | BPF_IMM, ops[i].b),
			S(BPF_ALU | ops[i].op | BPF_X, 0), S(BPF_RET | BPF_A, 0),
		};

		tap_ok(ret_is(pk, LEN(pk), d, want) && ret_is(px, LEN(px), d, want),
		       "interp: %s #k and %s x give 0x%08x", ops[i].name, ops[i].name, want);
	}
}

static void interp_misc(void)
{
	static const struct sock_filter neg[] = {
		S(BPF_LD | BPF_IMM, 5), S(BPF_ALU | BPF_NEG, 0), S(BPF_RET | BPF_A, 0),
	};
	static const struct sock_filter shx[] = {	/* 1 << (33 & 31) */
		S(BPF_LD | BPF_IMM, 1), S(BPF_LDX | BPF_IMM, 33),
		S(BPF_ALU | BPF_LSH | BPF_X, 0), S(BPF_RET | BPF_A, 0),
	};
	static const struct sock_filter len[] = {	/* len + len */
		S(BPF_LDX | BPF_W | BPF_LEN, 0), S(BPF_LD | BPF_W | BPF_LEN, 0),
		S(BPF_ALU | BPF_ADD | BPF_X, 0), S(BPF_RET | BPF_A, 0),
	};
	static const struct sock_filter moves[] = {	/* X = nr; A = 0; A = X */
		LD_ABS(0), S(BPF_MISC | BPF_TAX, 0), S(BPF_LD | BPF_IMM, 0),
		S(BPF_MISC | BPF_TXA, 0), S(BPF_RET | BPF_A, 0),
	};
	struct seccomp_data d = mkdata(0, 231, 0);

	tap_ok(ret_is(neg, LEN(neg), d, (uint32_t)-5), "interp: neg 5 = 0xfffffffb");
	tap_ok(ret_is(shx, LEN(shx), d, 2), "interp: lsh x by 33 uses 33 & 31, like the kernel");
	tap_ok(ret_is(len, LEN(len), d, 128), "interp: ld len and ldx len are 64");
	tap_ok(ret_is(moves, LEN(moves), d, 231), "interp: tax/txa move between A and X");
}

static void interp_mem(void)
{
	static const struct sock_filter p[] = {
		/* M[0] = nr, M[15] = 0x100, then A = M[0] + M[15] + M[7] (M[7] is 0) */
		LD_ABS(0), S(BPF_ST, 0), S(BPF_LDX | BPF_IMM, 0x100), S(BPF_STX, 15),
		S(BPF_LD | BPF_IMM, 0), S(BPF_LDX | BPF_IMM, 0),
		S(BPF_LD | BPF_MEM, 15), S(BPF_LDX | BPF_MEM, 0),
		S(BPF_ALU | BPF_ADD | BPF_X, 0), S(BPF_LDX | BPF_MEM, 7),
		S(BPF_ALU | BPF_ADD | BPF_X, 0), S(BPF_RET | BPF_A, 0),
	};

	tap_ok(ret_is(p, LEN(p), mkdata(0, 42, 0), 0x100 + 42),
	       "interp: st/stx/ld/ldx scratch memory, unwritten slots read 0");
}

static int interp_fails(const struct sock_filter *p, size_t n, const char *what)
{
	struct seccomp_data d = mkdata(0, 0, 0);
	const char *err = NULL;
	uint32_t ret;

	if (bpf_interp_run(p, n, &d, &ret, &err) == 0 || !err)
		return 0;
	if (strstr(err, what))
		return 1;
	tap_diag("error \"%s\" does not mention \"%s\"", err, what);
	return 0;
}

static void interp_invalid(void)
{
	static const struct sock_filter badop[] = { S(BPF_LD | BPF_H | BPF_ABS, 0), ALLOW };
	static const struct sock_filter jump[] = { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 3), ALLOW };
	static const struct sock_filter ja[] = { S(BPF_JMP | BPF_JA, 0xffffffff), ALLOW };
	static const struct sock_filter load[] = { LD_ABS(64), ALLOW };
	static const struct sock_filter unaligned[] = { LD_ABS(1), ALLOW };
	static const struct sock_filter mem[] = { S(BPF_ST, 16), ALLOW };
	static const struct sock_filter divx[] = {
		S(BPF_LD | BPF_IMM, 1), S(BPF_ALU | BPF_DIV | BPF_X, 0), S(BPF_RET | BPF_A, 0),
	};
	static const struct sock_filter divk[] = { S(BPF_ALU | BPF_MOD | BPF_K, 0), ALLOW };
	static const struct sock_filter fall[] = { S(BPF_LD | BPF_IMM, 0) };

	tap_ok(interp_fails(badop, 2, "unknown opcode"), "interp: unknown opcode fails");
	tap_ok(interp_fails(jump, 2, "jump past the end"), "interp: out-of-range jump fails");
	tap_ok(interp_fails(ja, 2, "jump past the end"), "interp: huge ja offset fails");
	tap_ok(interp_fails(load, 2, "seccomp_data"), "interp: load past seccomp_data fails");
	tap_ok(interp_fails(unaligned, 2, "unaligned"), "interp: unaligned load fails");
	tap_ok(interp_fails(mem, 2, "memory index"), "interp: scratch index 16 fails");
	tap_ok(interp_fails(divx, 3, "division by zero"), "interp: division by X = 0 fails");
	tap_ok(interp_fails(divk, 2, "division by zero"), "interp: mod by constant 0 fails");
	tap_ok(interp_fails(fall, 1, "falls off the end"), "interp: falling off the end fails");
	tap_ok(interp_fails(fall, 0, "empty"), "interp: empty program fails");
}

/* ---- bpf_disasm ---- */

struct names { int calls; };

static const char *test_sysname(uint32_t nr, void *arg)
{
	((struct names *)arg)->calls++;
	switch (nr) {
	case NR_WRITE:  return "write";
	case NR_GETPID: return "getpid";
	case NR_PTRACE: return "ptrace";
	}
	return NULL;
}

static const char disasm_want[] =
	"  0000: ld   [4]                   ; arch\n"
	"  0001: jeq  #0xc000003e 0002 0012\n"
	"  0002: ld   [0]                   ; nr\n"
	"  0003: jge  #0x40000000 0012 0004\n"
	"  0004: jeq  #101 0011 0005        ; ptrace\n"
	"  0005: jeq  #39 0006 0007         ; getpid\n"
	"  0006: ja   0008\n"
	"  0007: jgt  #500 0012 0008\n"
	"  0008: jeq  #1 0013 0009          ; write\n"
	"  0009: ld   [32]                  ; args[2] low\n"
	"  0010: jeq  #1 0012 0013\n"
	"  0011: ret  ERRNO(1)              ; EPERM\n"
	"  0012: ret  KILL_PROCESS\n"
	"  0013: ret  ALLOW\n"
	"  0014: ret  ERRNO(97)             ; EAFNOSUPPORT\n"
	"  0015: ret  TRACE(7)\n"
	"  0016: ld   [20]                  ; args[0] high\n"
	"  0017: ld   M[3]\n"
	"  0018: and  #0xff00\n"
	"  0019: add  x\n"
	"  0020: neg\n"
	"  0021: .word 0x0028 0 0 0x00000000\n"
	"  0022: ja   0030                  ; target past the end\n"
	"  0023: ret  a\n";

static const struct sock_filter disasm_prog[] = {
	LD_ABS(4),
	J(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 10),
	LD_ABS(0),
	J(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 8, 0),
	J(BPF_JMP | BPF_JEQ | BPF_K, NR_PTRACE, 6, 0),
	J(BPF_JMP | BPF_JEQ | BPF_K, NR_GETPID, 0, 1),
	S(BPF_JMP | BPF_JA, 1),
	J(BPF_JMP | BPF_JGT | BPF_K, 500, 4, 0),
	J(BPF_JMP | BPF_JEQ | BPF_K, NR_WRITE, 4, 0),	/* join: A is nr on both paths */
	LD_ABS(32),
	J(BPF_JMP | BPF_JEQ | BPF_K, NR_WRITE, 1, 2),	/* A is args[2]: no name */
	RET(SECCOMP_RET_ERRNO | EPERM),
	KILL,
	ALLOW,
	RET(SECCOMP_RET_ERRNO | EAFNOSUPPORT),
	RET(SECCOMP_RET_TRACE | 7),
	LD_ABS(20),
	S(BPF_LD | BPF_MEM, 3),
	S(BPF_ALU | BPF_AND | BPF_K, 0xff00),
	S(BPF_ALU | BPF_ADD | BPF_X, 0),
	S(BPF_ALU | BPF_NEG, 0),
	S(BPF_LD | BPF_H | BPF_ABS, 0),
	S(BPF_JMP | BPF_JA, 7),
	S(BPF_RET | BPF_A, 0),
};

static char *disasm_text(const struct sock_filter *p, size_t n, struct names *names)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	bpf_disasm(f, p, n, test_sysname, names);
	fclose(f);
	return buf;
}

static int has_line(const char *text, const char *line)
{
	const char *p = text ? strstr(text, line) : NULL;

	return p && (p == text || p[-1] == '\n') && p[strlen(line)] == '\n';
}

static void test_disasm(void)
{
	struct names names = { 0 };
	char *text = disasm_text(disasm_prog, LEN(disasm_prog), &names);

	tap_ok(has_line(text, "  0000: ld   [4]                   ; arch"), "disasm: arch load");
	tap_ok(has_line(text, "  0004: jeq  #101 0011 0005        ; ptrace"),
	       "disasm: syscall name via callback");
	tap_ok(has_line(text, "  0008: jeq  #1 0013 0009          ; write"),
	       "disasm: syscall name after a join where A is nr on both paths");
	tap_ok(has_line(text, "  0010: jeq  #1 0012 0013"),
	       "disasm: no syscall name once A is an argument");
	tap_ok(has_line(text, "  0011: ret  ERRNO(1)              ; EPERM"), "disasm: ERRNO decode");
	tap_ok(has_line(text, "  0016: ld   [20]                  ; args[0] high"),
	       "disasm: args[0] high word");
	tap_ok(has_line(text, "  0021: .word 0x0028 0 0 0x00000000"), "disasm: unknown opcode as .word");
	tap_ok(text && strcmp(text, disasm_want) == 0, "disasm: whole listing matches");
	if (text && strcmp(text, disasm_want) != 0)
		tap_diag("got:\n%s", text);
	tap_ok(names.calls > 0, "disasm: callback got its arg (%d calls)", names.calls);
	free(text);
	text = NULL;
	{
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		if (f) {
			bpf_disasm(f, disasm_prog, LEN(disasm_prog), NULL, NULL);
			fclose(f);
		}
	}
	tap_ok(has_line(text, "  0004: jeq  #101 0011 0005"), "disasm: NULL sysname gives no names");
	free(text);
	text = disasm_text(disasm_prog, 0, &names);
	tap_ok(text && text[0] == '\0', "disasm: empty program prints nothing");
	free(text);
}

/* The hand-written programs above must also be valid by bpf_check. */
static void test_examples_valid(void)
{
	tap_ok(accepts(disasm_prog, 16), "check: disasm example prefix (0..15) is valid");
}

int main(void)
{
	check_accepts();
	check_rejects_shape();
	check_rejects_opcodes();
	check_rejects_jumps();
	check_rejects_operands();
	check_rejects_uninit_mem();
	interp_arch_filter();
	interp_arg64();
	interp_jset();
	interp_alu();
	interp_misc();
	interp_mem();
	interp_invalid();
	test_disasm();
	test_examples_valid();
	return tap_done();
}
