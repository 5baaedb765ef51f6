/* The refusal for a user without a cgroup (runtime/cg_advice.c), as golden
 * texts for each layout this host may not have: cgroup v1 (and hybrid),
 * v2 with and without a systemd user manager, root, a missing controller,
 * no cgroup filesystem.  tests/usability.sh checks the real refusal of this
 * host and runs root's commands for v1. */
#include "cg_advice.h"
#include "cpb_format.h"
#include "tap.h"

#include <string.h>

static const char *const why = "cannot create the cgroup /sys/fs/cgroup/x/cordon-7: "
			       "Permission denied";

static void golden(const char *what, const struct cg_place *w, unsigned uid, bool manager,
		   uint32_t present, const char *want)
{
	char got[8192];
	cg_advice(w, uid, manager, present, why, got, sizeof got);
	if (!tap_ok(strcmp(got, want) == 0, "%s", what)) {
		tap_diag("got:  %s", got);
		tap_diag("want: %s", want);
	}
}

int main(void)
{
	const uint32_t mp = CPB_LIMIT_MEMORY | CPB_LIMIT_PIDS;
	struct cg_place v1 = {.layout = CG_V1, .complete = true, .n = 3,
			      .need = (1U << CG_MEMORY) | (1U << CG_PIDS) | (1U << CG_FREEZER)};
	strcpy(v1.dir[0], "/sys/fs/cgroup/memory/user.slice");
	strcpy(v1.dir[1], "/sys/fs/cgroup/pids/user.slice");
	strcpy(v1.dir[2], "/sys/fs/cgroup/freezer");
	const char *head = "this system cannot enforce limit memory, limit pids: uid 1000 has no "
			   "cgroup of its own here (cannot create the cgroup "
			   "/sys/fs/cgroup/x/cordon-7: Permission denied). Run with --best-effort "
			   "to use per-process rlimits instead (the report lists what is not "
			   "enforced)";
	char want[8192];
	snprintf(want, sizeof want,
		 "%s, or have root delegate a cgroup to uid 1000 once (cgroup v1): `for d in "
		 "/sys/fs/cgroup/memory/user.slice /sys/fs/cgroup/pids/user.slice "
		 "/sys/fs/cgroup/freezer; do mkdir $d/cordon-1000 && chown -R 1000 "
		 "$d/cordon-1000; done`, then move the shell that runs cordon into it: `for d in "
		 "/sys/fs/cgroup/memory/user.slice /sys/fs/cgroup/pids/user.slice "
		 "/sys/fs/cgroup/freezer; do echo $$ >$d/cordon-1000/cgroup.procs; done`",
		 head);
	golden("v1: --best-effort, and root's commands for each hierarchy", &v1, 1000, false, mp,
	       want);
	golden("v1 with a user manager: the same (systemd delegates no v1 controller)", &v1, 1000,
	       true, mp, want);

	struct cg_place v2 = {.layout = CG_V2, .complete = true, .n = 1,
			      .need = (1U << CG_MEMORY) | (1U << CG_PIDS)};
	strcpy(v2.dir[0], "/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope");
	snprintf(want, sizeof want,
		 "%s, or run it in a delegated scope: `systemd-run --user --scope -p Delegate=yes "
		 "cordon run ...`", head);
	golden("v2 with a user manager: --best-effort or systemd-run", &v2, 1000, true, mp, want);
	snprintf(want, sizeof want,
		 "%s, or have root delegate a cgroup to uid 1000 once (cgroup v2): `mkdir -p "
		 "/sys/fs/cgroup/cordon-1000/supervisor && chown 1000 /sys/fs/cgroup/cordon-1000 "
		 "/sys/fs/cgroup/cordon-1000/cgroup.procs "
		 "/sys/fs/cgroup/cordon-1000/cgroup.subtree_control && echo '+memory +pids' "
		 ">/sys/fs/cgroup/cgroup.subtree_control`, and as root move the shell that runs "
		 "cordon into it: `echo PID >/sys/fs/cgroup/cordon-1000/supervisor/cgroup.procs` "
		 "(PID: `echo $$` in that shell)", head);
	golden("v2 without a user manager: --best-effort or root's commands, no systemd-run", &v2,
	       1000, false, mp, want);

	const char *only = "this system cannot enforce limit memory, limit pids: uid 0 has no "
			   "cgroup of its own here (cannot create the cgroup "
			   "/sys/fs/cgroup/x/cordon-7: Permission denied). Run with --best-effort "
			   "to use per-process rlimits instead (the report lists what is not "
			   "enforced)";
	golden("root: only --best-effort", &v2, 0, true, mp, only);
	struct cg_place half = v1;
	half.complete = false;
	golden("a controller this host does not have: only --best-effort", &half, 1000, false, mp,
	       head);
	struct cg_place none = {.layout = CG_NONE};
	golden("no cgroup filesystem: says so, only --best-effort", &none, 1000, true,
	       CPB_LIMIT_CPU | CPB_LIMIT_CPUTIME,
	       "this system cannot enforce limit cpu, limit cputime: there is no cgroup "
	       "filesystem (cannot create the cgroup /sys/fs/cgroup/x/cordon-7: Permission "
	       "denied). Run with --best-effort to use per-process rlimits instead (the report "
	       "lists what is not enforced)");
	char small[40];
	cg_advice(&v1, 1000, false, mp, why, small, sizeof small);
	tap_ok(strlen(small) == sizeof small - 1, "a short buffer: cut, terminated (%zu)",
	       strlen(small));
	return tap_done();
}
