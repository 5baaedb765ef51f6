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

# use_build DIR: the build under test, DIR relative to $root unless it is
# absolute (default build): sets $b, $cordon and $cordonc
use_build() {
	b=${1:-build}
	case $b in /*) ;; *) b="$root/$b" ;; esac
	cordon="$b/cordon"
	cordonc="$b/cordonc"
}
# need_build: ends the test with one failed point when they are not built
need_build() {
	if [ -x "$cordon" ] && [ -x "$cordonc" ]; then return 0; fi
	fail "$cordon and $cordonc exist (run make first)"
	echo "1..$n"
	exit 1
}
