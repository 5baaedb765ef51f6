#!/bin/sh
# Makes sure the Debian packages cordon builds and tests with are installed:
# installs the missing ones when run as root, otherwise prints the exact
# apt-get line and fails.  `mk/deps.sh vm` adds what `make test` needs
# beyond the build: the VM lanes' qemu and busybox, and the programs the
# workloads and the agent's command mix run (tests/agent_mix.sh: pytest,
# venv, pip and Debian's wheels, node and npm, git, g++, cmake, pkg-config,
# the archive, compression and data tools).
set -eu

PKGS="gcc make libc6-dev flex bison libseccomp-dev libcgroup-dev musl-tools perl util-linux python3"
if [ "${1:-}" = vm ]; then
	PKGS="$PKGS qemu-system-x86 busybox-static python3-pytest nodejs git"
	PKGS="$PKGS python3-venv python3-pip python3-wheel-whl g++ cmake pkgconf zlib1g-dev"
	PKGS="$PKGS tar gzip xz-utils bzip2 zstd zip unzip patch less file jq sqlite3 ripgrep"
	# npm: Debian's package, unless the nodejs installed brings its own
	# (NodeSource's provides npm and conflicts with Debian's)
	command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
fi

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

line="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "cordon needs these Debian packages:$missing" >&2
	echo "install them as root with:" >&2
	echo "  sudo apt-get update && sudo $line" >&2
	exit 1
fi
echo "installing missing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
