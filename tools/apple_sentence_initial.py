#!/usr/bin/env python3
"""Scores a tagger on the word the article is about: "Apple" at the start of a sentence, where a left-to-right
reader has seen nothing else yet. Reads the gold test.conll and the output of `recurrent4j.jar tag`.

  J="java -jar examples/target/recurrent4j.jar"
  $J data apple --out apple
  $J demo --seed 1 --model bi.zip   &&   $J demo --seed 1 --unidirectional --model uni.zip
  python3 -c "import sys; [print(' '.join(l.split('\\t')[0] for l in s.split('\\n'))) for s in \\
      open('apple/test.conll').read().strip().split('\\n\\n')[1:]]" > apple/test.txt
  $J tag --pretokenized --model bi.zip apple/test.txt > bi.tags
  python3 tools/apple_sentence_initial.py apple/test.conll bi.tags
"""
import sys


def sentences(path, skip_docstart):
    blocks = open(path, encoding="utf-8").read().strip().split("\n\n")
    if skip_docstart and blocks and blocks[0].startswith("-DOCSTART-"):
        blocks = blocks[1:]
    return [[tuple(line.split("\t")) for line in b.split("\n")] for b in blocks]


def main(gold_path, tags_path):
    gold = sentences(gold_path, True)
    pred = sentences(tags_path, False)
    if len(gold) != len(pred):
        sys.exit(f"{tags_path}: {len(pred)} sentences, {gold_path} has {len(gold)}")
    counts = {"FRUIT": [0, 0], "ORG": [0, 0]}
    for g, p in zip(gold, pred):
        word, tag = g[0]
        if word == "Apple" and tag != "O":
            c = counts[tag[2:]]
            c[0] += p[0][1] == tag
            c[1] += 1
    for kind, (right, total) in counts.items():
        print(f"sentence-initial Apple as {kind}: {right}/{total} tagged right")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
