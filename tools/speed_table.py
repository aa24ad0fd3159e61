#!/usr/bin/env python3
"""The speed rows of the recurrent engine issue, side by side on this machine, and the README's table from them.

    python3 tools/speed_table.py run OUT.jsonl [--rounds R] [--rows lstm,gru-train,...]   # measure, then print
    python3 tools/speed_table.py OUT.jsonl                                                # print a measured file

How a row is measured ("run"): one process of recurrent4j (`recurrent4j.jar bench --serve`, which also holds DL4J's
built-in LSTM for the LSTM rows at hidden 128) and one process of PyTorch 1.13 for each setting PyTorch can be given
here (`tools/torch_bench.py --serve`: 1 and 2 threads, and on CPUs with AVX-512 each also with
OPENBLAS_CORETYPE=SkylakeX, as Debian's OpenBLAS may not know a new CPU) are started and warmed up, then take turns:
in each of R rounds every one of them times one block of iterations (about 0.25 s of its work; the order shuffled
each round), one at a time, the others idle. So every implementation meets the same periods of a shared machine,
whose speed moves by up to 2.5x over seconds to minutes, instead of one implementation meeting a slow period alone.
recurrent4j runs without an OPENBLAS_CORETYPE from the environment (as PyTorch's settings do), so that it chooses
its kernels itself.

The table: per implementation the median of its blocks' medians; PyTorch's best setting is the one with the lowest
such median. "vs PyTorch" compares rounds: in each, that setting's block time divided by recurrent4j's block time
(above 1 recurrent4j is faster); the table gives the median of these ratios, then the lowest and the highest.
Files written before blocks (one process after the other, `round` and PyTorch's `tried` settings) are read too.
"""
import argparse
import json
import os
import random
import select
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(HERE, "examples", "target", "recurrent4j.jar")
ROWS = [  # cell, mode, batch, time, hidden
    ("lstm", "train", 32, 50, 128), ("lstm", "train", 32, 200, 128), ("lstm", "train", 32, 50, 512),
    ("lstm", "infer", 1, 50, 128), ("lstm", "infer", 32, 50, 128),
    ("gru", "train", 32, 50, 128), ("gru", "train", 32, 200, 128), ("gru", "train", 32, 50, 512),
    ("gru", "infer", 1, 50, 128), ("gru", "infer", 32, 50, 128),
    ("rnn", "train", 32, 50, 128), ("rnn", "train", 32, 200, 128), ("rnn", "train", 32, 50, 512),
    ("rnn", "infer", 1, 50, 128), ("rnn", "infer", 32, 50, 128),
]
INPUT = 100
BLOCK_MS = 250.0
PAUSE_S = 0.15  # between blocks: BLAS threads (OpenBLAS's, PyTorch's) spin on after work, on the next one's core
ANSWER_S = 900  # the longest a process may take to answer (a warm-up is 5-20 s, a block about BLOCK_MS)


def avx512():
    try:
        with open("/proc/cpuinfo") as f:
            return " avx512f" in f.read()
    except OSError:
        return False


def environment(core=None):
    """This process's environment without OPENBLAS_CORETYPE (each implementation chooses its own kernels), or with it
    set to `core`."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    if core:
        env["OPENBLAS_CORETYPE"] = core
    return env


def torch_settings():
    """The settings PyTorch can be given on this machine, as (threads, OPENBLAS_CORETYPE or None, name): 1 and 2
    threads, and on CPUs with AVX-512 each also with SkylakeX kernels. tools/torch_bench.py --best tries the same."""
    for threads in (1, 2):
        for core in ([None, "SkylakeX"] if avx512() else [None]):
            yield threads, core, f"{threads} thread{'s' if threads > 1 else ''}" + (
                f", OPENBLAS_CORETYPE={core}" if core else "")


class Server:
    """One serving process: send a command line, read one JSON line back."""

    def __init__(self, name, argv, env):
        self.name = name
        self.log = tempfile.TemporaryFile(mode="w+")
        self.p = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                  text=True, bufsize=1)

    def fail(self, why):
        self.log.seek(0)
        sys.exit(f"speed_table: {self.name} {why}; no table was written (the blocks so far are in OUT.jsonl.part); "
                 f"its error output:\n{self.log.read()[-3000:]}")

    def ask(self, command):
        try:
            self.p.stdin.write(command + "\n")
            self.p.stdin.flush()
        except OSError:
            self.fail(f"ended before '{command}' (exit status {self.p.poll()})")
        while True:  # an answer is one JSON object on a line; other lines (a VM's notice) are passed over
            ready, _, _ = select.select([self.p.stdout], [], [], ANSWER_S)
            if not ready:
                self.p.kill()
                self.fail(f"gave no answer to '{command}' in {ANSWER_S} s")
            line = self.p.stdout.readline()
            if not line:
                self.fail(f"ended without answering '{command}' (exit status {self.p.wait()})")
            if line.startswith("{"):
                break
            print(f"speed_table: {self.name}: {line.rstrip()}", file=sys.stderr)
        try:
            answer = json.loads(line)
        except json.JSONDecodeError:
            self.fail(f"answered '{command}' with a damaged line: {line.rstrip()!r}")
        if "error" in answer:
            self.fail(f"refused '{command}': {answer['error']}")
        return answer

    def close(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.close()
            self.p.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()
        self.log.close()


def measure_row(row, rounds, seed, emit, py):
    cell, mode, batch, steps, hidden = row
    shape = ["--cell", cell, "--mode", mode, "--batch", str(batch), "--time", str(steps), "--hidden", str(hidden)]
    # each process is started and warmed up alone, the others not yet there: four PyTorch imports during the JVM's
    # warm-up would hold back its JIT compiler
    servers, impls, size = [], [], {}  # impls: (server, the command's impl, impl, setting)

    def start(name, argv, e, which):
        s = Server(name, argv, e)
        servers.append(s)
        for w, impl, setting in which:
            warm = s.ask(f"warm {w}" if w else "warm")
            size[(impl, setting)] = max(3, min(1000, round(BLOCK_MS / max(warm["ms_per_iter"], 1e-3))))
            impls.append((s, w, impl, setting))

    try:
        dl4j = [("dl4j", "dl4j", None)] if cell == "lstm" and hidden == 128 else []
        start("recurrent4j.jar bench --serve",
              ["java", "-XX:+DisplayVMOutputToStderr", "-jar", JAR, "bench", "--serve"] + shape, environment(),
              [("recurrent4j", "recurrent4j", None)] + dl4j)
        for threads, core, setting in torch_settings():
            start(f"torch_bench.py ({setting})",
                  [py, os.path.join(HERE, "tools", "torch_bench.py"), cell, str(batch), str(steps), str(INPUT),
                   str(hidden), "--mode", mode, "--threads", str(threads), "--serve"], environment(core),
                  [(None, "pytorch", setting)])
        order = list(impls)
        rng = random.Random(seed)
        for r in range(1, rounds + 1):
            rng.shuffle(order)
            for server, which, impl, setting in order:
                time.sleep(PAUSE_S)
                k = size[(impl, setting)]
                b = server.ask(f"run {which} {k}" if which else f"run {k}")
                line = {"round": r, "impl": impl, "cell": cell, "mode": mode, "batch": batch, "time": steps,
                        "input": INPUT, "hidden": hidden, "iters": k, "ms_per_iter": round(b["ms_per_iter"], 4)}
                if setting:
                    line["setting"] = setting
                emit(line)
    finally:
        for s in servers:
            s.close()


def run(args):
    py = args.python
    out_dir = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(out_dir) or not os.access(out_dir, os.W_OK):
        sys.exit(f"speed_table: cannot write {args.out}: {out_dir} is not a writable folder")
    if not os.path.isfile(JAR):
        sys.exit(f"speed_table: no {JAR}: build it first (README's first command)")
    try:
        has_torch = subprocess.run([py, "-c", "import torch"], capture_output=True).returncode == 0
    except OSError as e:
        sys.exit(f"speed_table: cannot run {py} ({e.strerror}): give --python a Python with torch, "
                 f"e.g. /usr/bin/python3")
    if not has_torch:
        sys.exit(f"speed_table: {py} has no torch: apt-get install python3-torch libopenblas0-pthread")
    rows = ROWS
    if args.rows:
        wanted = [w.strip() for w in args.rows.split(",") if w.strip()]

        def matches(row, w):
            return all(part in [str(c) for c in row] for part in w.split("-"))

        unknown = [w for w in wanted if not any(matches(r, w) for r in ROWS)]
        if unknown or not wanted:
            sys.exit(f"speed_table: --rows {args.rows!r}: {', '.join(unknown) or 'nothing'} matches no row; rows are "
                     f"named by cell, mode, batch, steps and hidden joined with '-', e.g. gru-train or rnn-infer-1")
        rows = [r for r in ROWS if any(matches(r, w) for w in wanted)]
    backend = subprocess.run(["java", "-jar", JAR, "backend", "--backend", "cpu"], env=environment(),
                             capture_output=True, text=True).stdout
    kernels = next((l.split(":", 1)[1].split()[0] for l in backend.splitlines() if l.startswith("blas kernels:")),
                   "unknown")
    model = "?"
    with open("/proc/cpuinfo") as f:
        for l in f:
            if l.startswith("model name"):
                model = l.split(":", 1)[1].strip()
                break
    commit = subprocess.run(["git", "-C", HERE, "describe", "--always", "--dirty"], capture_output=True,
                            text=True).stdout.strip()
    head = {"machine": f"{model}, {os.cpu_count()} cores", "commit": commit or "unknown",
            "date": time.strftime("%Y-%m-%d", time.gmtime()),
            "recurrent4j_blas": kernels, "method": f"blocks of about {BLOCK_MS:.0f} ms, alternating, "
                                                  f"{args.rounds} rounds"}
    part = args.out + ".part"
    with open(part, "w") as f:
        f.write(json.dumps(head, separators=(",", ":")) + "\n")

        def emit(line):
            f.write(json.dumps(line, separators=(",", ":")) + "\n")
            f.flush()

        for i, row in enumerate(rows):
            t0 = time.time()
            print(f"row {i + 1}/{len(rows)}: {' '.join(map(str, row))}", file=sys.stderr, flush=True)
            measure_row(row, args.rounds, 1000 + i, emit, py)
            print(f"  {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
    os.replace(part, args.out)  # whole or nothing: a run cut short leaves OUT.part (said on failure), never a short OUT
    table(args.out)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"speed_table: cannot read {path}: {getattr(e, 'strerror', None) or e}; give the JSON-lines file "
                 f"that 'speed_table.py run' wrote")
    head, runs, order = {}, {}, []
    for n, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            r = json.loads(text)
            if not isinstance(r, dict):
                raise ValueError("not a JSON object")
            if "machine" in r:
                head = r
                continue
            key = (r["cell"], r["mode"], r["batch"], r["time"], r["hidden"])
            if "tried" in r:  # one process after the other: every setting's time of that round
                samples = [("pytorch", s, float(ms)) for s, ms in r["tried"].items()]
            else:
                samples = [(r["impl"], r.get("setting"), float(r["ms_per_iter"]))]
            rnd = r["round"]
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            why = e.msg if isinstance(e, json.JSONDecodeError) else f"missing {e}" if isinstance(e, KeyError) else e
            sys.exit(f"speed_table: {path}:{n}: not a line of a speed table ({why}); the file is damaged or of "
                     f"another kind: measure again with 'speed_table.py run'")
        if key not in runs:
            runs[key] = {}
            order.append(key)
        for impl, setting, ms in samples:
            runs[key].setdefault((impl, setting), {})[rnd] = ms
    if not runs:
        sys.exit(f"speed_table: {path} holds no measured rows; measure with 'speed_table.py run OUT.jsonl'")
    return head, runs, order


def table(path):
    head, runs, order = load(path)
    blas = f", recurrent4j on OpenBLAS's {head['recurrent4j_blas']} kernels" if "recurrent4j_blas" in head else ""
    method = f"; {head['method']}" if "method" in head else ""
    method += f"; commit {head['commit']}" if "commit" in head else ""
    print(f"{head.get('machine', '?')}, {head.get('date', '?')}{blas}{method}\n")
    print("| cell | mode | batch | steps | hidden | recurrent4j ms | PyTorch best ms (setting) | vs PyTorch (rounds) |"
          " DL4J ms | vs DL4J (rounds) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for key in order:
        got = runs[key]
        ours = got.get(("recurrent4j", None))
        if not ours:
            continue
        o = statistics.median(ours.values())
        torch = {s: v for (impl, s), v in got.items() if impl == "pytorch"}
        if torch:
            best = min(torch, key=lambda s: statistics.median(torch[s].values()))
            t = statistics.median(torch[best].values())
            per_round = [torch[best][r] / ours[r] for r in ours if r in torch[best]]
            vs = f"**{statistics.median(per_round):.2f}x** ({min(per_round):.2f}-{max(per_round):.2f})"
            tcell = f"{t:.2f} ({best})"
        else:
            vs = tcell = "-"
        dl4j = got.get(("dl4j", None))
        if dl4j:
            per_round = [dl4j[r] / ours[r] for r in ours if r in dl4j]
            dcell = f"{statistics.median(dl4j.values()):.1f}"
            dvs = f"{statistics.median(per_round):.1f}x ({min(per_round):.1f}-{max(per_round):.1f})"
        else:
            dcell = dvs = "-"
        print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {key[4]} | {o:.2f} | {tcell} | {vs} | {dcell} | {dvs} |")


def main():
    if len(sys.argv) == 2 and sys.argv[1] not in ("run", "table", "-h", "--help"):
        table(sys.argv[1])
        return
    p = argparse.ArgumentParser(description="Measure the speed rows side by side (see the module's docstring).")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="measure every row, write OUT as JSON lines, print the table")
    r.add_argument("out")
    r.add_argument("--rounds", type=int, default=10, help="blocks per implementation and setting (default 10)")
    r.add_argument("--rows", help="only these rows: comma-separated, each parts joined with '-', e.g. gru-train")
    r.add_argument("--python", default=os.environ.get("PYTHON", "/usr/bin/python3"))
    t = sub.add_parser("table", help="print the table of a measured file")
    t.add_argument("file")
    a = p.parse_args()
    if a.command == "run":
        if a.rounds < 1:
            sys.exit("speed_table: --rounds must be >= 1")
        run(a)
    else:
        table(a.file)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("speed_table: interrupted; a run's blocks so far are in its OUT.jsonl.part, no table was written")
    except BrokenPipeError:  # the table piped into head: the reader is gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
