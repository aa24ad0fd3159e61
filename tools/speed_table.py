#!/usr/bin/env python3
"""The README's speed table from tools/speed_table.sh's JSON lines: per row the medians over rounds of recurrent4j,
PyTorch at its best setting (named) and DL4J, and the ratio of each round (PyTorch's time / recurrent4j's: above 1
recurrent4j is faster).

    python3 tools/speed_table.py docs/bench/engine-2026-12-01.jsonl
"""
import json
import statistics
import sys


def main(path):
    head = {}
    runs = {}
    order = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            if "machine" in r:
                head = r
                continue
            key = (r["cell"], r["mode"], r["batch"], r["time"], r["hidden"])
            if key not in runs:
                runs[key] = {}
                order.append(key)
            runs[key].setdefault(r["round"], {})[r["impl"]] = r
    blas = f", recurrent4j on OpenBLAS's {head['recurrent4j_blas']} kernels" if "recurrent4j_blas" in head else ""
    print(f"{head.get('machine', '?')}, {head.get('date', '?')}{blas}\n")
    print("| cell | mode | batch | steps | hidden | recurrent4j ms | PyTorch best ms (setting) | vs PyTorch, per round |"
          " DL4J ms | vs DL4J |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for key in order:
        rounds = runs[key]
        ours = [x["recurrent4j"]["ms_per_iter"] for x in rounds.values() if "recurrent4j" in x]
        torch = [x["pytorch"]["ms_per_iter"] for x in rounds.values() if "pytorch" in x]
        settings = sorted({x["pytorch"]["setting"] for x in rounds.values() if "pytorch" in x})
        ratios = [x["pytorch"]["ms_per_iter"] / x["recurrent4j"]["ms_per_iter"] for x in rounds.values()
                  if "pytorch" in x and "recurrent4j" in x]
        dl4j = [x["dl4j"]["ms_per_iter"] for x in rounds.values() if "dl4j" in x]
        d = statistics.median(dl4j) if dl4j else None
        o = statistics.median(ours)
        print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {key[4]} | {o:.2f} | {statistics.median(torch):.2f} "
              f"({'; '.join(settings)}) | {', '.join(f'{x:.2f}x' for x in ratios)} | "
              f"{f'{d:.1f}' if d else '-'} | {f'{d / o:.1f}x' if d else '-'} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: speed_table.py FILE.jsonl")
    main(sys.argv[1])
