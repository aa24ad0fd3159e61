#!/usr/bin/env python3
"""PyTorch's CPU time for the work `recurrent4j.jar bench` does: the recurrent layer(s) plus a linear layer to 9
classes, Adam, cross-entropy, on random data; 2 threads. Extends the project's shared torch_bench.py with inference,
streaming steps, medians and JSON lines, so the chart command can draw the three implementations together.

Usage: /usr/bin/python3 tools/torch_bench.py CELL BATCH TIME INPUT HIDDEN [--mode train|infer|step] [--layers L]
                                             [--bidirectional] [--iters K] [--json] [--threads N] [--best]

--serve times blocks of iterations on request, as `recurrent4j.jar bench --serve` does, so that tools/speed_table.py
can alternate the two block by block: 'warm' (--warmup iterations and at least 2 s) answers {"warm_iters":N,
"ms_per_iter":M}; 'run K' answers {"iters":K,"ms_per_iter":median,"min_ms":..,"max_ms":..}; 'quit' ends it.

--best runs the same work at each setting PyTorch can be given on this machine (1 and 2 threads; on CPUs with AVX-512
also with OPENBLAS_CORETYPE=SkylakeX, as Debian's OpenBLAS may not know a new CPU and fall back to slower kernels),
each in a fresh process (OpenBLAS reads the variable when it loads), and reports the fastest, naming its setting and
the others' times.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

from speed_table import environment, torch_settings  # tools/, beside this script

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
p.add_argument("--best", action="store_true", help="try every setting in a fresh process, report the fastest")
p.add_argument("--serve", action="store_true",
               help="time blocks on request for tools/speed_table.py: reads 'warm', 'run K', 'quit' on stdin")
a = p.parse_args()
for name in ("batch", "time", "input", "hidden", "layers", "iters", "threads"):
    if getattr(a, name) < 1:
        p.error(f"{name} must be >= 1, got {getattr(a, name)}")
if a.warmup < 0:
    p.error(f"warmup must be >= 0, got {a.warmup}")


if a.best:
    base = [a for a in sys.argv[1:] if a != "--best"]
    base = [x for i, x in enumerate(base) if x != "--threads" and (i == 0 or base[i - 1] != "--threads")]
    results = []
    for threads, core, setting in torch_settings():
        out = subprocess.run([sys.executable, __file__] + base + ["--threads", str(threads), "--json"],
                             env=environment(core), check=True, capture_output=True,
                             text=True).stdout.strip().splitlines()[-1]
        r = json.loads(out)
        r["setting"] = setting
        results.append(r)
    best = min(results, key=lambda r: r["ms_per_iter"])
    best = dict(best)
    best["tried"] = {r["setting"]: r["ms_per_iter"] for r in results}
    print(json.dumps(best, separators=(",", ":")) if a.json else f"{best['ms_per_iter']:.2f} ({best['setting']})")
    sys.exit(0)

try:
    import torch  # noqa: E402  (after --best, which only starts other processes)
except ImportError:
    sys.exit(f"torch_bench: {sys.executable} has no torch: run it with /usr/bin/python3 "
             f"(apt-get install python3-torch libopenblas0-pthread)")

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


def block(k):
    t = []
    for _ in range(k):
        t0 = time.perf_counter()
        work()
        t.append((time.perf_counter() - t0) * 1000)
    return t


if a.serve:
    for line in sys.stdin:
        w = line.split()
        if w == ["quit"]:
            break
        if w == ["warm"]:
            start, n = time.perf_counter(), 0
            while n < a.warmup or time.perf_counter() - start < 2.0:
                work()
                n += 1
            answer = {"warm_iters": n, "ms_per_iter": statistics.median(block(5))}
        elif len(w) == 2 and w[0] == "run" and w[1].isdigit() and int(w[1]) >= 1:
            t = block(int(w[1]))
            answer = {"iters": len(t), "ms_per_iter": statistics.median(t), "min_ms": min(t), "max_ms": max(t)}
        else:
            answer = {"error": f"unknown command {line.strip()!r}: use warm, run K or quit"}
        print(json.dumps(answer), flush=True)
    sys.exit(0)
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
