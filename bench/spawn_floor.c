/* spawn_floor: the least a supervised launcher can do, as a baseline for
 * bench/launch.sh: posix_spawnp() the command, wait for it, and exit with
 * its status (128+N when signal N ended it).  No sandbox, no policy, no
 * file descriptor or environment changes.
 *
 *   spawn_floor CMD [ARG]...
 *
 * Exit status: the command's own; 128+N for signal N; 127 when it could not
 * be started; 2 on a usage error.  Built statically (gcc -O2 -static) so
 * that its own start-up is as cheap as it gets. */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv)
{
	pid_t pid;
	int status;

	if (argc < 2) {
		fputs("usage: spawn_floor CMD [ARG]...\n", stderr);
		return 2;
	}
	int err = posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ);
	if (err) {
		fprintf(stderr, "spawn_floor: %s: %s\n", argv[1], strerror(err));
		return 127;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("spawn_floor: waitpid");
			return 125;
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 125;
}
