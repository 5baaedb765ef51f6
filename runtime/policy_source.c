/* Finding the policy of a run and turning a source policy into a compiled
 * one: cordonc on the fly, cached by content hash (policy_source.h). */
#include "policy_source.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sha256.h"

extern char **environ;

#define MAX_SOURCE (16U << 20)

static char *read_file(const char *path, size_t *len, int *err)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > MAX_SOURCE) {
		*err = fd < 0 ? errno : S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *buf = malloc(size + 1);
	while (buf && got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!buf || got != size) {
		*err = buf ? EIO : ENOMEM;
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	*len = size;
	return buf;
}

/* .cordon in the working directory or its nearest parent. */
static char *find_dot_cordon(void)
{
	char dir[PATH_MAX];
	if (!getcwd(dir, sizeof dir))
		return NULL;
	for (;;) {
		char path[PATH_MAX + 16];
		snprintf(path, sizeof path, "%s/.cordon", strcmp(dir, "/") ? dir : "");
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return strdup(path);
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			if (strcmp(dir, "/") == 0)
				return NULL;
			strcpy(dir, "/");
			continue;
		}
		*slash = '\0';
	}
}

/* cordonc beside this program, else the first on PATH. */
static char *find_cordonc(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 16);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			strcpy(slash + 1, "cordonc");
			if (access(self, X_OK) == 0)
				return strdup(self);
		}
	}
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	char *copy = strdup(path), *save = NULL;
	for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
		char cand[PATH_MAX];
		snprintf(cand, sizeof cand, "%s/cordonc", d);
		if (access(cand, X_OK) == 0) {
			free(copy);
			return strdup(cand);
		}
	}
	free(copy);
	return NULL;
}

/* Runs cordonc with argv; its diagnostics go to our standard error and its
 * standard output to out_fd (-1: ours). */
static int run_cordonc(char *const argv[], int out_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	pid_t pid;
	int r = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		errno = r;
		return -1;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int cache_base(char *base, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		snprintf(base, len, "%s", xdg);
	else if (home && home[0] == '/')
		snprintf(base, len, "%s/.cache", home);
	else
		return -1;
	return 0;
}

static char *cache_dir(void)
{
	char base[PATH_MAX];
	if (cache_base(base, sizeof base) < 0)
		return NULL;
	char dir[PATH_MAX + 16];
	snprintf(dir, sizeof dir, "%s/cordon", base);
	mkdir(base, 0700);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return NULL;
	return access(dir, W_OK | X_OK) == 0 ? strdup(dir) : NULL;
}

static bool hash_file(const char *path, char hex[65])
{
	size_t len;
	int e;
	char *text = read_file(path, &len, &e);
	if (!text)
		return false;
	uint8_t d[32];
	cordon_sha256(text, len, d);
	cordon_sha256_hex(d, hex);
	free(text);
	return true;
}

/* The cache key: the source, where it is, which compiler, which profiles. */
static void cache_key(const char *real, const char *src, size_t len,
		      const char *cordonc, char hex[65])
{
	struct cordon_sha256 s;
	struct stat st = {0};
	stat(cordonc, &st);
	char meta[256];
	snprintf(meta, sizeof meta, "\n%llu:%llu:%lld:%lld.%09ld\n",
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		 (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	const char *cp = getenv("CORDON_PATH");
	cordon_sha256_init(&s);
	cordon_sha256_update(&s, "cordon-cache-1\n", 15);
	cordon_sha256_update(&s, real, strlen(real));
	cordon_sha256_update(&s, meta, strlen(meta));
	cordon_sha256_update(&s, cp ? cp : "", cp ? strlen(cp) : 0);
	cordon_sha256_update(&s, "\n", 1);
	cordon_sha256_update(&s, src, len);
	uint8_t d[32];
	cordon_sha256_final(&s, d);
	cordon_sha256_hex(d, hex);
}

/* A cache hit: the .deps file lists "SHA256 PATH" of every file the compile
 * read, each of which must still hash the same, and "absent PATH" for each
 * profile path looked for in vain, which must still not exist. */
static bool cache_valid(const char *deps)
{
	size_t len;
	int e;
	char *text = read_file(deps, &len, &e);
	if (!text)
		return false;
	bool ok = len > 0;
	for (char *line = text, *nl; ok && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl || nl - line < 66 || line[64] != ' ') {
			ok = false;
			break;
		}
		*nl = '\0';
		char hex[65];
		if (strncmp(line, "absent ", 7) == 0)
			ok = access(line + 65, F_OK) != 0 && errno == ENOENT;
		else
			ok = hash_file(line + 65, hex) && memcmp(hex, line, 64) == 0;
	}
	free(text);
	return ok;
}

/* Turns cordonc's --deps list into the .deps file of a cache entry. */
static bool write_deps(const char *list, const char *out)
{
	size_t len;
	int e;
	char *text = read_file(list, &len, &e);
	FILE *f = text ? fopen(out, "we") : NULL;
	bool ok = f != NULL;
	for (char *line = text, *nl; ok && line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		char hex[65];
		if (line[0] == '!')
			ok = fprintf(f, "%-64s %s\n", "absent", line + 1) > 0;
		else
			ok = hash_file(line, hex) && fprintf(f, "%s %s\n", hex, line) > 0;
	}
	if (f && fclose(f) != 0)
		ok = false;
	free(text);
	return ok;
}

static int load_cached(const char *cpb, struct cpb_policy *p, char *err, size_t errlen)
{
	return cpb_load_file(cpb, p, err, errlen);
}

static int compile_cached(const char *dir, const char *key, const char *cordonc,
			  const char *policy, struct cpb_policy *p, char *err, size_t errlen)
{
	char cpb[PATH_MAX], deps[PATH_MAX], tcpb[PATH_MAX], tdeps[PATH_MAX], tlist[PATH_MAX];
	snprintf(cpb, sizeof cpb, "%s/%s.cpb", dir, key);
	snprintf(deps, sizeof deps, "%s/%s.deps", dir, key);
	if (cache_valid(deps) && load_cached(cpb, p, err, errlen) == 0)
		return 0;
	snprintf(tcpb, sizeof tcpb, "%s/.%s.%d.cpb", dir, key, (int)getpid());
	snprintf(tdeps, sizeof tdeps, "%s/.%s.%d.deps", dir, key, (int)getpid());
	snprintf(tlist, sizeof tlist, "%s/.%s.%d.list", dir, key, (int)getpid());
	char *argv[] = {(char *)cordonc, "--deps", tlist, "-o", tcpb, (char *)policy, NULL};
	int r = run_cordonc(argv, -1);
	int ret = -1;
	if (r < 0) {
		snprintf(err, errlen, "cannot run %s: %s", cordonc, strerror(errno));
	} else if (r > 0) {
		snprintf(err, errlen, "the policy %s has errors (above)", policy);
	} else if (write_deps(tlist, tdeps) && rename(tcpb, cpb) == 0 &&
		   rename(tdeps, deps) == 0) {
		ret = load_cached(cpb, p, err, errlen);
	} else {
		/* the cache could not be written: use the compiled file directly */
		ret = cpb_load_file(tcpb, p, err, errlen);
	}
	unlink(tcpb);
	unlink(tdeps);
	unlink(tlist);
	return ret;
}

/* No usable cache: compile to a pipe and load from memory. */
static int compile_direct(const char *cordonc, const char *policy,
			  struct cpb_policy *p, char *err, size_t errlen)
{
	char tmpl[] = "/tmp/cordon-policy-XXXXXX";
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		snprintf(err, errlen, "cannot make a temporary file: %s", strerror(errno));
		return -1;
	}
	unlink(tmpl);
	char *argv[] = {(char *)cordonc, "-o", "-", (char *)policy, NULL};
	int r = run_cordonc(argv, fd);
	if (r != 0) {
		close(fd);
		if (r < 0)
			snprintf(err, errlen, "cannot run %s: %s", cordonc, strerror(errno));
		else
			snprintf(err, errlen, "the policy %s has errors (above)", policy);
		return -1;
	}
	off_t size = lseek(fd, 0, SEEK_END);
	uint8_t *buf = size > 0 && size <= CPB_MAX_FILE_SIZE ? malloc((size_t)size) : NULL;
	if (!buf || pread(fd, buf, (size_t)size, 0) != size) {
		close(fd);
		free(buf);
		snprintf(err, errlen, "cannot read the compiled policy");
		return -1;
	}
	close(fd);
	char why[256];
	if (cpb_load_buffer(buf, (size_t)size, p, why, sizeof why) != 0) {
		snprintf(err, errlen, "compiled policy refused: %s", why);
		return -1;
	}
	return 0;
}

int policy_open(const char *arg, struct cpb_policy *p, char **path_out, bool *source,
		char *err, size_t errlen)
{
	*source = false;
	*path_out = arg ? strdup(arg) : find_dot_cordon();
	if (!*path_out) {
		snprintf(err, errlen, arg ? "out of memory"
					  : "no policy: pass -p POLICY, or put a .cordon file "
					    "in this directory or a parent");
		return -1;
	}
	const char *path = *path_out;
	size_t len;
	int e;
	char *src = read_file(path, &len, &e);
	if (!src) {
		snprintf(err, errlen, "%s: cannot read the policy: %s", path,
			 e == EINVAL ? "not a regular file" : strerror(e));
		return -1;
	}
	if (len >= CPB_MAGIC_LEN && memcmp(src, CPB_MAGIC, CPB_MAGIC_LEN) == 0) {
		char why[256];
		if (cpb_load_buffer((uint8_t *)src, len, p, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s: invalid compiled policy: %s", path, why);
			return -1;
		}
		return 0;
	}
	*source = true;
	char *cordonc = find_cordonc();
	if (!cordonc) {
		free(src);
		snprintf(err, errlen, "%s is a source policy and cordonc was found neither "
			 "beside cordon nor on PATH; install it or pass a compiled .cpb", path);
		return -1;
	}
	char *real = realpath(path, NULL);
	char *dir = cache_dir();
	int r;
	if (dir && real) {
		char key[65];
		cache_key(real, src, len, cordonc, key);
		r = compile_cached(dir, key, cordonc, path, p, err, errlen);
	} else {
		r = compile_direct(cordonc, path, p, err, errlen);
	}
	free(src);
	free(real);
	free(dir);
	free(cordonc);
	return r;
}

char *policy_cache_dir(void)
{
	/* made now if missing: a sandbox allowed to write ~ must not be able to
	 * create it and plant a future run's policy */
	return cache_dir();
}
