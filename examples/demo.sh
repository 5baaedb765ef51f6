#!/bin/sh
# `make demo`: compile the bundled example policies and show what each one
# compiled to.  (Running a program under a policy arrives with `cordon run`.)
set -eu
b=${1:-build}
for p in examples/seed.cordon examples/agent-task.cordon; do
	out="$b/$(basename "${p%.cordon}").cpb"
	echo "== cordonc -I stdlib-policies -o $out $p"
	"$b/cordonc" -I stdlib-policies -o "$out" "$p"
	echo "== cordonc --dump $out (without the seccomp listing)"
	"$b/cordonc" --dump "$out" | sed '/^seccomp program/q'
	echo
done
echo "== a policy with mistakes: cordonc reports each one and exits 1"
printf 'alow read ./src;\nlimit memory 512MB;\nsyscall deny ptrac;\n' >"$b/mistakes.cordon"
"$b/cordonc" --check "$b/mistakes.cordon" || echo "(exit status $?)"
