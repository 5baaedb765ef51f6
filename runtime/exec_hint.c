/* The message for an exec the policy refused (exec_hint.h).
 *
 * Landlock answers a refused execve with EACCES, and so do file modes and
 * noexec mounts: the policy is named only when its own rules say so.  A
 * rule grants exec beneath its path (resolved the way the ruleset was:
 * links followed), a deny at or above the file takes it away; the kernel
 * also opens a script's interpreter for exec, so both must be granted. */
#include "exec_hint.h"

#include "landlock_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* anc is path itself or one of its ancestors (both canonical). */
static bool at_or_above(const char *anc, const char *path)
{
	size_t n = strlen(anc);
	if (n == 1 && anc[0] == '/')
		return true;
	return strncmp(path, anc, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Whether p lets the file canon (canonical) be executed. */
static bool exec_granted(const struct cpb_policy *p, const struct ll_paths *paths,
			 const char *canon)
{
	bool allowed = false;
	for (size_t i = 0; i < p->nfs; i++) {
		const struct cpb_fs_rule *r = &p->fs[i];
		uint64_t a = r->allow & CORDON_LL_FS_EXECUTE, d = r->deny & CORDON_LL_FS_EXECUTE;
		char path[PATH_MAX], real[PATH_MAX];
		if ((!a && !d) || ll_rule_path(r, paths, path, sizeof path) != 0 ||
		    !realpath(path, real) || !at_or_above(real, canon))
			continue;
		if (d)
			return false;
		allowed = true;
	}
	return allowed;
}

/* The interpreter a `#!` line names, and its first argument, into interp
 * and arg (empty when none). */
static void shebang(const char *exe, char *interp, char *arg, size_t len)
{
	interp[0] = arg[0] = '\0';
	int fd = openat(AT_FDCWD, exe, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return;
	char buf[256];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 3 || buf[0] != '#' || buf[1] != '!')
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	char *save = NULL, *w = strtok_r(buf + 2, " \t", &save);
	if (!w || w[0] != '/')
		return;
	snprintf(interp, len, "%s", w);
	/* env's options (-S splits the rest) come before the program's name */
	while ((w = strtok_r(NULL, " \t", &save)) && w[0] == '-')
		;
	if (w)
		snprintf(arg, len, "%s", w);
}

/* NAME in the command's PATH (envp), or empty. */
static void in_path(const char *name, char *const *envp, char *out, size_t len)
{
	out[0] = '\0';
	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		return;
	}
	const char *path = "/usr/local/bin:/usr/bin:/bin";
	for (char *const *e = envp; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	for (const char *d = path; *d;) {
		size_t k = strcspn(d, ":");
		char cand[PATH_MAX];
		struct stat st;
		if (k && (size_t)snprintf(cand, sizeof cand, "%.*s/%s", (int)k, d, name) <
				 sizeof cand &&
		    stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			snprintf(out, len, "%s", cand);
			return;
		}
		d += k + (d[k] == ':');
	}
}

/* The statement's form of a path: relative to the workspace inside it
 * (./x), else absolute; quoted when it holds anything a bare path cannot. */
static void as_written(const char *given, const struct ll_paths *paths, char *out, size_t len)
{
	char real[PATH_MAX];
	const char *p = given;
	if (given[0] != '/' && realpath(given, real)) {
		p = real;
		size_t n = paths->workspace ? strlen(paths->workspace) : 0;
		if (n && strncmp(real, paths->workspace, n) == 0 && real[n] == '/') {
			char rel[PATH_MAX];
			snprintf(rel, sizeof rel, ".%s", real + n);
			snprintf(real, sizeof real, "%s", rel);
		}
	}
	bool bare = *p != '\0';
	for (const char *c = p; *c && bare; c++)
		bare = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		       (*c >= '0' && *c <= '9') || strchr("/._+-", *c);
	snprintf(out, len, bare ? "%s" : "\"%s\"", p);
}

/* Whether path (as the kernel will open it) is executable under p; a path
 * that cannot be resolved counts as granted (the policy is not the cause). */
static bool granted(const struct cpb_policy *p, const struct ll_paths *paths, const char *path)
{
	char canon[PATH_MAX];
	return !realpath(path, canon) || exec_granted(p, paths, canon);
}

int exec_hint(const struct cpb_policy *p, const struct ll_paths *paths, const char *exe,
	      char *const *envp, int err, char *out, size_t len)
{
	if (err != EACCES || !(p->handled_fs & CORDON_LL_FS_EXECUTE))
		return 0;
	struct stat st;
	/* no execute bit at all: the file mode refused it, not the policy */
	if (stat(exe, &st) != 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		return 0;
	char interp[PATH_MAX], arg[PATH_MAX], prog[PATH_MAX] = "";
	shebang(exe, interp, arg, sizeof interp);
	/* #!/usr/bin/env NAME: env runs NAME next, which needs exec as well */
	const char *base = strrchr(interp, '/');
	if (interp[0] && arg[0] && base && strcmp(base + 1, "env") == 0)
		in_path(arg, envp, prog, sizeof prog);
	bool self = !granted(p, paths, exe);
	bool by_interp = interp[0] && !granted(p, paths, interp);
	bool by_prog = prog[0] && !granted(p, paths, prog);
	if (!self && !by_interp)
		return 0; /* the policy allows both: something else refused */
	char e[PATH_MAX + 2], i[PATH_MAX + 2], g[PATH_MAX + 2];
	as_written(exe, paths, e, sizeof e);
	as_written(interp, paths, i, sizeof i);
	as_written(prog, paths, g, sizeof g);
	char add[3 * PATH_MAX + 32];
	snprintf(add, sizeof add, "allow exec%s%s%s%s%s%s;", self ? " " : "", self ? e : "",
		 by_interp ? " " : "", by_interp ? i : "", by_prog ? " " : "", by_prog ? g : "");
	if (self && by_interp)
		snprintf(out, len, "%s: not executable under this policy, nor its interpreter "
			 "%s (add: %s)", exe, interp, add);
	else if (self)
		snprintf(out, len, "%s: not executable under this policy (add: %s)", exe, add);
	else
		snprintf(out, len, "%s: its interpreter %s is not executable under this policy "
			 "(add: %s)", exe, interp, add);
	return 1;
}
