#!/bin/sh
# What a user sees of cordon and relies on, as TAP:
#
#  - /dev/stdout, /dev/stderr and /dev/stdin reach the files that fds 1, 2
#    and 0 already are, when those lie outside every grant (runtime/
#    std_fds.c), and give nothing more: not the file's neighbours, not a
#    write to a file the caller opened read-only, not a file a `deny`
#    covers (each with the same action without cordon as its control);
#  - a refused exec says what to add, for the program, its interpreter and
#    `#!/usr/bin/env NAME` (runtime/exec_hint.c), the statement it gives
#    makes the command run, and a refusal that is not the policy's (no
#    execute bit) says nothing of the policy;
#  - allowed paths that do not exist make one warning line per run, however
#    many, and `-q` silences it;
#  - a strict run whose limits need a cgroup that this user cannot have is
#    refused in one line that names --best-effort and, on this host's
#    layout, the commands with which root delegates a cgroup; as root the
#    test runs those commands (the cgroup's name made unique to the test)
#    and the same run then passes, strict, as uid 65534.
#
# Runs as root and as any user (everything under its own temp dir).
# usage: tests/usability.sh BUILD_DIR   (run from the repository root)
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/lib.sh
. "$root/tests/lib.sh"
use_build "${1:-}"
need_build
tmp=$(mktemp -d) || exit 1
chmod 755 "$tmp" # uid 65534 reads the policies from here (root's half)
delegated=""
cleanup() {
	for d in $delegated; do rmdir "$d" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
uid=$(id -u)
export HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache" CORDON_PATH="$root/stdlib-policies"
export PATH=/usr/bin:/bin # the command's PATH names the programs in the messages
ws="$tmp/ws" out="$tmp/outside"
mkdir -p "$HOME" "$ws" "$out"
cd "$ws" || exit 1

# the policy NAME from standard input, as a source policy in $tmp
pol() { cat >"$tmp/$1.cordon"; }
run() { # POLICY ARGS...: cordon run -q with the policy of that name
	p=$1
	shift
	"$cordon" run -q -p "$tmp/$p.cordon" "$@"
}
mode=""
pol probe <<'EOF'
use agent;
allow exec /usr/bin/true;
EOF
run probe -- /usr/bin/true >"$tmp/out" 2>&1 || mode=--best-effort

# ---- the standard streams ------------------------------------------------------
pol sh <<'EOF'
use shell;
EOF
streams='echo out >/dev/stdout; echo err >/dev/stderr'
rm -f "$out/o" "$out/e"
sh -c "$streams" >"$out/o" 2>"$out/e"
check "control: /dev/stdout and /dev/stderr write the files fds 1 and 2 are" \
	sh -c "[ \"\$(cat '$out/o')\" = out ] && [ \"\$(cat '$out/e')\" = err ]"
rm -f "$out/o" "$out/e"
run sh -- /bin/sh -c "$streams" >"$out/o" 2>"$out/e"
st=$?
cp "$out/e" "$tmp/out"
check "cordon: /dev/stdout and /dev/stderr write them too, outside every grant (exit $st)" \
	sh -c "[ $st = 0 ] && [ \"\$(cat '$out/o')\" = out ] && [ \"\$(cat '$out/e')\" = err ]"
echo first >"$out/a"
run sh -- /bin/sh -c 'echo second >>/dev/stdout' >>"$out/a" 2>"$tmp/out"
check "... appending through /dev/stdout keeps what was there" \
	sh -c "[ \"\$(cat '$out/a' | tr '\n' ' ')\" = 'first second ' ]"
echo "from a file" >"$out/in"
run sh -- /bin/sh -c 'cat /dev/stdin' <"$out/in" >"$tmp/out" 2>&1
check "... /dev/stdin reads the file fd 0 is" said "from a file"
run sh -- /bin/sh -c 'echo piped >/dev/stdout' 2>&1 | cat >"$tmp/out"
check "... and /dev/stdout works when it is a pipe" said piped

# the rule is on that file only, with what its descriptor gives
echo keep >"$out/neighbour"
expect 0 "control: a file beside stdout's can be written" \
	sh -c "echo x >>'$out/neighbour' && sed -i '\$d' '$out/neighbour'"
run sh -- /bin/sh -c "echo stolen >>'$out/neighbour'" >"$out/o" 2>"$tmp/out"
st=$?
check "a file beside stdout's stays out of reach (exit $st)" \
	sh -c "[ $st != 0 ] && [ \"\$(cat '$out/neighbour')\" = keep ]"
# (EROFS where the namespace layer's read-only view stops it before
# Landlock's EACCES)
check "... with EACCES or EROFS" sh -c "grep -q 'Permission denied' '$tmp/out' ||
	grep -q 'Read-only file system' '$tmp/out'"
echo original >"$out/ro"
cp "$out/ro" "$out/ro-ctl"
sh -c 'echo overwritten >/dev/stdout' 1<"$out/ro-ctl" 2>/dev/null
check "control: without cordon, /dev/stdout reopens a read-only fd 1 for writing" \
	grep -q overwritten "$out/ro-ctl"
run sh -- /bin/sh -c 'echo overwritten >/dev/stdout' 1<"$out/ro" 2>"$tmp/out"
check "cordon: a fd 1 opened read-only is not made writable through /dev/stdout" \
	sh -c "grep -q 'Permission denied' '$tmp/out' && [ \"\$(cat '$out/ro')\" = original ]"
pol sh-deny <<EOF
use shell;
deny write $out/denied;
EOF
: >"$out/denied"
run sh-deny -- /bin/sh -c 'echo by-fd; echo by-name >>/dev/stdout' >>"$out/denied" 2>"$tmp/out"
check "a deny write of stdout's file holds for /dev/stdout (the descriptor itself still writes)" \
	sh -c "grep -q by-fd '$out/denied' && ! grep -q by-name '$out/denied' &&
		grep -q 'Permission denied' '$tmp/out'"

# ---- a refused exec says what to add ------------------------------------------
pol base <<'EOF'
use base;
EOF
expect 126 "a command outside the exec rules is refused" \
	"$cordon" run -q -p "$tmp/base.cordon" --report "$tmp/r.json" -- /usr/bin/true
check "... with the statement to add" \
	grep -qx 'cordon: /usr/bin/true: not executable under this policy (add: allow exec /usr/bin/true;)' \
	"$tmp/out"
report_is "... and the report's error says the same" "$tmp/r.json" reason='"error"' exit_code=126 \
	error='"/usr/bin/true: not executable under this policy (add: allow exec /usr/bin/true;)"'
printf '#!/bin/sh\necho script ran\n' >run.sh
chmod +x run.sh
pol ws-read <<'EOF'
use base;
allow read .;
EOF
expect 126 "a script where neither it nor its interpreter may run" \
	run ws-read --workspace "$ws" -- ./run.sh
check "... names both" grep -qx \
	'cordon: ./run.sh: not executable under this policy, nor its interpreter /bin/sh (add: allow exec ./run.sh /bin/sh;)' \
	"$tmp/out"
pol ws-script <<'EOF'
use base;
allow exec ./run.sh;
EOF
expect 126 "a script that may run but not its interpreter" \
	run ws-script --workspace "$ws" -- ./run.sh
check "... names the interpreter" grep -qx \
	'cordon: ./run.sh: its interpreter /bin/sh is not executable under this policy (add: allow exec /bin/sh;)' \
	"$tmp/out"
{ cat "$tmp/ws-script.cordon"; echo 'allow exec /bin/sh;'; } >"$tmp/ws-fixed.cordon"
expect 0 "... and with the statement it gave, it runs" run ws-fixed --workspace "$ws" -- ./run.sh
check "... (its output)" said "script ran"
printf '#!/usr/bin/env python3\nprint("env script ran")\n' >tool.py
chmod +x tool.py
pol ws-tool <<'EOF'
use base;
allow exec ./tool.py;
EOF
if [ -x /usr/bin/python3 ]; then
	expect 126 "a #!/usr/bin/env script" run ws-tool --workspace "$ws" -- ./tool.py
	check "... names env and the program env runs" grep -qx \
		'cordon: ./tool.py: its interpreter /usr/bin/env is not executable under this policy (add: allow exec /usr/bin/env /usr/bin/python3;)' \
		"$tmp/out"
	{ cat "$tmp/ws-tool.cordon"; echo 'allow exec /usr/bin/env /usr/bin/python3;'; } \
		>"$tmp/ws-tool-fixed.cordon"
	expect 0 "... and with the statement it gave, it runs" run ws-tool-fixed --workspace "$ws" -- ./tool.py
else
	skip "a #!/usr/bin/env script" "no /usr/bin/python3"
fi
printf '#!/bin/sh\necho spaced\n' >"my tool.sh"
chmod +x "my tool.sh"
expect 126 "a program whose name has a blank" run ws-read --workspace "$ws" -- "./my tool.sh"
check "... is quoted in the statement" grep -qF \
	'(add: allow exec "./my tool.sh" /bin/sh;)' "$tmp/out"
printf 'use base;\nallow read .;\nallow exec "./my tool.sh" /bin/sh;\n' >"$tmp/ws-spaced.cordon"
expect 0 "... which compiles and lets it run" run ws-spaced --workspace "$ws" -- "./my tool.sh"
printf '#!/bin/sh\necho no\n' >noexec.sh
chmod 644 noexec.sh
pol ws-exec <<'EOF'
use base;
allow exec . /bin/sh;
EOF
expect 126 "a file without an execute bit, under exec rules that allow it" \
	run ws-exec --workspace "$ws" -- ./noexec.sh
check "... is not blamed on the policy" sh -c \
	"grep -q 'cannot execute ./noexec.sh: Permission denied' '$tmp/out' && ! grep -q 'add:' '$tmp/out'"

# ---- allowed paths that do not exist: one line ---------------------------------
{
	echo 'use base;'
	echo 'allow exec /usr/bin/true;'
	i=0
	while [ $i -lt 2000 ]; do
		echo "allow read $tmp/missing/p$i;"
		i=$((i + 1))
	done
} >"$tmp/missing.cordon"
"$cordon" run -p "$tmp/missing.cordon" -- /usr/bin/true >"$tmp/out" 2>&1
st=$?
check "2000 allowed paths that do not exist: the run goes on (exit $st)" test "$st" = 0
check "... and cordon says so in one line" sh -c \
	"[ \$(grep -c '^cordon: warning:' '$tmp/out') = 1 ] && [ \$(wc -l <'$tmp/out') = 1 ]"
check "... how many, the first few, how many more" grep -q \
	"^cordon: warning: 2000 allowed paths do not exist and were skipped: $tmp/missing/p[0-9]*, $tmp/missing/p[0-9]*, $tmp/missing/p[0-9]* and 1997 more (-q: not this warning)\$" \
	"$tmp/out"
"$cordon" run -q -p "$tmp/missing.cordon" -- /usr/bin/true >"$tmp/out" 2>&1
check "-q: not a word" sh -c "[ $? = 0 ] && [ ! -s '$tmp/out' ]"
"$cordon" run --quiet -p "$tmp/missing.cordon" -- /usr/bin/true >"$tmp/out" 2>&1
check "--quiet too" sh -c "[ $? = 0 ] && [ ! -s '$tmp/out' ]"
printf 'use base;\nallow exec /usr/bin/true;\nallow read %s/just-one;\n' "$tmp" >"$tmp/one.cordon"
"$cordon" run -p "$tmp/one.cordon" -- /usr/bin/true >"$tmp/out" 2>&1
check "one missing path: singular" grep -qx \
	"cordon: warning: 1 allowed path does not exist and was skipped: $tmp/just-one (-q: not this warning)" \
	"$tmp/out"

# ---- the refusal for a user without a cgroup -----------------------------------
# refusal_ok: the last output is the one-line refusal, with what works here
layout=v1
grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts && layout=v2
manager=""
[ -S "/run/user/$(id -u 65534 2>/dev/null || echo 65534)/systemd/private" ] && manager=1
refusal_checks() { # WHO
	check "$1: one line" sh -c "[ \$(wc -l <'$tmp/out') = 1 ]"
	check "$1: names the limits and why" \
		sh -c "grep -q 'cannot enforce limit memory, limit pids: uid 65534 has no cgroup' '$tmp/out'"
	check "$1: suggests --best-effort" said "Run with --best-effort"
	if [ "$layout" = v2 ] && [ -n "$manager" ]; then
		check "$1: a user manager runs: systemd-run" said "systemd-run --user --scope -p Delegate=yes"
	else
		check "$1: no user manager here: no systemd-run" not_said "systemd-run"
		check "$1: root's commands for cgroup $layout" said "delegate a cgroup to uid 65534 once (cgroup $layout)"
	fi
}
pol limits <<'EOF'
use agent;
allow exec /usr/bin/true;
EOF
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$uid" = 65534 ] && [ -n "$mode" ]; then
	expect 125 "uid 65534 without a cgroup: a strict run with limits is refused" \
		"$cordon" run -q -p "$tmp/limits.cordon" -- /usr/bin/true
	refusal_checks "uid 65534"
elif [ "$uid" = 0 ] && $nobody "$cordon" run -q -p "$tmp/limits.cordon" -- /usr/bin/true \
	>"$tmp/out" 2>&1; then
	skip "the refusal for a user without a cgroup" "uid 65534 has a cgroup here"
elif [ "$uid" = 0 ]; then
	pass "uid 65534 without a cgroup: a strict run with limits is refused"
	refusal_checks "uid 65534"
	cp "$tmp/out" "$tmp/refusal"
	# the commands it gave, with the cgroup's name made unique to this test
	name="cordon-65534-test$$"
	mkdir "$tmp/nb" && chmod 777 "$tmp/nb"
	sed -n 's/.*delegate a cgroup to uid 65534 once ([^)]*): `\([^`]*\)`, .*/\1/p' "$tmp/refusal" |
		sed "s/cordon-65534/$name/g" >"$tmp/root.sh"
	if [ "$layout" = v1 ]; then
		sed -n 's/.*move the shell that runs cordon into it: `\([^`]*\)`.*/\1/p' "$tmp/refusal" |
			sed "s/cordon-65534/$name/g" >"$tmp/user.sh"
		delegated=$(sed -n 's/^for d in \(.*\); do mkdir.*/\1/p' "$tmp/root.sh" |
			tr ' ' '\n' | sed "s|\$|/$name|" | tr '\n' ' ')
		if sh -e "$tmp/root.sh" >"$tmp/out" 2>&1; then
			pass "as root, its commands delegate the cgroups ($(cat "$tmp/root.sh"))"
		else
			fail "as root, its commands delegate the cgroups" "$tmp/out"
		fi
		$nobody sh -c '. "$1" && exec "$2" run -q -p "$3" --report "$4" -- /usr/bin/true' sh \
			"$tmp/user.sh" "$cordon" "$tmp/limits.cordon" "$tmp/nb/deleg.json" >"$tmp/out" 2>&1
		st=$?
		check "... and then uid 65534's shell moves itself there and runs it strict (exit $st)" \
			test "$st" = 0
		report_is "... enforced with a cgroup v1, strict" "$tmp/nb/deleg.json" \
			enforced.cgroup='"v1"' mode='"strict"'
	else
		skip "running root's commands for cgroup v2" "they move a shell out of its cgroup"
	fi
else
	skip "the refusal for a user without a cgroup" "uid $uid has a cgroup here"
fi

echo "1..$n"
[ $fails = 0 ]
