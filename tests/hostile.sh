#!/bin/sh
# cordonc on a hostile repository's policy (issue 10), as TAP: every attack
# of the policy on the compiler itself, each with its control (the same
# include of a proper file works, or the same text is quoted when it is a
# policy, so that each test can fail).  Every compile runs under `timeout`,
# so a compile that blocks fails the test instead of hanging it.  Runs as
# root and as uid 65534 (tests/run-tests).
# usage: tests/hostile.sh BUILD_DIR   (run from the repository root)
set -u
root=$PWD
. tests/tap.sh
. tests/lib.sh
use_build "${1:-build}"
cc=$cordonc
tmp=$(mktemp -d)
writer=
trap '[ -n "$writer" ] && kill "$writer" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
umask 022
secret="cordon-secret-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"

# run STATUS DESCRIPTION CMD...: expect, under a timeout (124: it blocked)
run() {
	w=$1 d=$2
	shift 2
	expect "$w" "$d" timeout 20 "$@"
}
says() { said "$1"; }
no_secret() { not_said "$secret"; }
has_secret() { said "$secret"; }
# policy FILE TEXT: a policy file of the repository
policy() { printf '%s\n' "$2" >"$1"; chmod 644 "$1"; }

mkdir repo repo/sub outside
policy repo/ok.cordon 'allow read ./ok;'
policy repo/sub/ok.cordon 'allow read ./sub-ok;'
printf '%s\n' "$secret" >outside/secret.txt
# a policy file with a syntax error holding the secret: the control that
# shows the secret would be quoted if such a file were read as a policy
policy repo/quoted.cordon "allow read ./a $secret read;"
U="--untrusted $tmp/repo"

# ---- the control: a repository policy with includes compiles ------------
policy repo/.cordon 'include "ok.cordon"; include "sub/ok.cordon"; include "sub/../ok.cordon";'
run 0 "control: includes beneath ROOT compile under --untrusted" "$cc" $U --check repo/.cordon
policy repo/.cordon "include \"$tmp/repo/ok.cordon\";"
run 0 "control: an absolute include beneath ROOT compiles" "$cc" $U --check repo/.cordon
policy repo/.cordon 'include "quoted.cordon";'
run 1 "control: a policy's own syntax error" "$cc" $U --check repo/.cordon
check "... is quoted, secret and all (so the checks below can fail)" has_secret

# ---- a FIFO: refused at once, never read, never blocking -------------------
mkfifo repo/fifo
policy repo/.cordon 'include "fifo";'
run 1 "an include of a FIFO with no writer fails at once" "$cc" --check repo/.cordon
check "... saying it is a FIFO" says "is a FIFO"
# a writer that holds the FIFO open with the secret in it
(exec 3<>repo/fifo; printf 'allow read ./%s;\n' "$secret" >&3; sleep 60) &
writer=$!
run 1 "an include of a FIFO with a writer fails at once" "$cc" --check repo/.cordon
check "... and nothing of it is read" no_secret
run 1 "the same under --untrusted" "$cc" $U --check repo/.cordon
check "... says it is a FIFO" says "is a FIFO"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
writer=
run 1 "a FIFO as the main file under --untrusted is refused" "$cc" $U --check repo/fifo

# ---- devices and the kernel's files ----------------------------------------
policy repo/.cordon 'include "/dev/zero";'
run 1 "an include of /dev/zero fails at once" "$cc" --check repo/.cordon
check "... saying it is a character device" says "is a character device"
run 1 "... and under --untrusted it leaves ROOT" "$cc" $U --check repo/.cordon
check "... so it is not opened" says "outside the repository.*not opened"
policy repo/.cordon 'include "/proc/self/environ";'
run 1 "an include of /proc/self/environ is refused" env CORDON_TEST_SECRET="$secret" "$cc" --check repo/.cordon
check "... saying it is on /proc" says "is on /proc"
check "... and the secret in the environment appears nowhere" no_secret
policy repo/.cordon 'include "/sys/kernel/mm/transparent_hugepage/enabled";'
run 1 "an include of a /sys file is refused" "$cc" --check repo/.cordon
check "... saying it is on /sys (or not there)" says "on /sys\|cannot open"
cp outside/secret.txt outside/stdin.txt
policy repo/.cordon 'include "/dev/stdin";'
timeout 20 "$cc" --check repo/.cordon <outside/stdin.txt >out 2>&1
check "an include of /dev/stdin (a file) is refused (exit $?)" [ $? = 1 ]
check "... as a link into /proc, and nothing of it is quoted" sh -c 'grep -q "link into /proc" out && ! grep -q -- "$0" out' "$secret"
ln -s /proc/self/environ repo/env.cordon
policy repo/.cordon 'include "env.cordon";'
run 1 "a symbolic link to /proc/self/environ is refused" env CORDON_TEST_SECRET="$secret" "$cc" --check repo/.cordon
check "... with nothing of the environment" no_secret
run 1 "... and under --untrusted" env CORDON_TEST_SECRET="$secret" "$cc" $U --check repo/.cordon
check "... with nothing of the environment" no_secret

# ---- symbolic links and paths that leave ROOT ------------------------------
ln -s ../outside/secret.txt repo/link.cordon
ln -s ../outside repo/outdir
ln -s ok.cordon repo/inlink.cordon
policy repo/.cordon 'include "link.cordon";'
run 1 "control: without --untrusted a link to a file outside is read" "$cc" --check repo/.cordon
check "... and quoted (the user's own policy)" has_secret
run 1 "under --untrusted a symbolic link to a secret outside ROOT is refused" "$cc" $U --check repo/.cordon
check "... saying it leads out of the repository" says "leads out of the repository"
check "... and the secret appears nowhere" no_secret
policy repo/.cordon 'include "outdir/secret.txt";'
run 1 "a directory link that leads out of ROOT is refused" "$cc" $U --check repo/.cordon
check "... and the secret appears nowhere" no_secret
policy repo/.cordon 'include "inlink.cordon";'
run 0 "control: a symbolic link that stays inside ROOT is followed" "$cc" $U --check repo/.cordon
policy repo/.cordon 'include "../outside/secret.txt";'
run 1 "an include of ../ that leaves ROOT is refused" "$cc" $U --check repo/.cordon
check "... without opening the file" says "outside the repository.*not opened"
check "... and the secret appears nowhere" no_secret
policy repo/.cordon 'include "sub/../../outside/secret.txt";'
run 1 "... also through a subdirectory" "$cc" $U --check repo/.cordon
check "... and the secret appears nowhere" no_secret
policy repo/.cordon "include \"$tmp/outside/secret.txt\";"
run 1 "an absolute include outside ROOT is refused" "$cc" $U --check repo/.cordon
check "... and the secret appears nowhere" no_secret
ln -s ../outside/secret.txt repo/main.cordon
run 1 "a main file that is a link out of ROOT is refused" "$cc" $U --check repo/main.cordon
check "... and the secret appears nowhere" no_secret
run 1 "a main file outside ROOT is refused" "$cc" $U --check outside/secret.txt
check "... and the secret appears nowhere" no_secret
run 2 "--untrusted with standard input is refused" sh -c "'$cc' $U --check - <repo/ok.cordon; [ \$? = 1 ] && exit 2"
run 1 "--untrusted of a missing directory fails" "$cc" --untrusted "$tmp/nonexistent" --check repo/ok.cordon

# ---- ssh's StrictModes -------------------------------------------------------
policy repo/.cordon 'include "ok.cordon";'
chmod g+w repo/ok.cordon
run 1 "a group-writable include is refused under --untrusted" "$cc" $U --check repo/.cordon
check "... saying what to run" says "chmod go-w"
run 0 "control: without --untrusted it compiles" "$cc" --check repo/.cordon
chmod 644 repo/ok.cordon
run 0 "control: after chmod go-w it compiles under --untrusted" "$cc" $U --check repo/.cordon
chmod o+w repo/.cordon
run 1 "a world-writable main file is refused under --untrusted" "$cc" $U --check repo/.cordon
check "... saying others can write it" says "writable by others"
chmod 644 repo/.cordon
if [ "$(id -u)" = 0 ]; then
	chown 12345 repo/ok.cordon
	run 1 "an include owned by another user is refused under --untrusted" "$cc" $U --check repo/.cordon
	check "... naming the owner" says "owned by uid 12345"
	chown 0 repo/ok.cordon
	run 0 "control: owned by root it compiles" "$cc" $U --check repo/.cordon
else
	n=$((n + 1)); echo "ok $n # skip chown needs root"
fi

# ---- text that is not a policy is never quoted ----------------------------
printf 'allow read ./a;\n%s\000\n' "$secret" >repo/nul.cordon
policy repo/.cordon 'include "nul.cordon";'
run 1 "a file with a NUL byte is refused" "$cc" --check repo/.cordon
check "... at its line and column, quoting nothing of it" sh -c 'grep -q "nul.cordon:2:" out && ! grep -q -- "$0" out' "$secret"
printf 'allow read ./a;\n%s\377\n' "$secret" >repo/bin.cordon
policy repo/.cordon 'include "bin.cordon";'
run 1 "a file that is not UTF-8 is refused" "$cc" --check repo/.cordon
check "... naming invalid UTF-8, quoting nothing of it" sh -c 'grep -q "invalid UTF-8" out && ! grep -q -- "$0" out' "$secret"

# ---- bounds: bytes read, errors -------------------------------------------
awk 'BEGIN { for (i = 0; i < 60000; i++) print "include \"/dev/zero\";" }' >repo/many.cordon
awk 'BEGIN { for (i = 0; i < 60000; i++) print "include \"ok.cordon\";" }' >repo/many-ok.cordon
chmod 644 repo/many.cordon repo/many-ok.cordon
t0=$(date +%s%N)
run 0 "control: 60,000 includes of a proper file compile" "$cc" --check repo/many-ok.cordon
t1=$(date +%s%N)
run 1 "60,000 lines of include \"/dev/zero\" fail" "$cc" --check repo/many.cordon
t2=$(date +%s%N)
check "... stopping after 20 errors" sh -c 'grep -q "too many errors; stopping" out && [ "$(grep -c "error: .*character device" out)" = 20 ]'
good=$(((t1 - t0) / 1000000)) bad=$(((t2 - t1) / 1000000))
check "... no slower than the control (${bad} ms against ${good} ms)" [ "$bad" -le $((good + 200)) ]
run 1 "the same under --untrusted" "$cc" $U --check repo/many.cordon
check "... stops after 20 errors" says "too many errors; stopping"
head -c 5000000 /dev/zero | tr '\0' '#' >repo/big.cordon
chmod 644 repo/big.cordon
policy repo/.cordon 'include "big.cordon";'
run 1 "a 5 MB include (a comment) is refused" "$cc" --check repo/.cordon
check "... past the 4 MiB a compile reads" says "past 4 MiB"
run 1 "standard input is bounded too" sh -c "head -c 6000000 /dev/zero | '$cc' --check -"
check "... (4 MiB)" says "past 4 MiB"
head -c 1000000 /dev/zero | tr '\0' '#' >repo/big.cordon
run 0 "control: a 1 MB include compiles" "$cc" --check repo/.cordon

echo "1..$n"
[ $fails = 0 ]
