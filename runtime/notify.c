/* The seccomp user-notification listener (see notify.h). */
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "meta_guard.h"
#include "memfd_newer.h"

#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#endif
#define NR_MEMFD_CREATE 319
#define MFD_NAME_MAX 249 /* NAME_MAX - strlen("memfd:") */

/* ---- in the parent: what can be had here ---------------------------------- */

bool nt_filtered(void)
{
	return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0;
}

struct probe {
	volatile int ok;
};

static int probe_child(void *arg)
{
	struct probe *p = arg;
	static struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
	struct sock_fprog prog = {1, allow};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
		    &prog) >= 0)
		p->ok = 1;
	_exit(0);
}

bool nt_listener_available(void)
{
	if (!nt_filtered())
		return true; /* nothing above cordon can hold one */
	/* a child of our own tries it (the filter dies with it); it shares
	 * our memory until it exits, as the command's child does */
	static const size_t stack_size = 16 * 1024;
	char *stack = __builtin_alloca(stack_size + 16);
	stack = (char *)(((uintptr_t)stack + 15) & ~(uintptr_t)15);
	struct probe p = {0};
	pid_t pid = clone(probe_child, stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &p);
	if (pid < 0)
		return false;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return p.ok;
}

/* Whether memfd_create knows MFD_NOEXEC_SEAL (older kernels: EINVAL). */
static bool has_noexec_seal(void)
{
	int fd = (int)syscall(SYS_memfd_create, "cordon-probe", MFD_CLOEXEC | MFD_NOEXEC_SEAL);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int nt_plan(struct nt_plan *n, bool must_know, char *err, size_t errlen)
{
	*n = (struct nt_plan){.sock = {-1, -1}, .fd = -1, .noexec_seal = -1};
	/* (a look at what can be had costs a child: only when it matters) */
	n->optional = !must_know && nt_filtered();
	n->listener = n->optional || nt_listener_available();
	if (!n->listener)
		return 0;
	struct seccomp_notif_sizes sz;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) != 0) {
		/* a kernel that installs listeners knows this (5.0) */
		n->listener = false;
		return 0;
	}
	n->req_size = sz.seccomp_notif > sizeof *n->req ? sz.seccomp_notif : sizeof *n->req;
	n->resp_size = sz.seccomp_notif_resp > sizeof *n->resp ? sz.seccomp_notif_resp
							       : sizeof *n->resp;
	n->req = calloc(1, n->req_size);
	n->resp = calloc(1, n->resp_size);
	if (!n->req || !n->resp ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, n->sock) != 0) {
		snprintf(err, errlen, "cannot set up the seccomp listener: %s", strerror(errno));
		nt_free(n);
		return -1;
	}
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) == 0) {
		for (int i = 0; i < 2; i++) {
			n->cap_eff[i] = d[i].effective;
			n->cap_prm[i] = d[i].permitted;
			n->cap_inh[i] = d[i].inheritable;
		}
		n->caps = d[0].effective | d[1].effective;
	}
	return 0;
}

void nt_free(struct nt_plan *n)
{
	for (int i = 0; i < 2; i++)
		if (n->sock[i] >= 0)
			close(n->sock[i]);
	if (n->fd >= 0)
		close(n->fd);
	n->sock[0] = n->sock[1] = n->fd = -1;
	free(n->req);
	free(n->resp);
	n->req = NULL;
	n->resp = NULL;
}

/* ---- in the child ---------------------------------------------------------- */

static long install(const struct sock_fprog *prog, unsigned long flags)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
}

int nt_install(const struct sock_fprog *policy, const struct nt_plan *n)
{
	const struct sock_fprog *last = n->extra ? n->extra : policy;
	if (n->extra && install(policy, 0) < 0)
		return -1;
	if (!n->listener)
		return (int)install(last, 0);
	/* the command's notified calls then wait for the answer without being
	 * cut short by a signal once the supervisor has them (Linux 5.19), so
	 * that nothing is done twice */
	long fd = install(last, SECCOMP_FILTER_FLAG_NEW_LISTENER |
				SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	if (fd < 0 && errno == EINVAL)
		fd = install(last, SECCOMP_FILTER_FLAG_NEW_LISTENER);
	if (fd < 0 && errno == EBUSY && n->optional)
		return (int)install(last, 0); /* a filter above has one: none */
	if (fd < 0)
		return -1;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte = 'L';
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = sizeof u.buf};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	int lfd = (int)fd;
	__builtin_memcpy(CMSG_DATA(c), &lfd, sizeof lfd);
	ssize_t r = sendmsg(n->sock[1], &msg, MSG_NOSIGNAL);
	int e = errno;
	/* the command must never hold the listener (it could answer its own
	 * calls); both are close-on-exec as well */
	close(lfd);
	close(n->sock[1]);
	errno = e;
	return r == 1 ? 0 : -1;
}

/* ---- in the supervisor ----------------------------------------------------- */

void nt_receive(struct nt_plan *n)
{
	if (n->sock[0] < 0)
		return;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = sizeof u.buf};
	if (recvmsg(n->sock[0], &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) == 1) {
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&n->fd, CMSG_DATA(c), sizeof n->fd);
	}
	close(n->sock[0]);
	close(n->sock[1]);
	n->sock[0] = n->sock[1] = -1;
}

void nt_as_command(const struct nt_plan *n, bool on)
{
	if (!n->caps)
		return;
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	for (int i = 0; i < 2; i++)
		d[i] = (struct __user_cap_data_struct){on ? 0 : n->cap_eff[i], n->cap_prm[i],
						       n->cap_inh[i]};
	/* (this thread only: the supervisor has no other) */
	(void)syscall(SYS_capset, &h, d);
}

/* Through /proc/PID/mem, where process_vm_readv is refused (Docker's
 * default seccomp profile allows it only with CAP_SYS_PTRACE). */
static int read_mem_file(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -EFAULT;
	ssize_t r = pread(fd, buf, len, (off_t)addr);
	close(fd);
	return r == (ssize_t)len ? 0 : -EFAULT;
}

int nt_read(struct nt_plan *n, pid_t pid, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (n->no_vm_readv)
		return read_mem_file(pid, addr, buf, len);
	struct iovec local = {buf, len}, remote = {(void *)(uintptr_t)addr, len};
	ssize_t r = syscall(SYS_process_vm_readv, pid, &local, 1, &remote, 1, 0);
	if (r < 0 && (errno == EPERM || errno == ENOSYS)) {
		n->no_vm_readv = true; /* a filter above cordon refuses it */
		return read_mem_file(pid, addr, buf, len);
	}
	return r == (ssize_t)len ? 0 : -EFAULT;
}

long nt_read_str(struct nt_plan *n, pid_t pid, uint64_t addr, char *buf, size_t max,
		 int toolong)
{
	/* page by page: the string may end just before an unmapped page */
	static const uint64_t page = 4096;
	size_t got = 0;
	while (got < max) {
		uint64_t at = addr + got;
		size_t chunk = (size_t)(page - at % page);
		if (chunk > max - got)
			chunk = max - got;
		if (nt_read(n, pid, at, buf + got, chunk) != 0)
			return -EFAULT;
		char *nul = memchr(buf + got, '\0', chunk);
		if (nul)
			return nul - buf;
		got += chunk;
	}
	return -toolong;
}

bool nt_still_valid(const struct nt_plan *n, uint64_t id)
{
	return ioctl(n->fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* memfd_create(name, flags) without MFD_NOEXEC_SEAL: made here with it and
 * injected.  Returns 1 when the answer was sent with the fd, else 0 with
 * resp->error set. */
static int serve_memfd(struct nt_plan *n, const struct seccomp_notif *req,
		       struct seccomp_notif_resp *resp)
{
	char name[MFD_NAME_MAX + 1];
	uint32_t flags = (uint32_t)req->data.args[1];
	if (n->noexec_seal < 0)
		n->noexec_seal = has_noexec_seal();
	if (!n->noexec_seal) {
		/* the memfd could not be made non-executable: there is none */
		resp->error = -ENOSYS;
		return 0;
	}
	long len = nt_read_str(n, req->pid, req->data.args[0], name, sizeof name, EINVAL);
	if (len < 0) {
		resp->error = (int)len;
		return 0;
	}
	nt_as_command(n, true);
	int fd = (int)syscall(SYS_memfd_create, name, flags | MFD_NOEXEC_SEAL);
	int e = errno;
	/* MFD_NOEXEC_SEAL allows sealing: a program that did not ask for it
	 * gets a memfd whose seals are closed, as it would have */
	if (fd >= 0 && !(flags & MFD_ALLOW_SEALING) && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL) != 0) {
		e = errno;
		close(fd);
		fd = -1;
	}
	nt_as_command(n, false);
	if (fd < 0) {
		resp->error = -e;
		return 0;
	}
	struct seccomp_notif_addfd a = {
		.id = req->id, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (uint32_t)fd,
		.newfd_flags = (flags & MFD_CLOEXEC) ? O_CLOEXEC : 0,
	};
	int r = ioctl(n->fd, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
	e = errno;
	close(fd);
	if (r >= 0) {
		n->stats.memfds++;
		return 1;
	}
	/* (the task may be gone: the answer is then refused, ENOENT) */
	resp->error = -e;
	return 0;
}

int nt_serve(struct nt_plan *n)
{
	memset(n->req, 0, n->req_size);
	if (ioctl(n->fd, SECCOMP_IOCTL_NOTIF_RECV, n->req) != 0) {
		/* ENOENT: the task went before we took its call */
		return errno == ENOENT || errno == EINTR ? 0 : -1;
	}
	const struct seccomp_notif *req = n->req;
	struct seccomp_notif_resp *resp = n->resp;
	memset(resp, 0, n->resp_size);
	resp->id = req->id;
	n->stats.served++;
	int sent = 0;
	if (req->data.nr == NR_MEMFD_CREATE)
		sent = serve_memfd(n, req, resp);
	else if (n->meta && meta_handles(req->data.nr))
		meta_serve(n->meta, n, req, resp);
	else
		resp->error = -ENOSYS; /* nothing of ours: a policy's own notify */
	if (!sent && ioctl(n->fd, SECCOMP_IOCTL_NOTIF_SEND, resp) != 0 && errno != ENOENT)
		return -1;
	return 0;
}
