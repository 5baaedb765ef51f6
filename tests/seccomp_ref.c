/* The reference seccomp generator, for tests/test_seccomp.c only: cordonc's
 * generator before it had its own emitter (compiler/seccomp_gen.c).  The IR's
 * syscall rules, the default deny set and the argument filters (ioctl, clone,
 * personality, socket, socketpair, the mode of the calls that set or create
 * one, memfd_create) compiled with libseccomp and exported
 * through a memfd (libseccomp 2.5.4 has no export to memory).  The test
 * checks that both programs give the same answer everywhere; keep this file
 * as it is unless a rule of the policy language changes (then change both).
 * docs/language.md says what each net statement lets through; the comments
 * here say why each comparison has the width it has. */

#include <errno.h>
#include <linux/filter.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "ir.h"
#include "memfd_newer.h"
#include "seccomp_ref.h"
#include "xalloc.h"


#define TIOCSTI_CMD 0x5412
#define TIOCLINUX_CMD 0x541C

/* Namespace flags of clone(2): the kernel reads the low 32 bits of flags. */
static const uint64_t clone_ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
};

struct gen {
	struct compile_ctx *c;
	scmp_filter_ctx f;
	bool ok;
};

static void rule(struct gen *g, uint32_t action, int nr, unsigned n,
		 const struct scmp_arg_cmp *cmp)
{
	int r = seccomp_rule_add_exact_array(g->f, action, nr, n, cmp);
	if (r < 0 && g->ok) {
		char buf[64];
		const char *name = syscall_name((uint32_t)nr, buf);
		diag_plain_error(&g->c->diag,
				 "libseccomp refused a rule for %s: %s (please report "
				 "this as a cordonc bug)", name ? name : "?", strerror(-r));
		g->ok = false;
	}
}

static void rule0(struct gen *g, uint32_t action, int nr)
{
	rule(g, action, nr, 0, NULL);
}

static void rule1(struct gen *g, uint32_t action, int nr, struct scmp_arg_cmp a)
{
	rule(g, action, nr, 1, &a);
}

static void rule2(struct gen *g, uint32_t action, int nr, struct scmp_arg_cmp a,
		  struct scmp_arg_cmp b)
{
	struct scmp_arg_cmp v[2] = {a, b};
	rule(g, action, nr, 2, v);
}

/* Masked compare on the low 32 bits only: the kernel truncates these int
 * arguments, so a value with high bits set must still match (the
 * TIOCSTI | 1 << 32 bypass of CVE-2019-7303). */
static struct scmp_arg_cmp low32_masked(unsigned arg, uint32_t mask, uint32_t v)
{
	return (struct scmp_arg_cmp){arg, SCMP_CMP_MASKED_EQ, mask, v};
}

/* Denies socket(domain, ...) unless domain is in allowed (sorted, non-empty).
 * The comparisons are 64-bit and one-sided: anything with high bits set is
 * above the largest allowed value and so denied, which errs on the safe
 * side for an int argument. */
static void deny_other_domains(struct gen *g, uint32_t act, int nr,
			       const uint64_t *allowed, size_t n)
{
	rule1(g, act, nr, SCMP_A0_64(SCMP_CMP_LT, allowed[0]));
	rule1(g, act, nr, SCMP_A0_64(SCMP_CMP_GT, allowed[n - 1]));
	for (size_t i = 0; i + 1 < n; i++)
		for (uint64_t v = allowed[i] + 1; v < allowed[i + 1]; v++)
			rule1(g, act, nr, SCMP_A0_64(SCMP_CMP_EQ, v));
}

/* For an inet domain: only SOCK_STREAM (with SOCK_NONBLOCK/SOCK_CLOEXEC)
 * and protocol 0 or IPPROTO_TCP, so no UDP, raw, SCTP or MPTCP. */
static void tcp_only(struct gen *g, uint32_t act, int nr, uint64_t domain)
{
	struct scmp_arg_cmp d = SCMP_A0_64(SCMP_CMP_EQ, domain);
	/* the type (low 4 bits) is not SOCK_STREAM (1): either bit 0 is
	 * clear (0, 2, 4, ..., 14), or bit 0 and another low bit are set */
	rule2(g, act, nr, d, low32_masked(1, 0x1, 0));
	for (uint32_t bit = 0x2; bit <= 0x8; bit <<= 1)
		rule2(g, act, nr, d, low32_masked(1, 0x1 | bit, 0x1 | bit));
	rule2(g, act, nr, d, SCMP_A2_64(SCMP_CMP_GT, IPPROTO_TCP));
	for (uint64_t p = 1; p < IPPROTO_TCP; p++)
		rule2(g, act, nr, d, SCMP_A2_64(SCMP_CMP_EQ, p));
}

static void gen_sockets(struct gen *g, const struct ir *ir)
{
	int sock = syscall_number("socket"), pair = syscall_number("socketpair");
	uint32_t act = SCMP_ACT_ERRNO(EACCES);
	if (ir->net_all)
		return;
	/* socketpair only makes connected AF_UNIX pairs: nothing leaves */
	if (!ir->sys[pair].action || ir->sys[pair].action == SYS_ALLOW) {
		uint64_t unix_only[] = {AF_UNIX};
		deny_other_domains(g, act, pair, unix_only, 1);
	}
	if (ir->sys[sock].action && ir->sys[sock].action != SYS_ALLOW)
		return; /* denied or killed outright */
	uint64_t allowed[3];
	size_t n = 0;
	if (ir->net_unix)
		allowed[n++] = AF_UNIX;
	if (ir->nports) {
		allowed[n++] = AF_INET;
		allowed[n++] = AF_INET6;
	}
	if (n == 0) {
		rule0(g, act, sock);
		return;
	}
	deny_other_domains(g, act, sock, allowed, n);
	if (ir->net_unix)
		rule2(g, act, sock, SCMP_A0_64(SCMP_CMP_EQ, AF_UNIX),
		      SCMP_A2_64(SCMP_CMP_GT, 0));
	if (ir->nports) {
		tcp_only(g, act, sock, AF_INET);
		tcp_only(g, act, sock, AF_INET6);
	}
}

/* The policy keeps the argument filter of nr unless it denies or kills
 * the call outright. */
static bool filtered(const struct ir *ir, int nr)
{
	return !ir->sys[nr].action || ir->sys[nr].action == SYS_ALLOW;
}

/* Neither S_ISUID nor S_ISGID in the mode (umode_t: the kernel reads the
 * low 16 bits, so the masked compares see the low 32 only) of the calls
 * that set one; open and openat only when their flags (an int) create a
 * file (O_CREAT, O_TMPFILE). */
static void gen_modes(struct gen *g, const struct ir *ir)
{
	static const struct {
		const char *name;
		int mode_arg, flags_arg; /* flags_arg -1: the mode always counts */
	} calls[] = {
		{"chmod", 1, -1},    {"fchmod", 1, -1},   {"creat", 1, -1},
		{"mknod", 1, -1},    {"fchmodat", 2, -1}, {"fchmodat2", 2, -1},
		{"mknodat", 2, -1},  {"open", 2, 1},      {"openat", 3, 2},
	};
	/* O_CREAT, and the kernel's __O_TMPFILE bit (glibc's includes O_DIRECTORY) */
	static const uint32_t bits[] = {S_ISUID, S_ISGID}, creates[] = {O_CREAT, 020000000};
	uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		int nr = syscall_number(calls[i].name);
		if (!filtered(ir, nr))
			continue;
		for (size_t b = 0; b < 2; b++) {
			struct scmp_arg_cmp m = low32_masked((unsigned)calls[i].mode_arg, bits[b],
							     bits[b]);
			if (calls[i].flags_arg < 0) {
				rule1(g, eperm, nr, m);
				continue;
			}
			for (size_t f = 0; f < 2; f++)
				rule2(g, eperm, nr,
				      low32_masked((unsigned)calls[i].flags_arg, creates[f],
						   creates[f]), m);
		}
	}
}

/* memfd_create(name, flags): MFD_EXEC refused; neither MFD_EXEC nor
 * MFD_NOEXEC_SEAL goes to the runtime's supervisor (SCMP_ACT_NOTIFY);
 * MFD_NOEXEC_SEAL alone is allowed.  flags is an unsigned int. */
static void gen_memfd(struct gen *g, const struct ir *ir)
{
	int nr = syscall_number("memfd_create");
	if (!filtered(ir, nr))
		return;
	rule1(g, SCMP_ACT_ERRNO(EPERM), nr, low32_masked(1, MFD_EXEC, MFD_EXEC));
	rule1(g, SCMP_ACT_NOTIFY, nr, low32_masked(1, MFD_EXEC | MFD_NOEXEC_SEAL, 0));
}

static void gen_arg_filters(struct gen *g, const struct ir *ir)
{
	uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	int nr = syscall_number("ioctl");
	if (!ir->sys[nr].action || ir->sys[nr].action == SYS_ALLOW) {
		rule1(g, eperm, nr, low32_masked(1, 0xFFFFFFFF, TIOCSTI_CMD));
		rule1(g, eperm, nr, low32_masked(1, 0xFFFFFFFF, TIOCLINUX_CMD));
	}
	nr = syscall_number("clone");
	if (!ir->sys[nr].action || ir->sys[nr].action == SYS_ALLOW)
		for (size_t i = 0; i < sizeof clone_ns_flags / sizeof clone_ns_flags[0]; i++)
			rule1(g, eperm, nr,
			      low32_masked(0, (uint32_t)clone_ns_flags[i],
					   (uint32_t)clone_ns_flags[i]));
	nr = syscall_number("personality");
	if (!ir->sys[nr].action || ir->sys[nr].action == SYS_ALLOW) {
		/* only the query, personality(0xffffffff): setting a persona can
		 * turn off ASLR (ADDR_NO_RANDOMIZE) or make data executable
		 * (READ_IMPLIES_EXEC), and the kernel stores every other value.
		 * Two one-sided 64-bit compares leave exactly 0xffffffff. */
		rule1(g, eperm, nr, SCMP_A0_64(SCMP_CMP_LT, 0xffffffffULL));
		rule1(g, eperm, nr, SCMP_A0_64(SCMP_CMP_GT, 0xffffffffULL));
	}
	gen_sockets(g, ir);
	gen_modes(g, ir);
	gen_memfd(g, ir);
}

static void gen_syscalls(struct gen *g, const struct ir *ir)
{
	int clone3 = syscall_number("clone3");
	for (int nr = 0; nr < IR_NR_MAX; nr++) {
		enum sys_action a = ir->sys[nr].action;
		if (a == SYS_KILL)
			rule0(g, SCMP_ACT_KILL_PROCESS, nr);
		else if (a == SYS_DENY)
			/* clone3 stays ENOSYS so that libc falls back to clone */
			rule0(g, SCMP_ACT_ERRNO(nr == clone3 ? ENOSYS : EPERM), nr);
	}
	for (size_t i = 0; i < n_default_denies; i++) {
		int nr = syscall_number(default_denies[i].name);
		if (nr < 0 || ir->sys[nr].action)
			continue; /* named by the policy: handled above */
		rule0(g, default_denies[i].err ? SCMP_ACT_ERRNO((uint16_t)default_denies[i].err)
					       : SCMP_ACT_KILL_PROCESS, nr);
	}
	int falloc = syscall_number("fallocate");
	if ((ir->limits_present & (1U << LIM_DISK)) && !ir->sys[falloc].action)
		rule0(g, SCMP_ACT_ERRNO(EOPNOTSUPP), falloc);
}

static bool export(struct gen *g, struct sock_filter **prog, size_t *n)
{
	int fd = memfd_create("cordon-seccomp", MFD_CLOEXEC);
	if (fd < 0) {
		diag_plain_error(&g->c->diag, "memfd_create: %s", strerror(errno));
		return false;
	}
	int r = seccomp_export_bpf(g->f, fd);
	off_t size = lseek(fd, 0, SEEK_END);
	if (r < 0 || size <= 0 || size % 8 || size > 4096 * 8 ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		diag_plain_error(&g->c->diag,
				 "cannot export the seccomp program (%s, %lld bytes)",
				 r < 0 ? strerror(-r) : "bad size", (long long)size);
		close(fd);
		return false;
	}
	*prog = xmalloc((size_t)size);
	size_t got = 0;
	while (got < (size_t)size) {
		ssize_t k = read(fd, (char *)*prog + got, (size_t)size - got);
		if (k <= 0) {
			diag_plain_error(&g->c->diag, "reading the seccomp program: %s",
					 k < 0 ? strerror(errno) : "short read");
			close(fd);
			free(*prog);
			*prog = NULL;
			return false;
		}
		got += (size_t)k;
	}
	close(fd);
	*n = (size_t)size / 8;
	return true;
}

bool seccomp_generate_ref(struct compile_ctx *c, const struct ir *ir,
			  struct sock_filter **prog, size_t *n)
{
	struct gen g = {.c = c, .ok = true};
	*prog = NULL;
	*n = 0;
	g.f = seccomp_init(SCMP_ACT_ALLOW);
	if (!g.f) {
		diag_plain_error(&c->diag, "libseccomp: cannot create a filter");
		return false;
	}
	if (seccomp_arch_native() != SCMP_ARCH_X86_64 &&
	    (seccomp_arch_add(g.f, SCMP_ARCH_X86_64) < 0 ||
	     seccomp_arch_remove(g.f, seccomp_arch_native()) < 0))
		g.ok = false;
	/* another ABI (i386, x32) kills the whole process */
	if (seccomp_attr_set(g.f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_attr_set(g.f, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		g.ok = false;
	if (!g.ok)
		diag_plain_error(&c->diag, "libseccomp: cannot set up an x86_64 filter");
	if (g.ok)
		gen_syscalls(&g, ir);
	if (g.ok)
		gen_arg_filters(&g, ir);
	bool ok = g.ok && export(&g, prog, n);
	seccomp_release(g.f);
	return ok;
}
