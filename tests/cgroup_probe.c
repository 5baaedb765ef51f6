/* cgroup_probe: the workloads of tests/cgroup.sh (and the VM lane), run
 * with and without cordon's cgroup limits.  Like sandbox_probe it prints one
 * line, "ok ACTION: ..." (exit 0) or "denied ACTION: ..." (exit 1; 2 on a
 * usage error), and is built static.  The runaway workloads stop at a bound
 * of their own (MIB, MAX), so that a limit that does not hold shows up as a
 * workload that got everything it asked for, not as a machine that ran out.
 *
 *   hog MIB FILE         touch MIB MiB of anonymous memory, 1 MiB at a time;
 *                        FILE holds the MiB touched so far (it survives an
 *                        OOM kill)
 *   forkbomb MAX FILE    fork until the tree has MAX tasks or fork fails; the
 *                        children sleep; FILE holds the tasks of the tree so
 *                        far; then kills and reaps the children.  Exits 0
 *                        when it reached MAX, 1 when fork failed
 *   spin SECONDS         a busy loop for SECONDS of wall-clock time; prints
 *                        its own CPU time, the wall time and their ratio in
 *                        per mille
 *   tree SECONDS PIDFILE a child in a new session forks a grandchild and
 *                        exits; the grandchild writes its pid to PIDFILE
 *                        and sleeps SECONDS; this process sleeps too
 *   create FILE          a marker that the command ran
 *   exit N | signal N
 *   as UID GID CMD [ARG]...  drops every group, sets the gid and uid, and
 *                        execs CMD (the VM's busybox setpriv has no --reuid)
 *   sigdfl CMD [ARG]...  execs CMD with every signal at its default action
 *                        and none blocked (sh starts background commands
 *                        with SIGINT and SIGQUIT ignored) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe_common.h"

#define MIB (1024L * 1024L)
#define MAX_TASKS 4096

static int usage(void)
{
	fprintf(stderr, "cgroup_probe: usage error (see the top of tests/cgroup_probe.c)\n");
	return 2;
}

static int write_all(int fd, const char *s)
{
	size_t len = strlen(s);
	return write(fd, s, len) == (ssize_t)len ? 0 : -1;
}

/* FILE gets "N\n", overwritten in place (fixed width, no truncation, so a
 * reader never sees it empty). */
static void progress(int fd, long n)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%10ld\n", n);
	if (fd >= 0 && pwrite(fd, buf, strlen(buf), 0) < 0)
		return;
}

static int open_progress(const char *file)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	progress(fd, 0);
	return fd;
}

static long now_ms(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int do_hog(const char *s, const char *file)
{
	long mib;
	if (probe_number(s, 10, &mib) < 0 || mib <= 0)
		return usage();
	int fd = open_progress(file);
	if (fd < 0) {
		printf("denied hog: %s: %s\n", file, strerror(errno));
		return 1;
	}
	long page = sysconf(_SC_PAGESIZE);
	for (long i = 0; i < mib; i++) {
		char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED) {
			int e = errno;
			printf("denied hog: got %ld MiB (%s)\n", i, strerrorname_np(e));
			return 1;
		}
		for (long off = 0; off < MIB; off += page)
			p[off] = (char)(i + 1);
		progress(fd, i + 1);
	}
	printf("ok hog: got %ld MiB\n", mib);
	return 0;
}

static int do_forkbomb(const char *s, const char *file)
{
	long max;
	static pid_t kids[MAX_TASKS];
	if (probe_number(s, 10, &max) < 0 || max < 1 || max > MAX_TASKS)
		return usage();
	int fd = open_progress(file);
	if (fd < 0) {
		printf("denied forkbomb: %s: %s\n", file, strerror(errno));
		return 1;
	}
	pid_t self = getpid();
	long tasks = 1, n = 0;
	int e = 0;
	progress(fd, tasks);
	fflush(stdout);
	while (tasks < max) {
		pid_t p = fork();
		if (p < 0) {
			e = errno;
			break;
		}
		if (p == 0) {
			/* never outlive the bomb, even when run without cordon */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != self)
				_exit(0);
			for (;;)
				pause();
		}
		kids[n++] = p;
		progress(fd, ++tasks);
	}
	for (long i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (long i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	if (e) {
		printf("denied forkbomb: max %ld tasks (fork: %s)\n", tasks, strerrorname_np(e));
		return 1;
	}
	printf("ok forkbomb: max %ld tasks\n", tasks);
	return 0;
}

static int do_spin(const char *s)
{
	char *end;
	double secs = strtod(s, &end);
	if (!*s || *end || secs <= 0)
		return usage();
	long t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
	long until = t0 + (long)(secs * 1000);
	volatile unsigned long x = 0;
	long t;
	while ((t = now_ms(CLOCK_MONOTONIC)) < until)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
	long cpu = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0, wall = t - t0;
	printf("ok spin: cpu_ms %ld wall_ms %ld permille %ld\n", cpu, wall,
	       wall > 0 ? cpu * 1000 / wall : 0);
	return 0;
}

static int do_tree(const char *s, const char *pidfile)
{
	long secs;
	if (probe_number(s, 10, &secs) < 0 || secs < 0)
		return usage();
	if (session_grandchild(pidfile, (unsigned)secs, 0) < 0) {
		printf("denied tree: the session child failed: %s\n", strerrorname_np(errno));
		return 1;
	}
	sleep((unsigned)secs);
	printf("ok tree: slept\n");
	return 0;
}

static int do_create(const char *file)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, "written by cgroup_probe\n") < 0) {
		printf("denied create: %s\n", strerrorname_np(errno));
		return 1;
	}
	close(fd);
	printf("ok create\n");
	return 0;
}

static int do_as(const char *u, const char *g, char **argv)
{
	long uid, gid;
	if (probe_number(u, 10, &uid) < 0 || probe_number(g, 10, &gid) < 0 || uid < 0 || gid < 0)
		return usage();
	if (setgroups(0, NULL) < 0 || setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0 ||
	    setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) {
		printf("denied as: %s\n", strerrorname_np(errno));
		return 1;
	}
	execvp(argv[0], argv);
	printf("denied as: exec %s: %s\n", argv[0], strerrorname_np(errno));
	return 127;
}

static int do_sigdfl(char **argv)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	execvp(argv[0], argv);
	printf("denied sigdfl: exec %s: %s\n", argv[0], strerrorname_np(errno));
	return 127;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *a = argv[1];
	int n = argc - 2;
	char **o = argv + 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	long v;

	if (strcmp(a, "hog") == 0 && n == 2)
		return do_hog(o[0], o[1]);
	if (strcmp(a, "forkbomb") == 0 && n == 2)
		return do_forkbomb(o[0], o[1]);
	if (strcmp(a, "spin") == 0 && n == 1)
		return do_spin(o[0]);
	if (strcmp(a, "tree") == 0 && n == 2)
		return do_tree(o[0], o[1]);
	if (strcmp(a, "create") == 0 && n == 1)
		return do_create(o[0]);
	if (strcmp(a, "as") == 0 && n >= 3)
		return do_as(o[0], o[1], o + 2);
	if (strcmp(a, "sigdfl") == 0 && n >= 1)
		return do_sigdfl(o);
	if (strcmp(a, "exit") == 0 && n == 1 && probe_number(o[0], 10, &v) == 0)
		return (int)(v & 255);
	if (strcmp(a, "signal") == 0 && n == 1 && probe_number(o[0], 10, &v) == 0) {
		fflush(stdout);
		signal((int)v, SIG_DFL);
		raise((int)v);
		printf("denied signal: it did not end the process\n");
		return 1;
	}
	return usage();
}
