/* The runtime's own seccomp program where no namespace can be had,
 * installed after the policy's (the kernel takes the strictest answer of
 * all filters), built here without libseccomp:
 *  - SysV IPC (shmget, shmat, shmctl, shmdt, msgget, msgsnd, msgrcv,
 *    msgctl, semget, semop, semtimedop, semctl) and POSIX message queues
 *    (mq_open, mq_unlink, mq_timedsend, mq_timedreceive, mq_notify,
 *    mq_getsetattr): EPERM.  Without an IPC namespace of its own the
 *    command would find (SHM_STAT_ANY, MSG_STAT_ANY), attach, read and set
 *    the objects of every process of the machine that their modes let it;
 *  - the file flags of chattr (ioctl FS_IOC_SETFLAGS, FS_IOC_FSSETXATTR,
 *    file_setattr): EPERM, wherever the file is (no read-only mount says
 *    EROFS for them outside the writable trees, and the supervisor does not
 *    make ioctls for the command);
 *  - with a listener: the metadata calls (meta_guard.h) go to the
 *    supervisor (SECCOMP_RET_USER_NOTIF), and memfd_create without
 *    MFD_NOEXEC_SEAL as in the compiled program: the newest filter that
 *    answers a call with USER_NOTIF is the one whose listener gets it, and
 *    this one has the listener.
 * Everything else: ALLOW (the policy's filter decides).  Other ABIs and
 * x32 numbers: ALLOW here, the policy's filter kills them. */
#ifndef CORDON_NONS_FILTER_H
#define CORDON_NONS_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

#define NF_MAX 128

struct nons_filter {
	struct sock_filter insn[NF_MAX];
	struct sock_fprog prog;
};

/* Builds the program into f (listener: hand the metadata calls and memfd
 * to the supervisor).  0, or -1 (a bug: too long). */
int nf_build(struct nons_filter *f, bool listener);

#endif
