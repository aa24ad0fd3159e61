#!/usr/bin/env bash
# A plain DL4J program with recurrent4j's Lstm and no set-up call (docs/user/PlainLstm.java, run against the classpath
# of a project depending only on recurrent4j-cpu) against `bench` for the same shapes, alternating, ROUNDS rounds
# (default 5). Both warm up alike (at least 5 s and 200 steps). Run from the repository root after `mvn -q -DskipTests install`.
set -euo pipefail
rounds=${1:-5}
PLAIN_OPTS=${PLAIN_OPTS:-}   # e.g. -Drecurrent4j.threads=nd4j: the plain program without the thread choice
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tools/user_classpath.sh "$tmp/cp.txt" \
  '<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>1.7.36</version></dependency>'
javac -d "$tmp/classes" -cp "$(cat "$tmp/cp.txt")" docs/user/PlainLstm.java
grep -m1 "model name" /proc/cpuinfo || true
for r in $(seq "$rounds"); do
  plain=$(java $PLAIN_OPTS -cp "$tmp/classes:$(cat "$tmp/cp.txt")" PlainLstm | sed -E 's/.* ([0-9.]+) ms.*/\1/')
  bench=$(java -jar examples/target/recurrent4j.jar bench --cell lstm --mode train --json \
          | grep '"impl":"recurrent4j"' | sed -E 's/.*"ms_per_iter":([0-9.]+).*/\1/')
  echo "round $r: plain program $plain ms, bench $bench ms"
  echo "$plain $bench" >> "$tmp/pairs"
done
sort -n -k1 "$tmp/pairs" | awk '{ p[NR] = $1 } END { printf "median plain %.2f ms\n", p[int((NR + 1) / 2)] }'
sort -n -k2 "$tmp/pairs" | awk '{ b[NR] = $2 } END { printf "median bench %.2f ms\n", b[int((NR + 1) / 2)] }'
awk '{ print $1 / $2 }' "$tmp/pairs" | sort -n \
  | awk '{ r[NR] = $1 } END { printf "plain / bench, median of the rounds: %.2fx\n", r[int((NR + 1) / 2)] }'
