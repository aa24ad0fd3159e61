#!/usr/bin/env python3
"""PyTorch's CPU time for the work `recurrent4j.jar bench` does: the recurrent layer(s) plus a linear layer to 9
classes, Adam, cross-entropy, on random data; 2 threads. Extends the project's shared torch_bench.py with inference,
streaming steps, medians and JSON lines, so the chart command can draw the three implementations together.

Usage: /usr/bin/python3 tools/torch_bench.py CELL BATCH TIME INPUT HIDDEN [--mode train|infer|step] [--layers L]
                                             [--bidirectional] [--iters K] [--json] [--threads N]
"""
import argparse
import json
import statistics
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("cell", choices=["lstm", "gru", "rnn"])
for name in ("batch", "time", "input", "hidden"):
    p.add_argument(name, type=int)
p.add_argument("--mode", default="train", choices=["train", "infer", "step"])
p.add_argument("--layers", type=int, default=1)
p.add_argument("--bidirectional", action="store_true")
p.add_argument("--iters", type=int, default=20)
p.add_argument("--warmup", type=int, default=5)
p.add_argument("--json", action="store_true")
p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2, as the issue compares)")
a = p.parse_args()

torch.manual_seed(1)
torch.set_num_threads(a.threads)
n_out = 9
rnn = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[a.cell](
    a.input, a.hidden, a.layers, batch_first=True, bidirectional=a.bidirectional)
out = torch.nn.Linear(a.hidden * (2 if a.bidirectional else 1), n_out)
opt = torch.optim.Adam(list(rnn.parameters()) + list(out.parameters()), 1e-3)
x = torch.rand(a.batch, a.time, a.input)
y = torch.randint(0, n_out, (a.batch, a.time))
one = torch.rand(1, 1, a.input)
loss_f = torch.nn.CrossEntropyLoss()
state = [None]


def train():
    opt.zero_grad()
    o, _ = rnn(x)
    loss = loss_f(out(o).reshape(-1, n_out), y.reshape(-1))
    loss.backward()
    opt.step()


def infer():
    with torch.no_grad():
        out(rnn(x)[0])


def step():
    with torch.no_grad():
        o, state[0] = rnn(one, state[0])
        out(o)


work = {"train": train, "infer": infer, "step": step}[a.mode]
for _ in range(a.warmup):
    work()
times = []
for _ in range(a.iters):
    t0 = time.perf_counter()
    work()
    times.append((time.perf_counter() - t0) * 1000)
ms = statistics.median(times)
tokens = 1 if a.mode == "step" else a.batch * a.time
if a.json:
    print(json.dumps({"impl": "pytorch", "cell": a.cell, "mode": a.mode, "batch": 1 if a.mode == "step" else a.batch,
                      "time": a.time, "input": a.input, "hidden": a.hidden, "layers": a.layers,
                      "bidirectional": a.bidirectional, "ms_per_iter": round(ms, 3),
                      "tokens_per_s": round(tokens * 1000 / ms, 1)}, separators=(",", ":")))
else:
    print(f"{ms:.2f}")
