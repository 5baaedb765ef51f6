/* ns_probe: one action named on its command line, for tests/ns_layer.sh to
 * try with and without cordon: what the namespace layer holds (metadata
 * calls outside the writable trees, covered paths, /dev/shm, SysV IPC).
 * It exits 0 if the action succeeded, 1 if it failed (it prints the errno
 * name), 2 on a usage error, and prints one line saying which.  Built
 * static (cc -static), so that executing it needs exec permission on the
 * file only.
 *
 *   chmod MODE PATH | chown PATH (to its own uid and gid) | utimes PATH
 *   setxattr PATH | getxattr PATH | link FROM TO | mknod PATH (a FIFO) | rename FROM TO
 *   truncate PATH | read PATH | list DIR | write PATH | statfs PATH (size)
 *   fill PATH MIB (writes MIB MiB) | sleep SECONDS
 *   ipc-make IDFILE   (outside the sandbox: a SysV shared memory segment
 *       holding SECRET-shm, a message queue holding SECRET-msg and a set of
 *       one semaphore of value 7, all mode 0666; writes "SHM MSQ SEM" to
 *       IDFILE and waits until SIGTERM, then removes them)
 *   ipc-find          (finds the machine's SysV objects by index:
 *       IPC_INFO/SHM_INFO, then SHM_STAT_ANY, MSG_STAT_ANY, SEM_STAT_ANY)
 *   shm-read ID | shm-write ID | msg-recv ID | sem-get ID | sem-set ID
 *   deny-syscall NR CMD [ARG]...  (execs CMD under a seccomp filter that
 *       answers system call NR with EPERM: another sandbox around cordon) */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "probe_common.h"

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif
#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif

static const char *action = "";

static int ok(const char *what)
{
	return probe_ok(action, what);
}

static int denied(void)
{
	return probe_denied(action, errno);
}

/* A SysV message of ours. */
struct msg {
	long type;
	char text[32];
};

static int usage(void)
{
	fprintf(stderr, "ns_probe: usage error (see the top of tests/ns_probe.c)\n");
	return 2;
}

static int id_of(const char *s)
{
	long v;
	return probe_number(s, 10, &v) == 0 && v >= 0 ? (int)v : -1;
}

static int do_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return denied();
	char buf[256];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return denied();
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return ok(buf);
}

static int do_list(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return denied();
	char names[512] = "";
	size_t used = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.' && used < sizeof names)
			used += (size_t)snprintf(names + used, sizeof names - used, "%s ", e->d_name);
	closedir(d);
	return ok(names);
}

static int do_fill(const char *path, long mib)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return denied();
	static char buf[1 << 20];
	memset(buf, 'x', sizeof buf);
	for (long i = 0; i < mib; i++)
		for (size_t done = 0; done < sizeof buf;) {
			ssize_t k = write(fd, buf + done, sizeof buf - done);
			if (k < 0) {
				int e = errno;
				close(fd);
				errno = e;
				return denied();
			}
			done += (size_t)k;
		}
	close(fd);
	return ok("written");
}

static volatile sig_atomic_t stop;
static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int do_ipc_make(const char *idfile)
{
	int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0666);
	int msq = msgget(IPC_PRIVATE, IPC_CREAT | 0666);
	int sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0666);
	if (shm < 0 || msq < 0 || sem < 0)
		return denied();
	char *p = shmat(shm, NULL, 0);
	if (p == (void *)-1)
		return denied();
	strcpy(p, "SECRET-shm");
	shmdt(p);
	struct msg m = {1, "SECRET-msg"};
	if (msgsnd(msq, &m, sizeof m.text, 0) != 0 || semctl(sem, 0, SETVAL, 7) != 0)
		return denied();
	struct sigaction sa = {.sa_handler = on_term};
	sigaction(SIGTERM, &sa, NULL);
	char ids[64];
	snprintf(ids, sizeof ids, "%d %d %d\n", shm, msq, sem);
	if (probe_put_file(idfile, ids) != 0)
		return denied();
	while (!stop)
		pause();
	shmctl(shm, IPC_RMID, NULL);
	msgctl(msq, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	return ok("removed");
}

/* Every SysV object of this IPC namespace that the *_STAT_ANY commands
 * find by index (they skip the permission check). */
static int do_ipc_find(void)
{
	struct shminfo si;
	struct msginfo mi;
	struct seminfo ei;
	int shm_max = shmctl(0, IPC_INFO, (struct shmid_ds *)&si);
	int msg_max = msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
	int sem_max = semctl(0, 0, IPC_INFO, &ei);
	int found = 0;
	char what[256] = "";
	size_t used = 0;
	for (int i = 0; i <= shm_max && i < 65536; i++) {
		struct shmid_ds d;
		int id = shmctl(i, SHM_STAT_ANY, &d);
		if (id >= 0 && used < sizeof what) {
			found++;
			used += (size_t)snprintf(what + used, sizeof what - used, "shm %d ", id);
		}
	}
	for (int i = 0; i <= msg_max && i < 65536; i++) {
		struct msqid_ds d;
		int id = msgctl(i, MSG_STAT_ANY, &d);
		if (id >= 0 && used < sizeof what) {
			found++;
			used += (size_t)snprintf(what + used, sizeof what - used, "msq %d ", id);
		}
	}
	for (int i = 0; i <= sem_max && i < 65536; i++) {
		struct semid_ds d;
		int id = semctl(i, 0, SEM_STAT_ANY, &d);
		if (id >= 0 && used < sizeof what) {
			found++;
			used += (size_t)snprintf(what + used, sizeof what - used, "sem %d ", id);
		}
	}
	if (!found) {
		printf("denied ipc-find: found nothing (highest index: shm %d, msg %d, sem %d)\n",
		       shm_max, msg_max, sem_max);
		return 1;
	}
	return ok(what);
}

static int do_deny_syscall(long nr, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof f / sizeof *f, f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		return denied();
	execv(argv[0], argv);
	return denied();
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *a = argv[1];
	action = a;
	char **o = argv + 2;
	int n = argc - 2;
	long v;
	if (strcmp(a, "chmod") == 0 && n == 2 && probe_number(o[0], 8, &v) == 0)
		return chmod(o[1], (mode_t)v) < 0 ? denied() : ok("");
	if (strcmp(a, "chown") == 0 && n == 1)
		return chown(o[0], getuid(), getgid()) < 0 ? denied() : ok("");
	if (strcmp(a, "utimes") == 0 && n == 1)
		return utimes(o[0], NULL) < 0 ? denied() : ok("");
	if (strcmp(a, "setxattr") == 0 && n == 1)
		return setxattr(o[0], "user.cordon-test", "x", 1, 0) < 0 ? denied() : ok("");
	if (strcmp(a, "getxattr") == 0 && n == 1) {
		char v[16] = "";
		return getxattr(o[0], "user.cordon-test", v, sizeof v - 1) < 0 ? denied() : ok(v);
	}
	if (strcmp(a, "sleep") == 0 && n == 1 && probe_number(o[0], 10, &v) == 0) {
		sleep((unsigned)v);
		return ok("slept");
	}
	if (strcmp(a, "link") == 0 && n == 2)
		return link(o[0], o[1]) < 0 ? denied() : ok("");
	if (strcmp(a, "mknod") == 0 && n == 1)
		return mknod(o[0], S_IFIFO | 0600, 0) < 0 ? denied() : ok("");
	if (strcmp(a, "rename") == 0 && n == 2)
		return rename(o[0], o[1]) < 0 ? denied() : ok("");
	if (strcmp(a, "truncate") == 0 && n == 1)
		return truncate(o[0], 0) < 0 ? denied() : ok("");
	if (strcmp(a, "read") == 0 && n == 1)
		return do_read(o[0]);
	if (strcmp(a, "list") == 0 && n == 1)
		return do_list(o[0]);
	if (strcmp(a, "write") == 0 && n == 1) {
		int fd = open(o[0], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, "x\n", 2) != 2)
			return denied();
		close(fd);
		return ok("");
	}
	if (strcmp(a, "statfs") == 0 && n == 1) {
		struct statfs s;
		if (statfs(o[0], &s) < 0)
			return denied();
		char size[32];
		snprintf(size, sizeof size, "%llu",
			 (unsigned long long)s.f_blocks * (unsigned long long)s.f_bsize);
		return ok(size);
	}
	if (strcmp(a, "fill") == 0 && n == 2 && probe_number(o[1], 10, &v) == 0)
		return do_fill(o[0], v);
	if (strcmp(a, "ipc-make") == 0 && n == 1)
		return do_ipc_make(o[0]);
	if (strcmp(a, "ipc-find") == 0 && n == 0)
		return do_ipc_find();
	if (strcmp(a, "shm-read") == 0 && n == 1) {
		char *p = shmat(id_of(o[0]), NULL, SHM_RDONLY);
		if (p == (void *)-1)
			return denied();
		char text[32];
		snprintf(text, sizeof text, "%s", p);
		shmdt(p);
		return ok(text);
	}
	if (strcmp(a, "shm-write") == 0 && n == 1) {
		char *p = shmat(id_of(o[0]), NULL, 0);
		if (p == (void *)-1)
			return denied();
		strcpy(p, "pwned");
		shmdt(p);
		return ok("");
	}
	if (strcmp(a, "msg-recv") == 0 && n == 1) {
		struct msg m;
		if (msgrcv(id_of(o[0]), &m, sizeof m.text, 0, IPC_NOWAIT) < 0)
			return denied();
		m.text[sizeof m.text - 1] = '\0';
		return ok(m.text);
	}
	if (strcmp(a, "sem-get") == 0 && n == 1) {
		int r = semctl(id_of(o[0]), 0, GETVAL);
		if (r < 0)
			return denied();
		char text[16];
		snprintf(text, sizeof text, "%d", r);
		return ok(text);
	}
	if (strcmp(a, "sem-set") == 0 && n == 1)
		return semctl(id_of(o[0]), 0, SETVAL, 0) < 0 ? denied() : ok("");
	if (strcmp(a, "deny-syscall") == 0 && n >= 2 && probe_number(o[0], 10, &v) == 0)
		return do_deny_syscall(v, o + 1);
	return usage();
}
