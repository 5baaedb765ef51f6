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
