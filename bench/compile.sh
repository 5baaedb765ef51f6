#!/bin/sh
# compile.sh: benchmark how cordonc's compile time grows with policy size
# (0 to 10,000 rules), and check it against the two compile-time targets.
#
# usage: bench/compile.sh            (from anywhere; it works in the repo root)
#   CORDONC=path   compiler to time (default build/cordonc; relative to the root)
#   BUDGET=secs    rough time for the timed runs (default 35)
#   TIMEIT=path    a built bench/timeit (default: compiled into a temp dir)
#   OUT=path       where the timed compiles write (default /dev/null, so that
#                  the filesystem's cost of replacing a file is left out:
#                  on ext4 a rename over an existing file starts writeback of
#                  the new data; OUT=file measures that too)
#
# Policies come from bench/gen-policy.sh.  All sizes are timed together by
# timeit's interleaved mode, so the machine's noise falls on each alike; the
# run count is chosen from a short calibration to fit BUDGET.  Prints a
# table and one verdict line.  Exits 0 whatever the verdict; non-zero when
# cordonc is missing or fails.
set -eu

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
CORDONC=${CORDONC:-build/cordonc}
BUDGET=${BUDGET:-35}
SIZES="0 10 100 1000 10000"

bench_start compile "$CORDONC"
[ "${OUT:-}" = file ] && OUT=$tmp/x.cpb
OUT=${OUT:-/dev/null}

# Time a copy, so that a rebuild of cordonc meanwhile cannot disturb the run.
cp "$CORDONC" "$tmp/cordonc"
label=$CORDONC
CORDONC=$tmp/cordonc

# Generate each policy and compile it once: it must succeed, and whatever
# cordonc prints (a warning on a generated policy) is shown.
set --
for n in $SIZES; do
	policy=$tmp/policy-$n.cordon
	sh bench/gen-policy.sh "$n" >"$policy"
	if ! "$CORDONC" -o "$tmp/x-$n.cpb" "$policy" >"$tmp/msg" 2>&1; then
		echo "compile.sh: $label failed on a policy of $n rules:" >&2
		head -n 20 "$tmp/msg" >&2
		cp "$policy" "${TMPDIR:-/tmp}/cordon-failed-policy-$n.cordon" &&
			echo "compile.sh: the policy is kept in ${TMPDIR:-/tmp}/cordon-failed-policy-$n.cordon" >&2
		exit 1
	fi
	if [ -s "$tmp/msg" ]; then
		echo "note: cordonc printed this on the policy of $n rules:"
		head -n 10 "$tmp/msg" | sed 's/^/  | /'
	fi
	wc -c <"$tmp/x-$n.cpb" | tr -d ' ' >"$tmp/size-$n"
	set -- "$@" -c "n$n=$CORDONC -o $OUT $policy"
done

# Calibrate: one timed round (every size once) costs less than the sum of
# the p90s; pick the run count that fits BUDGET, within 5..1000.
"$TIMEIT" -n 5 -w 1 "$@" >"$tmp/calib"
runs=$(calibrate_runs "$tmp/calib" "$BUDGET" 5 1000)
warmup=$((runs / 20 + 2))

echo "cordonc: $label   output: $OUT   runs per size: $runs (+$warmup warm-up), interleaved"
"$TIMEIT" -n "$runs" -w "$warmup" "$@" >"$tmp/result"

awk -v sizes="$SIZES" -v dir="$tmp" "$AWK_FIELD"'
{ label = $1; sub(/^n/, "", label); med[label] = field($0, "median_us")
  p10[label] = field($0, "p10_us"); p90[label] = field($0, "p90_us")
  runs[label] = field($0, "runs") }
# Standard error of a median in us, from the p10-p90 spread as if normal.
function se(n) { return 1.2533 * (p90[n] - p10[n]) / 2.5631 / sqrt(runs[n]) }
END {
	ns = split(sizes, s, " ")
	printf "%7s %11s %9s %9s %9s %13s %10s\n", "rules", "median_ms", "p10_ms", "p90_ms", "x_empty", "per_rule_us", "cpb_bytes"
	for (i = 1; i <= ns; i++) {
		n = s[i]
		f = dir "/size-" n; bytes = "?"
		if ((getline line < f) > 0) bytes = line
		close(f)
		per = n > 0 ? sprintf("%.3f", (med[n] - med[0]) / n) : "-"
		printf "%7d %11.3f %9.3f %9.3f %9.2f %13s %10s\n", n, med[n] / 1000, p10[n] / 1000, p90[n] / 1000, med[n] / med[0], per, bytes
	}

	r1 = med[1000] / med[0]
	v1 = sprintf("%s (%.2fx)", r1 < 2 ? "PASS" : "FAIL", r1)
	pr1 = (med[1000] - med[0]) / 1000
	pr10 = (med[10000] - med[0]) / 10000
	# Growth 0 -> 1,000 within 3 standard errors is noise: no ratio then.
	noise1 = 3 * sqrt(se(0) ^ 2 + se(1000) ^ 2)
	if (med[1000] - med[0] <= noise1 || pr10 <= 0)
		v2 = sprintf("INCONCLUSIVE (growth 0->1,000 of %.0f us is within noise, +-%.0f us; per-rule %.3f us at 10,000)", med[1000] - med[0], noise1, pr10)
	else {
		r2 = pr10 / pr1
		if (r2 > 2)
			v2 = sprintf("FAIL (%.2fx: super-linear)", r2)
		else if (r2 < 0.5)
			v2 = sprintf("PASS (%.2fx: sub-linear, fixed costs dominate at 1,000)", r2)
		else
			v2 = sprintf("PASS (%.2fx)", r2)
	}
	printf "verdict: 1,000 rules < 2x empty: %s; growth linear (per-rule cost at 10,000 within 2x of that at 1,000): %s\n", v1, v2
}' "$tmp/result"
