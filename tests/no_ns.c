/* no_ns: runs a command where no namespace can be had, as in a container
 * under Docker's default seccomp profile (moby/profiles seccomp/default.json
 * without CAP_SYS_ADMIN), for the test lane of the runtime's fallbacks.
 *
 *   no_ns [--drop-sys-admin] -- CMD [ARG]...
 *
 * Sets no_new_privs and installs a seccomp filter that refuses, for the
 * x86_64 ABI, what Docker's profile refuses to a container without
 * CAP_SYS_ADMIN: unshare, setns, mount, umount2, pivot_root and the new
 * mount API (fsopen, fsconfig, fsmount, fspick, move_mount, open_tree,
 * open_tree_attr, mount_setattr) with EPERM, clone with any namespace flag
 * with EPERM, clone3 with ENOSYS (its flags are out of seccomp's reach;
 * libc falls back to clone).  It installs no listener, as Docker does not.
 * With --drop-sys-admin (as root) it first drops CAP_SYS_ADMIN from its
 * bounding, permitted, effective, inheritable and ambient sets, as a root
 * container lacks it.  Then it execs CMD (searched in PATH). */

#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REFUSE(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
		   BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

static int drop_sys_admin(void)
{
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) != 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_SYS_ADMIN, 0, 0) != 0)
		return -1;
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) != 0)
		return -1;
	uint32_t bit = 1U << (CAP_SYS_ADMIN % 32);
	int i = CAP_SYS_ADMIN / 32;
	d[i].effective &= ~bit;
	d[i].permitted &= ~bit;
	d[i].inheritable &= ~bit;
	return (int)syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
	int i = 1;
	int drop = 0;
	if (i < argc && strcmp(argv[i], "--drop-sys-admin") == 0) {
		drop = 1;
		i++;
	}
	if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
		fprintf(stderr, "usage: no_ns [--drop-sys-admin] -- CMD [ARG]...\n");
		return 2;
	}
	char **cmd = argv + i + 1;
	if (drop && drop_sys_admin() != 0) {
		fprintf(stderr, "no_ns: cannot drop CAP_SYS_ADMIN: %s\n", strerror(errno));
		return 125;
	}
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		REFUSE(SYS_unshare), REFUSE(SYS_setns), REFUSE(SYS_mount), REFUSE(SYS_umount2),
		REFUSE(SYS_pivot_root), REFUSE(430 /* fsopen */), REFUSE(431 /* fsconfig */),
		REFUSE(432 /* fsmount */), REFUSE(433 /* fspick */), REFUSE(429 /* move_mount */),
		REFUSE(428 /* open_tree */), REFUSE(467 /* open_tree_attr */),
		REFUSE(442 /* mount_setattr */),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 435 /* clone3 */, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3),
		/* the low 32 bits of clone's flags: all the kernel reads */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
			 CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |
				 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {(unsigned short)(sizeof f / sizeof f[0]), f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
		fprintf(stderr, "no_ns: cannot install the seccomp filter: %s\n", strerror(errno));
		return 125;
	}
	execvp(cmd[0], cmd);
	fprintf(stderr, "no_ns: cannot execute %s: %s\n", cmd[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
