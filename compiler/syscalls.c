/* Syscall names of the target (x86_64) and the default deny set, modelled on
 * Docker's default seccomp profile (docs/language.md lists it with reasons). */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "xalloc.h"

/* Calls too new for Debian 12's libseccomp 2.5.4 (x86_64 numbers, from the
 * kernel's arch/x86/entry/syscalls/syscall_64.tbl). */
static const struct {
	const char *name;
	int nr;
} newer[] = {
	{"cachestat", 451},        {"fchmodat2", 452},     {"map_shadow_stack", 453},
	{"futex_wake", 454},       {"futex_wait", 455},    {"futex_requeue", 456},
	{"statmount", 457},        {"listmount", 458},     {"lsm_get_self_attr", 459},
	{"lsm_set_self_attr", 460}, {"lsm_list_modules", 461}, {"mseal", 462},
	{"setxattrat", 463},       {"getxattrat", 464},    {"listxattrat", 465},
	{"removexattrat", 466},    {"open_tree_attr", 467}, {"file_getattr", 468},
	{"file_setattr", 469},
};
#define NNEWER (sizeof newer / sizeof newer[0])

const struct default_deny default_denies[] = {
	/* loading code into the kernel, replacing it */
	{"init_module", EPERM}, {"finit_module", EPERM}, {"delete_module", EPERM},
	{"kexec_load", EPERM}, {"kexec_file_load", EPERM},
	/* the kernel keyring is not namespaced */
	{"add_key", EPERM}, {"request_key", EPERM}, {"keyctl", EPERM},
	/* mounts and namespaces: a way around Landlock's view of the tree */
	{"mount", EPERM}, {"umount2", EPERM}, {"pivot_root", EPERM},
	{"chroot", EPERM}, {"fsopen", EPERM}, {"fsconfig", EPERM},
	{"fsmount", EPERM}, {"fspick", EPERM}, {"move_mount", EPERM},
	{"open_tree", EPERM}, {"open_tree_attr", EPERM}, {"mount_setattr", EPERM},
	{"unshare", EPERM}, {"setns", EPERM},
	/* reaching into other processes */
	{"ptrace", EPERM}, {"process_vm_readv", EPERM}, {"process_vm_writev", EPERM},
	{"kcmp", EPERM}, {"pidfd_getfd", EPERM}, {"process_madvise", EPERM},
	/* large kernel attack surface; io_uring also bypasses seccomp */
	{"perf_event_open", EPERM}, {"bpf", EPERM}, {"userfaultfd", EPERM},
	{"io_uring_setup", EPERM}, {"io_uring_enter", EPERM},
	{"io_uring_register", EPERM}, {"fanotify_init", EPERM},
	/* the machine itself: I/O ports, power, swap, clock, names, logs */
	{"iopl", EPERM}, {"ioperm", EPERM}, {"modify_ldt", EPERM},
	{"reboot", EPERM}, {"swapon", EPERM}, {"swapoff", EPERM},
	{"acct", EPERM}, {"quotactl", EPERM}, {"quotactl_fd", EPERM},
	{"syslog", EPERM}, {"vhangup", EPERM}, {"settimeofday", EPERM},
	{"clock_settime", EPERM}, {"clock_adjtime", EPERM},
	{"sethostname", EPERM}, {"setdomainname", EPERM},
	/* NUMA placement of other processes' memory */
	{"mbind", EPERM}, {"migrate_pages", EPERM}, {"move_pages", EPERM},
	/* file handles open any inode of a mount, past Landlock's paths */
	{"open_by_handle_at", EPERM}, {"name_to_handle_at", EPERM},
	/* obsolete interfaces */
	{"uselib", EPERM}, {"_sysctl", EPERM}, {"ustat", EPERM},
	{"sysfs", EPERM}, {"nfsservctl", EPERM}, {"lookup_dcookie", EPERM},
	{"get_kernel_syms", EPERM}, {"query_module", EPERM},
	{"create_module", EPERM}, {"afs_syscall", EPERM}, {"tuxcall", EPERM},
	{"security", EPERM}, {"vserver", EPERM}, {"putpmsg", EPERM},
	{"getpmsg", EPERM},
	/* clone3's flags live in memory seccomp cannot read: answer ENOSYS so
	 * that libc falls back to clone, whose flags are filtered */
	{"clone3", ENOSYS},
};
const size_t n_default_denies = sizeof default_denies / sizeof default_denies[0];

int syscall_number(const char *name)
{
	for (size_t i = 0; i < NNEWER; i++)
		if (strcmp(name, newer[i].name) == 0)
			return newer[i].nr;
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name);
	return nr >= 0 && nr < IR_NR_MAX ? nr : -1;
}

const char *syscall_name(uint32_t nr, char buf[64])
{
	for (size_t i = 0; i < NNEWER; i++)
		if ((uint32_t)newer[i].nr == nr)
			return newer[i].name;
	if (nr >= IR_NR_MAX)
		return NULL;
	char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, (int)nr);
	if (!s)
		return NULL;
	snprintf(buf, 64, "%s", s);
	free(s);
	return buf;
}

char **syscall_names(size_t *n)
{
	char **names = xcalloc(IR_NR_MAX + NNEWER, sizeof *names);
	size_t k = 0;
	for (int nr = 0; nr < IR_NR_MAX; nr++) {
		char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		if (s)
			names[k++] = s;
	}
	for (size_t i = 0; i < NNEWER; i++)
		names[k++] = xstrdup(newer[i].name);
	*n = k;
	return names;
}

bool in_default_deny(int nr)
{
	for (size_t i = 0; i < n_default_denies; i++)
		if (syscall_number(default_denies[i].name) == nr)
			return true;
	return false;
}
