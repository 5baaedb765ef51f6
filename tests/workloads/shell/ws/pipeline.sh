#!/bin/sh
# A shell pipeline of the kind an agent writes: errors per component over
# every log under logs/, with find, xargs, grep, sed, sort, uniq and awk;
# a scratch file from mktemp ($TMPDIR) and a here-document; reports in out/.
set -eu

# errors per component, most frequent first
find logs -type f -name '*.log' -print0 | sort -z | xargs -0 grep -h ' ERROR ' |
	sed -E 's/^[^ ]+ [^ ]+ ERROR \[([a-z]+)\] .*/\1/' |
	sort | uniq -c | sort -k1,1nr -k2,2 |
	awk '{ printf "%-8s %d\n", $2, $1; total += $1 } END { printf "%-8s %d\n", "total", total }' \
	>out/errors.txt

# lines and warnings per file: xargs runs wc, a scratch file holds the counts
scratch=$(mktemp)
find logs -type f -name '*.log' | sort | xargs wc -l | awk '$2 != "total" { print $2, $1 }' >"$scratch"
while read -r file lines; do
	warns=$(grep -c ' WARN ' "$file" || true)
	echo "$file lines=$lines warnings=$warns"
done <"$scratch" >out/files.txt
rm -f "$scratch"

# a summary through a here-document; bash counts the components with an
# associative array
components=$(bash -c 'declare -A seen; while read -r c n; do [[ $c != total ]] && seen[$c]=$n; done
	echo "${#seen[@]}"' <out/errors.txt)
cat >out/summary.txt <<EOT
errors: $(awk '$1 == "total" { print $2 }' out/errors.txt) in $components components
most common: $(find logs -name '*.log' | sort | xargs grep -h ' ERROR ' | cut -d' ' -f5- |
	sort | uniq -c | sort -k1,1nr | head -n 1 | sed -E 's/^ *[0-9]+ //')
EOT

cat out/errors.txt out/files.txt out/summary.txt
