/*
 * Disassembles a seccomp classic-BPF program into annotated text for
 * `cordonc --dump`. One line per instruction:
 *
 *   "  PPPP: MNEM OPERAND<pad to 22>; comment"
 *
 * PPPP is the 4-digit instruction index, MNEM is padded to 4 columns, and the
 * comment column starts at 36 (later if the operand is longer). Lines have
 * no trailing spaces. Jump targets are absolute indices; constants below
 * 0x1000 are decimal, others hex. A forward data-flow pass (jumps only go
 * forward) tracks where A surely holds seccomp_data.nr, to name syscalls.
 */
#include "bpf_disasm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#define OPERAND_WIDTH 22

#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif
#ifndef SECCOMP_RET_LOG
#define SECCOMP_RET_LOG 0x7ffc0000U
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif

/* What A holds on entry to an instruction. */
enum a_state { A_UNREACHED = 0, A_NR, A_OTHER };

/* What the decoders need beyond the instruction itself. */
struct ctx {
	size_t n;
	const char *(*sysname)(uint32_t nr, void *arg);
	void *arg;
};

struct line {
	char mnem[8];
	char operand[64];
	char comment[64];
};

static void emit(FILE *out, size_t pc, const struct line *l)
{
	if (l->comment[0])
		fprintf(out, "  %04zu: %-4s %-*s; %s\n", pc, l->mnem,
			OPERAND_WIDTH, l->operand, l->comment);
	else if (l->operand[0])
		fprintf(out, "  %04zu: %-4s %s\n", pc, l->mnem, l->operand);
	else
		fprintf(out, "  %04zu: %s\n", pc, l->mnem);
}

static void fmt_k(char *buf, size_t len, uint32_t k)
{
	snprintf(buf, len, k < 0x1000 ? "%u" : "0x%x", k);
}

static const char *errno_name(uint32_t e)
{
	static const struct { int nr; const char *name; } tab[] = {
#define E(x) { x, #x }
		E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO),
		E(E2BIG), E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN),
		E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST),
		E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL),
		E(ENFILE), E(EMFILE), E(ENOTTY), E(EFBIG), E(ENOSPC),
		E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE), E(ERANGE),
		E(ENAMETOOLONG), E(ENOSYS), E(ENOTSUP), E(EPROTONOSUPPORT),
		E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
		E(ENETUNREACH), E(ECONNREFUSED), E(ENOTSOCK), E(ETIMEDOUT),
#undef E
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if ((uint32_t)tab[i].nr == e)
			return tab[i].name;
	return NULL;
}

/* Names the seccomp_data word at byte offset k (little- or big-endian host). */
static void field_name(char *buf, size_t len, uint32_t k)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	static const char *const half[2] = { "low", "high" };
#else
	static const char *const half[2] = { "high", "low" };
#endif
	if (k & 3)
		snprintf(buf, len, "unaligned");
	else if (k == 0)
		snprintf(buf, len, "nr");
	else if (k == 4)
		snprintf(buf, len, "arch");
	else if (k < 16)
		snprintf(buf, len, "instruction_pointer %s", half[(k - 8) / 4]);
	else if (k < sizeof(struct seccomp_data))
		snprintf(buf, len, "args[%u] %s", (k - 16) / 8, half[(k / 4) & 1]);
	else
		snprintf(buf, len, "outside seccomp_data");
}

static const char *action_name(uint32_t action)
{
	switch (action) {
	case SECCOMP_RET_KILL_PROCESS: return "KILL_PROCESS";
	case SECCOMP_RET_KILL_THREAD:  return "KILL_THREAD";
	case SECCOMP_RET_TRAP:         return "TRAP";
	case SECCOMP_RET_ERRNO:        return "ERRNO";
	case SECCOMP_RET_USER_NOTIF:   return "USER_NOTIF";
	case SECCOMP_RET_TRACE:        return "TRACE";
	case SECCOMP_RET_LOG:          return "LOG";
	case SECCOMP_RET_ALLOW:        return "ALLOW";
	}
	return NULL;
}

static void decode_ret(struct line *l, uint32_t k)
{
	uint32_t action = k & SECCOMP_RET_ACTION_FULL, data = k & SECCOMP_RET_DATA;
	const char *name = action_name(action);
	const char *ename;

	if (!name) {
		snprintf(l->operand, sizeof(l->operand), "#0x%x", k);
		snprintf(l->comment, sizeof(l->comment), "unknown action: kills the process");
		return;
	}
	if (data == 0 && action != SECCOMP_RET_ERRNO && action != SECCOMP_RET_TRACE)
		snprintf(l->operand, sizeof(l->operand), "%s", name);
	else
		snprintf(l->operand, sizeof(l->operand), "%s(%u)", name, data);
	ename = action == SECCOMP_RET_ERRNO ? errno_name(data) : NULL;
	if (ename)
		snprintf(l->comment, sizeof(l->comment), "%s", ename);
	else if (action == SECCOMP_RET_ERRNO && data > 4095)
		snprintf(l->comment, sizeof(l->comment), "kernel clamps to 4095");
}

static const char *alu_name(uint16_t op)
{
	switch (op) {
	case BPF_ADD: return "add";
	case BPF_SUB: return "sub";
	case BPF_MUL: return "mul";
	case BPF_DIV: return "div";
	case BPF_MOD: return "mod";
	case BPF_AND: return "and";
	case BPF_OR:  return "or";
	case BPF_XOR: return "xor";
	case BPF_LSH: return "lsh";
	case BPF_RSH: return "rsh";
	}
	return NULL;
}

static const char *jmp_name(uint16_t op)
{
	switch (op) {
	case BPF_JEQ:  return "jeq";
	case BPF_JGT:  return "jgt";
	case BPF_JGE:  return "jge";
	case BPF_JSET: return "jset";
	}
	return NULL;
}

static int decode_alu(struct line *l, const struct sock_filter *f)
{
	const char *name = alu_name(BPF_OP(f->code));

	if (f->code == (BPF_ALU | BPF_NEG)) {
		snprintf(l->mnem, sizeof(l->mnem), "neg");
		return 1;
	}
	if (!name || (f->code & ~0xf8) != BPF_ALU)
		return 0;
	snprintf(l->mnem, sizeof(l->mnem), "%s", name);
	if (BPF_SRC(f->code) == BPF_X) {
		snprintf(l->operand, sizeof(l->operand), "x");
	} else {
		l->operand[0] = '#';
		fmt_k(l->operand + 1, sizeof(l->operand) - 1, f->k);
	}
	return 1;
}

static void jmp_comment(struct line *l, const struct sock_filter *f, size_t pc,
			enum a_state a, const struct ctx *c)
{
	uint64_t last = (uint64_t)pc + 1 + (f->code == (BPF_JMP | BPF_JA) ? f->k :
					    f->jt > f->jf ? f->jt : f->jf);
	const char *sys = NULL;

	if (last >= c->n) {
		snprintf(l->comment, sizeof(l->comment), "target past the end");
		return;
	}
	if (a == A_NR && c->sysname && f->code != (BPF_JMP | BPF_JA) &&
	    BPF_SRC(f->code) == BPF_K && BPF_OP(f->code) != BPF_JSET)
		sys = c->sysname(f->k, c->arg);
	if (sys)
		snprintf(l->comment, sizeof(l->comment), "%s", sys);
}

static int decode_jmp(struct line *l, const struct sock_filter *f, size_t pc,
		      enum a_state a, const struct ctx *c)
{
	const char *name = jmp_name(BPF_OP(f->code));
	char k[16];

	if (f->code == (BPF_JMP | BPF_JA)) {
		snprintf(l->mnem, sizeof(l->mnem), "ja");
		snprintf(l->operand, sizeof(l->operand), "%04llu",
			 (unsigned long long)pc + 1 + f->k);
	} else if (name && (f->code & ~0xf8) == BPF_JMP) {
		snprintf(l->mnem, sizeof(l->mnem), "%s", name);
		if (BPF_SRC(f->code) == BPF_X) {
			snprintf(k, sizeof(k), "x");
		} else {
			k[0] = '#';
			fmt_k(k + 1, sizeof(k) - 1, f->k);
		}
		snprintf(l->operand, sizeof(l->operand), "%s %04zu %04zu",
			 k, pc + 1 + f->jt, pc + 1 + f->jf);
	} else {
		return 0;
	}
	jmp_comment(l, f, pc, a, c);
	return 1;
}

static void set_mem(struct line *l, const char *mnem, uint32_t k)
{
	snprintf(l->mnem, sizeof(l->mnem), "%s", mnem);
	snprintf(l->operand, sizeof(l->operand), "M[%u]", k);
}

static void set_imm(struct line *l, const char *mnem, uint32_t k)
{
	snprintf(l->mnem, sizeof(l->mnem), "%s", mnem);
	l->operand[0] = '#';
	fmt_k(l->operand + 1, sizeof(l->operand) - 1, k);
}

static void set_len(struct line *l, const char *mnem)
{
	snprintf(l->mnem, sizeof(l->mnem), "%s", mnem);
	snprintf(l->operand, sizeof(l->operand), "len");
	snprintf(l->comment, sizeof(l->comment), "sizeof(seccomp_data) = %zu",
		 sizeof(struct seccomp_data));
}

/* Loads, stores, returns and register moves; returns 0 if code is none. */
static int decode_data(struct line *l, const struct sock_filter *f)
{
	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		snprintf(l->mnem, sizeof(l->mnem), "ld");
		snprintf(l->operand, sizeof(l->operand), "[%u]", f->k);
		field_name(l->comment, sizeof(l->comment), f->k);
		return 1;
	case BPF_LD | BPF_W | BPF_LEN:  set_len(l, "ld"); return 1;
	case BPF_LDX | BPF_W | BPF_LEN: set_len(l, "ldx"); return 1;
	case BPF_LD | BPF_IMM:  set_imm(l, "ld", f->k); return 1;
	case BPF_LDX | BPF_IMM: set_imm(l, "ldx", f->k); return 1;
	case BPF_LD | BPF_MEM:  set_mem(l, "ld", f->k); return 1;
	case BPF_LDX | BPF_MEM: set_mem(l, "ldx", f->k); return 1;
	case BPF_ST:            set_mem(l, "st", f->k); return 1;
	case BPF_STX:           set_mem(l, "stx", f->k); return 1;
	case BPF_MISC | BPF_TAX: snprintf(l->mnem, sizeof(l->mnem), "tax"); return 1;
	case BPF_MISC | BPF_TXA: snprintf(l->mnem, sizeof(l->mnem), "txa"); return 1;
	case BPF_RET | BPF_A:
		snprintf(l->mnem, sizeof(l->mnem), "ret");
		snprintf(l->operand, sizeof(l->operand), "a");
		return 1;
	case BPF_RET | BPF_K:
		snprintf(l->mnem, sizeof(l->mnem), "ret");
		decode_ret(l, f->k);
		return 1;
	default:
		return 0;
	}
}

static void print_insn(FILE *out, const struct sock_filter *prog, size_t pc,
		       enum a_state a, const struct ctx *c)
{
	const struct sock_filter *f = &prog[pc];
	struct line l = { .mnem = "" };

	if (decode_data(&l, f) || decode_alu(&l, f) || decode_jmp(&l, f, pc, a, c)) {
		emit(out, pc, &l);
		return;
	}
	fprintf(out, "  %04zu: .word 0x%04x %u %u 0x%08x\n", pc, f->code, f->jt, f->jf, f->k);
}

/* Does f leave A unchanged? (Jumps, stores, returns, tax.) */
static int keeps_a(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP || BPF_CLASS(code) == BPF_RET ||
	       code == BPF_ST || code == BPF_STX || code == (BPF_MISC | BPF_TAX) ||
	       BPF_CLASS(code) == BPF_LDX;
}

static void merge(unsigned char *st, size_t n, uint64_t target, enum a_state s)
{
	if (target >= n)
		return;
	st[target] = st[target] == A_UNREACHED || st[target] == s ? s : A_OTHER;
}

/* Pushes A's state after instruction pc to its successors. */
static void flow(const struct sock_filter *f, size_t pc, size_t n, unsigned char *st)
{
	enum a_state in = st[pc] == A_NR ? A_NR : A_OTHER, outs;

	if (f->code == (BPF_LD | BPF_W | BPF_ABS))
		outs = f->k == 0 ? A_NR : A_OTHER;
	else
		outs = keeps_a(f->code) ? in : A_OTHER;
	if (BPF_CLASS(f->code) == BPF_RET)
		return;
	if (f->code == (BPF_JMP | BPF_JA)) {
		merge(st, n, (uint64_t)pc + 1 + f->k, outs);
	} else if (BPF_CLASS(f->code) == BPF_JMP) {
		merge(st, n, (uint64_t)pc + 1 + f->jt, outs);
		merge(st, n, (uint64_t)pc + 1 + f->jf, outs);
	} else {
		merge(st, n, (uint64_t)pc + 1, outs);
	}
}

void bpf_disasm(FILE *out, const struct sock_filter *prog, size_t n,
		const char *(*sysname)(uint32_t nr, void *arg), void *arg)
{
	const struct ctx c = { .n = n, .sysname = sysname, .arg = arg };
	unsigned char *st = n ? calloc(n, 1) : NULL;	/* enum a_state per insn */

	if (st)
		st[0] = A_OTHER;
	for (size_t pc = 0; pc < n; pc++) {
		enum a_state a = st && st[pc] == A_NR ? A_NR : A_OTHER;

		print_insn(out, prog, pc, a, &c);
		if (st)
			flow(&prog[pc], pc, n, st);
	}
	free(st);
}
