#!/usr/bin/env bash
# The one-call GPU check, for a machine with an NVIDIA GPU and driver but no network and no Java. It unpacks the
# bundle that build-gpu-check.sh made (a small Java runtime, recurrent4j-cuda with its kernels, JCuda), then:
#   - runs every kernel on fresh random inputs, outputs poisoned first, against the CPU reference, forward and
#     backward (org.recurrent4j.cuda.GpuCheck);
#   - times a training step of each cell at batch 32 / 50 steps / 100 inputs / hidden 128 and batch 64 / 100 steps /
#     512 inputs / hidden 512, and PyTorch's cuDNN layers on the same GPU where PyTorch is installed;
#   - prints the timing table and, last, "N passed, N failed". Exits 0 only where every check passed.
# Usage: cuda-backend/gpu-check.sh [BUNDLE.tar.gz]   (default: cuda-backend/target/gpu-check.tar.gz)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bundle="${1:-$here/target/gpu-check.tar.gz}"
if [[ ! -f "$bundle" ]]; then
  echo "gpu-check: no bundle at $bundle: build it with cuda-backend/build-gpu-check.sh (Java 17, Maven, nvcc)" >&2
  echo "0 passed, 1 failed"
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar xzf "$bundle" -C "$work"
b="$work/gpu-check"
echo "== GPU"
nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader 2>&1 || true
echo "== kernels against the CPU reference, then recurrent4j's timings"
"$b/jre/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$b/lib/*" org.recurrent4j.cuda.GpuCheck --timings "$work/ours.jsonl" \
  | tee "$work/check.log"
status=${PIPESTATUS[0]}
echo "== PyTorch cuDNN on the same GPU"
if command -v python3 >/dev/null && python3 "$b/torch_gpu_bench.py" > "$work/torch.jsonl" 2> "$work/torch.err"; then
  cat "$work/torch.jsonl"
else
  echo "no cuDNN comparison: $(tail -1 "$work/torch.err" 2>/dev/null || echo 'python3 not found')"
fi
echo "== training step (forward + backward of one layer), median"
python3 "$b/gpu_table.py" "$work/ours.jsonl" "$work/torch.jsonl" 2>/dev/null || cat "$work/ours.jsonl"
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/check.log" | tail -1)"
echo "${summary:-0 passed, 1 failed}"
if [[ -z "$summary" ]]; then exit 1; fi
exit "$status"
