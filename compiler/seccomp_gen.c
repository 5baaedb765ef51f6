/* Seccomp generation: the IR's syscall rules, the default deny set and the
 * argument filters (ioctl, clone, personality, socket, socketpair, the mode
 * of the calls that set or create one, memfd_create) emitted as a
 * classic-BPF program by a small assembler of our own.
 *
 * The program, in order:
 *
 *   ld   [4]                      arch: any other ABI (i386, ...) kills the
 *   jeq  #AUDIT_ARCH_X86_64       process
 *   ld   [0]                      nr
 *   jge  #0x40000000 -> x32       x32 numbers kill the process too
 *   search                        the numbers cut into ranges of consecutive
 *                                 numbers with the same verdict, searched by
 *                                 JGE on their first numbers (A keeps nr);
 *                                 a lone number with another verdict than
 *                                 its neighbours costs one JEQ; a range is
 *                                 the jump to its verdict, no instruction
 *   x32 and argument blocks       each emitted once, if some number leads there
 *   returns                       one RET per distinct action, shared
 *
 * Why this shape: installing a filter costs the kernel about 0.3 us per
 * instruction after its conversion to eBPF (conversion and JIT), and
 * seccomp_cache_prepare() emulates the program for every syscall number of
 * x86_64 and i386 (about 3 ns a step) to find the numbers that are always
 * allowed, whose calls then skip the filter; the emulation follows only
 * loads of arch and nr and jumps, and gives up on a path that loads an
 * argument.  So: few instructions, short paths for every number, and
 * arguments loaded only in the argument blocks, which only their own
 * syscalls reach.  The shape of the search is the cheapest by that measure
 * (see "the search plan"), with the calls programs make most weighing more,
 * so that they get their answer in a few jumps (ioctl, clone, open and
 * openat are never cached: every call of theirs runs the filter).  Libseccomp's program for
 * the same rules was twice as long (a JEQ per syscall, a masked compare per
 * clone flag, the upper halves of int arguments compared under a mask of 0).
 *
 * Conditional jumps reach 255 instructions ahead (8-bit offsets): a jump
 * to a target further away goes through a trampoline, a copy of the RET it
 * goes to or a JA (a 32-bit offset), shared by the jumps in its reach.
 *
 * seccomp_data's args are 64-bit little-endian: the low half of args[i] is
 * at 16 + 8 * i, the high half at 20 + 8 * i.  The comments at each
 * comparison say why it has the width it has; docs/language.md says what
 * each net statement lets through.  tests/test_seccomp.c checks this
 * program against the former libseccomp generator (tests/seccomp_ref.c) on
 * every number and about 250,000 argument sets, for many policies. */

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "ir.h"
#include "memfd_newer.h"
#include "xalloc.h"


#define TIOCSTI_CMD 0x5412
#define TIOCLINUX_CMD 0x541C
#define X32_SYSCALL_BIT 0x40000000u
#define MAX_JUMP 255 /* jt and jf are 8 bits */
#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | ((uint32_t)(e) & SECCOMP_RET_DATA))

/* Offsets in struct seccomp_data. */
#define OFF_NR 0
#define OFF_ARCH 4
#define ARG_LO(i) (16 + 8 * (i))
#define ARG_HI(i) (20 + 8 * (i))

/* Numbers below this are in the kernel's x86_64 table (470 in 6.18): the
 * ones its cache emulation runs the program for. */
#define KERNEL_TABLE_NRS 512

/* The mode bits no file made or changed in the sandbox may get: a file the
 * command owns (root's, for a root command without capabilities) would
 * run as its owner or group when someone runs it later, outside. */
#define SETID_BITS (S_ISUID | S_ISGID)
/* The open flags that create a file, and so use the mode argument:
 * O_CREAT and the kernel's __O_TMPFILE bit (glibc's __O_TMPFILE includes
 * O_DIRECTORY). */
#define O_TMPFILE_BIT 020000000
#define CREATE_FLAGS (O_CREAT | O_TMPFILE_BIT)

/* Namespace flags of clone(2): the kernel reads the low 32 bits of flags. */
static const uint32_t clone_ns_flags = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
				       CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
				       CLONE_NEWNET;

/* The calls programs make most (x86_64 numbers, from syscall_64.tbl): on top
 * of one per number, a step on their path counts this many times, so that
 * they sit near the root of the search. */
static const struct {
	uint16_t nr, weight;
} hot_calls[] = {
	{0, 64} /* read */,          {1, 64} /* write */,         {3, 64} /* close */,
	{5, 32} /* fstat */,         {9, 32} /* mmap */,          {16, 64} /* ioctl */,
	{202, 64} /* futex */,       {257, 64} /* openat */,      {262, 32} /* newfstatat */,
	{8, 16} /* lseek */,         {10, 16} /* mprotect */,     {11, 16} /* munmap */,
	{12, 16} /* brk */,          {13, 16} /* rt_sigaction */, {14, 16} /* rt_sigprocmask */,
	{17, 16} /* pread64 */,      {20, 16} /* writev */,       {7, 16} /* poll */,
	{56, 16} /* clone */,        {72, 16} /* fcntl */,        {217, 16} /* getdents64 */,
	{232, 16} /* epoll_wait */,  {281, 16} /* epoll_pwait */, {332, 16} /* statx */,
};

/* ---- verdicts: what each syscall number leads to ----------------------- */

/* The blocks the search can lead to, each emitted at most once. */
/* (B_OPEN and B_OPENAT go on to B_MODE2 and B_MODE3, which come after
 * them: emit_blocks() places each block some earlier one jumps to.) */
enum block { B_X32, B_IOCTL, B_CLONE, B_PERSONALITY, B_SOCKETPAIR, B_SOCKET, B_OPEN,
	     B_OPENAT, B_MODE1, B_MODE2, B_MODE3, B_MEMFD, NBLOCKS };

/* A return value, or a block that decides on the arguments. */
struct verdict {
	bool is_block;
	uint32_t v; /* the SECCOMP_RET_* value, or the enum block */
};

static struct verdict ret_verdict(uint32_t action)
{
	return (struct verdict){false, action};
}

static struct verdict block_verdict(enum block b)
{
	return (struct verdict){true, (uint32_t)b};
}

static bool same_verdict(struct verdict a, struct verdict b)
{
	return a.is_block == b.is_block && a.v == b.v;
}

/* Numbers the table does not reach, up to the x32 ones, and nr -1: the
 * default action. */
static struct verdict past_table_verdict(void)
{
	return ret_verdict(SECCOMP_RET_ALLOW);
}

/* An argument-filtered call keeps its filter unless the policy denies or
 * kills it outright. */
static bool keeps_arg_filter(const struct ir *ir, int nr)
{
	return nr >= 0 && (!ir->sys[nr].action || ir->sys[nr].action == SYS_ALLOW);
}

/* socket(): anything with net all; nothing with neither net unix nor a
 * port; else the socket block. */
static struct verdict socket_verdict(const struct ir *ir)
{
	if (ir->net_all)
		return ret_verdict(SECCOMP_RET_ALLOW);
	if (!ir->net_unix && !ir->nports)
		return ret_verdict(RET_ERRNO(EACCES));
	return block_verdict(B_SOCKET);
}

static void set_arg_filter(const struct ir *ir, struct verdict *table, const char *name,
			   struct verdict v)
{
	int nr = syscall_number(name);
	if (keeps_arg_filter(ir, nr))
		table[nr] = v;
}

static void arg_filter_verdicts(const struct ir *ir, struct verdict *table)
{
	set_arg_filter(ir, table, "ioctl", block_verdict(B_IOCTL));
	set_arg_filter(ir, table, "clone", block_verdict(B_CLONE));
	set_arg_filter(ir, table, "personality", block_verdict(B_PERSONALITY));
	/* socketpair only makes connected AF_UNIX pairs: nothing leaves */
	if (!ir->net_all)
		set_arg_filter(ir, table, "socketpair", block_verdict(B_SOCKETPAIR));
	set_arg_filter(ir, table, "socket", socket_verdict(ir));
	/* no setuid or setgid bit: the mode is the second argument of these,
	 * the third of these */
	static const char *const mode1[] = {"chmod", "fchmod", "creat", "mknod"};
	static const char *const mode2[] = {"fchmodat", "fchmodat2", "mknodat"};
	for (size_t i = 0; i < sizeof mode1 / sizeof mode1[0]; i++)
		set_arg_filter(ir, table, mode1[i], block_verdict(B_MODE1));
	for (size_t i = 0; i < sizeof mode2 / sizeof mode2[0]; i++)
		set_arg_filter(ir, table, mode2[i], block_verdict(B_MODE2));
	set_arg_filter(ir, table, "open", block_verdict(B_OPEN));
	set_arg_filter(ir, table, "openat", block_verdict(B_OPENAT));
	set_arg_filter(ir, table, "memfd_create", block_verdict(B_MEMFD));
}

/* The default deny set, but for calls the policy names itself. */
static void default_deny_verdicts(const struct ir *ir, struct verdict *table)
{
	for (size_t i = 0; i < n_default_denies; i++) {
		int nr = syscall_number(default_denies[i].name);
		if (nr < 0 || ir->sys[nr].action)
			continue;
		table[nr] = ret_verdict(default_denies[i].err
						? RET_ERRNO(default_denies[i].err)
						: SECCOMP_RET_KILL_PROCESS);
	}
}

static void policy_verdicts(const struct ir *ir, struct verdict *table)
{
	int clone3 = syscall_number("clone3");
	for (int nr = 0; nr < IR_NR_MAX; nr++) {
		enum sys_action a = ir->sys[nr].action;
		if (a == SYS_KILL)
			table[nr] = ret_verdict(SECCOMP_RET_KILL_PROCESS);
		else if (a == SYS_DENY)
			/* clone3 stays ENOSYS so that libc falls back to clone */
			table[nr] = ret_verdict(RET_ERRNO(nr == clone3 ? ENOSYS : EPERM));
	}
}

/* Under limit disk, fallocate(2) answers EOPNOTSUPP (unless the policy
 * names it): it takes gigabytes of disk in a millisecond, between two of
 * the supervisor's looks at the filesystems, while written data comes no
 * faster than it is written.  Programs fall back to writing, as on
 * filesystems without it (glibc's posix_fallocate does). */
static void disk_limit_verdicts(const struct ir *ir, struct verdict *table)
{
	int nr = syscall_number("fallocate");
	if ((ir->limits_present & (1U << LIM_DISK)) && nr >= 0 && !ir->sys[nr].action)
		table[nr] = ret_verdict(RET_ERRNO(EOPNOTSUPP));
}

/* table[nr] for every nr below IR_NR_MAX. */
static void fill_verdicts(const struct ir *ir, struct verdict *table)
{
	for (int nr = 0; nr < IR_NR_MAX; nr++)
		table[nr] = past_table_verdict();
	arg_filter_verdicts(ir, table);
	default_deny_verdicts(ir, table);
	disk_limit_verdicts(ir, table);
	policy_verdicts(ir, table);
}

/* ---- ranges: consecutive numbers with one verdict ------------------------ */

struct range {
	uint32_t first;        /* the range ends where the next one begins */
	struct verdict what;
};

struct ranges {
	struct range *v;
	size_t n;
	uint64_t *below;       /* below[i]: the weight of ranges 0..i-1 */
};

/* The weight of each number up to the first past the table: one for each
 * number of the kernel's table, plus the hot calls' own. */
static uint64_t *number_weights(void)
{
	uint64_t *w = xcalloc(IR_NR_MAX + 1, sizeof *w);
	for (uint32_t nr = 0; nr <= IR_NR_MAX; nr++)
		w[nr] = nr < KERNEL_TABLE_NRS;
	for (size_t i = 0; i < sizeof hot_calls / sizeof hot_calls[0]; i++)
		w[hot_calls[i].nr] += hot_calls[i].weight;
	return w;
}

/* The verdict of nr, up to the first number past the table. */
static struct verdict verdict_of(const struct verdict *table, uint32_t nr)
{
	return nr < IR_NR_MAX ? table[nr] : past_table_verdict();
}

/* The ranges of table and the first number past it, the last range open up
 * to the x32 numbers, weighed: the sum of their numbers' weights, at
 * least 1. */
static struct ranges make_ranges(const struct verdict *table)
{
	struct ranges r = {xcalloc(IR_NR_MAX + 1, sizeof *r.v), 0,
			   xcalloc(IR_NR_MAX + 2, sizeof *r.below)};
	uint64_t *weights = number_weights(), w = 0;
	for (uint32_t nr = 0; nr <= IR_NR_MAX; nr++) {
		struct verdict v = verdict_of(table, nr);
		if (r.n == 0 || !same_verdict(r.v[r.n - 1].what, v)) {
			if (r.n)
				r.below[r.n] = r.below[r.n - 1] + (w ? w : 1);
			r.v[r.n++] = (struct range){nr, v};
			w = 0;
		}
		w += weights[nr];
	}
	r.below[r.n] = r.below[r.n - 1] + (w ? w : 1);
	free(weights);
	return r;
}

static void free_ranges(struct ranges *r)
{
	free(r->v);
	free(r->below);
}

static uint64_t range_weight(const struct ranges *r, size_t t)
{
	return r->below[t + 1] - r->below[t];
}

static uint64_t weight_between(const struct ranges *r, size_t i, size_t j)
{
	return r->below[j] - r->below[i];
}

/* Range t is one number (the last range is open-ended: never). */
static bool single_number(const struct ranges *r, size_t t)
{
	return t + 1 < r->n && r->v[t + 1].first == r->v[t].first + 1;
}

/* ---- the search plan: the cheapest shape of each part of the search ------ */

/* The search over ranges i..j-1 is either a JGE on the first number of a
 * range k (below k, and from k on), or a leaf: one verdict for the whole
 * part, after up to MAX_EXCEPTIONS JEQs for single numbers that have
 * another (a call denied between allowed ones costs one JEQ instead of
 * two JGEs).  The cost of a shape, in steps of the kernel's emulation: one
 * per weight unit of the numbers that pass each comparison, plus
 * EBPF_COST per instruction after the kernel's conversion to eBPF (a
 * conditional jump neither of whose branches is the next instruction
 * becomes two).  The cheapest shapes come from a dynamic program over all
 * the parts, smallest first; the JGE tried are those between the best
 * ones of the two parts one range smaller (Knuth's bound: not always the
 * very best, within a few percent, and quadratic rather than cubic).
 * Quadratic still costs: 47 us for the 67 ranges of base, 300 us for a
 * policy that names 100 calls (142 ranges).  So with more than
 * PLAN_FULL ranges the table only holds parts of up to PLAN_WINDOW ranges,
 * and a longer part is split at the median of its weight: the top of the
 * search is balanced by weight instead of the cheapest, the parts below
 * are the cheapest, and planning grows linearly with the ranges. */
#define PLAN_FULL 96
#define PLAN_WINDOW 16
#define MAX_EXCEPTIONS 4
/* one eBPF instruction costs the kernel about 0.3 us to convert and JIT, a
 * step of its emulation about 3 ns (6.18, x86_64) */
#define EBPF_COST 100

struct leaf {
	struct verdict base;
	size_t except[MAX_EXCEPTIONS]; /* ranges of one number, heaviest first */
	size_t n;
	uint64_t cost;
};

/* The leaf for i..j-1 whose verdict is that of range base, if the others
 * are few single numbers. */
static bool leaf_with_base(const struct ranges *r, size_t i, size_t j, size_t base,
			   struct leaf *l)
{
	l->base = r->v[base].what;
	l->n = 0;
	for (size_t t = i; t < j; t++) {
		if (same_verdict(r->v[t].what, l->base))
			continue;
		if (!single_number(r, t) || l->n == MAX_EXCEPTIONS)
			return false;
		size_t at = l->n++;
		for (; at > 0 && range_weight(r, l->except[at - 1]) < range_weight(r, t); at--)
			l->except[at] = l->except[at - 1];
		l->except[at] = t;
	}
	uint64_t base_weight = weight_between(r, i, j);
	l->cost = l->n ? EBPF_COST * (l->n + 1) : 0;
	for (size_t p = 0; p < l->n; p++) {
		base_weight -= range_weight(r, l->except[p]);
		l->cost += (p + 1) * range_weight(r, l->except[p]);
	}
	l->cost += l->n * base_weight;
	return true;
}

/* The cheapest leaf for i..j-1, if there is one. */
static bool best_leaf(const struct ranges *r, size_t i, size_t j, struct leaf *best)
{
	struct leaf l;
	bool found = false;
	if (j - i > 2 * MAX_EXCEPTIONS + 1)
		return false;
	for (size_t t = i; t < j; t++)
		if (!single_number(r, t)) /* it cannot be an exception */
			return leaf_with_base(r, i, j, t, best);
	for (size_t base = i; base < j; base++) {
		/* a verdict tried already makes the same leaf */
		bool tried = false;
		for (size_t t = i; t < base && !tried; t++)
			tried = same_verdict(r->v[t].what, r->v[base].what);
		if (!tried && leaf_with_base(r, i, j, base, &l) && (!found || l.cost < best->cost)) {
			*best = l;
			found = true;
		}
	}
	return found;
}

struct plan {
	size_t window;         /* the longest part planned by the table */
	size_t stride;         /* part i..j-1 is cell i * stride + j - i */
	uint32_t *cost;        /* below 1025 levels x 2,400 weight + 205,000 */
	uint16_t *split;       /* the k of its JGE, or 0 for a leaf */
};

static size_t cell(const struct plan *p, size_t i, size_t j)
{
	return i * p->stride + (j - i);
}

/* The JGE splits of i..j-1 worth trying: lo..hi. */
static void split_bounds(const struct plan *p, size_t i, size_t j, size_t *lo, size_t *hi)
{
	size_t left = p->split[cell(p, i, j - 1)], right = p->split[cell(p, i + 1, j)];
	*lo = left > i ? left : i + 1;
	*hi = right ? right : j - 1;
	if (*lo > *hi) {
		*lo = i + 1;
		*hi = j - 1;
	}
}

static void plan_part(struct plan *p, const struct ranges *r, size_t i, size_t j)
{
	struct leaf l;
	uint64_t best = UINT64_MAX;
	size_t best_split = 0, lo, hi;
	if (best_leaf(r, i, j, &l))
		best = l.cost;
	if (j - i >= 2) {
		split_bounds(p, i, j, &lo, &hi);
		for (size_t k = lo; k <= hi; k++) {
			/* a JGE between two lone ranges jumps away on both branches */
			uint64_t ebpf = k - i == 1 && j - k == 1 ? 2 : 1;
			uint64_t c = p->cost[cell(p, i, k)] + p->cost[cell(p, k, j)] +
				     EBPF_COST * ebpf + weight_between(r, i, j);
			if (c < best) {
				best = c;
				best_split = k;
			}
		}
	}
	p->cost[cell(p, i, j)] = (uint32_t)best;
	p->split[cell(p, i, j)] = (uint16_t)best_split;
}

static struct plan make_plan(const struct ranges *r)
{
	size_t window = r->n <= PLAN_FULL ? r->n : PLAN_WINDOW;
	struct plan p = {window, window + 1, NULL, NULL};
	p.cost = xcalloc((r->n + 1) * p.stride, sizeof *p.cost);
	p.split = xcalloc((r->n + 1) * p.stride, sizeof *p.split);
	for (size_t len = 1; len <= window; len++)
		for (size_t i = 0; i + len <= r->n; i++)
			plan_part(&p, r, i, i + len);
	return p;
}

/* Where to split a part longer than the plan's window: the range at the
 * median of its weight (never its first). */
static size_t median_split(const struct ranges *r, size_t i, size_t j)
{
	uint64_t half = r->below[i] + weight_between(r, i, j) / 2;
	size_t k = i + 1;
	while (k < j - 1 && r->below[k + 1] <= half)
		k++;
	return k;
}

/* The JGE of part i..j-1: the range it splits at, or 0 for a leaf. */
static size_t split_of(const struct plan *p, const struct ranges *r, size_t i, size_t j)
{
	return j - i > p->window ? median_split(r, i, j) : p->split[cell(p, i, j)];
}

static void free_plan(struct plan *p)
{
	free(p->cost);
	free(p->split);
}

/* ---- the assembler: instructions with symbolic jump targets -------------- */

#define NOT_PLACED ((size_t)-1)

struct op {
	uint16_t code;
	uint32_t k;
	size_t jt, jf;         /* labels: both for a conditional jump, jt for JA */
};

struct ret_slot {
	uint32_t action;
	size_t label;
};

struct emitter {
	struct op *ops;
	size_t nops, ops_cap;
	size_t *label_at;      /* the op index of each label, or NOT_PLACED */
	size_t nlabels, labels_cap;
	size_t block_label[NBLOCKS]; /* NOT_PLACED until something jumps there */
	struct ret_slot *rets; /* in the order first jumped to */
	size_t nrets, rets_cap;
};

static void emitter_init(struct emitter *e)
{
	memset(e, 0, sizeof *e);
	for (size_t b = 0; b < NBLOCKS; b++)
		e->block_label[b] = NOT_PLACED;
}

static void emitter_free(struct emitter *e)
{
	free(e->ops);
	free(e->label_at);
	free(e->rets);
}

static size_t new_label(struct emitter *e)
{
	XGROW(e->label_at, e->nlabels, e->labels_cap);
	e->label_at[e->nlabels] = NOT_PLACED;
	return e->nlabels++;
}

/* The label names the next instruction emitted. */
static void place(struct emitter *e, size_t label)
{
	e->label_at[label] = e->nops;
}

static size_t emit(struct emitter *e, uint16_t code, uint32_t k, size_t jt, size_t jf)
{
	XGROW(e->ops, e->nops, e->ops_cap);
	e->ops[e->nops] = (struct op){code, k, jt, jf};
	return e->nops++;
}

static void emit_load(struct emitter *e, uint32_t offset)
{
	emit(e, BPF_LD | BPF_W | BPF_ABS, offset, 0, 0);
}

static void emit_and(struct emitter *e, uint32_t mask)
{
	emit(e, BPF_ALU | BPF_AND | BPF_K, mask, 0, 0);
}

/* A conditional jump on A (op: BPF_JEQ, BPF_JGE, BPF_JSET...). */
static size_t emit_jump(struct emitter *e, uint16_t op, uint32_t k, size_t if_true,
			size_t if_false)
{
	return emit(e, BPF_JMP | op | BPF_K, k, if_true, if_false);
}

/* Goes on to the next instruction when A == k, else to fail. */
static void expect_eq(struct emitter *e, uint32_t k, size_t fail)
{
	size_t next = new_label(e);
	emit_jump(e, BPF_JEQ, k, next, fail);
	place(e, next);
}

/* A JEQ per value of A: to its label, else to the next; the last to fail. */
static void emit_dispatch(struct emitter *e, const uint32_t *values, const size_t *labels,
			  size_t n, size_t fail)
{
	for (size_t i = 0; i < n; i++) {
		size_t next = i + 1 < n ? new_label(e) : fail;
		emit_jump(e, BPF_JEQ, values[i], labels[i], next);
		if (i + 1 < n)
			place(e, next);
	}
}

/* The label of the shared RET action (emitted at the end). */
static size_t ret_label(struct emitter *e, uint32_t action)
{
	for (size_t i = 0; i < e->nrets; i++)
		if (e->rets[i].action == action)
			return e->rets[i].label;
	XGROW(e->rets, e->nrets, e->rets_cap);
	e->rets[e->nrets] = (struct ret_slot){action, new_label(e)};
	return e->rets[e->nrets++].label;
}

static size_t block_label(struct emitter *e, enum block b)
{
	if (e->block_label[b] == NOT_PLACED)
		e->block_label[b] = new_label(e);
	return e->block_label[b];
}

static size_t verdict_label(struct emitter *e, struct verdict v)
{
	return v.is_block ? block_label(e, (enum block)v.v) : ret_label(e, v.v);
}

/* ---- the program's parts -------------------------------------------------- */

/* The arch and x32 checks; returns the x32 jump, whose false branch is the
 * search, still to be set. */
static size_t emit_header(struct emitter *e)
{
	size_t kill = ret_label(e, SECCOMP_RET_KILL_PROCESS);
	emit_load(e, OFF_ARCH);
	expect_eq(e, AUDIT_ARCH_X86_64, kill);
	emit_load(e, OFF_NR);
	return emit_jump(e, BPF_JGE, X32_SYSCALL_BIT, block_label(e, B_X32), NOT_PLACED);
}

/* A leaf of the search: a JEQ for each exception, heaviest first, then
 * the jump to the base verdict.  Returns the label of its entry. */
static size_t emit_leaf(struct emitter *e, const struct ranges *r, size_t i, size_t j)
{
	struct leaf l;
	if (!best_leaf(r, i, j, &l))
		return NOT_PLACED; /* the plan only has leaves that exist */
	if (l.n == 0)
		return verdict_label(e, l.base);
	size_t entry = new_label(e);
	place(e, entry);
	for (size_t p = 0; p < l.n; p++) {
		const struct range *x = &r->v[l.except[p]];
		size_t next = p + 1 < l.n ? new_label(e) : verdict_label(e, l.base);
		emit_jump(e, BPF_JEQ, x->first, verdict_label(e, x->what), next);
		if (p + 1 < l.n)
			place(e, next);
	}
	return entry;
}

/* The search over ranges i..j-1 as planned, A = nr; returns the label of
 * its entry.  The part that has code follows its JGE, so that one of the
 * two branches falls through (one eBPF instruction instead of two). */
static size_t emit_search(struct emitter *e, const struct ranges *r, const struct plan *p,
			  size_t i, size_t j)
{
	size_t k = split_of(p, r, i, j);
	if (k == 0)
		return emit_leaf(e, r, i, j);
	size_t entry = new_label(e), below, above;
	place(e, entry);
	size_t node = emit_jump(e, BPF_JGE, r->v[k].first, NOT_PLACED, NOT_PLACED);
	if (k - i > 1) {
		below = emit_search(e, r, p, i, k);
		above = emit_search(e, r, p, k, j);
	} else {
		above = emit_search(e, r, p, k, j);
		below = emit_search(e, r, p, i, k);
	}
	e->ops[node].jt = above;
	e->ops[node].jf = below;
	return entry;
}

/* nr >= 0x40000000: the x32 ABI (0x40000000 | nr) kills the process, as
 * another ABI would; but nr -1 (0xffffffff), which a tracer sets to skip a
 * call, is answered like the numbers past the table (as libseccomp's
 * program did). */
static void emit_x32(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	emit_jump(e, BPF_JEQ, 0xffffffff, verdict_label(e, past_table_verdict()),
		  ret_label(e, SECCOMP_RET_KILL_PROCESS));
}

/* ioctl(fd, cmd): TIOCSTI and TIOCLINUX denied.  The command is compared on
 * its low 32 bits only: the kernel truncates it to an unsigned int, so a
 * value with high bits set must still match (the TIOCSTI | 1 << 32 bypass
 * of CVE-2019-7303). */
static void emit_ioctl(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	static const uint32_t cmds[] = {TIOCSTI_CMD, TIOCLINUX_CMD};
	size_t eperm = ret_label(e, RET_ERRNO(EPERM)), labels[] = {eperm, eperm};
	emit_load(e, ARG_LO(1));
	emit_dispatch(e, cmds, labels, 2, ret_label(e, SECCOMP_RET_ALLOW));
}

/* clone(flags, ...): no namespace flag.  One bit test of the low 32 bits of
 * flags, all the kernel reads (a namespace flag only above bit 31 is a
 * plain fork to the kernel, allowed). */
static void emit_clone(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	emit_load(e, ARG_LO(0));
	emit_jump(e, BPF_JSET, clone_ns_flags, ret_label(e, RET_ERRNO(EPERM)),
		  ret_label(e, SECCOMP_RET_ALLOW));
}

/* Allows the call only when argument arg is value, compared on 64 bits,
 * both halves (a value with high bits set is refused: the safe side for an
 * int argument); else it returns refuse. */
static void allow_only_value64(struct emitter *e, unsigned arg, uint32_t value,
			       uint32_t refuse)
{
	size_t no = ret_label(e, refuse);
	emit_load(e, ARG_HI(arg));
	expect_eq(e, 0, no);
	emit_load(e, ARG_LO(arg));
	emit_jump(e, BPF_JEQ, value, ret_label(e, SECCOMP_RET_ALLOW), no);
}

/* personality(persona): only the query, personality(0xffffffff): setting a
 * persona can turn off ASLR (ADDR_NO_RANDOMIZE) or make data executable
 * (READ_IMPLIES_EXEC), and the kernel stores every other value. */
static void emit_personality(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	allow_only_value64(e, 0, 0xffffffff, RET_ERRNO(EPERM));
}

/* socketpair(domain, ...): AF_UNIX only. */
static void emit_socketpair(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	allow_only_value64(e, 0, AF_UNIX, RET_ERRNO(EACCES));
}

/* An AF_UNIX socket: protocol 0 only (the high half of the protocol is
 * already known to be 0). */
static void emit_unix_socket(struct emitter *e)
{
	emit_load(e, ARG_LO(2));
	emit_jump(e, BPF_JEQ, 0, ret_label(e, SECCOMP_RET_ALLOW),
		  ret_label(e, RET_ERRNO(EACCES)));
}

/* An AF_INET or AF_INET6 socket: only SOCK_STREAM (with SOCK_NONBLOCK or
 * SOCK_CLOEXEC) and protocol 0 or IPPROTO_TCP, so no UDP, raw, SCTP or
 * MPTCP.  The type is compared on its low 32 bits, all the kernel reads,
 * and only its low 4 bits (SOCK_TYPE_MASK: the flags are free); the
 * protocol on 64 bits (its high half is already known to be 0). */
static void emit_inet_socket(struct emitter *e)
{
	size_t eacces = ret_label(e, RET_ERRNO(EACCES)), allow = ret_label(e, SECCOMP_RET_ALLOW);
	static const uint32_t protocols[] = {0, IPPROTO_TCP};
	const size_t labels[] = {allow, allow};
	emit_load(e, ARG_LO(1));
	emit_and(e, 0xf);
	expect_eq(e, SOCK_STREAM, eacces);
	emit_load(e, ARG_LO(2));
	emit_dispatch(e, protocols, labels, 2, eacces);
}

/* socket(domain, type, protocol) when net unix or a port allows some: the
 * domain must be one of theirs, compared on 64 bits (a domain with high
 * bits set is denied, the safe side for an int argument), and so is the
 * protocol, whose high half must be 0 for every domain allowed. */
static void emit_socket(struct emitter *e, const struct ir *ir)
{
	size_t eacces = ret_label(e, RET_ERRNO(EACCES));
	size_t unix_label = new_label(e), inet_label = new_label(e);
	uint32_t domains[3];
	size_t labels[3], n = 0;
	if (ir->net_unix) {
		domains[n] = AF_UNIX;
		labels[n++] = unix_label;
	}
	if (ir->nports) {
		domains[n] = AF_INET;
		labels[n++] = inet_label;
		domains[n] = AF_INET6;
		labels[n++] = inet_label;
	}
	emit_load(e, ARG_HI(0));
	expect_eq(e, 0, eacces);
	emit_load(e, ARG_HI(2));
	expect_eq(e, 0, eacces);
	emit_load(e, ARG_LO(0));
	emit_dispatch(e, domains, labels, n, eacces);
	if (ir->net_unix) {
		place(e, unix_label);
		emit_unix_socket(e);
	}
	if (ir->nports) {
		place(e, inet_label);
		emit_inet_socket(e);
	}
}

/* A mode argument (umode_t: the kernel reads its low 16 bits) with neither
 * S_ISUID nor S_ISGID, else EPERM: a root command without capabilities
 * still owns root's files, and a setuid-root program it leaves in the
 * workspace runs as root when the user runs it later.  One bit test of the
 * low 32 bits. */
static void emit_mode(struct emitter *e, unsigned arg)
{
	emit_load(e, ARG_LO(arg));
	emit_jump(e, BPF_JSET, SETID_BITS, ret_label(e, RET_ERRNO(EPERM)),
		  ret_label(e, SECCOMP_RET_ALLOW));
}

static void emit_mode1(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	emit_mode(e, 1);
}

static void emit_mode2(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	emit_mode(e, 2);
}

static void emit_mode3(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	emit_mode(e, 3);
}

/* open(path, flags, mode) and openat(dirfd, path, flags, mode): the mode
 * only counts when the flags create a file (O_CREAT, O_TMPFILE); flags is
 * an int (its low 32 bits).  (openat2's mode lives in memory seccomp cannot
 * read: it answers ENOSYS, and programs fall back to openat.) */
static void emit_open_flags(struct emitter *e, unsigned flags_arg, enum block mode_block)
{
	emit_load(e, ARG_LO(flags_arg));
	emit_jump(e, BPF_JSET, CREATE_FLAGS, block_label(e, mode_block),
		  ret_label(e, SECCOMP_RET_ALLOW));
}

static void emit_open(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	emit_open_flags(e, 1, B_MODE2);
}

static void emit_openat(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	emit_open_flags(e, 2, B_MODE3);
}

/* memfd_create(name, flags): Landlock's exec rules never see a memfd, so no
 * memfd may become executable.  MFD_EXEC is refused (EPERM); with
 * MFD_NOEXEC_SEAL (Linux 6.3) the memfd can never get an exec bit, and the
 * call goes through; without either, the runtime's supervisor makes the
 * memfd itself with MFD_NOEXEC_SEAL added (SECCOMP_RET_USER_NOTIF; with no
 * supervisor listening the kernel answers ENOSYS, which programs take as
 * "no memfd").  flags is an unsigned int (its low 32 bits). */
static void emit_memfd(struct emitter *e, const struct ir *ir)
{
	(void)ir;
	size_t next = new_label(e);
	emit_load(e, ARG_LO(1));
	emit_jump(e, BPF_JSET, MFD_EXEC, ret_label(e, RET_ERRNO(EPERM)), next);
	place(e, next);
	emit_jump(e, BPF_JSET, MFD_NOEXEC_SEAL, ret_label(e, SECCOMP_RET_ALLOW),
		  ret_label(e, SECCOMP_RET_USER_NOTIF));
}

/* Each block that some jump leads to, at its label. */
static void emit_blocks(struct emitter *e, const struct ir *ir)
{
	static void (*const emitters[NBLOCKS])(struct emitter *, const struct ir *) = {
		[B_X32] = emit_x32,
		[B_IOCTL] = emit_ioctl,
		[B_CLONE] = emit_clone,
		[B_PERSONALITY] = emit_personality,
		[B_SOCKETPAIR] = emit_socketpair,
		[B_SOCKET] = emit_socket,
		[B_OPEN] = emit_open,
		[B_OPENAT] = emit_openat,
		[B_MODE1] = emit_mode1,
		[B_MODE2] = emit_mode2,
		[B_MODE3] = emit_mode3,
		[B_MEMFD] = emit_memfd,
	};
	for (size_t b = 0; b < NBLOCKS; b++)
		if (e->block_label[b] != NOT_PLACED) {
			place(e, e->block_label[b]);
			emitters[b](e, ir);
		}
}

static void emit_returns(struct emitter *e)
{
	for (size_t i = 0; i < e->nrets; i++) {
		place(e, e->rets[i].label);
		emit(e, BPF_RET | BPF_K, e->rets[i].action, 0, 0);
	}
}

/* ---- layout: trampolines for far jumps, then the final encoding ---------- */

static bool is_cond_jump(const struct op *o)
{
	return BPF_CLASS(o->code) == BPF_JMP && BPF_OP(o->code) != BPF_JA;
}

/* How far ahead of the op at pc the label is (negative: behind it). */
static long long distance(const struct emitter *e, size_t pc, size_t label)
{
	return (long long)e->label_at[label] - (long long)pc - 1;
}

/* Inserts op at index at; labels of later instructions move with them. */
static void insert_op(struct emitter *e, size_t at, struct op op)
{
	XGROW(e->ops, e->nops, e->ops_cap);
	memmove(&e->ops[at + 1], &e->ops[at], (e->nops - at) * sizeof *e->ops);
	e->ops[at] = op;
	e->nops++;
	for (size_t l = 0; l < e->nlabels; l++)
		if (e->label_at[l] != NOT_PLACED && e->label_at[l] >= at)
			e->label_at[l]++;
}

/* Whether o does what the instruction at target does: the same RET, or a
 * JA to it. */
static bool stands_in_for(const struct emitter *e, const struct op *o, size_t target)
{
	const struct op *t = &e->ops[e->label_at[target]];
	if (t->code == (BPF_RET | BPF_K))
		return o->code == t->code && o->k == t->k;
	return o->code == (BPF_JMP | BPF_JA) && o->jt == target;
}

/* A stand-in for target within reach of the jump at pc, or NOT_PLACED. */
static size_t stand_in_in_reach(const struct emitter *e, size_t pc, size_t target)
{
	for (size_t at = pc + 1; at < e->nops && at - pc - 1 <= MAX_JUMP; at++)
		if (stands_in_for(e, &e->ops[at], target))
			return at;
	return NOT_PLACED;
}

static bool falls_through(const struct op *o)
{
	return BPF_CLASS(o->code) != BPF_JMP && BPF_CLASS(o->code) != BPF_RET;
}

/* A new stand-in for target, a copy of the RET there or a JA to it (a
 * 32-bit offset): right after the jump at pc, or with far, as far ahead as
 * half its reach, so that the jumps after pc can share it (after an
 * instruction that does not fall through: a jump or a RET).  Returns where
 * it is. */
static size_t insert_stand_in(struct emitter *e, size_t pc, size_t target, bool far)
{
	const struct op *t = &e->ops[e->label_at[target]];
	struct op op = t->code == (BPF_RET | BPF_K)
			       ? *t
			       : (struct op){BPF_JMP | BPF_JA, 0, target, NOT_PLACED};
	size_t at = pc + 1 + (far ? MAX_JUMP / 2 : 0); /* the target is further */
	while (falls_through(&e->ops[at - 1]))
		at--; /* stops at pc + 1 at the latest: pc is a jump */
	insert_op(e, at, op);
	return at;
}

static size_t label_of_op(struct emitter *e, size_t at)
{
	size_t label = new_label(e);
	e->label_at[label] = at;
	return label;
}

/* The label of a trampoline for the far jump of pc to target: one already
 * in reach, else a new one (far: see insert_stand_in); *inserted says
 * which. */
static size_t trampoline(struct emitter *e, size_t pc, size_t target, bool far,
			 bool *inserted)
{
	size_t at = stand_in_in_reach(e, pc, target);
	if (at == NOT_PLACED) {
		at = insert_stand_in(e, pc, target, far);
		*inserted = true;
	}
	return label_of_op(e, at);
}

/* The jump of pc to label cannot reach it (a label never placed is left
 * for encode() to report). */
static bool too_far(const struct emitter *e, size_t pc, size_t label)
{
	return label < e->nlabels && e->label_at[label] != NOT_PLACED &&
	       distance(e, pc, label) > MAX_JUMP;
}

/* One pass of trampolines; returns whether it inserted any (an insertion
 * can push another jump's target out of reach: then pass again).  The
 * first pass puts them ahead, to be shared; the later ones right after
 * their jump, where no other insertion can push them away (so that the
 * passes end). */
static bool add_trampolines(struct emitter *e, bool far)
{
	bool inserted = false;
	for (size_t pc = 0; pc < e->nops; pc++) {
		if (!is_cond_jump(&e->ops[pc]))
			continue;
		if (too_far(e, pc, e->ops[pc].jt)) {
			size_t label = trampoline(e, pc, e->ops[pc].jt, far, &inserted);
			e->ops[pc].jt = label; /* (e->ops may have moved) */
		}
		if (too_far(e, pc, e->ops[pc].jf)) {
			size_t label = trampoline(e, pc, e->ops[pc].jf, far, &inserted);
			e->ops[pc].jf = label;
		}
	}
	return inserted;
}

/* The offset of a jump of the op at pc to label, or -1 if it cannot be
 * encoded (a bug of this file). */
static long long jump_offset(const struct emitter *e, size_t pc, size_t label,
			     long long max)
{
	if (label >= e->nlabels || e->label_at[label] == NOT_PLACED)
		return -1;
	long long d = distance(e, pc, label);
	return d > max ? -1 : d;
}

static bool encode_op(const struct emitter *e, size_t pc, struct sock_filter *out)
{
	const struct op *o = &e->ops[pc];
	*out = (struct sock_filter){o->code, 0, 0, o->k};
	if (o->code == (BPF_JMP | BPF_JA)) {
		long long d = jump_offset(e, pc, o->jt, UINT32_MAX);
		out->k = (uint32_t)d;
		return d >= 0;
	}
	if (!is_cond_jump(o))
		return true;
	long long t = jump_offset(e, pc, o->jt, MAX_JUMP), f = jump_offset(e, pc, o->jf, MAX_JUMP);
	out->jt = (uint8_t)t;
	out->jf = (uint8_t)f;
	return t >= 0 && f >= 0;
}

static bool encode(struct compile_ctx *c, const struct emitter *e, struct sock_filter **prog,
		   size_t *n)
{
	if (e->nops > BPF_MAXINSNS) {
		diag_plain_error(&c->diag,
				 "the seccomp program has %zu instructions, more than the "
				 "kernel's %d (please report this as a cordonc bug)",
				 e->nops, BPF_MAXINSNS);
		return false;
	}
	*prog = xcalloc(e->nops, sizeof **prog);
	for (size_t pc = 0; pc < e->nops; pc++)
		if (!encode_op(e, pc, &(*prog)[pc])) {
			diag_plain_error(&c->diag,
					 "seccomp program: instruction %zu jumps to a place it "
					 "cannot reach (please report this as a cordonc bug)", pc);
			free(*prog);
			*prog = NULL;
			return false;
		}
	*n = e->nops;
	return true;
}

bool seccomp_generate(struct compile_ctx *c, const struct ir *ir,
		      struct sock_filter **prog, size_t *n)
{
	struct verdict *table = xcalloc(IR_NR_MAX, sizeof *table);
	struct emitter e;
	*prog = NULL;
	*n = 0;
	fill_verdicts(ir, table);
	struct ranges r = make_ranges(table);
	struct plan plan = make_plan(&r);
	emitter_init(&e);
	size_t x32_jump = emit_header(&e);
	size_t search = emit_search(&e, &r, &plan, 0, r.n); /* (e.ops moves as it grows) */
	e.ops[x32_jump].jf = search;
	emit_blocks(&e, ir);
	emit_returns(&e);
	for (bool far = true; e.nops <= BPF_MAXINSNS && add_trampolines(&e, far); far = false)
		;
	bool ok = encode(c, &e, prog, n);
	emitter_free(&e);
	free_plan(&plan);
	free_ranges(&r);
	free(table);
	return ok;
}
