# shellcheck shell=sh
# TAP helpers for the shell tests (sourced): pass, fail and skip number the
# points; fail shows a file's lines as TAP comments.
n=0
fails=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { # DESCRIPTION [FILE TO SHOW]
	n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"
	if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/# /' "$2"; fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
