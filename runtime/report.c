/* The JSON report of a run: one object, on one line, that an agent launcher
 * can parse to learn how the command ended and what was enforced. */
#include "report.h"

#include <string.h>

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
	fputs(",\"not_enforced\":[", out);
	for (size_t i = 0; r->not_enforced && r->not_enforced[i]; i++) {
		if (i)
			fputc(',', out);
		json_string(out, r->not_enforced[i]);
	}
	fputc(']', out);
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
	if (r->policy) {
		fputs(",\"policy\":", out);
		json_string(out, r->policy);
	}
	if (o->reason == RUN_ERROR) {
		fputs(",\"error\":", out);
		json_string(out, o->error);
	}
	fputs("}\n", out);
	fflush(out);
}

void report_error(FILE *out, const char *message, unsigned landlock_abi)
{
	struct run_outcome o = {.reason = RUN_ERROR, .exit_code = 125};
	snprintf(o.error, sizeof o.error, "%s", message);
	struct report r = {.outcome = &o, .landlock_abi = landlock_abi,
			   .landlock = "none", .cgroup = "none"};
	report_write(out, &r);
}
