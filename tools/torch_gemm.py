#!/usr/bin/env python3
"""One float matrix product C += A B, M x K times K x N, in PyTorch on one thread (its BLAS: Debian's OpenBLAS for
Debian's python3-torch): microseconds per call and GFLOP/s, beside tools/GemmSpeed.java.

Usage: /usr/bin/python3 tools/torch_gemm.py M K N      (OPENBLAS_CORETYPE=... to choose OpenBLAS's kernels)
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
print(f"PyTorch {torch.__version__} (OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}) "
      f"{m}x{k}x{n}: {us:.2f} us, {2 * m * k * n / us / 1e3:.1f} GFLOP/s")
