#!/bin/sh
# What `cordon run` enforces, as TAP: each action is tried with
# tests/sandbox_probe.c outside the sandbox (the control, which must succeed,
# so the test can fail) and inside it (which must be denied), and the side
# effects are checked, not only exit statuses: files, listeners' logs,
# processes.  Also every exit-status rule, the JSON report, `limit time`,
# Landlock ABI and limit gaps (strict vs best-effort), source policies and
# their cache, .cordon lookup, the workspace, closed fds and env scrubbing.
# Runs as root and as any user: everything lives under its own temp dir.
# usage: tests/run.sh BUILD_DIR   (run from the repository root)
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/lib.sh
. "$root/tests/lib.sh"
use_build "${1:-}"
need_build
with_tmp_and_probe

ws="$tmp/ws"
export HOME="$tmp/home"
export XDG_CACHE_HOME="$tmp/cache"
export CORDON_PATH="$root/stdlib-policies"
mkdir -p "$ws/data/public" "$ws/data/secret" "$ws/ro" "$ws/rw" "$tmp/outside" \
	"$HOME/notes" "$HOME/private" "$tmp/empty" "$tmp/proj/a/b"
echo public >"$ws/data/public/file"
echo secret >"$ws/data/secret/key"
echo original >"$ws/ro/file"
echo control >"$ws/ro/ctl"
echo outside >"$tmp/outside/secret"
echo notes >"$HOME/notes/n"
echo private >"$HOME/private/p"
cd "$ws" || exit 1

not_enforced_has() { # FILE TEXT
	jfield "$1" not_enforced | grep -q -- "$2"
}

# policy NAME: $tmp/NAME.cordon from standard input after a common head
# (base and the probe), compiled to $tmp/NAME.cpb
policy() {
	{ printf 'use base;\nallow exec "%s";\n' "$probe"; cat; } >"$tmp/$1.cordon"
	"$cordonc" -I "$root/stdlib-policies" -o "$tmp/$1.cpb" "$tmp/$1.cordon" >"$tmp/out" 2>&1 ||
		fail "compile the $1 policy" "$tmp/out"
}
box() { # POLICY PROBE-ARGS...: the probe inside cordon
	pol=$1
	shift
	"$cordon" run -p "$tmp/$pol.cpb" -- "$probe" "$@"
}
lines() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }
has_lines() { [ "$(lines "$1")" = "$2" ]; } # FILE N
still() { sleep 0.2; has_lines "$1" "$2"; } # FILE N: a moment later
gone() { ! kill -0 "$1" 2>/dev/null; }
# running PID NAME: PID has exec'd NAME.  A signal sent to `cmd &` before its
# exec lands in the forked shell, whose trap handler swallows it (seen in CI).
running() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

policy fs <<EOF
allow read ./data;
deny read ./data/secret;
allow read ./ro;
allow read,write ./rw;
allow read ~/notes;
EOF
policy basic <<EOF
allow read,write ./rw;
EOF

# ---- files -------------------------------------------------------------
expect 0 "control: read outside the allowed tree" "$probe" read "$tmp/outside/secret"
expect 1 "read outside the allowed tree is denied" box fs read "$tmp/outside/secret"
check "... with EACCES, and nothing was read" sh -c "grep -q EACCES '$tmp/out' && ! grep -q outside '$tmp/out'"
expect 0 "read inside the allowed tree" box fs read ./data/public/file
check "... and got the content" said "ok read: public"
expect 0 "control: read inside the deny read carve-out" "$probe" read ./data/secret/key
expect 1 "read inside the deny read carve-out is denied" box fs read ./data/secret/key
expect 0 "the carve-out's sibling directory is still listable" box fs list ./data/public
expect 0 "read under ~ (the invoking HOME) where allowed" box fs read "$HOME/notes/n"
expect 0 "control: read elsewhere under ~" "$probe" read "$HOME/private/p"
expect 1 "read elsewhere under ~ is denied" box fs read "$HOME/private/p"

expect 0 "control: write in the read-only tree" "$probe" write ./ro/ctl
expect 1 "write to a file of the read-only tree is denied" box fs write ./ro/file
check "... and the file is unchanged" sh -c "[ \"\$(cat ./ro/file)\" = original ]"
expect 0 "control: create in the read-only tree" "$probe" create ./ro/ctl-new
expect 1 "create in the read-only tree is denied" box fs create ./ro/new
check "... and no file appeared" test ! -e ./ro/new
expect 0 "control: unlink in the read-only tree" "$probe" unlink ./ro/ctl-new
expect 1 "unlink in the read-only tree is denied" box fs unlink ./ro/file
check "... and the file is still there" test -f ./ro/file
echo a >./rw/a
echo b >./rw/b
echo c >./rw/c
expect 0 "control: link into the read-only tree" "$probe" link ./rw/c ./ro/c-link
expect 0 "control: rename from the writable tree into the read-only one" "$probe" rename ./rw/c ./ro/c
rm -f ./ro/c ./ro/c-link
expect 1 "rename from the writable tree into the read-only one is denied" box fs rename ./rw/a ./ro/a
check "... and nothing moved" sh -c 'test -f ./rw/a && test ! -e ./ro/a'
expect 1 "link into the read-only tree is denied" box fs link ./rw/b ./ro/b
check "... and no link appeared" test ! -e ./ro/b
expect 0 "create in the writable tree" box fs create ./rw/new
expect 0 "write in the writable tree" box fs write ./rw/new
check "... and the content is there" grep -q 'written by sandbox_probe' ./rw/new
expect 0 "rename in the writable tree" box fs rename ./rw/new ./rw/new2
expect 0 "link in the writable tree" box fs link ./rw/new2 ./rw/new3
expect 0 "unlink in the writable tree" box fs unlink ./rw/new3
check "... and the files are as the probe left them" sh -c 'test -f ./rw/new2 && test ! -e ./rw/new && test ! -e ./rw/new3'

# ---- exec ----------------------------------------------------------------
expect 0 "control: exec /usr/bin/true" "$probe" exec /usr/bin/true
expect 1 "exec outside the exec paths is denied" box fs exec /usr/bin/true
check "... with EACCES" said EACCES
expect 126 "cordon run of a command outside the exec paths exits 126" \
	"$cordon" run -p "$tmp/fs.cpb" --report "$tmp/r126.json" -- /usr/bin/true
report_is "... and the report says error, 126" "$tmp/r126.json" reason='"error"' exit_code=126
cp "$probe" ./data/public/probe2
expect 0 "control: a copy of the probe where only read is allowed runs" ./data/public/probe2 exit 0
expect 126 "... and cordon refuses to exec it (126)" "$cordon" run -p "$tmp/fs.cpb" -- ./data/public/probe2 exit 0
expect 127 "a command that is not found exits 127" \
	"$cordon" run -p "$tmp/fs.cpb" --report "$tmp/r127.json" -- no-such-command-for-cordon
report_is "... and the report says error, 127" "$tmp/r127.json" reason='"error"' exit_code=127
expect 127 "a missing path exits 127" "$cordon" run -p "$tmp/fs.cpb" -- "$ws/no-such-file"
# docs/language.md: exec = "run programs (a script also needs read)"; every
# policy here grants the probe exec only
expect 0 "allow exec alone runs a static program, as language.md says" box basic exit 0

# ---- environment -----------------------------------------------------------
policy env <<EOF
allow env MY_OK;
set env GREETING=hello;
EOF
expect 0 "control: the secret is in the environment" env SECRET_TOKEN=s3cret "$probe" env SECRET_TOKEN
expect 1 "the secret is scrubbed" env SECRET_TOKEN=s3cret "$cordon" run -p "$tmp/env.cpb" -- "$probe" env SECRET_TOKEN
check "... and not printed" sh -c "! grep -q s3cret '$tmp/out'"
expect 0 "an allowed variable passes" env MY_OK=fine "$cordon" run -p "$tmp/env.cpb" -- "$probe" env MY_OK
check "... with its value" said "set MY_OK=fine"
expect 0 "a variable base allows passes" env LC_TESTING=yes "$cordon" run -p "$tmp/env.cpb" -- "$probe" env LC_TESTING
expect 0 "set env appears" env GREETING=outer "$cordon" run -p "$tmp/env.cpb" -- "$probe" env GREETING
check "... with the policy's value, over the inherited one" said "set GREETING=hello"

# ---- network ---------------------------------------------------------------
listen() { # KIND ADDR NAME: a listener outside the sandbox logging to $tmp/NAME.log
	"$probe" listen "$1" "$2" "$tmp/$3.log" "$tmp/$3.ready" >/dev/null 2>&1 &
	pids="$pids $!"
	wait_for test -s "$tmp/$3.ready" || fail "start the $1 listener $3"
}
listen tcp 0 tcp1
listen tcp 0 tcp2
listen udp 0 udp
listen unix "$tmp/outside/sock" unix
abstract="cordon-run-test-$$-$(id -u)"
listen abstract "$abstract" abstract
p1=$(cat "$tmp/tcp1.ready") p2=$(cat "$tmp/tcp2.ready") pu=$(cat "$tmp/udp.ready")
policy netnone <<EOF
net none;
EOF
policy nettcp <<EOF
net connect tcp $p1;
EOF
policy netunix <<EOF
net unix;
allow read,write ./rw;
EOF

expect 0 "control: TCP connect to a listener on 127.0.0.1" "$probe" tcp-connect "$p1"
check "... which recorded it" wait_for has_lines "$tmp/tcp1.log" 1
expect 1 "TCP connect under net none is denied" box netnone tcp-connect "$p1"
check "... socket() fails with EACCES" said EACCES
check "... and nothing arrived" still "$tmp/tcp1.log" 1
expect 0 "control: UDP send to a listener on 127.0.0.1" "$probe" udp-send "$pu"
check "... which received it" wait_for has_lines "$tmp/udp.log" 1
expect 1 "UDP send under net none is denied" box netnone udp-send "$pu"
check "... and nothing arrived" still "$tmp/udp.log" 1
expect 0 "net connect tcp PORT: connect to that port works" box nettcp tcp-connect "$p1"
check "... and the listener recorded it" wait_for has_lines "$tmp/tcp1.log" 2
expect 0 "control: TCP connect to another port" "$probe" tcp-connect "$p2"
check "... which recorded it" wait_for has_lines "$tmp/tcp2.log" 1
expect 1 "net connect tcp PORT: another port is denied" box nettcp tcp-connect "$p2"
check "... and nothing arrived" still "$tmp/tcp2.log" 1
expect 1 "net connect tcp PORT: UDP is still denied" box nettcp udp-send "$pu"
check "... and nothing arrived" still "$tmp/udp.log" 1
expect 0 "control: connect to a pathname unix socket outside the workspace" \
	"$probe" unix-connect "$tmp/outside/sock"
check "... which recorded it" wait_for has_lines "$tmp/unix.log" 1
expect 1 "connect to that unix socket under net none is denied" box netnone unix-connect "$tmp/outside/sock"
check "... and nothing arrived" still "$tmp/unix.log" 1
expect 0 "control: connect to an abstract unix socket" "$probe" abstract-connect "$abstract"
check "... which recorded it" wait_for has_lines "$tmp/abstract.log" 1
expect 1 "abstract unix socket under net none is denied" box netnone abstract-connect "$abstract"
expect 1 "abstract unix socket outside the sandbox under net unix is denied (scoping)" \
	"$cordon" run -p "$tmp/netunix.cpb" --best-effort --report "$tmp/rnu.json" -- \
	"$probe" abstract-connect "$abstract"
check "... with EPERM from Landlock" said EPERM
check "... and nothing arrived" still "$tmp/abstract.log" 1
kabi=$(jfield "$tmp/rnu.json" landlock_abi)
if [ "${kabi:-0}" -lt 9 ]; then
	check "net unix on ABI $kabi: the report lists pathname unix socket control as not enforced" \
		not_enforced_has "$tmp/rnu.json" "unix socket"
	expect 125 "net unix is refused when strict on ABI $kabi (needs 9)" box netunix socketpair
else
	skip "net unix is not fully enforced before ABI 9" "this kernel has ABI $kabi"
	expect 0 "net unix runs when strict on ABI $kabi" box netunix socketpair
fi
expect 0 "socketpair(AF_UNIX) works under net none" box netnone socketpair

# ---- processes -----------------------------------------------------------
sleep 30 &
s1=$!
pids="$pids $s1"
sleep 30 &
s2=$!
pids="$pids $s2"
wait_for running "$s1" sleep && wait_for running "$s2" sleep ||
	fail "start two sleep processes as signal targets"
expect 0 "control: signal a process outside" "$probe" kill "$s1" 15
wait "$s1" 2>/dev/null
check "... which died of it" test $? = 143
expect 1 "signalling a process outside the sandbox is denied" box basic kill "$s2" 15
check "... with EPERM" said EPERM
kill -9 "$s2"
wait "$s2" 2>/dev/null
check "... and it was still alive afterwards" test $? = 137
sleep 30 &
s3=$!
pids="$pids $s3"
wait_for running "$s3" sleep || fail "start a sleep process as a ptrace target"
expect 0 "control: ptrace a child" "$probe" ptrace child
expect 1 "ptrace of its own child is denied" box basic ptrace child
check "... with EPERM" said EPERM
if [ -r /proc/sys/kernel/yama/ptrace_scope ] && [ "$(cat /proc/sys/kernel/yama/ptrace_scope)" != 0 ]; then
	skip "control: ptrace a process outside" "Yama ptrace_scope is not 0"
else
	expect 0 "control: ptrace a process outside" "$probe" ptrace "$s3"
fi
expect 1 "ptrace of a process outside the sandbox is denied" box basic ptrace "$s3"
expect 0 "control: TIOCSTI reaches the kernel" "$probe" tiocsti
expect 1 "TIOCSTI is denied" box basic tiocsti
check "... with EPERM" said EPERM
expect 1 "TIOCSTI with high bits set in the command is denied too" box basic tiocsti hi
if "$probe" io-uring >"$tmp/out" 2>&1; then
	pass "control: io_uring_setup works"
else
	skip "control: io_uring_setup works" "io_uring is disabled here: $(cat "$tmp/out")"
fi
expect 1 "io_uring_setup is denied" box basic io-uring
check "... with EPERM" said EPERM
expect 0 "control: an x32 syscall number returns" "$probe" x32
expect 159 "an x32 syscall number kills the command with SIGSYS (128+31)" \
	"$cordon" run -p "$tmp/basic.cpb" --report "$tmp/rx32.json" -- "$probe" x32
report_is "... and the report says signaled, 31" "$tmp/rx32.json" \
	reason='"signaled"' signal=31 exit_code=159
expect 0 "control: the probe is not a session leader" sh -c "! '$probe' session"
expect 0 "the command runs in a new session" box basic session
expect 0 "control: fd 9 is inherited" "$probe" fd 9 9<"$ws/data/public/file"
expect 1 "inherited fds above 2 are closed in the sandbox" box basic fd 9 9<"$ws/data/public/file"
check "... EBADF" said EBADF
expect 0 "base lets the command read its own /proc/self/status" box basic read /proc/self/status
policy proc <<EOF
allow read /proc;
EOF
expect 0 "no_new_privs is set" box proc status NoNewPrivs
check "... to 1" said "ok status: 1$"
expect 0 "the seccomp filter is installed" box proc status Seccomp
check "... (mode 2)" said "ok status: 2$"
expect 0 "effective capabilities" box proc status CapEff
check "... are none" said "ok status: 0000000000000000$"
expect 0 "permitted capabilities" box proc status CapPrm
check "... are none" said "ok status: 0000000000000000$"

# ---- limit time ------------------------------------------------------------
policy time <<EOF
allow read,write ./rw;
limit time 1s;
EOF
expect 124 "control: timeout(1) leaves a setsid'd grandchild behind" \
	timeout 1 "$probe" sleep-tree 5 "$tmp/ctl.pid"
wait_for test -s "$tmp/ctl.pid"
gc=$(cat "$tmp/ctl.pid" 2>/dev/null)
check "... still alive" kill -0 "${gc:-0}"
[ -n "$gc" ] && kill -9 "$gc" 2>/dev/null
t0=$(now_ms)
expect 124 "limit time 1s exits 124" \
	"$cordon" run -p "$tmp/time.cpb" --report "$tmp/rtime.json" -- "$probe" sleep-tree 10 ./rw/tree.pid
dt=$(($(now_ms) - t0))
check "... in about 1 s (took $dt ms)" test "$dt" -ge 900 -a "$dt" -lt 3000
gc=$(cat ./rw/tree.pid 2>/dev/null)
check "... the grandchild started (pid ${gc:-none})" test -n "$gc"
check "... and is gone" gone "${gc:-0}"
report_is "... and the report says timeout, 124" "$tmp/rtime.json" reason='"timeout"' exit_code=124

# ---- exit statuses and the report -----------------------------------------
expect 0 "exit 0 is 0" "$cordon" run -p "$tmp/basic.cpb" --report "$tmp/r0.json" -- "$probe" exit 0
report_is "... report: exited, 0, no signal, the policy" "$tmp/r0.json" reason='"exited"' \
	exit_code=0 signal=null policy="\"$tmp/basic.cpb\""
check "... report: the fields are there" sh -c "for k in wall_ms user_ms sys_ms peak_memory_bytes disk_growth_bytes landlock_abi enforced mode not_enforced policy; do grep -q \"\\\"\$k\\\":\" '$tmp/r0.json' || exit 1; done"
report_is "... report: strict, full Landlock, seccomp" "$tmp/r0.json" mode='"strict"' \
	enforced.landlock='"full"' enforced.seccomp=true not_enforced='[]'
expect 3 "exit N is N" "$cordon" run -p "$tmp/basic.cpb" --report "$tmp/r3.json" -- "$probe" exit 3
report_is "... report: exited, 3" "$tmp/r3.json" reason='"exited"' exit_code=3
expect 143 "death by signal 15 is 143" "$cordon" run -p "$tmp/basic.cpb" --report "$tmp/r15.json" -- "$probe" signal 15
report_is "... report: signaled, 15" "$tmp/r15.json" reason='"signaled"' signal=15 exit_code=143
expect 137 "death by signal 9 is 137" box basic signal 9
"$cordon" run -p "$tmp/basic.cpb" --report - -- "$probe" exit 5 >/dev/null 2>"$tmp/err"
check "--report - writes the JSON line to standard error" sh -c "tail -n 1 '$tmp/err' >'$tmp/err.json' && grep -q '\"exit_code\":5' '$tmp/err.json'"
report_is "... and it parses" "$tmp/err.json" exit_code=5

size=$(wc -c <"$tmp/basic.cpb")
off=$((size / 2))
byte=$(od -An -tu1 -j"$off" -N1 "$tmp/basic.cpb" | tr -d ' ')
cp "$tmp/basic.cpb" "$tmp/corrupt.cpb"
printf '%b' "\\0$(printf %03o $((byte ^ 1)))" |
	dd of="$tmp/corrupt.cpb" bs=1 seek="$off" conv=notrunc 2>/dev/null
check "(one byte of corrupt.cpb is flipped)" sh -c "! cmp -s '$tmp/basic.cpb' '$tmp/corrupt.cpb'"
expect 125 "a corrupt compiled policy exits 125" \
	"$cordon" run -p "$tmp/corrupt.cpb" --report "$tmp/rbad.json" -- "$probe" create ./rw/m-corrupt
check "... without running the command" test ! -e ./rw/m-corrupt
report_is "... report: error, 125" "$tmp/rbad.json" reason='"error"' exit_code=125
check "... report: with the error" sh -c "jf=\$(cat '$tmp/rbad.json'); case \$jf in *'\"error\":\"'?*) ;; *) exit 1;; esac"
expect 125 "a missing policy exits 125" "$cordon" run -p "$tmp/nope.cpb" -- "$probe" create ./rw/m-missing
check "... without running the command" test ! -e ./rw/m-missing
expect 125 "an unknown option is a usage error (125)" \
	"$cordon" run --frobnicate -p "$tmp/basic.cpb" -- "$probe" create ./rw/m-usage
check "... without running the command" test ! -e ./rw/m-usage
expect 125 "no command is a usage error" "$cordon" run -p "$tmp/basic.cpb"
expect 125 "no subcommand is a usage error" "$cordon"
expect 125 "an unknown subcommand is a usage error" "$cordon" frobnicate
expect 125 "--best-effort with --strict is a usage error" \
	"$cordon" run --best-effort --strict -p "$tmp/basic.cpb" -- "$probe" exit 0
expect 125 "a bad --assume-landlock-abi is a usage error" \
	"$cordon" run --assume-landlock-abi x -p "$tmp/basic.cpb" -- "$probe" exit 0
found=""
d="$tmp/empty"
while :; do
	[ -e "$d/.cordon" ] && found="$d/.cordon"
	[ "$d" = / ] && break
	d=$(dirname "$d")
done
if [ -n "$found" ]; then
	skip "no -p and no .cordon anywhere exits 125" "$found exists"
else
	expect 125 "no -p and no .cordon anywhere exits 125" \
		sh -c "cd '$tmp/empty' && exec '$cordon' run -- '$probe' create '$ws/rw/m-nopolicy'"
	check "... without running the command" test ! -e ./rw/m-nopolicy
fi

# ---- Landlock ABI and limits: strict refuses, best-effort runs ------------
expect 125 "a policy needing ABI 6 on ABI 5 is refused when strict" \
	"$cordon" run --assume-landlock-abi 5 -p "$tmp/basic.cpb" -- "$probe" create ./rw/m-abi5
check "... without running the command" test ! -e ./rw/m-abi5
check "... and says signal scoping is missing" said "signal scoping"
expect 0 "... and runs with --best-effort" \
	"$cordon" run --best-effort --assume-landlock-abi 5 -p "$tmp/basic.cpb" \
	--report "$tmp/rabi5.json" -- "$probe" create ./rw/m-abi5
check "... the command ran" test -f ./rw/m-abi5
report_is "... report: best-effort, landlock partial, ABI 5" "$tmp/rabi5.json" \
	mode='"best-effort"' enforced.landlock='"partial"' landlock_abi=5
check "... report: not_enforced lists signal scoping" not_enforced_has "$tmp/rabi5.json" "signal scoping"
expect 1 "... and the filesystem rules still hold" \
	"$cordon" run --best-effort --assume-landlock-abi 5 -p "$tmp/fs.cpb" -- "$probe" read "$tmp/outside/secret"
expect 125 "with no Landlock at all (ABI 0) strict refuses" \
	"$cordon" run --assume-landlock-abi 0 -p "$tmp/basic.cpb" -- "$probe" create ./rw/m-abi0
check "... without running the command" test ! -e ./rw/m-abi0
expect 0 "... and --best-effort runs" \
	"$cordon" run --best-effort --assume-landlock-abi 0 -p "$tmp/basic.cpb" \
	--report "$tmp/rabi0.json" -- "$probe" create ./rw/m-abi0
check "... the command ran" test -f ./rw/m-abi0
report_is "... report: landlock none, ABI 0" "$tmp/rabi0.json" enforced.landlock='"none"' landlock_abi=0
policy besteffort <<EOF
allow read,write ./rw;
enforce best-effort;
EOF
expect 0 "enforce best-effort in the policy runs on ABI 5" \
	"$cordon" run --assume-landlock-abi 5 -p "$tmp/besteffort.cpb" -- "$probe" exit 0
expect 125 "... and --strict overrides it" \
	"$cordon" run --strict --assume-landlock-abi 5 -p "$tmp/besteffort.cpb" -- "$probe" create ./rw/m-strict
check "... without running the command" test ! -e ./rw/m-strict
# memory, pids, cpu and cputime need a cgroup (tests/cgroup.sh tests what
# they do).  Whether cordon gets one here is judged independently of it:
# root (or a user the own cgroup is delegated to) on v1, where leaves go under
# the own cgroup of each hierarchy; on pure v2 only in the root cgroup, since
# anywhere else this shell shares its cgroup with cordon, and v2 gives no
# controllers to the children of a cgroup that holds processes.
cg_expected() {
	if grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts; then
		own=$(sed -n 's/^0:://p' /proc/self/cgroup)
		[ "$own" = / ] && [ -w /sys/fs/cgroup/cgroup.subtree_control ]
		return
	fi
	for c in memory pids cpu cpuacct; do
		m=$(awk -v c=$c '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $2; exit } }' /proc/mounts)
		p=$(awk -F: -v c=$c '{ n = split($2, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $3; exit } }' /proc/self/cgroup)
		[ -n "$m" ] && [ -n "$p" ] && [ -w "$m$p" ] || return 1
	done
}
if cg_expected; then cgx=yes; else cgx=""; fi
for lim in "memory 64M" "pids 32" "cpu 0.5" "cputime 10s"; do
	kind=${lim% *}
	policy "limit-$kind" <<EOF
allow read,write ./rw;
limit $lim;
EOF
	if [ -n "$cgx" ]; then
		expect 0 "limit $kind runs when strict, enforced with a cgroup" \
			"$cordon" run -p "$tmp/limit-$kind.cpb" --report "$tmp/rlim.json" -- \
			"$probe" create "./rw/m-$kind"
		check "... the command ran" test -f "./rw/m-$kind"
		check "... report: enforced.cgroup is v1 or v2" \
			sh -c "grep -q '\"enforced\":{[^}]*\"cgroup\":\"v[12]\"' '$tmp/rlim.json'"
		check "... report: not_enforced does not list limit $kind" \
			sh -c "! grep -q 'not_enforced\":\[[^]]*limit $kind' '$tmp/rlim.json'"
		continue
	fi
	expect 125 "limit $kind without a cgroup is refused when strict" \
		"$cordon" run -p "$tmp/limit-$kind.cpb" -- "$probe" create "./rw/m-$kind"
	check "... without running the command" test ! -e "./rw/m-$kind"
	check "... and says why" said "limit $kind"
	check "... and what works here instead (--best-effort; tests/usability.sh checks the rest)" \
		said "Run with --best-effort"
	expect 0 "... and runs with --best-effort" \
		"$cordon" run --best-effort -p "$tmp/limit-$kind.cpb" --report "$tmp/rlim.json" -- \
		"$probe" create "./rw/m-$kind"
	check "... the command ran" test -f "./rw/m-$kind"
	report_is "... report: enforced.cgroup rlimit" "$tmp/rlim.json" enforced.cgroup='"rlimit"'
	# RLIMIT_CPU holds a cputime limit per process; nothing holds the others
	[ "$kind" = cputime ] ||
		check "... report: not_enforced lists limit $kind" not_enforced_has "$tmp/rlim.json" "limit $kind"
done

# ---- source policies, the cache, .cordon, the workspace --------------------
mkdir -p "$tmp/bin" "$tmp/profiles" "$tmp/early"
cp "$cordon" "$tmp/bin/cordon"
# a cordonc beside this copy of cordon that logs each compile
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$tmp/cordonc.log" "$cordonc" >"$tmp/bin/cordonc"
chmod +x "$tmp/bin/cordonc"
printf 'allow read ./data/public;\n' >"$tmp/profiles/team.cordon"
printf 'use base;\nuse team;\nallow exec "%s";\n' "$probe" >"$tmp/src.cordon"
export CORDON_PATH="$tmp/early:$root/stdlib-policies:$tmp/profiles"
expect 0 "a source policy is compiled on the fly" \
	"$tmp/bin/cordon" run -p "$tmp/src.cordon" --workspace "$ws" -- "$probe" read ./data/public/file
check "... by cordonc, once" has_lines "$tmp/cordonc.log" 1
check "... into the cache (XDG_CACHE_HOME/cordon/*.cpb)" sh -c "ls '$XDG_CACHE_HOME'/cordon/*.cpb >/dev/null 2>&1"
expect 1 "... and enforced" "$tmp/bin/cordon" run -p "$tmp/src.cordon" --workspace "$ws" -- "$probe" read ./ro/file
check "the second run uses the cache (no compile)" has_lines "$tmp/cordonc.log" 1
printf 'allow read ./data/public ./ro;\n' >"$tmp/profiles/team.cordon"
expect 0 "a change to a used profile takes effect" \
	"$tmp/bin/cordon" run -p "$tmp/src.cordon" --workspace "$ws" -- "$probe" read ./ro/file
check "... through a new compile" has_lines "$tmp/cordonc.log" 2
printf 'allow read ./data/public;\n' >"$tmp/early/team.cordon"
expect 1 "a profile that appears earlier on the search path takes over" \
	"$tmp/bin/cordon" run -p "$tmp/src.cordon" --workspace "$ws" -- "$probe" read ./ro/file
check "... through a new compile" has_lines "$tmp/cordonc.log" 3
rm "$tmp/early/team.cordon"
expect 0 "cordon finds cordonc beside itself in the build dir" \
	"$cordon" run -p "$tmp/src.cordon" --workspace "$ws" -- "$probe" read ./ro/file
printf 'use base;\nallow reed ./x;\n' >"$tmp/broken.cordon"
expect 125 "a source policy with errors exits 125" \
	"$cordon" run -p "$tmp/broken.cordon" -- "$probe" create ./rw/m-broken
check "... showing cordonc's diagnostics" said "did you mean"
check "... without running the command" test ! -e ./rw/m-broken
printf 'use base;\nallow exec "%s";\nallow read "%s";\n' "$probe" "$ws/data/public" >"$tmp/proj/.cordon"
expect 0 ".cordon is found in a parent directory" \
	sh -c "cd '$tmp/proj/a/b' && exec '$cordon' run -- '$probe' read '$ws/data/public/file'"
expect 1 "... and enforced" \
	sh -c "cd '$tmp/proj/a/b' && exec '$cordon' run -- '$probe' read '$ws/ro/file'"
expect 1 "relative policy paths resolve against the working directory when nothing is discovered" \
	sh -c "cd '$tmp/proj/a/b' && exec '$cordon' run --no-discover -p '$tmp/fs.cpb' -- '$probe' read '$ws/data/public/file'"
expect 0 "... and against --workspace DIR" \
	sh -c "cd '$tmp/proj/a/b' && exec '$cordon' run --no-discover -p '$tmp/fs.cpb' --workspace '$ws' -- '$probe' read '$ws/data/public/file'"
expect 1 "... deny carve-outs too" \
	sh -c "cd '$tmp/proj/a/b' && exec '$cordon' run --no-discover -p '$tmp/fs.cpb' --workspace '$ws' -- '$probe' read '$ws/data/secret/key'"

# the workspace is the repository of the discovered .cordon, whatever the
# subdirectory; the command runs where the caller is, --workspace or not
wr="$tmp/wsrepo"
mkdir -p "$wr/.git" "$wr/sub" "$tmp/wsother"
echo top >"$wr/top.txt"
printf 'use base;\nuse shell;\nallow exec "%s";\nallow read,write .;\n' "$probe" >"$wr/.cordon"
expect 0 "workspace: control: from a subdirectory the probe reads the repository's top" \
	sh -c "cd '$wr/sub' && exec '$probe' read ../top.txt"
expect 0 "workspace: from a subdirectory, it is the directory of the discovered .cordon" \
	sh -c "cd '$wr/sub' && exec '$cordon' run -- '$probe' read ../top.txt"
expect 1 "... and --workspace . makes it the subdirectory (the same read is denied)" \
	sh -c "cd '$wr/sub' && exec '$cordon' run --workspace . -- '$probe' read ../top.txt"
expect 0 "workspace: the command runs in the caller's working directory" \
	sh -c "cd '$wr/sub' && exec '$cordon' run -- sh -c pwd"
check "... ($wr/sub)" said "^$wr/sub\$"
expect 0 "... also with --workspace DIR" \
	sh -c "cd '$wr/sub' && exec '$cordon' run --workspace '$wr' -- sh -c pwd"
check "... which does not move it ($wr/sub)" said "^$wr/sub\$"
echo other >"$tmp/wsother/o.txt"
printf 'use base;\nallow exec "%s";\nallow read .;\n' "$probe" >"$tmp/wsother/p.cordon"
expect 0 "workspace: with -p SOURCE (nothing discovered), the policy's directory" \
	sh -c "cd '$tmp/empty' && exec '$cordon' run -p '$tmp/wsother/p.cordon' -- '$probe' read '$tmp/wsother/o.txt'"
expect 1 "... and --workspace DIR wins over it" \
	sh -c "cd '$tmp/wsother' && exec '$cordon' run -p '$tmp/wsother/p.cordon' --workspace '$tmp/empty' -- '$probe' read '$tmp/wsother/o.txt'"

# ---- the supervisor: forwarded signals, and dying with it ------------------
policy shell <<POLICY
allow read,exec /usr/bin /bin;
allow read,write ./rw;
POLICY
"$cordon" run -p "$tmp/shell.cpb" -- sh -c 'trap "exit 42" TERM; echo $$ >./rw/fwd.pid; sleep 30 & wait' \
	>"$tmp/out" 2>&1 &
sup=$!
pids="$pids $sup"
wait_for test -s ./rw/fwd.pid
kill -TERM "$sup"
wait "$sup"
got=$?
if [ "$got" = 42 ]; then
	pass "SIGTERM to cordon is forwarded: the command's handler ran (exit 42)"
else
	fail "SIGTERM to cordon is forwarded: the command's handler ran (exit $got, wanted 42)" "$tmp/out"
fi
"$cordon" run -p "$tmp/shell.cpb" -- sh -c 'echo $$ >./rw/orphan.pid; exec sleep 30' \
	>"$tmp/out" 2>&1 &
sup=$!
pids="$pids $sup"
wait_for test -s ./rw/orphan.pid
child=$(cat ./rw/orphan.pid)
check "control: the command runs under cordon" kill -0 "$child"
kill -KILL "$sup"
wait "$sup" 2>/dev/null
if wait_for gone "$child"; then
	pass "killing cordon with SIGKILL kills the command (parent-death signal)"
else
	fail "killing cordon with SIGKILL kills the command (parent-death signal)"
	kill -9 "$child" 2>/dev/null
fi

# ---- the policy cache is out of the sandbox's reach ------------------------
# A policy that may write all of ~ (where the cache lives by default) must
# not be able to plant the next run's policy.
mkdir -p "$tmp/cachehome/work"
printf 'use base;\nallow exec "%s";\nallow read,write ~;\n' "$probe" >"$tmp/homewrite.cordon"
expect 0 "control: the policy lets the sandbox write under ~" \
	env HOME="$tmp/cachehome" XDG_CACHE_HOME= "$cordon" run -p "$tmp/homewrite.cordon" -- \
	"$probe" create "$tmp/cachehome/work/notes.txt"
entry=$(find "$tmp/cachehome/.cache/cordon" -name '*.cpb' 2>/dev/null | head -n 1)
check "the compiled policy is cached in ~/.cache/cordon" test -n "$entry"
if [ -n "$entry" ]; then
	cp "$entry" "$tmp/entry.before"
	expect 1 "the sandbox cannot overwrite a cache entry" \
		env HOME="$tmp/cachehome" XDG_CACHE_HOME= "$cordon" run -p "$tmp/homewrite.cordon" -- \
		"$probe" write "$entry"
	check "... which is unchanged" cmp -s "$entry" "$tmp/entry.before"
	expect 1 "... nor plant a new one" \
		env HOME="$tmp/cachehome" XDG_CACHE_HOME= "$cordon" run -p "$tmp/homewrite.cordon" -- \
		"$probe" create "$tmp/cachehome/.cache/cordon/planted.cpb"
	expect 1 "... nor move the cache directory away" \
		env HOME="$tmp/cachehome" XDG_CACHE_HOME= "$cordon" run -p "$tmp/homewrite.cordon" -- \
		"$probe" rename "$tmp/cachehome/.cache/cordon" "$tmp/cachehome/.cache/old"
fi

# (deny write inside a writable tree, read-only mounts, and the missing
# `deny write DIR/`: tests/ns_layer.sh)
# cordon inside cordon: no mount namespace (the outer filter refuses it)
# and no seccomp listener (the outer filter has it)
g="$tmp/guard"
mkdir -p "$g/keep" "$g/sub/keep2"
echo original >"$g/keep/file"
policy guard <<EOF
allow read,write "$g";
deny write "$g/keep" "$g/sub/keep2";
EOF
# (the sanitizer build's leak check at exit needs ptrace, which the outer
# cordon refuses: off for the inner one)
printf 'use base;\nallow read,exec "%s" "%s";\nallow read "%s" /proc/sys;\nallow env ASAN_OPTIONS;\n' \
	"$b" "$probe" "$tmp" >"$tmp/outer.cordon"
nolsan="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# (the inner cordon can have no seccomp listener either: the outer one's
# filter has it; so the metadata calls cannot be checked, and strict
# refuses: --best-effort runs it, and the report says what was not held)
expect 125 "without a mount namespace nor a seccomp listener (cordon in cordon), strict refuses" \
	env "$nolsan" "$cordon" run -p "$tmp/outer.cordon" -- "$cordon" run -p "$tmp/guard.cpb" -- \
	"$probe" create "$g/keep/y"
check "... saying what it cannot hold" said "cannot enforce all of the policy: chmod, chown, utimes and xattrs"
expect 1 "... best-effort runs it, and the deny still holds (Landlock's carve-out)" \
	env "$nolsan" "$cordon" run -p "$tmp/outer.cordon" -- "$cordon" run --best-effort --report - \
	-p "$tmp/guard.cpb" -- "$probe" create "$g/keep/y"
check "... the report lists the metadata calls as not enforced" \
	said '"not_enforced":\[[^]]*chmod, chown, utimes and xattrs of files outside the writable trees'
check "... and nothing was written" test ! -e "$g/keep/y"


# ---- ${TMPDIR} is private to the run ---------------------------------------
policy ptmp <<'EOF'
allow read,write ${TMPDIR};
EOF
mkdir -p "$tmp/shared"
echo other >"$tmp/shared/someone-elses"
expect 0 "\${TMPDIR}: the command sees its own TMPDIR" \
	env TMPDIR="$tmp/shared" "$cordon" run -p "$tmp/ptmp.cpb" -- "$probe" env TMPDIR
ptdir=$(sed -n 's/.*TMPDIR=//p' "$tmp/out" | head -n 1)
check "... a fresh cordon-PID-XXXXXX under the caller's TMPDIR ($ptdir)" \
	sh -c "case '$ptdir' in '$tmp/shared/cordon-'*) true ;; *) false ;; esac"
check "... removed after the run" test ! -e "${ptdir:-/nonexistent}"
expect 1 "... and the shared one is out of reach" \
	env TMPDIR="$tmp/shared" "$cordon" run -p "$tmp/ptmp.cpb" -- "$probe" read "$tmp/shared/someone-elses"

# ---- a deny cordon's own user cannot reach -------------------------------
policy unreach <<'EOF'
deny read /root/.cordon-test-unreachable/x;
EOF
expect 0 "a deny of a path this user cannot reach (under /root) is no error" \
	box unreach exit 0

# ---- limit disk: the writable filesystems' growth, polled -----------------
policy disk <<'EOF'
use shell;
allow exec /usr/bin/fallocate;
allow read,write ./rw;
limit disk 8M;
EOF
policy nodisk <<'EOF'
use shell;
allow exec /usr/bin/fallocate;
allow read,write ./rw;
EOF
dbox() { # POLICY CMD...: in the workspace, report in $tmp/d.json
	dp=$1
	shift
	rm -f "$tmp/d.json"
	"$cordon" run -p "$tmp/$dp.cpb" --report "$tmp/d.json" -- "$@"
}
fsize_of() { if [ -f "$1" ]; then wc -c <"$1" | tr -d ' '; else echo 0; fi; }
expect 0 "limit disk: control: sh writes 128 MiB without cordon" \
	sh -c 'head -c 134217728 /dev/zero >rw/fill'
rm -f rw/fill
expect 137 "limit disk 8M: the same writer is killed (exit 137)" \
	dbox disk sh -c 'head -c 134217728 /dev/zero >rw/fill'
sz=$(fsize_of rw/fill)
check "... well before it wrote 128 MiB ($sz bytes; at most 64 MiB)" test "$sz" -le 67108864
check "... report: reason disk" test "$(jfield "$tmp/d.json" reason)" = '"disk"'
grew=$(jfield "$tmp/d.json" disk_growth_bytes)
check "... report: disk_growth_bytes past 8 MiB ($grew)" \
	sh -c "[ '${grew:-0}' -gt 8388608 ] 2>/dev/null"
rm -f rw/fill
expect 0 "limit disk 8M: a command that writes 1 MiB runs to its end" \
	dbox disk sh -c 'head -c 1048576 /dev/zero >rw/small'
check "... report: reason exited, disk_growth_bytes a number" \
	sh -c "[ '$(jfield "$tmp/d.json" reason)' = '\"exited\"' ] &&
		[ '$(jfield "$tmp/d.json" disk_growth_bytes)' -ge 0 ] 2>/dev/null"
rm -f rw/small
expect 0 "without limit disk: disk_growth_bytes is null" dbox nodisk sh -c 'true'
check "... (report)" test "$(jfield "$tmp/d.json" disk_growth_bytes)" = null
if command -v fallocate >/dev/null 2>&1; then
	expect 0 "fallocate: control: under cordon without limit disk it takes 64 MiB" \
		dbox nodisk fallocate -l 64M rw/big
	rm -f rw/big
	expect 1 "limit disk: fallocate is refused (EOPNOTSUPP: space only by writing)" \
		dbox disk fallocate -l 64M rw/big
	check "... it says so" said "Operation not supported"
	check "... and took nothing" test "$(fsize_of rw/big)" = 0
	rm -f rw/big
fi

# ---- a denied file with another name (hard link) ---------------------------
policy dlinks <<'EOF'
allow read ./rw;
deny read ~/private;
EOF
expect 0 "hard links: control: nothing denied has a second name, the run starts" \
	box dlinks list rw
ln "$HOME/private/p" "$ws/rw/p.bak"
expect 0 "hard links: control: the link reads the denied file without cordon" \
	"$probe" read "$ws/rw/p.bak"
expect 125 "a denied file with a second name: cordon refuses to run" \
	box dlinks read rw/p.bak
check "... naming the file and how to find its other names" \
	said "$HOME/private/p is denied to read but has 2 names.*-samefile"
check "... and the command did not run" not_said "^ok"
rm -f "$ws/rw/p.bak"
mkdir -p "$HOME/big"
i=0
while [ $i -lt 1100 ]; do : >"$HOME/big/f$i"; i=$((i + 1)); done
policy dbig <<'EOF'
deny read ~/big;
EOF
expect 0 "a denied tree of more than 1000 entries: the run starts" box dbig exit 0
check "... with a warning that it was not searched to the end" \
	said "warning: $HOME/big (denied to read) has more than 1000 entries"
rm -rf "$HOME/big"
policy dhome <<'EOF'
deny read ~/.ssh;
EOF
# HOME unset: ~ is the password database's home (tests/layers.sh tries
# the denies under it with a home of its own)
pwhome=$(getent passwd "$(id -u)" | cut -d: -f6)
if [ -n "$pwhome" ]; then
	expect 0 "HOME unset: a deny under ~ is one under the password database's home; the run starts" \
		env -u HOME "$cordon" run -p "$tmp/dhome.cpb" -- "$probe" exit 0
	policy ahome <<'EOF'
allow read ~/cordon-test-notes;
EOF
	expect 0 "HOME unset: an allow under ~ is one under the password database's home" \
		env -u HOME "$cordon" run -p "$tmp/ahome.cpb" -- "$probe" exit 0
	check "... ($pwhome)" said "does not exist and was skipped: $pwhome/cordon-test-notes"
else
	skip "HOME unset: ~ is the password database's home" "uid $(id -u) has no entry in it"
fi

echo "1..$n"
[ $fails = 0 ]
