#!/usr/bin/env python3
"""Generates the PyTorch fixtures that recurrent4j's tests compare against (core/src/test/resources/fixtures).

Run with Debian's PyTorch:  apt-get install python3-torch  &&  /usr/bin/python3 tools/make_torch_fixtures.py

Each fixture is an uncompressed .npz holding a torch.nn.RNN/LSTM/GRU state_dict under PyTorch's key names, with
random weights and every bias non-zero, plus:
  x        [B, T, nIn] input (batch_first)
  lengths  [B] live steps of each sequence (right-padded batches use packed sequences)
  y        [B, T, H*dirs] output, zeros at padded steps
  dy       [B, T, H*dirs] the weights of the loss L = sum(y * dy)
  grad_<k> dL/d<k> for every state_dict key, and grad_x = dL/dx
One case is also saved as its state_dict alone (*_state.npz), the file a user passes to import-torch.
"""
import os
import sys

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core", "src", "test", "resources", "fixtures")

CASES = [
    # name, mode, nIn, hidden, layers, bidirectional, lengths (None = all full), T[, proj_size]
    ("rnn_tanh_1l", "RNN_TANH", 5, 7, 1, False, None, 6),
    ("rnn_relu_2l_bidi_masked", "RNN_RELU", 5, 7, 2, True, [6, 4, 1], 6),
    ("lstm_1l", "LSTM", 5, 7, 1, False, None, 6),
    ("lstm_2l_bidi_masked", "LSTM", 5, 7, 2, True, [6, 4, 1], 6),
    ("gru_1l", "GRU", 5, 7, 1, False, None, 6),
    ("gru_2l_bidi_masked", "GRU", 5, 7, 2, True, [6, 4, 1], 6),
    # LSTM with projection (proj_size): weight_hr_l{k}[_reverse]
    ("lstm_proj_1l", "LSTM", 5, 7, 1, False, None, 6, 4),
    ("lstm_proj_2l_bidi_masked", "LSTM", 5, 7, 2, True, [6, 4, 1], 6, 3),
]


def module(mode, n_in, hidden, layers, bidi, proj=0):
    if mode == "LSTM":
        return torch.nn.LSTM(n_in, hidden, layers, batch_first=True, bidirectional=bidi, proj_size=proj)
    if mode == "GRU":
        return torch.nn.GRU(n_in, hidden, layers, batch_first=True, bidirectional=bidi)
    nonlin = "tanh" if mode == "RNN_TANH" else "relu"
    return torch.nn.RNN(n_in, hidden, layers, nonlinearity=nonlin, batch_first=True, bidirectional=bidi)


def make(name, mode, n_in, hidden, layers, bidi, lengths, steps, dtype, seed, proj=0):
    torch.manual_seed(seed)
    m = module(mode, n_in, hidden, layers, bidi, proj).to(dtype)
    with torch.no_grad():
        for p in m.parameters():
            p.uniform_(-0.6, 0.6)   # biases included: all non-zero with probability 1
    batch = 3
    x = (torch.rand(batch, steps, n_in, dtype=dtype) * 2 - 1).requires_grad_(True)
    lens = lengths or [steps] * batch
    if lengths:
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lens), batch_first=True,
                                                         enforce_sorted=False)
        out, _ = m(packed)
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=steps)
    else:
        y, _ = m(x)
    dy = torch.rand(y.shape, dtype=dtype) * 2 - 1
    (y * dy).sum().backward()
    arrays = {k: v.detach().numpy() for k, v in m.state_dict().items()}
    arrays["x"] = x.detach().numpy()
    arrays["lengths"] = np.array(lens, dtype=np.int64)
    arrays["y"] = y.detach().numpy()
    arrays["dy"] = dy.numpy()
    for k, p in m.named_parameters():
        arrays["grad_" + k] = p.grad.numpy()
    arrays["grad_x"] = x.grad.numpy()
    suffix = "f32" if dtype == torch.float32 else "f64"
    path = os.path.join(OUT, f"{name}_{suffix}.npz")
    np.savez(path, **arrays)
    if name == "lstm_2l_bidi_masked":
        # the state_dict alone, as a user saves it for `recurrent4j.jar import-torch`
        np.savez(os.path.join(OUT, f"{name}_{suffix}_state.npz"),
                 **{k: v.detach().numpy() for k, v in m.state_dict().items()})
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    seed = 1
    only = set(sys.argv[1:])   # case names to write; all by default
    for case in CASES:
        name, rest, proj = case[0], case[1:8], (case[8:] or (0,))[0]
        for dtype in (torch.float32, torch.float64):
            if not only or name in only:
                print(make(name, *rest, dtype, seed, proj))
            seed += 1


if __name__ == "__main__":
    sys.exit(main())
