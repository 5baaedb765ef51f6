#!/bin/sh
# notify.sh: what the seccomp listener and the supervisor's answers cost.
#
# usage: bench/notify.sh     (from anywhere; it works in the repo root)
#   CORDON=path     runtime to time (default build/cordon)
#   CORDONC=path    compiler (default build/cordonc)
#   BASELINE=path   another cordon to time beside it (e.g. one built from
#                   main, without the listener), optional
#   NO_NS=path      tests/no_ns (default build/tests/no_ns)
#   BUDGET=secs     rough time for each timed part (default 20)
#   CALLS=N         calls per run of the call benchmark (default 2000)
#
# Part 1, the launch: `cordon run -p P.cpb -- /bin/true` (bench/launch.sh's
# policy), interleaved with the static spawn floor, and with BASELINE when
# given; and the same under tests/no_ns, where the runtime adds its own
# filter and the /dev/shm listing.  Part 2, one notified call: a static
# program makes CALLS chmod(2) calls on a workspace file, or CALLS
# memfd_create(2)+close, under cordon with namespaces (chmod is not
# notified there) and under tests/no_ns (every chmod goes to the
# supervisor), interleaved; the difference of the medians divided by CALLS
# is the cost of one notified call.
set -eu

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
CORDON=${CORDON:-build/cordon}
CORDONC=${CORDONC:-build/cordonc}
NO_NS=${NO_NS:-build/tests/no_ns}
BUDGET=${BUDGET:-20}
CALLS=${CALLS:-2000}
bench_start notify "$CORDON" "$CORDONC" "$NO_NS"
bench_copy_cordon
FLOOR=$tmp/spawn_floor
${CC:-cc} -std=gnu11 -O2 -static -Wall -Wextra -Werror -o "$FLOOR" bench/spawn_floor.c ||
	die "could not build bench/spawn_floor.c"
base=""
if [ -n "${BASELINE:-}" ]; then
	cp "$BASELINE" "$tmp/baseline"
	base=$tmp/baseline
fi

cat >"$tmp/launch.cordon" <<'EOF'
use base;
allow read,exec /usr/bin /bin;
EOF
mkdir -p "$tmp/ws"
cat >"$tmp/calls.cordon" <<EOF
use base;
allow read,exec $tmp/calls;
allow read,write $tmp/ws;
EOF
for p in launch calls; do
	"$CORDONC" -I stdlib-policies -o "$tmp/$p.cpb" "$tmp/$p.cordon" >"$tmp/msg" 2>&1 ||
		{ cat "$tmp/msg" >&2; die "cannot compile $p.cordon"; }
done
cat >"$tmp/calls.c" <<'EOF'
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	int n = atoi(argv[2]);
	for (int i = 0; i < n; i++) {
		if (strcmp(argv[1], "chmod") == 0) {
			if (syscall(SYS_chmod, argv[3], i & 1 ? 0644 : 0600) != 0)
				return 1;
		} else {
			long fd = syscall(SYS_memfd_create, "bench", 1U);
			if (fd < 0)
				return 1;
			close((int)fd);
		}
	}
	return 0;
}
EOF
${CC:-cc} -O2 -static -o "$tmp/calls" "$tmp/calls.c" || die "cannot build the call program"
echo x >"$tmp/ws/f"

run() { # LABEL: timeit over "$@" (-c ...), a calibrated count
	"$TIMEIT" -n 10 -w 2 "$@" >"$tmp/calib"
	runs=$(calibrate_runs "$tmp/calib" "$BUDGET" 20 3000)
	"$TIMEIT" -n "$runs" -w $((runs / 20 + 2)) "$@"
}

echo "cordon: $label; launch: base + read,exec /usr/bin /bin; interleaved"
set -- -c "floor=$FLOOR /bin/true" -c "cordon=$CORDON run -p $tmp/launch.cpb -- /bin/true" \
	-c "cordon-no-ns=$NO_NS -- $CORDON run -p $tmp/launch.cpb -- /bin/true" \
	-c "floor-no-ns=$NO_NS -- $FLOOR /bin/true"
[ -n "$base" ] && set -- "$@" -c "baseline=$base run -p $tmp/launch.cpb -- /bin/true"
run "$@"

echo "one notified call: $CALLS calls per run"
run -c "chmod=$CORDON run -p $tmp/calls.cpb -- $tmp/calls chmod $CALLS $tmp/ws/f" \
	-c "chmod-notified=$NO_NS -- $CORDON run -p $tmp/calls.cpb -- $tmp/calls chmod $CALLS $tmp/ws/f" \
	-c "memfd-none=$CORDON run -p $tmp/calls.cpb -- $tmp/calls chmod 0 $tmp/ws/f" \
	-c "memfd-notified=$CORDON run -p $tmp/calls.cpb -- $tmp/calls memfd $CALLS" | tee "$tmp/calls.out"
awk -v n="$CALLS" "$AWK_FIELD"'
{ med[$1] = field($0, "median_us") }
END {
	printf "per notified chmod: %.1f us (no-namespace mode, vs the same calls unnotified)\n", (med["chmod-notified"] - med["chmod"]) / n
	printf "per notified memfd_create (made by the supervisor and injected): %.1f us (vs a run without the calls)\n", (med["memfd-notified"] - med["memfd-none"]) / n
}' "$tmp/calls.out"
