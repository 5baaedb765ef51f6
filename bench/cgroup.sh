#!/bin/sh
# cgroup.sh: benchmark what the cgroup step adds to `cordon run`: the same
# launch of /bin/true without limits, with limits through the cgroupfs
# backend and through the libcgroup backend, interleaved in one run.
#
# usage: bench/cgroup.sh             (from anywhere; it works in the repo root)
#   CORDON=path    runtime to time (default build/cordon; relative to the root)
#   CORDONC=path   compiler for the policies (default build/cordonc)
#   BUDGET=secs    rough time for the timed runs (default 30)
#   TIMEIT=path    a built bench/timeit (default: compiled into a temp dir)
#
# The limits policy is the launch benchmark's plus `limit memory 256M;
# limit pids 64; limit cpu 1;`: a leaf per run (v1: one per hierarchy, with
# the freezer's), its limits written, the child moved in (or, on v2, born
# in it with clone3), the leaf removed afterwards.  Needs a cgroup cordon
# may create (root, or a delegated v2 subtree); a backend whose run fails
# here is left out with the reason.
set -eu

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
CORDON=${CORDON:-build/cordon}
CORDONC=${CORDONC:-build/cordonc}
BUDGET=${BUDGET:-30}

bench_start cgroup "$CORDON" "$CORDONC"
bench_copy_cordon

printf 'use base;\nallow read,exec /usr/bin /bin;\n' >"$tmp/plain.cordon"
printf 'use base;\nallow read,exec /usr/bin /bin;\nlimit memory 256M;\nlimit pids 64;\nlimit cpu 1;\n' \
	>"$tmp/limits.cordon"
for p in plain limits; do
	if ! "$CORDONC" -I stdlib-policies -o "$tmp/$p.cpb" "$tmp/$p.cordon" >"$tmp/msg" 2>&1; then
		cat "$tmp/msg" >&2
		die "$CORDONC could not compile the $p policy"
	fi
done

set -- -c "nolimits=$CORDON run -p $tmp/plain.cpb -- /bin/true"
for be in cgroupfs libcgroup; do
	if "$CORDON" run --cgroup-backend=$be --report "$tmp/$be.json" -p "$tmp/limits.cpb" -- /bin/true \
		>"$tmp/out" 2>&1; then
		set -- "$@" -c "$be=$CORDON run --cgroup-backend=$be -p $tmp/limits.cpb -- /bin/true"
	else
		echo "note: the $be backend cannot run here, left out: $(tail -n 1 "$tmp/out")"
	fi
done
[ $# -gt 2 ] || die "no cgroup backend works here (run as root, or in a delegated cgroup)"

"$TIMEIT" -n 10 -w 2 "$@" >"$tmp/calib"
runs=$(calibrate_runs "$tmp/calib" "$BUDGET" 20 3000)
warmup=$((runs / 20 + 2))
echo "cordon: $label   runs per command: $runs (+$warmup warm-up), interleaved"
echo "cgroup layout: $(sed -n 's/.*"layout":"\([a-z0-9]*\)".*/\1/p' "$tmp/cgroupfs.json" 2>/dev/null)"
"$TIMEIT" -n "$runs" -w "$warmup" "$@" >"$tmp/result"

awk "$AWK_FIELD"'
{ n++; name[n] = $1; med[$1] = field($0, "median_us")
  p10[$1] = field($0, "p10_us"); p90[$1] = field($0, "p90_us") }
END {
	desc["nolimits"] = "cordon run (no limits)"
	desc["cgroupfs"] = "cordon run, limits, cgroupfs"
	desc["libcgroup"] = "cordon run, limits, libcgroup"
	printf "%-32s %10s %9s %9s %9s %14s\n", "command", "median_ms", "p10_ms", "p90_ms", "x_nolim", "cgroup_step_us"
	for (i = 1; i <= n; i++) {
		c = name[i]
		printf "%-32s %10.3f %9.3f %9.3f %9.2f %14.0f\n", desc[c], med[c] / 1000, p10[c] / 1000,
			p90[c] / 1000, med[c] / med["nolimits"], med[c] - med["nolimits"]
	}
}' "$tmp/result"
