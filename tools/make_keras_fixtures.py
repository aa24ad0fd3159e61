#!/usr/bin/env python3
"""Generates the Keras fixtures that recurrent4j's KerasImporter tests read (core/src/test/resources/keras).

Run with Debian's h5py, NumPy and PyTorch:
    apt-get install python3-h5py python3-torch  &&  /usr/bin/python3 tools/make_keras_fixtures.py

TensorFlow and Keras cannot be installed here, so the model files are written with h5py in the layouts Keras writes:
  *.h5     tf.keras 2 / Keras 2 `model.save("m.h5")`: root attributes model_config (JSON), keras_version, backend;
           group model_weights (attribute layer_names), one group per layer (attribute weight_names) holding the
           weights under those names ("lstm/lstm_cell/kernel:0", ...), in the order Keras loads them.
  *.json + *.weights.h5
           Keras 2 `model.to_json()` and `model.save_weights("w.h5")` (the layer groups at the root).
  *.keras  Keras 3 `model.save("m.keras")`: a zip of config.json, metadata.json and model.weights.h5, whose weights
           lie under layers/<name>/[cell/]vars/<i> (Bidirectional: forward_layer/, backward_layer/; TimeDistributed:
           layer/).
Their expected outputs come from Keras' equations written here in NumPy (float64, on the float32 weights), not from
recurrent4j: keras/src/layers/rnn/{simple_rnn,lstm,gru,bidirectional}.py and the backends' rnn() loop (a masked step
keeps the state and outputs the previous output, or zeros where zero_output_for_mask; go_backwards reads the whole
padded sequence reversed and leaves the outputs reversed). Where Keras' cells coincide with PyTorch's (tanh and
sigmoid; the GRU with reset_after) the NumPy cells are checked here against torch.nn.RNN/LSTM/GRU first.

Each fixture NAME has NAME.npz beside its model file: x (the model's input: token ids [B, T] as float, or features
[B, T, F]), mask ([B, T], 1 real, 0 padding; present where the model derives one), y (Keras' output).
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core", "src", "test", "resources", "keras")
RNG = np.random.default_rng(20261201)


# ---------------------------------------------------------------------------------------------- Keras' functions
def act(name, x, keras3):
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x))
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "linear":
        return x
    if name == "hard_sigmoid":
        # Keras 3: relu6(x + 3) / 6 (keras/src/activations); tf.keras 2: clip(0.2 x + 0.5, 0, 1) (backend.hard_sigmoid)
        return np.clip(x / 6.0 + 0.5, 0.0, 1.0) if keras3 else np.clip(0.2 * x + 0.5, 0.0, 1.0)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(name)


def cell_step(kind, cfg, w, x, state, keras3):
    """One step of Keras' SimpleRNNCell / LSTMCell / GRUCell; returns (output, new state tuple)."""
    a = lambda v: act(cfg["activation"], v, keras3)
    ra = lambda v: act(cfg.get("recurrent_activation", "sigmoid"), v, keras3)
    u = cfg["units"]
    if kind == "SimpleRNN":
        k, rk = w[0], w[1]
        h = x @ k + state[0] @ rk + (w[2] if cfg["use_bias"] else 0.0)
        h = a(h)
        return h, (h,)
    if kind == "LSTM":
        k, rk = w[0], w[1]
        z = x @ k + state[0] @ rk + (w[2] if cfg["use_bias"] else 0.0)
        i, f, c_, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
        i, f, o = ra(i), ra(f), ra(o)
        c = f * state[1] + i * a(c_)
        h = o * a(c)
        return h, (h, c)
    if kind == "GRU":
        k, rk = w[0], w[1]
        h_prev = state[0]
        if cfg["use_bias"]:
            b = w[2]
            bi, br = (b[0], b[1]) if cfg["reset_after"] else (b, np.zeros_like(b))
        else:
            bi = br = np.zeros(3 * u)
        xz = x @ k + bi
        if cfg["reset_after"]:
            hr = h_prev @ rk + br
            z = ra(xz[:, :u] + hr[:, :u])
            r = ra(xz[:, u:2 * u] + hr[:, u:2 * u])
            hh = a(xz[:, 2 * u:] + r * hr[:, 2 * u:])
        else:
            z = ra(xz[:, :u] + h_prev @ rk[:, :u])
            r = ra(xz[:, u:2 * u] + h_prev @ rk[:, u:2 * u])
            hh = a(xz[:, 2 * u:] + (r * h_prev) @ rk[:, 2 * u:])
        h = z * h_prev + (1 - z) * hh
        return h, (h,)
    raise ValueError(kind)


def rnn(kind, cfg, w, x, mask, keras3, zero_output_for_mask=False):
    """Keras' RNN layer over x [B, T, F] with mask [B, T] (or None): backend.rnn's loop, then return_sequences."""
    B, T, _ = x.shape
    u = cfg["units"]
    state = (np.zeros((B, u)),) * (2 if kind == "LSTM" else 1)
    m = np.ones((B, T), bool) if mask is None else mask.astype(bool)
    if cfg.get("go_backwards"):
        x, m = x[:, ::-1], m[:, ::-1]
    prev = np.zeros((B, u))
    outs = []
    for t in range(T):
        out, new = cell_step(kind, cfg, w, x[:, t], state, keras3)
        mt = m[:, t:t + 1]
        out = np.where(mt, out, np.zeros_like(out) if zero_output_for_mask else prev)
        state = tuple(np.where(mt, n, s) for n, s in zip(new, state))
        prev = out
        outs.append(out)
    seq = np.stack(outs, axis=1)
    return seq if cfg["return_sequences"] else prev


def bidirectional(kind, cfg, merge, wf, wb, x, mask, keras3):
    rs = cfg["return_sequences"]
    y = rnn(kind, dict(cfg, go_backwards=False), wf, x, mask, keras3, zero_output_for_mask=rs)
    yr = rnn(kind, dict(cfg, go_backwards=True), wb, x, mask, keras3, zero_output_for_mask=rs)
    if rs:
        yr = yr[:, ::-1]
    return {"concat": lambda: np.concatenate([y, yr], -1), "sum": lambda: y + yr, "mul": lambda: y * yr,
            "ave": lambda: (y + yr) / 2}[merge]()


def dense(cfg, w, x, keras3):
    y = x @ w[0] + (w[1] if cfg["use_bias"] else 0.0)
    return act(cfg["activation"], y, keras3)


# ------------------------------------------------------------------------------- the NumPy cells against PyTorch's
def check_against_torch():
    B, T, F, U = 3, 6, 4, 5
    x = RNG.standard_normal((B, T, F))
    for kind, mod in (("SimpleRNN", torch.nn.RNN), ("LSTM", torch.nn.LSTM), ("GRU", torch.nn.GRU)):
        g = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
        m = mod(F, U, batch_first=True).double()
        with torch.no_grad():
            for p in m.parameters():
                p.uniform_(-0.6, 0.6)
        wih, whh = m.weight_ih_l0.detach().numpy(), m.weight_hh_l0.detach().numpy()
        bih, bhh = m.bias_ih_l0.detach().numpy(), m.bias_hh_l0.detach().numpy()
        if kind == "GRU":   # PyTorch r|z|n, Keras z|r|h; Keras' reset_after bias is [input; recurrent]
            perm = np.r_[U:2 * U, 0:U, 2 * U:3 * U]
            w = [wih[perm].T, whh[perm].T, np.stack([bih[perm], bhh[perm]])]
            cfg = {"units": U, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
                   "reset_after": True, "return_sequences": True}
        else:
            w = [wih.T, whh.T, bih + bhh]
            cfg = {"units": U, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
                   "return_sequences": True}
        ours = rnn(kind, cfg, w, x, None, True)
        theirs = m(torch.from_numpy(x))[0].detach().numpy()
        err = np.abs(ours - theirs).max()
        assert err < 1e-12, (kind, err)
        print(f"NumPy {kind} = torch.nn.{mod.__name__}: max abs difference {err:.1e}")


# ----------------------------------------------------------------------------------------------------- the writers
KERAS2_VERSION = "2.15.0"
KERAS3_VERSION = "3.6.0"


def weight_list(kind, cfg, n_in):
    """Random weights of a Keras layer in Keras' shapes and order."""
    u = cfg.get("units")
    r = lambda *s: RNG.uniform(-0.7, 0.7, s).astype(np.float32)
    if kind in ("SimpleRNN", "LSTM", "GRU"):
        g = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
        w = [r(n_in, g * u), r(u, g * u)]
        if cfg["use_bias"]:
            w.append(r(2, 3 * u) if kind == "GRU" and cfg["reset_after"] else r(g * u))
        return w
    if kind == "Dense":
        return [r(n_in, u)] + ([r(u)] if cfg["use_bias"] else [])
    if kind == "Embedding":
        return [r(cfg["input_dim"], cfg["output_dim"])]
    return []


NAMES = {"SimpleRNN": ["kernel", "recurrent_kernel", "bias"], "LSTM": ["kernel", "recurrent_kernel", "bias"],
         "GRU": ["kernel", "recurrent_kernel", "bias"], "Dense": ["kernel", "bias"], "Embedding": ["embeddings"]}
CELL = {"SimpleRNN": "simple_rnn_cell", "LSTM": "lstm_cell", "GRU": "gru_cell"}


def rnn_config(kind, name, units, keras3, **kw):
    c = {"name": name, "trainable": True, "dtype": dtype(keras3), "return_sequences": False, "return_state": False,
         "go_backwards": False, "stateful": False, "unroll": False, "units": units, "activation": "tanh",
         "use_bias": True, "dropout": 0.0, "recurrent_dropout": 0.0}
    if not keras3:
        c["time_major"] = False
    else:
        c["zero_output_for_mask"] = False
    if kind != "SimpleRNN":
        c["recurrent_activation"] = "sigmoid"
    if kind == "LSTM":
        c["unit_forget_bias"] = True
    if kind == "GRU":
        c["reset_after"] = True
    c.update(kw)
    return c


def snake_case(name):
    """keras.src.utils.naming.to_snake_case."""
    import re
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def dtype(keras3):
    if keras3:
        return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
    return "float32"


class Model:
    """A Sequential or Functional Keras model: its layers, weights and NumPy forward pass."""

    def __init__(self, keras3, functional=False):
        self.keras3 = keras3
        self.functional = functional
        self.layers = []   # (class_name, config, weights or {"forward":..,"backward":..}, inbound name)

    def add(self, kind, config, weights=None):
        self.layers.append([kind, config, weights if weights is not None else []])
        return self

    # -- config
    def entry(self, kind, cfg, inbound):
        if self.keras3:
            e = {"module": "keras.layers", "class_name": kind, "config": cfg, "registered_name": None}
            if self.functional:
                e["name"] = cfg["name"]
                e["inbound_nodes"] = [] if inbound is None else [{"args": [{"class_name": "__keras_tensor__",
                                                                              "config": {"shape": [None],
                                                                                         "dtype": "float32",
                                                                                         "keras_history": [inbound, 0,
                                                                                                           0]}}],
                                                                   "kwargs": {}}]
            return e
        e = {"class_name": kind, "config": cfg}
        if self.functional:
            e["name"] = cfg["name"]
            e["inbound_nodes"] = [] if inbound is None else [[[inbound, 0, 0, {}]]]
        return e

    def config(self, name):
        entries = []
        prev = None
        for kind, cfg, _ in self.layers:
            entries.append(self.entry(kind, cfg, prev))
            prev = cfg["name"]
        if self.functional:
            first, last = self.layers[0][1]["name"], self.layers[-1][1]["name"]
            c = {"name": name, "trainable": True, "layers": entries,
                 "input_layers": [[first, 0, 0]] if not self.keras3 else [first, 0, 0],
                 "output_layers": [[last, 0, 0]] if not self.keras3 else [last, 0, 0]}
            cls = "Functional"
        else:
            c = {"name": name, "layers": entries}
            cls = "Sequential"
        if self.keras3:
            c["trainable"] = True
            c["dtype"] = dtype(True)
            return {"module": "keras" if not self.functional else "keras.src.models.functional",
                    "class_name": cls, "config": c, "registered_name": None}
        return {"class_name": cls, "config": c}

    # -- weights: (layer name, kind, [(keras2 name, keras3 path, array)])
    def weights(self):
        """Keras 2 files name a layer's group by the layer's name; Keras 3's saving_lib by its class in snake case,
        numbered from the second of a class on, over model.layers (a Sequential model's without its InputLayer)."""
        out = []
        used = {}
        for index, (kind, cfg, w) in enumerate(self.layers):
            if self.keras3:
                if kind == "InputLayer" and index == 0 and not self.functional:
                    continue
                base = snake_case(kind)
                used[base] = used.get(base, 0) + 1
                name = base if used[base] == 1 else f"{base}_{used[base] - 1}"
            else:
                name = cfg["name"]
            items = []
            if kind == "Bidirectional":
                inner = cfg["layer"]["class_name"]
                for side in ("forward", "backward"):
                    sub = f"{side}_{cfg['layer']['config']['name']}"
                    for i, a in enumerate(w[side]):
                        items.append((f"{name}/{sub}/{CELL[inner]}/{NAMES[inner][i]}:0",
                                      f"layers/{name}/{side}_layer/cell/vars/{i}", a))
            elif kind == "TimeDistributed":
                for i, a in enumerate(w):
                    items.append((f"{name}/{NAMES['Dense'][i]}:0", f"layers/{name}/layer/vars/{i}", a))
            elif kind in CELL:
                for i, a in enumerate(w):
                    items.append((f"{name}/{CELL[kind]}/{NAMES[kind][i]}:0", f"layers/{name}/cell/vars/{i}", a))
            elif kind in NAMES:
                for i, a in enumerate(w):
                    items.append((f"{name}/{NAMES[kind][i]}:0", f"layers/{name}/vars/{i}", a))
            out.append((name, kind, items))
        return out

    # -- forward
    def predict(self, x, mask):
        k3 = self.keras3
        for kind, cfg, w in self.layers:
            if kind == "InputLayer":
                continue
            if kind == "Embedding":
                if cfg.get("mask_zero"):
                    mask = (x != 0).astype(np.float64)
                x = w[0].astype(np.float64)[x.astype(int)]
            elif kind == "Masking":
                mask = np.any(x != cfg["mask_value"], axis=-1).astype(np.float64)
                x = x * mask[..., None]
            elif kind == "Dropout":
                pass
            elif kind in CELL:
                keep = mask
                x = rnn(kind, cfg, [a.astype(np.float64) for a in w], x, mask, k3,
                        cfg.get("zero_output_for_mask", False))
                mask = keep if cfg["return_sequences"] else None
            elif kind == "Bidirectional":
                inner = cfg["layer"]["class_name"]
                icfg = cfg["layer"]["config"]
                x = bidirectional(inner, icfg, cfg["merge_mode"], [a.astype(np.float64) for a in w["forward"]],
                                  [a.astype(np.float64) for a in w["backward"]], x, mask, k3)
                mask = mask if icfg["return_sequences"] else None
            elif kind == "Dense":
                x = dense(cfg, [a.astype(np.float64) for a in w], x, k3)
            elif kind == "TimeDistributed":
                x = dense(cfg["layer"]["config"], [a.astype(np.float64) for a in w], x, k3)
            else:
                raise ValueError(kind)
        return x

    # -- files
    def save_h5(self, path, name):
        with h5py.File(path, "w") as f:
            f.attrs["model_config"] = json.dumps(self.config(name)).encode("utf8")
            f.attrs["keras_version"] = KERAS2_VERSION
            f.attrs["backend"] = "tensorflow"
            g = f.create_group("model_weights")
            self._keras2_weights(g)

    def _keras2_weights(self, g):
        layers = self.weights()
        g.attrs["layer_names"] = np.array([n.encode() for n, _, _ in layers])
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = KERAS2_VERSION.encode()
        for name, _, items in layers:
            lg = g.create_group(name)
            lg.attrs["weight_names"] = np.array([k2.encode() for k2, _, _ in items])
            for k2, _, a in items:
                lg.create_dataset(k2, data=a)

    def save_json_and_weights(self, json_path, weights_path, name):
        with open(json_path, "w") as f:
            json.dump(self.config(name), f)
        with h5py.File(weights_path, "w") as f:
            self._keras2_weights(f)

    def save_keras(self, path, name):
        buf = io.BytesIO()
        with h5py.File(buf, "w") as f:
            f.create_group("layers")
            for lname, kind, items in self.weights():
                g = f.require_group(f"layers/{lname}")
                if not items:
                    g.create_group("vars")
                for _, k3, a in items:
                    f.create_dataset(k3, data=a)
            f.create_group("optimizer").create_group("vars")
        meta = {"keras_version": KERAS3_VERSION, "date_saved": "2026-12-01@11:00:00"}
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("metadata.json", json.dumps(meta))
            z.writestr("config.json", json.dumps(self.config(name)))
            z.writestr("model.weights.h5", buf.getvalue())


# ------------------------------------------------------------------------------------------------------- fixtures
B, T, F = 3, 5, 4


def features(mask=None, value=0.0):
    x = RNG.uniform(-1.5, 1.5, (B, T, F)).astype(np.float32)
    if mask is not None:
        x[mask == 0] = value
    return x


PADDED = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], np.float32)


def ids(vocab):
    x = RNG.integers(1, vocab, (B, T)).astype(np.float32)
    x[PADDED == 0] = 0
    return x


def input_layer(keras3, name, shape, dt="float32"):
    if keras3:
        return {"batch_shape": [None] + shape, "dtype": dt, "sparse": False, "name": name}
    return {"batch_input_shape": [None] + shape, "dtype": dt, "sparse": False, "ragged": False, "name": name}


def recurrent(model, kind, name, units, n_in, **kw):
    cfg = rnn_config(kind, name, units, model.keras3, **kw)
    return model.add(kind, cfg, weight_list(kind, cfg, n_in))


def bidi(model, kind, name, units, n_in, merge, **kw):
    inner = rnn_config(kind, name.replace("bidirectional", kind.lower()), units, model.keras3, **kw)
    cfg = {"name": name, "trainable": True, "dtype": dtype(model.keras3),
           "layer": {"class_name": kind, "config": inner}, "merge_mode": merge}
    if model.keras3:
        inner = dict(inner, name="forward_" + inner["name"])
        cfg["layer"] = {"module": "keras.layers", "class_name": kind, "config": inner, "registered_name": None}
        inner["zero_output_for_mask"] = inner["return_sequences"]   # Bidirectional forces it so
        back = dict(inner, name="backward_" + inner["name"], go_backwards=True)
        cfg["backward_layer"] = {"module": "keras.layers", "class_name": kind, "config": back,
                                 "registered_name": None}
    w = {"forward": weight_list(kind, inner, n_in), "backward": weight_list(kind, inner, n_in)}
    return model.add("Bidirectional", cfg, w)


def dense_layer(model, name, units, n_in, activation="linear", use_bias=True, distributed=False):
    cfg = {"name": name, "trainable": True, "dtype": dtype(model.keras3), "units": units, "activation": activation,
           "use_bias": use_bias}
    w = weight_list("Dense", cfg, n_in)
    if distributed:
        inner = dict(cfg, name=name + "_dense")
        layer = {"class_name": "Dense", "config": inner}
        if model.keras3:
            layer = {"module": "keras.layers", "class_name": "Dense", "config": inner, "registered_name": None}
        return model.add("TimeDistributed", {"name": name, "trainable": True, "dtype": dtype(model.keras3),
                                             "layer": layer}, w)
    return model.add("Dense", cfg, w)


def embedding(model, name, vocab, dim, mask_zero):
    cfg = {"name": name, "trainable": True, "dtype": dtype(model.keras3), "input_dim": vocab, "output_dim": dim,
           "mask_zero": mask_zero}
    if not model.keras3:
        cfg["input_length"] = None
    return model.add("Embedding", cfg, weight_list("Embedding", cfg, 0))


def cases():
    """(name, keras3, model, x, mask): every layer and option the importer takes, over the two formats."""
    out = []
    for k3 in (False, True):
        v = "k3" if k3 else "k2"
        hs = "hard_sigmoid"
        # LSTM, sequences, TimeDistributed(Dense softmax)
        m = Model(k3).add("InputLayer", input_layer(k3, "input", [T, F]))
        recurrent(m, "LSTM", "lstm", 3, F, return_sequences=True)
        dense_layer(m, "time_distributed", 2, 3, "softmax", distributed=True)
        out.append((f"{v}_lstm_sequences", k3, m, features(), None))
        # Embedding(mask_zero) -> GRU reset_after, sequences (held masked steps) -> Dense
        m = Model(k3).add("InputLayer", input_layer(k3, "tokens", [None]))
        embedding(m, "embedding", 12, F, True)
        recurrent(m, "GRU", "gru", 3, F, return_sequences=True)
        dense_layer(m, "dense", 2, 3)
        out.append((f"{v}_embedding_mask_gru", k3, m, ids(12), PADDED))
        # Masking -> GRU reset_before, go_backwards, relu and hard_sigmoid, no bias; then LSTM, last step
        m = Model(k3).add("InputLayer", input_layer(k3, "input", [T, F]))
        m.add("Masking", {"name": "masking", "trainable": True, "dtype": dtype(k3), "mask_value": 0.0})
        recurrent(m, "GRU", "reader", 3, F, return_sequences=True, reset_after=False, go_backwards=True,
                  activation="relu", recurrent_activation=hs)
        recurrent(m, "LSTM", "summary", 2, 3, activation="linear", recurrent_activation=hs, use_bias=False)
        out.append((f"{v}_masking_gru_backwards", k3, m, features(PADDED), PADDED))
        # SimpleRNN, relu, last step, Dropout, Dense sigmoid
        m = Model(k3).add("InputLayer", input_layer(k3, "input", [T, F]))
        recurrent(m, "SimpleRNN", "simple_rnn", 3, F, activation="relu")
        m.add("Dropout", {"name": "dropout", "trainable": True, "dtype": dtype(k3), "rate": 0.3})
        dense_layer(m, "dense", 2, 3, "sigmoid")
        out.append((f"{v}_simple_rnn_last", k3, m, features(), None))
        # Bidirectional, every merge mode, sequences and last step, masked
        for merge, kind, seqs in (("concat", "LSTM", True), ("sum", "GRU", True), ("mul", "SimpleRNN", True),
                                  ("ave", "LSTM", False), ("concat", "GRU", False)):
            m = Model(k3).add("InputLayer", input_layer(k3, "tokens", [None]))
            embedding(m, "embedding", 9, F, True)
            bidi(m, kind, "bidirectional", 3, F, merge, return_sequences=seqs)
            dense_layer(m, "dense", 2, 6 if merge == "concat" else 3, "tanh")
            out.append((f"{v}_bidirectional_{kind.lower()}_{merge}_{'sequences' if seqs else 'last'}", k3, m,
                        ids(9), PADDED))
        # Functional: Input -> Embedding(mask_zero) -> Bidirectional LSTM -> Dropout -> Dense softmax
        m = Model(k3, functional=True).add("InputLayer", input_layer(k3, "tokens", [None]))
        embedding(m, "words", 10, F, True)
        bidi(m, "LSTM", "bidirectional", 3, F, "concat", return_sequences=True)
        m.add("Dropout", {"name": "dropout", "trainable": True, "dtype": dtype(k3), "rate": 0.5})
        bidi(m, "GRU", "bidirectional_1", 2, 6, "concat", return_sequences=True)
        dense_layer(m, "tags", 4, 4, "softmax")
        out.append((f"{v}_functional_tagger", k3, m, ids(10), PADDED))
    return out


def main():
    check_against_torch()
    os.makedirs(OUT, exist_ok=True)
    for name, k3, m, x, mask in cases():
        y = m.predict(x.astype(np.float64), None if mask is None else mask.astype(np.float64))
        arrays = {"x": x, "y": y.astype(np.float64)}
        if mask is not None:
            arrays["mask"] = mask
        np.savez(os.path.join(OUT, name + ".npz"), **arrays)
        if k3:
            m.save_keras(os.path.join(OUT, name + ".keras"), name)
        else:
            m.save_h5(os.path.join(OUT, name + ".h5"), name)
        print(f"{name}: x {list(x.shape)} -> y {list(y.shape)}")
    # Keras 2's other form: model.to_json() and save_weights()
    m = Model(False).add("InputLayer", input_layer(False, "input", [T, F]))
    recurrent(m, "GRU", "gru", 3, F, return_sequences=True, reset_after=False)
    dense_layer(m, "dense", 2, 3)
    x = features()
    np.savez(os.path.join(OUT, "k2_json_weights.npz"), x=x, y=m.predict(x.astype(np.float64), None))
    m.save_json_and_weights(os.path.join(OUT, "k2_json_weights.json"),
                            os.path.join(OUT, "k2_json_weights.weights.h5"), "k2_json_weights")
    # refused: a layer the importer does not take, an option it does not take
    m = Model(False).add("InputLayer", input_layer(False, "input", [T, F]))
    m.add("Conv1D", {"name": "conv1d", "filters": 2, "kernel_size": [3]}, [RNG.uniform(-1, 1, (3, F, 2)).astype(
        np.float32), np.zeros(2, np.float32)])
    NAMES["Conv1D"] = ["kernel", "bias"]
    m.save_h5(os.path.join(OUT, "k2_refused_conv1d.h5"), "refused")
    m = Model(True).add("InputLayer", input_layer(True, "input", [T, F]))
    recurrent(m, "LSTM", "lstm", 3, F, stateful=True)
    m.save_keras(os.path.join(OUT, "k3_refused_stateful.keras"), "refused")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
