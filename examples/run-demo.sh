#!/bin/sh
# run-demo.sh: cordon on AI-generated code, in four parts, each with what it
# shows:
#
#  1-3. examples/ai-task: an "AI-generated" script does its job and also
#       tries to steal secrets.  task.py totals data/sales.csv per region
#       into out/report.json, and also tries to read ~/.ssh/id_rsa and
#       ~/.aws/credentials, to take $OPENAI_API_KEY, and to send what it
#       found to a listener on 127.0.0.1.  It runs first without cordon (the
#       control: every attempt LEAKED), then under `cordon run` with
#       examples/ai-task/.cordon (the task succeeds, every attempt is
#       BLOCKED, the listener gets nothing), followed by cordon's JSON
#       report.
#  4.   examples/repo-with-policy: a repository with a checked-in .cordon;
#       `cordon run -- python3 -m unittest` finds it by itself (no -p).
#  5.   examples/team: two projects whose .cordon include one team profile.
#  6.   examples/launcher/launch.py: an agent launcher runs model-written
#       commands under `cordon run --report` and prints why each ended.
#
# usage: examples/run-demo.sh [BUILD_DIR]      (default build; from anywhere)
#
# Everything it could steal is fake: HOME points at a made-up home in a
# temporary directory, the key is sk-fake-demo-key; the real home is never
# read or written (cordon caches compiled policies in the fake one).  The
# ai-task runs in a copy of examples/ai-task in that directory, so the
# checkout is never written and may belong to another user.  Limits need a
# cgroup: where cordon cannot have one (a user without a delegated cgroup),
# strict mode refuses the agent profile's limits (exit 125); the demo shows
# that refusal once and goes on with --best-effort.  The listener and the
# temporary directory are removed at the end.  Exit status: 0 when every
# part behaved as described, 1 when one did not or BUILD_DIR/cordon is
# missing (the control still runs).
set -eu

cd "$(dirname "$0")/.."
root=$PWD
B=${1:-build}
case $B in /*) ;; *) B=$root/$B ;; esac
CORDON=$B/cordon
PY=/usr/bin/python3 # the system Python the policy allows, not a pyenv shim
# Debian's programs first: `python3` in the policies is /usr/bin/python3.
PATH=/usr/bin:/bin${PATH:+:$PATH}
export PATH

die() {
	echo "run-demo.sh: $*" >&2
	exit 1
}
[ -x "$PY" ] || die "$PY is missing (apt-get install python3)"
[ -f examples/ai-task/task.py ] || die "examples/ai-task/task.py is missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cordon-demo.XXXXXX")
listener=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [ -n "$listener" ]; then
		kill "$listener" 2>/dev/null || :
		wait "$listener" 2>/dev/null || :
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ws=$tmp/ai-task
cp -R examples/ai-task "$ws"

heading() {
	printf '\n==== %s\n\n' "$*"
}
indent() {
	sed 's/^/    /' "$@"
}

# ---- the stage: a fake home with fake secrets, a key, a listener --------
home=$tmp/home
mkdir -p "$home/.ssh" "$home/.aws"
cat >"$home/.ssh/id_rsa" <<'EOF'
-----BEGIN OPENSSH PRIVATE KEY----- (FAKE KEY FOR THE CORDON DEMO)
ZmFrZS1kZW1vLWtleS1ub3QtYS1yZWFsLXNlY3JldA==
-----END OPENSSH PRIVATE KEY-----
EOF
cat >"$home/.aws/credentials" <<'EOF'
[default]
aws_access_key_id = AKIAFAKEDEMO00000000
aws_secret_access_key = fake/demo/secret/not/real/0000000000000
EOF
chmod 700 "$home/.ssh"
chmod 600 "$home/.ssh/id_rsa" "$home/.aws/credentials"
OPENAI_API_KEY=sk-fake-demo-key
export OPENAI_API_KEY

# The attacker's server: accepts connections on 127.0.0.1 and appends what
# each one sends to $tmp/received.
"$PY" -c '
import socket, sys
port_file, log = sys.argv[1], sys.argv[2]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen()
with open(port_file + ".new", "w") as f:
    f.write(str(srv.getsockname()[1]))
import os
os.rename(port_file + ".new", port_file)
while True:
    conn, addr = srv.accept()
    conn.settimeout(5)
    data = b""
    try:
        while chunk := conn.recv(4096):
            data += chunk
    except OSError:
        pass
    conn.close()
    with open(log, "ab") as f:
        f.write(b"[connection from %s:%d]\n" % (addr[0].encode(), addr[1]) + data)
' "$tmp/port" "$tmp/received" &
listener=$!
: >"$tmp/received"
i=0
while ! [ -s "$tmp/port" ]; do
	i=$((i + 1))
	[ "$i" -le 50 ] || die "the listener did not start"
	sleep 0.1
done
port=$(cat "$tmp/port")

show_received() {
	if [ -s "$tmp/received" ]; then
		indent "$tmp/received"
	else
		echo "    (nothing)"
	fi
}

echo "cordon demo: AI-generated code under cordon"
echo
echo "  1-3  an AI-generated script that does its job, and then some (examples/ai-task)"
echo "  4    a repository with its policy checked in (examples/repo-with-policy)"
echo "  5    one team profile, two projects (examples/team)"
echo "  6    an agent launcher: why each model-written command ended (examples/launcher)"
echo
echo "  workspace   $ws: a copy of examples/ai-task"
echo "              (task.py, data/sales.csv, .cordon: its policy)"
echo "  fake HOME   $home (~/.ssh/id_rsa, ~/.aws/credentials)"
echo "  secret      OPENAI_API_KEY=$OPENAI_API_KEY"
echo "  listener    127.0.0.1:$port, standing in for the attacker's server"

# ---- 1. the control ------------------------------------------------------
heading "1. Without cordon: cd ai-task && $PY task.py $port"
rm -f "$ws/out/report.json"
if (cd "$ws" && HOME=$home "$PY" task.py "$port") >"$tmp/control.out" 2>&1; then
	rc=0
else
	rc=$?
fi
indent "$tmp/control.out"
echo
echo "    exit status $rc"
heading "   What the listener received"
# Give the listener up to 2 s to write down the connection.
i=0
while ! [ -s "$tmp/received" ] && [ "$i" -lt 20 ]; do
	i=$((i + 1))
	sleep 0.1
done
show_received
: >"$tmp/received"

if ! [ -x "$CORDON" ]; then
	heading "2. With cordon: skipped"
	echo "$CORDON does not exist yet: build it (make) to see the sandboxed run."
	exit 1
fi

# ---- running under cordon ---------------------------------------------------
# Profiles (use base; use agent; ...) are found in stdlib-policies/.
CORDON_PATH=$root/stdlib-policies${CORDON_PATH:+:$CORDON_PATH}
export CORDON_PATH
# The fake home's, not the caller's: the user policy (a layer of every run,
# ~/.config/cordon/user.cordon) and the cache of compiled policies.
unset XDG_CONFIG_HOME XDG_CACHE_HOME

# sandboxed DIR ARG...: `cordon run [--best-effort] --report FILE ARG...` in
# DIR with the fake HOME; the output (stdout and stderr) goes to $tmp/out,
# the report to $tmp/run.json, the exit status to $rc.  When strict mode
# refuses the policy because this system cannot enforce all of it (exit
# 125: no cgroup for the limits, an old Landlock), it says why, once, and
# runs it again with --best-effort, which stays on for the rest of the demo.
BE=
sandboxed() {
	rm -f "$tmp/run.json"
	rc=0
	# shellcheck disable=SC2086 # $BE is empty or one word
	(cd "$1" && shift && HOME=$home "$CORDON" run $BE --report "$tmp/run.json" "$@") \
		>"$tmp/out" 2>&1 || rc=$?
	if [ "$rc" -eq 125 ] && [ -z "$BE" ] &&
		grep -q '"reason":"error".*cannot enforce' "$tmp/run.json" 2>/dev/null; then
		echo "    exit status 125: strict mode refuses the policy for $(id -un 2>/dev/null || id -u):"
		grep '^cordon: error:' "$tmp/out" | fold -s -w 72 | sed 's/ *$//' | indent
		echo
		echo "    So, here and from now on: cordon run --best-effort ..."
		echo
		BE=--best-effort
		sandboxed "$@"
	fi
}
# ended: how the last run ended, from its report: exit status, reason, mode
# and what was not enforced.
ended() {
	"$PY" - "$tmp/run.json" "$rc" <<'PYEOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        r = json.load(f)
except (OSError, ValueError):
    sys.exit(print(f"    exit status {sys.argv[2]} (no report)"))
line = f"    exit status {r['exit_code']} ({r['reason']}, {r['mode']}"
if r["not_enforced"]:
    line += "; not enforced: " + ", ".join(x.split(" (")[0] for x in r["not_enforced"])
print(line + ")")
PYEOF
}
# policy FILE: the policy without its comments
policy() {
	sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' "$1" | indent
}

# ---- 2, 3. the same script under cordon -------------------------------------
heading "2. The policy: examples/ai-task/.cordon"
policy "$ws/.cordon"

heading "3. With cordon: cd ai-task && cordon run --report FILE -p .cordon -- $PY task.py $port"
rm -f "$ws/out/report.json"
# (the workspace, what ./out means in the policy, is the policy's directory)
sandboxed "$ws" -p .cordon -- "$PY" task.py "$port"
rc3=$rc
cp "$tmp/out" "$tmp/sandboxed.out"
indent "$tmp/sandboxed.out"
echo
echo "    exit status $rc3"
heading "   What the listener received"
sleep 0.5 # time enough for the listener to write down a connection
show_received
heading "   ai-task/out/report.json, written inside the sandbox"
if [ -f "$ws/out/report.json" ]; then
	indent "$ws/out/report.json"
else
	echo "    (missing)"
fi
heading "   cordon's report (--report FILE)"
if [ -s "$tmp/run.json" ] && "$PY" -m json.tool "$tmp/run.json" >"$tmp/report.pretty" 2>/dev/null; then
	indent "$tmp/report.pretty"
else
	echo "    (no report)"
fi

# ---- 4. a repository that carries its policy --------------------------------
repo=examples/repo-with-policy
heading "4. A repository with its policy checked in: $repo"
echo "    .cordon:"
policy "$repo/.cordon"
echo
echo "    \$ cd $repo && cordon run -- python3 -m unittest     (no -p: it finds .cordon)"
echo
sandboxed "$repo" -- python3 -m unittest
rc4=$rc
indent "$tmp/out"
ended

# ---- 5. one team profile, two projects ---------------------------------------
team=examples/team
heading "5. One team profile, two projects: $team"
echo "    team.cordon:"
policy "$team/team.cordon"
for p in project-a project-b; do
	echo
	echo "    $p/.cordon:"
	policy "$team/$p/.cordon"
done
echo
echo "    \$ cd $team/project-a && cordon run -- python3 -m unittest"
sandboxed "$team/project-a" -- python3 -m unittest
rc5a=$rc
grep -v '^$' "$tmp/out" | tail -n 2 | indent
ended
echo
echo "    \$ cd $team/project-b && cordon run -- sh check.sh"
sandboxed "$team/project-b" -- sh check.sh
rc5b=$rc
indent "$tmp/out"
ended

# ---- 6. an agent launcher ------------------------------------------------------
heading "6. An agent launcher: $PY examples/launcher/launch.py"
echo "    examples/launcher/policy.cordon:"
policy examples/launcher/policy.cordon
echo
rc6=0
"$PY" examples/launcher/launch.py --cordon "$CORDON" >"$tmp/out" 2>&1 || rc6=$?
indent "$tmp/out"

# ---- verdict -----------------------------------------------------------------
heading "Verdict"
fail=0
check() { # check DESCRIPTION TEST...
	what=$1
	shift
	if "$@"; then
		echo "    ok    $what"
	else
		echo "    FAIL  $what"
		fail=1
	fi
}
blocked=$(grep -c '^BLOCKED:' "$tmp/sandboxed.out" || :)
leaked=$(grep -c '^LEAKED:' "$tmp/sandboxed.out" || :)
received=$(($(wc -c <"$tmp/received")))
check "ai-task: the task succeeded under cordon (exit status $rc3)" [ "$rc3" -eq 0 ]
check "ai-task: it wrote out/report.json" [ -f "$ws/out/report.json" ]
check "ai-task: nothing LEAKED ($leaked)" [ "$leaked" -eq 0 ]
check "ai-task: all 4 attempts BLOCKED ($blocked)" [ "$blocked" -eq 4 ]
check "ai-task: the listener received nothing ($received bytes)" [ "$received" -eq 0 ]
check "ai-task: cordon wrote a JSON report" [ -s "$tmp/report.pretty" ]
check "repo-with-policy: its tests passed under its own .cordon (exit status $rc4)" [ "$rc4" -eq 0 ]
check "team: project-a's tests passed (exit status $rc5a)" [ "$rc5a" -eq 0 ]
check "team: project-b's checks passed (exit status $rc5b)" [ "$rc5b" -eq 0 ]
check "launcher: the benign commands succeeded, the others were stopped (exit status $rc6)" [ "$rc6" -eq 0 ]
exit "$fail"
