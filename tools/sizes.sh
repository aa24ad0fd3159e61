#!/usr/bin/env bash
# What a user pays in bytes: the runtime classpath of a Maven project whose only dependency is recurrent4j-cpu, per
# module, and the command-line jar. Run from the repository root after `mvn -q -DskipTests install`.
set -euo pipefail
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/tools/user_classpath.sh" "$tmp/cp.txt"
tr ':' '\n' < "$tmp/cp.txt" | xargs ls -l | awk '{ n = $9; sub(".*/repository/", "", n); printf "%9.1f MB  %s\n", $5 / 1e6, n }' \
  | sort -rn | head -12
tr ':' '\n' < "$tmp/cp.txt" | xargs ls -l | awk '{ s += $5 } END { printf "classpath of a project depending on recurrent4j-cpu: %.1f MB in %d jars\n", s / 1e6, NR }'
ls -l "$root/examples/target/recurrent4j.jar" | awk '{ printf "command-line jar examples/target/recurrent4j.jar: %.1f MB\n", $5 / 1e6 }'
