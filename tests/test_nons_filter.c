/* Tests the runtime's own seccomp program for runs without namespaces
 * (runtime/nons_filter.c): it passes the runtime's bpf_check (the kernel's
 * rules), and on the interpreter gives, for every syscall number of
 * x86_64, its x32 twin and other ABIs, the answer it must: SysV IPC, POSIX
 * message queues and file_setattr EPERM; the metadata calls and memfd
 * without MFD_NOEXEC_SEAL or MFD_EXEC to the supervisor (with a listener;
 * else ALLOW, the policy's filter deciding); chattr's ioctls EPERM on the
 * low 32 bits of the command; everything else ALLOW.  The expectations are
 * written out here, independently of the program's own tables.  Installed
 * for real in a child, shmget(IPC_PRIVATE) fails with EPERM where the
 * control, without it, succeeds. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf_check.h"
#include "bpf_interp.h"
#include "memfd_newer.h"
#include "nons_filter.h"
#include "tap.h"

#define EPERM_ (SECCOMP_RET_ERRNO | EPERM)

static const int refused[] = {29, 30, 31, 67, 68, 69, 70, 71, 64, 65, 66, 220,
			      240, 241, 242, 243, 244, 245, 469};
static const int metadata[] = {90, 91, 268, 452, 92, 93, 94, 260, 132, 235,
			       261, 280, 188, 189, 190, 463, 197, 198, 199, 466};

static bool in(const int *v, size_t n, int x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static uint32_t run(const struct nons_filter *f, uint32_t arch, uint32_t nr, uint64_t a1)
{
	struct seccomp_data d = {.nr = (int)nr, .arch = arch};
	d.args[1] = a1;
	uint32_t got = 0xdead;
	const char *err = NULL;
	if (bpf_interp_run(f->insn, f->prog.len, &d, &got, &err) != 0)
		return 0xdead;
	return got;
}

static uint32_t expected(bool listener, uint32_t nr, uint64_t a1)
{
	if (in(refused, sizeof refused / sizeof refused[0], (int)nr))
		return EPERM_;
	if (nr == 16) /* ioctl: the command's low 32 bits */
		return (uint32_t)a1 == 0x40086602u || (uint32_t)a1 == 0x401c5820u
			       ? EPERM_ : SECCOMP_RET_ALLOW;
	if (!listener)
		return SECCOMP_RET_ALLOW;
	if (in(metadata, sizeof metadata / sizeof metadata[0], (int)nr))
		return SECCOMP_RET_USER_NOTIF;
	if (nr == 319) /* memfd_create: the flags' low 32 bits */
		return (uint32_t)a1 & (MFD_EXEC | MFD_NOEXEC_SEAL) ? SECCOMP_RET_ALLOW
								   : SECCOMP_RET_USER_NOTIF;
	return SECCOMP_RET_ALLOW;
}

static void check(bool listener)
{
	struct nons_filter f;
	char err[256];
	const char *l = listener ? "with a listener" : "without a listener";
	int built = nf_build(&f, listener);
	if (!tap_ok(built == 0, "%s: the program is built (%u instructions)", l,
		    built == 0 ? (unsigned)f.prog.len : 0))
		return;
	if (!tap_ok(bpf_check(f.insn, f.prog.len, err, sizeof err) == 0,
		    "%s: it passes the runtime's bpf_check", l))
		tap_diag("%s", err);
	static const uint64_t args[] = {0, 1, 0x40086602u, 0x401c5820u, 1ULL << 32 | 0x40086602u,
					0x5401 /* TCGETS */, MFD_EXEC, MFD_NOEXEC_SEAL,
					1 /* MFD_CLOEXEC */, 1ULL << 32 | MFD_EXEC,
					(uint64_t)MFD_NOEXEC_SEAL << 32, ~0ULL};
	unsigned bad = 0, points = 0;
	for (uint32_t nr = 0; nr < 1100; nr++)
		for (size_t a = 0; a < sizeof args / sizeof args[0]; a++) {
			uint32_t want = expected(listener, nr, args[a]);
			uint32_t got = run(&f, AUDIT_ARCH_X86_64, nr, args[a]);
			points++;
			if (got != want && bad++ < 10)
				tap_diag("%s: nr %u arg1 %#llx: got %#x, want %#x", l, nr,
					 (unsigned long long)args[a], got, want);
			/* x32 and other ABIs: the policy's filter kills them */
			if (run(&f, AUDIT_ARCH_X86_64, 0x40000000u | nr, args[a]) != SECCOMP_RET_ALLOW ||
			    run(&f, AUDIT_ARCH_I386, nr, args[a]) != SECCOMP_RET_ALLOW)
				bad++;
			points += 2;
		}
	tap_ok(bad == 0, "%s: every number of three ABIs answered as it must (%u points, %u wrong)",
	       l, points, bad);
}

int main(void)
{
	check(true);
	check(false);
	struct nons_filter f;
	nf_build(&f, false);
	int st;
	for (int with = 0; with < 2; with++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			if (with && (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
				     syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &f.prog) != 0))
				_exit(3);
			int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
			if (id >= 0)
				shmctl(id, IPC_RMID, NULL);
			_exit(id >= 0 ? 0 : errno == EPERM ? 1 : 2);
		}
		waitpid(pid, &st, 0);
		if (with)
			tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 1,
			       "installed: shmget(IPC_PRIVATE) fails with EPERM (status %#x)", st);
		else
			tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			       "control: shmget(IPC_PRIVATE) without the program works (status %#x)", st);
	}
	return tap_done();
}
