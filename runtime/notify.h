/* The seccomp user-notification listener: the calls that the compiled
 * program and the runtime's own filter hand to the supervisor
 * (SECCOMP_RET_USER_NOTIF), and the supervisor's answers.
 *
 * The child installs the last of its seccomp filters with
 * SECCOMP_FILTER_FLAG_NEW_LISTENER (a notification goes to the newest
 * filter that answers it so, and only one filter of a process may have a
 * listener) and passes the listener to the supervisor over a socketpair
 * made before the clone; the supervisor's poll loop serves it (nt_serve).
 * The supervisor never lets the kernel go on with a notified call
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE would let the command change the
 * arguments after the check): it makes the call itself and answers with its
 * result.
 *   memfd_create without MFD_NOEXEC_SEAL: the supervisor makes the memfd
 *     with MFD_NOEXEC_SEAL added (and F_SEAL_SEAL when the program did not
 *     ask for sealing), without its capabilities, and injects it as the
 *     call's result (SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND);
 *     on a kernel without MFD_NOEXEC_SEAL (before 6.3) it answers ENOSYS;
 *   the metadata calls, where no namespace can be had (meta_guard.c);
 *   anything else a policy's program hands over: ENOSYS.
 * With no listener (another filter above cordon has one: EBUSY), the
 * kernel answers every notified call with ENOSYS. */
#ifndef CORDON_NOTIFY_H
#define CORDON_NOTIFY_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct meta_guard;

struct nt_stats {
	uint64_t served, memfds, meta_done, meta_refused;
};

struct nt_plan {
	bool listener;         /* the child's last filter gets a listener */
	bool optional;         /* ... if it can: without one (EBUSY) it goes on */
	int sock[2];           /* [0] the supervisor's end, [1] the child's; -1 */
	int fd;                /* the listener, once received; -1 */
	int noexec_seal;       /* the kernel has MFD_NOEXEC_SEAL (Linux 6.3): 1, 0;
				* -1 until the first memfd_create tells */
	bool no_vm_readv;      /* process_vm_readv is refused here: /proc/PID/mem */
	const struct sock_fprog *extra; /* the runtime's own filter, installed
					 * after the policy's, or NULL */
	struct meta_guard *meta; /* the metadata calls to check, or NULL */
	bool caps;             /* the supervisor holds capabilities: each call
				* it makes for the command is made without */
	uint32_t cap_eff[2], cap_prm[2], cap_inh[2];
	struct seccomp_notif *req;       /* buffers of the kernel's sizes */
	struct seccomp_notif_resp *resp;
	size_t req_size, resp_size;
	struct nt_stats stats;
};

/* In the parent, before the clone: the socketpair and the buffers.  With
 * must_know (no namespaces: the metadata calls need the listener), finds
 * out whether a listener can be had here (no filter above cordon has one);
 * else the child tries, and goes on without one when it cannot (memfds are
 * then ENOSYS).  0, or -1 with err (the command must not run). */
int nt_plan(struct nt_plan *n, bool must_know, char *err, size_t errlen);

/* Whether a seccomp filter with a listener can be installed under the
 * filters this process already has (a cheap look when it has none). */
bool nt_listener_available(void);

/* Whether this process runs under a seccomp filter (PR_GET_SECCOMP). */
bool nt_filtered(void);

/* In the child, last of its steps before exec: installs the policy's
 * filter, then n->extra if any, the last one with the listener when
 * n->listener, and sends the listener to the supervisor.  Only system
 * calls; -1 with errno. */
int nt_install(const struct sock_fprog *policy, const struct nt_plan *n);

/* In the parent once the child has exec'd (or failed): takes the listener
 * from the socketpair (n->fd, or -1 when the child sent none) and closes
 * the socketpair. */
void nt_receive(struct nt_plan *n);

/* Serves one notification (the listener is readable).  0, or -1 when the
 * listener is gone (stop polling it). */
int nt_serve(struct nt_plan *n);

/* Closes what n holds (not n->meta). */
void nt_free(struct nt_plan *n);

/* ---- for the handlers (meta_guard.c) ---- */

/* Makes the calls that follow without the supervisor's capabilities (on),
 * or with them again (off): DAC is then the kernel's, as for the command. */
void nt_as_command(const struct nt_plan *n, bool on);

/* Reads len bytes at addr of pid's memory.  0, or -errno (EFAULT). */
int nt_read(struct nt_plan *n, pid_t pid, uint64_t addr, void *buf, size_t len);

/* Reads a NUL-terminated string at addr of pid's memory into buf (max
 * bytes with the NUL).  Its length, or -EFAULT, or -toolong when it does
 * not end within max bytes. */
long nt_read_str(struct nt_plan *n, pid_t pid, uint64_t addr, char *buf, size_t max,
		 int toolong);

/* Whether the notification id is still pending (its task has not gone and
 * its pid cannot have been reused). */
bool nt_still_valid(const struct nt_plan *n, uint64_t id);

#endif
