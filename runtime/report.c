/* The JSON report of a run: one object, on one line, that an agent launcher
 * can parse to learn how the command ended and what was enforced (see
 * report.h). */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

/* A JSON array of the NULL-terminated v. */
static void json_strings(FILE *out, const char *const *v)
{
	fputc('[', out);
	for (size_t i = 0; v[i]; i++) {
		if (i)
			fputc(',', out);
		json_string(out, v[i]);
	}
	fputc(']', out);
}

static const char *reason_name(enum run_reason r)
{
	switch (r) {
	case RUN_EXITED: return "exited";
	case RUN_SIGNALED: return "signaled";
	case RUN_TIMEOUT: return "timeout";
	case RUN_OOM: return "oom";
	case RUN_PIDS: return "pids";
	case RUN_CPU: return "cpu";
	case RUN_DISK: return "disk";
	default: return "error";
	}
}

void report_write(FILE *out, const struct report *r)
{
	const struct run_outcome *o = r->outcome;
	fprintf(out, "{\"exit_code\":%d,\"signal\":", o->exit_code);
	if (o->signal)
		fprintf(out, "%d", o->signal);
	else
		fputs("null", out);
	fprintf(out, ",\"reason\":\"%s\",\"wall_ms\":%.3f,\"user_ms\":%.3f,\"sys_ms\":%.3f,",
		reason_name(o->reason), o->wall_ms, o->user_ms, o->sys_ms);
	if (r->cg && r->cg->has_peak)
		fprintf(out, "\"peak_memory_bytes\":%llu,", (unsigned long long)r->cg->peak_memory);
	else if (r->watch && r->watch->mem && r->watch->mem_peak)
		fprintf(out, "\"peak_memory_bytes\":%llu,", (unsigned long long)r->watch->mem_peak);
	else
		fputs("\"peak_memory_bytes\":null,", out);
	if (r->watch && r->watch->disk)
		fprintf(out, "\"disk_growth_bytes\":%llu,", (unsigned long long)r->watch->disk_peak);
	else
		fputs("\"disk_growth_bytes\":null,", out);
	fprintf(out, "\"landlock_abi\":%u,"
		     "\"enforced\":{\"landlock\":\"%s\",\"seccomp\":%s,\"cgroup\":\"%s\","
		     "\"namespaces\":\"%s\"},\"mode\":\"%s\"",
		r->landlock_abi, r->landlock, r->seccomp ? "true" : "false", r->cgroup,
		r->namespaces ? r->namespaces : "none", r->best_effort ? "best-effort" : "strict");
	fputs(",\"not_enforced\":", out);
	json_strings(out, r->not_enforced ? r->not_enforced : (const char *const[]){NULL});
	fputs(",\"shm_swept\":", out);
	if (r->shm_swept)
		json_strings(out, r->shm_swept);
	else
		fputs("null", out);
	if (r->cg) {
		fprintf(out, ",\"cgroup\":{\"backend\":\"%s\",\"layout\":\"%s\",\"oom_kills\":%llu,"
			     "\"pids_max_events\":%llu,\"cpu_usec\":",
			r->cg_backend, r->cg_layout, (unsigned long long)r->cg->oom_kills,
			(unsigned long long)r->cg->pids_max);
		if (r->cg->has_cpu)
			fprintf(out, "%llu}", (unsigned long long)r->cg->cpu_usec);
		else
			fputs("null}", out);
	} else {
		fputs(",\"cgroup\":null", out);
	}
	if (r->nlayers) {
		fputs(",\"policy\":", out);
		json_string(out, r->layers[r->nlayers - 1].policy);
		fputs(",\"layers\":[", out);
		for (size_t i = 0; i < r->nlayers; i++) {
			fputs(i ? ",{\"policy\":" : "{\"policy\":", out);
			json_string(out, r->layers[i].policy);
			fputs(",\"source\":", out);
			json_string(out, r->layers[i].source);
			fputc('}', out);
		}
		fputc(']', out);
	}
	if (o->reason == RUN_ERROR) {
		fputs(",\"error\":", out);
		json_string(out, o->error);
	}
	fputs("}\n", out);
	fflush(out);
}

/* Where a symbolic link may be followed before the policy is known: where
 * cordon's user cannot write (no command of theirs could have planted it). */
static bool unwritable(int dirfd, void *ctx)
{
	(void)ctx;
	return faccessat(dirfd, ".", W_OK, AT_EACCESS) != 0;
}

/* The name in o's directory is no link and no other kind of file. */
static int check_name(struct report_out *o, char *err, size_t errlen)
{
	struct stat st;
	if (fstatat(o->dirfd, o->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return 0; /* made at the end */
	const char *why = S_ISLNK(st.st_mode)  ? "is a symbolic link"
			  : !S_ISREG(st.st_mode) ? "is not a regular file"
						 : NULL;
	if (!why)
		return 0;
	snprintf(err, errlen, "the report %s %s: cordon writes its report only to a regular file "
		 "or a new name (an earlier run may have planted it); remove it or give another "
		 "path", o->path, why);
	o->path = NULL; /* nothing is written there */
	return -1;
}

int report_open(struct report_out *o, const char *path, char *err, size_t errlen)
{
	*o = (struct report_out){.path = path, .dirfd = -1};
	if (!path)
		return 0;
	if (strcmp(path, "-") == 0) {
		o->to_stderr = true;
		return 0;
	}
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strlen(name) >= sizeof o->name || dlen >= sizeof o->dir) {
		snprintf(err, errlen, "the report %s does not name a file", path);
		return -1;
	}
	snprintf(o->name, sizeof o->name, "%s", name);
	snprintf(o->dir, sizeof o->dir, "%.*s", (int)dlen, slash == path ? "/" : path);
	if (!slash)
		snprintf(o->dir, sizeof o->dir, ".");
	char bad[PATH_MAX];
	o->dirfd = so_open_dir(o->dir, unwritable, NULL, bad, sizeof bad);
	if (o->dirfd < 0 && errno == EPERM)
		o->dirfd = openat(AT_FDCWD, o->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	else
		o->checked = o->dirfd >= 0;
	/* it is replaced by a rename: its directory must take a new file */
	if (o->dirfd < 0 || faccessat(o->dirfd, ".", W_OK | X_OK, AT_EACCESS) != 0) {
		snprintf(err, errlen, "cannot write the report %s: %s", path, strerror(errno));
		o->path = NULL;
		return -1;
	}
	return check_name(o, err, errlen);
}

int report_check_dir(struct report_out *o, so_judge judge, void *ctx, char *err,
		     size_t errlen)
{
	if (!o->path || o->to_stderr)
		return 0;
	char bad[PATH_MAX];
	int fd = so_open_dir(o->dir, judge, ctx, bad, sizeof bad);
	if (fd < 0 && errno == EPERM) {
		snprintf(err, errlen, "the report's path %s goes through the symbolic link %s, "
			 "which lies where this policy lets the command write (an earlier run may "
			 "have planted it); give a path without it", o->path, bad);
		o->path = NULL; /* nothing is written there */
		return -1;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot write the report %s: %s", o->path, strerror(errno));
		o->path = NULL;
		return -1;
	}
	close(o->dirfd);
	o->dirfd = fd;
	o->checked = true;
	return check_name(o, err, errlen);
}

void report_save(struct report_out *o, const struct report *r)
{
	if (!o->path)
		return;
	if (o->to_stderr) {
		report_write(stderr, r);
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *m = o->checked ? open_memstream(&buf, &len) : NULL;
	if (m) {
		report_write(m, r);
		fclose(m);
	}
	if (!m || !buf || so_replace(o->dirfd, o->name, buf, len, 0666) != 0)
		fprintf(stderr, "cordon: warning: cannot write the report %s: %s\n", o->path,
			!o->checked ? "its path goes through a symbolic link that cordon did not "
				      "check (the run failed before it could)"
				    : strerror(errno));
	free(buf);
}

void report_save_error(struct report_out *o, const char *message, unsigned landlock_abi)
{
	struct run_outcome out = {.reason = RUN_ERROR, .exit_code = 125};
	snprintf(out.error, sizeof out.error, "%s", message);
	struct report r = {.outcome = &out, .landlock_abi = landlock_abi,
			   .landlock = "none", .cgroup = "none"};
	report_save(o, &r);
}

void report_close(struct report_out *o)
{
	if (o->dirfd >= 0)
		close(o->dirfd);
	o->dirfd = -1;
}
