/* What a run left in /dev/shm, removed after it (see shm_sweep.h). */
#include "shm_sweep.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "private_tmp.h"

static void free_entries(struct shm_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* The entries of the directory open at fd; -1 with errno. */
static int list(int fd, struct shm_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
	if (!d) {
		if (dup >= 0)
			close(dup);
		return -1;
	}
	struct dirent *e;
	size_t cap = 0;
	int rc = 0;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			struct shm_entry *g = realloc(*out, cap * sizeof *g);
			if (!g) {
				rc = -1;
				break;
			}
			*out = g;
		}
		char *name = strdup(e->d_name);
		if (!name) {
			rc = -1;
			break;
		}
		(*out)[(*n)++] = (struct shm_entry){name, e->d_ino};
	}
	closedir(d);
	if (rc) {
		free_entries(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int shm_plan(struct shm_sweep *s, bool on, char *err, size_t errlen)
{
	*s = (struct shm_sweep){0};
	if (!on)
		return 0;
	int fd = openat(AT_FDCWD, SHM_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0; /* nothing there to leave anything in */
		snprintf(err, errlen, "cannot list %s (to remove what the run leaves there): %s",
			 SHM_DIR, strerror(errno));
		return -1;
	}
	int r = list(fd, &s->before, &s->nbefore);
	int e = errno;
	close(fd);
	if (r != 0) {
		snprintf(err, errlen, "cannot list %s (to remove what the run leaves there): %s",
			 SHM_DIR, strerror(e));
		return -1;
	}
	s->on = true;
	return 0;
}

static bool was_there(const struct shm_sweep *s, const struct shm_entry *e)
{
	for (size_t i = 0; i < s->nbefore; i++)
		if (s->before[i].ino == e->ino && strcmp(s->before[i].name, e->name) == 0)
			return true;
	return false;
}

struct cand {
	const char *name;
	dev_t dev;
	ino_t ino;
	bool held;
};

static void mark(struct cand *c, size_t n, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].dev == dev && c[i].ino == ino)
			c[i].held = true;
}

/* The candidates some live process holds open or mapped. */
static void find_held(struct cand *c, size_t n)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		return;
	int self = (int)getpid();
	struct dirent *p;
	while ((p = readdir(proc))) {
		if (!isdigit((unsigned char)p->d_name[0]) || atoi(p->d_name) == self)
			continue;
		char path[300];
		snprintf(path, sizeof path, "/proc/%s/fd", p->d_name);
		DIR *fds = opendir(path);
		struct dirent *f;
		while (fds && (f = readdir(fds))) {
			struct stat st;
			if (f->d_name[0] != '.' && fstatat(dirfd(fds), f->d_name, &st, 0) == 0)
				mark(c, n, st.st_dev, st.st_ino);
		}
		if (fds)
			closedir(fds);
		snprintf(path, sizeof path, "/proc/%s/maps", p->d_name);
		FILE *m = fopen(path, "re");
		char line[4096];
		while (m && fgets(line, sizeof line, m)) {
			unsigned maj, min;
			unsigned long long ino;
			if (sscanf(line, "%*s %*s %*s %x:%x %llu", &maj, &min, &ino) == 3 && ino)
				mark(c, n, makedev(maj, min), (ino_t)ino);
		}
		if (m)
			fclose(m);
	}
	closedir(proc);
}

static void push(char ***v, size_t *n, const char *name)
{
	char **g = realloc(*v, (*n + 2) * sizeof **v);
	if (!g)
		return;
	*v = g;
	if ((g[*n] = strdup(name)))
		(*n)++;
	g[*n] = NULL;
}

void shm_sweep(struct shm_sweep *s)
{
	if (!s->on)
		return;
	int fd = openat(AT_FDCWD, SHM_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct shm_entry *after = NULL;
	size_t nafter = 0;
	if (fd < 0 || list(fd, &after, &nafter) != 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct cand *c = calloc(nafter ? nafter : 1, sizeof *c);
	size_t nc = 0;
	uid_t uid = geteuid();
	for (size_t i = 0; c && i < nafter; i++) {
		struct stat st;
		if (was_there(s, &after[i]) ||
		    fstatat(fd, after[i].name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_uid != uid)
			continue;
		c[nc++] = (struct cand){after[i].name, st.st_dev, st.st_ino, false};
	}
	if (nc)
		find_held(c, nc);
	for (size_t i = 0; i < nc; i++) {
		if (c[i].held)
			push(&s->kept, &s->nkept, c[i].name);
		else if (ptmp_remove_entry(fd, c[i].name) == 0)
			push(&s->removed, &s->nremoved, c[i].name);
	}
	free(c);
	free_entries(after, nafter);
	close(fd);
}

void shm_free(struct shm_sweep *s)
{
	free_entries(s->before, s->nbefore);
	for (size_t i = 0; i < s->nremoved; i++)
		free(s->removed[i]);
	for (size_t i = 0; i < s->nkept; i++)
		free(s->kept[i]);
	free(s->removed);
	free(s->kept);
	*s = (struct shm_sweep){0};
}
