/* guard_probe: the attack and control programs of tests/fileless.sh and
 * tests/no_ns_layer.sh, one subcommand each.  Each prints "ok WHAT: ..." and
 * exits 0 when it did what it set out to do, or "blocked WHAT: STEP: ERRNO
 * (text)" and exits 1 when a step failed (2: a usage error).  Built static,
 * so that a copy of it runs from a memfd or an O_TMPFILE file with no
 * loader.  Every call is made with syscall(2), so that the variant tried is
 * the one named (libc would pick its own).
 *
 * fileless exec (the bytes of this program, run as "hello")
 *   hello                          prints "ok ran: ..." (what the others exec)
 *   memfd-exec none|exec|noexec|chmod execveat|procfd
 *                                  memfd_create(0, MFD_EXEC, MFD_NOEXEC_SEAL,
 *                                  or 0 and fchmod 0755), copy, exec
 *   tmpfile-exec DIR execveat|procfd   O_TMPFILE in DIR, copy, exec
 *   fd-exec FILE execveat|procfd   a descriptor of FILE, exec
 *   ldso-memfd LDSO                the loader runs a memfd's copy of echo
 *                                  (it maps it: no exec of the memfd)
 *   memfd-mem                      a memfd used as memory: write, read, mmap,
 *                                  ftruncate, seals; prints what it saw
 *   openat2 PATH                   openat2(PATH, O_RDONLY)
 * set-id bits
 *   setid chmod|fchmod|fchmodat2|creat|open|openat|mknod|tmpfile MODE PATH
 *                                  the mode (octal) on PATH made or changed
 *                                  that way; prints the mode it ended with
 * metadata
 *   meta OP PATH [ARG...]          OP: chmod MODE, fchmod MODE, chmod-proc MODE
 *                                  (through /proc/self/fd/N), fchmodat-nofollow MODE,
 *                                  chgrp GID, lchgrp GID, fchgrp GID, fchownat-empty GID,
 *                                  touch (utimensat, explicit times), utimes, utime,
 *                                  futimesat, futimens, setxattr NAME VALUE,
 *                                  lsetxattr NAME VALUE, fsetxattr NAME VALUE,
 *                                  setxattrat NAME VALUE, removexattr NAME,
 *                                  fremovexattr NAME, opath-fchmod MODE (EBADF)
 *   state PATH                     mode, owner, group, mtime and xattr names
 * SysV IPC and POSIX message queues
 *   ipc-victim KEY MQNAME PIDFILE  makes a shm segment (holding a secret), a
 *                                  message queue (holding a message), a
 *                                  semaphore set, all mode 0666, and a POSIX
 *                                  queue MQNAME; PIDFILE gets "PID SHMID"; sleeps
 *   ipc-attack KEY MQNAME SHMID    finds and attaches them: shmget, SHM_STAT_ANY,
 *                                  shmat, msgget+msgrcv, semget+semop, mq_open
 *   ipc-own                        the same on objects of its own (IPC_PRIVATE)
 * /dev/shm
 *   shm-leave NAME...              makes /dev/shm/NAME (a file with data) and exits
 *   shm-hold NAME READY            makes /dev/shm/NAME, holds it open, writes
 *                                  READY, sleeps until killed */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <mqueue.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "memfd_newer.h"

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif
#define NR_FCHMODAT2 452
#define NR_SETXATTRAT 463

extern char **environ;

static int blocked(const char *what, const char *step)
{
	int e = errno;
	printf("blocked %s: %s: %s (%s)\n", what, step, strerrorname_np(e) ? strerrorname_np(e) : "?",
	       strerror(e));
	return 1;
}

static int usage(void)
{
	fprintf(stderr, "guard_probe: bad usage (see tests/guard_probe.c)\n");
	return 2;
}

/* ---- fileless exec ---------------------------------------------------------- */

static int copy_self(int fd)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	char buf[65536];
	ssize_t n = 0;
	if (in < 0)
		return -1;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	close(in);
	return n == 0 ? 0 : -1;
}

static int exec_fd(const char *what, int fd, const char *route)
{
	char *argv[] = {"guard_probe", "hello", NULL};
	fflush(stdout);
	if (strcmp(route, "execveat") == 0) {
		syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	} else {
		char p[64];
		snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		execve(p, argv, environ);
	}
	return blocked(what, route);
}

static int memfd_exec(const char *how, const char *route)
{
	unsigned flags = strcmp(how, "exec") == 0     ? MFD_EXEC
			 : strcmp(how, "noexec") == 0 ? MFD_NOEXEC_SEAL
						      : 0;
	int fd = (int)syscall(SYS_memfd_create, "payload", flags);
	if (fd < 0)
		return blocked("memfd-exec", "memfd_create");
	if (copy_self(fd) != 0)
		return blocked("memfd-exec", "copy");
	if (strcmp(how, "chmod") == 0 && syscall(SYS_fchmod, fd, 0755) != 0)
		return blocked("memfd-exec", "fchmod 0755");
	return exec_fd("memfd-exec", fd, route);
}

static int tmpfile_exec(const char *dir, const char *route)
{
	int fd = (int)syscall(SYS_openat, AT_FDCWD, dir, O_TMPFILE | O_RDWR, 0755);
	if (fd < 0)
		return blocked("tmpfile-exec", "open O_TMPFILE");
	if (copy_self(fd) != 0)
		return blocked("tmpfile-exec", "copy");
	/* a descriptor open for writing cannot be executed (ETXTBSY): a
	 * read-only one of the same file */
	char p[64];
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	int ro = open(p, O_RDONLY);
	if (ro < 0)
		return blocked("tmpfile-exec", "reopen");
	close(fd);
	return exec_fd("tmpfile-exec", ro, route);
}

static int fd_exec(const char *file, const char *route)
{
	int fd = open(file, O_RDONLY);
	if (fd < 0)
		return blocked("fd-exec", "open");
	return exec_fd("fd-exec", fd, route);
}

/* The loader maps the file with PROT_EXEC: no exec of the file itself. */
static int ldso_memfd(const char *ldso)
{
	int fd = (int)syscall(SYS_memfd_create, "payload", 0);
	if (fd < 0)
		return blocked("ldso-memfd", "memfd_create");
	/* a dynamic program's bytes (the loader will not run a static one):
	 * echo, which says it ran */
	int src = open("/usr/bin/echo", O_RDONLY);
	char buf[65536];
	ssize_t n;
	if (src < 0)
		return blocked("ldso-memfd", "open /usr/bin/echo");
	while ((n = read(src, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return blocked("ldso-memfd", "copy");
	char p[64];
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	char *argv[] = {(char *)ldso, p, "ok", "ran:", "the loader mapped a memfd's bytes", NULL};
	fflush(stdout);
	execve(ldso, argv, environ);
	return blocked("ldso-memfd", "execve the loader");
}

static int memfd_mem(void)
{
	static const char text[] = "cordon memfd test";
	int fd = (int)syscall(SYS_memfd_create, "mem", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return blocked("memfd-mem", "memfd_create(MFD_CLOEXEC|MFD_ALLOW_SEALING)");
	if (write(fd, text, sizeof text) != (ssize_t)sizeof text)
		return blocked("memfd-mem", "write");
	char back[sizeof text];
	if (pread(fd, back, sizeof back, 0) != (ssize_t)sizeof back || memcmp(back, text, sizeof text))
		return blocked("memfd-mem", "read back");
	if (ftruncate(fd, 8192) != 0)
		return blocked("memfd-mem", "ftruncate");
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return blocked("memfd-mem", "mmap");
	m[4096] = 'x';
	char c;
	if (pread(fd, &c, 1, 4096) != 1 || c != 'x')
		return blocked("memfd-mem", "shared mapping");
	munmap(m, 8192);
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) != 0)
		return blocked("memfd-mem", "F_ADD_SEALS");
	int seals = fcntl(fd, F_GET_SEALS);
	if (!(seals & F_SEAL_WRITE) || write(fd, "y", 1) != -1 || errno != EPERM)
		return blocked("memfd-mem", "write after F_SEAL_WRITE");
	int fl = fcntl(fd, F_GETFD);
	if (!(fl & FD_CLOEXEC)) {
		errno = EINVAL;
		return blocked("memfd-mem", "close-on-exec");
	}
	/* without MFD_ALLOW_SEALING, no seal can be added */
	int plain = (int)syscall(SYS_memfd_create, "plain", 0);
	if (plain < 0)
		return blocked("memfd-mem", "memfd_create(0)");
	if (fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE) != -1 || errno != EPERM)
		return blocked("memfd-mem", "F_ADD_SEALS without MFD_ALLOW_SEALING");
	struct stat st;
	if (fstat(plain, &st) != 0)
		return blocked("memfd-mem", "fstat");
	/* the name the kernel shows */
	char link[64], target[256];
	snprintf(link, sizeof link, "/proc/self/fd/%d", plain);
	ssize_t l = readlink(link, target, sizeof target - 1);
	target[l > 0 ? l : 0] = '\0';
	printf("ok memfd-mem: write, read, ftruncate, shared mmap, seals %s; %s; "
	       "no seal without MFD_ALLOW_SEALING\n",
	       (seals & F_SEAL_WRITE) ? "work" : "?", target);
	return 0;
}

static int do_openat2(const char *path)
{
	struct open_how how = {.flags = O_RDONLY};
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
	if (fd < 0)
		return blocked("openat2", "openat2");
	printf("ok openat2: %s\n", path);
	return 0;
}

/* ---- set-id bits -------------------------------------------------------------- */

static int setid(const char *how, const char *mode_s, const char *path)
{
	mode_t mode = (mode_t)strtoul(mode_s, NULL, 8);
	long r;
	int fd;
	if (strcmp(how, "chmod") == 0) {
		r = syscall(SYS_chmod, path, mode);
	} else if (strcmp(how, "fchmod") == 0) {
		fd = open(path, O_RDONLY);
		r = fd < 0 ? -1 : syscall(SYS_fchmod, fd, mode);
	} else if (strcmp(how, "fchmodat2") == 0) {
		r = syscall(NR_FCHMODAT2, AT_FDCWD, path, mode, 0);
	} else if (strcmp(how, "creat") == 0) {
		r = syscall(SYS_creat, path, mode);
	} else if (strcmp(how, "open") == 0) {
		r = syscall(SYS_open, path, O_CREAT | O_EXCL | O_WRONLY, mode);
	} else if (strcmp(how, "openat") == 0) {
		r = syscall(SYS_openat, AT_FDCWD, path, O_CREAT | O_EXCL | O_WRONLY, mode);
	} else if (strcmp(how, "mknod") == 0) {
		r = syscall(SYS_mknod, path, S_IFREG | mode, 0);
	} else if (strcmp(how, "tmpfile") == 0) {
		/* a nameless file in PATH's directory, given PATH as its name */
		char dir[4096], p[64];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		fd = (int)syscall(SYS_openat, AT_FDCWD, slash ? dir : ".", O_TMPFILE | O_WRONLY, mode);
		if (fd < 0)
			return blocked("setid", "open O_TMPFILE");
		snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		r = linkat(AT_FDCWD, p, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
	} else {
		return usage();
	}
	if (r < 0)
		return blocked("setid", how);
	struct stat st;
	if (stat(path, &st) != 0)
		return blocked("setid", "stat");
	printf("ok setid: %s %s: now %04o\n", how, path, (unsigned)(st.st_mode & 07777));
	return 0;
}

/* ---- metadata ----------------------------------------------------------------- */

static int meta(int argc, char **argv)
{
	if (argc < 4)
		return usage();
	const char *op = argv[2], *path = argv[3], *a = argc > 4 ? argv[4] : "0";
	const char *b = argc > 5 ? argv[5] : "";
	long r;
	int fd;
	char p[64];
	struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
	struct timeval tv[2] = {{1000000000, 0}, {1000000000, 0}};
	if (strcmp(op, "chmod") == 0) {
		r = syscall(SYS_chmod, path, strtoul(a, NULL, 8));
	} else if (strcmp(op, "fchmod") == 0 || strcmp(op, "opath-fchmod") == 0) {
		fd = open(path, op[0] == 'o' ? O_PATH : O_RDONLY);
		r = fd < 0 ? -1 : syscall(SYS_fchmod, fd, strtoul(a, NULL, 8));
	} else if (strcmp(op, "chmod-proc") == 0) {
		fd = open(path, O_RDONLY);
		snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		r = fd < 0 ? -1 : syscall(SYS_chmod, p, strtoul(a, NULL, 8));
	} else if (strcmp(op, "fchmodat-nofollow") == 0) {
		r = syscall(NR_FCHMODAT2, AT_FDCWD, path, strtoul(a, NULL, 8), AT_SYMLINK_NOFOLLOW);
	} else if (strcmp(op, "chgrp") == 0) {
		r = syscall(SYS_chown, path, -1, atoi(a));
	} else if (strcmp(op, "lchgrp") == 0) {
		r = syscall(SYS_lchown, path, -1, atoi(a));
	} else if (strcmp(op, "fchgrp") == 0) {
		fd = open(path, O_RDONLY);
		r = fd < 0 ? -1 : syscall(SYS_fchown, fd, -1, atoi(a));
	} else if (strcmp(op, "fchownat-empty") == 0) {
		fd = open(path, O_PATH | O_NOFOLLOW);
		r = fd < 0 ? -1 : syscall(SYS_fchownat, fd, "", -1, atoi(a), AT_EMPTY_PATH);
	} else if (strcmp(op, "touch") == 0) {
		r = syscall(SYS_utimensat, AT_FDCWD, path, ts, 0);
	} else if (strcmp(op, "utimes") == 0) {
		r = syscall(SYS_utimes, path, tv);
	} else if (strcmp(op, "utime") == 0) {
		struct { long a, m; } u = {1000000000, 1000000000};
		r = syscall(SYS_utime, path, &u);
	} else if (strcmp(op, "futimesat") == 0) {
		r = syscall(SYS_futimesat, AT_FDCWD, path, tv);
	} else if (strcmp(op, "futimens") == 0) {
		fd = open(path, O_RDONLY);
		r = fd < 0 ? -1 : syscall(SYS_utimensat, fd, NULL, ts, 0);
	} else if (strcmp(op, "setxattr") == 0 || strcmp(op, "lsetxattr") == 0) {
		r = syscall(op[0] == 'l' ? SYS_lsetxattr : SYS_setxattr, path, a, b, strlen(b), 0);
	} else if (strcmp(op, "fsetxattr") == 0) {
		fd = open(path, O_RDONLY);
		r = fd < 0 ? -1 : syscall(SYS_fsetxattr, fd, a, b, strlen(b), 0);
	} else if (strcmp(op, "setxattrat") == 0) {
		struct { uint64_t value; uint32_t size, flags; } xa = {(uintptr_t)b, (uint32_t)strlen(b), 0};
		r = syscall(NR_SETXATTRAT, AT_FDCWD, path, 0, a, &xa, sizeof xa);
	} else if (strcmp(op, "removexattr") == 0) {
		r = syscall(SYS_removexattr, path, a);
	} else if (strcmp(op, "fremovexattr") == 0) {
		fd = open(path, O_RDONLY);
		r = fd < 0 ? -1 : syscall(SYS_fremovexattr, fd, a);
	} else {
		return usage();
	}
	if (r < 0)
		return blocked("meta", op);
	printf("ok meta: %s %s\n", op, path);
	return 0;
}

/* What the metadata calls change, on one line: mode, owner, group, mtime,
 * the xattr names (of the link itself, not what it points to). */
static int state(const char *path)
{
	struct stat st;
	char names[4096];
	if (lstat(path, &st) != 0)
		return blocked("state", "lstat");
	ssize_t n = llistxattr(path, names, sizeof names);
	printf("mode %04o uid %u gid %u mtime %lld xattrs", (unsigned)(st.st_mode & 07777),
	       (unsigned)st.st_uid, (unsigned)st.st_gid, (long long)st.st_mtime);
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(names + i) + 1)
		printf(" %s", names + i);
	printf("\n");
	return 0;
}

/* ---- SysV IPC and POSIX message queues ---------------------------------------- */

struct msg {
	long type;
	char text[64];
};

static int ipc_victim(const char *key_s, const char *mq, const char *pidfile)
{
	key_t key = (key_t)strtol(key_s, NULL, 0);
	int shm = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0666);
	int q = msgget(key, IPC_CREAT | IPC_EXCL | 0666);
	int sem = semget(key, 1, IPC_CREAT | IPC_EXCL | 0666);
	struct mq_attr at = {.mq_maxmsg = 4, .mq_msgsize = 64};
	mqd_t m = mq_open(mq, O_CREAT | O_EXCL | O_RDWR, 0666, &at);
	if (shm < 0 || q < 0 || sem < 0 || m == (mqd_t)-1)
		return blocked("ipc-victim", "create");
	char *mem = shmat(shm, NULL, 0);
	if (mem == (void *)-1)
		return blocked("ipc-victim", "shmat");
	strcpy(mem, "SECRET-shm");
	struct msg msg = {1, "SECRET-msg"};
	if (msgsnd(q, &msg, sizeof msg.text, 0) != 0 || mq_send(m, "SECRET-mq", 10, 0) != 0)
		return blocked("ipc-victim", "send");
	FILE *f = fopen(pidfile, "w");
	if (!f)
		return blocked("ipc-victim", "pidfile");
	fprintf(f, "%d %d\n", (int)getpid(), shm);
	fclose(f);
	/* removed when killed: SIGTERM ends the sleep, then the objects go */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sig;
	sigwait(&set, &sig);
	shmdt(mem);
	shmctl(shm, IPC_RMID, NULL);
	msgctl(q, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	mq_unlink(mq);
	return 0;
}

/* Each way in; "ok" when any got through. */
static int ipc_attack(const char *key_s, const char *mq, const char *shmid_s)
{
	key_t key = (key_t)strtol(key_s, NULL, 0);
	int got = 0;
	struct shmid_ds ds;
	int id = shmget(key, 0, 0);
	if (id >= 0) {
		char *mem = shmat(id, NULL, SHM_RDONLY);
		if (mem != (void *)-1) {
			printf("found: shm by key: %.20s\n", mem);
			got++;
		}
	} else {
		printf("refused: shmget: %s\n", strerrorname_np(errno));
	}
	/* by the index the kernel lists, whatever the key */
	int any = shmctl(atoi(shmid_s) & 0xffff, SHM_STAT_ANY, &ds);
	int stat_id = any;
	for (int i = 0; any < 0 && i < 4096; i++)
		if ((stat_id = shmctl(i, SHM_STAT_ANY, &ds)) >= 0)
			break;
	if (stat_id >= 0) {
		char *mem = shmat(stat_id, NULL, SHM_RDONLY);
		printf("found: shm by SHM_STAT_ANY (id %d)%s%.20s\n", stat_id,
		       mem != (void *)-1 ? ": " : "", mem != (void *)-1 ? mem : "");
		got++;
	} else {
		printf("refused: shmctl(SHM_STAT_ANY): %s\n", strerrorname_np(errno));
	}
	struct msqid_ds mds;
	if (msgctl(0, MSG_STAT_ANY, &mds) >= 0) {
		printf("found: a message queue by MSG_STAT_ANY\n");
		got++;
	}
	int q = msgget(key, 0);
	struct msg msg;
	if (q >= 0 && msgrcv(q, &msg, sizeof msg.text, 0, IPC_NOWAIT | MSG_COPY) >= 0) {
		printf("found: message: %s\n", msg.text);
		got++;
	} else if (q >= 0 && msgrcv(q, &msg, sizeof msg.text, 0, IPC_NOWAIT) >= 0) {
		printf("found: message: %s\n", msg.text);
		got++;
	} else {
		printf("refused: msgget/msgrcv: %s\n", strerrorname_np(errno));
	}
	int sem = semget(key, 0, 0);
	struct sembuf op = {0, 1, IPC_NOWAIT};
	if (sem >= 0 && semop(sem, &op, 1) == 0) {
		printf("found: semaphore set, and raised it\n");
		got++;
	} else {
		printf("refused: semget/semop: %s\n", strerrorname_np(errno));
	}
	mqd_t m = mq_open(mq, O_RDONLY | O_NONBLOCK);
	char buf[128];
	if (m != (mqd_t)-1 && mq_receive(m, buf, sizeof buf, NULL) >= 0) {
		printf("found: POSIX message: %s\n", buf);
		got++;
	} else {
		printf("refused: mq_open/mq_receive: %s\n", strerrorname_np(errno));
	}
	if (got) {
		printf("ok ipc-attack: %d ways in\n", got);
		return 0;
	}
	printf("blocked ipc-attack: every way refused\n");
	return 1;
}

static int ipc_own(void)
{
	int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	if (shm < 0)
		return blocked("ipc-own", "shmget(IPC_PRIVATE)");
	shmctl(shm, IPC_RMID, NULL);
	printf("ok ipc-own: a private segment\n");
	return 0;
}

/* ---- /dev/shm ----------------------------------------------------------------- */

static int shm_make(const char *name)
{
	char p[4096];
	snprintf(p, sizeof p, "/dev/shm/%s", name);
	int fd = open(p, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0 || write(fd, "left behind\n", 12) != 12)
		return -1;
	return fd;
}

static int shm_leave(int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		if (shm_make(argv[i]) < 0)
			return blocked("shm-leave", argv[i]);
	printf("ok shm-leave: %d entries\n", argc - 2);
	return 0;
}

static int shm_hold(const char *name, const char *ready)
{
	int fd = shm_make(name);
	if (fd < 0)
		return blocked("shm-hold", name);
	FILE *f = fopen(ready, "w");
	if (f)
		fclose(f);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	const char *c = argv[1];
	if (strcmp(c, "hello") == 0) {
		printf("ok ran: bytes no exec rule grants (pid %d)\n", (int)getpid());
		return 0;
	}
	if (strcmp(c, "memfd-exec") == 0 && argc == 4)
		return memfd_exec(argv[2], argv[3]);
	if (strcmp(c, "tmpfile-exec") == 0 && argc == 4)
		return tmpfile_exec(argv[2], argv[3]);
	if (strcmp(c, "fd-exec") == 0 && argc == 4)
		return fd_exec(argv[2], argv[3]);
	if (strcmp(c, "ldso-memfd") == 0 && argc == 3)
		return ldso_memfd(argv[2]);
	if (strcmp(c, "memfd-mem") == 0)
		return memfd_mem();
	if (strcmp(c, "openat2") == 0 && argc == 3)
		return do_openat2(argv[2]);
	if (strcmp(c, "setid") == 0 && argc == 5)
		return setid(argv[2], argv[3], argv[4]);
	if (strcmp(c, "meta") == 0)
		return meta(argc, argv);
	if (strcmp(c, "state") == 0 && argc == 3)
		return state(argv[2]);
	if (strcmp(c, "ipc-victim") == 0 && argc == 5)
		return ipc_victim(argv[2], argv[3], argv[4]);
	if (strcmp(c, "ipc-attack") == 0 && argc == 5)
		return ipc_attack(argv[2], argv[3], argv[4]);
	if (strcmp(c, "ipc-own") == 0)
		return ipc_own();
	if (strcmp(c, "shm-leave") == 0 && argc >= 3)
		return shm_leave(argc, argv);
	if (strcmp(c, "shm-hold") == 0 && argc == 4)
		return shm_hold(argv[2], argv[3]);
	return usage();
}
