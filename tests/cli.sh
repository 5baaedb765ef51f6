#!/bin/sh
# The cordonc command line, as TAP: exit statuses (0 ok, 1 errors, 2 usage),
# output naming, standard input and output, the profile search path, -w and
# -Werror, and that a failed compile never leaves or clobbers an output.
# usage: tests/cli.sh BUILD_DIR   (run from the repository root)
set -u
b=${1:-build}
cc="$PWD/$b/cordonc"
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
n=0
fails=0

# expect STATUS DESCRIPTION CMD...: runs CMD, output in $tmp/out
expect() {
	want=$1 desc=$2
	shift 2
	"$@" >out 2>&1
	got=$?
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - $desc (exit $got)"
	else
		fails=$((fails + 1))
		echo "not ok $n - $desc (exit $got, wanted $want)"
		sed 's/^/# /' out
	fi
}
check() { # DESCRIPTION CMD...: a condition
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $desc"; else fails=$((fails + 1)); echo "not ok $n - $desc"; sed 's/^/# /' out; fi
}

printf 'allow read ./src; net none;\n' >p.cordon
printf 'allow read ./src;\nallow read ./src;\n' >dup.cordon
printf 'allow reed ./src;\n' >bad.cordon
printf 'use team;\n' >useteam.cordon

expect 2 "no arguments is a usage error" "$cc"
check "usage is printed" grep -q '^usage: cordonc' out
expect 2 "an unknown option is a usage error" "$cc" --frobnicate p.cordon
expect 2 "two policies are a usage error" "$cc" p.cordon p.cordon
expect 2 "--check with --dump is a usage error" "$cc" --check --dump p.cordon
expect 2 "standard input without -o is a usage error" sh -c "'$cc' - <p.cordon"
expect 0 "--help" "$cc" --help
expect 0 "--version" "$cc" --version
check "--version names cordonc" grep -q '^cordonc ' out

expect 0 "compile p.cordon" "$cc" p.cordon
check "the default output is p.cpb" test -s p.cpb
expect 0 "compile to a named output" "$cc" -o named.cpb p.cordon
check "the named output is the same bytes" cmp -s p.cpb named.cpb
expect 0 "read the policy from standard input" sh -c "'$cc' -o stdin.cpb - <p.cordon"
check "stdin compiles to the same bytes" cmp -s p.cpb stdin.cpb
expect 0 "write the policy to standard output" sh -c "'$cc' -o - p.cordon >stdout.cpb"
check "stdout holds the same bytes" cmp -s p.cpb stdout.cpb
expect 0 "--check writes nothing" "$cc" --check -o never.cpb p.cordon
check "no output file after --check" test ! -e never.cpb

expect 1 "a missing policy is an error" "$cc" nope.cordon
check "it says which file and why" grep -q "cannot open 'nope.cordon': No such file or directory" out
expect 1 "a policy with errors fails" "$cc" -o bad.cpb bad.cordon
check "and writes no output" test ! -e bad.cpb
cp p.cpb keep.cpb
expect 1 "a failed compile keeps an existing output" "$cc" -o keep.cpb bad.cordon
check "the old output is untouched" cmp -s p.cpb keep.cpb
expect 0 "a device output is written in place" "$cc" -o /dev/null p.cordon
check "/dev/null is still a character device" test -c /dev/null
mkfifo fifo
( cat fifo >fromfifo & "$cc" -o fifo p.cordon; wait ) >out 2>&1
check "a FIFO output is written in place" cmp -s p.cpb fromfifo
expect 1 "an unwritable output is an error" "$cc" -o /nonexistent/dir/x.cpb p.cordon
check "it names the output and the reason" grep -q "cannot write '/nonexistent/dir/x.cpb'" out
check "no temporary file is left behind" sh -c '! ls | grep -q tmp'

expect 0 "warnings do not fail a compile" "$cc" --check dup.cordon
check "the warning is shown" grep -q "warning: duplicate rule" out
expect 0 "-w hides warnings" "$cc" --check -w dup.cordon
check "nothing is printed with -w" test ! -s out
expect 1 "-Werror makes warnings fail" "$cc" --check -Werror dup.cordon
check "the warning is reported as an error" grep -q "error: duplicate rule" out

expect 1 "use without a search path entry fails" "$cc" --check useteam.cordon
expect 0 "use finds NAME.cordon through -I" "$cc" --check -I "$root/tests/golden/good" useteam.cordon
expect 0 "use finds NAME.cordon through CORDON_PATH" env CORDON_PATH="/nonexistent:$root/tests/golden/good" "$cc" --check useteam.cordon
mkdir first
printf 'allow reed x;\n' >first/team.cordon
expect 1 "-I directories are searched in order" "$cc" --check -I first -I "$root/tests/golden/good" useteam.cordon
expect 0 "-I comes before CORDON_PATH" env CORDON_PATH="$tmp/first" "$cc" --check -I "$root/tests/golden/good" useteam.cordon

expect 0 "--dump of a compiled policy" "$cc" --dump p.cpb
check "the dump shows the rule" grep -q 'WORKSPACE}/src' out
expect 1 "--dump of a source policy fails" "$cc" --dump p.cordon
check "and says it is not compiled" grep -q "not a compiled cordon policy" out
head -c 100 p.cpb >short.cpb
expect 1 "--dump of a truncated policy fails" "$cc" --dump short.cpb
check "and says so" grep -q "short.cpb: invalid compiled policy" out

# Limits are defaults: among profiles (and what they include) the smallest
# wins; the policy's own statement replaces them, up or down.
mkdir prof
printf 'use inner;\ninclude "outer-more.cordon";\nlimit time 5m;\n' >prof/outer.cordon
printf 'limit time 1m;\nlimit pids 50;\n' >prof/inner.cordon
printf 'limit pids 10;\n' >prof/outer-more.cordon
printf 'use outer;\n' >lim1.cordon
expect 0 "two profiles' limits" "$cc" -I prof -o lim1.cpb lim1.cordon
check "compile without a message" test ! -s out
"$cc" --dump lim1.cpb >out 2>&1
check "the smallest of the profiles' values wins (also from a profile's include)" grep -q '^limits: pids=10 time=60s$' out
printf 'use outer;\nlimit time 1h;\nlimit pids 500;\n' >lim2.cordon
expect 0 "the policy raises both" "$cc" -I prof -o lim2.cpb lim2.cordon
check "without a warning" test ! -s out
"$cc" --dump lim2.cpb >out 2>&1
check "its own values replace the profiles'" grep -q '^limits: pids=500 time=3600s$' out

# --dump of several layers: each under its heading, then what they make
# together (the issue 10 table: a repository's allow read ~, net all and
# limit memory 64G under a user policy of use agent get none of the three)
printf 'use agent;\nnet connect tcp 443 8000-8100;\nlimit time 1h;\nprotect ./.vscode/;\n' >user.cordon
printf 'allow read ~;\nnet connect tcp 22 8080-9000;\nlimit memory 64G;\nprotect ./.idea ./.vscode;\nenforce best-effort;\n' >repo.cordon
printf 'allow read ~;\nnet all;\nlimit memory 64G;\nenforce best-effort;\n' >repo2.cordon
"$cc" -I "$root/stdlib-policies" -o user.cpb user.cordon >out 2>&1
"$cc" -o repo.cpb repo.cordon >out 2>&1
"$cc" -o repo2.cpb repo2.cordon >out 2>&1
expect 0 "--dump of two layers" "$cc" --dump user.cpb repo.cpb
check "each layer under a heading, outermost first" sh -c \
	'grep -q "^=== layer 1 of 2 (outermost): user.cpb$" out && grep -q "^=== layer 2 of 2 (innermost): repo.cpb$" out'
"$cc" --dump user.cpb >one.out 2>&1
sed -n '2,/^=== layer 2/p' out | sed '$d' >layer1.out
check "a layer is dumped as on its own" cmp -s one.out layer1.out
sed -n '/^=== together/,$p' out >together.out
cat >together.want <<'WANT'
=== together: 2 layers, outermost first: user.cpb, repo.cpb
a path, port, variable or system call is allowed only when every layer allows it
(each layer is enforced on its own: its Landlock ruleset, its seccomp filter, its environment rules)
enforcement: strict (best-effort only when every layer says so); full enforcement needs Landlock ABI 6 (the highest of the layers)
network: TCP ports below
  connect tcp 8080-8100
(protections: those of every layer)
protections (2):
  ${WORKSPACE}/.idea
  ${WORKSPACE}/.vscode/
(limits: the smallest of any layer)
limits: memory=2G pids=256 time=3600s files=1024 fsize=1G disk=4G
WANT
check "together: the ports both allow, every protection, the smallest limits, strict" cmp -s together.want together.out
expect 0 "--dump of a net all layer under use agent" "$cc" --dump user.cpb repo2.cpb
sed -n '/^=== together/,$p' out >together.out
check "together: the user's ports (net all restricts nothing)" grep -q '^  connect tcp 443$' together.out
check "together: the user's 2G, not the repository's 64G" grep -q '^limits: memory=2G ' together.out
expect 0 "--dump of two best-effort layers" "$cc" --dump repo.cpb repo2.cpb
check "together: best-effort, since every layer says so" grep -q "^enforcement: best-effort (every layer says so)" out
expect 1 "--dump of a layer that is not a compiled policy fails" "$cc" --dump user.cpb repo.cordon
check "and names it" grep -q "repo.cordon" out

# net connect tcp names a port, not a host: a note at each statement
printf 'net connect tcp 443;\nnet bind tcp 8080;\n' >port.cordon
expect 0 "net connect tcp compiles" "$cc" --check port.cordon
check "with a note that port 443 is also 127.0.0.1, 0.0.0.0 and the metadata service's" \
	grep -q "port.cordon:1:1: note: net connect tcp names a port, not a host: it also reaches 127.0.0.1:443, 0.0.0.0:443 and 169.254.169.254:443 (the cloud metadata service)" out
check "one note, none for net bind" [ "$(grep -c note: out)" = 1 ]
expect 0 "and when compiling" "$cc" -o port.cpb port.cordon
check "the note too" grep -q "note: net connect tcp names a port" out
expect 0 "-w hides the note" "$cc" --check -w port.cordon
check "nothing is printed with -w" test ! -s out
expect 0 "-Werror does not make it an error" "$cc" --check -Werror port.cordon

# a port rule next to `net all` never takes effect: it must not make a policy
# the reader refuses (net rules without the TCP port feature)
printf 'net all;\nnet connect tcp 443;\n' >netall.cordon
expect 0 "net all with a port rule compiles" "$cc" -o netall.cpb netall.cordon
expect 0 "and the reader accepts it" "$cc" --dump netall.cpb
check "as all sockets" grep -q '^network: all sockets' out

echo "1..$n"
[ $fails = 0 ]
