/* Tests the seccomp filters that cordonc generates: every case of every
 * policy is checked twice, on synthetic seccomp_data through the user-space
 * interpreter and installed for real in a forked child making the real
 * syscall, each real denial against a control run without the filter.
 * Then the equivalence: compiler/seccomp_gen.c's program against the former
 * libseccomp generator (tests/seccomp_ref.c) on the interpreter, for these
 * policies, more, the golden and standard ones (when run from the
 * repository root) and random syscall rules: every number of three arches,
 * the x32 ones, and about 250,000 argument sets of the argument-filtered
 * calls each; every disagreement is a failure.
 * Usage: test_seccomp CORDONC_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf_check.h"
#include "bpf_interp.h"
#include "compile.h"
#include "ir.h"
#include "memfd_newer.h"
#include "policy_load.h"
#include "seccomp_ref.h"
#include "syscall_table.h"
#include "tap.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#define NR_OPEN_TREE_ATTR 467 /* newer than glibc 2.36's <sys/syscall.h> */
#define NR_FCHMODAT2 452

extern char **environ;

/* Expected actions, as the filter returns them. */
#define ALLOW_ SECCOMP_RET_ALLOW
#define KILL_ SECCOMP_RET_KILL_PROCESS
#define ERR_(e) (SECCOMP_RET_ERRNO | (uint32_t)(e))
#define EPERM_ ERR_(EPERM)
#define EACCES_ ERR_(EACCES)
#define ENOSYS_ ERR_(ENOSYS)
#define NOTIF_ SECCOMP_RET_USER_NOTIF

#define X32 0x40000000L
#define HI ((uint64_t)1 << 32)		/* a high bit the kernel truncates away */
#define HIALL 0xffffffff00000000ULL	/* all of them */
#define NEG(x) ((uint64_t)(int64_t)(x))

/* What a policy has that changes an expectation. */
enum {
	HAS_TCP = 1,	/* net connect/bind tcp */
	HAS_UNIX = 2,	/* net unix */
	HAS_ALL = 4,	/* net all */
	HAS_PTRACE = 8,	/* syscall allow ptrace */
	HAS_SYS = 16,	/* syscall deny getppid; syscall kill getuid */
};

/* How a case runs for real. */
enum how {
	H_SYSCALL,	/* syscall(nr, a[0..5]) */
	H_CLONE,	/* syscall(SYS_clone, a[0], 0...); the child _exits, is reaped */
	H_INT80,	/* int $0x80 with eax = nr (the i386 ABI) */
	H_INTERP,	/* no real run: interpreter only (unsafe or pointless for real) */
};

/* Arguments filled in at run time. */
enum {
	FIX_DEVNULL_A0 = 1,	/* a[0] = an fd of /dev/null */
	FIX_NOPID_A0 = 2,	/* a[0] = a pid that does not exist */
	FIX_NOPID_A1 = 4,	/* a[1] = likewise */
	FIX_PAIR_A3 = 8,	/* a[3] = int[2] for socketpair */
	FIX_NOPATH_A0 = 16,	/* a[0] = a path that does not exist */
	FIX_NOPATH_A1 = 32,	/* a[1] = likewise */
	FIX_USERNS = 64,	/* unprivileged: enter a new user namespace first, so
				 * that the control can create the other kinds (not
				 * for CLONE_NEWUSER: an unmapped uid cannot nest one) */
	FIX_NAME_A0 = 128,	/* a[0] = a memfd name */
	FIX_HOW_A2 = 256,	/* a[2] = a struct open_how of O_RDONLY (openat2) */
};

struct tcase {
	const char *name;
	uint32_t arch;		/* 0: x86_64 */
	long nr;
	uint64_t a[6];
	unsigned fix;
	enum how how;
	uint32_t base;		/* the expected action... */
	unsigned when;		/* ...unless the policy has one of these, */
	uint32_t alt;		/* then this one */
};

#define C(label, n, ...) .name = (label), .nr = (n), .a = {__VA_ARGS__}
#define ALWAYS(x) .base = (x)
#define UNLESS(f, x, y) .base = (x), .when = (f), .alt = (y)
/* a socket call denied with EACCES unless the policy has one of f */
#define NET_UNLESS(f) UNLESS((f) | HAS_ALL, EACCES_, ALLOW_)
#define NET_ALLOW ALWAYS(ALLOW_)
#define INTERP .how = H_INTERP

static const struct tcase cases[] = {
	/* ---- other ABIs: the whole process dies ---- */
	{C("i386 getpid (int $0x80, eax 20)", 20, 0), .arch = AUDIT_ARCH_I386,
	 .how = H_INT80, ALWAYS(KILL_)},
	{C("i386 socketcall", 102, 1), .arch = AUDIT_ARCH_I386, INTERP, ALWAYS(KILL_)},
	{C("i386 ptrace", 26, 0), .arch = AUDIT_ARCH_I386, INTERP, ALWAYS(KILL_)},
	{C("i386 clone(CLONE_NEWUSER)", 120, CLONE_NEWUSER), .arch = AUDIT_ARCH_I386,
	 INTERP, ALWAYS(KILL_)},
	{C("i386 nr 39 (x86_64 getpid's number)", 39, 0), .arch = AUDIT_ARCH_I386,
	 INTERP, ALWAYS(KILL_)},
	{C("aarch64 getpid", 172, 0), .arch = AUDIT_ARCH_AARCH64, INTERP, ALWAYS(KILL_)},
	{C("x32 getpid (0x40000000|39)", X32 | SYS_getpid, 0), ALWAYS(KILL_)},
	{C("x32 read", X32 | SYS_read, 0), INTERP, ALWAYS(KILL_)},
	{C("x32 ioctl(TIOCSTI) (x32 nr 514)", X32 | 514, 0, TIOCSTI), INTERP, ALWAYS(KILL_)},
	{C("x32 socket(AF_INET, SOCK_STREAM, 0)", X32 | SYS_socket, AF_INET, SOCK_STREAM),
	 INTERP, ALWAYS(KILL_)},
	{C("x32 getuid", X32 | SYS_getuid, 0), INTERP, ALWAYS(KILL_)},
	{C("nr 0x7fffffff", 0x7fffffff, 0), ALWAYS(KILL_)},

	/* ---- plain calls ---- */
	{C("getpid", SYS_getpid, 0), ALWAYS(ALLOW_)},
	{C("nr 1000 (unassigned: ENOSYS)", 1000, 0), ALWAYS(ALLOW_)},
	{C("getppid", SYS_getppid, 0), UNLESS(HAS_SYS, ALLOW_, EPERM_)},
	{C("getuid", SYS_getuid, 0), UNLESS(HAS_SYS, ALLOW_, KILL_)},
	{C("getuid with junk arguments", SYS_getuid, NEG(-1), HIALL), INTERP,
	 UNLESS(HAS_SYS, ALLOW_, KILL_)},

	/* ---- the default deny set, called with harmless arguments ---- */
	{C("ptrace(PTRACE_PEEKDATA, no such pid)", SYS_ptrace, PTRACE_PEEKDATA),
	 .fix = FIX_NOPID_A1, UNLESS(HAS_PTRACE, EPERM_, ALLOW_)},
	{C("process_vm_readv(no such pid, NULL, 0, NULL, 0, 0)", SYS_process_vm_readv, 0),
	 .fix = FIX_NOPID_A0, ALWAYS(EPERM_)},
	{C("process_vm_writev(no such pid, NULL, 0, NULL, 0, 0)", SYS_process_vm_writev, 0),
	 .fix = FIX_NOPID_A0, ALWAYS(EPERM_)},
	{C("io_uring_setup(1, NULL)", SYS_io_uring_setup, 1, 0), ALWAYS(EPERM_)},
	{C("io_uring_enter(-1, 0, 0, 0, NULL, 0)", SYS_io_uring_enter, NEG(-1)),
	 ALWAYS(EPERM_)},
	{C("io_uring_register(-1, 0, NULL, 0)", SYS_io_uring_register, NEG(-1)),
	 ALWAYS(EPERM_)},
	{C("bpf(0x7fff (no such command), NULL, 0)", SYS_bpf, 0x7fff, 0, 0), ALWAYS(EPERM_)},
	{C("unshare(CLONE_NEWUSER)", SYS_unshare, CLONE_NEWUSER), ALWAYS(EPERM_)},
	{C("unshare(0)", SYS_unshare, 0), ALWAYS(EPERM_)},
	{C("setns(-1, 0)", SYS_setns, NEG(-1), 0), ALWAYS(EPERM_)},
	{C("mount(NULL, \"/nonexistent\", NULL, 0, NULL)", SYS_mount, 0),
	 .fix = FIX_NOPATH_A1, ALWAYS(EPERM_)},
	{C("umount2(\"/nonexistent\", 0)", SYS_umount2, 0, 0), .fix = FIX_NOPATH_A0,
	 ALWAYS(EPERM_)},
	{C("chroot(\"/nonexistent\")", SYS_chroot, 0), .fix = FIX_NOPATH_A0, ALWAYS(EPERM_)},
	{C("fsopen(NULL, 0)", SYS_fsopen, 0, 0), ALWAYS(EPERM_)},
	{C("keyctl(0x7fffffff (no such operation))", SYS_keyctl, 0x7fffffff), ALWAYS(EPERM_)},
	{C("add_key(NULL, NULL, NULL, 0, 0)", SYS_add_key, 0), ALWAYS(EPERM_)},
	{C("kexec_load(0, 1000 segments, NULL, 0)", SYS_kexec_load, 0, 1000, 0, 0),
	 ALWAYS(EPERM_)},
	{C("perf_event_open(NULL, 0, -1, -1, 0)", SYS_perf_event_open, 0, 0, NEG(-1),
	   NEG(-1), 0), ALWAYS(EPERM_)},
	{C("kcmp(no such pid, no such pid, 0, 0, 0)", SYS_kcmp, 0, 0, 0, 0, 0),
	 .fix = FIX_NOPID_A0 | FIX_NOPID_A1, ALWAYS(EPERM_)},
	{C("pidfd_getfd(-1, 0, 0)", SYS_pidfd_getfd, NEG(-1), 0, 0), ALWAYS(EPERM_)},
	{C("process_madvise(-1, NULL, 0, 0, 0)", SYS_process_madvise, NEG(-1)),
	 ALWAYS(EPERM_)},
	{C("userfaultfd(-1)", SYS_userfaultfd, NEG(-1)), ALWAYS(EPERM_)},
	{C("modify_ldt(0 (read), NULL, 0)", SYS_modify_ldt, 0, 0, 0), ALWAYS(EPERM_)},
	{C("name_to_handle_at(AT_FDCWD, \"/nonexistent\", NULL, NULL, 0)",
	   SYS_name_to_handle_at, NEG(AT_FDCWD)), .fix = FIX_NOPATH_A1, ALWAYS(EPERM_)},
	{C("open_by_handle_at(-1, NULL, 0)", SYS_open_by_handle_at, NEG(-1), 0, 0),
	 ALWAYS(EPERM_)},
	{C("clone3(NULL, 0)", SYS_clone3, 0, 0), ALWAYS(ENOSYS_)},

	/* ---- clone: no new namespaces (the kernel reads the low 32 bits) ---- */
	{C("clone(SIGCHLD) (a plain fork)", SYS_clone, SIGCHLD), .how = H_CLONE, ALWAYS(ALLOW_)},
	{C("clone(1<<32|SIGCHLD)", SYS_clone, HI | SIGCHLD), .how = H_CLONE, ALWAYS(ALLOW_)},
	{C("clone(CLONE_NEWUSER<<32|SIGCHLD) (the kernel sees a plain fork)", SYS_clone,
	   (uint64_t)CLONE_NEWUSER << 32 | SIGCHLD), .how = H_CLONE, ALWAYS(ALLOW_)},
	{C("clone(CLONE_NEWNS|SIGCHLD)", SYS_clone, CLONE_NEWNS | SIGCHLD), .how = H_CLONE,
	 .fix = FIX_USERNS, ALWAYS(EPERM_)},
	{C("clone(CLONE_NEWCGROUP|SIGCHLD)", SYS_clone, CLONE_NEWCGROUP | SIGCHLD),
	 .how = H_CLONE, .fix = FIX_USERNS, ALWAYS(EPERM_)},
	{C("clone(CLONE_NEWUTS|SIGCHLD)", SYS_clone, CLONE_NEWUTS | SIGCHLD), .how = H_CLONE,
	 .fix = FIX_USERNS, ALWAYS(EPERM_)},
	{C("clone(CLONE_NEWIPC|SIGCHLD)", SYS_clone, CLONE_NEWIPC | SIGCHLD), .how = H_CLONE,
	 .fix = FIX_USERNS, ALWAYS(EPERM_)},
	{C("clone(CLONE_NEWUSER|SIGCHLD)", SYS_clone, CLONE_NEWUSER | SIGCHLD),
	 .how = H_CLONE, ALWAYS(EPERM_)},
	{C("clone(CLONE_NEWPID|SIGCHLD)", SYS_clone, CLONE_NEWPID | SIGCHLD), .how = H_CLONE,
	 .fix = FIX_USERNS, ALWAYS(EPERM_)},
	{C("clone(CLONE_NEWNET|SIGCHLD)", SYS_clone, CLONE_NEWNET | SIGCHLD), .how = H_CLONE,
	 .fix = FIX_USERNS, ALWAYS(EPERM_)},
	{C("clone(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWNET|SIGCHLD)", SYS_clone,
	   CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | SIGCHLD), .how = H_CLONE,
	 ALWAYS(EPERM_)},
	{C("clone(1<<32|CLONE_NEWUSER|SIGCHLD)", SYS_clone, HI | CLONE_NEWUSER | SIGCHLD),
	 .how = H_CLONE, ALWAYS(EPERM_)},
	{C("clone(0xffffffff<<32|CLONE_NEWPID|SIGCHLD)", SYS_clone,
	   HIALL | CLONE_NEWPID | SIGCHLD), .how = H_CLONE, .fix = FIX_USERNS,
	 ALWAYS(EPERM_)},
	{C("clone(CLONE_VM|CLONE_THREAD|CLONE_SIGHAND|CLONE_NEWNET)", SYS_clone,
	   CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_NEWNET), INTERP, ALWAYS(EPERM_)},

	/* ---- ioctl: TIOCSTI and TIOCLINUX on the low 32 bits of the command ---- */
	{C("ioctl(/dev/null, TIOCSTI)", SYS_ioctl, 0, TIOCSTI, 0), .fix = FIX_DEVNULL_A0,
	 ALWAYS(EPERM_)},
	{C("ioctl(/dev/null, 1<<32|TIOCSTI)", SYS_ioctl, 0, HI | TIOCSTI, 0),
	 .fix = FIX_DEVNULL_A0, ALWAYS(EPERM_)},
	{C("ioctl(/dev/null, 0xffffffff<<32|TIOCSTI)", SYS_ioctl, 0, HIALL | TIOCSTI, 0),
	 .fix = FIX_DEVNULL_A0, ALWAYS(EPERM_)},
	{C("ioctl(/dev/null, TIOCLINUX)", SYS_ioctl, 0, TIOCLINUX, 0), .fix = FIX_DEVNULL_A0,
	 ALWAYS(EPERM_)},
	{C("ioctl(/dev/null, 1<<32|TIOCLINUX)", SYS_ioctl, 0, HI | TIOCLINUX, 0),
	 .fix = FIX_DEVNULL_A0, ALWAYS(EPERM_)},
	{C("ioctl(/dev/null, TCGETS)", SYS_ioctl, 0, TCGETS, 0), .fix = FIX_DEVNULL_A0,
	 ALWAYS(ALLOW_)},
	{C("ioctl(/dev/null, 1<<32|TCGETS)", SYS_ioctl, 0, HI | TCGETS, 0),
	 .fix = FIX_DEVNULL_A0, ALWAYS(ALLOW_)},
	{C("ioctl(/dev/null, FIONREAD, NULL)", SYS_ioctl, 0, FIONREAD, 0),
	 .fix = FIX_DEVNULL_A0, ALWAYS(ALLOW_)},

	/* ---- personality: only the query; no persona can be set (a flag could
	 * weaken ASLR or make data executable);
	 * only exactly 0xffffffff is the query, anything else is set ---- */
	{C("personality(0xffffffff) (query)", SYS_personality, 0xffffffff), ALWAYS(ALLOW_)},
	{C("personality(1<<32|0xffffffff) (the kernel would see the query; denied: the safe side)",
	   SYS_personality, HI | 0xffffffffu), ALWAYS(EPERM_)},
	{C("personality(0) (setting PER_LINUX is setting a persona: denied)", SYS_personality, 0),
	 ALWAYS(EPERM_)},
	{C("personality(PER_LINUX32)", SYS_personality, PER_LINUX32), ALWAYS(EPERM_)},
	{C("personality(ADDR_NO_RANDOMIZE)", SYS_personality, ADDR_NO_RANDOMIZE),
	 ALWAYS(EPERM_)},
	{C("personality(MMAP_PAGE_ZERO)", SYS_personality, MMAP_PAGE_ZERO), ALWAYS(EPERM_)},
	{C("personality(ADDR_COMPAT_LAYOUT)", SYS_personality, ADDR_COMPAT_LAYOUT),
	 ALWAYS(EPERM_)},
	{C("personality(READ_IMPLIES_EXEC)", SYS_personality, READ_IMPLIES_EXEC),
	 ALWAYS(EPERM_)},
	{C("personality(ADDR_LIMIT_32BIT)", SYS_personality, ADDR_LIMIT_32BIT),
	 ALWAYS(EPERM_)},
	{C("personality(ADDR_LIMIT_3GB)", SYS_personality, ADDR_LIMIT_3GB), ALWAYS(EPERM_)},
	{C("personality(1<<32|ADDR_NO_RANDOMIZE)", SYS_personality, HI | ADDR_NO_RANDOMIZE),
	 ALWAYS(EPERM_)},
	{C("personality(PER_LINUX32|READ_IMPLIES_EXEC)", SYS_personality,
	   PER_LINUX32 | READ_IMPLIES_EXEC), ALWAYS(EPERM_)},
	{C("personality(0x80000000|ADDR_NO_RANDOMIZE) (not the query: the kernel sets it)",
	   SYS_personality, 0x80000000u | ADDR_NO_RANDOMIZE), ALWAYS(EPERM_)},
	{C("personality(0xfffffffe) (not the query: the kernel sets it)", SYS_personality,
	   0xfffffffe), ALWAYS(EPERM_)},

	/* ---- the calls that set a mode: no S_ISUID or S_ISGID (umode_t: the
	 * kernel reads the low 16 bits); open and openat only when they
	 * create (O_CREAT, O_TMPFILE; flags is an int) ---- */
	{C("chmod(\"/nonexistent\", 0755)", SYS_chmod, 0, 0755), .fix = FIX_NOPATH_A0,
	 ALWAYS(ALLOW_)},
	{C("chmod(\"/nonexistent\", 01777) (sticky: allowed)", SYS_chmod, 0, 01777),
	 .fix = FIX_NOPATH_A0, ALWAYS(ALLOW_)},
	{C("chmod(\"/nonexistent\", 04755)", SYS_chmod, 0, 04755), .fix = FIX_NOPATH_A0,
	 ALWAYS(EPERM_)},
	{C("chmod(\"/nonexistent\", 02755)", SYS_chmod, 0, 02755), .fix = FIX_NOPATH_A0,
	 ALWAYS(EPERM_)},
	{C("chmod(\"/nonexistent\", 1<<32|04755)", SYS_chmod, 0, HI | 04755),
	 .fix = FIX_NOPATH_A0, ALWAYS(EPERM_)},
	{C("chmod(\"/nonexistent\", 0x10000|0755) (bit 16: the kernel drops it)", SYS_chmod,
	   0, 0x10000 | 0755), .fix = FIX_NOPATH_A0, ALWAYS(ALLOW_)},
	{C("chmod(\"/nonexistent\", 04000<<32|0755) (the kernel sees 0755)", SYS_chmod, 0,
	   (uint64_t)04000 << 32 | 0755), .fix = FIX_NOPATH_A0, ALWAYS(ALLOW_)},
	{C("fchmod(-1, 0644)", SYS_fchmod, NEG(-1), 0644), ALWAYS(ALLOW_)},
	{C("fchmod(-1, 06755)", SYS_fchmod, NEG(-1), 06755), ALWAYS(EPERM_)},
	{C("fchmodat(AT_FDCWD, \"/nonexistent\", 04711)", SYS_fchmodat, NEG(AT_FDCWD), 0,
	   04711), .fix = FIX_NOPATH_A1, ALWAYS(EPERM_)},
	{C("fchmodat(AT_FDCWD, \"/nonexistent\", 0700)", SYS_fchmodat, NEG(AT_FDCWD), 0,
	   0700), .fix = FIX_NOPATH_A1, ALWAYS(ALLOW_)},
	{C("fchmodat2(AT_FDCWD, \"/nonexistent\", 02000, 0)", NR_FCHMODAT2, NEG(AT_FDCWD), 0,
	   02000, 0), .fix = FIX_NOPATH_A1, ALWAYS(EPERM_)},
	{C("fchmodat2(AT_FDCWD, \"/nonexistent\", 0755, AT_SYMLINK_NOFOLLOW)", NR_FCHMODAT2,
	   NEG(AT_FDCWD), 0, 0755, AT_SYMLINK_NOFOLLOW), .fix = FIX_NOPATH_A1,
	 ALWAYS(ALLOW_)},
	{C("creat(\"/nonexistent\", 04755)", SYS_creat, 0, 04755), .fix = FIX_NOPATH_A0,
	 ALWAYS(EPERM_)},
	{C("creat(\"/nonexistent\", 0644)", SYS_creat, 0, 0644), .fix = FIX_NOPATH_A0,
	 ALWAYS(ALLOW_)},
	{C("mknod(\"/nonexistent\", S_IFREG|04755, 0)", SYS_mknod, 0, S_IFREG | 04755, 0),
	 .fix = FIX_NOPATH_A0, ALWAYS(EPERM_)},
	{C("mknod(\"/nonexistent\", S_IFREG|0644, 0)", SYS_mknod, 0, S_IFREG | 0644, 0),
	 .fix = FIX_NOPATH_A0, ALWAYS(ALLOW_)},
	{C("mknodat(AT_FDCWD, \"/nonexistent\", S_IFREG|02755, 0)", SYS_mknodat, NEG(AT_FDCWD),
	   0, S_IFREG | 02755, 0), .fix = FIX_NOPATH_A1, ALWAYS(EPERM_)},
	{C("open(\"/nonexistent\", O_CREAT|O_WRONLY, 04755)", SYS_open, 0,
	   O_CREAT | O_WRONLY, 04755), .fix = FIX_NOPATH_A0, ALWAYS(EPERM_)},
	{C("open(\"/nonexistent\", O_CREAT|O_EXCL|O_RDWR, 02700)", SYS_open, 0,
	   O_CREAT | O_EXCL | O_RDWR, 02700), .fix = FIX_NOPATH_A0, ALWAYS(EPERM_)},
	{C("open(\"/nonexistent\", O_TMPFILE|O_RDWR, 04755)", SYS_open, 0, O_TMPFILE | O_RDWR,
	   04755), .fix = FIX_NOPATH_A0, ALWAYS(EPERM_)},
	{C("open(\"/nonexistent\", 1<<32|O_CREAT, 04755)", SYS_open, 0, HI | O_CREAT, 04755),
	 .fix = FIX_NOPATH_A0, ALWAYS(EPERM_)},
	{C("open(\"/nonexistent\", O_CREAT|O_WRONLY, 0644)", SYS_open, 0, O_CREAT | O_WRONLY,
	   0644), .fix = FIX_NOPATH_A0, ALWAYS(ALLOW_)},
	{C("open(\"/nonexistent\", O_RDONLY, 04755) (no file made: the mode is not used)",
	   SYS_open, 0, O_RDONLY, 04755), .fix = FIX_NOPATH_A0, ALWAYS(ALLOW_)},
	{C("open(\"/nonexistent\", O_CREAT<<32, 04755) (the kernel sees O_RDONLY)", SYS_open,
	   0, (uint64_t)O_CREAT << 32, 04755), .fix = FIX_NOPATH_A0, ALWAYS(ALLOW_)},
	{C("openat(AT_FDCWD, \"/nonexistent\", O_CREAT|O_WRONLY|O_TRUNC, 06755)", SYS_openat,
	   NEG(AT_FDCWD), 0, O_CREAT | O_WRONLY | O_TRUNC, 06755), .fix = FIX_NOPATH_A1,
	 ALWAYS(EPERM_)},
	{C("openat(AT_FDCWD, \"/nonexistent\", O_TMPFILE|O_WRONLY, 02755)", SYS_openat,
	   NEG(AT_FDCWD), 0, O_TMPFILE | O_WRONLY, 02755), .fix = FIX_NOPATH_A1,
	 ALWAYS(EPERM_)},
	{C("openat(AT_FDCWD, \"/nonexistent\", O_CREAT|O_WRONLY, 0755)", SYS_openat,
	   NEG(AT_FDCWD), 0, O_CREAT | O_WRONLY, 0755), .fix = FIX_NOPATH_A1, ALWAYS(ALLOW_)},
	{C("openat(AT_FDCWD, \"/nonexistent\", O_RDONLY|O_CLOEXEC, 04755)", SYS_openat,
	   NEG(AT_FDCWD), 0, O_RDONLY | O_CLOEXEC, 04755), .fix = FIX_NOPATH_A1,
	 ALWAYS(ALLOW_)},
	{C("openat(AT_FDCWD, \"/nonexistent\", O_RDONLY, 0)", SYS_openat, NEG(AT_FDCWD), 0,
	   O_RDONLY, 0), .fix = FIX_NOPATH_A1, ALWAYS(ALLOW_)},
	{C("openat2(AT_FDCWD, \"/nonexistent\", {O_RDONLY}, 24) (its mode is in memory)",
	   SYS_openat2, NEG(AT_FDCWD), 0, 0, 24), .fix = FIX_NOPATH_A1 | FIX_HOW_A2,
	 ALWAYS(ENOSYS_)},

	/* ---- memfd_create: never executable (Landlock's exec rules do not see
	 * memfds): MFD_EXEC refused, MFD_NOEXEC_SEAL allowed, neither goes to
	 * the supervisor (no listener here: ENOSYS); flags is an unsigned int ---- */
	{C("memfd_create(\"t\", 0)", SYS_memfd_create, 0, 0), .fix = FIX_NAME_A0,
	 ALWAYS(NOTIF_)},
	{C("memfd_create(\"t\", MFD_CLOEXEC|MFD_ALLOW_SEALING)", SYS_memfd_create, 0,
	   MFD_CLOEXEC | MFD_ALLOW_SEALING), .fix = FIX_NAME_A0, ALWAYS(NOTIF_)},
	{C("memfd_create(\"t\", MFD_EXEC)", SYS_memfd_create, 0, MFD_EXEC), .fix = FIX_NAME_A0,
	 ALWAYS(EPERM_)},
	{C("memfd_create(\"t\", 1<<32|MFD_EXEC|MFD_CLOEXEC)", SYS_memfd_create, 0,
	   HI | MFD_EXEC | MFD_CLOEXEC), .fix = FIX_NAME_A0, ALWAYS(EPERM_)},
	{C("memfd_create(\"t\", MFD_EXEC|MFD_NOEXEC_SEAL)", SYS_memfd_create, 0,
	   MFD_EXEC | MFD_NOEXEC_SEAL), .fix = FIX_NAME_A0, INTERP, ALWAYS(EPERM_)},
	{C("memfd_create(\"t\", MFD_NOEXEC_SEAL)", SYS_memfd_create, 0, MFD_NOEXEC_SEAL),
	 .fix = FIX_NAME_A0, ALWAYS(ALLOW_)},
	{C("memfd_create(\"t\", MFD_NOEXEC_SEAL|MFD_CLOEXEC|MFD_ALLOW_SEALING)",
	   SYS_memfd_create, 0, MFD_NOEXEC_SEAL | MFD_CLOEXEC | MFD_ALLOW_SEALING),
	 .fix = FIX_NAME_A0, ALWAYS(ALLOW_)},
	{C("memfd_create(\"t\", MFD_EXEC<<32) (the kernel sees 0)", SYS_memfd_create, 0,
	   (uint64_t)MFD_EXEC << 32), .fix = FIX_NAME_A0, ALWAYS(NOTIF_)},
	{C("memfd_create(\"t\", MFD_NOEXEC_SEAL<<32) (the kernel sees 0)", SYS_memfd_create,
	   0, (uint64_t)MFD_NOEXEC_SEAL << 32), .fix = FIX_NAME_A0, INTERP, ALWAYS(NOTIF_)},

	/* ---- socket: net none denies all, tcp allows only inet TCP streams,
	 * unix allows AF_UNIX with protocol 0, all allows everything ---- */
	{C("socket(AF_INET, SOCK_STREAM, 0)", SYS_socket, AF_INET, SOCK_STREAM, 0),
	 NET_UNLESS(HAS_TCP)},
	{C("socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)", SYS_socket, AF_INET, SOCK_STREAM,
	   IPPROTO_TCP), NET_UNLESS(HAS_TCP)},
	{C("socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0)", SYS_socket, AF_INET,
	   SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), NET_UNLESS(HAS_TCP)},
	{C("socket(AF_INET6, SOCK_STREAM, 0)", SYS_socket, AF_INET6, SOCK_STREAM, 0),
	 NET_UNLESS(HAS_TCP)},
	{C("socket(AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP)", SYS_socket, AF_INET6,
	   SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP), NET_UNLESS(HAS_TCP)},
	{C("socket(AF_INET6, SOCK_STREAM|SOCK_NONBLOCK, 0)", SYS_socket, AF_INET6,
	   SOCK_STREAM | SOCK_NONBLOCK, 0), NET_UNLESS(HAS_TCP)},
	{C("socket(AF_INET, 1<<32|SOCK_STREAM, 0) (the kernel sees SOCK_STREAM)", SYS_socket,
	   AF_INET, HI | SOCK_STREAM, 0), NET_UNLESS(HAS_TCP)},
	{C("socket(AF_INET, SOCK_DGRAM, 0)", SYS_socket, AF_INET, SOCK_DGRAM, 0),
	 NET_UNLESS(0)},
	{C("socket(AF_INET6, SOCK_DGRAM, 0)", SYS_socket, AF_INET6, SOCK_DGRAM, 0),
	 NET_UNLESS(0)},
	{C("socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, 0)", SYS_socket, AF_INET,
	   SOCK_DGRAM | SOCK_CLOEXEC, 0), NET_UNLESS(0)},
	{C("socket(AF_INET, 1<<32|SOCK_DGRAM, 0)", SYS_socket, AF_INET, HI | SOCK_DGRAM, 0),
	 NET_UNLESS(0)},
	{C("socket(AF_INET, 0xffffffff<<32|SOCK_DGRAM, 0)", SYS_socket, AF_INET,
	   HIALL | SOCK_DGRAM, 0), NET_UNLESS(0)},
	{C("socket(AF_INET, SOCK_RAW, IPPROTO_TCP)", SYS_socket, AF_INET, SOCK_RAW,
	   IPPROTO_TCP), NET_UNLESS(0)},
	{C("socket(AF_INET6, SOCK_SEQPACKET, 0)", SYS_socket, AF_INET6, SOCK_SEQPACKET, 0),
	 NET_UNLESS(0)},
	{C("socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP)", SYS_socket, AF_INET, SOCK_STREAM,
	   IPPROTO_MPTCP), NET_UNLESS(0)},
	{C("socket(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP)", SYS_socket, AF_INET6, SOCK_STREAM,
	   IPPROTO_MPTCP), NET_UNLESS(0)},
	{C("socket(AF_INET, SOCK_STREAM, 1<<32|IPPROTO_MPTCP)", SYS_socket, AF_INET,
	   SOCK_STREAM, HI | IPPROTO_MPTCP), NET_UNLESS(0)},
	{C("socket(AF_INET, SOCK_STREAM, IPPROTO_UDP)", SYS_socket, AF_INET, SOCK_STREAM,
	   IPPROTO_UDP), NET_UNLESS(0)},
	{C("socket(AF_INET, SOCK_STREAM, 1<<32|IPPROTO_UDP)", SYS_socket, AF_INET,
	   SOCK_STREAM, HI | IPPROTO_UDP), NET_UNLESS(0)},
	{C("socket(AF_INET, SOCK_STREAM, IPPROTO_ICMP)", SYS_socket, AF_INET, SOCK_STREAM,
	   IPPROTO_ICMP), NET_UNLESS(0)},
	{C("socket(AF_INET, SOCK_STREAM, -1)", SYS_socket, AF_INET, SOCK_STREAM, NEG(-1)),
	 NET_UNLESS(0)},
	{C("socket(AF_INET, SOCK_STREAM, 0xffffffff)", SYS_socket, AF_INET, SOCK_STREAM,
	   0xffffffff), NET_UNLESS(0)},
	{C("socket(AF_UNIX, SOCK_STREAM, 0)", SYS_socket, AF_UNIX, SOCK_STREAM, 0),
	 NET_UNLESS(HAS_UNIX)},
	{C("socket(AF_UNIX, SOCK_DGRAM, 0)", SYS_socket, AF_UNIX, SOCK_DGRAM, 0),
	 NET_UNLESS(HAS_UNIX)},
	{C("socket(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC, 0)", SYS_socket, AF_UNIX,
	   SOCK_SEQPACKET | SOCK_CLOEXEC, 0), NET_UNLESS(HAS_UNIX)},
	{C("socket(AF_UNIX, SOCK_STREAM, 1)", SYS_socket, AF_UNIX, SOCK_STREAM, 1),
	 NET_UNLESS(0)},
	{C("socket(AF_UNIX, SOCK_STREAM, 1<<32|1)", SYS_socket, AF_UNIX, SOCK_STREAM, HI | 1),
	 NET_UNLESS(0)},
	{C("socket(AF_NETLINK, SOCK_RAW, 0)", SYS_socket, AF_NETLINK, SOCK_RAW, 0),
	 NET_UNLESS(0)},
	{C("socket(1<<32|AF_NETLINK, SOCK_RAW, 0)", SYS_socket, HI | AF_NETLINK, SOCK_RAW, 0),
	 NET_UNLESS(0)},
	{C("socket(AF_NETLINK, SOCK_DGRAM, 0)", SYS_socket, AF_NETLINK, SOCK_DGRAM, 0),
	 NET_UNLESS(0)},
	{C("socket(AF_PACKET, SOCK_RAW, 0)", SYS_socket, AF_PACKET, SOCK_RAW, 0),
	 NET_UNLESS(0)},
	{C("socket(0xffffffff<<32|AF_PACKET, SOCK_RAW, 0)", SYS_socket, HIALL | AF_PACKET,
	   SOCK_RAW, 0), NET_UNLESS(0)},
	{C("socket(AF_VSOCK, SOCK_STREAM, 0)", SYS_socket, AF_VSOCK, SOCK_STREAM, 0),
	 NET_UNLESS(0)},
	{C("socket(AF_UNSPEC, SOCK_STREAM, 0)", SYS_socket, AF_UNSPEC, SOCK_STREAM, 0),
	 NET_UNLESS(0)},
	{C("socket(AF_INET+1 (AF_AX25), SOCK_STREAM, 0)", SYS_socket, AF_INET + 1,
	   SOCK_STREAM, 0), NET_UNLESS(0)},
	{C("socket(AF_INET6-1 (AF_ROSE), SOCK_STREAM, 0)", SYS_socket, AF_INET6 - 1,
	   SOCK_STREAM, 0), NET_UNLESS(0)},
	{C("socket(-1, SOCK_STREAM, 0)", SYS_socket, NEG(-1), SOCK_STREAM, 0), NET_UNLESS(0)},
	{C("socket(AF_MAX-1, SOCK_STREAM, 0)", SYS_socket, AF_MAX - 1, SOCK_STREAM, 0),
	 NET_UNLESS(0)},

	/* ---- socketpair: AF_UNIX only, whatever the net statements ---- */
	{C("socketpair(AF_UNIX, SOCK_STREAM, 0, sv)", SYS_socketpair, AF_UNIX, SOCK_STREAM,
	   0), .fix = FIX_PAIR_A3, NET_ALLOW},
	{C("socketpair(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC, 0, sv)", SYS_socketpair, AF_UNIX,
	   SOCK_DGRAM | SOCK_CLOEXEC, 0), .fix = FIX_PAIR_A3, NET_ALLOW},
	{C("socketpair(AF_INET, SOCK_STREAM, 0, sv)", SYS_socketpair, AF_INET, SOCK_STREAM,
	   0), .fix = FIX_PAIR_A3, NET_UNLESS(0)},
	{C("socketpair(1<<32|AF_INET, SOCK_STREAM, 0, sv)", SYS_socketpair, HI | AF_INET,
	   SOCK_STREAM, 0), .fix = FIX_PAIR_A3, NET_UNLESS(0)},
	{C("socketpair(AF_NETLINK, SOCK_RAW, 0, sv)", SYS_socketpair, AF_NETLINK, SOCK_RAW,
	   0), .fix = FIX_PAIR_A3, NET_UNLESS(0)},
	{C("socketpair(AF_UNSPEC, SOCK_STREAM, 0, sv)", SYS_socketpair, AF_UNSPEC,
	   SOCK_STREAM, 0), .fix = FIX_PAIR_A3, NET_UNLESS(0)},
};
#define NCASES (sizeof cases / sizeof cases[0])

/* The whole default deny set (compiler/syscalls.c), interpreter only:
 * most of these must never run for real without the filter. */
static const struct {
	const char *name;
	long nr;
	int err;
} deny_set[] = {
	{"init_module", SYS_init_module, EPERM}, {"finit_module", SYS_finit_module, EPERM},
	{"delete_module", SYS_delete_module, EPERM}, {"kexec_load", SYS_kexec_load, EPERM},
	{"kexec_file_load", SYS_kexec_file_load, EPERM}, {"add_key", SYS_add_key, EPERM},
	{"request_key", SYS_request_key, EPERM}, {"keyctl", SYS_keyctl, EPERM},
	{"mount", SYS_mount, EPERM}, {"umount2", SYS_umount2, EPERM},
	{"pivot_root", SYS_pivot_root, EPERM}, {"chroot", SYS_chroot, EPERM},
	{"fsopen", SYS_fsopen, EPERM}, {"fsconfig", SYS_fsconfig, EPERM},
	{"fsmount", SYS_fsmount, EPERM}, {"fspick", SYS_fspick, EPERM},
	{"move_mount", SYS_move_mount, EPERM}, {"open_tree", SYS_open_tree, EPERM},
	{"open_tree_attr", NR_OPEN_TREE_ATTR, EPERM},
	{"mount_setattr", SYS_mount_setattr, EPERM}, {"unshare", SYS_unshare, EPERM},
	{"setns", SYS_setns, EPERM}, {"ptrace", SYS_ptrace, EPERM},
	{"process_vm_readv", SYS_process_vm_readv, EPERM},
	{"process_vm_writev", SYS_process_vm_writev, EPERM}, {"kcmp", SYS_kcmp, EPERM},
	{"pidfd_getfd", SYS_pidfd_getfd, EPERM},
	{"process_madvise", SYS_process_madvise, EPERM},
	{"perf_event_open", SYS_perf_event_open, EPERM}, {"bpf", SYS_bpf, EPERM},
	{"userfaultfd", SYS_userfaultfd, EPERM}, {"io_uring_setup", SYS_io_uring_setup, EPERM},
	{"io_uring_enter", SYS_io_uring_enter, EPERM},
	{"io_uring_register", SYS_io_uring_register, EPERM},
	{"fanotify_init", SYS_fanotify_init, EPERM}, {"iopl", SYS_iopl, EPERM},
	{"ioperm", SYS_ioperm, EPERM}, {"modify_ldt", SYS_modify_ldt, EPERM},
	{"reboot", SYS_reboot, EPERM}, {"swapon", SYS_swapon, EPERM},
	{"swapoff", SYS_swapoff, EPERM}, {"acct", SYS_acct, EPERM},
	{"quotactl", SYS_quotactl, EPERM}, {"quotactl_fd", SYS_quotactl_fd, EPERM},
	{"syslog", SYS_syslog, EPERM}, {"vhangup", SYS_vhangup, EPERM},
	{"settimeofday", SYS_settimeofday, EPERM}, {"clock_settime", SYS_clock_settime, EPERM},
	{"clock_adjtime", SYS_clock_adjtime, EPERM}, {"sethostname", SYS_sethostname, EPERM},
	{"setdomainname", SYS_setdomainname, EPERM}, {"mbind", SYS_mbind, EPERM},
	{"migrate_pages", SYS_migrate_pages, EPERM}, {"move_pages", SYS_move_pages, EPERM},
	{"open_by_handle_at", SYS_open_by_handle_at, EPERM},
	{"name_to_handle_at", SYS_name_to_handle_at, EPERM}, {"uselib", SYS_uselib, EPERM},
	{"_sysctl", SYS__sysctl, EPERM}, {"ustat", SYS_ustat, EPERM},
	{"sysfs", SYS_sysfs, EPERM}, {"nfsservctl", SYS_nfsservctl, EPERM},
	{"lookup_dcookie", SYS_lookup_dcookie, EPERM},
	{"get_kernel_syms", SYS_get_kernel_syms, EPERM},
	{"query_module", SYS_query_module, EPERM}, {"create_module", SYS_create_module, EPERM},
	{"afs_syscall", SYS_afs_syscall, EPERM}, {"tuxcall", SYS_tuxcall, EPERM},
	{"security", SYS_security, EPERM}, {"vserver", SYS_vserver, EPERM},
	{"putpmsg", SYS_putpmsg, EPERM}, {"getpmsg", SYS_getpmsg, EPERM},
	{"clone3", SYS_clone3, ENOSYS}, {"openat2", SYS_openat2, ENOSYS},
};
#define NDENY (sizeof deny_set / sizeof deny_set[0])

static const struct policy {
	const char *file, *text;
	unsigned has;
} policies[] = {
	{"default", "allow read ./src;\ndeny env *;\nnet none;\n", 0},
	{"empty", "", 0},
	{"connect443", "net connect tcp 443;\n", HAS_TCP},
	{"bind8080", "net bind tcp 8080;\n", HAS_TCP},
	{"unix", "net unix;\n", HAS_UNIX},
	{"unix_tcp", "net unix;\nnet connect tcp 443;\n", HAS_UNIX | HAS_TCP},
	{"all", "net all;\n", HAS_ALL},
	{"syscalls", "syscall deny getppid;\nsyscall kill getuid;\nsyscall allow ptrace;\n",
	 HAS_SYS | HAS_PTRACE},
};
#define NPOLICIES (sizeof policies / sizeof policies[0])

/* ---- running a case for real -------------------------------------------- */

/* The child's report, in a MAP_SHARED page: a KILL action kills before any
 * exit status could say anything. */
enum stage { ST_START, ST_SETUP_FAILED, ST_NO_USERNS, ST_CALLING, ST_DONE };
struct report {
	int stage, err, setup_step;
	long ret;
};
static volatile struct report *shared;

static pid_t nopid;
static const char nopath[] = "/nonexistent-cordon-test/x";
static const char memfd_name[] = "cordon-test";
static const uint64_t open_how_rdonly[3]; /* struct open_how: flags, mode, resolve */
static bool as_root;

struct outcome {
	enum { O_RETURNED, O_SIGNALED, O_NO_USERNS, O_BROKEN } kind;
	long ret;
	int err, sig;
	char why[128];
};

static pid_t find_nopid(void);

static long int80(long nr)
{
	long r = nr;
	__asm__ volatile("int $0x80" : "+a"(r) : : "r8", "r9", "r10", "r11", "cc", "memory");
	return r;
}

static void fill_args(const struct tcase *c, uint64_t a[6], int devnull, int *pair)
{
	memcpy(a, c->a, sizeof c->a);
	if (c->fix & FIX_DEVNULL_A0)
		a[0] = (uint64_t)devnull;
	if (c->fix & FIX_NOPID_A0)
		a[0] = (uint64_t)nopid;
	if (c->fix & FIX_NOPID_A1)
		a[1] = (uint64_t)nopid;
	if (c->fix & FIX_PAIR_A3)
		a[3] = (uint64_t)(uintptr_t)pair;
	if (c->fix & FIX_NOPATH_A0)
		a[0] = (uint64_t)(uintptr_t)nopath;
	if (c->fix & FIX_NOPATH_A1)
		a[1] = (uint64_t)(uintptr_t)nopath;
	if (c->fix & FIX_NAME_A0)
		a[0] = (uint64_t)(uintptr_t)memfd_name;
	if (c->fix & FIX_HOW_A2)
		a[2] = (uint64_t)(uintptr_t)&open_how_rdonly;
}

static __attribute__((noreturn)) void setup_failed(int step, int stage)
{
	shared->err = errno;
	shared->setup_step = step;
	shared->stage = stage;
	_exit(3);
}

/* The forked child: sets up, installs prog (unless NULL), makes the call. */
static __attribute__((noreturn)) void child(const struct tcase *c,
					    const struct sock_fprog *prog)
{
	int devnull = -1, pair[2] = {-1, -1};
	uint64_t a[6];
	long r;

	if ((c->fix & FIX_USERNS) && !as_root && unshare(CLONE_NEWUSER) != 0)
		setup_failed(1, ST_NO_USERNS);
	if ((c->fix & FIX_DEVNULL_A0) && (devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		setup_failed(2, ST_SETUP_FAILED);
	fill_args(c, a, devnull, pair);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		setup_failed(3, ST_SETUP_FAILED);
	if (prog && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) != 0)
		setup_failed(4, ST_SETUP_FAILED);
	shared->stage = ST_CALLING;
	errno = 0;
	switch (c->how) {
	case H_INT80:
		r = int80(c->nr);
		if (r < 0 && r > -4096) {
			errno = (int)-r;
			r = -1;
		}
		break;
	case H_CLONE:
		r = syscall(SYS_clone, a[0], 0, 0, 0, 0);
		if (r == 0)
			_exit(0); /* the new process: nothing else, at once */
		break;
	default:
		r = syscall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		break;
	}
	shared->err = errno;
	shared->ret = r;
	if (c->how == H_CLONE && r > 0) {
		int st;
		while (waitpid((pid_t)r, &st, __WALL) < 0 && errno == EINTR)
			;
	}
	shared->stage = ST_DONE;
	_exit(0);
}

static struct outcome run(const struct tcase *c, const struct sock_fprog *prog)
{
	static const char *const steps[] = {"?", "unshare(CLONE_NEWUSER)", "open /dev/null",
					    "prctl(PR_SET_NO_NEW_PRIVS)", "seccomp()"};
	struct outcome o = {.kind = O_BROKEN};
	int st;

	memset((void *)shared, 0, sizeof *shared);
	if (c->fix & (FIX_NOPID_A0 | FIX_NOPID_A1)) {
		pid_t p = find_nopid(); /* pids get reused: check again */
		if (p > 0)
			nopid = p;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(o.why, sizeof o.why, "fork: %s", strerror(errno));
		return o;
	}
	if (pid == 0)
		child(c, prog);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			snprintf(o.why, sizeof o.why, "waitpid: %s", strerror(errno));
			return o;
		}
	if (WIFSIGNALED(st)) {
		o.kind = O_SIGNALED;
		o.sig = WTERMSIG(st);
		snprintf(o.why, sizeof o.why, "killed by SIG%s%s", sigabbrev_np(o.sig),
			 shared->stage == ST_CALLING ? "" : " (not in the call)");
		if (shared->stage != ST_CALLING)
			o.kind = O_BROKEN;
		return o;
	}
	if (shared->stage == ST_DONE && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		o.kind = O_RETURNED;
		o.ret = shared->ret;
		o.err = shared->err;
		if (o.ret == -1)
			snprintf(o.why, sizeof o.why, "failed with %s", strerrorname_np(o.err));
		else
			snprintf(o.why, sizeof o.why, "returned %ld", o.ret);
		return o;
	}
	int step = shared->setup_step;
	snprintf(o.why, sizeof o.why, "child status 0x%x at stage %d: %s: %s", (unsigned)st,
		 shared->stage, steps[step >= 0 && step < 5 ? step : 0],
		 strerrorname_np(shared->err) ? strerrorname_np(shared->err) : "?");
	if (shared->stage == ST_NO_USERNS)
		o.kind = O_NO_USERNS;
	return o;
}

static bool failed_with(const struct outcome *o, int err)
{
	return o->kind == O_RETURNED && o->ret == -1 && o->err == err;
}

static const char *act_str(uint32_t a, char buf[48])
{
	if (a == SECCOMP_RET_ALLOW)
		return "ALLOW";
	if (a == SECCOMP_RET_KILL_PROCESS)
		return "KILL_PROCESS";
	if (a == SECCOMP_RET_USER_NOTIF)
		return "USER_NOTIF";
	if ((a & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO) {
		const char *n = strerrorname_np((int)(a & SECCOMP_RET_DATA));
		if (n)
			snprintf(buf, 48, "ERRNO(%s)", n);
		else
			snprintf(buf, 48, "ERRNO(%u)", a & SECCOMP_RET_DATA);
	} else {
		snprintf(buf, 48, "0x%08x", a);
	}
	return buf;
}

/* Checks the real call under the filter, and its control without it. */
static void check_real(const char *pn, const struct tcase *c, uint32_t want,
		       const struct sock_fprog *prog)
{
	char wb[48];
	const char *ws = act_str(want, wb);
	struct outcome f = run(c, prog), u = run(c, NULL);

	if (f.kind == O_NO_USERNS || u.kind == O_NO_USERNS) {
		tap_ok(1, "%s: real %s -> %s # SKIP no user namespace for the control (%s)",
		       pn, c->name, ws, f.kind == O_NO_USERNS ? f.why : u.why);
		return;
	}
	if (c->how == H_INT80 && u.kind == O_SIGNALED) {
		tap_ok(1, "%s: real %s -> %s # SKIP int $0x80 does not work here (%s)", pn,
		       c->name, ws, u.why);
		return;
	}
	if (want == ALLOW_) {
		/* the same outcome as without the filter, and not the one a
		 * denial would give */
		uint32_t other = c->when ? (c->base == want ? c->alt : c->base) : ALLOW_;
		bool same = f.kind == O_RETURNED && u.kind == O_RETURNED &&
			    (f.ret == -1) == (u.ret == -1) && (f.ret != -1 || f.err == u.err);
		if ((other & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO &&
		    failed_with(&u, (int)(other & SECCOMP_RET_DATA)) && same) {
			tap_ok(1, "%s: real %s -> ALLOW # SKIP it %s without the filter too",
			       pn, c->name, u.why);
			return;
		}
		tap_ok(same, "%s: real %s -> ALLOW (%s; without the filter: %s)", pn, c->name,
		       f.why, u.why);
		return;
	}
	if (want == KILL_) {
		tap_ok(f.kind == O_SIGNALED && f.sig == SIGSYS, "%s: real %s -> %s (%s)", pn,
		       c->name, ws, f.why);
		tap_ok(u.kind == O_RETURNED, "%s: control %s without the filter is not killed (%s)",
		       pn, c->name, u.why);
		return;
	}
	if (want == NOTIF_) {
		/* to the supervisor; with no listener, as here, ENOSYS */
		tap_ok(failed_with(&f, ENOSYS), "%s: real %s -> %s: ENOSYS without a listener "
		       "(%s)", pn, c->name, ws, f.why);
		tap_ok(u.kind == O_RETURNED && !failed_with(&u, ENOSYS),
		       "%s: control %s without the filter does not fail with ENOSYS (%s)", pn,
		       c->name, u.why);
		return;
	}
	int e = (int)(want & SECCOMP_RET_DATA);
	if (failed_with(&u, e)) {
		/* the kernel itself refuses the call here (unprivileged): a
		 * pass would prove nothing, a failure still counts */
		if (failed_with(&f, e))
			tap_ok(1, "%s: real %s -> %s # SKIP it %s without the filter too", pn,
			       c->name, ws, u.why);
		else
			tap_ok(0, "%s: real %s -> %s (%s)", pn, c->name, ws, f.why);
		tap_ok(1, "%s: control %s without the filter # SKIP it %s without the filter "
		       "too", pn, c->name, u.why);
		return;
	}
	tap_ok(failed_with(&f, e), "%s: real %s -> %s (%s)", pn, c->name, ws, f.why);
	tap_ok(u.kind == O_RETURNED, "%s: control %s without the filter does not fail with %s "
	       "(%s)", pn, c->name, strerrorname_np(e), u.why);
}

static void check_interp(const char *pn, const struct cpb_policy *pol,
			 const struct tcase *c, uint32_t want)
{
	static int pair[2];
	struct seccomp_data d;
	uint64_t a[6];
	uint32_t got = 0;
	const char *err = NULL;
	char wb[48], gb[48];

	memset(&d, 0, sizeof d);
	d.arch = c->arch ? c->arch : AUDIT_ARCH_X86_64;
	d.nr = (int)c->nr;
	d.instruction_pointer = 0x401000;
	fill_args(c, a, 3, pair);
	memcpy(d.args, a, sizeof d.args);
	int r = bpf_interp_run(pol->bpf, pol->nbpf, &d, &got, &err);
	if (!tap_ok(r == 0 && got == want, "%s: interp %s -> %s", pn, c->name,
		    act_str(want, wb))) {
		if (r != 0)
			tap_diag("interpreter: %s", err ? err : "?");
		else
			tap_diag("got %s", act_str(got, gb));
	}
}

/* Every socket() and socketpair() the net statements could confuse, in the
 * interpreter: all domains up to AF_MAX and beyond, all 16 types with and
 * without the flag bits, the protocols that matter (MPTCP among them), and
 * the same domains and types with high bits set. */
static void sweep_sockets(const char *pn, const struct cpb_policy *pol, unsigned has)
{
	static const uint64_t protos[] = {0, 1, 6, 17, 132, 255, 262};
	static const uint64_t flags[] = {0, SOCK_NONBLOCK, SOCK_CLOEXEC,
					 SOCK_NONBLOCK | SOCK_CLOEXEC};
	static const uint64_t high[] = {0, 1ULL << 32, 0xffffffff00000000ULL};
	unsigned bad = 0, total = 0;
	for (int sys = 0; sys < 2; sys++)
		for (uint64_t dom = 0; dom < 50; dom++)
			for (uint64_t t = 0; t < 16; t++)
				for (size_t f = 0; f < 4; f++)
					for (size_t pr = 0; pr < 7; pr++)
						for (size_t h = 0; h < 3; h++) {
		struct seccomp_data d = {.nr = sys ? SYS_socketpair : SYS_socket,
					 .arch = AUDIT_ARCH_X86_64};
		d.args[0] = dom | high[h];
		d.args[1] = t | flags[f] | high[2 - h];
		d.args[2] = protos[pr];
		/* what the kernel would see: the low 32 bits */
		bool inet = dom == AF_INET || dom == AF_INET6;
		bool ok;
		if (has & HAS_ALL)
			ok = true;
		else if (sys)
			ok = dom == AF_UNIX && h == 0;
		else
			ok = h == 0 && ((dom == AF_UNIX && (has & HAS_UNIX) && protos[pr] == 0) ||
					(inet && (has & HAS_TCP) && t == SOCK_STREAM &&
					 (protos[pr] == 0 || protos[pr] == IPPROTO_TCP)));
		uint32_t got = 0;
		const char *err = NULL;
		uint32_t want = ok ? SECCOMP_RET_ALLOW : SECCOMP_RET_ERRNO | EACCES;
		total++;
		if (bpf_interp_run(pol->bpf, pol->nbpf, &d, &got, &err) != 0) {
			bad++;
			continue;
		}
		/* with high bits set, deny is expected: the safe answer even
		 * where the low 32 bits (all the kernel reads) would pass */
		if (got != want) {
			if (bad++ < 5)
				tap_diag("%s(%#llx, %#llx, %llu): got %#x, want %#x",
					 sys ? "socketpair" : "socket",
					 (unsigned long long)d.args[0],
					 (unsigned long long)d.args[1],
					 (unsigned long long)d.args[2], got, want);
		}
	}
	tap_ok(bad == 0, "%s: interp sweep of %u socket/socketpair calls: only what "
	       "the net statements allow gets through (%u wrong)", pn, total, bad);
}

static uint32_t expected(const struct tcase *c, unsigned has)
{
	return (c->when & has) ? c->alt : c->base;
}

/* ---- policies ------------------------------------------------------------ */

static bool write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	bool ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok;
}

static bool compile(const char *cc, const char *in, const char *out)
{
	char *argv[] = {(char *)cc, "-o", (char *)out, (char *)in, NULL};
	pid_t pid;
	int st, r;

	fflush(stdout);
	r = posix_spawn(&pid, cc, NULL, NULL, argv, environ);
	if (r != 0) {
		tap_diag("posix_spawn %s: %s", cc, strerror(r));
		return false;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			tap_diag("waitpid: %s", strerror(errno));
			return false;
		}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return true;
	tap_diag("%s -o %s %s: status 0x%x", cc, out, in, (unsigned)st);
	return false;
}

static bool remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool ok = d != NULL;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    unlinkat(dirfd(d), e->d_name, 0) != 0)
			ok = false;
	if (d)
		closedir(d);
	return rmdir(dir) == 0 && ok;
}

/* A pid that does not exist now, searched down from pid_max. */
static pid_t find_nopid(void)
{
	static long max;
	if (!max) {
		FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
		if (!f || fscanf(f, "%ld", &max) != 1 || max < 1000)
			max = 32768;
		if (f)
			fclose(f);
	}
	for (pid_t p = (pid_t)max - 1; p > 300; p--)
		if (kill(p, 0) < 0 && errno == ESRCH)
			return p;
	return 0;
}

/* Whether a filter can be installed at all (an allow-everything one). */
static bool seccomp_works(void)
{
	static struct sock_filter allow_all[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
	static const struct sock_fprog prog = {1, allow_all};
	static const struct tcase getpid_case = {C("getpid", SYS_getpid, 0)};
	struct outcome o = run(&getpid_case, &prog);

	if (o.kind != O_RETURNED)
		tap_diag("cannot install a seccomp filter: %s", o.why);
	return o.kind == O_RETURNED;
}

/* ---- equivalence with the reference generator ---------------------------- */

/* Policies for the equivalence only: their expectations in the cases above
 * would differ (arg-filtered calls denied or killed, common calls denied). */
static const struct policy equiv_policies[] = {
	{"eq-net-none", "net none;\n", 0},
	{"eq-net-unix", "net unix;\n", 0},
	{"eq-net-connect-443", "net connect tcp 443;\n", 0},
	{"eq-net-all", "net all;\n", 0},
	{"eq-net-unix-all", "net unix;\nnet all;\n", 0},
	{"eq-net-ports", "net connect tcp 443 8000-8080;\nnet bind tcp 8080;\nnet unix;\n", 0},
	{"eq-allow-ptrace", "syscall allow ptrace;\n", 0},
	{"eq-allow-defaults", "syscall allow ptrace bpf mount userfaultfd io_uring_setup "
			      "perf_event_open open_tree_attr kcmp;\n", 0},
	{"eq-deny-kill", "syscall deny getppid acct sync;\nsyscall kill getuid kexec_load;\n", 0},
	{"eq-deny-filtered", "syscall deny ioctl socket socketpair clone personality;\n", 0},
	{"eq-kill-filtered", "syscall kill ioctl socket socketpair clone personality;\n"
			     "net unix;\nnet connect tcp 443;\n", 0},
	{"eq-kill-socketpair", "net unix;\nsyscall kill socketpair;\nsyscall deny socket;\n", 0},
	{"eq-clone3", "syscall kill clone3;\n", 0},
	{"eq-deny-modes", "syscall deny chmod open memfd_create mknodat;\n"
			  "syscall kill openat fchmodat2 creat;\n", 0},
	{"eq-deny-openat2", "syscall deny openat2;\nsyscall kill fchmod;\n", 0},
	{"eq-deny-clone3", "syscall deny clone3 ptrace;\n", 0},
	{"eq-deny-common", "syscall deny read write openat close fstat mmap futex getpid "
			   "newfstatat brk;\n", 0},
	{"eq-kill-ends", "syscall kill read file_setattr lsm_list_modules mseal;\n", 0},
	{"eq-limit-disk", "limit disk 1G;\n", 0},
	{"eq-limit-disk-allow", "limit disk 1G;\nsyscall allow fallocate;\n", 0},
	{"eq-limit-disk-kill", "limit disk 0;\nsyscall kill fallocate;\nnet unix;\n", 0},
	/* more ranges than the plan's table holds (compiler/seccomp_gen.c PLAN_FULL) */
	{"eq-many-ranges", "syscall deny open ioctl shmat sendto vfork fcntl link times setregid rt_sigtimedwait sched_setparam _sysctl sethostname tuxcall lremovexattr lookup_dcookie timer_delete mq_open inotify_add_watch fchmodat signalfd pwritev process_vm_readv membarrier close_range set_mempolicy_home_node;\nsyscall kill mmap select alarm getsockname semop getcwd fchown geteuid getpgid personality mlock acct get_kernel_syms getxattr set_thread_area restart_syscall epoll_ctl waitid futimesat splice signalfd4 name_to_handle_at seccomp pkey_free move_mount quotactl_fd statmount;\n", 0},
};
#define NEQUIV (sizeof equiv_policies / sizeof equiv_policies[0])

#define MAX_REPORTED 40 /* disagreements printed one by one, per policy */

/* Our program and the reference's for one policy, and the tally. */
struct equiv {
	const char *policy;
	const struct sock_filter *ours, *ref;
	size_t nours, nref;
	unsigned long points, bad;
};

static const char *arch_str(uint32_t arch)
{
	switch (arch) {
	case AUDIT_ARCH_X86_64: return "x86_64";
	case AUDIT_ARCH_I386: return "i386";
	case AUDIT_ARCH_AARCH64: return "aarch64";
	}
	return "?";
}

static const char *result_str(int r, uint32_t act, const char *err, char buf[48])
{
	if (r == 0)
		return act_str(act, buf);
	snprintf(buf, 48, "invalid (%s)", err ? err : "?");
	return buf;
}

/* Runs both programs on one seccomp_data; a disagreement is a failure. */
static void equiv_point(struct equiv *q, uint32_t arch, uint32_t nr, const uint64_t a[6])
{
	struct seccomp_data d = {.nr = (int)nr, .arch = arch, .instruction_pointer = 0x401000};
	uint32_t ours = 0, ref = 0;
	const char *eo = NULL, *er = NULL;
	char ob[48], rb[48];

	memcpy(d.args, a, sizeof d.args);
	int ro = bpf_interp_run(q->ours, q->nours, &d, &ours, &eo);
	int rr = bpf_interp_run(q->ref, q->nref, &d, &ref, &er);
	q->points++;
	if (ro == 0 && rr == 0 && ours == ref)
		return;
	if (q->bad++ < MAX_REPORTED)
		tap_ok(0, "%s: %s nr %#x args (%#llx, %#llx, %#llx, %#llx, %#llx, %#llx): ours %s, "
		       "reference %s", q->policy, arch_str(arch), nr, (unsigned long long)a[0],
		       (unsigned long long)a[1], (unsigned long long)a[2],
		       (unsigned long long)a[3], (unsigned long long)a[4],
		       (unsigned long long)a[5], result_str(ro, ours, eo, ob),
		       result_str(rr, ref, er, rb));
}

static void equiv_args3(struct equiv *q, uint32_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const uint64_t a[6] = {a0, a1, a2, 0, 0, 0};
	equiv_point(q, AUDIT_ARCH_X86_64, nr, a);
}

/* Every number 0..1100 and its x32 twin on x86_64, i386 and aarch64, and
 * the numbers at the edges (-1 among them), arguments 0. */
static void equiv_numbers(struct equiv *q)
{
	static const uint32_t arches[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64};
	static const uint32_t edges[] = {0xffffffff, 0xfffffffe, 0x3fffffff, 0x7fffffff,
					 0x80000000, 0xbfffffff, 0xc0000000, 1023, 1024, 1025,
					 4095, 4096, 65535, 65536, 0x400003ff, 0x40000400};
	static const uint64_t zero[6];
	for (size_t i = 0; i < sizeof arches / sizeof arches[0]; i++) {
		for (uint32_t nr = 0; nr <= 1100; nr++) {
			equiv_point(q, arches[i], nr, zero);
			equiv_point(q, arches[i], (uint32_t)X32 + nr, zero);
		}
		for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++)
			equiv_point(q, arches[i], edges[e], zero);
	}
}

/* Values at the edges of every comparison the filters make: small numbers
 * (domains, types, protocols), the flags, every bit of the low half, the
 * ioctl commands and their neighbours, each also with high bits set. */
static size_t edge_values(uint64_t *v)
{
	static const uint64_t base[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 31, 32, 41, 45, 46, 47, 63,
		132, 255, 256, 262, 300, SOCK_NONBLOCK, SOCK_CLOEXEC,
		SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, SOCK_DGRAM | SOCK_CLOEXEC,
		TIOCSTI - 1, TIOCSTI, TIOCSTI + 1, TIOCLINUX - 1, TIOCLINUX, TIOCLINUX + 1,
		TCGETS, FIONREAD, SIGCHLD,
		CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
			CLONE_NEWPID | CLONE_NEWNET,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
		/* modes, open flags, memfd flags */
		0644, 0755, 01777, 02755, 04755, 06755, 06000, 07777, 0x10000 | 04755,
		S_IFREG | 04755, O_CREAT | O_WRONLY, O_CREAT | O_EXCL | O_RDWR, O_TMPFILE | O_RDWR,
		020000000, O_DIRECTORY, O_RDONLY | O_CLOEXEC, O_CREAT | O_TMPFILE, MFD_EXEC | MFD_NOEXEC_SEAL,
		MFD_NOEXEC_SEAL | MFD_CLOEXEC | MFD_ALLOW_SEALING, MFD_EXEC | MFD_CLOEXEC,
		MFD_HUGETLB | MFD_NOEXEC_SEAL | (21U << 26),
	};
	static const uint64_t high[] = {0, HI, HIALL, 1ULL << 63, 0x7fffffff00000000ULL};
	size_t n = 0;
	for (size_t h = 0; h < sizeof high / sizeof high[0]; h++) {
		for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
			v[n++] = base[i] | high[h];
		for (int b = 0; b < 32; b++)
			v[n++] = (1ULL << b) | high[h];
	}
	return n;
}
#define MAX_EDGES 640

/* A fixed-seed xorshift64*: the same points every run. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static uint64_t random_arg(uint64_t *s, const uint64_t *edges, size_t nedges)
{
	uint64_t r = next_random(s);
	switch (r & 3) {
	case 0: return edges[(r >> 8) % nedges];
	case 1: return next_random(s);
	case 2: return next_random(s) & 0xffffffff;
	default: return ((r >> 8) % 301) | ((r & 4) ? (next_random(s) & HIALL) : 0);
	}
}

/* ioctl, clone, personality, socket and socketpair: each argument alone
 * over the edge values, every pair of bits in clone's flags, and random
 * argument sets; random numbers with random arguments too. */
static void equiv_filtered_args(struct equiv *q, uint64_t seed)
{
	static const uint32_t nrs[] = {SYS_ioctl, SYS_clone, SYS_personality, SYS_socket,
				       SYS_socketpair, SYS_chmod, SYS_fchmod, SYS_fchmodat,
				       NR_FCHMODAT2, SYS_creat, SYS_mknod, SYS_mknodat, SYS_open,
				       SYS_openat, SYS_memfd_create, SYS_openat2};
	uint64_t edges[MAX_EDGES], a[6];
	size_t nedges = edge_values(edges);
	for (size_t i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
		for (int p = 0; p < 6; p++)
			for (size_t e = 0; e < nedges; e++) {
				memset(a, 0, sizeof a);
				a[p] = edges[e];
				equiv_point(q, AUDIT_ARCH_X86_64, nrs[i], a);
			}
		for (int r = 0; r < 3000; r++) {
			for (int p = 0; p < 6; p++)
				a[p] = random_arg(&seed, edges, nedges);
			equiv_point(q, AUDIT_ARCH_X86_64, nrs[i], a);
		}
	}
	for (int b1 = 0; b1 < 64; b1++)
		for (int b2 = 0; b2 < 64; b2++)
			equiv_args3(q, SYS_clone, (1ULL << b1) | (1ULL << b2), 0, 0);
	/* open's and openat's flags over the edges, each with the modes that
	 * matter: every bit of the low 16 (umode_t), the set-id ones together,
	 * and with high bits set */
	uint64_t modes[64];
	size_t nmodes = 0;
	for (int b = 0; b < 16; b++)
		modes[nmodes++] = 1ULL << b;
	static const uint64_t more[] = {0, 0644, 0755, 06000, 06755, 07777, 0x10000 | 04000,
					HI | 04755, HIALL | 02000, HI | 0644, 0xffff, ~0ULL};
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		modes[nmodes++] = more[i];
	for (size_t f = 0; f < nedges; f++)
		for (size_t m = 0; m < nmodes; m++) {
			const uint64_t o[6] = {0, edges[f], modes[m], 0, 0, 0};
			const uint64_t oa[6] = {NEG(AT_FDCWD), 0, edges[f], modes[m], 0, 0};
			equiv_point(q, AUDIT_ARCH_X86_64, SYS_open, o);
			equiv_point(q, AUDIT_ARCH_X86_64, SYS_openat, oa);
		}
	for (int r = 0; r < 3000; r++) {
		for (int p = 0; p < 6; p++)
			a[p] = random_arg(&seed, edges, nedges);
		equiv_point(q, AUDIT_ARCH_X86_64, (uint32_t)next_random(&seed) % 1200, a);
		equiv_point(q, AUDIT_ARCH_X86_64, (uint32_t)next_random(&seed), a);
	}
}

/* socket and socketpair over domains x types x protocols: every AF_*, the
 * allowed domains with high bits set, all 16 types with and without the
 * flags, protocols at the edges; then every protocol 0..300 for the
 * domains and types that matter. */
static void equiv_sockets(struct equiv *q)
{
	static const uint64_t dom_extra[] = {1 | HI, 2 | HI, 10 | HI, 1 | HIALL, 2 | (1ULL << 63),
					     10 | HIALL, 0xffffffff, ~0ULL};
	static const uint64_t type_flags[] = {0, SOCK_NONBLOCK, SOCK_CLOEXEC,
					      SOCK_NONBLOCK | SOCK_CLOEXEC, 0x40000000};
	static const uint64_t protos[] = {0, 1, 6, 17, 132, 262, 0xffffffff, HI, HI | 6, ~0ULL};
	static const uint64_t key_doms[] = {0, 1, 2, 10, 3, 1 | HI, 2 | HI, 10 | HIALL};
	static const uint64_t key_types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_RAW,
					     SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
					     SOCK_STREAM | HI, SOCK_SEQPACKET};
	uint64_t doms[AF_MAX + 2 + sizeof dom_extra / sizeof dom_extra[0]];
	size_t nd = 0;
	for (uint64_t d = 0; d <= AF_MAX + 1; d++)
		doms[nd++] = d;
	for (size_t i = 0; i < sizeof dom_extra / sizeof dom_extra[0]; i++)
		doms[nd++] = dom_extra[i];
	for (int pair = 0; pair < 2; pair++) {
		uint32_t nr = pair ? SYS_socketpair : SYS_socket;
		for (size_t d = 0; d < nd; d++)
			for (uint64_t t = 0; t < 16; t++)
				for (size_t f = 0; f < sizeof type_flags / sizeof type_flags[0]; f++)
					for (int h = 0; h < 2; h++)
						for (size_t p = 0; p < sizeof protos / sizeof protos[0]; p++)
							equiv_args3(q, nr, doms[d],
								    t | type_flags[f] | (h ? HI : 0),
								    protos[p]);
		for (size_t d = 0; d < sizeof key_doms / sizeof key_doms[0]; d++)
			for (size_t t = 0; t < sizeof key_types / sizeof key_types[0]; t++)
				for (uint64_t p = 0; p <= 300; p++) {
					equiv_args3(q, nr, key_doms[d], key_types[t], p);
					equiv_args3(q, nr, key_doms[d], key_types[t], p | HI);
				}
	}
}

/* All the sweeps on one pair of programs; one summary point. */
static void equiv_programs(const char *policy, const struct sock_filter *ours, size_t nours,
			   const struct sock_filter *ref, size_t nref, bool sockets)
{
	struct equiv q = {policy, ours, ref, nours, nref, 0, 0};
	equiv_numbers(&q);
	equiv_filtered_args(&q, 0x9e3779b97f4a7c15ULL);
	if (sockets)
		equiv_sockets(&q);
	tap_ok(q.bad == 0, "%s: our program (%zu instructions) and the reference's (%zu) agree "
	       "at %lu points (%lu disagreements%s)", policy, nours, nref, q.points, q.bad,
	       q.bad > MAX_REPORTED ? ", the first ones printed" : "");
}

/* Both programs for ir; ours checked the way the runtime checks it. */
static bool both_programs(const char *name, struct compile_ctx *c, const struct ir *ir,
			  struct sock_filter **ours, size_t *nours, struct sock_filter **ref,
			  size_t *nref)
{
	char err[256];
	*ours = *ref = NULL;
	if (!tap_ok(seccomp_generate(c, ir, ours, nours), "%s: our generator makes a program",
		    name) ||
	    !tap_ok(seccomp_generate_ref(c, ir, ref, nref),
		    "%s: the reference generator makes a program", name))
		return false;
	if (!tap_ok(bpf_check(*ours, *nours, err, sizeof err) == 0,
		    "%s: our program passes the runtime's bpf_check", name))
		tap_diag("%s", err);
	return true;
}

/* Compiles path in-process (profiles from incdir, if any) and compares the
 * two generators on it; artifact, if given, is what cordonc made of it and
 * must hold our program. */
static void equiv_file(const char *name, const char *path, const char *incdir,
		       const struct cpb_policy *artifact)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *diag = open_memstream(&msg, &len);
	struct compile_ctx c;
	struct ir ir;
	struct sock_filter *ours = NULL, *ref = NULL;
	size_t nours = 0, nref = 0;

	compile_init(&c, diag);
	if (incdir)
		compile_add_search_dir(&c, incdir);
	bool ok = compile_parse_main(&c, path);
	ok = lower(&c, &ir) && ok && c.diag.errors == 0;
	if (tap_ok(ok, "%s: compiles in-process", name) &&
	    both_programs(name, &c, &ir, &ours, &nours, &ref, &nref)) {
		if (artifact)
			tap_ok(artifact->nbpf == nours &&
				       memcmp(artifact->bpf, ours, nours * sizeof *ours) == 0,
			       "%s: cordonc's .cpb holds the same program (%zu instructions)",
			       name, artifact->nbpf);
		equiv_programs(name, ours, nours, ref, nref, true);
	}
	free(ours);
	free(ref);
	ir_free(&ir);
	compile_free(&c);
	fclose(diag);
	if (msg && *msg)
		tap_diag("%s: %s", name, msg);
	free(msg);
}

static void equiv_text(const char *dir, const struct policy *pol)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s.cordon", dir, pol->file);
	if (tap_ok(write_text(path, pol->text), "%s: written", pol->file))
		equiv_file(pol->file, path, NULL, NULL);
}

/* Every .cordon of dir (the golden policies, the standard profiles), if
 * the test runs from the repository root. */
static void equiv_dir(const char *dir, const char *incdir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		tap_ok(1, "%s # SKIP not found (run from the repository root)", dir);
		return;
	}
	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name);
		char path[512];
		if (l > 7 && strcmp(names[i]->d_name + l - 7, ".cordon") == 0) {
			snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
			equiv_file(path, path, incdir, NULL);
		}
		free(names[i]);
	}
	free(names);
}

/* Trampolines in prog: JAs, and RETs beyond one per distinct action. */
static void count_trampolines(const struct sock_filter *prog, size_t n, size_t *jas,
			      size_t *rets)
{
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		*jas += prog[i].code == (BPF_JMP | BPF_JA);
		if (prog[i].code != (BPF_RET | BPF_K))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = prog[j].code == prog[i].code && prog[j].k == prog[i].k;
		*rets += seen;
	}
}

/* Random syscall rules on top of a policy's IR (any action on any number
 * below IR_NR_MAX, whatever a policy could name; dense enough that the
 * program outgrows the 8-bit jumps): the generators must still agree.
 * Returns the length of our program and counts its trampolines. */
static size_t equiv_random_rules(const char *dir, unsigned round, size_t *jas, size_t *rets)
{
	static const char *const bases[] = {"", "net unix;\n", "net connect tcp 443;\n",
					    "net all;\n", "net unix;\nnet bind tcp 80;\n"};
	static const enum sys_action acts[] = {SYS_ALLOW, SYS_DENY, SYS_KILL};
	char name[64], path[256];
	struct policy pol = {name, bases[round % 5], 0};
	struct compile_ctx c;
	struct ir ir;
	struct sock_filter *ours = NULL, *ref = NULL;
	size_t nours = 0, nref = 0;
	uint64_t seed = 0x5eed0000ULL + round;
	unsigned density = 10 + 15 * (round % 7); /* percent of the numbers */

	snprintf(name, sizeof name, "random-rules-%u", round);
	snprintf(path, sizeof path, "%s/%s.cordon", dir, name);
	if (!write_text(path, pol.text))
		return 0;
	compile_init(&c, stderr);
	bool ok = compile_parse_main(&c, path);
	ok = lower(&c, &ir) && ok && c.diag.errors == 0;
	if (tap_ok(ok, "%s: the base policy compiles", name)) {
		for (int nr = 0; nr < IR_NR_MAX; nr++)
			if (next_random(&seed) % 100 < density)
				ir.sys[nr].action = acts[next_random(&seed) % 3];
		if (both_programs(name, &c, &ir, &ours, &nours, &ref, &nref))
			equiv_programs(name, ours, nours, ref, nref, round % 5 == 0);
	}
	count_trampolines(ours, nours, jas, rets);
	free(ours);
	free(ref);
	ir_free(&ir);
	compile_free(&c);
	return nours;
}

static void equiv_all(const char *dir)
{
	size_t longest = 0, jas = 0, rets = 0;
	for (size_t i = 0; i < NEQUIV; i++)
		equiv_text(dir, &equiv_policies[i]);
	equiv_dir("tests/golden/good", "stdlib-policies");
	equiv_dir("stdlib-policies", "stdlib-policies");
	for (unsigned round = 0; round < 14; round++) {
		size_t n = equiv_random_rules(dir, round, &jas, &rets);
		longest = n > longest ? n : longest;
	}
	tap_ok(longest > 256 && jas > 0 && rets > 0,
	       "the random rules made programs of up to %zu instructions, past the 8-bit "
	       "jumps (trampolines: %zu JAs, %zu copies of a RET)", longest, jas, rets);
}

/* cordonc's own x86_64 name table (compiler/syscall_table.c): sorted for
 * its binary search, and the same as libseccomp's for every call libseccomp
 * knows, both ways. */
static void check_syscall_table(void)
{
	size_t unsorted = 0, bad = 0, known = 0;
	for (size_t i = 0; i < n_syscall_table; i++) {
		const struct syscall_entry *e = &syscall_table[i];
		if (i && strcmp(syscall_table[i - 1].name, e->name) >= 0)
			unsorted++;
		int lib = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, e->name);
		if (lib != __NR_SCMP_ERROR && lib != e->nr) {
			tap_diag("%s: table %d, libseccomp %d", e->name, e->nr, lib);
			bad++;
		}
		if (syscall_number(e->name) != e->nr)
			bad++;
	}
	for (int nr = 0; nr < 1024; nr++) {
		char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		if (!s)
			continue;
		known++;
		if (syscall_number(s) != nr) {
			tap_diag("libseccomp's %s (%d) is %d in the table", s, nr, syscall_number(s));
			bad++;
		}
		free(s);
	}
	tap_ok(n_syscall_table > 370 && unsorted == 0,
	       "the syscall table is sorted by name (%zu entries)", n_syscall_table);
	tap_ok(bad == 0 && known > 360,
	       "the syscall table agrees with libseccomp on its %zu calls (%zu disagreements)",
	       known, bad);
	tap_ok(syscall_number("no_such_call") == -1 && syscall_number("") == -1 &&
		       syscall_number("mseal") == 462 && syscall_number("read") == 0,
	       "names not in the table are -1; calls newer than libseccomp are there");
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/cordon-seccomp-XXXXXX";
	char in[sizeof dir + 64], out[sizeof dir + 64], nb[48];
	struct tcase deny_cases[NDENY];
	static char deny_names[NDENY][64];

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORDONC_PATH\n", argv[0]);
		return 2;
	}
	if (access(argv[1], X_OK) != 0)
		tap_skip_all("%s: %s", argv[1], strerror(errno));
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		tap_skip_all("mmap: %s", strerror(errno));
	if (!mkdtemp(dir))
		tap_skip_all("mkdtemp: %s", strerror(errno));
	as_root = geteuid() == 0;
	nopid = find_nopid();
	tap_diag("running as uid %d; pid %d does not exist", (int)geteuid(), (int)nopid);
	if (!tap_ok(nopid > 0, "found a pid that does not exist"))
		nopid = 0x3fffffff; /* above any pid_max */
	bool real = seccomp_works();
	check_syscall_table();

	for (size_t i = 0; i < NDENY; i++) {
		snprintf(deny_names[i], sizeof deny_names[i], "default deny: %s (nr %ld)",
			 deny_set[i].name, deny_set[i].nr);
		deny_cases[i] = (struct tcase){
			.name = deny_names[i],
			.nr = deny_set[i].nr,
			.how = H_INTERP,
			.base = ERR_(deny_set[i].err),
		};
		if (strcmp(deny_set[i].name, "ptrace") == 0) {
			deny_cases[i].when = HAS_PTRACE;
			deny_cases[i].alt = ALLOW_;
		}
	}

	for (size_t p = 0; p < NPOLICIES; p++) {
		const struct policy *pol = &policies[p];
		struct cpb_policy cp;
		char err[512];

		snprintf(in, sizeof in, "%s/%s.cordon", dir, pol->file);
		snprintf(out, sizeof out, "%s/%s.cpb", dir, pol->file);
		bool ok = write_text(in, pol->text);
		if (!tap_ok(ok && compile(argv[1], in, out), "%s: cordonc compiles it",
			    pol->file))
			continue;
		if (!tap_ok(cpb_load_file(out, &cp, err, sizeof err) == 0 && cp.nbpf > 0 &&
			    cp.nbpf <= BPF_MAXINSNS, "%s: the .cpb loads, with a seccomp program",
			    pol->file)) {
			tap_diag("%s", err);
			continue;
		}
		struct sock_fprog prog = {(unsigned short)cp.nbpf, cp.bpf};
		sweep_sockets(pol->file, &cp, pol->has);
		for (size_t i = 0; i < NDENY; i++)
			check_interp(pol->file, &cp, &deny_cases[i],
				     expected(&deny_cases[i], pol->has));
		for (size_t i = 0; i < NCASES; i++) {
			const struct tcase *c = &cases[i];
			uint32_t want = expected(c, pol->has);
			check_interp(pol->file, &cp, c, want);
			if (c->how == H_INTERP)
				continue;
			if (real)
				check_real(pol->file, c, want, &prog);
			else
				tap_ok(1, "%s: real %s -> %s # SKIP seccomp filters cannot be "
				       "installed here", pol->file, c->name, act_str(want, nb));
		}
		equiv_file(pol->file, in, NULL, &cp);
		cpb_free(&cp);
	}
	equiv_all(dir);
	tap_ok(remove_tree(dir), "removed %s", dir);
	munmap((void *)shared, 4096);
	return tap_done();
}
