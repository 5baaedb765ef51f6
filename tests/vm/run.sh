#!/bin/sh
# The VM lane, as TAP: boots other Debian kernels under qemu (TCG, no KVM
# needed) and runs cordon's runtime in them, for what this machine's kernel
# cannot show: older Landlock ABIs, Landlock switched off, pure cgroup v2.
#   6.1        Debian 12's cloud kernel: Landlock ABI 2, cgroup v2 only
#   6.12       Debian 12's 6.12 backport cloud kernel: ABI 6
#   6.1-nolsm  6.1 with lsm=lockdown,yama,apparmor: no Landlock
# The kernels are fetched by tests/vm/kernel.sh (apt-get download, never
# installed; cached).  One initramfs serves every lane: busybox, /init
# (tests/vm/init), the static build/cordon, static tests/sandbox_probe.c,
# tests/ns_probe.c and tests/cgroup_probe.c, tests/cgroup.sh (the cgroup limits, run by /init in
# the 6.1 and 6.12 lanes: as root, as uid 65534 in a delegated subtree, both
# backends) and policies compiled here with build/cordonc.  Each lane's tests print TAP on
# the serial console; this script re-emits them, plus one point per lane that
# it booted, finished its tests and powered off.  Pass/fail comes only from
# the console markers, never from qemu's exit status.
# usage: tests/vm/run.sh BUILD_DIR   (run from the repository root)
# Environment: VM_TIMEOUT (seconds per boot, default 240), VM_KEEP=1 keeps
# the work directory (logs, initramfs) and says where.
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
use_build "${1:-}"
finish() { echo "1..$n"; exit $((fails > 0)); }

tmp=$(mktemp -d) || exit 1
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ "${VM_KEEP:-}" = 1 ]; then echo "# kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# ---- host prerequisites ---------------------------------------------------
missing=""
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing="$missing qemu-system-x86"
[ -x /bin/busybox ] && /bin/busybox cpio --help >/dev/null 2>&1 || missing="$missing busybox-static"
if [ -n "$missing" ]; then
	fail "host packages for the VM lane are installed (missing:$missing; as root: apt-get install -y --no-install-recommends$missing)"
	finish
fi
need_build
if readelf -l "$cordon" 2>/dev/null | grep -q 'program interpreter'; then
	fail "$cordon is statically linked (the initramfs has no libc)"
	finish
fi

# ---- the initramfs --------------------------------------------------------
ir="$tmp/initramfs"
mkdir -p "$ir/bin" "$ir/pol/cg" "$ir/proc" "$ir/sys" "$ir/dev" "$ir/tmp" "$ir/etc" "$ir/root" \
	"$ir/tests"
if ! TMPDIR="$tmp" cc -static -O2 -o "$ir/bin/probe" tests/sandbox_probe.c >"$tmp/out" 2>&1; then
	fail "build tests/sandbox_probe.c statically" "$tmp/out"
	finish
fi
if ! TMPDIR="$tmp" cc -static -O2 -o "$ir/bin/cgprobe" tests/cgroup_probe.c >"$tmp/out" 2>&1; then
	fail "build tests/cgroup_probe.c statically" "$tmp/out"
	finish
fi
if ! TMPDIR="$tmp" cc -static -O2 -o "$ir/bin/nsprobe" tests/ns_probe.c >"$tmp/out" 2>&1; then
	fail "build tests/ns_probe.c statically" "$tmp/out"
	finish
fi
# tests/cgroup.sh's policies, for the probe at /bin/cgprobe
if ! CGTEST_COMPILE="$ir/pol/cg" CGTEST_PROBE=/bin/cgprobe sh tests/cgroup.sh "$b" >"$tmp/out" 2>&1; then
	fail "compile the policies of tests/cgroup.sh" "$tmp/out"
	finish
fi
cp tests/cgroup.sh tests/tap.sh tests/lib.sh "$ir/tests/"
policy() { # NAME: $ir/pol/NAME.cpb from standard input after the common head
	{ printf 'use base;\nallow exec "/bin/probe";\nallow read,write /tmp/ws/rw;\n'; cat; } >"$tmp/$1.cordon"
	if ! "$cordonc" -I "$root/stdlib-policies" -o "$ir/pol/$1.cpb" "$tmp/$1.cordon" >"$tmp/out" 2>&1; then
		fail "compile the $1 policy" "$tmp/out"
		finish
	fi
}
policy basic </dev/null
echo 'limit time 1s;' | policy time
printf 'allow exec /bin/nsprobe;\nallow read /tmp/outside;\nallow read,write /dev/shm;\n' | policy ns
cp "$cordon" "$ir/bin/cordon"
# the musl build's libcgroup backend is a second binary beside it
if [ -x "$b/cordon-libcgroup" ]; then
	cp "$b/cordon-libcgroup" "$ir/bin/cordon-libcgroup"
	chmod 755 "$ir/bin/cordon-libcgroup"
fi
cp /bin/busybox "$ir/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$ir/bin/$a" ] || ln -s busybox "$ir/bin/$a"
done
cp tests/vm/init "$ir/init"
chmod 755 "$ir/init" "$ir/bin/cordon" "$ir/bin/probe" "$ir/bin/cgprobe" "$ir/bin/nsprobe"
if ! (cd "$ir" && find . | sort | /bin/busybox cpio -o -H newc -R 0:0 2>"$tmp/cpio.err" |
	gzip -6 >"$tmp/initramfs.cpio.gz") || [ ! -s "$tmp/initramfs.cpio.gz" ]; then
	fail "build the initramfs" "$tmp/cpio.err"
	finish
fi
echo "# initramfs: $(wc -c <"$tmp/initramfs.cpio.gz") bytes"

# ---- kernels ----------------------------------------------------------------
kern() { # META-PACKAGE: the cached vmlinuz, or "" (with a failed point)
	if k=$(sh "$root/tests/vm/kernel.sh" "$1" 2>"$tmp/kern.err"); then
		echo "$k"
	else
		echo ""
	fi
}
k61=$(kern linux-image-cloud-amd64)
[ -n "$k61" ] || fail "fetch the 6.1 cloud kernel (linux-image-cloud-amd64)" "$tmp/kern.err"
k612=$(kern linux-image-6.12-cloud-amd64)
[ -n "$k612" ] || fail "fetch the 6.12 cloud kernel (linux-image-6.12-cloud-amd64)" "$tmp/kern.err"

# ---- lanes ----------------------------------------------------------------
# boot NAME VMLINUZ APPEND: in the background, console to $tmp/NAME.log
boot() {
	(
		s=$(date +%s%N)
		timeout -k 5 "${VM_TIMEOUT:-240}" qemu-system-x86_64 -nographic -no-reboot -nodefaults \
			-serial stdio -net none -accel tcg -m 512 -smp 1 -kernel "$2" \
			-initrd "$tmp/initramfs.cpio.gz" -append "console=ttyS0 panic=-1 quiet $3" \
			</dev/null 2>"$tmp/$1.err" | tr -d '\r' |
			sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[A-Za-z]//g' >"$tmp/$1.log"
		e=$(date +%s%N)
		echo $(((e - s) / 1000000)) >"$tmp/$1.ms"
	) &
}
# lane NAME: re-emits the lane's TAP, then its own point
lane() {
	name=$1 log="$tmp/$1.log"
	echo "# lane $name: $(sed -n 's/^VMTAP: # kernel //p' "$log" | head -n 1), $(cat "$tmp/$name.ms" 2>/dev/null || echo '?') ms"
	seen=0 plan=""
	while IFS= read -r line; do
		case $line in
		"VMTAP: ok "*)
			seen=$((seen + 1)); t=${line#VMTAP: ok }; pass "$name: ${t#* - }" ;;
		"VMTAP: not ok "*)
			seen=$((seen + 1)); t=${line#VMTAP: not ok }; n=$((n + 1)); fails=$((fails + 1))
			echo "not ok $n - $name: ${t#* - }" ;;
		"VMTAP: 1.."*) plan=${line#VMTAP: 1..} ;;
		"VMTAP: # kernel "*) ;;
		"VMTAP: #"*) echo "#${line#VMTAP: #}" ;;
		esac
	done <"$log"
	why=""
	grep -q '^VMTEST RESULT: \(PASS\|FAIL\)' "$log" || why="no VMTEST RESULT line"
	[ -z "$why" ] && ! grep -q 'reboot: Power down' "$log" && why="it did not power off"
	[ -z "$why" ] && [ "$plan" != "$seen" ] && why="its plan was ${plan:-missing}, $seen points seen"
	[ -z "$why" ] && [ "$seen" -eq 0 ] && why="no tests ran"
	if [ -z "$why" ] && grep -q '^VMTEST RESULT: PASS' "$log" && [ "$(grep -c '^VMTAP: not ok ' "$log")" -ne 0 ]; then
		why="it said PASS with failed points"
	fi
	if [ -z "$why" ]; then
		pass "$name: lane booted and powered off cleanly"
	else
		{ tail -n 40 "$log"; cat "$tmp/$name.err"; } >"$tmp/show" 2>/dev/null
		fail "$name: lane booted and powered off cleanly ($why)" "$tmp/show"
	fi
}
no_kernel() { fail "$1: lane booted and powered off cleanly (no kernel)"; }

# Two lanes at a time at most: TCG runs one host thread per vCPU.
[ -n "$k61" ] && boot 6.1 "$k61" "EXPECT_LANDLOCK_ABI=2"
[ -n "$k612" ] && boot 6.12 "$k612" "EXPECT_LANDLOCK_ABI=6"
wait
[ -n "$k61" ] && boot 6.1-nolandlock "$k61" "lsm=lockdown,yama,apparmor EXPECT_LANDLOCK_ABI=none SKIP_CGROUP=1"
if [ -n "$k61" ]; then lane 6.1; else no_kernel 6.1; fi
if [ -n "$k612" ]; then lane 6.12; else no_kernel 6.12; fi
wait
if [ -n "$k61" ]; then lane 6.1-nolandlock; else no_kernel 6.1-nolandlock; fi
finish
