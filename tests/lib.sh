# shellcheck shell=sh
# Helpers of the enforcement tests (sourced after tests/tap.sh, with $tmp
# set): run a command and check its exit status and output, wait for a
# condition, read and check cordon's JSON reports.
# TEST_NOPY=1 makes the reports be read with sed even if python3 is there.

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
