/* The files the command's standard streams already are (fds 0, 1 and 2, set
 * up by the caller): what Landlock must let the command reopen them for, so
 * that /dev/stdout, /dev/stderr and /dev/stdin work when they are files
 * outside the policy's grants. */
#ifndef CORDON_STD_FDS_H
#define CORDON_STD_FDS_H

#include <stddef.h>
#include <stdint.h>

struct std_fd {
	int fd;          /* O_PATH on the file, owned by the caller */
	uint64_t rights; /* Landlock file rights its open mode already gives */
	char *canon;     /* its name, as the kernel resolves it; NULL when the
			  * name does not lead back to the file (deleted, renamed,
			  * another mount namespace) */
};

/* Fills out with the regular files and character devices open as fds 0, 1
 * and 2: READ_FILE for a readable one, WRITE_FILE and TRUNCATE for a
 * writable one (masked with handled).  Pipes and sockets need no rule
 * (Landlock does not check them), nor a closed fd.  Returns how many. */
int std_fds_open(uint64_t handled, struct std_fd out[3]);

void std_fds_close(struct std_fd *s, size_t n);

#endif
