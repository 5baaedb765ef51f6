#!/bin/sh
# Golden tests of cordonc, as TAP:
#  - tests/golden/bad/*.cordon: the exact diagnostics and exit status
#    (NAME.expected);
#  - tests/golden/warn/*.cordon: compile with exactly the warnings expected;
#  - tests/golden/good/*.cordon: compile with no message at all (or exactly
#    the notes of NAME.notes, and never an error or a warning), compile twice
#    to the same bytes, and dump to exactly NAME.dump (compile -> dump round
#    trip).
# usage: tests/golden.sh [--update] BUILD_DIR   (run from the repository root)
set -u
update=0
if [ "${1:-}" = --update ]; then update=1; shift; fi
b=${1:-build}
cc="$b/cordonc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"
	[ -n "${2:-}" ] && sed 's/^/# /' "$2"
}

# Diagnostics name files as given, so the tests run from the repo root.
check_messages() { # kind file
	f=$2
	exp="${f%.cordon}.expected"
	"$cc" --check -I stdlib-policies "$f" >"$tmp/out" 2>&1
	echo "exit $?" >>"$tmp/out"
	if [ $update = 1 ]; then cp "$tmp/out" "$exp"; fi
	if [ -f "$exp" ] && diff -u "$exp" "$tmp/out" >"$tmp/diff"; then
		ok "$1 $f"
	else
		[ -f "$exp" ] || echo "missing $exp" >"$tmp/diff"
		notok "$1 $f" "$tmp/diff"
	fi
}

for f in tests/golden/bad/*.cordon; do check_messages "diagnostics of" "$f"; done
for f in tests/golden/warn/*.cordon; do check_messages "warnings of" "$f"; done

for f in tests/golden/good/*.cordon; do
	dump="${f%.cordon}.dump"
	notes="${f%.cordon}.notes"
	if "$cc" -I stdlib-policies -o "$tmp/a.cpb" "$f" >"$tmp/msg" 2>&1 &&
		! grep -q '^[^ ]*: \(error\|warning\): ' "$tmp/msg"; then
		if [ $update = 1 ]; then
			if [ -s "$tmp/msg" ]; then cp "$tmp/msg" "$notes"; else rm -f "$notes"; fi
		fi
		if [ -f "$notes" ]; then
			diff -u "$notes" "$tmp/msg" >"$tmp/diff" || { notok "$f compiles with the notes of $notes" "$tmp/diff"; continue; }
			ok "$f compiles with the notes of $notes"
		elif [ -s "$tmp/msg" ]; then
			notok "$f compiles without a message" "$tmp/msg"
			continue
		else
			ok "$f compiles without a message"
		fi
	else
		notok "$f compiles without an error or a warning" "$tmp/msg"
		continue
	fi
	"$cc" -I stdlib-policies -o "$tmp/b.cpb" "$f" 2>/dev/null
	if cmp -s "$tmp/a.cpb" "$tmp/b.cpb"; then
		ok "$f compiles to the same bytes twice"
	else
		notok "$f compiles to the same bytes twice"
	fi
	"$cc" --dump "$tmp/a.cpb" >"$tmp/dump" 2>&1
	if [ $update = 1 ]; then cp "$tmp/dump" "$dump"; fi
	if [ -f "$dump" ] && diff -u "$dump" "$tmp/dump" >"$tmp/diff"; then
		ok "$f dumps as $dump"
	else
		[ -f "$dump" ] || echo "missing $dump" >"$tmp/diff"
		notok "$f dumps as $dump" "$tmp/diff"
	fi
done

echo "1..$n"
[ $fails = 0 ]
