#!/usr/bin/env python3
"""The README's speed table, from the JSON lines that `bench --json` and tools/torch_bench.py write.

    python3 tools/bench_table.py docs/bench/recurrent4j.jsonl docs/bench/pytorch.jsonl \
        docs/bench/pytorch-1-thread.jsonl

Rows are (cell, mode, hidden) in the order they first appear; a ratio is the other's time divided by
recurrent4j's, so above 1 recurrent4j is faster. Where a file holds several runs of the same row (repeated
rounds), each cell is the median of its runs, and the ratios are medians of the per-round ratios.
"""
import json
import statistics
import sys

COLUMNS = [("recurrent4j-one-core", "recurrent4j, one core"), ("dl4j", "DL4J"), ("pytorch", "PyTorch, 2 threads"),
           ("pytorch-1-thread", "PyTorch, 1 thread")]


def main(paths):
    rows = {}
    order = []
    for path in paths:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    r = json.loads(line)
                    key = (r["cell"], r["mode"], r["hidden"])
                    ms = float(r["ms_per_iter"])
                    impl = r["impl"]
                except (ValueError, KeyError) as e:
                    sys.exit(f"{path}:{n}: not a bench result ({e}); expected bench --json output")
                if key not in rows:
                    rows[key] = {}
                    order.append(key)
                rows[key].setdefault(impl, []).append(ms)
    columns = [c for c in COLUMNS if any(c[0] in r for r in rows.values())]   # those the files hold
    head = ["cell", "mode", "hidden", "recurrent4j ms"] + [f"{t} ms" for _, t in columns] \
        + [f"vs {t}" for _, t in columns]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    digits = lambda ms: f"{ms:.3f}" if ms < 1 else f"{ms:.1f}"
    for key in order:
        runs = rows[key]
        med = {impl: statistics.median(v) for impl, v in runs.items()}
        ours = med.get("recurrent4j")
        cells = [key[0], key[1], str(key[2]), digits(ours) if ours else "-"]
        cells += [digits(med[i]) if i in med else "-" for i, _ in columns]
        for i, _ in columns:
            if i in runs and ours:
                mine = runs["recurrent4j"]
                theirs = runs[i]
                if len(mine) == len(theirs) and len(mine) > 1:   # round by round, then the median
                    cells.append(f"{statistics.median(t / m for t, m in zip(theirs, mine)):.2f}x")
                else:
                    cells.append(f"{med[i] / ours:.2f}x")
            else:
                cells.append("-")
        print("| " + " | ".join(cells) + " |")
    counts = sorted({len(v) for r in rows.values() for v in r.values()})
    if counts != [1]:
        print(f"\n(medians over {'/'.join(map(str, counts))} runs per cell)")

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
