#!/bin/sh
# check.sh: project-b's tests.  Runs bin/summarize on the fixtures and
# compares with what is expected; the output goes to $TMPDIR (under cordon,
# the run's private temporary directory).
set -eu
cd "$(dirname "$0")"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
sh bin/summarize fixtures/app.log >"$out"
if diff -u fixtures/expected.txt "$out"; then
	echo "check.sh: summarize: ok"
else
	echo "check.sh: summarize: FAILED" >&2
	exit 1
fi
