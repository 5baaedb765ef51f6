/* sandbox_probe: performs one action named on its command line, for
 * tests/run.sh to try with and without cordon.  It exits 0 if the action
 * succeeded, 1 if it failed (it prints the errno name), 2 on a usage error,
 * and prints one line saying which.  Built static (cc -static), so that
 * executing it needs exec permission on the file only.
 *
 *   read FILE | list DIR | write FILE | create FILE | unlink FILE
 *   rename FROM TO | link FROM TO | exec FILE [ARG]... | env NAME | fd N
 *   tcp-connect PORT | udp-send PORT | unix-connect PATH
 *   abstract-connect NAME | socketpair | kill PID SIG | ptrace PID|child
 *   tiocsti [hi] | io-uring | x32 | sleep-tree SECONDS PIDFILE
 *   status FIELD (a line of /proc/self/status) | session (a session leader?)
 *   exit N | signal N
 *   listen tcp|udp|unix|abstract ADDR LOG READY   (a listener for the tests,
 *       run outside the sandbox: it appends a line to LOG for each connection
 *       or datagram; READY gets the bound port (or "ready") once it listens;
 *       tcp/udp ADDR is a port on 127.0.0.1, 0 for an ephemeral one) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "probe_common.h"

extern char **environ;

#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif

static const char *action = "";

static int ok(const char *what)
{
	return probe_ok(action, what);
}

/* The action failed with errno e. */
static int denied_errno(int e)
{
	return probe_denied(action, e);
}

static int denied(void)
{
	return denied_errno(errno);
}

static int usage(void)
{
	fprintf(stderr, "sandbox_probe: usage error (see the top of tests/sandbox_probe.c)\n");
	return 2;
}

static int do_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return denied();
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return denied_errno(e);
	buf[n] = '\0';
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return ok(buf);
}

static int do_list(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return denied();
	int n = 0;
	errno = 0;
	while (readdir(d))
		n++;
	int e = errno;
	closedir(d);
	if (e)
		return denied_errno(e);
	char what[32];
	snprintf(what, sizeof what, "%d entries", n);
	return ok(what);
}

static int write_all(int fd, const char *s)
{
	size_t len = strlen(s);
	return write(fd, s, len) == (ssize_t)len ? 0 : -1;
}

static int do_write(const char *path, int flags)
{
	int fd = open(path, flags | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		return denied();
	int r = write_all(fd, "written by sandbox_probe\n");
	int e = errno;
	close(fd);
	return r < 0 ? denied_errno(e) : ok("");
}

static int do_exec(char **argv)
{
	fflush(stdout);
	execve(argv[0], argv, environ);
	return denied();
}

static int do_env(const char *name)
{
	const char *v = getenv(name);
	if (!v) {
		printf("unset %s\n", name);
		return 1;
	}
	printf("set %s=%s\n", name, v);
	return 0;
}

static int do_fd(const char *s)
{
	long fd;
	if (probe_number(s, 10, &fd) < 0 || fd < 0 || fd > 1 << 20)
		return usage();
	if (fcntl((int)fd, F_GETFD) < 0)
		return denied();
	return ok("open");
}

static int do_status(const char *field)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return denied();
	char line[512];
	size_t n = strlen(field);
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			fclose(f);
			char *v = line + n + 1;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			return ok(v);
		}
	}
	fclose(f);
	return denied_errno(ENOENT);
}

static int do_session(void)
{
	pid_t sid = getsid(0);
	if (sid < 0)
		return denied();
	if (sid != getpid()) {
		printf("denied session: not a session leader\n");
		return 1;
	}
	return ok("session leader");
}

static int do_tcp_connect(const char *s)
{
	struct sockaddr_in a;
	if (port_addr(s, &a) < 0)
		return usage();
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return denied();
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
		return denied();
	close(fd);
	return ok("");
}

static int do_udp_send(const char *s)
{
	struct sockaddr_in a;
	if (port_addr(s, &a) < 0)
		return usage();
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return denied();
	static const char msg[] = "udp from sandbox_probe";
	if (sendto(fd, msg, sizeof msg - 1, 0, (struct sockaddr *)&a, sizeof a) < 0)
		return denied();
	close(fd);
	return ok("");
}

static int do_unix_connect(const char *s, int abstract)
{
	struct sockaddr_un a;
	socklen_t len = unix_addr(s, abstract, &a);
	if (!len)
		return usage();
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return denied();
	if (connect(fd, (struct sockaddr *)&a, len) < 0)
		return denied();
	close(fd);
	return ok("");
}

static int do_socketpair(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return denied();
	char c = 0;
	if (write(sv[0], "x", 1) != 1 || read(sv[1], &c, 1) != 1 || c != 'x')
		return denied();
	return ok("");
}

static int do_kill(const char *p, const char *s)
{
	long pid, sig;
	if (probe_number(p, 10, &pid) < 0 || probe_number(s, 10, &sig) < 0 || pid <= 0)
		return usage();
	if (syscall(SYS_kill, (pid_t)pid, (int)sig) < 0)
		return denied();
	return ok("");
}

static int do_ptrace(const char *p)
{
	long pid;
	pid_t child = 0;
	if (strcmp(p, "child") == 0) {
		child = fork();
		if (child < 0)
			return denied();
		if (child == 0) {
			pause();
			_exit(0);
		}
		pid = child;
	} else if (probe_number(p, 10, &pid) < 0 || pid <= 0) {
		return usage();
	}
	long r = syscall(SYS_ptrace, PTRACE_SEIZE, (pid_t)pid, 0L, 0L);
	int e = errno;
	if (r == 0)
		syscall(SYS_ptrace, PTRACE_DETACH, (pid_t)pid, 0L, 0L);
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return r < 0 ? denied_errno(e) : ok("");
}

/* TIOCSTI on standard input, which must not be a terminal (nothing is ever
 * injected).  "ok" means the call reached the kernel's ioctl code (it fails
 * there with ENOTTY on a non-terminal); "denied" is any error from a filter:
 * EPERM from seccomp, EACCES from Landlock.  With "hi" the command number has
 * bits set above the low 32, which the kernel ignores. */
static int do_tiocsti(const char *variant)
{
	if (isatty(0)) {
		fprintf(stderr, "sandbox_probe: tiocsti refuses a terminal on standard input\n");
		return 2;
	}
	unsigned long cmd = TIOCSTI;
	if (variant && strcmp(variant, "hi") == 0)
		cmd |= 0xabcd000000000000UL;
	else if (variant)
		return usage();
	char c = ' ';
	long r = syscall(SYS_ioctl, 0, cmd, &c);
	if (r == 0 || errno == ENOTTY || errno == EIO || errno == EINVAL) {
		char what[64];
		snprintf(what, sizeof what, "reached the kernel: %s",
			 r == 0 ? "success" : strerrorname_np(errno));
		return ok(what);
	}
	return denied();
}

static int do_io_uring(void)
{
	unsigned char params[120]; /* struct io_uring_params */
	memset(params, 0, sizeof params);
	long fd = syscall(SYS_io_uring_setup, 1U, params);
	if (fd < 0)
		return denied();
	close((int)fd);
	return ok("");
}

static int do_x32(void)
{
	/* x32 getpid: the sandbox kills the process here */
	long r = syscall(0x40000000L | 39);
	char what[64];
	snprintf(what, sizeof what, "returned %ld (%s)", r, r < 0 ? strerrorname_np(errno) : "");
	return ok(what);
}

/* A child in a new session forks a grandchild and exits; the grandchild
 * writes its pid to PIDFILE and sleeps; this process sleeps too. */
static int do_sleep_tree(const char *s, const char *pidfile)
{
	long secs;
	if (probe_number(s, 10, &secs) < 0 || secs < 0)
		return usage();
	if (session_grandchild(pidfile, (unsigned)secs, 0) < 0)
		return denied();
	sleep((unsigned)secs);
	return ok("slept");
}

/* Appends one line to the log (opened each time, so the shell can read it). */
static void log_line(const char *log, const char *line)
{
	int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		write_all(fd, line);
		close(fd);
	}
}

static int do_listen(const char *kind, const char *addr, const char *log, const char *ready)
{
	char text[32];
	int type, fd = probe_listen(kind, addr, &type, text);
	if (fd == -2)
		return usage();
	if (fd < 0 || probe_put_file(ready, text) < 0)
		return denied();
	for (;;) {
		char buf[256], line[300];
		if (type == SOCK_DGRAM) {
			ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
			if (n < 0)
				continue;
			buf[n] = '\0';
			snprintf(line, sizeof line, "%s %s\n", kind, buf);
			log_line(log, line);
			continue;
		}
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		snprintf(line, sizeof line, "%s connection\n", kind);
		log_line(log, line);
		close(c);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	action = argv[1];
	const char *a = argv[1];
	int n = argc - 2; /* operands */
	char **o = argv + 2;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (strcmp(a, "read") == 0 && n == 1)
		return do_read(o[0]);
	if (strcmp(a, "list") == 0 && n == 1)
		return do_list(o[0]);
	if (strcmp(a, "write") == 0 && n == 1)
		return do_write(o[0], O_TRUNC);
	if (strcmp(a, "create") == 0 && n == 1)
		return do_write(o[0], O_CREAT | O_EXCL);
	if (strcmp(a, "unlink") == 0 && n == 1)
		return unlink(o[0]) < 0 ? denied() : ok("");
	if (strcmp(a, "rename") == 0 && n == 2)
		return rename(o[0], o[1]) < 0 ? denied() : ok("");
	if (strcmp(a, "link") == 0 && n == 2)
		return link(o[0], o[1]) < 0 ? denied() : ok("");
	if (strcmp(a, "exec") == 0 && n >= 1)
		return do_exec(o);
	if (strcmp(a, "env") == 0 && n == 1)
		return do_env(o[0]);
	if (strcmp(a, "fd") == 0 && n == 1)
		return do_fd(o[0]);
	if (strcmp(a, "status") == 0 && n == 1)
		return do_status(o[0]);
	if (strcmp(a, "session") == 0 && n == 0)
		return do_session();
	if (strcmp(a, "tcp-connect") == 0 && n == 1)
		return do_tcp_connect(o[0]);
	if (strcmp(a, "udp-send") == 0 && n == 1)
		return do_udp_send(o[0]);
	if (strcmp(a, "unix-connect") == 0 && n == 1)
		return do_unix_connect(o[0], 0);
	if (strcmp(a, "abstract-connect") == 0 && n == 1)
		return do_unix_connect(o[0], 1);
	if (strcmp(a, "socketpair") == 0 && n == 0)
		return do_socketpair();
	if (strcmp(a, "kill") == 0 && n == 2)
		return do_kill(o[0], o[1]);
	if (strcmp(a, "ptrace") == 0 && n == 1)
		return do_ptrace(o[0]);
	if (strcmp(a, "tiocsti") == 0 && n <= 1)
		return do_tiocsti(n ? o[0] : NULL);
	if (strcmp(a, "io-uring") == 0 && n == 0)
		return do_io_uring();
	if (strcmp(a, "x32") == 0 && n == 0)
		return do_x32();
	if (strcmp(a, "sleep-tree") == 0 && n == 2)
		return do_sleep_tree(o[0], o[1]);
	if (strcmp(a, "listen") == 0 && n == 4)
		return do_listen(o[0], o[1], o[2], o[3]);
	long v;
	if (strcmp(a, "exit") == 0 && n == 1 && probe_number(o[0], 10, &v) == 0)
		return (int)(v & 255);
	if (strcmp(a, "signal") == 0 && n == 1 && probe_number(o[0], 10, &v) == 0) {
		fflush(stdout);
		signal((int)v, SIG_DFL);
		raise((int)v);
		return denied(); /* the signal did not end the process */
	}
	return usage();
}
