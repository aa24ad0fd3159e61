#!/usr/bin/env python3
"""PyTorch peer of recurrent4j's tagger, for speed only: the same BiLSTM-CNN-CRF (Ma & Hovy 2016) as
`train` builds by default, timed on the same CoNLL file.

Network: word embedding 100 + character CNN (30-d characters, 30 filters of width 3, max over the word, tanh)
+ casing embedding 4 -> BiLSTM 200 per direction -> emissions -> linear-chain CRF (forward algorithm for the loss,
Viterbi for decoding, both batched over the sentences). Weights are random: only time is measured.

  tag:   sentences sorted by length, batches of --batch, torch.no_grad(), packed sequences, Viterbi included;
         prints tokens/s per pass.
  train: batches of --batch in file order, dropout 0.5, NLL, NAdam, gradient clipping 1.0; prints tokens/s.

Usage (Debian's python3-torch 1.13):
  /usr/bin/python3 tools/torch_tagger_bench.py --data brown/test.conll --mode tag --threads 1
  OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 tools/torch_tagger_bench.py --data brown/test.conll --mode tag
"""
import argparse
import time

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def read_conll(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.split()
            if not cols or cols[0] == "-DOCSTART-":
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((cols[0], cols[-1]))
    if cur:
        sents.append(cur)
    return sents


def casing(w):
    if any(c.isdigit() for c in w):
        return 5 if all(c.isdigit() for c in w) else 6
    if w.islower():
        return 1
    if w.istitle():
        return 2
    if w.isupper():
        return 3
    return 4 if any(c.isalpha() for c in w) else 7


class Tagger(nn.Module):
    def __init__(self, words, chars, tags, hidden=200):
        super().__init__()
        self.wemb = nn.Embedding(words, 100)
        self.cemb = nn.Embedding(chars, 30, padding_idx=0)
        self.conv = nn.Conv1d(30, 30, 3, padding=1)
        self.case = nn.Embedding(8, 4)
        self.drop = nn.Dropout(0.5)
        self.lstm = nn.LSTM(134, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, tags)
        self.trans = nn.Parameter(torch.randn(tags, tags) * 0.1)
        self.start = nn.Parameter(torch.zeros(tags))
        self.end = nn.Parameter(torch.zeros(tags))

    def emissions(self, w, c, k, lengths):
        b, t, l = c.shape
        ce = self.cemb(c.view(b * t, l)).transpose(1, 2)            # [B*T, 30, L]
        conv = self.conv(ce).masked_fill((c.view(b * t, 1, l) == 0), -1e4)
        chars = torch.tanh(conv.max(2).values).view(b, t, 30)
        x = self.drop(torch.cat([self.wemb(w), chars, self.case(k)], 2))
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        h, _ = pad_packed_sequence(self.lstm(packed)[0], batch_first=True, total_length=t)
        return self.out(self.drop(h))                                # [B, T, K]

    def nll(self, em, tags, mask):
        b, t, k = em.shape
        alpha = self.start + em[:, 0]
        gold = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for i in range(1, t):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans + em[:, i].unsqueeze(1), 1)
            m = mask[:, i].unsqueeze(1)
            alpha = torch.where(m, nxt, alpha)
            step = self.trans[tags[:, i - 1], tags[:, i]] + em[:, i].gather(1, tags[:, i:i + 1]).squeeze(1)
            gold = gold + step * mask[:, i]
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        return (torch.logsumexp(alpha + self.end, 1) - gold - self.end[last]).mean()

    def viterbi(self, em, mask):
        b, t, k = em.shape
        score = self.start + em[:, 0]
        back = []
        for i in range(1, t):
            best, idx = (score.unsqueeze(2) + self.trans).max(1)
            back.append(idx)
            score = torch.where(mask[:, i].unsqueeze(1), best + em[:, i], score)
        score = score + self.end
        lengths = mask.sum(1)
        last = score.argmax(1)
        out = torch.zeros(b, t, dtype=torch.long)
        cur = last
        for i in range(t - 1, -1, -1):
            cur = torch.where(lengths - 1 == i, last, cur)
            out[:, i] = cur
            if i > 0:
                prev = back[i - 1].gather(1, cur.unsqueeze(1)).squeeze(1)
                cur = torch.where(lengths - 1 >= i, prev, cur)
        return out


def encode(batch, wvoc, cvoc, tvoc):
    b, t = len(batch), max(len(s) for s in batch)
    l = max(min(len(tok), 25) for s in batch for tok, _ in s)
    w = torch.zeros(b, t, dtype=torch.long)
    c = torch.zeros(b, t, l, dtype=torch.long)
    k = torch.zeros(b, t, dtype=torch.long)
    y = torch.zeros(b, t, dtype=torch.long)
    mask = torch.zeros(b, t, dtype=torch.bool)
    for i, s in enumerate(batch):
        for j, (tok, tag) in enumerate(s):
            w[i, j] = wvoc.get(tok.lower(), 1)
            for p, ch in enumerate(tok[:l]):
                c[i, j, p] = cvoc.get(ch, 1)
            k[i, j] = casing(tok)
            y[i, j] = tvoc[tag]
            mask[i, j] = True
    return w, c, k, y, mask, torch.tensor([len(s) for s in batch])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--mode", choices=["tag", "train"], default="tag")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=0, help="default: 256 for tag, 32 for train")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--steps", type=int, default=150, help="train: batches per pass")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    sents = read_conll(a.data)
    wvoc, cvoc, tvoc = {}, {}, {}
    for s in sents:
        for tok, tag in s:
            wvoc.setdefault(tok.lower(), len(wvoc) + 2)
            tvoc.setdefault(tag, len(tvoc))
            for ch in tok:
                cvoc.setdefault(ch, len(cvoc) + 2)
    net = Tagger(len(wvoc) + 2, len(cvoc) + 2, len(tvoc))
    batch = a.batch or (256 if a.mode == "tag" else 32)
    if a.mode == "tag":
        net.eval()
        order = sorted(sents, key=len)
        batches = [encode(order[i:i + batch], wvoc, cvoc, tvoc) for i in range(0, len(order), batch)]
        tokens = sum(len(s) for s in sents)
        with torch.no_grad():
            for p in range(a.passes + 1):
                t0 = time.perf_counter()
                for w, c, k, _, mask, lengths in batches:
                    net.viterbi(net.emissions(w, c, k, lengths), mask)
                dt = time.perf_counter() - t0
                print(f"{'warm-up' if p == 0 else 'pass ' + str(p)}: {tokens} tokens in {dt:.2f} s, "
                      f"{tokens / dt:.0f} tokens/s (threads {a.threads}, batch {batch})", flush=True)
    else:
        net.train()
        opt = torch.optim.NAdam(net.parameters(), lr=0.002)
        # encoded before timing: the peer's best case (recurrent4j's figure includes its encoding)
        batches = [encode(sents[i:i + batch], wvoc, cvoc, tvoc)
                   for i in range(0, min(len(sents), a.steps * batch), batch)]
        for p in range(a.passes + 1):
            t0 = time.perf_counter()
            tokens = 0
            for w, c, k, y, mask, lengths in batches:
                opt.zero_grad()
                loss = net.nll(net.emissions(w, c, k, lengths), y, mask)
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                opt.step()
                tokens += int(mask.sum())
            dt = time.perf_counter() - t0
            print(f"{'warm-up' if p == 0 else 'pass ' + str(p)}: {tokens} tokens in {dt:.2f} s, "
                  f"{tokens / dt:.0f} tokens/s (threads {a.threads}, batch {batch})", flush=True)


if __name__ == "__main__":
    main()
