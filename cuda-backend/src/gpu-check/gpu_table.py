#!/usr/bin/env python3
"""Joins GpuCheck's timings with PyTorch's (JSON lines) into the table the README shows.
Usage: gpu_table.py OURS.jsonl [TORCH.jsonl]"""
import json
import sys


def rows(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


ours = rows(sys.argv[1])
torch = {(r["cell"], r["batch"], r["time"], r["input"], r["hidden"]): r for r in rows(sys.argv[2])} \
    if len(sys.argv) > 2 else {}
print("| cell | batch | steps | input | hidden | recurrent4j (ms) | with host copies (ms) | cuDNN (ms) | "
      "cuDNN time / ours |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for r in ours:
    t = torch.get((r["cell"], r["batch"], r["time"], r["input"], r["hidden"]))
    cudnn = "%.3f" % t["ms"] if t else "-"
    ratio = "%.2fx" % (t["ms"] / r["ms"]) if t else "-"
    print("| %s | %d | %d | %d | %d | %.3f | %.3f | %s | %s |" % (r["cell"], r["batch"], r["time"], r["input"],
                                                             r["hidden"], r["ms"], r["ms_with_copies"], cudnn, ratio))
if torch:
    any_row = next(iter(torch.values()))
    print("\nPyTorch %s, cuDNN %s, on %s" % (any_row["torch"], any_row["cudnn"], any_row["device"]))
