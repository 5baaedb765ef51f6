/* Link-safe creation and writing for cordon's own files (see safe_open.h). */
#include "safe_open.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

void so_random_name(char *out, size_t len)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	uint8_t r[64];
	size_t n = len - 1 < sizeof r ? len - 1 : sizeof r;
	if (syscall(SYS_getrandom, r, n, 0) != (long)n) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		uint64_t x = (uint64_t)t.tv_nsec ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)out;
		for (size_t i = 0; i < n; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			r[i] = (uint8_t)(x >> 56);
		}
	}
	for (size_t i = 0; i < n; i++)
		out[i] = abc[r[i] % (sizeof abc - 1)];
	out[n] = '\0';
}

int so_create_temp(int dirfd, const char *prefix, char *name, size_t namelen, mode_t mode)
{
	for (int tries = 0; tries < 100; tries++) {
		char rnd[9];
		so_random_name(rnd, sizeof rnd);
		if ((size_t)snprintf(name, namelen, ".%s.%s", prefix, rnd) >= namelen) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				mode);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

int so_anon_file(int dirfd)
{
	int fd = openat(dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	char name[64];
	fd = so_create_temp(dirfd, "cordon-anon", name, sizeof name, 0600);
	if (fd >= 0)
		unlinkat(dirfd, name, 0);
	return fd;
}

static int write_all(int fd, const void *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, (const char *)data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int so_replace(int dirfd, const char *name, const void *data, size_t len, mode_t mode)
{
	char tmp[NAME_MAX + 1];
	int fd = so_create_temp(dirfd, "cordon-new", tmp, sizeof tmp, mode);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, data, len);
	int e = errno;
	if (close(fd) != 0 && rc == 0)
		rc = -1, e = errno;
	if (rc == 0 && renameat(dirfd, tmp, dirfd, name) != 0)
		rc = -1, e = errno;
	if (rc != 0)
		unlinkat(dirfd, tmp, 0);
	errno = e;
	return rc;
}

int so_mkdir(int dirfd, const char *name, mode_t mode)
{
	if (mkdirat(dirfd, name, mode) != 0 && errno != EEXIST)
		return -1;
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Appends "/" and a component of len bytes to the path walked so far. */
static void walked_add(char *w, size_t cap, const char *c, size_t len)
{
	size_t n = strlen(w);
	if (n + len + 2 <= cap)
		snprintf(w + n, cap - n, "%s%.*s", n == 1 && w[0] == '/' ? "" : "/", (int)len, c);
}

int so_open_dir(const char *dir, so_judge judge, void *ctx, char *bad, size_t badlen)
{
	char rest[2 * PATH_MAX], walked[PATH_MAX];
	if (strlen(dir) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(rest, sizeof rest, "%s", dir);
	snprintf(walked, sizeof walked, "%s", dir[0] == '/' ? "/" : ".");
	int fd = openat(AT_FDCWD, dir[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int hops = 0;
	char *p = rest;
	while (fd >= 0) {
		while (*p == '/')
			p++;
		if (!*p)
			return fd;
		size_t len = strcspn(p, "/");
		char name[NAME_MAX + 1];
		if (len > NAME_MAX) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		p += len;
		if (strcmp(name, ".") == 0)
			continue;
		struct stat st;
		if (strcmp(name, "..") != 0 && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, name, target, sizeof target - 1);
			if (judge && !judge(fd, ctx)) {
				walked_add(walked, sizeof walked, name, len);
				snprintf(bad, badlen, "%s", walked);
				close(fd);
				errno = EPERM;
				return -1;
			}
			if (n <= 0 || ++hops > 40 || (size_t)n + strlen(p) + 2 > sizeof rest) {
				close(fd);
				errno = n <= 0 ? errno : ELOOP;
				return -1;
			}
			/* the link's target, then what was left of the path */
			size_t left = strlen(p);
			memmove(rest + n + 1, p, left + 1);
			memcpy(rest, target, (size_t)n);
			rest[n] = '/';
			p = rest;
			if (target[0] == '/') {
				close(fd);
				fd = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
				snprintf(walked, sizeof walked, "/");
			}
			continue;
		}
		int next = openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		char *slash = strrchr(walked, '/');
		if (strcmp(name, "..") == 0 && slash && strcmp(slash, "/..") != 0 && slash[1])
			slash[slash == walked] = '\0';
		else
			walked_add(walked, sizeof walked, name, len);
	}
	return -1;
}
