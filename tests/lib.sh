# shellcheck shell=sh
# Helpers of the enforcement tests (sourced after tests/tap.sh, with $tmp
# set): run a command and check its exit status and output, wait for a
# condition, read and check cordon's JSON reports.
# TEST_NOPY=1 makes the reports be read with sed even if python3 is there.

# the user policy (a layer of every run) is looked for under the tests' own
# HOME, ~/.config/cordon/user.cordon, not the caller's configuration
unset XDG_CONFIG_HOME

# tmp_and_pids: makes $tmp (removed at exit) and $pids, the background
# processes of the test, killed at exit (or on a signal)
tmp_and_pids() {
	tmp=$(mktemp -d) || exit 1
	pids=""
	trap 'for p in $pids; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
	trap 'exit 1' HUP INT TERM
}

# with_tmp_and_probe: tmp_and_pids, and $probe, tests/sandbox_probe.c built
# in $tmp (or the test ends with one failed point)
with_tmp_and_probe() {
	tmp_and_pids
	probe="$tmp/probe"
	if ! TMPDIR="$tmp" cc -static -O2 -o "$probe" tests/sandbox_probe.c >"$tmp/out" 2>&1; then
		fail "build tests/sandbox_probe.c" "$tmp/out"
		echo "1..$n"
		exit 1
	fi
}

in_dir() { d=$1 && shift && (cd "$d" && "$@"); } # DIR CMD...: CMD run in DIR

# expect STATUS DESCRIPTION CMD...: runs CMD, its output in $tmp/out, its
# status in $got
expect() {
	want=$1 desc=$2
	shift 2
	"$@" >"$tmp/out" 2>&1 </dev/null
	got=$?
	if [ "$got" = "$want" ]; then
		pass "$desc (exit $got)"
	else
		fail "$desc (exit $got, wanted $want)" "$tmp/out"
	fi
}
check() { # DESCRIPTION CMD...: a condition (shows $tmp/out if it fails)
	desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc" "$tmp/out"; fi
}
said() { grep -q -- "$1" "$tmp/out"; } # the last output contains TEXT
not_said() { ! grep -q -- "$1" "$tmp/out"; } # ... does not
wait_for() { # CONDITION...: up to 5 s
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -ge 100 ] && return 1
		sleep 0.05
	done
}

py=""
if [ -z "${TEST_NOPY:-}" ]; then
	for c in /usr/bin/python3 python3; do
		if "$c" -c 'import json' >/dev/null 2>&1; then py=$c; break; fi
	done
fi
jfield() { # FILE KEY[.KEY]: the value in the report, as compact JSON
	if [ -n "$py" ]; then
		"$py" -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
print(json.dumps(v, separators=(",", ":")))' "$1" "$2" 2>/dev/null
		return
	fi
	# sed: flat objects and string values without quotes in them are enough
	v='("[^"]*"|\[[^]]*\]|\{[^}]*\}|[^,}]*)'
	case $2 in
	*.*)
		sed -nE "s/.*[{,]\"${2%%.*}\":\{([^{}]*)\}.*/,\1/p" "$1" | head -n 1 |
			sed -nE "s/.*,\"${2#*.}\":$v.*/\1/p" ;;
	*) sed -nE "s/.*[{,]\"$2\":$v.*/\1/p" "$1" | head -n 1 ;;
	esac
}
json_ok() { # FILE: one line of valid JSON
	[ -s "$1" ] && [ "$(wc -l <"$1")" -eq 1 ] || return 1
	if [ -n "$py" ]; then
		"$py" -c 'import json, sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null
	else
		grep -q '^{".*}$' "$1"
	fi
}
report_is() { # DESCRIPTION FILE KEY=JSON...: the report parses and has these values
	desc=$1 f=$2
	shift 2
	bad=""
	json_ok "$f" || bad="not one line of valid JSON"
	for kv in "$@"; do
		[ -n "$bad" ] && break
		got=$(jfield "$f" "${kv%%=*}")
		[ "$got" = "${kv#*=}" ] || bad="${kv%%=*} is $got, wanted ${kv#*=}"
	done
	if [ -z "$bad" ]; then pass "$desc"; else fail "$desc: $bad" "$f"; fi
}

# ---- cgroups of the tests' own: outer limits for runaway code ----------------
mnt_of() { # CONTROLLER: the v1 mount point of the hierarchy that has it
	awk -v c="$1" '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $2; exit } }' /proc/mounts
}
own_of() { # CONTROLLER (v1) or "" (v2): this shell's cgroup path, "" for the root
	if [ -z "$1" ]; then
		p=$(sed -n 's/^0:://p' /proc/self/cgroup)
	else
		p=$(awk -F: -v c="$1" '{ n = split($2, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $3; exit } }' /proc/self/cgroup)
	fi
	[ "$p" = / ] && p=""
	echo "$p"
}
# kill_in DIR: kills every process in the cgroups at and below DIR but this
# shell and those it is in ($mine); they are all the script's: nothing else
# is ever put there
kill_in() {
	find "$1" -name cgroup.procs 2>/dev/null | while read -r f; do
		case " ${mine:-} " in *" ${f%/cgroup.procs} "*) continue ;; esac
		while read -r p; do
			[ "$p" != $$ ] && kill -9 "$p" 2>/dev/null
		done <"$f"
	done
}
rm_cg() { # DIR: removes the cgroup DIR and those below it (emptying them)
	[ -d "$1" ] || return 0
	i=0
	while [ -d "$1" ] && [ "$i" -lt 100 ]; do
		kill_in "$1"
		find "$1" -depth -type d -exec rmdir {} \; 2>/dev/null
		[ -d "$1" ] && sleep 0.05
		i=$((i + 1))
	done
	[ ! -d "$1" ]
}
# outer_v1 NAME CONTROLLER...: as root on cgroup v1, makes NAME-<pid> under
# this shell's own cgroup of each hierarchy that has one of the controllers
# (once per hierarchy), limits memory to 1G (and swap with it) and pids to
# 512, and moves this shell in.  Adds to $outers (made), $origs (left, to go
# back to) and $mine (joined); $pids_outer is the pids one.  0 when memory
# and pids are both limited, else 1 with $outer_why.
outer_v1() {
	name=$1
	shift
	outer_why="" mnts="" mem_ok="" pids_ok=""
	for c; do
		m=$(mnt_of "$c")
		[ -n "$m" ] || continue
		case " $mnts " in *" $m "*) continue ;; esac
		mnts="$mnts $m"
		d="$m$(own_of "$c")"
		o="$d/$name-$$"
		if ! mkdir "$o" 2>"$tmp/out"; then
			outer_why="cannot create $o: $(cat "$tmp/out")"
			return 1
		fi
		outers="$outers $o"
		case $c in
		memory)
			echo 1G >"$o/memory.limit_in_bytes" &&
				{ [ ! -e "$o/memory.memsw.limit_in_bytes" ] || echo 1G >"$o/memory.memsw.limit_in_bytes"; } &&
				[ "$(cat "$d/memory.use_hierarchy" 2>/dev/null || echo 1)" = 1 ] && mem_ok=1 ;;
		pids) echo 512 >"$o/pids.max" && pids_ok=1 && pids_outer=$o ;;
		esac
		if ! echo $$ >"$o/cgroup.procs"; then
			outer_why="cannot move into $o"
			return 1
		fi
		origs="$origs $d"
		mine="${mine:-} $o"
	done
	[ -n "$mem_ok" ] && [ -n "$pids_ok" ] && return 0
	outer_why="cannot limit memory to 1G and pids to 512 in $name-$$ (memory or pids not mounted?)"
	return 1
}
