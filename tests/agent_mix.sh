#!/bin/sh
# A coding agent's session under the stock profiles, as TAP: the everyday
# command mix of an agent on a small Python + Node + C repository, under
#
#     use agent; use python; use node; use git; use shell; use cc;
#
# Each of the session's commands (below, in order; state carries over from
# one to the next: files made, edited, built, committed) runs twice with
# /bin/bash -c, on two copies of the same repository that start equal:
#
#   - in $tmp/sbx under `cordon run -q` (the sandbox), and
#   - in $tmp/ctl without cordon (the control), with the environment the
#     sandbox gives its command (its TMPDIR a fresh directory per command,
#     as the sandbox's private one is), so that both run the same programs
#     with the same settings;
#
# and the two must agree: exit status, standard output and standard error,
# after normalising what differs by nature (the two workspaces' and temporary
# directories' paths, commit hashes, times and dates, durations).  The target
# is zero differences.  The few commands the policy is meant to stop are
# listed with their reason (`expect_diff`): for them the test checks that the
# sandbox did differ (so that the test can fail both ways), and runs them at
# the end of the session, where they change nothing the others depend on.
#
# Standard output and error are files outside every grant ($tmp/out, not in
# the workspace), as when an agent's harness captures them: `>/dev/stdout`
# and `>/dev/stderr` in the mix go through cordon's rule for the files fds 1
# and 2 already are (runtime/std_fds.c).
#
# The programs the mix needs are installed when run as root (apt-get);
# as another user a missing one fails the test with the line to run.  Where
# this user cannot have a cgroup (uid 65534 without delegation) the runs use
# --best-effort, as tests/workloads.sh does.
#
# usage: tests/agent_mix.sh BUILD_DIR   (run from the repository root)
#        setpriv --reuid=65534 --regid=65534 --clear-groups sh tests/agent_mix.sh BUILD_DIR
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
use_build "${1:-}"
need_build
tmp=$(mktemp -d) || exit 1
listener=""
cleanup() {
	[ -n "$listener" ] && kill "$listener" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
uid=$(id -u)

# ---- the programs of the mix ----------------------------------------------
# shellcheck source=tests/need.sh
. "$root/tests/need.sh"
have=1
want() { # DESCRIPTION PACKAGES TEST...
	need "$@" || { fail "$1 is there for the mix: $missing"; have=""; }
}
want "git" git sh -c 'command -v git'
want "gcc, g++ and make" "gcc g++ make libc6-dev" sh -c 'command -v g++ && command -v make'
want "cmake" cmake sh -c 'command -v cmake && command -v ctest'
want "pkg-config and zlib's .pc" "pkgconf zlib1g-dev" pkg-config --exists zlib
want "Python 3, pytest, venv, pip and Debian's wheels" \
	"python3 python3-pytest python3-venv python3-pip python3-wheel-whl" \
	sh -c '/usr/bin/python3 -c "import pytest, venv, ensurepip" &&
		ls /usr/share/python-wheels/setuptools-*.whl /usr/share/python-wheels/wheel-*.whl'
want "Node.js" nodejs /usr/bin/node -e 0
want "npm" npm sh -c 'command -v npm && command -v npx'
want "archive tools" "tar gzip xz-utils bzip2 zstd zip unzip" \
	sh -c 'for p in tar gzip xz bzip2 zstd zip unzip; do command -v $p || exit 1; done'
want "patch, less, file" "patch less file" \
	sh -c 'command -v patch && command -v less && command -v file'
want "jq, sqlite3, rg" "jq sqlite3 ripgrep" \
	sh -c 'command -v jq && command -v sqlite3 && command -v rg'
if [ -z "$have" ]; then
	echo "1..$n"
	exit 1
fi

# ---- the repository, in two copies ------------------------------------------
home="$tmp/home"
mkdir -p "$home/.ssh" "$tmp/cache" "$tmp/stmp" "$tmp/repo"
printf '[user]\n\tname = Agent Mix\n\temail = mix@example.com\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n' \
	>"$home/.gitconfig"
echo "-----BEGIN FAKE KEY-----" >"$home/.ssh/id_rsa"
r="$tmp/repo"
mkdir -p "$r/src/calc" "$r/tests" "$r/js/test" "$r/vendor/padlib/bin" "$r/c/src" "$r/c/tests"
cat >"$r/README.md" <<'EOF'
# mixproj

A small Python + Node + C project.
TODO: write the docs
foo and more foo
EOF
cat >"$r/pyproject.toml" <<'EOF'
[build-system]
requires = ["setuptools>=61", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "mixcalc"
version = "0.1.0"

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
pythonpath = ["src"]
EOF
cat >"$r/src/calc/__init__.py" <<'EOF'
"""Arithmetic for the mix."""


def add(a, b):
    return a + b


def mul(a, b):
    return a * b
EOF
cat >"$r/tests/test_calc.py" <<'EOF'
from calc import add, mul


def test_add():
    assert add(2, 3) == 5


def test_mul():
    assert mul(2, 3) == 6
EOF
cat >"$r/.gitignore" <<'EOF'
node_modules/
.venv/
*.egg-info/
c/build/
c/bin/
build-cmake/
__pycache__/
.pytest_cache/
EOF
cat >"$r/js/package.json" <<'EOF'
{
  "name": "mixjs",
  "version": "1.0.0",
  "private": true,
  "scripts": {
    "test": "node --test",
    "build": "node build.js"
  }
}
EOF
cat >"$r/js/lib.js" <<'EOF'
exports.greet = (name) => 'hello, ' + name;
EOF
cat >"$r/js/index.js" <<'EOF'
const { greet } = require('./lib');
console.log(greet(process.argv[2] || 'agent'));
EOF
cat >"$r/js/build.js" <<'EOF'
const fs = require('fs');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/out.txt', require('./lib').greet('build') + '\n');
console.log('built dist/out.txt');
EOF
cat >"$r/js/test/lib.test.js" <<'EOF'
const test = require('node:test');
const assert = require('node:assert');
const { greet } = require('../lib');
test('greet', () => assert.strictEqual(greet('x'), 'hello, x'));
test('greet empty', () => assert.strictEqual(greet(''), 'hello, '));
EOF
cat >"$r/vendor/padlib/package.json" <<'EOF'
{"name": "padlib", "version": "1.0.0", "main": "index.js", "bin": {"padlib": "bin/padlib.js"}}
EOF
cat >"$r/vendor/padlib/index.js" <<'EOF'
exports.pad = (s, n) => String(s).padStart(n, '0');
EOF
printf '#!/usr/bin/env node\nconsole.log(require("..").pad(process.argv[2], 5));\n' \
	>"$r/vendor/padlib/bin/padlib.js"
chmod +x "$r/vendor/padlib/bin/padlib.js"
cat >"$r/c/src/mathx.h" <<'EOF'
int mathx_add(int a, int b);
int mathx_sq(int a);
EOF
cat >"$r/c/src/mathx.c" <<'EOF'
#include "mathx.h"
int mathx_add(int a, int b) { return a + b; }
int mathx_sq(int a) { return a * a; }
EOF
cat >"$r/c/src/main.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include "mathx.h"
int main(int argc, char **argv)
{
	int a = argc > 1 ? atoi(argv[1]) : 2, b = argc > 2 ? atoi(argv[2]) : 3;
	printf("%d + %d = %d\n", a, b, mathx_add(a, b));
	return 0;
}
EOF
cat >"$r/c/tests/test_mathx.c" <<'EOF'
#include <stdio.h>
#include "../src/mathx.h"
int main(void)
{
	int bad = (mathx_add(2, 2) != 4) + (mathx_sq(3) != 9);
	printf("test_mathx: %s\n", bad ? "FAIL" : "ok");
	return bad;
}
EOF
printf '%s\n' \
	'CFLAGS ?= -O2 -Wall' \
	'all: bin/mix bin/test_mathx' \
	'build/%.o: src/%.c src/mathx.h' \
	'	@mkdir -p build' \
	'	$(CC) $(CFLAGS) -c -o $@ $<' \
	'bin/mix: build/main.o build/mathx.o' \
	'	@mkdir -p bin' \
	'	$(CC) -o $@ $^' \
	'bin/test_mathx: tests/test_mathx.c build/mathx.o' \
	'	@mkdir -p bin' \
	'	$(CC) $(CFLAGS) -o $@ $^' \
	'check: bin/test_mathx' \
	'	./bin/test_mathx' \
	'clean:' \
	'	rm -rf build bin' \
	'.PHONY: all check clean' >"$r/c/Makefile"
cat >"$r/c/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.13)
project(mix)
add_library(mathx STATIC src/mathx.c)
add_executable(mix src/main.c)
target_link_libraries(mix mathx)
add_executable(test_mathx tests/test_mathx.c)
target_link_libraries(test_mathx mathx)
enable_testing()
add_test(NAME unit COMMAND test_mathx)
add_test(NAME run COMMAND mix 4 5)
EOF
sbx="$tmp/sbx" ctl="$tmp/ctl"
cp -R "$r" "$sbx" && cp -R "$r" "$ctl"

# ---- how the two run --------------------------------------------------------
pol="$tmp/mix.cordon"
printf 'use agent; use python; use node; use git; use shell; use cc;\n' >"$pol"
# the caller's environment of every sandboxed run
runenv() {
	env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 TMPDIR="$tmp/stmp" \
		XDG_CACHE_HOME="$tmp/cache" CORDON_PATH="$root/stdlib-policies" "$@"
}
mode=""
printf 'use agent;\nallow exec /usr/bin/true;\n' >"$tmp/probe.cordon"
if ! runenv "$cordon" run -q -p "$tmp/probe.cordon" -- /usr/bin/true >"$tmp/out" 2>&1; then
	if grep -q cgroup "$tmp/out"; then
		mode=--best-effort
		echo "# uid $uid cannot have a cgroup here: the sandboxed runs use --best-effort"
	else
		fail "a policy using agent runs here" "$tmp/out"
	fi
fi
# The control's environment: what the sandbox gives its command (base's
# allowlist and the profiles' settings), its private TMPDIR replaced by the
# control's own.
# shellcheck disable=SC2086 # $mode is empty or one option
(cd "$sbx" && runenv "$cordon" run -q $mode -p "$pol" --workspace "$sbx" -- /usr/bin/env) \
	>"$tmp/env" 2>"$tmp/err" </dev/null
stmp_re="$tmp/stmp/cordon-[0-9]*-[A-Za-z0-9]*"
ctmp="$tmp/ctmp"
if grep -q "^TMPDIR=$tmp/stmp/cordon-" "$tmp/env" && [ ! -s "$tmp/err" ]; then
	pass "the sandbox's environment, for the control: $(wc -l <"$tmp/env") variables"
else
	cat "$tmp/err" >>"$tmp/env"
	fail "the sandbox's environment, for the control" "$tmp/env"
fi
sed "s|$stmp_re|$ctmp|g" "$tmp/env" >"$tmp/ctl.env"

# norm FILE: what differs by nature between the two runs, made equal
norm() {
	sed -E -e "s|$sbx|WS|g; s|$ctl|WS|g; s|$stmp_re|TMP|g; s|$ctmp|TMP|g" \
		-e 's/(pip-[a-z-]+-)[a-z0-9_]{8}/\1X/g; s|/wheels/[0-9a-f]{2}/[0-9a-f/]{20,}|/wheels/X|g' \
		-e 's/\b[0-9a-f]{7,64}\b/HASH/g' \
		-e 's/\b[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:._Z+-]+)?/DATE/g' \
		-e 's/\b[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?\b/TIME/g' \
		-e 's/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +[0-9]+/DAY/g' \
		-e 's/[0-9]+(\.[0-9]+)? ?(ms|s|sec|seconds)\b/N\2/g' \
		"$1"
}

# step CMD: the next command of the session, on both sides.  Sets $rs, $rc
# (exit statuses) and leaves the normalised outputs in $tmp/{s,c}.{out,err}.
k=0
step() {
	k=$((k + 1))
	# shellcheck disable=SC2086
	(cd "$sbx" && runenv timeout 600 "$cordon" run -q $mode -p "$pol" --workspace "$sbx" -- \
		/bin/bash -c "$1") >"$tmp/out" 2>"$tmp/err" </dev/null
	rs=$?
	norm "$tmp/out" >"$tmp/s.out"
	norm "$tmp/err" >"$tmp/s.err"
	rm -rf "$ctmp" && mkdir "$ctmp"
	(
		cd "$ctl" || exit 125
		set --
		while IFS= read -r v; do set -- "$@" "$v"; done <"$tmp/ctl.env"
		exec env -i "$@" timeout 600 /bin/bash -c "$CMD"
	) >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	norm "$tmp/out" >"$tmp/c.out"
	norm "$tmp/err" >"$tmp/c.err"
}
same() { [ "$rs" = "$rc" ] && cmp -s "$tmp/s.out" "$tmp/c.out" && cmp -s "$tmp/s.err" "$tmp/c.err"; }
# shows how the last step differed
show() {
	{
		echo "command: $CMD"
		echo "exit: sandbox $rs, control $rc"
		echo "--- stdout: sandbox, +++ control:"
		diff -u "$tmp/s.out" "$tmp/c.out" | sed 1,2d
		echo "--- stderr: sandbox, +++ control:"
		diff -u "$tmp/s.err" "$tmp/c.err" | sed 1,2d
	} >"$tmp/show"
}
short() { printf '%s' "$1" | tr '\n' ' ' | tr -d '\\' | cut -c1-90; }

# mix CMD: one command of the session; it must give the same on both sides
ndiff=0
mix() {
	CMD=$1
	export CMD
	step "$1"
	if same; then
		pass "mix $k: $(short "$1") (exit $rs)"
	else
		ndiff=$((ndiff + 1))
		show
		fail "mix $k: $(short "$1"): the sandbox differs from the control" "$tmp/show"
	fi
}
# expect_diff REASON CMD: a command the policy is meant to stop: the
# sandbox must refuse it (exit non-zero) where the control does it
expect_diff() {
	CMD=$2
	export CMD
	step "$2"
	if [ "$rs" != 0 ] && [ "$rc" = 0 ]; then
		pass "mix $k: $(short "$2"): stopped in the sandbox only ($1)"
	else
		show
		fail "mix $k: $(short "$2"): stopped in the sandbox only ($1)" "$tmp/show"
	fi
}

# ---- the session --------------------------------------------------------------
# looking around
mix 'ls; cat README.md'
mix 'git init -q && git add -A && git commit -q -m "initial import" && git log --oneline'
mix 'git status --short; git branch --show-current'
mix 'grep -rn "def " src tests | sort'
mix 'rg -n "greet" js | sort'
mix 'rg --files | sort | head -20'
mix 'find . -name "*.py" -not -path "./.git/*" | sort'
mix 'wc -l src/calc/__init__.py js/*.js c/src/*.c | sort -n'
mix 'head -3 pyproject.toml; tail -n 2 c/CMakeLists.txt'
mix 'less -FX README.md | head -2'
mix 'file -b README.md c/src/main.c; file -b --mime-type js/package.json'
mix 'uname -s; getconf PAGE_SIZE; getconf PATH; locale | head -3; id -un >/dev/null && echo id ok'
mix 'grep -E "^(ID|VERSION_CODENAME)=" /etc/os-release; cat /etc/debian_version | cut -c1-2'
# Python
mix 'python3 --version; python3 -m pytest -q tests'
mix 'pytest -q'
mix 'sed -i "s/return a \* b/return b * a  # commutes/" src/calc/__init__.py && grep -n commutes src/calc/__init__.py && git diff --stat'
mix 'cat >src/calc/stats.py <<"EOF"
from . import add


def mean(xs):
    total = 0
    for x in xs:
        total = add(total, x)
    return total / len(xs)
EOF
python3 -c "import sys; sys.path.insert(0, \"src\"); from calc import stats; print(stats.mean([1, 2, 3, 6]))"'
mix 'cat >fix.patch <<"EOF"
--- a/src/calc/stats.py
+++ b/src/calc/stats.py
@@ -6,4 +6,6 @@
     total = 0
     for x in xs:
         total = add(total, x)
+    if not xs:
+        return 0.0
     return total / len(xs)
EOF
patch -p1 --dry-run <fix.patch && patch -p1 <fix.patch && rm fix.patch && tail -3 src/calc/stats.py'
mix 'cat >tests/test_stats.py <<"EOF"
from calc.stats import mean


def test_mean():
    assert mean([2, 4]) == 3
EOF
python3 -m pytest -q'
mix 'python3 -c "import json, mimetypes, platform; print(mimetypes.guess_type(\"x.json\")[0], platform.freedesktop_os_release()[\"ID\"], json.dumps({\"ok\": 1}))"'
mix 'python3 - <<"EOF"
import multiprocessing as mp, subprocess, sys, tempfile, threading
def sq(x):
    return x * x
if __name__ == "__main__":
    with mp.get_context("fork").Pool(2) as p:
        print(sum(p.map(sq, range(10))))
    t = threading.Thread(target=print, args=("thread",)); t.start(); t.join()
    print(subprocess.run([sys.executable, "-c", "print(42)"], capture_output=True, text=True).stdout.strip())
    with tempfile.NamedTemporaryFile() as f:
        print("tmp", f.name.startswith(tempfile.gettempdir()))
EOF'
mix 'python3 -m venv .venv && .venv/bin/python -c "import sys; print(sys.prefix != sys.base_prefix)"'
mix '.venv/bin/pip install -q -e . && .venv/bin/python -c "import calc; print(calc.add(40, 2))"'
mix '.venv/bin/pip list --format=freeze 2>/dev/null | grep -i mixcalc; .venv/bin/pip --version | cut -d" " -f1,2'
mix 'python3 -m pip download -q --no-deps -d dl requests; echo "pip download: $?"'
# Node
mix 'node --version >/dev/null && node js/index.js && node js/index.js mix'
mix 'cd js && node --test 2>&1 | grep -E "^# (tests|pass|fail)"'
mix 'cd js && npm test 2>&1 | grep -E "^(# (pass|fail)|> )"'
mix 'cd js && npm run build && cat dist/out.txt'
mix 'cd vendor/padlib && npm pack --silent && ls *.tgz'
mix 'cd js && npm install --no-progress ../vendor/padlib/padlib-1.0.0.tgz && ls node_modules && jq -r ".dependencies.padlib" package.json'
mix 'cd js && node -e "console.log(require(\"padlib\").pad(7, 3))" && npx padlib 42'
mix 'cd js && npm ls --depth=0'
mix 'cd js && timeout 120 npx --yes cowsay hello; echo "npx of an unknown package: $?"'
mix 'cd js && npm install ../vendor/padlib >/dev/null && readlink node_modules/padlib'
# C
mix 'cd c && make'
mix 'cd c && make check && ./bin/mix 20 22'
mix 'cd c && cmake -S . -B build-cmake >/dev/null && cmake --build build-cmake >/dev/null && ls build-cmake/mix build-cmake/libmathx.a'
mix 'cd c && ctest --test-dir build-cmake 2>&1 | grep -E "tests passed|Passed" | sed "s/  *[0-9.]* sec//"'
mix 'pkg-config --cflags --libs zlib; pkg-config --modversion zlib >/dev/null && echo zlib ok'
mix 'cd c && ar rcs libmx.a build/mathx.o && ar t libmx.a && nm libmx.a | grep -c " T "'
mix 'cd c && ld -r -o both.o build/main.o build/mathx.o && nm both.o | awk "{print \$NF}" | sort'
mix 'cd c && strip -o mix.stripped bin/mix && file -b mix.stripped | cut -d, -f1 && ./mix.stripped 1 1'
mix 'printf "#include <zlib.h>\n#include <stdio.h>\nint main(void){puts(zlibVersion()[0] ? \"zlib linked\" : \"?\");return 0;}\n" >c/z.c && cc -o c/z c/z.c $(pkg-config --libs zlib) && ./c/z'
mix 'make -C c clean >/dev/null && ls c | sort'
# git
mix 'git add -A && git commit -q -m "stats, patch, builds" && git log --oneline | wc -l'
mix 'git checkout -q -b feature && echo "EXTRA = 1" >src/calc/extra.py && git add src/calc/extra.py && git commit -q -m extra && git branch'
mix 'git checkout -q main && git log --oneline --all --graph'
mix 'echo "wip line" >>README.md && git stash && git stash list && git status --short && git stash pop && git diff --stat'
mix 'git merge -q --no-edit feature && git log --oneline -3 && ls src/calc'
mix 'git tag v0.1 && git describe --tags && git show --stat HEAD | tail -2'
mix 'git diff HEAD~1 --name-only; git grep -n "EXTRA"'
mix 'git rev-parse --abbrev-ref HEAD && git config user.email'
# archives and compression
mix 'tar czf src.tar.gz src && tar tzf src.tar.gz | sort'
mix 'mkdir -p unpack && tar xzf src.tar.gz -C unpack && diff -r src unpack/src && echo same'
mix 'tar cJf src.tar.xz src && tar cjf src.tar.bz2 src && tar --zstd -cf src.tar.zst src && for f in src.tar.*; do tar tf "$f" | wc -l; done'
mix 'gzip -k README.md && gunzip -c README.md.gz | head -1 && zcat README.md.gz | wc -l'
mix 'xz -k README.md && xz -dc README.md.xz | wc -c && bzip2 -k README.md && bzcat README.md.bz2 | wc -l'
mix 'zip -q -r src.zip src && unzip -l src.zip | tail -1 | awk "{print \$2}"'
mix 'mkdir -p z && unzip -q -o src.zip -d z && diff -r src z/src && echo zip round trip'
mix 'zstd -q README.md -o README.md.zst && zstd -dc README.md.zst | head -1'
# data
mix 'jq -r ".name, .version" js/package.json; echo "[{\"a\": 1}, {\"a\": 2}]" | jq "map(.a) | add"'
mix 'sqlite3 data.db "create table t (x int); insert into t values (1), (2), (3); select sum(x) from t;"'
mix 'sqlite3 -json data.db "select * from t where x > 1"; sqlite3 data.db ".tables"'
mix 'file -b --mime-type data.db src.tar.gz src.zip'
mix 'rg -c "foo" README.md; rg -l "def mean" | sort'
# text tools and the standard streams
mix 'perl -pi -e "s/foo/bar/g" README.md && grep -c bar README.md'
mix 'printf "b\na\nb\nc\n" >words.txt && sort words.txt | uniq -c && sort -u words.txt | xargs echo && awk "{n++} END {print n}" words.txt'
mix 'echo "to stderr" >/dev/stderr; echo "to stdout" >>/dev/stdout; echo "warn" >&2'
mix 'jq . /dev/stdin <js/package.json | head -2'
mix 'timeout 5 sleep 0.1; echo "timeout: $?"; env | grep -c "^PATH="; stat -c %s words.txt'
mix 'git add -A && git commit -q -m "archives, data, text" && git status --short | wc -l'
# what the policy means to stop (last: they leave the two sides different)
expect_diff "nothing of the home directory: ~/.ssh" 'cat ~/.ssh/id_rsa'
expect_diff "agent keeps .git/hooks read-only: code git runs later" \
	'echo "echo planted" >.git/hooks/post-commit && chmod +x .git/hooks/post-commit'
# net none: a listener of this test on the loopback
if /usr/bin/python3 -c 'import socket' 2>/dev/null; then
	/usr/bin/python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    s.accept()[0].close()
' "$tmp/port" &
	listener=$!
	i=0
	while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	port=$(cat "$tmp/port" 2>/dev/null)
	expect_diff "net none: no connection, not even to the loopback" \
		"python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", $port), timeout=10); print(\"connected\")'"
fi

echo "# $k commands, $ndiff unexplained differences"
echo "1..$n"
[ $fails = 0 ]
