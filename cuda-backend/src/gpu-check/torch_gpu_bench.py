#!/usr/bin/env python3
"""PyTorch's cuDNN time for the training steps GpuCheck times: forward and backward of one nn.LSTM / nn.GRU / nn.RNN
layer (tanh), gradients of weights, biases and input, data on the GPU; median of 20 after 5 warm-up steps. One JSON
object per line, on stdout. Part of the gpu-check bundle (cuda-backend/gpu-check.sh)."""
import json
import statistics
import sys
import time

try:
    import torch
except ImportError:
    sys.exit("PyTorch is not installed: no cuDNN comparison")
if not torch.cuda.is_available():
    sys.exit("PyTorch sees no CUDA GPU: no cuDNN comparison")

SHAPES = [(32, 50, 100, 128), (64, 100, 512, 512)]
torch.manual_seed(1)
for batch, steps, n_in, hidden in SHAPES:
    for cell in ("lstm", "gru", "rnn"):
        layer = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell](n_in, hidden).cuda()
        x = torch.randn(steps, batch, n_in, device="cuda", requires_grad=True)
        dy = torch.randn(steps, batch, hidden, device="cuda")

        def step():
            layer.zero_grad(set_to_none=True)
            x.grad = None
            y, _ = layer(x)
            y.backward(dy)

        times = []
        for i in range(25):
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            step()
            torch.cuda.synchronize()
            if i >= 5:
                times.append((time.perf_counter() - t0) * 1e3)
        print(json.dumps({"impl": "pytorch-cudnn", "cell": cell, "batch": batch, "time": steps, "input": n_in,
                          "hidden": hidden, "ms": round(statistics.median(times), 4),
                          "device": torch.cuda.get_device_name(), "torch": torch.__version__,
                          "cudnn": torch.backends.cudnn.version()}), flush=True)
