#!/bin/sh
# cordon's cgroup limits, as TAP: `limit memory`, `pids`, `cpu`, `cputime`
# and `time` against the workloads of tests/cgroup_probe.c, each with a
# control that shows the same workload getting far more without the limit
# (so the test can fail); the report (reason oom/pids/cpu/timeout, peak
# memory, the cgroup object); that no cordon-* leaf is ever left behind
# (normal exit, timeout, OOM, crash, SIGTERM, SIGINT), that a leaf left by a
# SIGKILLed cordon is swept by the next run in the same cgroup (on v2: in
# its supervisor/, the only place a process can be there); for each backend
# (--cgroup-backend=cgroupfs and libcgroup).  Then the unprivileged half:
# uid 65534 without a cgroup is refused when strict (125, what works here:
# --best-effort and a delegated cgroup; the command never runs) and falls
# back to rlimits with --best-effort.
#
# Safety: the runaway workloads (memory hog, fork bomb) run only inside an
# outer limit of this script's own.  As root it creates cgtest-<pid> under
# its own cgroup (v1: in the memory, pids, cpu, cpuacct and freezer
# hierarchies, with memory 1G and pids 512; pure v2: one cgroup with
# memory.max and pids.max, the script itself in its sh/ child and each cordon
# in a fresh run-N/ child, since v2 allows no processes beside child cgroups
# with controllers), moves itself there and undoes it all on exit.  Without
# such an outer cgroup the runaway tests are skipped, never run unguarded.
# As another user only the no-cgroup cases run (when this user has no cgroup
# of its own); the rest is skipped.
#
# On pure v2 as root, every case also runs as uid 65534 in a delegated
# subtree (a cgroup chowned to it, cordon alone in it), as a user of
# `systemd-run --user --scope -p Delegate=yes` would.
#
# usage: tests/cgroup.sh BUILD_DIR   (run from the repository root)
# Environment (for the VM lane, tests/vm):
#   CGTEST_PROBE=FILE    a static cgroup_probe already built (else cc builds one)
#   CGTEST_POL=DIR       policies compiled beforehand (DIR/NAME.cpb), no cordonc
#   CGTEST_COMPILE=DIR   only compile the policies into DIR, for a probe at
#                        $CGTEST_PROBE, and exit
#   CGTEST_OPTS=...      more options for every `cordon run` (--best-effort where
#                        the kernel's Landlock ABI makes strict refuse anyway)
#   CGTEST_BACKENDS="cgroupfs libcgroup"   the backends to test
#   TEST_NOPY=1          parse the JSON reports with sed even if python3 is there
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
use_build "${1:-}"
# shellcheck source=tests/lib.sh
. "$root/tests/lib.sh"
finish() { echo "1..$n"; exit $((fails > 0)); }
opts=${CGTEST_OPTS:-}
backends=${CGTEST_BACKENDS:-cgroupfs libcgroup}
if [ -z "${CGTEST_COMPILE:-}" ] && [ ! -x "$cordon" ]; then
	fail "$cordon exists (run make first)"
	finish
fi
if [ -z "${CGTEST_POL:-}" ] && [ ! -x "$cordonc" ]; then
	fail "$cordonc exists (run make first)"
	finish
fi

tmp=$(mktemp -d) || exit 1
chmod 755 "$tmp" # uid 65534 reads the policies and runs the probe from here
pids=""        # processes to kill at the end (by pid)
outers=""      # the outer cgroups made here (v1: one per hierarchy)
origs=""       # the cgroups this shell was in, to return to
cgtop=""       # where cordon's leaves appear: the outer cgroups
mine=""        # the cgroups this shell is in once it moved
v2_enabled=""  # controllers this script turned on in its own (root) cgroup
place=""       # v2: the cgroup the next cordon starts in
keep_place=""
pre=""         # a command in front of cordon (the probe's sigdfl)
k=0

# ---- helpers --------------------------------------------------------------
# alive PID: exists and is not a zombie (orphans may be reaped late here)
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
gone() { ! alive "$1"; }
now_ms() { # from /proc/uptime (busybox date has no %N), in 10 ms steps
	read -r up _ </proc/uptime
	echo $((${up%.*}${up#*.} * 10))
}
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; } # N LOW HIGH
num() { case $1 in '' | *[!0-9]*) return 1 ;; esac; } # a non-negative integer

# report_num DESCRIPTION FILE KEY LOW HIGH: a number in the report, in range
report_num() {
	v=$(jfield "$2" "$3")
	if num "$v" && between "$v" "$4" "$5"; then
		pass "$1 ($3 $v)"
	else
		fail "$1 ($3 is ${v:-missing}, wanted $4..$5)" "$2"
	fi
}
not_enforced_has() { jfield "$1" not_enforced | grep -q -- "$2"; } # FILE REGEX
not_listed() { ! not_enforced_has "$@"; }

# ---- the probe and the policies -------------------------------------------
probe=${CGTEST_PROBE:-$tmp/cgprobe}
if [ -z "${CGTEST_PROBE:-}" ]; then
	if ! TMPDIR="$tmp" cc -static -O2 -o "$probe" tests/cgroup_probe.c >"$tmp/out" 2>&1; then
		fail "build tests/cgroup_probe.c" "$tmp/out"
		finish
	fi
fi
poldir=${CGTEST_COMPILE:-${CGTEST_POL:-$tmp}}
# policy NAME: $poldir/NAME.cpb from standard input after a common head
policy() {
	if [ -n "${CGTEST_POL:-}" ] && [ -z "${CGTEST_COMPILE:-}" ]; then
		cat >/dev/null
		[ -r "$poldir/$1.cpb" ] || fail "the precompiled policy $poldir/$1.cpb exists"
		return
	fi
	{
		printf 'use base;\nallow exec "%s";\nallow read,write ./rw;\n' "$probe"
		cat
	} >"$tmp/$1.cordon"
	"$cordonc" -I "$root/stdlib-policies" -o "$poldir/$1.cpb" "$tmp/$1.cordon" >"$tmp/out" 2>&1 ||
		fail "compile the $1 policy" "$tmp/out"
	chmod 644 "$poldir/$1.cpb"
}
policy plain </dev/null
echo 'limit memory 64M;' | policy mem64
echo 'limit pids 32;' | policy pids32
printf 'limit time 2s;\nlimit pids 64;\n' | policy time2
echo 'limit cpu 0.25;' | policy cpu25
echo 'limit cputime 1m;' | policy cpuctl
echo 'limit cputime 1s;' | policy cputime1
printf 'limit memory 512M;\nlimit pids 64;\nlimit cputime 5m;\n' | policy tree
printf 'limit memory 64M;\nlimit pids 32;\nlimit cpu 0.5;\nlimit cputime 10s;\n' | policy all
if [ -n "${CGTEST_COMPILE:-}" ]; then
	rm -rf "$tmp"
	exit $((fails > 0))
fi
pol() { echo "$poldir/$1.cpb"; }

ws="$tmp/ws"
mkdir -p "$ws/rw" "$tmp/nb"
chmod 1777 "$ws/rw" "$tmp/nb"
chmod 755 "$ws" "$probe"
cd "$ws" || exit 1
export HOME="$tmp" XDG_CACHE_HOME="$tmp/cache"

# ---- the layout, and this shell's outer cgroups ----------------------------
layout=none
if grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts; then
	layout=v2
elif grep -q '^[^ ]* /sys/fs/cgroup/[^ ]* cgroup [^ ]*memory' /proc/mounts; then
	layout=v1
fi
uid=$(id -u)
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for o in $outers; do kill_in "$o"; done
	for d in $origs; do echo $$ >"$d/cgroup.procs" 2>/dev/null; done
	for o in $outers; do rm_cg "$o" || echo "# cgroup.sh: could not remove $o" >&2; done
	if [ -n "$v2_enabled" ]; then
		# give back what this script enabled in its own (root) cgroup
		for c in $v2_enabled; do echo "-$c" >"/sys/fs/cgroup/cgroup.subtree_control" 2>/dev/null; done
	fi
	cd / && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

outer_ok=""
outer_why="not root"
if [ "$uid" = 0 ] && [ "$layout" = v1 ]; then
	# cordon's leaves appear beside this shell, in every hierarchy
	if outer_v1 cgtest memory pids cpu cpuacct freezer; then
		outer_ok=1
	else
		outer_why="no outer memory and pids limit: $outer_why"
	fi
	cgtop=$outers
elif [ "$uid" = 0 ] && [ "$layout" = v2 ]; then
	own=$(own_of "")
	d="/sys/fs/cgroup$own"
	outer_why=""
	for c in memory pids cpu; do
		grep -qw $c "$d/cgroup.subtree_control" && continue
		if [ -z "$own" ] && grep -qw $c "$d/cgroup.controllers" &&
			echo "+$c" >"$d/cgroup.subtree_control" 2>/dev/null; then
			v2_enabled="$v2_enabled $c"
		else
			outer_why="$c is not enabled in $d/cgroup.subtree_control"
		fi
	done
	o="$d/cgtest-$$"
	if [ -z "$outer_why" ] && mkdir "$o" 2>"$tmp/out"; then
		outers=$o
		cgtop=$o
		if echo 1G >"$o/memory.max" && echo 512 >"$o/pids.max" &&
			echo "+memory +pids +cpu" >"$o/cgroup.subtree_control" &&
			mkdir "$o/sh" && echo $$ >"$o/sh/cgroup.procs"; then
			origs=$d
			mine="$o/sh"
			outer_ok=1
		else
			outer_why="cannot set up $o"
		fi
	else
		outer_why="${outer_why:-cannot create $o: $(cat "$tmp/out")}"
	fi
elif [ "$uid" = 0 ]; then
	outer_why="no cgroup filesystem"
fi
echo "# layout $layout, uid $uid, outer cgroup: ${outer_ok:+yes ($outers)}${outer_why}"

# can a user without root make cgroups where this shell is? (then the
# no-cgroup cases do not apply to it)
user_has_cgroup() {
	case $layout in
	v1) [ -w "$(mnt_of memory)$(own_of memory)" ] ;;
	v2) [ -w "/sys/fs/cgroup$(own_of "")/cgroup.subtree_control" ] ;;
	*) false ;;
	esac
}

# ---- running cordon ------------------------------------------------------
# in_cg DIR CMD...: CMD in the cgroup DIR (a shell moves itself, then execs)
in_cg() {
	sh -c 'echo $$ >"$1/cgroup.procs" || exit 125; shift; exec "$@"' sh "$@"
}
# The unprivileged user: setpriv where it can, else the probe's own helper
if setpriv --help 2>&1 | grep -q -- --reuid; then
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	nobody="$probe as 65534 65534"
fi
newplace() { # v2: a fresh cgroup for the next cordon ($mode's kind)
	[ -n "$keep_place" ] && return
	[ -n "$place" ] && rm_cg "$place"
	place=""
	[ "$layout" = v2 ] && [ -n "$outer_ok" ] || return 0
	k=$((k + 1))
	place="$o/run-$k"
	mkdir "$place"
	if [ "$mode" = deleg ]; then
		chown 65534:65534 "$place" "$place/cgroup.procs" "$place/cgroup.subtree_control" \
			"$place/cgroup.threads"
	fi
}
# cgrun ARGS...: `cordon run --cgroup-backend=$be $opts ARGS`, as $mode says:
# root (v1: right here; v2: alone in a fresh cgroup), or deleg (v2: as uid
# 65534, alone in a fresh cgroup delegated to it)
cgrun() {
	newplace
	if [ "$mode" = deleg ]; then
		# shellcheck disable=SC2086
		in_cg "$place" $nobody $pre "$cordon" run --cgroup-backend="$be" $opts "$@"
	elif [ -n "$place" ]; then
		# shellcheck disable=SC2086
		in_cg "$place" $pre "$cordon" run --cgroup-backend="$be" $opts "$@"
	else
		# shellcheck disable=SC2086
		$pre "$cordon" run --cgroup-backend="$be" $opts "$@"
	fi
}
leaves() { # the cordon-* leaves under the outer cgroups
	[ -n "$cgtop" ] || return 0
	# shellcheck disable=SC2086
	find $cgtop -type d -name 'cordon-*' 2>/dev/null
}
has_leaf() { leaves | grep -q "/cordon-$1\$"; } # PID
# cordon_of PID: PID if it is cordon, else its child that is (the shell
# running cgrun in the background may or may not exec the last command)
cordon_of() {
	for f in /proc/$1/stat /proc/[0-9]*/stat; do
		{ read -r l <"$f"; } 2>/dev/null || continue
		c=${l#*(} c=${c%%)*} r=${l##*) }
		set -- "$1" $r
		[ "$c" = cordon ] || continue
		p=${f#/proc/} p=${p%/stat}
		if [ "$p" = "$1" ] || [ "$3" = "$1" ]; then echo "$p"; return; fi
	done
}
no_leaf() { ! has_leaf "$1"; }
leaf_pids() { leaves | sed 's,.*/cordon-,,' | sort -u; }
# no_leaves DESCRIPTION: no cordon-* leaf is left (and removes any, with
# what is in it, so that one failure does not spill into the next tests)
no_leaves() {
	left=$(leaves)
	if [ -z "$left" ]; then
		pass "$1"
	else
		fail "$1 (left: $(echo "$left" | tr '\n' ' '))"
		for l in $left; do rm_cg "$l"; done
	fi
}
report() { echo "$tmp/nb/r-$tag-$1.json"; } # (uid 65534 writes it in deleg mode)

# ---- controls: the workloads without cordon, inside the outer limit -------
if [ -n "$outer_ok" ]; then
	expect 0 "control: the memory hog gets 200 MiB without a limit (outer cgroup: 1G)" \
		"$probe" hog 200 "$tmp/hog-ctl"
	check "... and says so" said "ok hog: got 200 MiB"
	expect 0 "control: the fork bomb gets 100 tasks without a limit (outer cgroup: pids 512)" \
		"$probe" forkbomb 100 "$tmp/bomb-ctl"
	check "... and says so" said "ok forkbomb: max 100 tasks"
else
	skip "control: the memory hog without a limit" "$outer_why"
	skip "control: the fork bomb without a limit" "$outer_why"
fi
if [ "$uid" = 0 ]; then
	# timeout(1) exits 124, busybox's 143
	timeout 1 "$probe" tree 20 "$tmp/tree-ctl.pid" >"$tmp/out" 2>&1 </dev/null
	check "control: timeout(1) ends a tree with a setsid'd grandchild (exit $?)" test $? = 124 -o $? = 143
	wait_for test -s "$tmp/tree-ctl.pid"
	gc=$(cat "$tmp/tree-ctl.pid" 2>/dev/null)
	check "... still alive (pid ${gc:-none})" alive "${gc:-0}"
	[ -n "$gc" ] && kill -9 "$gc" 2>/dev/null
fi

# ---- the cases, per mode and backend --------------------------------------
cases() {
	P="$mode, $be"
	tag="$mode-$be"
	want_layout="\"$layout\""

	# enforced at all?
	cgrun -p "$(pol mem64)" --report "$(report smoke)" -- "$probe" create "./rw/smoke-$tag" \
		>"$tmp/out" 2>&1 </dev/null
	got=$?
	if [ "$got" = 125 ] && [ "$be" = libcgroup ] && [ "$layout" = v2 ]; then
		# libcgroup 2.0.2 enables controllers from the root down, which v2
		# refuses where a cgroup holds processes: a clear refusal will do
		check "$P: a policy with limit memory 64M is refused (125) with a message naming libcgroup" \
			said "libcgroup.*--cgroup-backend=cgroupfs"
		check "$P: ... without running the command" test ! -e "./rw/smoke-$tag"
		no_leaves "$P: ... and leaves no cordon-* cgroup behind"
		return
	fi
	if [ "$got" = 0 ]; then
		pass "$P: a policy with limit memory 64M runs (exit 0)"
	else
		fail "$P: a policy with limit memory 64M runs (exit $got, wanted 0)" "$tmp/out"
	fi
	check "$P: ... the command ran" test -f "./rw/smoke-$tag"
	report_is "$P: ... report: enforced.cgroup $layout, the cgroup object names backend and layout" \
		"$(report smoke)" reason='"exited"' enforced.cgroup="$want_layout" \
		cgroup.backend="\"$be\"" cgroup.layout="$want_layout"
	check "$P: ... report: not_enforced does not list limit memory" \
		not_listed "$(report smoke)" "limit memory"
	no_leaves "$P: ... and no cordon-* cgroup is left"

	# memory
	if [ -n "$outer_ok" ]; then
		r=$(report mem)
		expect 137 "$P: limit memory 64M: the 200 MiB hog is killed" \
			cgrun -p "$(pol mem64)" --report "$r" -- "$probe" hog 200 "./rw/hog-$tag"
		got_mib=$(tr -d ' ' <"./rw/hog-$tag" 2>/dev/null)
		check "$P: ... after touching ${got_mib:-?} MiB (40..63)" \
			sh -c "[ '${got_mib:-0}' -ge 40 ] && [ '${got_mib:-0}' -le 63 ]"
		report_is "$P: ... report: oom, 137, signal 9" "$r" reason='"oom"' exit_code=137 signal=9
		report_num "$P: ... report: peak memory 60..66 MiB" "$r" peak_memory_bytes 62914560 69206016
		report_num "$P: ... report: the cgroup saw an OOM kill" "$r" cgroup.oom_kills 1 1000
		no_leaves "$P: ... and no cordon-* cgroup is left"
	else
		skip "$P: limit memory 64M against a memory hog" "$outer_why"
	fi

	# pids
	if [ -n "$outer_ok" ]; then
		r=$(report pids)
		expect 1 "$P: limit pids 32: the fork bomb's forks fail" \
			cgrun -p "$(pol pids32)" --report "$r" -- "$probe" forkbomb 200 "./rw/bomb-$tag"
		max=$(tr -d ' ' <"./rw/bomb-$tag" 2>/dev/null)
		check "$P: ... its tree never had more than 32 tasks (it had ${max:-?})" \
			sh -c "[ '${max:-0}' -ge 8 ] && [ '${max:-99}' -le 32 ]"
		report_is "$P: ... report: pids, exit 1" "$r" reason='"pids"' exit_code=1
		report_num "$P: ... report: the cgroup saw forks fail at pids.max" "$r" cgroup.pids_max_events 1 1000000
		no_leaves "$P: ... and no cordon-* cgroup is left"
	else
		skip "$P: limit pids 32 against a fork bomb" "$outer_why"
	fi

	# time, with a setsid'd grandchild
	r=$(report time)
	rm -f "./rw/tree-$tag.pid"
	t0=$(now_ms)
	expect 124 "$P: limit time 2s on a tree with a setsid'd grandchild exits 124" \
		cgrun -p "$(pol time2)" --report "$r" -- "$probe" tree 20 "./rw/tree-$tag.pid"
	dt=$(($(now_ms) - t0))
	check "$P: ... in about 2 s ($dt ms)" between "$dt" 1900 4000
	gc=$(cat "./rw/tree-$tag.pid" 2>/dev/null)
	check "$P: ... the grandchild had started (pid ${gc:-none})" test -n "$gc"
	check "$P: ... and is gone" wait_for gone "${gc:-0}"
	[ -n "$gc" ] && pids="$pids $gc"
	report_is "$P: ... report: timeout, 124" "$r" reason='"timeout"' exit_code=124 \
		enforced.cgroup="$want_layout"
	no_leaves "$P: ... and no cordon-* cgroup is left"

	# cpu: the control first (a cgroup, no cpu limit)
	r=$(report cpuctl)
	expect 0 "$P: control: a 3 s busy loop under limit cputime 1m (no cpu limit) runs to its end" \
		cgrun -p "$(pol cpuctl)" --report "$r" -- "$probe" spin 3
	own=$(sed -n 's/.*permille \([0-9]*\).*/\1/p' "$tmp/out")
	if [ "${own:-0}" -lt 800 ]; then # a busy machine: once more
		echo "# the control got ${own:-?} per mille; again"
		cgrun -p "$(pol cpuctl)" --report "$r" -- "$probe" spin 3 >"$tmp/out" 2>&1 </dev/null
		own=$(sed -n 's/.*permille \([0-9]*\).*/\1/p' "$tmp/out")
	fi
	check "$P: ... using a whole core by its own clock (${own:-?} per mille >= 800)" \
		sh -c "[ '${own:-0}' -ge 800 ]"
	report_is "$P: ... report: exited" "$r" reason='"exited"'
	use=$(jfield "$r" cgroup.cpu_usec) wall=$(jfield "$r" wall_ms)
	wall=${wall%.*} # milliseconds with decimals
	if num "$use" && num "$wall" && [ "$wall" -gt 0 ]; then
		check "$P: ... and by the cgroup's count (cpu_usec $use / wall_ms $wall: $((use / wall)) per mille >= 800)" \
			test $((use / wall)) -ge 800
	else
		fail "$P: ... report: cgroup.cpu_usec ($use) and wall_ms ($wall) are numbers (the tree's CPU time from the cgroup)" "$r"
	fi
	r=$(report cpu)
	expect 0 "$P: limit cpu 0.25: a 3 s busy loop" \
		cgrun -p "$(pol cpu25)" --report "$r" -- "$probe" spin 3
	own=$(sed -n 's/.*permille \([0-9]*\).*/\1/p' "$tmp/out")
	check "$P: ... gets a quarter core by its own clock (${own:-?} per mille, 150..350)" \
		between "${own:-0}" 150 350
	use=$(jfield "$r" cgroup.cpu_usec) wall=$(jfield "$r" wall_ms)
	wall=${wall%.*} # milliseconds with decimals
	if num "$use" && num "$wall" && [ "$wall" -gt 0 ]; then
		check "$P: ... and by the cgroup's count (cpu_usec $use / wall_ms $wall: $((use / wall)) per mille, 150..350)" \
			between $((use / wall)) 150 350
	else
		fail "$P: ... report: cgroup.cpu_usec ($use) and wall_ms ($wall) are numbers (the tree's CPU time from the cgroup)" "$r"
	fi
	no_leaves "$P: ... and no cordon-* cgroup is left"

	# cputime
	r=$(report cputime)
	t0=$(now_ms)
	expect 137 "$P: limit cputime 1s ends a 10 s busy loop" \
		cgrun -p "$(pol cputime1)" --report "$r" -- "$probe" spin 10
	dt=$(($(now_ms) - t0))
	check "$P: ... well before its end ($dt ms, 900..4000)" between "$dt" 900 4000
	report_is "$P: ... report: cpu, 137, signal 9" "$r" reason='"cpu"' exit_code=137 signal=9
	report_num "$P: ... report: the tree's CPU time from the cgroup" "$r" cgroup.cpu_usec 900000 4000000
	no_leaves "$P: ... and no cordon-* cgroup is left"

	# a command that crashes
	r=$(report crash)
	expect 139 "$P: a command that dies of SIGSEGV under limits" \
		cgrun -p "$(pol tree)" --report "$r" -- "$probe" signal 11
	report_is "$P: ... report: signaled, 11" "$r" reason='"signaled"' signal=11
	no_leaves "$P: ... and no cordon-* cgroup is left"

	# SIGTERM and SIGINT to cordon
	for sig in TERM INT; do
		pf="./rw/$sig-$tag.pid"
		newplace
		keep_place=1
		# sh starts background commands with SIGINT ignored, which cordon
		# and the command would inherit: sigdfl resets it first
		pre="$probe sigdfl"
		cgrun -p "$(pol tree)" -- "$probe" tree 30 "$pf" >"$tmp/out" 2>&1 </dev/null &
		bg=$!
		pre=""
		pids="$pids $bg"
		wait_for test -s "$pf"
		gc=$(cat "$pf" 2>/dev/null)
		[ -n "$gc" ] && pids="$pids $gc"
		sup=$(cordon_of "$bg")
		check "$P: SIG$sig: while the tree runs, its leaf is cordon-<cordon's pid> (${sup:-?}: $(leaves | tr "\n" " "))" \
			test -n "$sup" -a "$(leaf_pids)" = "${sup:-x}"
		check "$P: ... the grandchild runs (pid ${gc:-none})" alive "${gc:-0}"
		if [ -n "$sup" ]; then kill -"$sig" "$sup"; else kill -9 "$bg" ${gc:-}; fi
		wait "$bg"
		st=$?
		want=143
		[ $sig = INT ] && want=130
		if [ $st = $want ]; then
			pass "$P: ... SIG$sig to cordon: the command died of it (exit $st)"
		else
			fail "$P: ... SIG$sig to cordon: the command died of it (exit $st, wanted $want)" "$tmp/out"
		fi
		check "$P: ... the grandchild is gone" wait_for gone "${gc:-0}"
		no_leaves "$P: ... and no cordon-* cgroup is left"
		keep_place=""
	done

	# SIGKILL to cordon: the leaf stays, the next run sweeps it
	pf="./rw/kill-$tag.pid"
	newplace
	keep_place=1
	cgrun -p "$(pol tree)" -- "$probe" tree 60 "$pf" >"$tmp/out" 2>&1 </dev/null &
	bg=$!
	pids="$pids $bg"
	wait_for test -s "$pf"
	gc=$(cat "$pf" 2>/dev/null)
	[ -n "$gc" ] && pids="$pids $gc"
	sup=$(cordon_of "$bg")
	check "$P: SIGKILL: while the tree runs, its leaf is cordon-<cordon's pid> (${sup:-?}: $(leaves | tr "\n" " "))" \
		test -n "$sup" -a "$(leaf_pids)" = "${sup:-x}"
	if [ -n "$sup" ]; then kill -KILL "$sup"; else kill -9 "$bg"; fi
	wait "$bg"
	stale=$(leaves)
	check "$P: ... after SIGKILL to cordon its leaf is left behind ($(echo $stale))" has_leaf "${sup:-x}"
	check "$P: ... with the grandchild alive in it (pid ${gc:-none})" alive "${gc:-0}"
	# v2: the cgroup cordon ran in now passes controllers down and can hold
	# no process; the next run starts where the killed cordon was
	[ -d "$place/supervisor" ] && place="$place/supervisor"
	r=$(report sweep)
	expect 0 "$P: ... the next run in the same cgroup (limit memory only)" \
		cgrun -p "$(pol mem64)" --report "$r" -- "$probe" exit 0
	check "$P: ... removed the stale leaf in every hierarchy" no_leaf "${sup:-x}"
	check "$P: ... and killed the grandchild" wait_for gone "${gc:-0}"
	no_leaves "$P: ... and no cordon-* cgroup is left"
	keep_place=""
	place=${place%/supervisor}
	[ -n "$gc" ] && kill -9 "$gc" 2>/dev/null
}

# no_cgroup_cases RUNNER...: a user without a cgroup of its own
no_cgroup_cases() {
	who=$1
	shift
	for be in $backends; do
		P="$who, $be, no cgroup"
		m="$ws/rw/nocg-$who-$be"
		r="$tmp/nb/r-$who-$be.json"
		rm -f "$m" "$r"
		case " $opts " in
		*" --best-effort "*)
			skip "$P: strict refuses limits it cannot enforce" \
				"strict refuses here already (Landlock; CGTEST_OPTS=$opts)" ;;
		*)
			expect 125 "$P: strict: a policy with memory, pids, cpu and cputime limits is refused" \
				"$@" "$cordon" run --cgroup-backend="$be" -p "$(pol all)" --report "$r" -- \
				"$probe" create "$m"
			check "$P: ... the command did not run" test ! -e "$m"
			check "$P: ... the message says what works here (--best-effort, a delegated cgroup)" \
				sh -c "grep -q 'Run with --best-effort' '$tmp/out' &&
					grep -Eq 'Delegate=yes|delegate a cgroup to uid' '$tmp/out'"
			report_is "$P: ... report: error, 125" "$r" reason='"error"' exit_code=125 ;;
		esac
		r="$tmp/nb/rb-$who-$be.json"
		expect 0 "$P: --best-effort runs it" \
			"$@" "$cordon" run --best-effort --cgroup-backend="$be" -p "$(pol all)" --report "$r" -- \
			"$probe" create "$m"
		check "$P: ... the command ran" test -f "$m"
		report_is "$P: ... report: enforced.cgroup rlimit" "$r" \
			enforced.cgroup='"rlimit"' mode='"best-effort"'
		# no cgroup's peak: null, or the supervisor's poll of the tree's
		# PSS when the command outlived its first look (10 ms; slow VMs)
		pk=$(jfield "$r" peak_memory_bytes)
		check "$P: ... report: peak_memory_bytes null or the polled PSS ($pk)" \
			sh -c "[ '$pk' = null ] || { [ '$pk' -gt 0 ] && [ '$pk' -lt 67108864 ]; } 2>/dev/null"
		check "$P: ... report: no cgroup object" grep -q '"cgroup":null' "$r"
		for l in memory pids 'cpu[^t]'; do
			check "$P: ... report: not_enforced lists limit ${l%\[*}" not_enforced_has "$r" "limit $l"
		done
	done
}

"$cordon" probe >"$tmp/out" 2>&1
check "cordon probe has a cgroup line" grep -q cgroup "$tmp/out"
[ "$layout" != none ] && check "... naming the layout ($layout)" grep -q "cgroup.*$layout" "$tmp/out"
grep cgroup "$tmp/out" | sed 's/^/# /'

if [ "$uid" = 0 ]; then
	mode=root
	for be in $backends; do cases; done
	if [ "$layout" = v2 ] && [ -n "$outer_ok" ]; then
		mode=deleg
		be=cgroupfs
		cases
	fi
	newplace # removes the last one
	mode=root
	# shellcheck disable=SC2086
	no_cgroup_cases "uid 65534" $nobody
	$nobody "$cordon" probe >"$tmp/out" 2>&1
	check "cordon probe as uid 65534 has a cgroup line" grep -q cgroup "$tmp/out"
elif user_has_cgroup; then
	skip "the no-cgroup cases" "uid $uid can make cgroups here"
else
	no_cgroup_cases "uid $uid" env
fi
[ "$uid" != 0 ] && skip "the cgroup cases (limits, report, leaves)" "they need root (uid $uid)"
finish
