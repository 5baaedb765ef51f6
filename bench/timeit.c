/* timeit: run one command, or several in shuffled rounds, many times with
 * posix_spawn and print the spread of their wall-clock times.
 *
 *   timeit [-n RUNS] [-w WARMUP] [-l LABEL] [--] CMD [ARG]...
 *   timeit [-n RUNS] [-w WARMUP] -c '[LABEL=]CMD [ARG]...' -c ...
 *
 * Each run is timed with CLOCK_MONOTONIC from just before posix_spawn to
 * the return of waitpid.  The child's stdin, stdout and stderr are
 * /dev/null; every run must exit with status 0, else timeit stops.
 *
 * With -c (repeatable) the commands are compared: each round runs every
 * command once, in a new shuffled order each round, so that the noise of a
 * shared machine falls on all of them alike.  A -c argument is split
 * on blanks, with no shell and no quoting; a LABEL= prefix (before the
 * first blank) names it.  Each command's line then also gives the ratio of
 * its median to the first command's, and the difference in microseconds.
 *
 * Output, one line per command, statistics in microseconds:
 *   LABEL  runs=N  median_us=M  p10_us=A  p90_us=B  min_us=C [ratio=R  delta_us=D]
 * Exit status: 0 on success, 1 when a command failed, 2 on a usage error. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_RUNS 10000000L

struct cmd {
	char *label;   /* what the output line calls it */
	char **argv;   /* NULL-terminated */
	char *path;    /* the executable, resolved once before timing */
	int64_t *ns;   /* one sample per timed run */
	size_t n;      /* samples taken */
};

static posix_spawn_file_actions_t null_stdio;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: timeit [-n RUNS] [-w WARMUP] [-l LABEL] [--] CMD [ARG]...\n"
		"       timeit [-n RUNS] [-w WARMUP] -c '[LABEL=]CMD [ARG]...' [-c ...]\n"
		"  -n, --runs N      timed runs of each command (default 30)\n"
		"  -w, --warmup N    untimed runs (rounds) first (default 3)\n"
		"  -l, --label L     name of the single command (default: its words)\n"
		"  -c, --cmd SPEC    compare: add a command, split on blanks, no shell;\n"
		"                    each round runs every command once, in shuffled\n"
		"                    order; ratios are to the first command\n");
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		perror("timeit: malloc");
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

static long parse_count(const char *opt, const char *s, long min)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > MAX_RUNS) {
		fprintf(stderr, "timeit: %s wants a whole number from %ld to %ld, not '%s'\n",
			opt, min, MAX_RUNS, s);
		exit(2);
	}
	return v;
}

/* Join words with single spaces: the default label. */
static char *join_words(char *const *argv)
{
	size_t len = 1;
	for (char *const *a = argv; *a; a++)
		len += strlen(*a) + 1;
	char *s = xmalloc(len), *p = s;
	for (char *const *a = argv; *a; a++) {
		if (a != argv)
			*p++ = ' ';
		size_t n = strlen(*a);
		memcpy(p, *a, n);
		p += n;
	}
	*p = '\0';
	return s;
}

static int is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Find the executable as execvp would, so that the search is not timed. */
static char *resolve(const char *name)
{
	if (strchr(name, '/')) {
		if (!is_executable_file(name)) {
			fprintf(stderr, "timeit: %s: not an executable file\n", name);
			exit(1);
		}
		return xstrdup(name);
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	size_t nlen = strlen(name);
	for (const char *dir = path;;) {
		const char *colon = strchr(dir, ':');
		size_t dlen = colon ? (size_t)(colon - dir) : strlen(dir);
		char *cand = xmalloc(dlen + nlen + 3);
		if (dlen == 0)
			snprintf(cand, dlen + nlen + 3, "./%s", name);
		else
			snprintf(cand, dlen + nlen + 3, "%.*s/%s", (int)dlen, dir, name);
		if (is_executable_file(cand))
			return cand;
		free(cand);
		if (!colon)
			break;
		dir = colon + 1;
	}
	fprintf(stderr, "timeit: %s: command not found in PATH\n", name);
	exit(1);
}

/* Split SPEC ("[LABEL=]CMD ARG...") on blanks into a command. */
static void parse_spec(struct cmd *c, const char *spec)
{
	char *buf = xstrdup(spec);
	char *s = buf + strspn(buf, " \t");
	size_t first_word = strcspn(s, " \t");
	char *eq = memchr(s, '=', first_word);
	if (eq && eq > s) {
		*eq = '\0';
		c->label = s; /* points into buf, which lives on */
		s = eq + 1;
	} else {
		c->label = NULL;
	}
	size_t cap = 4, argc = 0;
	c->argv = xmalloc(cap * sizeof *c->argv);
	for (char *save = NULL, *w = strtok_r(s, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		if (argc + 2 > cap) {
			cap *= 2;
			char **n = realloc(c->argv, cap * sizeof *c->argv);
			if (!n) {
				perror("timeit: realloc");
				exit(1);
			}
			c->argv = n;
		}
		c->argv[argc++] = w; /* points into buf, which lives on */
	}
	c->argv[argc] = NULL;
	if (argc == 0) {
		fprintf(stderr, "timeit: -c '%s': no command\n", spec);
		exit(2);
	}
	if (!c->label)
		c->label = join_words(c->argv);
}

static void setup_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("timeit: /dev/null");
		exit(1);
	}
	/* Keep it above 2 so each dup2 below really copies (and drops
	 * close-on-exec); the original stays close-on-exec. */
	if (fd <= 2) {
		int hi = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (hi < 0) {
			perror("timeit: fcntl");
			exit(1);
		}
		fd = hi;
	}
	int err = posix_spawn_file_actions_init(&null_stdio);
	for (int t = 0; !err && t <= 2; t++)
		err = posix_spawn_file_actions_adddup2(&null_stdio, fd, t);
	if (err) {
		fprintf(stderr, "timeit: posix_spawn_file_actions: %s\n", strerror(err));
		exit(1);
	}
}

static int64_t elapsed_ns(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(b->tv_sec - a->tv_sec) * 1000000000 + (b->tv_nsec - a->tv_nsec);
}

/* Run C once; return its wall time in nanoseconds, or exit on failure. */
static int64_t run_once(const struct cmd *c, unsigned long run_no)
{
	struct timespec t0, t1;
	pid_t pid;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	int err = posix_spawn(&pid, c->path, &null_stdio, NULL, c->argv, environ);
	if (err) {
		fprintf(stderr, "timeit: %s: posix_spawn %s: %s\n", c->label, c->path,
			strerror(err));
		exit(1);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("timeit: waitpid");
			exit(1);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return elapsed_ns(&t0, &t1);
	if (WIFEXITED(status))
		fprintf(stderr, "timeit: %s: run %lu exited with status %d\n", c->label,
			run_no, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "timeit: %s: run %lu killed by signal %d (%s)\n", c->label,
			run_no, WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		fprintf(stderr, "timeit: %s: run %lu ended with wait status %#x\n",
			c->label, run_no, (unsigned)status);
	fprintf(stderr, "timeit: its output went to /dev/null; run it by hand to see why\n");
	exit(1);
}

/* xorshift64*: a small PRNG for the order of each round. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Percentile P (0..1) of sorted S[0..N-1], interpolated linearly, in us. */
static double pct_us(const int64_t *s, size_t n, double p)
{
	double pos = p * (double)(n - 1);
	size_t lo = (size_t)pos;
	double frac = pos - (double)lo;
	double v = (double)s[lo];
	if (lo + 1 < n)
		v += frac * (double)(s[lo + 1] - s[lo]);
	return v / 1000.0;
}

struct stats {
	double median, p10, p90, min;
};

static struct stats summarize(const struct cmd *c)
{
	int64_t *s = xmalloc(c->n * sizeof *s);
	memcpy(s, c->ns, c->n * sizeof *s);
	qsort(s, c->n, sizeof *s, cmp_i64);
	struct stats st = {
		.median = pct_us(s, c->n, 0.5),
		.p10 = pct_us(s, c->n, 0.1),
		.p90 = pct_us(s, c->n, 0.9),
		.min = (double)s[0] / 1000.0,
	};
	free(s);
	return st;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"runs", required_argument, NULL, 'n'},
		{"warmup", required_argument, NULL, 'w'},
		{"label", required_argument, NULL, 'l'},
		{"cmd", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long runs = 30, warmup = 3;
	const char *label = NULL;
	const char **specs = xmalloc((size_t)argc * sizeof *specs);
	size_t nspecs = 0;
	int opt;

	while ((opt = getopt_long(argc, argv, "+n:w:l:c:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			runs = parse_count("-n", optarg, 1);
			break;
		case 'w':
			warmup = parse_count("-w", optarg, 0);
			break;
		case 'l':
			label = optarg;
			break;
		case 'c':
			specs[nspecs++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}

	size_t ncmds = nspecs ? nspecs : 1;
	struct cmd *cmds = calloc(ncmds, sizeof *cmds);
	if (!cmds) {
		perror("timeit: calloc");
		return 1;
	}
	if (nspecs) {
		if (optind < argc || label) {
			fprintf(stderr, "timeit: with -c, give every command (and its label) by -c\n");
			usage(stderr);
			return 2;
		}
		for (size_t i = 0; i < nspecs; i++)
			parse_spec(&cmds[i], specs[i]);
	} else {
		if (optind >= argc) {
			usage(stderr);
			return 2;
		}
		cmds[0].argv = argv + optind;
		cmds[0].label = label ? xstrdup(label) : join_words(argv + optind);
	}

	for (size_t i = 0; i < ncmds; i++) {
		cmds[i].path = resolve(cmds[i].argv[0]);
		cmds[i].ns = xmalloc((size_t)runs * sizeof *cmds[i].ns);
	}
	setup_stdio();

	/* Each round runs every command once, in a freshly shuffled order, so
	 * that no command always runs first or always follows the same one. */
	size_t *order = xmalloc(ncmds * sizeof *order);
	for (size_t i = 0; i < ncmds; i++)
		order[i] = i;
	uint64_t rng = 0x9e3779b97f4a7c15ULL; /* fixed seed: repeatable order */
	for (long r = 0; r < warmup + runs; r++) {
		for (size_t i = ncmds; i > 1; i--) {
			size_t k = (size_t)(next_random(&rng) % i), t = order[i - 1];
			order[i - 1] = order[k];
			order[k] = t;
		}
		for (size_t j = 0; j < ncmds; j++) {
			struct cmd *c = &cmds[order[j]];
			int64_t t = run_once(c, (unsigned long)r + 1);
			if (r >= warmup)
				c->ns[c->n++] = t;
		}
	}

	int width = 0;
	if (nspecs)
		for (size_t i = 0; i < ncmds; i++) {
			size_t len = strlen(cmds[i].label);
			if (len > (size_t)width)
				width = len > 60 ? 60 : (int)len;
		}
	double base = 0;
	for (size_t i = 0; i < ncmds; i++) {
		struct stats st = summarize(&cmds[i]);
		printf("%-*s  runs=%zu  median_us=%.1f  p10_us=%.1f  p90_us=%.1f  min_us=%.1f",
		       width, cmds[i].label, cmds[i].n, st.median, st.p10, st.p90, st.min);
		if (nspecs) {
			if (i == 0)
				base = st.median;
			printf("  ratio=%.3f  delta_us=%+.1f", base > 0 ? st.median / base : 0.0,
			       st.median - base);
		}
		putchar('\n');
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
