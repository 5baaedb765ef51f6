/* What the test programs that act inside and outside the sandbox share
 * (tests/sandbox_probe.c, tests/cgroup_probe.c, tests/attacks/attack.c):
 * socket addresses on loopback, and a tree whose grandchild left the
 * session.  Header-only: each program is one static binary built by its
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
			char tmp[4096], buf[32];
			snprintf(tmp, sizeof tmp, "%s.tmp", pidfile);
			int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			int len = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
			if (fd < 0 || write(fd, buf, (size_t)len) != len || close(fd) < 0 ||
			    rename(tmp, pidfile) < 0)
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
