#!/bin/sh
# Fetches the vmlinuz of a Debian kernel for the VM lane, never installing it:
# resolves a meta package (linux-image-cloud-amd64, linux-image-6.12-cloud-amd64)
# to the image package its apt candidate depends on, `apt-get download`s that,
# and takes ./boot/vmlinuz-* out of the .deb.  The file is cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/cordon-vm/ as PACKAGE_VERSION.vmlinuz, with its
# sha256 in PACKAGE_VERSION.vmlinuz.sha256; a cached file is used only while it
# still matches that sha256.  Prints the path of the vmlinuz on standard output;
# on any failure says why on standard error and exits 1.
# usage: tests/vm/kernel.sh META-PACKAGE
set -u
meta=${1:?usage: kernel.sh META-PACKAGE}
die() { echo "kernel.sh: $*" >&2; exit 1; }

cache=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/cordon-vm
mkdir -p "$cache" || die "cannot create the cache directory $cache"

# The candidate of the meta package and the image package it depends on.
show() { apt-cache show --no-all-versions "$1" 2>/dev/null; }
info=$(show "$meta")
if [ -z "$info" ] && [ "$(id -u)" -eq 0 ]; then
	echo "kernel.sh: apt knows no $meta; running apt-get update" >&2
	apt-get update -qq >&2 || die "apt-get update failed"
	info=$(show "$meta")
fi
[ -n "$info" ] || die "apt knows no package $meta (run apt-get update as root first)"
pkg=$(printf '%s\n' "$info" | sed -n 's/^Depends:.*\(linux-image-[^ ,]*\) (= \([^)]*\)).*/\1/p' | head -n 1)
ver=$(printf '%s\n' "$info" | sed -n 's/^Depends:.*\(linux-image-[^ ,]*\) (= \([^)]*\)).*/\2/p' | head -n 1)
[ -n "$pkg" ] && [ -n "$ver" ] || die "cannot tell which image package $meta depends on"

key=$(printf '%s_%s' "$pkg" "$ver" | tr -c 'A-Za-z0-9._+-' '_')
img="$cache/$key.vmlinuz"
sum="$img.sha256"
if [ -f "$img" ] && [ -f "$sum" ]; then
	if [ "$(sha256sum <"$img" | cut -d' ' -f1)" = "$(cat "$sum")" ]; then
		echo "$img"
		exit 0
	fi
	echo "kernel.sh: cached $img does not match its sha256; fetching it again" >&2
	rm -f "$img" "$sum"
fi

dl=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$dl"' EXIT
# apt-get download drops privileges to _apt when root: the directory must be theirs to write.
[ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1 && chown _apt "$dl"
if ! (cd "$dl" && apt-get download -q "$pkg=$ver" >download.log 2>&1); then
	sed 's/^/  /' "$dl/download.log" >&2
	die "apt-get download $pkg=$ver failed: cannot boot this lane without its kernel"
fi
deb=$(ls "$dl"/*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "apt-get download $pkg=$ver left no .deb"
dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './boot/vmlinuz-*' >"$dl/vmlinuz" ||
	die "no ./boot/vmlinuz-* in $deb"
[ -s "$dl/vmlinuz" ] || die "the vmlinuz in $deb is empty"
sha256sum <"$dl/vmlinuz" | cut -d' ' -f1 >"$dl/vmlinuz.sha256"
mv "$dl/vmlinuz" "$img.tmp" && mv "$dl/vmlinuz.sha256" "$sum" && mv "$img.tmp" "$img" ||
	die "cannot write $img"
echo "$img"
