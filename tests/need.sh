# shellcheck shell=sh
# need DESCRIPTION PACKAGES TEST... (sourced after tests/tap.sh, with $tmp and
# $uid set): is the program there (TEST succeeds)?  As root, installs
# PACKAGES (one word, blank-separated) with apt-get when it is not, and
# counts that as a test point.  Sets $missing to the skip reason, or empty.
need() {
	what=$1 pkgs=$2
	shift 2
	missing=""
	"$@" >/dev/null 2>&1 && return 0
	line="apt-get install -y $pkgs"
	if [ "$uid" = 0 ]; then
		echo "# $what is missing: $line"
		# shellcheck disable=SC2086 # one word per package
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs \
			>"$tmp/apt" 2>&1; then
			apt-get update >>"$tmp/apt" 2>&1
			# shellcheck disable=SC2086
			DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs \
				>>"$tmp/apt" 2>&1
		fi
		if "$@" >/dev/null 2>&1; then
			pass "$what installed ($line)"
			return 0
		fi
		fail "$what installed ($line)" "$tmp/apt"
		missing="$pkgs could not be installed"
		return 1
	fi
	missing="$what is not installed; as root: $line"
	return 1
}
