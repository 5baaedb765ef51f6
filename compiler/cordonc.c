/* cordonc: the policy compiler's command line.
 *   cordonc [-o OUT.cpb] [-I DIR]... [-w] [-Werror] POLICY   compile
 *   cordonc --check [-I DIR]... POLICY                      diagnostics only
 *   cordonc --dump FILE.cpb...                              print in words
 *   --untrusted ROOT: the policy is a repository's (ROOT its root): its
 *   files only beneath ROOT, each a regular file passing ssh's StrictModes
 * Exit status: 0 success, 1 errors in the policy or I/O, 2 usage. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "dump.h"
#include "ir.h"
#include "policy_load.h"
#include "xalloc.h"

#ifndef CORDON_DATADIR
#define CORDON_DATADIR "/usr/local/share/cordon/policies"
#endif
#ifndef CORDON_VERSION
#define CORDON_VERSION "0.1"
#endif

static void usage(FILE *out)
{
	fputs("usage: cordonc [-o OUT.cpb] [-I DIR]... [-w] [-Werror] POLICY\n"
	      "       cordonc --check [-I DIR]... POLICY\n"
	      "       cordonc --dump FILE.cpb [FILE.cpb]...\n"
	      "--dump of several policies: the layers of one run, outermost first, and\n"
	      "what they make together.\n"
	      "--untrusted ROOT: the policy is a repository's, ROOT its root: the policy\n"
	      "and every file it includes must be a regular file beneath ROOT (reached\n"
	      "through no symbolic link that leaves it), writable by its owner only and\n"
	      "owned by you or root; profiles (use) come from the search path as ever.\n"
	      "--deps FILE writes the absolute path of every policy file read, one a line,\n"
	      "then each profile path looked for and not found, after a '!'.\n"
	      "POLICY '-' reads standard input; OUT '-' writes standard output.\n"
	      "`use NAME` looks for NAME.cordon in each -I DIR, then in each\n"
	      "directory of $CORDON_PATH (colon-separated), then in share/cordon/policies\n"
	      "beside the directory of this program (../share/cordon/policies), then in\n"
	      CORDON_DATADIR ".\n",
	      out);
}

static char *default_output(const char *in)
{
	size_t n = strlen(in);
	if (n > 7 && strcmp(in + n - 7, ".cordon") == 0)
		return xasprintf("%.*s.cpb", (int)(n - 7), in);
	return xasprintf("%s.cpb", in);
}

/* Writes all of data to fd. */
static bool write_all(int fd, const uint8_t *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		off += (size_t)w;
	}
	return true;
}

/* Writes data to path through a temporary file and a rename, so a reader
 * never sees half a policy.  Something that is not a regular file (a
 * device such as /dev/null, a pipe) is written in place, never replaced. */
static bool write_file(const char *path, const uint8_t *data, size_t len)
{
	if (strcmp(path, "-") == 0)
		return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0;
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		bool ok = fd >= 0 && write_all(fd, data, len);
		int e = errno;
		if (fd >= 0 && close(fd) != 0 && ok)
			ok = false, e = errno;
		if (!ok)
			fprintf(stderr, "cordonc: error: cannot write '%s': %s\n", path,
				strerror(e));
		return ok;
	}
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	bool ok = fd >= 0 && write_all(fd, data, len);
	int e = errno;
	if (fd >= 0 && close(fd) != 0 && ok)
		ok = false, e = errno;
	if (ok && rename(tmp, path) != 0)
		ok = false, e = errno;
	if (!ok) {
		fprintf(stderr, "cordonc: error: cannot write '%s': %s\n", path, strerror(e));
		unlink(tmp);
	}
	free(tmp);
	return ok;
}

/* The files a compile read, for a cache that must notice when one changes,
 * and, after a '!', the profile paths it looked for in vain, in case one
 * appears and would now be used instead. */
static bool write_deps(const struct compile_ctx *c, const char *path)
{
	FILE *f = fopen(path, "we");
	bool ok = f != NULL;
	for (size_t i = 0; ok && i < c->nfiles; i++) {
		if (!c->files[i]->path)
			continue;
		char *real = realpath(c->files[i]->path, NULL);
		ok = real && fprintf(f, "%s\n", real) >= 0;
		free(real);
	}
	for (size_t i = 0; ok && i < c->nabsent; i++)
		ok = fprintf(f, "!%s\n", c->absent[i]) >= 0;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok)
		fprintf(stderr, "cordonc: error: cannot write '%s': %s\n", path, strerror(errno));
	return ok;
}

/* One compiled policy in words, or several layers of one run (outermost
 * first) and what they make together. */
static int do_dump(char *const *paths, size_t n)
{
	struct cpb_policy *p = xcalloc(n, sizeof *p);
	char err[512];
	size_t loaded = 0;
	int r = 0;
	for (; loaded < n; loaded++)
		if (cpb_load_file(paths[loaded], &p[loaded], err, sizeof err) != 0) {
			fprintf(stderr, "cordonc: error: %s\n", err);
			r = 1;
			break;
		}
	if (r == 0 && n == 1)
		dump_policy(stdout, &p[0]);
	else if (r == 0)
		dump_layers(stdout, p, (const char *const *)paths, n);
	for (size_t i = 0; i < loaded; i++)
		cpb_free(&p[i]);
	free(p);
	return r ? r : fflush(stdout) == 0 ? 0 : 1;
}

static void add_env_path(struct compile_ctx *c)
{
	const char *env = getenv("CORDON_PATH");
	if (!env)
		return;
	char *copy = xstrdup(env), *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
		compile_add_search_dir(c, d);
	free(copy);
}

/* The profiles installed with this program: ../share/cordon/policies from
 * the directory it is in, so that an installed cordonc finds them whatever
 * PREFIX it was built with (make install DESTDIR=... PREFIX=...).  Only
 * when that directory exists: a build tree has none. */
static void add_installed_dir(struct compile_ctx *c)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return;
	self[n] = '\0';
	for (int up = 0; up < 2; up++) { /* PREFIX/bin/cordonc -> PREFIX */
		char *slash = strrchr(self, '/');
		if (!slash)
			return;
		*slash = '\0';
	}
	char dir[PATH_MAX + 32];
	snprintf(dir, sizeof dir, "%s/share/cordon/policies", self);
	struct stat st;
	if (strcmp(dir, CORDON_DATADIR) != 0 && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		compile_add_search_dir(c, dir);
}

int main(int argc, char **argv)
{
	enum { OPT_CHECK = 256, OPT_DUMP, OPT_WERROR, OPT_VERSION, OPT_HELP, OPT_DEPS,
	       OPT_UNTRUSTED };
	static const struct option opts[] = {
		{"check", no_argument, NULL, OPT_CHECK},
		{"dump", no_argument, NULL, OPT_DUMP},
		{"Werror", no_argument, NULL, OPT_WERROR},
		{"version", no_argument, NULL, OPT_VERSION},
		{"help", no_argument, NULL, OPT_HELP},
		{"deps", required_argument, NULL, OPT_DEPS},
		{"untrusted", required_argument, NULL, OPT_UNTRUSTED},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL, *deps = NULL, *untrusted = NULL;
	bool check = false, dump = false, no_warn = false, werror = false;
	char **incs = NULL;
	size_t ninc = 0, cap = 0;
	int o;
	/* -Werror is also accepted with a single dash, as compilers do */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-Werror") == 0)
			argv[i] = "--Werror";
	while ((o = getopt_long(argc, argv, "o:I:w", opts, NULL)) != -1) {
		switch (o) {
		case 'o': out = optarg; break;
		case 'I':
			XGROW(incs, ninc, cap);
			incs[ninc++] = optarg;
			break;
		case 'w': no_warn = true; break;
		case OPT_CHECK: check = true; break;
		case OPT_DUMP: dump = true; break;
		case OPT_WERROR: werror = true; break;
		case OPT_DEPS: deps = optarg; break;
		case OPT_UNTRUSTED: untrusted = optarg; break;
		case OPT_VERSION: puts("cordonc " CORDON_VERSION); free(incs); return 0;
		case OPT_HELP: usage(stdout); free(incs); return 0;
		default: usage(stderr); free(incs); return 2;
		}
	}
	if ((optind != argc - 1 && !(dump && optind < argc)) || (check + dump > 1) ||
	    (dump && (out || ninc || untrusted || deps))) {
		fputs(optind >= argc ? "cordonc: error: no policy file given\n"
				     : "cordonc: error: conflicting or extra arguments\n",
		      stderr);
		usage(stderr);
		free(incs);
		return 2;
	}
	const char *in = argv[optind];
	if (dump) {
		free(incs);
		return do_dump(argv + optind, (size_t)(argc - optind));
	}
	if (!check && !out && strcmp(in, "-") == 0) {
		fputs("cordonc: error: reading standard input: name the output with -o\n",
		      stderr);
		free(incs);
		return 2;
	}

	struct compile_ctx c;
	compile_init(&c, stderr);
	c.diag.no_warnings = no_warn;
	c.diag.werror = werror;
	for (size_t i = 0; i < ninc; i++)
		compile_add_search_dir(&c, incs[i]);
	free(incs);
	add_env_path(&c);
	add_installed_dir(&c);
	compile_add_search_dir(&c, CORDON_DATADIR);

	struct ir ir;
	struct sock_filter *prog = NULL;
	size_t nprog = 0;
	uint8_t *bytes = NULL;
	size_t nbytes = 0;
	bool ok = !untrusted || compile_set_untrusted(&c, untrusted);
	ok = ok && compile_parse_main(&c, in);
	ok = lower(&c, &ir) && ok && c.diag.errors == 0;
	if (ok)
		ok = seccomp_generate(&c, &ir, &prog, &nprog);
	if (ok && !cpb_write(&ir, prog, nprog, &bytes, &nbytes)) {
		diag_plain_error(&c.diag, "the compiled policy is larger than %u bytes",
				 CPB_MAX_FILE_SIZE);
		ok = false;
	}
	if (ok && !check) {
		char *path = out ? xstrdup(out) : default_output(in);
		ok = write_file(path, bytes, nbytes);
		free(path);
	}
	if (ok && deps)
		ok = write_deps(&c, deps);
	diag_flush(&c.diag);
	if (c.diag.errors || c.diag.warnings)
		fprintf(stderr, "%d error%s, %d warning%s\n", c.diag.errors,
			c.diag.errors == 1 ? "" : "s", c.diag.warnings,
			c.diag.warnings == 1 ? "" : "s");
	free(bytes);
	free(prog);
	ir_free(&ir);
	compile_free(&c);
	return ok ? 0 : 1;
}
