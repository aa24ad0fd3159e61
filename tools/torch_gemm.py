#!/usr/bin/env python3
"""One float matrix product C += A B, M x K times K x N, in PyTorch with torch.set_num_threads(1) (its BLAS: Debian's
OpenBLAS for Debian's python3-torch): microseconds per call and GFLOP/s, beside tools/GemmSpeed.java.

torch.set_num_threads does not reach Debian's OpenBLAS, which runs a product on as many threads as there are cores
unless OPENBLAS_NUM_THREADS says otherwise: OPENBLAS_NUM_THREADS=1 gives the one-thread figure (on the 2-core Zen 5,
512x512x512: 1.67 ms with both cores, 2.57 ms on one, as ND4J's OpenBLAS on one thread: 2.67 ms).

Usage: /usr/bin/python3 tools/torch_gemm.py M K N      (OPENBLAS_CORETYPE=... to choose OpenBLAS's kernels,
                                                         OPENBLAS_NUM_THREADS=... its threads)
"""
import os
import sys
import time

import torch

if len(sys.argv) != 4:
    sys.exit("usage: torch_gemm.py M K N")
m, k, n = (int(v) for v in sys.argv[1:])
torch.set_num_threads(1)
a, b, c = torch.rand(m, k), torch.rand(k, n), torch.zeros(m, n)
iters = max(200, int(4e9 / (2 * m * k * n)))
for _ in range(iters // 4):
    torch.addmm(c, a, b, out=c)
t0 = time.perf_counter()
for _ in range(iters):
    torch.addmm(c, a, b, out=c)
us = (time.perf_counter() - t0) / iters * 1e6
print(f"PyTorch {torch.__version__} (OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}, "
      f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}) "
      f"{m}x{k}x{n}: {us:.2f} us, {2 * m * k * n / us / 1e3:.1f} GFLOP/s")
