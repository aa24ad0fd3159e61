#!/usr/bin/env bash
# The speed rows of the recurrent engine issue, side by side in one run on this machine: recurrent4j's `bench`
# (and DL4J's built-in layer where it has one) against PyTorch 1.13 at its best setting here (tools/torch_bench.py
# --best: 1 and 2 threads, and OPENBLAS_CORETYPE=SkylakeX on AVX-512 CPUs). ROUNDS rounds, one after the other; the
# table (tools/speed_table.py) gives medians and the ratio of each round. recurrent4j runs at its own setting, as
# PyTorch at its best: without an OPENBLAS_CORETYPE from the environment (which torch_bench.py --best also drops), so
# that it chooses its kernels itself (SkylakeX on AVX-512 CPUs); the machine line names the kernels it ran.
# Usage: tools/speed_table.sh OUT.jsonl [ROUNDS]    (after the README's build command)
set -euo pipefail
out="${1:?usage: tools/speed_table.sh OUT.jsonl [ROUNDS]}"
rounds="${2:-1}"
here="$(cd "$(dirname "$0")/.." && pwd)"
jar="$here/examples/target/recurrent4j.jar"
py="${PYTHON:-/usr/bin/python3}"
[[ -f "$jar" ]] || { echo "speed_table: no $jar: build it first (README)" >&2; exit 2; }
"$py" -c "import torch" 2>/dev/null || { echo "speed_table: $py has no torch: apt-get install python3-torch libopenblas0-pthread" >&2; exit 2; }
rows=(
  # cell mode batch time hidden
  "lstm train 32 50 128" "lstm train 32 200 128" "lstm train 32 50 512" "lstm infer 1 50 128" "lstm infer 32 50 128"
  "gru train 32 50 128" "gru train 32 200 128" "gru train 32 50 512" "gru infer 1 50 128" "gru infer 32 50 128"
  "rnn train 32 50 128" "rnn train 32 200 128" "rnn train 32 50 512" "rnn infer 1 50 128" "rnn infer 32 50 128"
)
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
for ((r = 1; r <= rounds; r++)); do
  for row in "${rows[@]}"; do
    read -r cell mode batch time hidden <<<"$row"
    iters=30; [[ "$mode" == infer ]] && iters=100; [[ "$hidden" == 512 || "$time" == 200 ]] && iters=15
    echo "round $r: $row" >&2
    env -u OPENBLAS_CORETYPE java -jar "$jar" bench --cell "$cell" --mode "$mode" --batch "$batch" --time "$time" --hidden "$hidden" \
        --iters "$iters" --json 2>/dev/null | sed "s/^{/{\"round\":$r,/" >> "$tmp"
    "$py" "$here/tools/torch_bench.py" "$cell" "$batch" "$time" 100 "$hidden" --mode "$mode" --iters "$iters" --best \
        --json | sed "s/^{/{\"round\":$r,/" >> "$tmp"
  done
done
kernels="$(env -u OPENBLAS_CORETYPE java -jar "$jar" backend --backend cpu 2>/dev/null | sed -n 's/^blas kernels: *//p' | cut -d' ' -f1)"
{ echo "{\"machine\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\",\"date\":\"$(date -u +%F)\",\"recurrent4j_blas\":\"${kernels:-unknown}\"}"; cat "$tmp"; } > "$out"
"$py" "$here/tools/speed_table.py" "$out"
