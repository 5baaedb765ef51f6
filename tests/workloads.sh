#!/bin/sh
# Benign workloads under the stdlib profiles, as TAP: real programs that a
# sandbox for AI-generated code must let through (a Python task using json,
# threading, multiprocessing and subprocess; a pytest run; a shell pipeline;
# a gcc + make build with its tests; git init/add/commit/log; a node
# script).  Each workload of tests/workloads/NAME/ runs in a fresh copy of
# its workspace (NAME/ws):
#
#   1. without cordon (the control: the workload and its check are right);
#   2. under NAME/policy.cordon, the narrowest profile combination that
#      should allow it (the profile plus the workspace paths it uses);
#   3. under NAME/agent.cordon, `use agent;` with the same profiles, the way
#      a coding agent runs it.
#
# NAME/check then judges the work from the outside: the output and the
# files written, not only the exit status (and it must reject a workspace
# the task never touched, so it can fail).  A sandboxed run must also end
# with a clean report and say nothing on stderr (no "Permission denied" a
# program shrugged off), and leave its private temporary directory behind
# it removed.  No false denial is acceptable: every run must pass.
#
# Missing programs are installed when run as root (apt-get); as another
# user their workload is skipped with the apt-get line to run.  Runs as
# root and as any user (everything lives under its own temp dir).  The
# `agent` profile has cgroup limits (memory, pids): where this user cannot
# have a cgroup (uid 65534 without delegation) its runs use --best-effort,
# and the report must then list only those limits as not enforced.
#
# usage: tests/workloads.sh BUILD_DIR   (run from the repository root)
#        setpriv --reuid=65534 --regid=65534 --clear-groups sh tests/workloads.sh BUILD_DIR
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
use_build "${1:-}"
need_build
wl="$root/tests/workloads"
tmp=$(mktemp -d) || exit 1
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

uid=$(id -u)
home="$tmp/home"
mkdir -p "$home" "$tmp/cache" "$tmp/tmp"
cp "$wl/git/gitconfig" "$home/.gitconfig"
# The environment of every run, with and without cordon: nothing of the
# caller's (root's PATH may start with pyenv shims, a user's HOME is real).
runenv() { # TMPDIR CMD...
	t=$1
	shift
	env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 TMPDIR="$t" \
		XDG_CACHE_HOME="$tmp/cache" CORDON_PATH="$root/stdlib-policies" "$@"
}

# ---- what this machine and user need -----------------------------------
# shellcheck source=tests/need.sh
. "$root/tests/need.sh"

# Can a policy run strictly here?  Every profile needs Landlock ABI 6 for
# full enforcement, `agent` also a cgroup for its limits.
printf 'use base;\nallow exec /usr/bin/true;\n' >"$tmp/probe-base.cordon"
printf 'use agent;\nallow exec /usr/bin/true;\n' >"$tmp/probe-agent.cordon"
base_mode="" agent_mode=""
if ! runenv "$tmp/tmp" "$cordon" run -p "$tmp/probe-base.cordon" -- /usr/bin/true >"$tmp/out" 2>&1; then
	base_mode="--best-effort" agent_mode="--best-effort"
	echo "# this kernel cannot enforce a whole policy (every run uses --best-effort):"
	sed 's/^/#   /' "$tmp/out"
elif ! runenv "$tmp/tmp" "$cordon" run -p "$tmp/probe-agent.cordon" -- /usr/bin/true >"$tmp/out" 2>&1; then
	if grep -q cgroup "$tmp/out"; then
		agent_mode="--best-effort"
		echo "# uid $uid cannot have a cgroup here: the runs under agent use --best-effort"
		echo "# (its memory and pids limits become rlimits; the report must say so and nothing else)"
	else
		fail "a policy using agent can run here" "$tmp/out"
	fi
fi

# The report of the last sandboxed run, checked: a normal exit, Landlock in
# full unless the kernel cannot, and nothing left out but the limits
# best-effort turned into rlimits.
report_ok() { # MODE
	if [ ! -x /usr/bin/python3 ]; then
		grep -q '"exit_code":0,' "$tmp/report" && grep -q '"reason":"exited"' "$tmp/report"
		return
	fi
	/usr/bin/python3 - "$tmp/report" "$1" "$base_mode" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
mode, base_mode = sys.argv[2], sys.argv[3]
ok = r["exit_code"] == 0 and r["reason"] == "exited"
if not base_mode:
    limits = tuple(f"limit {k} (" for k in ("memory", "pids", "cpu", "cputime"))
    ok = ok and r["enforced"]["landlock"] == "full" and \
        all(x.startswith(limits) for x in r["not_enforced"]) and \
        (mode == "--best-effort" or not r["not_enforced"])
sys.exit(0 if ok else 1)
EOF
}

# stderr of a sandboxed run, less cordon's one note on profile paths that
# do not exist on this machine (shown as a TAP comment)
stderr_clean() {
	grep 'do\(es\)\{0,1\} not exist and w' "$tmp/err" | sed 's/^/# /'
	! grep -v '^cordon: warning: [0-9]* allowed paths\{0,1\} do\(es\)\{0,1\} not exist and w.* skipped: ' \
		"$tmp/err" | grep -q .
}

# workload NAME DESCRIPTION CMD...: the control, then each policy
workload() {
	name=$1 desc=$2
	shift 2
	d="$wl/$name"
	# control: the workload works, and its check accepts it
	w="$tmp/$name.control"
	cp -R "$d/ws" "$w" && mkdir "$tmp/$name.control-tmp"
	(cd "$w" && runenv "$tmp/$name.control-tmp" timeout 600 "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 0 ] && sh "$d/check" "$w" "$tmp/out" control >"$tmp/why" 2>&1; then
		pass "$name: control: $desc, without cordon"
	else
		{ echo "exit $rc"; cat "$tmp/why" "$tmp/err"; } >"$tmp/show"
		fail "$name: control: $desc, without cordon" "$tmp/show"
	fi
	# and the check can fail: it rejects a workspace the task never touched
	w="$tmp/$name.untouched"
	cp -R "$d/ws" "$w" && : >"$tmp/empty"
	if sh "$d/check" "$w" "$tmp/empty" sandbox >/dev/null 2>&1; then
		fail "$name: the check rejects a workspace the task never touched"
	else
		pass "$name: the check rejects a workspace the task never touched"
	fi
	for pol in policy agent; do
		w="$tmp/$name.$pol"
		cp -R "$d/ws" "$w"
		mode=$base_mode
		[ "$pol" = agent ] && mode=$agent_mode
		uses=$(sed -n 's/^use \([a-z]*\);.*/\1/p' "$d/$pol.cordon" | tr '\n' ' ' | sed 's/ $//; s/ /, /g')
		label="$name: under $uses"
		[ "$pol" = policy ] && label="$label (the narrowest: $name/policy.cordon)"
		[ -n "$mode" ] && label="$label, $mode"
		rm -f "$tmp/report"
		# shellcheck disable=SC2086 # $mode is empty or one option
		(cd "$w" && runenv "$tmp/tmp" timeout 600 "$cordon" run $mode -p "$d/$pol.cordon" \
			--report "$tmp/report" --workspace "$w" -- "$@") >"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
		if [ "$rc" = 0 ] && sh "$d/check" "$w" "$tmp/out" sandbox >"$tmp/why" 2>&1; then
			pass "$label: $desc"
		else
			{ echo "exit $rc"; cat "$tmp/why"; echo "stderr:"; cat "$tmp/err"; } >"$tmp/show"
			fail "$label: $desc" "$tmp/show"
		fi
		if report_ok "$mode"; then
			pass "$label: the report says exited 0, enforced as expected"
		else
			fail "$label: the report says exited 0, enforced as expected" "$tmp/report"
		fi
		if stderr_clean; then
			pass "$label: nothing on stderr (no denial shrugged off)"
		else
			fail "$label: nothing on stderr (no denial shrugged off)" "$tmp/err"
		fi
		if [ -z "$(ls -A "$tmp/tmp")" ]; then
			pass "$label: its private temporary directory is removed"
		else
			ls -lA "$tmp/tmp" >"$tmp/show"
			fail "$label: its private temporary directory is removed" "$tmp/show"
			rm -rf "${tmp:?}/tmp" && mkdir "$tmp/tmp"
		fi
	done
}

skip_workload() { # NAME REASON
	skip "$1: control and runs under its policies" "$2"
}

# ---- the workloads -------------------------------------------------------
py=/usr/bin/python3
if need "Python 3" python3 "$py" -c 'import json, multiprocessing'; then
	workload python "task.py reads data/, writes out/ and \$TMPDIR; json, threading, multiprocessing, subprocess" \
		"$py" task.py
	if need "pytest" python3-pytest "$py" -c 'import pytest'; then
		workload pytest "pytest runs test_inventory.py: 8 passed" \
			"$py" -m pytest -p no:cacheprovider -q
	else
		skip_workload pytest "$missing"
	fi
else
	skip_workload python "$missing"
	skip_workload pytest "$missing"
fi

workload shell "pipeline.sh: find, xargs, grep, sed, sort, uniq, awk, bash, mktemp" \
	/bin/sh pipeline.sh

if need "gcc" "gcc libc6-dev" sh -c 'command -v gcc && test -e /usr/include/stdio.h' &&
	need "make" make sh -c 'command -v make'; then
	workload cc "make check: gcc builds a calculator and its tests in build/, which pass" \
		/usr/bin/make -s check
else
	skip_workload cc "$missing"
fi

if need "git" git sh -c 'command -v git'; then
	workload git "commit.sh: git init, add, commit twice, log, with ~/.gitconfig's author" \
		/bin/sh commit.sh
else
	skip_workload git "$missing"
fi

if need "Node.js" nodejs /usr/bin/node -e 0; then
	workload node "report.js reads input/, writes out/ and os.tmpdir()" \
		/usr/bin/node report.js
else
	skip_workload node "$missing"
fi

# ---- agent in a repository that exists before the run ---------------------
# agent's `deny write ./.git/hooks ./.git/config ./.git/modules` inside the
# writable workspace is held by read-only bind mounts in the command's mount
# namespace (runtime/ns_layer.c), so the workspace root and .git keep
# their right to create entries: a new file at the root and git commit
# work, and the hooks stay out of reach.
if command -v git >/dev/null 2>&1; then
	w="$tmp/repo"
	cp -R "$wl/git/ws" "$w"
	(cd "$w" && runenv "$tmp/tmp" sh -c 'git init -q && git add . && git commit -q -m init') \
		>"$tmp/out" 2>&1
	printf 'use agent;\nuse shell;\n' >"$tmp/agent-shell.cordon"
	printf 'use agent;\nuse git;\nuse shell;\n' >"$tmp/agent-git.cordon"
	# shellcheck disable=SC2086
	(cd "$w" && runenv "$tmp/tmp" "$cordon" run $agent_mode -p "$tmp/agent-shell.cordon" --workspace "$w" -- \
		/bin/sh -c 'echo result >results.txt && mkdir build') >"$tmp/out" 2>&1
	if [ $? = 0 ] && [ -f "$w/results.txt" ] && [ -d "$w/build" ]; then
		pass "agent: in a git repository, a new file and directory at the workspace root"
	else
		fail "agent: in a git repository, a new file and directory at the workspace root" "$tmp/out"
	fi
	echo change >>"$w/README.md"
	# shellcheck disable=SC2086
	(cd "$w" && runenv "$tmp/tmp" "$cordon" run $agent_mode -p "$tmp/agent-git.cordon" --workspace "$w" -- \
		/bin/sh -c 'git commit -q -a -m change') >"$tmp/out" 2>&1
	if [ $? = 0 ] && [ "$(cd "$w" && git rev-list --count HEAD 2>/dev/null)" = 2 ]; then
		pass "agent, git: git commit in a repository that exists before the run"
	else
		fail "agent, git: git commit in a repository that exists before the run" "$tmp/out"
	fi
	# shellcheck disable=SC2086
	(cd "$w" && runenv "$tmp/tmp" "$cordon" run $agent_mode -p "$tmp/agent-shell.cordon" --workspace "$w" -- \
		/bin/sh -c 'echo evil >.git/hooks/pre-commit; mv .git .git-old; echo x >>.git/config') >"$tmp/out" 2>&1
	if [ ! -e "$w/.git/hooks/pre-commit" ] && [ -d "$w/.git" ] && [ ! -e "$w/.git-old" ] &&
		! grep -q '^x$' "$w/.git/config"; then
		pass "agent: ... while .git/hooks, .git/config and .git itself stay as they were"
	else
		fail "agent: ... while .git/hooks, .git/config and .git itself stay as they were" "$tmp/out"
	fi
fi

echo "1..$n"
[ $fails = 0 ]
