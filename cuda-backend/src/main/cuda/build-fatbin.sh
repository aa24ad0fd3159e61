#!/usr/bin/env bash
# Compiles recurrent.cu into one fatbin: machine code for sm_80, sm_86, sm_89 and sm_90, plus compute_80 PTX that
# the driver compiles for newer GPUs. Called by Maven (generate-resources) with the output directory. Without nvcc
# the build goes on without GPU kernels and says so; recurrent4j then reports the CUDA path as unavailable.
set -euo pipefail
out="$1"
src="$(cd "$(dirname "$0")" && pwd)/recurrent.cu"
nvcc="${NVCC:-}"
if [[ -z "$nvcc" ]]; then
  for c in nvcc "${CUDA_HOME:-/nonexistent}/bin/nvcc" /usr/local/cuda/bin/nvcc; do
    if command -v "$c" >/dev/null 2>&1; then nvcc="$(command -v "$c")"; break; fi
  done
fi
if [[ -z "$nvcc" ]]; then
  echo "[recurrent4j-cuda] WARNING: nvcc not found (PATH, \$CUDA_HOME/bin, /usr/local/cuda/bin):" \
       "the GPU kernels were NOT built; set NVCC or CUDA_HOME to build them"
  exit 0
fi
mkdir -p "$out"
"$nvcc" --version | tail -1 | sed 's/^/[recurrent4j-cuda] /'
"$nvcc" -fatbin -O3 -std=c++17 \
  -gencode arch=compute_80,code=sm_80 -gencode arch=compute_86,code=sm_86 \
  -gencode arch=compute_89,code=sm_89 -gencode arch=compute_90,code=sm_90 \
  -gencode arch=compute_80,code=compute_80 \
  -o "$out/recurrent.fatbin.tmp" "$src"
mv "$out/recurrent.fatbin.tmp" "$out/recurrent.fatbin"
echo "[recurrent4j-cuda] built $(stat -c %s "$out/recurrent.fatbin") bytes of GPU kernels: sm_80 sm_86 sm_89 sm_90 + compute_80 PTX"
