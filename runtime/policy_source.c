/* Turning one policy file into a compiled policy (see policy_source.h). */
#include "policy_source.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cordonc_exec.h"
#include "discover.h"
#include "home.h"
#include "safe_open.h"
#include "sha256.h"

#define MAX_SOURCE (16U << 20)

/* All of the regular file open at fd (closed), at most max bytes. */
static char *read_fd(int fd, size_t max, size_t *len, int *err)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		*err = fd < 0 ? errno : S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		close(fd);
		return NULL;
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *buf = malloc(size + 1);
	while (buf && got < size) {
		ssize_t n = pread(fd, buf + got, size - got, (off_t)got);
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

/* A file by name; never blocks on a FIFO or device (O_NONBLOCK: refused as
 * not regular). */
static char *read_at(int dirfd, const char *path, int flags, size_t *len, int *err)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | flags);
	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	return read_fd(fd, MAX_SOURCE, len, err);
}

/* The policy file itself: for a discovered one (root), not through a link
 * and still passing the checks it passed when it was found. */
static char *read_policy(const char *path, const char *root, size_t *len, char *err,
			 size_t errlen)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
						 (root ? O_NOFOLLOW : 0));
	struct stat st;
	if (root && (fd >= 0 ? fstat(fd, &st) : lstat(path, &st)) == 0 &&
	    dot_cordon_check(&st, path, err, errlen) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	int e = errno;
	char *src = fd >= 0 ? read_fd(fd, MAX_SOURCE, len, &e) : NULL;
	if (!src)
		snprintf(err, errlen, "%s: cannot read the policy: %s", path,
			 e == EINVAL ? "not a regular file" : strerror(e));
	return src;
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

/* ---- the cache ---------------------------------------------------------- */

struct cache {
	int fd; /* the cache directory, opened without following a link at its
		   last component, owned by us and writable by nobody else */
	char path[PATH_MAX + 16];
};

static int cache_open(struct cache *c)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	struct home h;
	home_find(&h);
	char base[PATH_MAX];
	int n = -1;
	if (xdg && xdg[0] == '/')
		n = snprintf(base, sizeof base, "%s", xdg);
	else if (h.dir[0])
		n = snprintf(base, sizeof base, "%.*s/.cache", PATH_MAX - 8, h.dir);
	if (n < 0 || (size_t)n >= sizeof base)
		return -1;
	snprintf(c->path, sizeof c->path, "%s/cordon", base);
	mkdir(base, 0700);
	int bfd = openat(AT_FDCWD, base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	c->fd = bfd >= 0 ? so_mkdir(bfd, "cordon", 0700) : -1;
	if (bfd >= 0)
		close(bfd);
	struct stat st;
	if (c->fd >= 0 && fstat(c->fd, &st) == 0 && st.st_uid == geteuid() &&
	    !(st.st_mode & (S_IWGRP | S_IWOTH)) && faccessat(c->fd, ".", W_OK | X_OK, 0) == 0)
		return 0;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	return -1;
}

char *policy_cache_dir(void)
{
	/* made now if missing: a sandbox allowed to write ~ must not be able to
	 * create it and plant a future run's policy */
	struct cache c;
	if (cache_open(&c) != 0)
		return NULL;
	close(c.fd);
	return strdup(c.path);
}

static void hex_of(const void *data, size_t len, char hex[65])
{
	uint8_t d[32];
	cordon_sha256(data, len, d);
	cordon_sha256_hex(d, hex);
}

static bool hash_file(const char *path, char hex[65])
{
	size_t len;
	int e;
	char *text = read_at(AT_FDCWD, path, 0, &len, &e);
	if (!text)
		return false;
	hex_of(text, len, hex);
	free(text);
	return true;
}

/* The cache key: the source, where it is, which compiler, which profiles,
 * and whether it was compiled as a repository's (--untrusted ROOT). */
static void cache_key(const char *real, const char *src, size_t len, const char *cordonc,
		      const char *root, char hex[65])
{
	struct cordon_sha256 s;
	struct stat st = {0};
	stat(cordonc, &st);
	char meta[PATH_MAX + 256];
	snprintf(meta, sizeof meta, "\n%llu:%llu:%lld:%lld.%09ld\nuntrusted:%s\n",
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		 (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		 root ? root : "");
	const char *cp = getenv("CORDON_PATH");
	cordon_sha256_init(&s);
	cordon_sha256_update(&s, "cordon-cache-2\n", 15);
	cordon_sha256_update(&s, real, strlen(real));
	cordon_sha256_update(&s, meta, strlen(meta));
	cordon_sha256_update(&s, cp ? cp : "", cp ? strlen(cp) : 0);
	cordon_sha256_update(&s, "\n", 1);
	cordon_sha256_update(&s, src, len);
	uint8_t d[32];
	cordon_sha256_final(&s, d);
	cordon_sha256_hex(d, hex);
}

/* ---- what a compile read -------------------------------------------------- */

static int push(char ***list, size_t *n, const char *s)
{
	char **l = realloc(*list, (*n + 1) * sizeof *l);
	if (!l)
		return -1;
	*list = l;
	if (!(l[*n] = strdup(s)))
		return -1;
	++*n;
	return 0;
}

/* Forgets the files read and looked for (not the cache entry's names). */
static void clear_files(struct layer_inputs *in)
{
	for (size_t i = 0; i < in->nread; i++)
		free(in->read[i]);
	for (size_t i = 0; i < in->nabsent; i++)
		free(in->absent[i]);
	free(in->read);
	free(in->absent);
	in->read = in->absent = NULL;
	in->nread = in->nabsent = 0;
}

int layer_inputs_add_absent(struct layer_inputs *in, const char *path)
{
	return push(&in->absent, &in->nabsent, path);
}

void layer_inputs_free(struct layer_inputs *in)
{
	clear_files(in);
	free(in->deps);
	free(in->cpb);
	in->deps = in->cpb = NULL;
}

/* Fills in from a .deps text ("SHA256 PATH" and "absent PATH" lines) or,
 * with list, from cordonc's --deps list ("PATH" and "!PATH"), and returns
 * whether every file still hashes the same and no absent one exists. */
static bool parse_deps(char *text, bool list, struct layer_inputs *in)
{
	bool ok = text[0] != '\0';
	for (char *line = text, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			return false;
		*nl = '\0';
		bool absent = list ? line[0] == '!' : strncmp(line, "absent ", 7) == 0;
		const char *path = list ? line + absent : line + 65;
		if (!list && (nl - line < 66 || line[64] != ' '))
			return false;
		if (push(absent ? &in->absent : &in->read, absent ? &in->nabsent : &in->nread,
			 path) != 0)
			return false;
		char hex[65];
		if (list)
			continue;
		if (absent)
			ok = ok && access(path, F_OK) != 0 && errno == ENOENT;
		else
			ok = ok && hash_file(path, hex) && memcmp(hex, line, 64) == 0;
	}
	return ok;
}

/* cordonc's --deps list as the text of a .deps file: NULL when a file
 * cannot be hashed (it changed under the compile: no cache entry). */
static char *deps_text(const struct layer_inputs *in)
{
	size_t cap = 1, len = 0;
	for (size_t i = 0; i < in->nread; i++)
		cap += strlen(in->read[i]) + 66;
	for (size_t i = 0; i < in->nabsent; i++)
		cap += strlen(in->absent[i]) + 66;
	char *t = malloc(cap);
	for (size_t i = 0; t && i < in->nread; i++) {
		char hex[65];
		if (!hash_file(in->read[i], hex)) {
			free(t);
			return NULL;
		}
		len += (size_t)snprintf(t + len, cap - len, "%s %s\n", hex, in->read[i]);
	}
	for (size_t i = 0; t && i < in->nabsent; i++)
		len += (size_t)snprintf(t + len, cap - len, "%-64s %s\n", "absent", in->absent[i]);
	if (t)
		t[len] = '\0';
	return t;
}

/* ---- compiling -------------------------------------------------------------- */

/* cordonc on policy: the compiled bytes into *cpb, what it read into in.
 * Its scratch files have no name (made in dirfd). */
static int compile(const char *cordonc, const char *policy, const char *root, int dirfd,
		   uint8_t **cpb, size_t *size, struct layer_inputs *in, char *err, size_t errlen)
{
	int out = so_anon_file(dirfd), deps = so_anon_file(dirfd), rc = -1;
	struct cordonc_job j = {cordonc, policy, root, out, deps};
	if (out < 0 || deps < 0) {
		snprintf(err, errlen, "cannot make a temporary file: %s", strerror(errno));
		goto out;
	}
	int st = cordonc_exec(&j, err, errlen);
	if (st < 0)
		goto out;
	if (st > 0) {
		snprintf(err, errlen, "the policy %s has errors (above)", policy);
		goto out;
	}
	size_t dlen;
	int e;
	char *list = read_fd(dup(deps), MAX_SOURCE, &dlen, &e);
	*cpb = (uint8_t *)read_fd(dup(out), CPB_MAX_FILE_SIZE, size, &e);
	if (list && *cpb && *size) {
		parse_deps(list, true, in); /* a list: nothing to check */
		rc = 0;
	} else {
		free(*cpb);
		*cpb = NULL;
		snprintf(err, errlen, "cannot read what cordonc compiled from %s", policy);
	}
	free(list);
out:
	if (out >= 0)
		close(out);
	if (deps >= 0)
		close(deps);
	return rc;
}

static int load_buffer(uint8_t *buf, size_t size, struct cpb_policy *p, char *err,
		       size_t errlen)
{
	char why[256];
	if (cpb_load_buffer(buf, size, p, why, sizeof why) == 0)
		return 0;
	snprintf(err, errlen, "compiled policy refused: %s", why);
	return -1;
}

/* The cache entry KEY.cpb with KEY.deps, used while its inputs are
 * unchanged; else compiled and (re)written. */
static int compile_cached(const struct cache *c, const char *key, const char *cordonc,
			  const char *policy, const char *root, struct cpb_policy *p,
			  struct layer_inputs *in, char *err, size_t errlen)
{
	char cpb[80], deps[80];
	snprintf(cpb, sizeof cpb, "%s.cpb", key);
	snprintf(deps, sizeof deps, "%s.deps", key);
	if (asprintf(&in->cpb, "%s/%s", c->path, cpb) < 0 ||
	    asprintf(&in->deps, "%s/%s", c->path, deps) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t len, size;
	int e;
	char *text = read_at(c->fd, deps, O_NOFOLLOW, &len, &e);
	bool valid = text && parse_deps(text, false, in);
	free(text);
	uint8_t *buf = valid ? (uint8_t *)read_at(c->fd, cpb, O_NOFOLLOW, &size, &e) : NULL;
	if (buf && load_buffer(buf, size, p, err, errlen) == 0)
		return 0;
	clear_files(in);
	if (compile(cordonc, policy, root, c->fd, &buf, &size, in, err, errlen) != 0)
		return -1;
	/* the entry: the compiled policy first, then what makes it valid */
	char *dt = deps_text(in);
	if (!dt || so_replace(c->fd, cpb, buf, size, 0644) != 0 ||
	    so_replace(c->fd, deps, dt, strlen(dt), 0644) != 0) {
		free(in->cpb);
		free(in->deps);
		in->cpb = in->deps = NULL; /* not cached: the compiled bytes are used */
	}
	free(dt);
	return load_buffer(buf, size, p, err, errlen);
}

/* No usable cache: compiled into nameless files in /tmp. */
static int compile_direct(const char *cordonc, const char *policy, const char *root,
			  struct cpb_policy *p, struct layer_inputs *in, char *err, size_t errlen)
{
	int dfd = openat(AT_FDCWD, "/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
	uint8_t *buf = NULL;
	size_t size = 0;
	int rc = compile(cordonc, policy, root, dfd, &buf, &size, in, err, errlen);
	if (dfd >= 0)
		close(dfd);
	return rc == 0 ? load_buffer(buf, size, p, err, errlen) : -1;
}

int policy_load(const char *path, const char *root, struct cpb_policy *p, bool *source,
		struct layer_inputs *in, char *err, size_t errlen)
{
	*source = false;
	*in = (struct layer_inputs){0};
	size_t len;
	char *src = read_policy(path, root, &len, err, errlen);
	if (!src)
		return -1;
	char *real = realpath(path, NULL);
	if (!real || push(&in->read, &in->nread, real) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(real ? ENOMEM : errno));
		free(real);
		free(src);
		return -1;
	}
	if (len >= CPB_MAGIC_LEN && memcmp(src, CPB_MAGIC, CPB_MAGIC_LEN) == 0) {
		free(real);
		char why[256];
		if (cpb_load_buffer((uint8_t *)src, len, p, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s: invalid compiled policy: %s", path, why);
			return -1;
		}
		return 0;
	}
	*source = true;
	clear_files(in); /* cordonc's list names the policy itself */
	char *cordonc = find_cordonc();
	int r = -1;
	struct cache c;
	if (!cordonc) {
		snprintf(err, errlen, "%s is a source policy and cordonc was found neither "
			 "beside cordon nor on PATH; install it or pass a compiled .cpb", path);
	} else if (cache_open(&c) == 0) {
		char key[65];
		cache_key(real, src, len, cordonc, root, key);
		r = compile_cached(&c, key, cordonc, path, root, p, in, err, errlen);
		close(c.fd);
	} else {
		r = compile_direct(cordonc, path, root, p, in, err, errlen);
	}
	free(src);
	free(real);
	free(cordonc);
	return r;
}
