/* Syscall names of the target (x86_64) and the default deny set, modelled on
 * Docker's default seccomp profile (docs/language.md lists it with reasons). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "syscall_table.h"
#include "xalloc.h"

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
	/* openat2's mode lives in memory seccomp cannot read (a setuid file
	 * could be made: see seccomp_gen.c): ENOSYS, and programs fall back to
	 * openat, whose mode is filtered */
	{"openat2", ENOSYS},
};
const size_t n_default_denies = sizeof default_denies / sizeof default_denies[0];

static int by_name(const void *key, const void *entry)
{
	return strcmp(key, ((const struct syscall_entry *)entry)->name);
}

int syscall_number(const char *name)
{
	const struct syscall_entry *e = bsearch(name, syscall_table, n_syscall_table,
						 sizeof syscall_table[0], by_name);
	return e && e->nr < IR_NR_MAX ? e->nr : -1;
}

const char *syscall_name(uint32_t nr, char buf[64])
{
	(void)buf;
	for (size_t i = 0; i < n_syscall_table; i++)
		if ((uint32_t)syscall_table[i].nr == nr)
			return syscall_table[i].name;
	return NULL;
}

char **syscall_names(size_t *n)
{
	char **names = xcalloc(n_syscall_table, sizeof *names);
	for (size_t i = 0; i < n_syscall_table; i++)
		names[i] = xstrdup(syscall_table[i].name);
	*n = n_syscall_table;
	return names;
}

bool in_default_deny(int nr)
{
	for (size_t i = 0; i < n_default_denies; i++)
		if (syscall_number(default_denies[i].name) == nr)
			return true;
	return false;
}
