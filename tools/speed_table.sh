#!/usr/bin/env bash
# The speed rows of the recurrent engine issue, side by side on this machine: recurrent4j's `bench --serve` (and
# DL4J's built-in LSTM at hidden 128) and PyTorch 1.13 at each of its settings (tools/torch_bench.py --serve: 1 and 2
# threads, and OPENBLAS_CORETYPE=SkylakeX on AVX-512 CPUs), started together and timed in alternating blocks of about
# 0.25 s, ROUNDS blocks each (default 10); tools/speed_table.py says how, and prints the table.
# Usage: tools/speed_table.sh OUT.jsonl [ROUNDS]    (after the README's build command; about 15 minutes at 10 rounds)
set -euo pipefail
out="${1:?usage: tools/speed_table.sh OUT.jsonl [ROUNDS]}"
here="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-/usr/bin/python3}"
exec "$py" "$here/tools/speed_table.py" run "$out" --rounds "${2:-10}" --python "$py"
