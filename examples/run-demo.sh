#!/bin/sh
# run-demo.sh: show cordon stopping an "AI-generated" script from stealing
# secrets while it still does its job.
#
# usage: examples/run-demo.sh [BUILD_DIR]      (default build; from anywhere)
#
# The script is examples/ai-task/task.py: it totals data/sales.csv per region
# into out/report.json, and also tries to read ~/.ssh/id_rsa and
# ~/.aws/credentials, to take $OPENAI_API_KEY, and to send what it found to
# a listener on 127.0.0.1.  Everything it could steal is fake: HOME points at
# a made-up home in a temporary directory, the key is sk-fake-demo-key.
# It runs twice: first without cordon (the control: every attempt LEAKED),
# then under `cordon run` with examples/ai-task/.cordon (the task succeeds,
# every attempt is BLOCKED, the listener gets nothing), followed by cordon's
# JSON report.  The listener and the temporary directory are removed at the
# end.  Exit status: 0 when the sandboxed run behaved as described, 1 when
# it did not or BUILD_DIR/cordon is missing (the control still runs).
set -eu

cd "$(dirname "$0")/.."
root=$PWD
B=${1:-build}
case $B in /*) ;; *) B=$root/$B ;; esac
CORDON=$B/cordon
PY=/usr/bin/python3 # the system Python the policy allows, not a pyenv shim
ws=examples/ai-task

die() {
	echo "run-demo.sh: $*" >&2
	exit 1
}
[ -x "$PY" ] || die "$PY is missing (apt-get install python3)"
[ -f "$ws/task.py" ] || die "$ws/task.py is missing"

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

echo "cordon demo: an AI-generated script that does its job, and then some"
echo
echo "  workspace   $ws: task.py, data/sales.csv, .cordon (its policy)"
echo "  fake HOME   $home (~/.ssh/id_rsa, ~/.aws/credentials)"
echo "  secret      OPENAI_API_KEY=$OPENAI_API_KEY"
echo "  listener    127.0.0.1:$port, standing in for the attacker's server"

# ---- 1. the control ------------------------------------------------------
heading "1. Without cordon: cd $ws && $PY task.py $port"
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

# ---- 2. the same script under cordon --------------------------------------
heading "2. The policy: $ws/.cordon"
grep -v '^#' "$ws/.cordon" | grep -v '^$' | indent

heading "3. With cordon: cd $ws && $CORDON run --report - -p .cordon --workspace . -- $PY task.py $port"
# use base; in the policy is found in stdlib-policies/.
CORDON_PATH=$root/stdlib-policies${CORDON_PATH:+:$CORDON_PATH}
export CORDON_PATH
rm -f "$ws/out/report.json"
if (cd "$ws" && HOME=$home "$CORDON" run --report - -p .cordon --workspace . -- "$PY" task.py "$port") \
	>"$tmp/sandboxed.out" 2>"$tmp/sandboxed.err"; then
	rc=0
else
	rc=$?
fi
indent "$tmp/sandboxed.out"
if grep -qv '^{' "$tmp/sandboxed.err"; then
	echo
	echo "    stderr:"
	grep -v '^{' "$tmp/sandboxed.err" | indent
fi
echo
echo "    exit status $rc"
heading "   What the listener received"
sleep 0.5 # time enough for the listener to write down a connection
show_received
heading "   $ws/out/report.json, written inside the sandbox"
if [ -f "$ws/out/report.json" ]; then
	indent "$ws/out/report.json"
else
	echo "    (missing)"
fi
heading "   cordon's report (--report -)"
grep '^{' "$tmp/sandboxed.err" | tail -n 1 >"$tmp/report.json" || :
if [ -s "$tmp/report.json" ] && "$PY" -m json.tool "$tmp/report.json" >"$tmp/report.pretty" 2>/dev/null; then
	indent "$tmp/report.pretty"
else
	echo "    (no JSON object on stderr)"
fi

# ---- verdict ---------------------------------------------------------------
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
check "the task succeeded under cordon (exit status 0)" [ "$rc" -eq 0 ]
check "it wrote out/report.json" [ -f "$ws/out/report.json" ]
check "nothing LEAKED ($leaked)" [ "$leaked" -eq 0 ]
check "all 4 attempts BLOCKED ($blocked)" [ "$blocked" -eq 4 ]
check "the listener received nothing ($received bytes)" [ "$received" -eq 0 ]
check "cordon wrote a JSON report" [ -s "$tmp/report.pretty" ]
exit "$fail"
