#!/usr/bin/env python3
"""Apple senses on sentences written apart from the apple data set (docs/apple/heldout.tsv).

Tags each held-out sentence with a trained model and counts the mentions of apple (any token whose lower-cased form
starts with "apple") whose predicted entity type is the sentence's sense (FRUIT or ORG); O counts as wrong.

    python3 tools/apple_senses.py apple-ner.zip [--set docs/apple/heldout2.tsv] [--jar examples/target/recurrent4j.jar]

docs/apple/heldout.tsv (80 sentences) and docs/apple/heldout2.tsv (60, written later, before the data set's second
version) are both held out: neither is trained or tuned on.
"""
import argparse
import subprocess
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("model")
ap.add_argument("--set", default="docs/apple/heldout.tsv")
ap.add_argument("--jar", default="examples/target/recurrent4j.jar")
args = ap.parse_args()
model, jar = args.model, args.jar
rows = [line.rstrip("\n").split("\t") for line in open(args.set, encoding="utf-8") if line.strip()]
with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
    f.write("\n".join(sentence for _, sentence in rows) + "\n")
out = subprocess.run(["java", "-jar", jar, "tag", "--model", model, f.name], capture_output=True, text=True,
                     check=True).stdout
blocks = out.strip().split("\n\n")
assert len(blocks) == len(rows), f"{len(blocks)} tagged sentences for {len(rows)} held-out ones"
right = total = 0
for (sense, sentence), block in zip(rows, blocks):
    for line in block.split("\n"):
        token, tag = line.split("\t")
        if token.lower().startswith("apple"):
            total += 1
            ok = tag != "O" and tag[2:] == sense
            right += ok
            if not ok:
                print(f"wrong: {token}/{tag} (gold {sense}) in: {sentence}")
print(f"apple senses right: {right}/{total} = {right / total:.3f}")
