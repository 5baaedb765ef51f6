/* What the test programs that act inside and outside the sandbox share
 * (tests/sandbox_probe.c, tests/cgroup_probe.c, tests/attacks/attack.c):
 * socket addresses on loopback, a listener's socket, files written whole,
 * and a tree whose grandchild left the session.  Header-only: each program is one static binary built by its
 * test script. */
#ifndef CORDON_PROBE_COMMON_H
#define CORDON_PROBE_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* The probes' result lines: "ok ACTION[: WHAT]" (0), or "denied ACTION:
 * ERRNO (text)" for errno e (1). */
static inline int probe_ok(const char *action, const char *what)
{
	printf("ok %s%s%s\n", action, *what ? ": " : "", what);
	return 0;
}

static inline int probe_denied(const char *action, int e)
{
	const char *name = strerrorname_np(e);
	printf("denied %s: %s (%s)\n", action, name ? name : "?", strerror(e));
	return 1;
}

/* 127.0.0.1:PORT from a decimal string; -1 when it is not a port. */
static inline int port_addr(const char *s, struct sockaddr_in *a)
{
	char *end;
	errno = 0;
	long port = strtol(s, &end, 10);
	if (!*s || *end || errno || port < 0 || port > 65535)
		return -1;
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	a->sin_port = htons((unsigned short)port);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return 0;
}

/* A unix address: a path, or (abstract) a name after a NUL byte; its
 * length, or 0 when it does not fit. */
static inline socklen_t unix_addr(const char *s, int abstract, struct sockaddr_un *a)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	size_t n = strlen(s);
	if (n + 2 > sizeof a->sun_path)
		return 0;
	memcpy(a->sun_path + (abstract ? 1 : 0), s, n);
	/* abstract: the leading NUL and the name; a path: and its NUL */
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

/* A whole number in base (0: C's prefixes: 0x, 0); 0, or -1 when s is not
 * all of one. */
static inline int probe_number(const char *s, int base, long *v)
{
	char *end;
	errno = 0;
	*v = strtol(s, &end, base);
	return *s && !*end && errno == 0 ? 0 : -1;
}

/* Writes text to file through file.tmp and a rename, so that a reader
 * waiting for file never sees half of it.  0, or -1 with errno. */
static inline int probe_put_file(const char *file, const char *text)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	for (size_t len = strlen(text), done = 0; done < len;) {
		ssize_t k = write(fd, text + done, len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		done += (size_t)k;
	}
	return close(fd) < 0 || rename(tmp, file) < 0 ? -1 : 0;
}

/* The socket of a test listener, outside the sandbox: kind tcp or udp
 * (addr a port on 127.0.0.1, 0 for any free one) or unix or abstract (addr
 * a path or a name); bound, and listening for the stream kinds.  Puts its
 * type (SOCK_STREAM, SOCK_DGRAM) in *type and what the ready file says in
 * ready: the port, or "ready".  The socket; -2 for a kind or addr that
 * makes no sense; -1 with errno when a call failed. */
static inline int probe_listen(const char *kind, const char *addr, int *type, char ready[32])
{
	struct sockaddr_storage ss;
	socklen_t len;
	int family;
	*type = SOCK_STREAM;
	if (strcmp(kind, "tcp") == 0 || strcmp(kind, "udp") == 0) {
		if (port_addr(addr, (struct sockaddr_in *)&ss) < 0)
			return -2;
		len = sizeof(struct sockaddr_in);
		family = AF_INET;
		if (kind[0] == 'u')
			*type = SOCK_DGRAM;
	} else if (strcmp(kind, "unix") == 0 || strcmp(kind, "abstract") == 0) {
		len = unix_addr(addr, kind[0] == 'a', (struct sockaddr_un *)&ss);
		if (!len)
			return -2;
		family = AF_UNIX;
	} else {
		return -2;
	}
	int fd = socket(family, *type | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (*type == SOCK_STREAM && listen(fd, 16) < 0))
		return -1;
	snprintf(ready, 32, "ready\n");
	if (family == AF_INET) {
		struct sockaddr_in b;
		socklen_t blen = sizeof b;
		if (getsockname(fd, (struct sockaddr *)&b, &blen) < 0)
			return -1;
		snprintf(ready, 32, "%u\n", (unsigned)ntohs(b.sin_port));
	}
	return fd;
}

/* Forks a child that calls setsid() and forks a grandchild, which writes
 * its pid to pidfile (atomically) and then sleeps secs, or with spin burns
 * CPU until killed; the child exits at once, so the grandchild is
 * re-parented.  0 when the child did all that, -1 when it failed. */
static inline int session_grandchild(const char *pidfile, unsigned secs, int spin)
{
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		if (setsid() < 0)
			_exit(1);
		pid_t g = fork();
		if (g < 0)
			_exit(1);
		if (g == 0) {
			char buf[32];
			snprintf(buf, sizeof buf, "%d\n", (int)getpid());
			if (probe_put_file(pidfile, buf) < 0)
				_exit(1);
			for (volatile unsigned long n = 0; spin;)
				n++;
			sleep(secs);
			_exit(0);
		}
		_exit(0);
	}
	int st;
	if (waitpid(child, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		errno = ECHILD;
		return -1;
	}
	return 0;
}

#endif
