/* Compiler fuzz: mutates the golden policies (byte flips, keyword and
 * punctuation insertions, deletions, splices, truncations) and runs the
 * whole pipeline in-process on each.  Properties: it never crashes (the
 * sanitizer build checks memory and undefined behaviour), diagnostics are
 * always well formed, and whenever a policy compiles, the reader accepts the
 * bytes the writer produced and a second compile gives the same bytes.
 * usage: test_fuzz PROFILE_DIR SEED_DIR... */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "ir.h"
#include "policy_load.h"
#include "tap.h"

#define ROUNDS 1500

struct seeds {
	char **text;
	size_t *len;
	size_t n;
};

static void load_seeds(struct seeds *s, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 8 || strcmp(de->d_name + l - 7, ".cordon"))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		char *buf = malloc(65536);
		size_t n = fread(buf, 1, 65535, f);
		fclose(f);
		s->text = realloc(s->text, (s->n + 1) * sizeof *s->text);
		s->len = realloc(s->len, (s->n + 1) * sizeof *s->len);
		s->text[s->n] = buf;
		s->len[s->n++] = n;
	}
	closedir(d);
}

static const char *const dict[] = {
	";", ",", "\"", "\\", "#", "\n", "${", "}", "~", "/", "./", "*", "?", "=",
	"allow", "deny", "read", "write", "exec", "ioctl", "env", "set", "net",
	"none", "all", "unix", "connect", "bind", "tcp", "limit", "memory",
	"pids", "time", "cputime", "cpu", "files", "fsize", "syscall", "kill",
	"use", "include", "enforce", "best-effort", "strict", "base", "0",
	"65536", "99999999999999999999999", "1-0", "512M", "1.0005", "\x01",
	"\xff", "${HOME}", "${TMPDIR}/", "~x", "ptrace", "socket", "execve",
	"protect", "unprotect", "new-repositories", "git-hooks-path",
	"git-pointers", "home-workspace", "./.vscode/",
};

static size_t mutate(char *buf, size_t len, size_t cap, unsigned *seed)
{
	unsigned ops = 1 + rand_r(seed) % 4;
	for (unsigned o = 0; o < ops; o++) {
		size_t at = len ? (size_t)rand_r(seed) % (len + 1) : 0;
		switch (rand_r(seed) % 5) {
		case 0: /* flip a byte */
			if (len)
				buf[at % len] = (char)rand_r(seed);
			break;
		case 1: { /* insert a word */
			const char *w = dict[rand_r(seed) % (sizeof dict / sizeof dict[0])];
			size_t wl = strlen(w);
			if (len + wl + 1 >= cap)
				break;
			memmove(buf + at + wl, buf + at, len - at);
			memcpy(buf + at, w, wl);
			len += wl;
			break;
		}
		case 2: { /* delete a range */
			size_t n = (size_t)rand_r(seed) % 16;
			if (at + n > len)
				n = len - at;
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		}
		case 3: { /* duplicate a range */
			size_t n = (size_t)rand_r(seed) % 64;
			if (at + n > len)
				n = len - at;
			if (len + n + 1 >= cap)
				break;
			memmove(buf + at + n, buf + at, len - at);
			len += n;
			break;
		}
		default: /* truncate */
			len = at;
		}
	}
	return len;
}

/* Compiles path; returns 1 with the .cpb bytes when it compiled, 0 when it
 * had errors. */
static int compile(const char *path, const char *profiles, FILE *diag,
		   uint8_t **out, size_t *out_len)
{
	struct compile_ctx c;
	struct ir ir;
	struct sock_filter *prog = NULL;
	size_t n = 0;
	compile_init(&c, diag);
	compile_add_search_dir(&c, profiles);
	bool ok = compile_parse_main(&c, path);
	ok = lower(&c, &ir) && ok && c.diag.errors == 0;
	if (ok)
		ok = seccomp_generate(&c, &ir, &prog, &n);
	if (ok)
		ok = cpb_write(&ir, prog, n, out, out_len);
	free(prog);
	ir_free(&ir);
	compile_free(&c);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_fuzz PROFILE_DIR SEED_DIR...\n");
		return 2;
	}
	struct seeds s = {0};
	for (int i = 2; i < argc; i++)
		load_seeds(&s, argv[i]);
	if (s.n == 0)
		tap_skip_all("no seed policies found");
	char path[] = "/tmp/cordon-fuzz-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		tap_skip_all("mkstemp failed");
	close(fd);
	char *diagbuf = NULL;
	size_t diaglen = 0;
	FILE *diag = open_memstream(&diagbuf, &diaglen);

	unsigned seed = 20261129, compiled = 0, rejected = 0, bad_diag = 0,
		 reader_refused = 0, nondeterministic = 0;
	char *buf = malloc(1 << 17);
	for (unsigned r = 0; r < ROUNDS; r++) {
		size_t k = (size_t)rand_r(&seed) % s.n;
		size_t len = s.len[k] < (1 << 16) ? s.len[k] : 0;
		memcpy(buf, s.text[k], len);
		len = mutate(buf, len, 1 << 17, &seed);
		FILE *f = fopen(path, "wb");
		fwrite(buf, 1, len, f);
		fclose(f);

		rewind(diag);
		uint8_t *out = NULL;
		size_t out_len = 0;
		int ok = compile(path, argv[1], diag, &out, &out_len);
		fflush(diag);
		/* every message line starts with the file name or "cordonc:", or
		 * is a quoted source line or caret line */
		for (char *line = diagbuf; line && line < diagbuf + ftell(diag);) {
			char *nl = memchr(line, '\n', (size_t)(diagbuf + ftell(diag) - line));
			if (!nl)
				break;
			if (strncmp(line, path, strlen(path)) != 0 &&
			    strncmp(line, "cordonc: ", 9) != 0 && line[0] != ' ' &&
			    strncmp(line, "stdlib-policies", 15) != 0 && line[0] != '/') {
				bad_diag++;
				tap_diag("odd diagnostic line: %.*s", (int)(nl - line), line);
			}
			line = nl + 1;
		}
		if (!ok) {
			rejected++;
			continue;
		}
		compiled++;
		struct cpb_policy p;
		char err[256];
		uint8_t *copy = malloc(out_len);
		memcpy(copy, out, out_len);
		if (cpb_load_buffer(copy, out_len, &p, err, sizeof err) != 0) {
			reader_refused++;
			tap_diag("reader refused compiled output: %s", err);
		} else {
			cpb_free(&p);
		}
		if (r % 8 == 0) {
			uint8_t *again = NULL;
			size_t again_len = 0;
			rewind(diag);
			if (!compile(path, argv[1], diag, &again, &again_len) ||
			    again_len != out_len || memcmp(again, out, out_len) != 0)
				nondeterministic++;
			free(again);
		}
		free(out);
	}
	tap_ok(compiled + rejected == ROUNDS,
	       "%u mutated policies: %u compiled, %u rejected, no crash", ROUNDS,
	       compiled, rejected);
	tap_ok(compiled > 50 && rejected > 50,
	       "the mutations reach both outcomes (compiled %u, rejected %u)",
	       compiled, rejected);
	tap_ok(bad_diag == 0, "every diagnostic line is well formed (%u odd)", bad_diag);
	tap_ok(reader_refused == 0,
	       "the reader accepts everything the writer produced (%u refused)",
	       reader_refused);
	tap_ok(nondeterministic == 0, "recompiling gives the same bytes (%u differed)",
	       nondeterministic);
	fclose(diag);
	free(diagbuf);
	free(buf);
	for (size_t i = 0; i < s.n; i++)
		free(s.text[i]);
	free(s.text);
	free(s.len);
	unlink(path);
	return tap_done();
}
