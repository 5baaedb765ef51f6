#!/bin/sh
# launch.sh: benchmark what `cordon run` adds to starting a program, against
# a bare /bin/true and against the floor of any supervised launcher (a
# static posix_spawn-and-wait, bench/spawn_floor.c), and check it against
# the launch target: cordon run within 1.2x of the spawn floor.
#
# usage: bench/launch.sh             (from anywhere; it works in the repo root)
#   CORDON=path    runtime to time (default build/cordon; relative to the root)
#   CORDONC=path   compiler for the policy (default build/cordonc)
#   BUDGET=secs    rough time for the timed runs (default 35)
#   TIMEIT=path    a built bench/timeit (default: compiled into a temp dir)
#
# Times, interleaved by timeit in shuffled rounds so that the machine's
# noise falls on each alike:
#   true    /bin/true
#   floor   spawn_floor /bin/true          (built with gcc -O2 -static)
#   floor-musl  the same built with musl-gcc -static (when musl-gcc is
#           there): cordon itself links musl, whose start-up skips the
#           glibc CPUID probe (~440 us in a VM), so this is the floor of a
#           launcher that does the same; the verdict stays against `floor`
#           (the issue's), the table shows both
#   cordon  cordon run -p P.cpb -- /bin/true
#   bwrap   bwrap --ro-bind / / /bin/true  (only when bwrap is installed
#                                           and works here)
# P.cpb is a minimal realistic policy: the base profile plus read and exec
# of /usr/bin and /bin.  The run count is chosen from a short calibration to
# fit BUDGET.  Prints a table, cordon's report of one run (what it enforced)
# and one verdict line.  Exits 0 whatever the verdict; non-zero when cordon
# or cordonc is missing or a run fails.
set -eu

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
CORDON=${CORDON:-build/cordon}
CORDONC=${CORDONC:-build/cordonc}
BUDGET=${BUDGET:-35}
TARGET=1.2

bench_start launch "$CORDON" "$CORDONC"
FLOOR=$tmp/spawn_floor
${CC:-cc} -std=gnu11 -O2 -static -Wall -Wextra -Werror -o "$FLOOR" bench/spawn_floor.c ||
	die "could not build bench/spawn_floor.c (a static build needs libc6-dev's libc.a)"
FLOOR_MUSL=
if command -v musl-gcc >/dev/null 2>&1; then
	FLOOR_MUSL=$tmp/spawn_floor_musl
	musl-gcc -std=gnu11 -O2 -static -Wall -Wextra -Werror -o "$FLOOR_MUSL" bench/spawn_floor.c ||
		die "could not build bench/spawn_floor.c with musl-gcc"
fi

bench_copy_cordon

policy=$tmp/launch.cordon
cat >"$policy" <<'EOF'
# bench/launch.sh: what a program in /usr/bin needs to start, nothing more.
use base;
allow read,exec /usr/bin /bin;
EOF
if ! "$CORDONC" -I stdlib-policies -o "$tmp/launch.cpb" "$policy" >"$tmp/msg" 2>&1; then
	cat "$tmp/msg" >&2
	die "$CORDONC could not compile the benchmark policy"
fi

# One run by hand first: it must succeed, and its report says what the
# timed runs enforce (a run that enforced nothing would be cheap and wrong).
if "$CORDON" run --report - -p "$tmp/launch.cpb" -- /bin/true >"$tmp/out" 2>"$tmp/report"; then
	:
else
	echo "launch.sh: '$label run -p launch.cpb -- /bin/true' failed (exit status $?):" >&2
	head -n 20 "$tmp/report" >&2
	exit 1
fi

set -- -c "true=/bin/true" -c "floor=$FLOOR /bin/true" -c "cordon=$CORDON run -p $tmp/launch.cpb -- /bin/true"
[ -n "$FLOOR_MUSL" ] && set -- "$@" -c "floor-musl=$FLOOR_MUSL /bin/true"
note=
if command -v bwrap >/dev/null 2>&1; then
	if bwrap --ro-bind / / /bin/true >/dev/null 2>&1; then
		set -- "$@" -c "bwrap=$(command -v bwrap) --ro-bind / / /bin/true"
	else
		note="bwrap is installed but 'bwrap --ro-bind / / /bin/true' fails here: left out"
	fi
fi

# Calibrate: one timed round (every command once) costs less than the sum
# of the p90s; pick the run count that fits BUDGET, within 20..5000.
"$TIMEIT" -n 10 -w 2 "$@" >"$tmp/calib"
runs=$(calibrate_runs "$tmp/calib" "$BUDGET" 20 5000)
warmup=$((runs / 20 + 2))

echo "cordon: $label   policy: base + read,exec /usr/bin /bin   runs per command: $runs (+$warmup warm-up), interleaved"
[ -z "$note" ] || echo "note: $note"
"$TIMEIT" -n "$runs" -w "$warmup" "$@" >"$tmp/result"

awk -v target="$TARGET" "$AWK_FIELD"'
{ n++; name[n] = $1; med[$1] = field($0, "median_us")
  p10[$1] = field($0, "p10_us"); p90[$1] = field($0, "p90_us")
  runs[$1] = field($0, "runs") }
# Standard error of a median in us, from the p10-p90 spread as if normal.
function se(c) { return 1.2533 * (p90[c] - p10[c]) / 2.5631 / sqrt(runs[c]) }
END {
	desc["true"] = "/bin/true"
	desc["floor"] = "spawn_floor /bin/true"
	desc["floor-musl"] = "spawn_floor (musl) /bin/true"
	desc["cordon"] = "cordon run -p P.cpb -- /bin/true"
	desc["bwrap"] = "bwrap --ro-bind / / /bin/true"
	printf "%-34s %10s %9s %9s %8s %8s %12s\n", "command", "median_ms", "p10_ms", "p90_ms", "x_true", "x_floor", "over_floor_us"
	for (i = 1; i <= n; i++) {
		c = name[i]
		printf "%-34s %10.3f %9.3f %9.3f %8.2f %8.2f %12.0f\n", desc[c], med[c] / 1000, p10[c] / 1000, p90[c] / 1000,
			med[c] / med["true"], med[c] / med["floor"], med[c] - med["floor"]
	}
	r = med["cordon"] / med["floor"]
	# The ratio is uncertain by about the two medians standard errors.
	dr = r * sqrt((se("cordon") / med["cordon"]) ^ 2 + (se("floor") / med["floor"]) ^ 2)
	v = r <= target ? "PASS" : "FAIL"
	if (r - 3 * dr <= target && r + 3 * dr > target)
		v = v " (borderline: " target "x is within 3 standard errors)"
	printf "verdict: cordon run within %sx of the spawn floor: %s (%.2fx +-%.2f, +%.0f us per launch)\n", target, v, r, 3 * dr, med["cordon"] - med["floor"]
	if (med["floor-musl"] > 0)
		printf "against the musl-built floor (a launcher with the same libc start-up as cordon): %.2fx, +%.0f us: what the sandbox itself costs\n", med["cordon"] / med["floor-musl"], med["cordon"] - med["floor-musl"]
}' "$tmp/result"

echo "report of one run (cordon run --report -):"
sed 's/^/  /' "$tmp/report"
