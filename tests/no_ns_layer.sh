#!/bin/sh
# What the runtime holds where no namespace can be had, as TAP.  Every
# sandboxed run here goes through tests/no_ns (a seccomp filter like
# Docker's default profile: unshare, setns, mount calls and clone with
# namespace flags refused; as root, CAP_SYS_ADMIN dropped), so the runtime
# can have no mount or IPC namespace, and falls back to its own seccomp
# program, the supervisor's metadata checks and the /dev/shm sweep
# (runtime/nons.h).  Each attack is tried by tests/guard_probe.c without
# cordon first (the control, which must work) and then under agent (with
# shell and python); what is checked is the side effect: the file's mode,
# owner, group, mtime and xattrs, what the attacker found in another
# process's IPC objects, what is left in /dev/shm.
#  - chmod, chown, utimes, xattrs (every variant) of files the policy only
#    lets the command read (a fake home's ~/.ssh/id_rsa, denied, and a copy
#    under a read-only grant) fail and change nothing; the same on a
#    workspace file works; DAC is still the kernel's (root without
#    capabilities cannot chmod another user's file, uid 65534 not root's);
#  - SysV IPC and POSIX message queues of a process outside: not found, not
#    attached;
#  - /dev/shm: what the run left is gone after it, what others hold or had
#    before stays, the report lists what was removed;
#  - agent with shell, python and git runs strict (as root) and does what
#    agents do: git commit, chmod +x, multiprocessing.
# Runs as root (then also the uid 65534 half of the DAC case) and as any
# user; uid 65534 (no cgroup) runs agent with --best-effort for its limits.
# usage: tests/no_ns_layer.sh BUILD_DIR   (run from the repository root)
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
use_build "${1:-}"
# shellcheck source=tests/lib.sh
. "$root/tests/lib.sh"
need_build
nons="$b/tests/no_ns"
if [ ! -x "$nons" ]; then
	fail "$nons exists (make check-tests)"
	echo "1..$n"
	exit 1
fi
tmp=$(mktemp -d) || exit 1
pids=""
tag="cordon-test-$$"
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -f /dev/shm/"$tag"-* 2>/dev/null
	cd / && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
chmod 755 "$tmp"
uid=$(id -u) gid=$(id -g)
drop=""
[ "$uid" = 0 ] && drop=--drop-sys-admin

gp="$tmp/bin/guard_probe"
mkdir -p "$tmp/bin" "$tmp/t"
if ! TMPDIR="$tmp" cc -static -O2 -Iinclude -o "$gp" tests/guard_probe.c >"$tmp/out" 2>&1; then
	fail "build tests/guard_probe.c" "$tmp/out"
	echo "1..$n"
	exit 1
fi
chmod 755 "$tmp/bin" "$gp"
export HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache" TMPDIR="$tmp/t"
export CORDON_PATH="$root/stdlib-policies"
ws="$tmp/ws"
ro="$tmp/ro"
mkdir -p "$HOME/.ssh" "$ws" "$ro"
chmod 700 "$HOME/.ssh"
echo "SECRET-key-$$" >"$HOME/.ssh/id_rsa"
chmod 600 "$HOME/.ssh/id_rsa"
echo "a copy, readable under the policy" >"$ro/copy"
chmod 644 "$ro/copy"
echo 'echo hello' >"$ws/work.sh"
ln -s "$ro/copy" "$ws/link-out"
cd "$ws" || exit 1

policy() { # NAME STATEMENT...: $tmp/NAME.cpb: agent, shell, python, the probe
	pn=$1
	shift
	{
		printf 'use agent;\nuse shell;\nuse python;\nuse git;\n'
		printf 'allow read,exec "%s" /usr/bin/chattr /usr/bin/lsattr;\nallow read "%s";\n' \
			"$tmp/bin" "$ro"
		for s in "$@"; do echo "$s"; done
	} >"$tmp/$pn.cordon"
	"$cordonc" -o "$tmp/$pn.cpb" "$tmp/$pn.cordon" >"$tmp/out" 2>&1 ||
		fail "compile the $pn policy" "$tmp/out"
	chmod 644 "$tmp/$pn.cpb"
}
policy agent
bopts=""
"$nons" $drop -- "$cordon" run -p "$tmp/agent.cpb" -- /bin/true >"$tmp/out" 2>&1 || bopts=--best-effort
echo "# uid $uid; cordon run under tests/no_ns ${drop:+$drop }${bopts:-(strict)}"
box() { # CMD...: under agent, no namespaces; report in $tmp/r.json
	"$nons" $drop -- "$cordon" run $bopts --report "$tmp/r.json" -p "$tmp/agent.cpb" -- "$@"
}
state() { "$gp" state "$1" 2>&1; }
field_is() { [ "$(jfield "$tmp/r.json" "$1")" = "$2" ]; } # KEY JSON: in the last report

# ---- the run is in the no-namespace mode -------------------------------------
expect 0 "without namespaces agent runs" box /bin/true
check "... in the fallback: the report has a /dev/shm sweep (python grants it)" \
	field_is shm_swept '[]'
if [ -z "$bopts" ]; then
	check "... strict, nothing left unenforced" field_is mode '"strict"'
	check "... (not_enforced is empty)" field_is not_enforced '[]'
fi

# ---- metadata of files the policy only lets the command read -----------------
# meta_attack TARGET OP ARG... : control outside (must change the state),
# put back, then under cordon (must fail and change nothing)
meta_attack() {
	target=$1 op=$2
	shift 2
	d="$op $* of $(echo "$target" | sed "s|$tmp/||")"
	before=$(state "$target")
	expect 0 "$d: control: works without cordon" "$gp" meta "$op" "$target" "$@"
	after=$(state "$target")
	check "$d: control: ... and changes it ($before -> $after)" test "$before" != "$after"
	restore "$target"
	before=$(state "$target")
	expect 1 "$d: under cordon: refused" box "$gp" meta "$op" "$target" "$@"
	check "$d: under cordon: ... with EROFS or EACCES" sh -c "grep -Eq ': (EROFS|EACCES)' '$tmp/out'"
	check "$d: under cordon: ... and nothing changed" test "$(state "$target")" = "$before"
}
restore() { # put a target back as it was made
	case $1 in
	*id_rsa) chmod 600 "$1" ;;
	*) chmod 644 "$1" ;;
	esac
	chgrp "$gid" "$1" 2>/dev/null
	touch -d @1700000000 "$1"
	"$gp" meta removexattr "$1" user.cordon >/dev/null 2>&1
	"$gp" meta setxattr "$1" user.pre x >/dev/null 2>&1
}
# another group of ours to change to: chgrp needs one the owner is in (root
# is in every group it names)
ogid=$gid
[ "$uid" = 0 ] && ogid=4
for t in "$HOME/.ssh/id_rsa" "$ro/copy"; do
	restore "$t"
	meta_attack "$t" chmod 0666
	meta_attack "$t" chmod-proc 0666
	meta_attack "$t" fchmodat-nofollow 0666
	[ "$uid" = 0 ] && meta_attack "$t" chgrp "$ogid"
	[ "$uid" = 0 ] && meta_attack "$t" fchownat-empty "$ogid"
	meta_attack "$t" touch
	meta_attack "$t" utimes
	meta_attack "$t" utime
	meta_attack "$t" futimesat
	meta_attack "$t" setxattr user.cordon planted
	meta_attack "$t" setxattrat user.cordon planted
	meta_attack "$t" removexattr user.pre
done
# through a descriptor (agent denies opening id_rsa at all: the copy)
t="$ro/copy"
meta_attack "$t" fchmod 0666
[ "$uid" = 0 ] && meta_attack "$t" fchgrp "$ogid"
meta_attack "$t" futimens
meta_attack "$t" fsetxattr user.cordon planted
meta_attack "$t" fremovexattr user.pre
# through a link in the workspace, followed
restore "$ro/copy"
before=$(state "$ro/copy")
expect 1 "chmod of a workspace link to the copy: refused (the object is outside)" \
	box "$gp" meta chmod "$ws/link-out" 0666
check "... and the copy is unchanged" test "$(state "$ro/copy")" = "$before"

# ---- the same in the workspace: works ---------------------------------------------
w="$ws/work.sh"
for m in "chmod 0755" "chmod-proc 0700" "fchmod 0750" "fchmodat-nofollow 0755" "touch" \
	"utimes" "futimens" "setxattr user.cordon fine" "fsetxattr user.cordon2 fine" \
	"setxattrat user.cordon3 fine" "removexattr user.cordon"; do
	# shellcheck disable=SC2086
	set -- $m
	touch -d @1700000000 "$w"
	before=$(state "$w")
	expect 0 "workspace: $m of work.sh under cordon works" box "$gp" meta "$1" "$w" ${2:-} ${3:-}
	check "workspace: $m ... and took effect" test "$(state "$w")" != "$before"
done
expect 0 "workspace: lchown of the link itself (it lies in the workspace)" \
	box "$gp" meta lchgrp "$ws/link-out" "$gid"
expect 1 "workspace: fchmod of an O_PATH descriptor: EBADF, as the kernel says" \
	box "$gp" meta opath-fchmod "$w" 0644
check "... (EBADF)" said "EBADF"
expect 0 "workspace: chmod +x and run a script, the shell's way" \
	box sh -c 'chmod -x work.sh && chmod +x work.sh && test -x work.sh'

# ---- DAC is the kernel's: no capability of the supervisor's goes into a call ----
if [ "$uid" = 0 ]; then
	mkdir -p "$ws/dac"
	chmod 1777 "$ws/dac"
	echo theirs >"$ws/dac/nobody-file"
	chown 65534:65534 "$ws/dac/nobody-file"
	echo roots >"$ws/dac/root-file"
	before=$(state "$ws/dac/nobody-file")
	expect 0 "DAC: control: root chmods uid 65534's file in the workspace" \
		"$gp" meta chmod "$ws/dac/nobody-file" 0600
	chmod 644 "$ws/dac/nobody-file"
	expect 1 "DAC: under cordon root without capabilities cannot (EPERM)" \
		box "$gp" meta chmod "$ws/dac/nobody-file" 0600
	check "... EPERM" said "chmod: EPERM"
	check "... unchanged" test "$(state "$ws/dac/nobody-file")" = "$before"
	nb="setpriv --reuid=65534 --regid=65534 --clear-groups env TMPDIR=$tmp/t65"
	mkdir -p "$tmp/t65"
	chmod 1777 "$tmp/t65"
	before=$(state "$ws/dac/root-file")
	expect 1 "DAC: control: uid 65534 cannot chmod root's file outside cordon either" \
		$nb "$gp" meta chmod "$ws/dac/root-file" 0666
	expect 1 "DAC: uid 65534 under cordon cannot chmod root's file in the workspace" \
		$nb "$nons" -- "$cordon" run --best-effort -p "$tmp/agent.cpb" -- \
		"$gp" meta chmod "$ws/dac/root-file" 0666
	check "... EPERM, unchanged" sh -c "grep -q 'chmod: EPERM' '$tmp/out' && [ '$(state "$ws/dac/root-file")' = '$before' ]"
	expect 0 "DAC: ... while it chmods its own file there" \
		$nb "$nons" -- "$cordon" run --best-effort -p "$tmp/agent.cpb" -- \
		"$gp" meta chmod "$ws/dac/nobody-file" 0640
	check "... which took effect" sh -c "[ \"\$(stat -c %a '$ws/dac/nobody-file')\" = 640 ]"
fi

# ---- SysV IPC and POSIX message queues of a process outside -----------------------
key=$((0x43000000 + $$ % 65536))
mq="/$tag"
rm -f "$tmp/ipc.pid"
"$gp" ipc-victim "$key" "$mq" "$tmp/ipc.pid" >"$tmp/victim.out" 2>&1 &
pids="$pids $!"
if wait_for test -s "$tmp/ipc.pid"; then
	read -r _ shmid <"$tmp/ipc.pid"
	expect 0 "SysV IPC: control: a process outside finds and attaches the victim's objects" \
		"$gp" ipc-attack "$key" "$mq" "$shmid"
	check "... the shared memory by key and by SHM_STAT_ANY, the message, the semaphore, the POSIX queue" \
		sh -c "grep -q 'shm by key: SECRET-shm' '$tmp/out' && grep -q 'SHM_STAT_ANY' '$tmp/out' &&
			grep -q 'message: SECRET-msg' '$tmp/out' && grep -q 'raised it' '$tmp/out' &&
			grep -q 'POSIX message: SECRET-mq' '$tmp/out'"
	expect 1 "SysV IPC under cordon: nothing found or attached" box "$gp" ipc-attack "$key" "$mq" "$shmid"
	check "... every way refused (EPERM), no secret" \
		sh -c "grep -q 'every way refused' '$tmp/out' && ! grep -q SECRET '$tmp/out' && grep -q 'shmget: EPERM' '$tmp/out'"
	expect 1 "SysV IPC under cordon: not even a private segment of its own" box "$gp" ipc-own
else
	fail "SysV IPC: the victim started" "$tmp/victim.out"
fi

# ---- /dev/shm: what the run leaves is swept ---------------------------------------
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	expect 0 "/dev/shm: control: an entry made by a process outlives it" "$gp" shm-leave "$tag-ctl"
	check "... it is still there" test -e "/dev/shm/$tag-ctl"
	rm -f "/dev/shm/$tag-ctl"
	"$gp" shm-leave "$tag-before" >/dev/null
	rm -f "$tmp/held.ready" "$tmp/r.json"
	# the command makes two entries and waits; meanwhile a process outside
	# makes one and holds it open
	box sh -c "'$gp' shm-leave '$tag-left' '$tag-left2' && mkdir /dev/shm/$tag-dir &&
		echo x >/dev/shm/$tag-dir/f && sleep 2" >"$tmp/sweep.out" 2>&1 &
	bp=$!
	wait_for test -e "/dev/shm/$tag-left"
	"$gp" shm-hold "$tag-held" "$tmp/held.ready" >/dev/null 2>&1 &
	hp=$!
	pids="$pids $hp"
	wait_for test -e "$tmp/held.ready"
	wait "$bp"
	check "/dev/shm: the run's entries are gone after it (files and a directory)" \
		sh -c "[ ! -e '/dev/shm/$tag-left' ] && [ ! -e '/dev/shm/$tag-left2' ] && [ ! -e '/dev/shm/$tag-dir' ]"
	check "... what existed before stays" test -e "/dev/shm/$tag-before"
	check "... what a process outside made during the run and holds open stays" \
		test -e "/dev/shm/$tag-held"
	check "... the report lists what was removed, and only that" \
		sh -c "grep -q '\"shm_swept\":\\[[^]]*\"$tag-left\"' '$tmp/r.json' &&
			grep -q '\"$tag-dir\"' '$tmp/r.json' && ! grep -q '$tag-held' '$tmp/r.json' &&
			! grep -q '$tag-before' '$tmp/r.json'"
	kill "$hp" 2>/dev/null
	rm -f "/dev/shm/$tag-before" "/dev/shm/$tag-held"
	if [ -x /usr/bin/python3 ]; then
		expect 0 "/dev/shm: Python's multiprocessing (semaphores there) works" \
			box /usr/bin/python3 -c 'import multiprocessing as m
with m.Pool(2) as p: print("ok pool", sum(p.map(abs, range(-5, 5))))'
		check "... and computed" said "ok pool 25"
		expect 0 "/dev/shm: a shared_memory segment left behind by Python..." \
			box /usr/bin/python3 -c "import os
from multiprocessing import shared_memory
s = shared_memory.SharedMemory(create=True, size=4096, name='$tag-psm')
s.buf[:3] = b'abc'
os._exit(0)"
		check "... is gone after the run" test ! -e "/dev/shm/$tag-psm"
	fi
else
	skip "/dev/shm sweep" "no writable /dev/shm here"
fi

# ---- chattr's flags: refused everywhere without namespaces ------------------------
if command -v chattr >/dev/null 2>&1 && echo x >"$ws/flags" && chattr +d "$ws/flags" 2>/dev/null; then
	chattr -d "$ws/flags"
	expect 1 "chattr +d (FS_IOC_SETFLAGS) under cordon: refused" box chattr +d "$ro/copy"
	check "... and the flag is not set" sh -c "! lsattr '$ro/copy' 2>/dev/null | grep -q '^[^ ]*d'"
else
	skip "chattr under cordon" "no chattr, or the filesystem has no flags"
fi

# ---- what agents do, strict -----------------------------------------------------------
if command -v git >/dev/null 2>&1 && [ -x /usr/bin/python3 ]; then
	mkdir -p "$ws/repo"
	cd "$ws/repo" || exit 1
	git -c init.defaultBranch=main init -q . && cd "$ws" || exit 1
	expect 0 "agent with shell, python and git: git commit, chmod +x, multiprocessing" \
		box sh -c 'cd repo && printf "print(1)\n" >a.py && chmod +x a.py &&
			git add a.py && git -c user.name=t -c user.email=t@example.invalid commit -q -m one &&
			git log --oneline | grep -q one &&
			/usr/bin/python3 -c "import multiprocessing as m; print(m.Pool(2).map(abs, [-1]))"'
	[ -z "$bopts" ] && check "... in strict mode" field_is mode '"strict"'
	# the workspace itself a repository: agent's deny write of .git/hooks,
	# .git/config and .git/modules is Landlock's carve-out here, which
	# takes the right to create entries from the workspace root and .git
	cd "$ws/repo" || exit 1
	"$nons" $drop -- "$cordon" run $bopts -p "$tmp/agent.cpb" -- sh -c 'echo a >new.txt &&
		git add new.txt && git -c user.name=t -c user.email=t@example.invalid commit -q -m two' \
		>"$tmp/out" 2>&1
	st=$?
	n=$((n + 1))
	if [ "$st" = 0 ] && [ -e new.txt ]; then
		echo "ok $n - agent in a repository workspace: a new file at its root, git commit"
	else
		echo "not ok $n - agent in a repository workspace: a new file at its root, git commit # TODO without a mount namespace the carve-out for .git/hooks takes create rights from . and .git (docs/runtime.md)"
	fi
	cd "$ws" || exit 1
fi

echo "1..$n"
[ "$fails" = 0 ]
