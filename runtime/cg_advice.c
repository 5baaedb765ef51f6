/* The refusal for a user without a cgroup (cg_advice.h).
 *
 * What root does to give uid U a cgroup, by layout:
 *  - v1 (and hybrid): a child D of the own cgroup in each hierarchy a run
 *    uses, owned by U; U then moves its shell there itself (v1 lets a
 *    process move a process of its own uid into a cgroup whose
 *    cgroup.procs it may write), and cordon's leaves go under D;
 *  - v2: D under the root cgroup with the controllers enabled for it, D's
 *    cgroup.procs and cgroup.subtree_control owned by U, and the shell put
 *    into D/supervisor by root (v2 moves need write access to the common
 *    ancestor's cgroup.procs): cordon then finds D empty and gives its
 *    leaves the controllers.  Where a systemd user manager runs,
 *    `systemd-run --user --scope -p Delegate=yes` does all of that. */
#include "cg_advice.h"

#include "cpb_format.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "limit memory, limit pids" */
static void limit_names(uint32_t present, char *out, size_t len)
{
	static const struct { uint32_t bit; const char *name; } l[] = {
		{CPB_LIMIT_MEMORY, "limit memory"}, {CPB_LIMIT_PIDS, "limit pids"},
		{CPB_LIMIT_CPU, "limit cpu"}, {CPB_LIMIT_CPUTIME, "limit cputime"},
	};
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof l / sizeof l[0] && used < len; i++)
		if (present & l[i].bit)
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "",
						 l[i].name);
}

/* Appends to out (a string of size len). */
__attribute__((format(printf, 3, 4))) static void add(char *out, size_t len, const char *fmt, ...)
{
	size_t used = strlen(out);
	if (used + 1 >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out + used, len - used, fmt, ap);
	va_end(ap);
}

static void v1_commands(const struct cg_place *w, unsigned uid, char *out, size_t len)
{
	char dirs[CG_NCTRL * (PATH_MAX + 1)] = "";
	for (size_t i = 0; i < w->n; i++)
		add(dirs, sizeof dirs, "%s%s", i ? " " : "", w->dir[i]);
	add(out, len, ", or have root delegate a cgroup to uid %u once (cgroup v1): `for d in %s; "
		      "do mkdir $d/cordon-%u && chown -R %u $d/cordon-%u; done`, then move the "
		      "shell that runs cordon into it: `for d in %s; do echo $$ "
		      ">$d/cordon-%u/cgroup.procs; done`",
	    uid, dirs, uid, uid, uid, dirs, uid);
}

static void v2_commands(const struct cg_place *w, unsigned uid, char *out, size_t len)
{
	const char *root = "/sys/fs/cgroup";
	add(out, len, ", or have root delegate a cgroup to uid %u once (cgroup v2): `mkdir -p "
		      "%s/cordon-%u/supervisor && chown %u %s/cordon-%u %s/cordon-%u/cgroup.procs "
		      "%s/cordon-%u/cgroup.subtree_control && echo '",
	    uid, root, uid, uid, root, uid, root, uid, root, uid);
	bool first = true;
	for (int c = 0; c < CG_NCTRL; c++)
		if (w->need & (1U << c)) {
			add(out, len, "%s+%s", first ? "" : " ", cg_ctrl_name((enum cg_ctrl)c));
			first = false;
		}
	add(out, len, "' >%s/cgroup.subtree_control`, and as root move the shell that runs "
		      "cordon into it: `echo PID >%s/cordon-%u/supervisor/cgroup.procs` (PID: "
		      "`echo $$` in that shell)", root, root, uid);
}

void cg_advice(const struct cg_place *w, unsigned uid, bool user_manager, uint32_t present,
	       const char *why, char *out, size_t len)
{
	if (!len)
		return;
	char names[96];
	limit_names(present, names, sizeof names);
	out[0] = '\0';
	add(out, len, "this system cannot enforce %s: ", names);
	if (w->layout == CG_NONE)
		add(out, len, "there is no cgroup filesystem (%s)", why);
	else
		add(out, len, "uid %u has no cgroup of its own here (%s)", uid, why);
	add(out, len, ". Run with --best-effort to use per-process rlimits instead (the report "
		      "lists what is not enforced)");
	/* only what can work here: no delegation of controllers that are not
	 * there, none for root, systemd only where it delegates v2 */
	if (uid == 0 || !w->complete || !w->n)
		return;
	if (w->layout == CG_V2 && user_manager)
		add(out, len, ", or run it in a delegated scope: `systemd-run --user --scope -p "
			      "Delegate=yes cordon run ...`");
	else if (w->layout == CG_V2)
		v2_commands(w, uid, out, len);
	else
		v1_commands(w, uid, out, len);
}

bool cg_user_manager(unsigned uid)
{
	char path[512];
	const char *rt = getenv("XDG_RUNTIME_DIR");
	if (rt && rt[0] == '/')
		snprintf(path, sizeof path, "%s/systemd/private", rt);
	else
		snprintf(path, sizeof path, "/run/user/%u/systemd/private", uid);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISSOCK(st.st_mode) || st.st_uid != uid)
		return false;
	return access("/usr/bin/systemd-run", X_OK) == 0 || access("/bin/systemd-run", X_OK) == 0;
}

void cg_refusal(uint32_t present, const char *why, char *out, size_t len)
{
	struct cg_limits lim = {
		.memory = present & CPB_LIMIT_MEMORY ? 1 : 0,
		.pids = present & CPB_LIMIT_PIDS ? 1 : 0,
		.cpu_quota_us = present & CPB_LIMIT_CPU ? 1 : 0,
		.cputime = present & CPB_LIMIT_CPUTIME,
	};
	struct cg_place w;
	cg_where(&lim, &w);
	unsigned uid = (unsigned)getuid();
	cg_advice(&w, uid, cg_user_manager(uid), present, why, out, len);
}
