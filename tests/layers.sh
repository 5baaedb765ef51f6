#!/bin/sh
# A run's policy layers, the repository's policy as untrusted input, and
# cordon's own writes, as TAP.  Each protection is tried for real, with the
# same action without it as a control (which must succeed, so that the test
# can fail):
#  - layers that only narrow: the user's policy (~/.config/cordon/user.cordon),
#    each -p, the discovered .cordon; a repository's `allow read ~; net all;
#    limit memory 64G;` under a user policy `use agent;` gets none of the
#    three; then, for each kind of rule (files, network, environment with
#    `set env`, system calls, limits, best-effort), two layers against the
#    same rule in a single layer;
#  - discovery of the repository's .cordon: refused as a symbolic link (to a
#    file holding a secret), a FIFO (no hang), owned by another uid,
#    group-writable, in a directory others can write; it stops at the
#    repository's root and at $HOME; cordonc runs with nothing of the
#    caller's environment, within 10 s, and is given --untrusted ROOT;
#  - cordon's own writes: a report planted as a symbolic link (or a hard
#    link) to a fake home's .bashrc, a symbolic link on the report's path or
#    $TMPDIR's inside the writable workspace, a cache entry replaced by a
#    link; `~` from the password database when HOME is unset (a fake one,
#    bound over /etc/passwd in a mount namespace of the test's own).
# Runs as root and as any user: everything lives under its own temp dir.
# usage: tests/layers.sh BUILD_DIR   (run from the repository root)
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/lib.sh
. "$root/tests/lib.sh"
use_build "${1:-}"
need_build
with_tmp_and_probe
uid=$(id -u)
export HOME="$tmp/home"
export XDG_CACHE_HOME="$tmp/cache"
export CORDON_PATH="$root/stdlib-policies"
unset XDG_CONFIG_HOME TMPDIR
mkdir -p "$HOME/.config/cordon" "$tmp/empty"
userpol="$HOME/.config/cordon/user.cordon"
echo "SECRET-home-$$" >"$HOME/secret.txt"
printf '# ~/.bashrc\nalias ll="ls -l"\n' >"$HOME/.bashrc"
cp "$HOME/.bashrc" "$tmp/bashrc.orig"

# head: what every test policy starts with (the probe, the shell, base)
head_rules() { printf 'use base;\nuse shell;\nallow read,exec "%s";\n' "$probe"; }
# repo NAME: $tmp/NAME, a repository (.git) whose .cordon is standard input
# after head_rules
repo() {
	mkdir -p "$tmp/$1/.git" "$tmp/$1/sub"
	{ head_rules; cat; } >"$tmp/$1/.cordon"
}
# layer NAME: $tmp/NAME.cordon from standard input after head_rules
layer() { { head_rules; cat; } >"$tmp/$1.cordon"; }
user_layer() { { head_rules; cat; } >"$userpol"; } # the user's policy from stdin
no_user_layer() { rm -f "$userpol"; }
bopts="" # --best-effort where strict cannot have a cgroup for the limits

# the limit of memory the command sees: its run's cgroup's (cordon-PID, v1
# or v2) or, without one, RLIMIT_AS; read by the shell itself (its own
# /proc/self)
memlimit='p= u=
while IFS=: read -r id ctl path; do
	case $path in */cordon-*) ;; *) continue ;; esac
	case ",$ctl," in *,memory,*) p=$path ;; ,,) u=$path ;; esac
done </proc/self/cgroup
if [ -n "$p" ] && read -r v <"/sys/fs/cgroup/memory$p/memory.limit_in_bytes"; then echo "memory $v"
elif [ -n "$u" ] && read -r v <"/sys/fs/cgroup$u/memory.max"; then echo "memory $v"
else while read -r a b c d e; do [ "$a $b $c" != "Max address space" ] || echo "memory $d"; done </proc/self/limits
fi'

listen() { # NAME: a TCP listener outside logging to $tmp/NAME.log; its port in $port
	"$probe" listen tcp 0 "$tmp/$1.log" "$tmp/$1.ready" >/dev/null 2>&1 &
	pids="$pids $!"
	wait_for test -s "$tmp/$1.ready" || fail "start the listener $1"
	port=$(cat "$tmp/$1.ready")
}
listen net1
p1=$port
listen net2
p2=$port
lines() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }
has_lines() { [ "$(lines "$1")" = "$2" ]; } # FILE N

# ---- the user's policy bounds the repository's ----------------------------
no_user_layer
repo hostile <<EOF
allow read,write .;
allow read /sys/fs/cgroup;
allow read ~;
net all;
limit memory 64G;
EOF
hostile="$tmp/hostile/sub"
in_dir "$hostile" "$cordon" run -- "$probe" exit 0 >"$tmp/out" 2>&1 </dev/null
got=$?
if [ "$got" = 125 ] && said "no cgroup of its own"; then
	bopts=--best-effort
	pass "strict refuses limit memory without a cgroup here (125): the runs with limits use --best-effort"
else
	expect 0 "the repository's policy runs strict" in_dir "$hostile" "$cordon" run -- "$probe" exit 0
fi
# shellcheck disable=SC2086
expect 0 "control: the repository's .cordon alone reads ~/secret.txt" \
	in_dir "$hostile" "$cordon" run $bopts -- "$probe" read "$HOME/secret.txt"
check "... and got it" said "SECRET-home"
# shellcheck disable=SC2086
expect 0 "control: ... connects out (net all)" in_dir "$hostile" "$cordon" run $bopts -- "$probe" tcp-connect "$p1"
check "... which arrived" wait_for has_lines "$tmp/net1.log" 1
# shellcheck disable=SC2086
expect 0 "control: ... and has 64 GiB of memory" in_dir "$hostile" "$cordon" run $bopts -- sh -c "$memlimit"
check "... (68719476736 bytes)" said "memory 68719476736"
user_layer <<EOF
use agent;
allow read /sys/fs/cgroup;
EOF
# shellcheck disable=SC2086
expect 1 "under the user policy 'use agent;', its 'allow read ~' does not reach ~/secret.txt" \
	in_dir "$hostile" "$cordon" run $bopts -- "$probe" read "$HOME/secret.txt"
check "... nothing was read" not_said "SECRET-home"
# shellcheck disable=SC2086
expect 1 "... its 'net all' does not connect out" \
	in_dir "$hostile" "$cordon" run $bopts -- "$probe" tcp-connect "$p1"
check "... nothing arrived" sh -c "sleep 0.2; [ \"\$(wc -l <'$tmp/net1.log')\" -eq 1 ]"
# shellcheck disable=SC2086
expect 0 "... and its 'limit memory 64G' is agent's 2G" \
	in_dir "$hostile" "$cordon" run $bopts -- sh -c "$memlimit"
check "... (2147483648 bytes)" said "memory 2147483648"
# shellcheck disable=SC2086
in_dir "$hostile" "$cordon" run $bopts --report "$tmp/rl.json" -- "$probe" exit 0 >"$tmp/out" 2>&1
report_is "the report lists the layers, outermost first, and the innermost as policy" "$tmp/rl.json" \
	policy="\"$tmp/hostile/.cordon\"" \
	layers="[{\"policy\":\"$userpol\",\"source\":\"user\"},{\"policy\":\"$tmp/hostile/.cordon\",\"source\":\"discovered\"}]"
no_user_layer

# ---- each kind of rule, in two layers and in one ---------------------------
# case DESC WANT_ONE WANT_TWO CMD...: the command under the inner layer
# alone ($tmp/inner.cordon: the control, WANT_ONE) and under it with the
# outer one before it ($tmp/outer.cordon, WANT_TWO); then $tmp/out is the
# two-layer run's output
mkdir -p "$tmp/tw/d" "$tmp/tw/e"
echo d >"$tmp/tw/d/f"
echo e >"$tmp/tw/e/f"
copts="" # more options for both runs
case_() {
	cdesc=$1 cone=$2 ctwo=$3
	shift 3
	# shellcheck disable=SC2086
	expect "$cone" "$cdesc: control: the inner layer alone" in_dir "$tmp/empty" "$cordon" run $copts \
		--no-discover -p "$tmp/inner.cordon" --workspace "$tmp/tw" -- "$@"
	cp "$tmp/out" "$tmp/out.one"
	# shellcheck disable=SC2086
	expect "$ctwo" "$cdesc: under both layers" in_dir "$tmp/empty" "$cordon" run $copts \
		--no-discover -p "$tmp/outer.cordon" -p "$tmp/inner.cordon" --workspace "$tmp/tw" -- "$@"
}
layer outer <<'EOF'
allow read ./d;
EOF
layer inner <<'EOF'
allow read ./d ./e;
EOF
case_ "files: the outer layer does not grant ./e" 0 1 "$probe" read "$tmp/tw/e/f"
case_ "files: ... both grant ./d" 0 0 "$probe" read "$tmp/tw/d/f"
layer outer <<'EOF'
allow read ./d ./e;
EOF
layer inner <<'EOF'
allow read ./d ./e;
deny read ./e;
EOF
case_ "files: the inner layer's deny holds under a wider outer one" 1 1 "$probe" read "$tmp/tw/e/f"
layer outer <<EOF
net connect tcp $p1;
EOF
layer inner <<EOF
net connect tcp $p1 $p2;
EOF
case_ "network: a port only the inner layer opens" 0 1 "$probe" tcp-connect "$p2"
case_ "network: ... a port both open" 0 0 "$probe" tcp-connect "$p1"
layer outer <<'EOF'
allow env LAYER_A;
EOF
layer inner <<'EOF'
allow env LAYER_A LAYER_B;
EOF
export LAYER_A=a LAYER_B=b
case_ "environment: a variable only the inner layer passes" 0 1 "$probe" env LAYER_B
case_ "environment: ... one both pass" 0 0 "$probe" env LAYER_A
layer outer <<'EOF'
set env LAYER_S=outer;
EOF
layer inner <<'EOF'
set env LAYER_S=inner;
set env LAYER_T=inner;
EOF
case_ "environment: set env of both layers" 0 0 "$probe" env LAYER_S
check "... the outer layer's value wins" said "set LAYER_S=outer"
check "... (the inner one alone sets its own)" grep -q "set LAYER_S=inner" "$tmp/out.one"
case_ "environment: a lower layer's set env of a name the outer layer drops" 0 1 "$probe" env LAYER_T
layer outer <<'EOF'
allow env LAYER_T;
EOF
case_ "environment: ... passes when the outer layer allows the name" 0 0 "$probe" env LAYER_T
check "... with the inner layer's value" said "set LAYER_T=inner"
unset LAYER_A LAYER_B
layer outer <<'EOF'
syscall deny socketpair;
EOF
layer inner <<'EOF'
allow read ./d;
EOF
case_ "system calls: the outer layer denies socketpair" 0 1 "$probe" socketpair
layer outer <<'EOF'
allow read ./d;
EOF
layer inner <<'EOF'
syscall deny socketpair;
EOF
case_ "system calls: ... or the inner one" 1 1 "$probe" socketpair
layer outer <<'EOF'
limit files 64;
EOF
layer inner <<'EOF'
limit files 512;
EOF
case_ "limits: limit files, the smallest of the layers" 0 0 sh -c 'ulimit -n'
check "... 64" said "^64\$"
check "... (the inner layer alone: 512)" grep -q "^512\$" "$tmp/out.one"
layer outer <<'EOF'
limit time 1s;
EOF
layer inner <<'EOF'
limit time 60s;
EOF
case_ "limits: limit time 1s in the outer layer stops a 3 s sleep" 0 124 sh -c 'sleep 3'
layer outer <<'EOF'
allow read ./d;
EOF
layer inner <<'EOF'
allow read ./d;
enforce best-effort;
EOF
# best-effort: the ABI 5 kernel cordon pretends to have lacks signal scoping
copts="--assume-landlock-abi 5"
case_ "best-effort: only the inner layer asks for it (ABI 5)" 0 125 "$probe" exit 0
copts=""
printf 'enforce best-effort;\n' >>"$tmp/outer.cordon"
expect 0 "best-effort: ... both layers ask for it" in_dir "$tmp/empty" "$cordon" run --no-discover \
	--assume-landlock-abi 5 -p "$tmp/outer.cordon" -p "$tmp/inner.cordon" -- "$probe" exit 0
layer outer <<'EOF'
allow read ./d;
EOF
expect 0 "best-effort: ... or --best-effort" in_dir "$tmp/empty" "$cordon" run --no-discover \
	--best-effort --assume-landlock-abi 5 -p "$tmp/outer.cordon" -p "$tmp/inner.cordon" -- "$probe" exit 0

# ---- the layers' sources ---------------------------------------------------
repo disc <<'EOF'
allow read ./sub;
EOF
echo top >"$tmp/disc/top.txt"
layer wide <<EOF
allow read "$tmp/disc";
EOF
expect 0 "control: -p alone reads the repository's top" \
	in_dir "$tmp/disc/sub" "$cordon" run --no-discover -p "$tmp/wide.cordon" -- "$probe" read "$tmp/disc/top.txt"
expect 1 "with -p, the .cordon discovered upward is a layer too" \
	in_dir "$tmp/disc/sub" "$cordon" run -p "$tmp/wide.cordon" -- "$probe" read "$tmp/disc/top.txt"
echo s >"$tmp/disc/sub/s.txt"
expect 0 "the discovered .cordon's directory is the workspace, also when -p gives it before another" \
	in_dir "$tmp/disc/sub" "$cordon" run -p "$tmp/disc/.cordon" -p "$tmp/wide.cordon" -- \
	"$probe" read "$tmp/disc/sub/s.txt"
expect 1 "... control: with --workspace elsewhere its ./sub is another directory" \
	in_dir "$tmp/disc/sub" "$cordon" run -p "$tmp/disc/.cordon" -p "$tmp/wide.cordon" \
	--workspace "$tmp" -- "$probe" read "$tmp/disc/sub/s.txt"
mkdir -p "$tmp/xdg/cordon"
cp "$tmp/disc/.cordon" "$tmp/xdg/cordon/user.cordon"
expect 1 "the user policy (\${XDG_CONFIG_HOME}/cordon/user.cordon) is a layer too" \
	in_dir "$tmp/empty" env XDG_CONFIG_HOME="$tmp/xdg" "$cordon" run -p "$tmp/wide.cordon" -- \
	"$probe" read "$tmp/disc/top.txt"
rm -rf "$tmp/xdg"
expect 125 "the user policy alone is no policy" \
	sh -c "cp '$tmp/wide.cordon' '$userpol' && cd '$tmp/empty' && exec '$cordon' run -- '$probe' exit 0"
check "... and says it only bounds the others" said "only bounds the others"
no_user_layer
set --
i=0
while [ $i -lt 9 ]; do set -- "$@" -p "$tmp/wide.cordon"; i=$((i + 1)); done
expect 125 "more than 8 layers are refused" in_dir "$tmp/empty" "$cordon" run "$@" -- "$probe" exit 0
check "... saying why" said "more than 8 policy layers"
set --

# ---- discovery: the repository's .cordon is untrusted --------------------
printf 'SECRET-file-%s: not a policy\n' "$$" >"$tmp/secret-file"
mkdir -p "$tmp/sl/.git"
ln -s "$tmp/secret-file" "$tmp/sl/.cordon"
expect 1 "control: cordonc quotes the first line of a file it is given as a policy" \
	"$cordonc" --check "$tmp/secret-file"
check "... the secret" said "SECRET-file"
expect 125 "a .cordon that is a symbolic link (to a file holding a secret) is refused" \
	in_dir "$tmp/sl" "$cordon" run -- "$probe" exit 0
check "... saying why and what to do" said "is a symbolic link.*pass that file with -p"
check "... without a byte of the secret" not_said "SECRET-file"
check "... and without running the command" not_said "^ok exit"

mkdir -p "$tmp/fifo/.git"
mkfifo "$tmp/fifo/.cordon"
expect 124 "control: opening the FIFO waits for a writer" timeout 2 cat "$tmp/fifo/.cordon"
expect 125 "a FIFO as .cordon is refused, without waiting (under timeout 60)" \
	in_dir "$tmp/fifo" timeout 60 "$cordon" run -- "$probe" exit 0
check "... as not a regular file" said "is not a regular file"
# the compile's wall clock: a cordonc that never ends (cordon runs the
# cordonc beside it), and one that tells what it was given
fake=$tmp/fakebin
mkdir -p "$fake"
cp "$cordon" "$fake/cordon"
printf '#!/bin/sh\nexec sleep 3600\n' >"$fake/cordonc"
chmod 755 "$fake/cordonc"
printf 'use base;\n' >"$tmp/slow.cordon"
expect 124 "control: that cordonc does not end by itself" timeout 2 "$fake/cordonc" --check "$tmp/slow.cordon"
expect 125 "cordon kills a compile that takes more than 10 s (under timeout 60)" \
	in_dir "$tmp/empty" timeout 60 "$fake/cordon" run -p "$tmp/slow.cordon" -- "$probe" exit 0
check "... and says so" said "within 10 s and was killed"
printf '#!/bin/sh\n{ env; echo "stdin: $(cat)"; } >&2\nexit 1\n' >"$fake/cordonc"
expect 1 "control: that cordonc shows the environment it is given" \
	env LAYERS_TOKEN="SECRET-env-$$" "$fake/cordonc" </dev/null
check "... the secret" said "SECRET-env"
printf 'stdin-SECRET-%s\n' $$ >"$tmp/stdin-secret"
expect 125 "under cordon, cordonc gets an empty environment and /dev/null as stdin" \
	in_dir "$tmp/empty" env LAYERS_TOKEN="SECRET-env-$$" "$fake/cordon" run -p "$tmp/slow.cordon" -- \
	"$probe" exit 0 <"$tmp/stdin-secret"
check "... no byte of the caller's environment reaches it" not_said "SECRET-env"
check "... nor of cordon's standard input" not_said "stdin-SECRET"

repo mine <<'EOF'
allow read ./sub;
EOF
expect 0 "control: a .cordon of its owner, mode 644, is used" in_dir "$tmp/mine/sub" "$cordon" run -- "$probe" exit 0
chmod g+w "$tmp/mine/.cordon"
expect 125 "a group-writable .cordon is refused" in_dir "$tmp/mine/sub" "$cordon" run -- "$probe" exit 0
check "... saying what to do" said "writable by others than its owner: .*chmod go-w"
chmod 644 "$tmp/mine/.cordon"
if [ "$uid" = 0 ]; then
	chown 65534 "$tmp/mine/.cordon"
	expect 125 "a .cordon owned by another uid (65534) is refused" \
		in_dir "$tmp/mine/sub" "$cordon" run -- "$probe" exit 0
	check "... naming the owner" said "is owned by uid 65534"
	chown 0 "$tmp/mine/.cordon"
else
	skip "a .cordon owned by another uid is refused" "only root can give a file away"
fi
chmod 777 "$tmp/mine"
expect 125 "a .cordon in a directory others can write is not used" \
	in_dir "$tmp/mine/sub" "$cordon" run -- "$probe" exit 0
check "... (no policy), saying where the search stopped" said "$tmp/mine is writable by others"
chmod 755 "$tmp/mine"
expect 0 "... control: back to 755, it is used" in_dir "$tmp/mine/sub" "$cordon" run -- "$probe" exit 0

# the search stops at the repository's root (and at $HOME): a .cordon above
# it is not the repository's
mkdir -p "$tmp/outer/inrepo/sub"
{ head_rules; echo 'allow read ./inrepo;'; } >"$tmp/outer/.cordon"
expect 0 "control: without .git in between, a parent's .cordon is found" \
	in_dir "$tmp/outer/inrepo/sub" "$cordon" run -- "$probe" exit 0
mkdir "$tmp/outer/inrepo/.git"
expect 125 "from a subdirectory of a repository, discovery stops at the repository's root" \
	in_dir "$tmp/outer/inrepo/sub" "$cordon" run -- "$probe" exit 0
check "... (no policy)" said "no policy"
mkdir -p "$tmp/hh/home/proj"
{ head_rules; echo 'allow read ./home;'; } >"$tmp/hh/.cordon"
expect 0 "control: with HOME elsewhere, a .cordon above the directory is found" \
	in_dir "$tmp/hh/home/proj" "$cordon" run -- "$probe" exit 0
expect 125 "discovery stops at \$HOME" \
	in_dir "$tmp/hh/home/proj" env HOME="$tmp/hh/home" "$cordon" run -- "$probe" exit 0
cp "$tmp/hh/.cordon" "$tmp/hh/home/.cordon"
expect 0 "... which it looks in" \
	in_dir "$tmp/hh/home/proj" env HOME="$tmp/hh/home" "$cordon" run -- "$probe" exit 0

# the caller's environment never reaches a diagnostic: cordonc does not
# read /proc files at all, and under cordon it has none of the caller's
mkdir -p "$tmp/envr/.git"
printf 'use base;\nallow exec "%s";\ninclude "/proc/self/environ";\n' "$probe" >"$tmp/envr/.cordon"
expect 125 "a repository .cordon that includes /proc/self/environ is refused" \
	in_dir "$tmp/envr" env LAYERS_TOKEN="SECRET-env-$$" "$cordon" run -- "$probe" exit 0
check "... and no byte of the caller's environment is on stdout or stderr" not_said "SECRET-env"
expect 125 "... also with -p" \
	in_dir "$tmp/empty" env LAYERS_TOKEN="SECRET-env-$$" "$cordon" run -p "$tmp/envr/.cordon" -- "$probe" exit 0
check "... the same" not_said "SECRET-env"
check "... (no byte of it)" not_said "SECRET-env"

# --untrusted ROOT: a discovered .cordon may include only beneath its
# repository's root (cordonc's side: the compiler's branch)
mkdir -p "$tmp/untr/repo/.git"
printf 'allow read /etc;\n' >"$tmp/untr/outside.cordon"
printf 'use base;\nallow read,exec "%s";\ninclude "../outside.cordon";\n' "$probe" >"$tmp/untr/repo/.cordon"
expect 0 "control: with -p, a policy may include a file outside its directory" \
	in_dir "$tmp/empty" "$cordon" run -p "$tmp/untr/repo/.cordon" -- "$probe" exit 0
expect 125 "a discovered .cordon's include outside the repository is refused (cordonc --untrusted)" \
	in_dir "$tmp/untr/repo" "$cordon" run -- "$probe" exit 0
check "... and the message says it is outside the repository" said "is outside the repository"
check "... without a word of the file outside" not_said "allow read /etc"


# ---- the report: never written through a link ------------------------------
ws="$tmp/rws"
mkdir -p "$ws"
layer rw <<'EOF'
allow read,write .;
EOF
ln -s "$HOME/.bashrc" "$ws/report.json"
expect 0 "control: a write to the planted report.json lands in ~/.bashrc" sh -c "echo x >'$ws/report.json'"
check "... (it did)" sh -c "! cmp -s '$HOME/.bashrc' '$tmp/bashrc.orig'"
cp "$tmp/bashrc.orig" "$HOME/.bashrc"
expect 125 "--report naming a symbolic link (planted by an earlier run) is refused" \
	in_dir "$ws" "$cordon" run -p "$tmp/rw.cordon" --workspace "$ws" --report "$ws/report.json" -- "$probe" create "$ws/ran"
check "... before the command runs" test ! -e "$ws/ran"
check "... saying why" said "report.json is a symbolic link"
check "... and ~/.bashrc is unchanged" cmp -s "$HOME/.bashrc" "$tmp/bashrc.orig"
rm -f "$ws/report.json"
ln "$HOME/.bashrc" "$ws/report.json" 2>/dev/null
expect 0 "a report.json hard-linked to ~/.bashrc: the run goes on" \
	in_dir "$ws" "$cordon" run -p "$tmp/rw.cordon" --workspace "$ws" --report "$ws/report.json" -- "$probe" exit 0
check "... ~/.bashrc is unchanged" cmp -s "$HOME/.bashrc" "$tmp/bashrc.orig"
check "... and report.json is the report" grep -q '"exit_code":0' "$ws/report.json"
rm -f "$ws/report.json"
expect 0 "the command plants report.json as a link to ~/.bashrc during the run" \
	in_dir "$ws" "$cordon" run -p "$tmp/rw.cordon" --workspace "$ws" --report "$ws/report.json" -- \
	sh -c "ln -s '$HOME/.bashrc' '$ws/report.json'"
check "... the report replaced the link, not ~/.bashrc" sh -c "
	cmp -s '$HOME/.bashrc' '$tmp/bashrc.orig' && [ ! -L '$ws/report.json' ] &&
	grep -q '\"exit_code\":0' '$ws/report.json'"
mkdir -p "$HOME/.config/autostart" "$tmp/reports"
ln -s "$HOME/.config/autostart" "$ws/reports"
expect 125 "--report through a symbolic link in the writable workspace is refused" \
	in_dir "$ws" "$cordon" run -p "$tmp/rw.cordon" --workspace "$ws" --report "$ws/reports/r.json" -- "$probe" create "$ws/ran"
check "... naming the link" said "symbolic link $ws/reports"
check "... before the command runs, writing nothing there" sh -c "[ ! -e '$ws/ran' ] && [ -z \"\$(ls -A '$HOME/.config/autostart')\" ]"
ln -s "$tmp/reports" "$tmp/rlink"
expect 0 "control: a link outside what the policy lets the command write is followed" \
	in_dir "$ws" "$cordon" run -p "$tmp/rw.cordon" --workspace "$ws" --report "$tmp/rlink/r.json" -- "$probe" exit 0
check "... and the report is there" test -s "$tmp/reports/r.json"

# $TMPDIR: its private directory is made from an fd, not through a planted link
layer ptmp <<'EOF'
allow read,write . ${TMPDIR};
EOF
mkdir -p "$tmp/realtmp"
ln -s "$HOME" "$ws/tmp"
expect 125 "TMPDIR through a symbolic link in the writable workspace is refused" \
	in_dir "$ws" env TMPDIR="$ws/tmp" "$cordon" run -p "$tmp/ptmp.cordon" --workspace "$ws" -- "$probe" create "$ws/ran"
check "... naming it, before the command runs" sh -c "grep -q 'symbolic link $ws/tmp' '$tmp/out' && [ ! -e '$ws/ran' ]"
expect 0 "control: a TMPDIR without one is used" \
	in_dir "$ws" env TMPDIR="$tmp/realtmp" "$cordon" run -p "$tmp/ptmp.cordon" --workspace "$ws" -- "$probe" env TMPDIR
check "... (a private directory under it)" said "set TMPDIR=$tmp/realtmp/cordon-"

# a cache entry replaced by a link is replaced again, not written through
printf 'allow read ./d;\n' >"$tmp/profiles-team.cordon"
mkdir -p "$tmp/prof"
cp "$tmp/profiles-team.cordon" "$tmp/prof/team.cordon"
{ head_rules; echo 'use team;'; } >"$tmp/cached.cordon"
expect 0 "a source policy is compiled into the cache" env CORDON_PATH="$root/stdlib-policies:$tmp/prof" \
	"$cordon" run -p "$tmp/cached.cordon" -- "$probe" exit 0
entry=$(find "$XDG_CACHE_HOME/cordon" -name '*.cpb' -newer "$tmp/cached.cordon" | head -n 1)
echo victim >"$tmp/victim"
if [ -n "$entry" ]; then
	rm -f "$entry"
	ln -s "$tmp/victim" "$entry"
	printf 'allow read ./e;\n' >>"$tmp/prof/team.cordon"
	expect 0 "after a change to a profile it uses, it is compiled again" \
		env CORDON_PATH="$root/stdlib-policies:$tmp/prof" "$cordon" run -p "$tmp/cached.cordon" -- "$probe" exit 0
	check "... replacing the entry planted as a link, not writing through it" \
		sh -c "[ \"\$(cat '$tmp/victim')\" = victim ] && [ ! -L '$entry' ] && [ -s '$entry' ]"
else
	fail "a source policy is compiled into the cache: no entry in $XDG_CACHE_HOME/cordon"
fi

# ---- cordonc's diagnostics are bounded ------------------------------------------
printf 'use base;\nallow reed %s;\n' "$(head -c 100000 /dev/zero | tr '\0' x)" >"$tmp/long.cordon"
expect 1 "control: cordonc's diagnostic on a 100 kB line is longer than 32 KiB" \
	"$cordonc" --check "$tmp/long.cordon"
check "... ($(wc -c <"$tmp/out") bytes)" test "$(wc -c <"$tmp/out")" -gt 40000
expect 125 "under cordon, at most 32 KiB of them reach standard error" \
	in_dir "$tmp/empty" "$cordon" run -p "$tmp/long.cordon" -- "$probe" exit 0
check "... ($(wc -c <"$tmp/out") bytes), and it says the rest was cut" \
	sh -c "[ \$(wc -c <'$tmp/out') -lt 34000 ] && grep -q 'cut after 32768 bytes' '$tmp/out'"

# ---- ~ when HOME is unset: the password database's ---------------------------
# pw HOMEDIR CMD...: CMD in a mount namespace of its own whose /etc/passwd
# gives this user HOMEDIR ("": none).  There the user is uid 0: root, or
# uid 65534 mapped to 0 in a user namespace.
pw() {
	h=$1
	shift
	{ echo "root:x:0:0:root:$h:/bin/sh"; grep -v '^root:' /etc/passwd; } >"$tmp/passwd"
	ns="unshare -m"
	[ "$uid" = 0 ] || ns="unshare -r -m"
	$ns sh -c 'mount --bind "$0" /etc/passwd && exec "$@"' "$tmp/passwd" "$@"
}
fh="$tmp/fakehome"
mkdir -p "$fh/.ssh" "$fh/proj" "$tmp/otherhome"
echo "SECRET-ssh-$$" >"$fh/.ssh/id_rsa"
printf 'use agent;\nallow read,exec "%s";\nallow read ..;\n' "$probe" >"$tmp/homeless.cordon"
{ head_rules; echo 'allow read ..;'; } >"$tmp/nodeny.cordon"
if pw "$fh" true >"$tmp/out" 2>&1; then
	hp() { pw "$fh" env -u HOME "$@"; } # CMD...: with HOME unset, ~ the fake home
	expect 0 "control: with HOME unset, the fake home's ~/.ssh/id_rsa is readable" \
		hp "$probe" read "$fh/.ssh/id_rsa"
	expect 0 "control: under a policy that grants the workspace's parent (~) and denies nothing" \
		hp "$cordon" run -p "$tmp/nodeny.cordon" --workspace "$fh/proj" -- "$probe" read "$fh/.ssh/id_rsa"
	# shellcheck disable=SC2086
	expect 1 "HOME unset: under use agent, from a workspace in the home, ~/.ssh/id_rsa stays unreadable" \
		hp "$cordon" run $bopts -p "$tmp/homeless.cordon" --workspace "$fh/proj" -- \
		"$probe" read "$fh/.ssh/id_rsa"
	check "... (agent's deny of ~/.ssh holds: ~ is the password database's home)" not_said "SECRET-ssh"
	# shellcheck disable=SC2086
	expect 1 "HOME relative: the same" pw "$fh" env HOME=relative "$cordon" run $bopts \
		-p "$tmp/homeless.cordon" --workspace "$fh/proj" -- "$probe" read "$fh/.ssh/id_rsa"
	# shellcheck disable=SC2086
	expect 1 "HOME another directory: agent's deny holds for the password database's home too" \
		pw "$fh" env HOME="$tmp/otherhome" "$cordon" run $bopts -p "$tmp/homeless.cordon" \
		--workspace "$fh/proj" -- "$probe" read "$fh/.ssh/id_rsa"
	check "... (no byte of it)" not_said "SECRET-ssh"
	expect 0 "control: with no home known at all, a policy without ~ runs" \
		pw "" env -u HOME "$cordon" run -p "$tmp/nodeny.cordon" --workspace "$fh/proj" -- "$probe" exit 0
	# shellcheck disable=SC2086
	expect 125 "with no home known at all, a policy that uses ~ is refused" \
		pw "" env -u HOME "$cordon" run $bopts -p "$tmp/homeless.cordon" --workspace "$fh/proj" -- \
		"$probe" exit 0
	check "... saying what to do" said "the policy uses ~.*set HOME"
else
	skip "~ from the password database" "cannot bind a fake /etc/passwd here: $(head -n 1 "$tmp/out")"
fi

echo "1..$n"
[ $fails = 0 ]
