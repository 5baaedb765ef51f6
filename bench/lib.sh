# shellcheck shell=sh
# Shared by the benchmark scripts (sourced, not run).

# calibrate_runs CALIB_FILE BUDGET MIN MAX: from one timed round of timeit
# (every command once), the run count whose rounds fit BUDGET seconds: a
# round costs less than the sum of the p90s.  Prints it, within MIN..MAX.
calibrate_runs() {
	awk -v budget="$2" -v min="$3" -v max="$4" '
		{ for (i = 2; i <= NF; i++) if ($i ~ /^p90_us=/) { sub(/^p90_us=/, "", $i); sum += $i } }
		END {
			r = int(budget * 1e6 / (sum > 0 ? sum : 1))
			if (r < min) r = min
			if (r > max) r = max
			print r
		}' "$1"
}

# timeit_path DIR: $TIMEIT if set, else bench/timeit.c built into DIR.
timeit_path() {
	if [ -n "${TIMEIT:-}" ]; then
		echo "$TIMEIT"
		return
	fi
	${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -Werror -o "$1/timeit" bench/timeit.c >&2 ||
		return 1
	echo "$1/timeit"
}

# die MESSAGE: "NAME: MESSAGE" on standard error, exit 1 (NAME: $bench).
die() {
	echo "${bench:-bench}: $*" >&2
	exit 1
}

# bench_start NAME EXE...: the common start of a benchmark script: each EXE
# must be an executable file, BUDGET whole seconds; makes $tmp (removed at
# exit) and $TIMEIT.  timeit splits each command on blanks, so neither
# $tmp nor an EXE may hold one.
bench_start() {
	bench=$1
	shift
	for exe; do
		if ! [ -f "$exe" ] || ! [ -x "$exe" ]; then
			die "$exe: no such executable (build it first: make)"
		fi
	done
	case $BUDGET in '' | *[!0-9]*) die "BUDGET must be whole seconds, not '$BUDGET'" ;; esac
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/cordon-$bench-bench.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM
	for p in "$tmp" "$@"; do
		case $p in *[[:space:]]*) die "paths with blanks are not supported: $p" ;; esac
	done
	TIMEIT=$(timeit_path "$tmp") || die "could not build bench/timeit.c"
}

# bench_copy_cordon: times a copy of $CORDON in $tmp, so that a rebuild
# meanwhile cannot disturb the run (with cordon-libcgroup beside it, which
# a musl cordon execs for that backend); $label keeps the name given.
bench_copy_cordon() {
	cp "$CORDON" "$tmp/cordon"
	lib="$(dirname "$CORDON")/cordon-libcgroup"
	if [ -x "$lib" ]; then cp "$lib" "$tmp/cordon-libcgroup"; fi
	label=$CORDON
	CORDON=$tmp/cordon
}

# The awk function that reads KEY=VALUE fields of timeit's output lines.
AWK_FIELD='
function field(line, key,    i, a, k) {
	k = split(line, a, /[ \t]+/)
	for (i = 1; i <= k; i++)
		if (index(a[i], key "=") == 1)
			return substr(a[i], length(key) + 2) + 0
	return -1
}'
