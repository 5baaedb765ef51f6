#!/bin/sh
# The namespace layer (runtime/ns_layer.c), as TAP: what the command's own
# mount and IPC namespaces hold, each attack tried with tests/ns_probe.c
# outside cordon (the control, which must succeed, so the test can fail)
# and inside it, with its side effects checked:
#  - metadata outside the writable trees (chmod, a setuid bit, chown,
#    utimes, setxattr, link, mknod, rename, truncate of files the policy
#    only lets the command read) fails with EROFS;
#  - a read-only mount inside the workspace stays read-only;
#  - `deny write` inside the workspace: read-only binds, the way pinned
#    (moved here from tests/run.sh), and the missing `deny write DIR/`;
#  - `deny read` inside the workspace: an empty mount, nothing to open,
#    list, rename or link, and nothing of it moved out for a later run;
#  - /dev/shm: private, gone with the run, bounded;
#  - SysV shared memory, message queues and semaphores of a process
#    outside cannot be found, attached or changed;
#  - nothing is mounted outside; the report says "namespaces";
#  - where no namespace can be had (cordon inside cordon, a seccomp filter
#    that refuses mounts, user namespaces off), the run goes on with
#    Landlock and seccomp, decided before the command runs; a mount that
#    fails in the child starts it again without namespaces (the last
#    resort);
#  - the controls that must keep working under the stock profiles: a
#    workspace script chmod +x'd and run, multiprocessing.Pool, git commit.
# Runs as root and as any user (tests/run-tests runs it as uid 65534 too):
# everything lives under its own temp dir.
# usage: tests/ns_layer.sh BUILD_DIR   (run from the repository root)
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/lib.sh
. "$root/tests/lib.sh"
use_build "${1:-}"
need_build
tmp_and_pids
finish() { echo "1..$n"; [ $fails = 0 ]; exit $?; }

uid=$(id -u)
probe="$tmp/ns_probe"
sprobe="$tmp/probe"
for p in "ns_probe:$probe" "sandbox_probe:$sprobe"; do
	if ! TMPDIR="$tmp" cc -static -O2 -o "${p#*:}" "tests/${p%%:*}.c" >"$tmp/out" 2>&1; then
		fail "build tests/${p%%:*}.c" "$tmp/out"
		finish
	fi
done

ws="$tmp/ws"
export HOME="$tmp/home"
export XDG_CACHE_HOME="$tmp/cache"
export CORDON_PATH="$root/stdlib-policies"
mkdir -p "$ws/secrets" "$ws/data/keys" "$HOME/.ssh" "$tmp/tools"
echo SECRET-key >"$HOME/.ssh/id_rsa"
chmod 600 "$HOME/.ssh/id_rsa"
chmod 700 "$HOME/.ssh"
echo SECRET-prod >"$ws/secrets/prod.key"
echo SECRET-data >"$ws/data/keys/k"
cp /bin/true "$tmp/tools/tool"
chmod 755 "$tmp/tools/tool"
cd "$ws" || exit 1

# policy NAME: $tmp/NAME.cordon from standard input after a common head
# (base and the probes), compiled to $tmp/NAME.cpb
policy() {
	{ printf 'use base;\nallow exec "%s" "%s";\n' "$probe" "$sprobe"; cat; } >"$tmp/$1.cordon"
	"$cordonc" -I "$root/stdlib-policies" -o "$tmp/$1.cpb" "$tmp/$1.cordon" >"$tmp/out" 2>&1 ||
		fail "compile the $1 policy" "$tmp/out"
}
box() { # POLICY PROBE-ARGS...: ns_probe inside cordon (report in $tmp/r.json)
	pol=$1
	shift
	rm -f "$tmp/r.json"
	"$cordon" run -p "$tmp/$pol.cpb" --report "$tmp/r.json" -- "$probe" "$@"
}
sbox() { # POLICY PROBE-ARGS...: sandbox_probe inside cordon
	pol=$1
	shift
	"$cordon" run -p "$tmp/$pol.cpb" -- "$sprobe" "$@"
}
mode_of() { stat -c %a "$1"; }
mounts() { cut -d' ' -f5 /proc/self/mountinfo | sort; }

# ---- is the layer there? ----------------------------------------------------
policy meta <<EOF
allow read,write .;
allow read ~/.ssh;
allow read,exec "$tmp/tools";
EOF
expect 0 "a run under a policy with a workspace" box meta statfs .
report_is "... the report says namespaces mount,ipc" "$tmp/r.json" enforced.namespaces='"mount,ipc"'
if [ "$(jfield "$tmp/r.json" enforced.namespaces)" != '"mount,ipc"' ]; then
	"$cordon" probe >"$tmp/out" 2>&1
	fail "no namespaces for uid $uid here: the rest cannot run" "$tmp/out"
	finish
fi

# ---- metadata outside the writable trees: EROFS -------------------------------
# try DESCRIPTION RESTORE ACTION ARGS...: the control (outside, must
# succeed), RESTORE (a shell command that undoes it), then the same inside
# cordon, which must fail with EROFS
try() {
	td=$1 undo=$2
	shift 2
	expect 0 "control: $td" "$probe" "$@"
	sh -c "$undo"
	expect 1 "$td under cordon fails" box meta "$@"
	# (a set-id bit is refused first by seccomp: EPERM)
	check "... with EROFS${setid:+ (or EPERM: seccomp)}" sh -c "grep -q EROFS '$tmp/out' || { [ -n '$setid' ] && grep -q EPERM '$tmp/out'; }"
}
setid=
key="$HOME/.ssh/id_rsa"
try "chmod 0644 ~/.ssh/id_rsa (allowed to read)" "chmod 600 '$key'" chmod 644 "$key"
check "... and the mode is still 600" test "$(mode_of "$key")" = 600
try "chmod 0777 ~/.ssh" "chmod 700 '$HOME/.ssh'" chmod 777 "$HOME/.ssh"
check "... and the mode is still 700" test "$(mode_of "$HOME/.ssh")" = 700
setid=1
try "a setuid bit on a tool of uid $uid (allowed to read and run)" \
	"chmod 755 '$tmp/tools/tool'" chmod 4755 "$tmp/tools/tool"
setid=""
check "... and it has none" test "$(mode_of "$tmp/tools/tool")" = 755
try "chown ~/.ssh/id_rsa (to its own owner)" ":" chown "$key"
touch -d 2001-01-01 "$key"
try "utimes ~/.ssh/id_rsa" "touch -d 2001-01-01 '$key'" utimes "$key"
check "... and its time is unchanged" test "$(stat -c %Y "$key")" = "$(date -d 2001-01-01 +%s)"
if "$probe" setxattr "$key" >"$tmp/out" 2>&1; then
	# a fresh copy of the key has no xattr
	cp "$key" "$tmp/key.tmp" && rm -f "$key" && cp "$tmp/key.tmp" "$key" && chmod 600 "$key"
	expect 1 "setxattr user.* on ~/.ssh/id_rsa under cordon fails" box meta setxattr "$key"
	check "... with EROFS" said EROFS
	expect 1 "... and it has no such attribute" "$probe" getxattr "$key"
	expect 0 "control: ... which the probe would have seen" sh -c \
		"'$probe' setxattr '$tmp/key.tmp' && '$probe' getxattr '$tmp/key.tmp'"
else
	skip "setxattr user.* on ~/.ssh/id_rsa" "this filesystem refuses user xattrs ($(cat "$tmp/out"))"
fi
try "link ~/.ssh/id_rsa beside itself" "rm -f '$HOME/.ssh/id2'" link "$key" "$HOME/.ssh/id2"
check "... and no link appeared" test ! -e "$HOME/.ssh/id2"
expect 0 "control: link ~/.ssh/id_rsa into the workspace" "$probe" link "$key" "$ws/stolen"
rm -f "$ws/stolen"
expect 1 "link ~/.ssh/id_rsa into the workspace under cordon fails" box meta link "$key" "$ws/stolen"
check "... with EXDEV (another mount) and nothing linked" sh -c "grep -q EXDEV '$tmp/out' && test ! -e '$ws/stolen'"
try "mknod (a FIFO) in ~/.ssh" "rm -f '$HOME/.ssh/fifo'" mknod "$HOME/.ssh/fifo"
check "... and nothing was made" test ! -e "$HOME/.ssh/fifo"
try "rename ~/.ssh/id_rsa beside itself" "mv '$HOME/.ssh/moved' '$key'" rename "$key" "$HOME/.ssh/moved"
expect 0 "control: rename ~/.ssh/id_rsa into the workspace" "$probe" rename "$key" "$ws/stolen"
mv "$ws/stolen" "$key"
expect 1 "rename ~/.ssh/id_rsa into the workspace under cordon fails" box meta rename "$key" "$ws/stolen"
check "... with EXDEV, and the key is where it was" sh -c "grep -q EXDEV '$tmp/out' && test -f '$key' && test ! -e '$ws/stolen'"
cp -p "$key" "$tmp/key.bak"
try "truncate ~/.ssh/id_rsa" "cp -p '$tmp/key.bak' '$key'" truncate "$key"
check "... and it still holds the key" grep -q SECRET-key "$key"
expect 0 "the workspace is writable: a file made there" box meta write "$ws/made"
expect 0 "... and chmod'd" box meta chmod 755 "$ws/made"
check "... really" test "$(mode_of "$ws/made")" = 755
expect 0 "devices keep working: writing /dev/null" box meta write /dev/null

# ---- a read-only mount inside the workspace stays read-only --------------------
# Made in a mount namespace of the test's own (as uid 65534: in a user
# namespace, where cordon has CAP_SYS_ADMIN and makes no user namespace).
mkdir -p "$ws/ro"
echo original >"$ws/ro/file"
expect 0 "control: the directory is writable before it is mounted read-only" \
	"$probe" write "$ws/ro/ctl"
rm -f "$ws/ro/ctl"
own_ns=""
if [ "$uid" = 0 ]; then own_ns="unshare -m"; else own_ns="unshare -U -r -m"; fi
cat >"$tmp/rosub.sh" <<EOF
mount --bind "$ws/ro" "$ws/ro" && mount -o remount,bind,ro "$ws/ro" || exit 99
"$cordon" run -p "$tmp/meta.cpb" -- "$probe" write "$ws/ro/file"
echo "rw-status \$?"
"$cordon" run -p "$tmp/meta.cpb" -- "$probe" write "$ws/beside"
echo "beside-status \$?"
# cordon without CAP_SYS_ADMIN (but CAP_SETFCAP, which mapping uid 0
# needs): a user namespace of its own, where the mount it inherits is locked
setpriv --bounding-set=-all,+setfcap --inh-caps=-all "$cordon" run --report "$tmp/r2.json" \
	-p "$tmp/meta.cpb" -- "$probe" write "$ws/ro/file"
echo "userns-status \$?"
# ... and without CAP_SETFCAP too: no user namespace can map uid 0
setpriv --bounding-set=-all --inh-caps=-all "$cordon" run --report "$tmp/r3.json" \
	-p "$tmp/meta.cpb" -- "$probe" write "$ws/beside3"
echo "nocaps-status \$?"
EOF
# shellcheck disable=SC2086
if $own_ns sh "$tmp/rosub.sh" >"$tmp/out" 2>&1; then
	check "a read-only mount inside the workspace: writing it under cordon fails with EROFS" \
		sh -c "grep -q 'rw-status 1' '$tmp/out' && grep -q EROFS '$tmp/out'"
	check "... while the workspace beside it is writable" \
		sh -c "grep -q 'beside-status 0' '$tmp/out' && test -f '$ws/beside'"
	check "... and so it does when cordon has no capabilities (a user namespace of its own)" \
		sh -c "grep -q 'userns-status 1' '$tmp/out' && [ \$(grep -c EROFS '$tmp/out') = 2 ]"
	report_is "... (which made namespaces)" "$tmp/r2.json" enforced.namespaces='"mount,ipc"'
	check "uid 0 without CAP_SYS_ADMIN and CAP_SETFCAP: the run goes on, decided before (no relaunch)" \
		sh -c "grep -q 'nocaps-status 0' '$tmp/out' && ! grep -q 'runs without the namespace layer' '$tmp/out'"
	report_is "... namespaces none" "$tmp/r3.json" enforced.namespaces='"none"'
	check "... and the file is unchanged" test "$(cat "$ws/ro/file")" = original
else
	skip "a read-only mount inside the workspace stays read-only" "cannot make one here: $(head -n 3 "$tmp/out" | tr '\n' ' ')"
fi

# ---- deny write inside a writable tree: read-only binds -----------------------
# (moved from tests/run.sh.)  The denied path is a read-only bind mount and
# the tree keeps the right to create entries; where no namespace can be had
# (here: cordon inside cordon, whose seccomp filter refuses them), the run
# falls back to Landlock's carve-out, which holds the deny too.
g="$tmp/guard"
mkdir -p "$g/keep" "$g/sub/keep2"
echo original >"$g/keep/file"
policy guard <<EOF
allow read,write "$g";
deny write "$g/keep" "$g/sub/keep2";
EOF
expect 0 "control: the probe writes under the denied directory" "$sprobe" create "$g/keep/ctl"
rm -f "$g/keep/ctl"
expect 0 "deny write in a writable tree: a new file beside the denied directory" \
	sbox guard create "$g/new"
expect 0 "... and in the directory on the way to the other one" sbox guard create "$g/sub/new2"
expect 1 "... while writing in the denied directory fails" sbox guard create "$g/keep/x"
expect 1 "... as does changing a file in it" sbox guard write "$g/keep/file"
expect 1 "... renaming the denied directory away" sbox guard rename "$g/keep" "$g/keep.old"
expect 1 "... renaming the directory on the way" sbox guard rename "$g/sub" "$g/sub.old"
expect 1 "... or moving a file out of it" sbox guard rename "$g/keep/file" "$g/moved"
check "... which left everything in place" sh -c "[ -d '$g/keep' ] && [ -d '$g/sub/keep2' ] &&
	[ ! -e '$g/keep/x' ] && [ \"\$(cat '$g/keep/file')\" = original ] && [ ! -e '$g/moved' ]"
check "... and mounted nothing outside the sandbox" sh -c "! grep -q ' $g' /proc/self/mountinfo"
# (cordon in cordon has no seccomp listener either: --best-effort; and the
# sanitizer build's leak check needs ptrace, which the outer one refuses)
printf 'use base;\nallow read,exec "%s" "%s";\nallow read "%s" /proc/sys;\nallow env ASAN_OPTIONS;\n' \
	"$b" "$sprobe" "$tmp" >"$tmp/outer.cordon"
nolsan="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
expect 1 "without a mount namespace (cordon in cordon) the deny still holds" \
	env "$nolsan" "$cordon" run -p "$tmp/outer.cordon" -- "$cordon" run --best-effort \
	-p "$tmp/guard.cpb" -- "$sprobe" create "$g/keep/y"
check "... through Landlock's carve-out, with a warning" said "falls back to Landlock"
check "... and nothing was written" test ! -e "$g/keep/y"

# deny write DIR/ (a directory) that does not exist yet in a writable tree:
# the command could make it and fill it, so cordon makes it first
m="$tmp/mkd"
mkdir -p "$m/repo/.git"
policy mkd <<EOF
allow read,write "$m";
deny write "$m/repo/.git/modules/" "$m/repo/.git/config" "$m/nothere/x/" /opt/cordon-test-nope/;
EOF
expect 0 "control: without cordon the probe takes the name of the missing denied directory" \
	"$sprobe" create "$m/repo/.git/modules"
rm -f "$m/repo/.git/modules"
expect 1 "deny write DIR/ missing at the start: creating in it fails" \
	sbox mkd create "$m/repo/.git/modules/x"
check "... cordon made it, empty" sh -c "[ -d '$m/repo/.git/modules' ] && [ -z \"\$(ls -A '$m/repo/.git/modules')\" ]"
check "... and made nothing else: not a denied path written without '/'" test ! -e "$m/repo/.git/config"
check "... nor one whose parent is missing, nor one outside the writable tree" \
	sh -c "[ ! -e '$m/nothere' ] && [ ! -e /opt/cordon-test-nope ]"
expect 0 "... and a file beside it can still be made" sbox mkd create "$m/repo/.git/other"

# ---- deny read inside the workspace: an empty, inaccessible mount -------------
policy cover <<EOF
allow read,write .;
deny read ./secrets ./data/keys;
EOF
expect 0 "control: read a file of the denied directory" "$probe" read "$ws/secrets/prod.key"
expect 0 "control: list the denied directory" "$probe" list "$ws/secrets"
expect 1 "deny read in the workspace: the file cannot be opened" box cover read "$ws/secrets/prod.key"
check "... and nothing was read" not_said SECRET
expect 1 "... the directory cannot be listed" box cover list "$ws/secrets"
check "... and no name was shown" not_said prod.key
expect 0 "control: rename the denied directory" "$probe" rename "$ws/secrets" "$ws/s2"
mv "$ws/s2" "$ws/secrets"
expect 1 "... it cannot be renamed (a mount point)" box cover rename "$ws/secrets" "$ws/s2"
check "... EBUSY" said EBUSY
expect 0 "control: rename the directory on the way to the other one" "$probe" rename "$ws/data" "$ws/d2"
mv "$ws/d2" "$ws/data"
expect 1 "... the directory on the way cannot be renamed either (pinned)" box cover rename "$ws/data" "$ws/d2"
check "... EBUSY" said EBUSY
expect 0 "control: hard-link a denied file into the workspace" "$probe" link "$ws/secrets/prod.key" "$ws/stolen"
rm -f "$ws/stolen"
expect 1 "... it cannot be linked" box cover link "$ws/secrets/prod.key" "$ws/stolen"
expect 0 "control: move a denied file out" "$probe" rename "$ws/data/keys/k" "$ws/stolen"
mv "$ws/stolen" "$ws/data/keys/k"
expect 1 "... it cannot be moved out" box cover rename "$ws/data/keys/k" "$ws/stolen"
check "... so nothing of them is where a later run would grant it" \
	sh -c "[ ! -e '$ws/stolen' ] && [ ! -e '$ws/s2' ] && [ ! -e '$ws/d2' ] &&
		grep -q SECRET-prod '$ws/secrets/prod.key' && grep -q SECRET-data '$ws/data/keys/k'"
expect 0 "... while the workspace around it is writable" box cover write "$ws/beside2"
# the cover holds the deny, so Landlock's carve-out (which takes from every
# directory on the way the right to be listed, and from new entries there
# the right to be read) is not needed: the workspace stays whole
expect 0 "... and can be listed" box cover list "$ws"
check "... with the denied names in it" said secrets
box cover write "$ws/fresh" >/dev/null 2>&1
expect 0 "... and a file made at its root can be read back" box cover read "$ws/fresh"
rm -f "$ws/fresh"
expect 1 "control: without the namespace layer, Landlock's carve-out alone costs the workspace its listing" \
	"$cordon" run --ns-layer=none -p "$tmp/cover.cpb" -- "$probe" list "$ws"
# the cover holds without Landlock too (best-effort with Landlock off)
nolandlock() { # [OPTIONS...] POLICY PROBE-ARGS...: ns_probe, Landlock off
	nl=""
	while [ "${1#--}" != "$1" ]; do nl="$nl $1"; shift; done
	pol=$1
	shift
	# shellcheck disable=SC2086
	"$cordon" run --best-effort --assume-landlock-abi 0 $nl -p "$tmp/$pol.cpb" -- "$probe" "$@"
}
expect 0 "control: without Landlock or the namespace layer the denied file is read" \
	nolandlock --ns-layer=none cover read "$ws/secrets/prod.key"
expect 1 "without Landlock the cover alone keeps it unreadable" \
	nolandlock cover read "$ws/secrets/prod.key"
check "... (the mount: EACCES on an empty file of mode 0, nothing read)" \
	sh -c "grep -q EACCES '$tmp/out' && ! grep -q SECRET '$tmp/out'"
expect 1 "... nor listable" nolandlock cover list "$ws/data/keys"
check "... (no name shown)" not_said "ok list"
echo SECRET-env >"$ws/.env"
policy coverf <<EOF
allow read,write .;
deny read ./.env;
EOF
expect 0 "control: without Landlock or the namespace layer a denied file of its own is read" \
	nolandlock --ns-layer=none coverf read "$ws/.env"
expect 1 "a denied file (not a directory) is covered as well" nolandlock coverf read "$ws/.env"
check "... nothing read" not_said SECRET
expect 1 "... and cannot be renamed" box coverf rename "$ws/.env" "$ws/env2"
check "... and it is still there" grep -q SECRET-env "$ws/.env"

# ---- /dev/shm: private, gone with the run, bounded --------------------------
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	shm_mode=""
	policy shm <<EOF
use shell;
allow read,write . /dev/shm;
limit memory 48M;
EOF
	"$cordon" run -p "$tmp/shm.cpb" -- "$probe" statfs /dev/shm >"$tmp/out" 2>&1 ||
		shm_mode=--best-effort # no cgroup for this user: limit memory needs it
	name="cordon-test-$$"
	expect 0 "control: a file made in /dev/shm without cordon is seen by others" \
		"$probe" write "/dev/shm/$name-ctl"
	check "... (it is there)" test -f "/dev/shm/$name-ctl"
	rm -f "/dev/shm/$name-ctl"
	"$cordon" run $shm_mode -p "$tmp/shm.cpb" -- sh -c \
		"echo x >/dev/shm/$name && echo made >'$ws/shm-made' && sleep 30" >"$tmp/shm.out" 2>&1 &
	spid=$!
	pids="$pids $spid"
	wait_for test -f "$ws/shm-made"
	check "a file made in /dev/shm under cordon" test -f "$ws/shm-made"
	check "... is not visible outside while the run lasts" test ! -e "/dev/shm/$name"
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	check "... nor after it" test ! -e "/dev/shm/$name"
	expect 1 "... nor to the next run" "$cordon" run $shm_mode -p "$tmp/shm.cpb" -- "$probe" read "/dev/shm/$name"
	expect 0 "control: without the private /dev/shm (--ns-layer leaves it out) the run's file is seen outside" \
		"$cordon" run $shm_mode --ns-layer mount,ipc,view,holds,covers -p "$tmp/shm.cpb" -- \
		"$probe" write "/dev/shm/$name-shared"
	check "... (it is there)" test -f "/dev/shm/$name-shared"
	rm -f "/dev/shm/$name-shared"
	expect 0 "the private /dev/shm is sized by limit memory" \
		"$cordon" run $shm_mode -p "$tmp/shm.cpb" -- "$probe" statfs /dev/shm
	check "... 48 MiB" said "ok statfs: 50331648"
	"$cordon" run $shm_mode -p "$tmp/shm.cpb" -- "$probe" fill /dev/shm/big 64 >"$tmp/out" 2>&1
	got=$?
	check "... and a writer cannot take more: 64 MiB fail (exit $got: ENOSPC, or killed at the run's memory limit)" \
		sh -c "[ $got != 0 ] && { grep -q ENOSPC '$tmp/out' || [ $got -ge 128 ]; }"
	expect 0 "control: without cordon the writer takes 64 MiB" "$probe" fill "$tmp/big" 64
	rm -f "$tmp/big"
	policy shmd <<EOF
allow read,write /dev/shm;
EOF
	expect 0 "without limit memory the private /dev/shm has the default size" \
		box shmd statfs /dev/shm
	check "... 256 MiB (NS_SHM_DEFAULT)" said "ok statfs: 268435456"
	policy noshm <<EOF
allow read /dev/shm;
EOF
	expect 0 "a policy that does not let the command write /dev/shm keeps the machine's (read-only)" \
		box noshm statfs /dev/shm
	check "... (not 256 MiB)" not_said "ok statfs: 268435456"
else
	skip "/dev/shm: private, gone with the run, bounded" "no writable /dev/shm here"
fi

# ---- SysV IPC of a process outside -------------------------------------------
policy ipc <<EOF
EOF
"$probe" ipc-make "$tmp/ipc.ids" >"$tmp/ipc.out" 2>&1 &
ipid=$!
pids="$pids $ipid"
if wait_for test -s "$tmp/ipc.ids"; then
	read -r shm msq sem <"$tmp/ipc.ids"
	expect 0 "control: SHM_STAT_ANY, MSG_STAT_ANY, SEM_STAT_ANY find the objects of a process outside" \
		"$probe" ipc-find
	check "... its three" sh -c "grep -q 'shm $shm ' '$tmp/out' && grep -q 'msq $msq ' '$tmp/out' &&
		grep -q 'sem $sem ' '$tmp/out'"
	expect 1 "under cordon the enumeration finds nothing" box ipc ipc-find
	expect 1 "... the shared memory cannot be attached" box ipc shm-read "$shm"
	check "... and nothing was read" not_said SECRET
	expect 1 "... nor written" box ipc shm-write "$shm"
	expect 1 "... the message queue cannot be read" box ipc msg-recv "$msq"
	check "... and nothing was read" not_said SECRET
	expect 1 "... the semaphore cannot be set" box ipc sem-set "$sem"
	expect 0 "control: the segment still holds its secret" "$probe" shm-read "$shm"
	check "... (SECRET-shm)" said "ok shm-read: SECRET-shm"
	expect 0 "control: the queue still holds its message" "$probe" msg-recv "$msq"
	check "... (SECRET-msg)" said "ok msg-recv: SECRET-msg"
	expect 0 "control: the semaphore is still 7" "$probe" sem-get "$sem"
	check "... (7)" said "ok sem-get: 7"
	expect 0 "control: and can be set from outside" "$probe" sem-set "$sem"
else
	fail "start the SysV IPC process outside" "$tmp/ipc.out"
fi
kill "$ipid" 2>/dev/null
wait "$ipid" 2>/dev/null

# ---- nothing mounted outside --------------------------------------------------
mounts >"$tmp/mounts.before"
"$cordon" run -p "$tmp/cover.cpb" -- "$probe" sleep 1 >/dev/null 2>&1 &
cpid=$!
sleep 0.3
mounts >"$tmp/mounts.during"
wait "$cpid"
mounts >"$tmp/mounts.after"
check "nothing is mounted outside during a run (covers, holds, the view)" \
	cmp -s "$tmp/mounts.before" "$tmp/mounts.during"
check "... nor after it" cmp -s "$tmp/mounts.before" "$tmp/mounts.after"

# ---- where no namespace can be had --------------------------------------------
# decided once, before the command runs: a seccomp filter that refuses
# mount(2) (as a container's does).  Without the mounts, Landlock's
# carve-out holds the deny, and only the directories beside the way keep
# the right to create entries: the runs create in one of them.
mkdir -p "$g/free"
expect 0 "a seccomp filter around cordon refuses mount: the run goes on" \
	"$probe" deny-syscall 165 "$cordon" run -p "$tmp/guard.cpb" --report "$tmp/r.json" -- \
	"$sprobe" create "$g/free/new3"
report_is "... and the report says namespaces none" "$tmp/r.json" enforced.namespaces='"none"'
check "... with a warning that says why" said "no mount namespace (mount in a new mount namespace: Operation not permitted"
expect 1 "... and the deny still holds (Landlock)" \
	"$probe" deny-syscall 165 "$cordon" run -p "$tmp/guard.cpb" -- "$sprobe" create "$g/keep/z"
check "... nothing written" test ! -e "$g/keep/z"
# the last resort: a filter that only refuses open_tree passes the trial,
# so the child fails at the view and cordon starts the command again
expect 0 "a mount the view cannot make (open_tree refused): the run starts again without namespaces" \
	"$probe" deny-syscall 428 "$cordon" run -p "$tmp/guard.cpb" --report "$tmp/r.json" -- \
	"$sprobe" create "$g/free/new4"
check "... says so" said "runs without the namespace layer"
check "... and it ran" test -f "$g/free/new4"
report_is "... the report says namespaces none" "$tmp/r.json" enforced.namespaces='"none"'
expect 1 "... and the deny still holds" \
	"$probe" deny-syscall 428 "$cordon" run -p "$tmp/guard.cpb" -- "$sprobe" create "$g/keep/z"
if unshare -U -r true 2>/dev/null; then
	# user namespaces off for cordon (max_user_namespaces 0 in a user
	# namespace of the test's own, cordon there without capabilities)
	cat >"$tmp/nouserns.sh" <<EOF
echo 0 >/proc/sys/user/max_user_namespaces || exit 99
exec setpriv --bounding-set=-all --inh-caps=-all "$cordon" run --report "$tmp/r.json" \
	-p "$tmp/meta.cpb" -- "$probe" write "$ws/made-nouserns"
EOF
	unshare -U -r sh "$tmp/nouserns.sh" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" = 99 ]; then
		skip "user namespaces off: the run goes on without the layer" "cannot set max_user_namespaces here"
	else
		check "user namespaces off: the run goes on with Landlock and seccomp (exit $got)" \
			sh -c "[ $got = 0 ] && test -f '$ws/made-nouserns'"
		report_is "... the report says namespaces none" "$tmp/r.json" enforced.namespaces='"none"'
	fi
fi
expect 0 "--ns-layer none: no namespaces" "$cordon" run --ns-layer none -p "$tmp/meta.cpb" \
	--report "$tmp/r.json" -- "$probe" statfs .
report_is "... the report says none" "$tmp/r.json" enforced.namespaces='"none"'
expect 0 "--ns-layer mount: a mount namespace only" "$cordon" run --ns-layer mount -p "$tmp/meta.cpb" \
	--report "$tmp/r.json" -- "$probe" statfs .
report_is "... the report says mount" "$tmp/r.json" enforced.namespaces='"mount"'
expect 125 "--ns-layer with a word it does not know is a usage error" \
	"$cordon" run --ns-layer mount,pid -p "$tmp/meta.cpb" -- "$probe" statfs .
check "... that names it" said "not 'mount,pid'"

# ---- the stock profiles still do their work --------------------------------
mode=""
printf 'use agent;\nuse shell;\n' >"$tmp/agent.cordon"
"$cordon" run -p "$tmp/agent.cordon" -- /usr/bin/true >"$tmp/out" 2>&1 || mode=--best-effort # no cgroup
aws="$tmp/aws"
mkdir -p "$aws"
printf 'use agent;\nuse shell;\nuse cc;\n' >"$tmp/acc.cordon"
expect 0 "use agent, shell, cc: a workspace script is chmod +x'd and run" \
	in_dir "$aws" "$cordon" run $mode -p "$tmp/acc.cordon" --workspace "$aws" -- sh -c \
	'printf "#!/bin/sh\necho script ran\n" >s.sh && chmod +x s.sh && ./s.sh'
check "... it ran" said "script ran"
if [ -x /usr/bin/python3 ]; then
	printf 'use agent;\nuse python;\n' >"$tmp/apy.cordon"
	expect 0 "use agent, python: multiprocessing.Pool works (on the private /dev/shm)" \
		"$cordon" run $mode -p "$tmp/apy.cordon" --workspace "$aws" --report "$tmp/r.json" -- \
		/usr/bin/python3 -c 'import multiprocessing as m
with m.Pool(2) as p: print("pool", sum(p.map(abs, [-1, -2, 3])))'
	check "... and computed" said "pool 6"
	report_is "... in its namespaces" "$tmp/r.json" enforced.namespaces='"mount,ipc"'
else
	skip "use agent, python: multiprocessing.Pool works" "no /usr/bin/python3"
fi
if command -v git >/dev/null 2>&1; then
	printf '[user]\n\tname = Test\n\temail = test@example.com\n' >"$HOME/.gitconfig"
	(cd "$aws" && git init -q && echo a >a && git add a &&
		git -c user.name=T -c user.email=t@e commit -q -m init) >"$tmp/out" 2>&1
	echo b >>"$aws/a"
	printf 'use agent;\nuse git;\n' >"$tmp/agit.cordon"
	expect 0 "use agent, git: git commit works" \
		in_dir "$aws" "$cordon" run $mode -p "$tmp/agit.cordon" --workspace "$aws" -- \
		/usr/bin/git commit -q -a -m change
	check "... (two commits)" test "$(cd "$aws" && git rev-list --count HEAD)" = 2
	in_dir "$aws" "$cordon" run $mode -p "$tmp/agit.cordon" --workspace "$aws" -- \
		/usr/bin/git config --file .git/hooks/x a.b c >"$tmp/out" 2>&1
	got=$?
	check "... while .git/hooks stays read-only (exit $got)" \
		sh -c "[ $got != 0 ] && [ ! -e '$aws/.git/hooks/x' ] && grep -q 'Read-only' '$tmp/out'"
else
	skip "use agent, git: git commit works" "no git"
fi

finish
