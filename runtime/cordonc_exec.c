/* Running cordonc, bounded (see cordonc_exec.h). */
#include "cordonc_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* argv: cordonc, -I DIR for each directory of $CORDON_PATH, --untrusted
 * ROOT, --deps, -o -, the policy.  malloc'd (the strings are borrowed or in
 * *copy). */
static char **job_argv(const struct cordonc_job *j, bool untrusted, char **copy)
{
	const char *cp = getenv("CORDON_PATH");
	*copy = strdup(cp ? cp : "");
	if (!*copy)
		return NULL;
	size_t n = 1;
	for (const char *s = *copy; *s; s++)
		n += *s == ':';
	char **argv = calloc(2 * n + 10, sizeof *argv), *save = NULL;
	if (!argv)
		return NULL;
	size_t k = 0;
	argv[k++] = (char *)j->cordonc;
	for (char *d = strtok_r(*copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		argv[k++] = "-I";
		argv[k++] = d;
	}
	if (untrusted) {
		argv[k++] = "--untrusted";
		argv[k++] = (char *)j->untrusted_root;
	}
	if (j->deps_fd >= 0) {
		argv[k++] = "--deps";
		argv[k++] = "/proc/self/fd/3";
	}
	argv[k++] = "-o";
	argv[k++] = "-";
	argv[k++] = (char *)j->policy;
	return argv;
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	long ms = (long)(deadline->tv_sec - t.tv_sec) * 1000 +
		  (deadline->tv_nsec - t.tv_nsec) / 1000000;
	return ms > 0 ? ms : 0;
}

/* Collects the child's diagnostics from fd until it closes them or the
 * deadline passes; keeps the first CORDONC_MAX_OUTPUT bytes in buf.  Returns
 * false on the deadline. */
static bool collect(int fd, char *buf, size_t *len, size_t *dropped,
		    const struct timespec *deadline)
{
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		int r = poll(&p, 1, (int)ms_left(deadline));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		char chunk[4096];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return true;
		size_t take = CORDONC_MAX_OUTPUT - *len < (size_t)n ? CORDONC_MAX_OUTPUT - *len
								  : (size_t)n;
		memcpy(buf + *len, chunk, take);
		*len += take;
		*dropped += (size_t)n - take;
	}
}

/* Waits for pid until the deadline; its status, or -1 (still running). */
static int reap(pid_t pid, const struct timespec *deadline)
{
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (r < 0 && errno != EINTR)
			return 128;
		if (!ms_left(deadline))
			return -1;
		nanosleep(&(struct timespec){0, 5000000}, NULL);
	}
}

/* fd moved to 10 or above (so that the spawned child's dup2 onto 0-3 never
 * meets it); -1 stays. */
static int high_fd(int fd)
{
	return fd < 0 || fd >= 10 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 10);
}

static int run_once(const struct cordonc_job *j, bool untrusted, char *diag, size_t *dlen,
		    size_t *dropped, char *err, size_t errlen)
{
	int pipefd[2] = {-1, -1}, out = high_fd(j->out_fd), deps = high_fd(j->deps_fd);
	char *copy = NULL, **argv = job_argv(j, untrusted, &copy);
	char *envp[] = {NULL};
	int rc = -1;
	pid_t pid = -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (!argv || out < 0 || (j->deps_fd >= 0 && deps < 0) || pipe2(pipefd, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot run %s: %s", j->cordonc, strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	if (deps >= 0)
		posix_spawn_file_actions_adddup2(&fa, deps, 3);
	int e = posix_spawn(&pid, j->cordonc, &fa, NULL, argv, envp);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (e != 0) {
		pid = -1;
		snprintf(err, errlen, "cannot run %s: %s", j->cordonc, strerror(e));
		goto out;
	}
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += CORDONC_TIMEOUT_MS / 1000;
	if (collect(pipefd[0], diag, dlen, dropped, &deadline))
		rc = reap(pid, &deadline);
	if (rc == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(err, errlen, "cordonc did not finish compiling %s within %d s and was "
			 "killed (does it include a FIFO, a device or something very large?)",
			 j->policy, CORDONC_TIMEOUT_MS / 1000);
	}
out:
	posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < 2; i++)
		if (pipefd[i] >= 0)
			close(pipefd[i]);
	if (out != j->out_fd && out >= 0)
		close(out);
	if (deps != j->deps_fd && deps >= 0)
		close(deps);
	free(argv);
	free(copy);
	return rc;
}

int cordonc_exec(const struct cordonc_job *j, char *err, size_t errlen)
{
	char *diag = malloc(CORDONC_MAX_OUTPUT + 1);
	size_t len = 0, dropped = 0;
	if (!diag) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = run_once(j, j->untrusted_root != NULL, diag, &len, &dropped, err, errlen);
	fwrite(diag, 1, len, stderr);
	if (dropped)
		fprintf(stderr, "cordon: cordonc's diagnostics were cut after %d bytes (%zu more "
			"dropped)\n", CORDONC_MAX_OUTPUT, dropped);
	free(diag);
	return rc;
}
