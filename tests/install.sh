#!/bin/sh
# `make install` and `make uninstall`, as TAP: after a plain `make`, an
# install into a temporary DESTDIR with PREFIX=/usr (not the PREFIX the
# build was made with) gives binaries that find their profiles by
# construction: the installed cordonc looks in ../share/cordon/policies
# beside its own directory (compiler/cordonc.c).  The installed cordon runs a
# command under `use agent;` with no CORDON_PATH and no -I, and the compile
# read the installed profiles (its .deps say so); the same holds for an
# install under another PREFIX.  A copy of cordonc outside any install does
# not find them (the control: the test could fail).  `make uninstall`
# removes every file the install made.
#
# The build must be up to date (make -q): the install never rebuilds.  Runs
# as root and as any user (everything under its own temp dir).
# usage: tests/install.sh BUILD_DIR   (run from the repository root)
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/lib.sh
. "$root/tests/lib.sh"
use_build "${1:-}"
need_build
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# the build's own make variables: a sanitizer build has no musl binaries
mk="B=$b"
[ -d "$b/musl" ] || mk="$mk MUSL=0"
# shellcheck disable=SC2086 # $mk is several words
if ! make -s -q -C "$root" $mk all >/dev/null 2>&1; then
	fail "$b is up to date (make -q all $mk; run make first)"
	echo "1..$n"
	exit 1
fi
pass "$b is up to date: the install copies, it does not rebuild"

mkdir -p "$tmp/home" "$tmp/cache" "$tmp/ws"
printf 'use agent;\nuse shell;\n' >"$tmp/ws/.cordon"
mode=""
# the installed binaries, with nothing of the test's environment to help them
installed() { # DIR CMD...: CMD with DIR/bin first on PATH, no CORDON_PATH
	d=$1
	shift
	(cd "$tmp/ws" && env -i PATH="$d/bin:/usr/bin:/bin" HOME="$tmp/home" \
		XDG_CACHE_HOME="$tmp/cache" TMPDIR="$tmp" "$@")
}
try_install() { # DESC DESTDIR PREFIX
	desc=$1 dest=$2 prefix=$3
	# shellcheck disable=SC2086
	expect 0 "$desc: make install DESTDIR=... PREFIX=$prefix" \
		make -s -C "$root" $mk install DESTDIR="$dest" PREFIX="$prefix"
	d="$dest$prefix"
	check "... cordon, cordonc and the profiles are there" sh -c \
		"test -x '$d/bin/cordon' && test -x '$d/bin/cordonc' &&
		 test -f '$d/share/cordon/policies/agent.cordon' &&
		 test -f '$d/share/cordon/policies/shell.cordon'"
	expect 0 "... the installed cordonc compiles \`use agent; use shell;\` without -I or CORDON_PATH" \
		installed "$d" "$d/bin/cordonc" --deps "$tmp/deps" -o "$tmp/ws.cpb" "$tmp/ws/.cordon"
	check "... from the installed profiles" grep -qx "$d/share/cordon/policies/agent.cordon" "$tmp/deps"
	installed "$d" "$d/bin/cordon" run -q -p "$tmp/ws/.cordon" -- /bin/true >"$tmp/out" 2>&1
	[ $? = 125 ] && grep -q cgroup "$tmp/out" && mode=--best-effort
	# shellcheck disable=SC2086 # $mode is empty or one option
	expect 0 "... and the installed cordon runs a command under it${mode:+ ($mode: no cgroup)}" \
		installed "$d" "$d/bin/cordon" run $mode --report "$tmp/r.json" -- /bin/echo ran
	check "... (its output)" said ran
	check "... with the policy it found" grep -q "\"policy\":\"$tmp/ws/.cordon\"" "$tmp/r.json"
}
try_install "PREFIX /usr (the build's is /usr/local)" "$tmp/dest" /usr
try_install "PREFIX /opt/cordon-test" "$tmp/dest2" /opt/cordon-test

# control: the same cordonc outside an install finds nothing there
mkdir -p "$tmp/loose/bin"
cp "$tmp/dest/usr/bin/cordonc" "$tmp/loose/bin/"
if [ -f /usr/local/share/cordon/policies/agent.cordon ]; then
	skip "control: a cordonc outside any install" "this machine has /usr/local/share/cordon installed"
else
	expect 1 "control: a copy of cordonc outside any install does not find the profiles" \
		installed "$tmp/loose" "$tmp/loose/bin/cordonc" --check "$tmp/ws/.cordon"
	check "... and says so" said "agent"
fi

# shellcheck disable=SC2086
expect 0 "make uninstall DESTDIR=... PREFIX=/usr" \
	make -s -C "$root" $mk uninstall DESTDIR="$tmp/dest" PREFIX=/usr
left=$(find "$tmp/dest" ! -type d)
if [ -z "$left" ]; then
	pass "... removes every file the install made"
else
	echo "$left" >"$tmp/out"
	fail "... removes every file the install made" "$tmp/out"
fi
check "... and the profile directory" test ! -e "$tmp/dest/usr/share/cordon"

echo "1..$n"
[ $fails = 0 ]
