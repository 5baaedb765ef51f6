/* The runtime's own seccomp program where no namespace can be had (see
 * nons_filter.h).
 *
 *   ld   [4]; jeq #AUDIT_ARCH_X86_64, else ALLOW (the policy's filter kills)
 *   ld   [0]; jge #0x40000000 -> ALLOW (x32: likewise)
 *   search   a JGE tree over the sorted numbers, up to three JEQs a leaf
 *   blocks   ioctl's command, memfd_create's flags
 *   returns  one RET per action
 * A tree rather than a chain of JEQs: the kernel runs the program for
 * every syscall number of two ABIs when it is installed (to find the
 * numbers whose answer is always ALLOW and skip the filter for them), so
 * each number's path should be short.  The program is short enough that
 * every jump is in reach of its 8-bit offset. */
#include "nons_filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "meta_guard.h"
#include "memfd_newer.h"

#define FS_IOC_SETFLAGS_ 0x40086602U   /* _IOW('f', 2, long) */
#define FS_IOC_FSSETXATTR_ 0x401c5820U /* _IOW('X', 32, struct fsxattr) */
#define NR_IOCTL 16
#define NR_MEMFD_CREATE 319
#define NR_FILE_SETATTR 469
#define OFF_NR 0
#define OFF_ARCH 4
#define OFF_ARG1_LO 24

/* What a number leads to: a return, or a block that reads an argument. */
enum act { A_ALLOW, A_EPERM, A_NOTIF, A_IOCTL, A_MEMFD, NACTS };

static const uint32_t ret_of[] = {
	[A_ALLOW] = SECCOMP_RET_ALLOW,
	[A_EPERM] = SECCOMP_RET_ERRNO | EPERM,
	[A_NOTIF] = SECCOMP_RET_USER_NOTIF,
};

/* SysV IPC, POSIX message queues, file_setattr (x86_64 numbers). */
static const int refused_nrs[] = {
	29 /* shmget */,       30 /* shmat */,           31 /* shmctl */,
	67 /* shmdt */,        68 /* msgget */,          69 /* msgsnd */,
	70 /* msgrcv */,       71 /* msgctl */,          64 /* semget */,
	65 /* semop */,        66 /* semctl */,          220 /* semtimedop */,
	240 /* mq_open */,     241 /* mq_unlink */,      242 /* mq_timedsend */,
	243 /* mq_timedreceive */, 244 /* mq_notify */,  245 /* mq_getsetattr */,
	NR_FILE_SETATTR,
};

struct entry {
	uint32_t nr;
	enum act act;
};

/* Jump targets stay symbolic until the end: an instruction index (>= 0),
 * or an act (-1 - act). */
struct asm_ {
	struct sock_filter *v;
	int jt[NF_MAX], jf[NF_MAX];
	size_t n;
	bool ok;
};

static int to_act(enum act a)
{
	return -1 - (int)a;
}

static size_t put(struct asm_ *a, uint16_t code, uint32_t k, int jt, int jf)
{
	if (a->n >= NF_MAX) {
		a->ok = false;
		return NF_MAX - 1;
	}
	a->v[a->n] = (struct sock_filter){code, 0, 0, k};
	a->jt[a->n] = jt;
	a->jf[a->n] = jf;
	return a->n++;
}

static void load(struct asm_ *a, uint32_t off)
{
	put(a, BPF_LD | BPF_W | BPF_ABS, off, 0, 0);
}

/* A conditional jump to jt, else to the next instruction or jf. */
static size_t jump(struct asm_ *a, uint16_t op, uint32_t k, int jt, int jf)
{
	return put(a, BPF_JMP | op | BPF_K, k, jt, jf);
}

static int next(const struct asm_ *a)
{
	return (int)a->n + 1;
}

static int by_nr(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	return (a->nr > b->nr) - (a->nr < b->nr);
}

/* The search over e[0..n-1] (sorted, n >= 1), A = nr; numbers not there:
 * ALLOW. */
static void search(struct asm_ *a, const struct entry *e, size_t n)
{
	if (n <= 3) {
		for (size_t i = 0; i < n; i++)
			jump(a, BPF_JEQ, e[i].nr, to_act(e[i].act),
			     i + 1 < n ? next(a) : to_act(A_ALLOW));
		return;
	}
	size_t mid = n / 2;
	size_t at = jump(a, BPF_JGE, e[mid].nr, 0, next(a));
	search(a, e, mid);
	a->jt[at] = (int)a->n;
	search(a, e + mid, n - mid);
}

/* Resolves the symbolic targets: acts to their block or RET. */
static void finish(struct asm_ *a, const size_t *act_at)
{
	for (size_t pc = 0; pc < a->n; pc++) {
		if (BPF_CLASS(a->v[pc].code) != BPF_JMP)
			continue;
		int t[2] = {a->jt[pc], a->jf[pc]};
		long rel[2];
		for (int i = 0; i < 2; i++) {
			size_t to = t[i] >= 0 ? (size_t)t[i] : act_at[-1 - t[i]];
			rel[i] = (long)to - (long)pc - 1;
			if (rel[i] < 0 || rel[i] > 255)
				a->ok = false;
		}
		a->v[pc].jt = (uint8_t)rel[0];
		a->v[pc].jf = (uint8_t)rel[1];
	}
}

int nf_build(struct nons_filter *f, bool listener)
{
	struct entry e[64];
	size_t ne = 0;
	for (size_t i = 0; i < sizeof refused_nrs / sizeof refused_nrs[0]; i++)
		e[ne++] = (struct entry){(uint32_t)refused_nrs[i], A_EPERM};
	e[ne++] = (struct entry){NR_IOCTL, A_IOCTL};
	if (listener) {
		for (int nr = 0; nr < 512 && ne < sizeof e / sizeof e[0] - 1; nr++)
			if (meta_handles(nr))
				e[ne++] = (struct entry){(uint32_t)nr, A_NOTIF};
		e[ne++] = (struct entry){NR_MEMFD_CREATE, A_MEMFD};
	}
	qsort(e, ne, sizeof e[0], by_nr);

	struct asm_ a = {.v = f->insn, .ok = true};
	size_t act_at[NACTS];
	load(&a, OFF_ARCH);
	jump(&a, BPF_JEQ, AUDIT_ARCH_X86_64, next(&a), to_act(A_ALLOW));
	load(&a, OFF_NR);
	jump(&a, BPF_JGE, 0x40000000, to_act(A_ALLOW), next(&a));
	search(&a, e, ne);
	/* ioctl(fd, cmd): the command is an unsigned int (its low 32 bits) */
	act_at[A_IOCTL] = a.n;
	load(&a, OFF_ARG1_LO);
	jump(&a, BPF_JEQ, FS_IOC_SETFLAGS_, to_act(A_EPERM), next(&a));
	jump(&a, BPF_JEQ, FS_IOC_FSSETXATTR_, to_act(A_EPERM), to_act(A_ALLOW));
	/* memfd_create(name, flags): MFD_EXEC is the policy's filter's EPERM,
	 * MFD_NOEXEC_SEAL its ALLOW; neither comes here */
	act_at[A_MEMFD] = a.n;
	load(&a, OFF_ARG1_LO);
	jump(&a, BPF_JSET, MFD_EXEC | MFD_NOEXEC_SEAL, to_act(A_ALLOW), to_act(A_NOTIF));
	for (int r = A_ALLOW; r <= A_NOTIF; r++) {
		act_at[r] = a.n;
		put(&a, BPF_RET | BPF_K, ret_of[r], 0, 0);
	}
	finish(&a, act_at);
	f->prog = (struct sock_fprog){(unsigned short)a.n, f->insn};
	return a.ok ? 0 : -1;
}
