#!/usr/bin/env python3
"""Turns the TensorFlow.js captures of tools/make_tfjs_keras_fixtures.js into Keras 2 `model.save("m.h5")` fixtures
(core/src/test/resources/keras/tfjs_*.h5 and .npz) for KerasTfjsFixtureTest.

Run with Debian's h5py and NumPy, after the capture script:
    apt-get install python3-h5py python3-numpy
    NODE_PATH=/tmp/tfjs/node_modules node tools/make_tfjs_keras_fixtures.js /tmp/tfjs/captures
    /usr/bin/python3 tools/tfjs_to_keras_h5.py /tmp/tfjs/captures

Each capture NAME.json becomes, in the layout tools/make_keras_fixtures.py writes for its *.h5 files:
  NAME.h5   root attributes model_config (tfjs' topology's {"class_name": "Sequential", "config": ...}, the config
            unchanged), keras_version and backend (the topology's own: "tfjs-layers 4.x.y", "tensor_flow.js");
            group model_weights with attribute layer_names (every layer of the config, as Keras lists them) and one
            group per layer with attribute weight_names, holding tfjs' float32 weights in tfjs' order under Keras 2's
            names ("gru/gru_cell/kernel:0", "bidirectional/forward_lstm/lstm_cell/bias:0", "dense/kernel:0").
  NAME.npz  x (the input), mask ([B, T], 1 real, 0 padding; where the model derives one), y (tfjs' model.predict).
A capture marked keras_differs (tfjs' output known to differ from Keras' somewhere) is written as NAME.hdf5 (the same
HDF5 file; Keras 2 saves one under either name), out of the *.h5 files KerasImporterTest compares whole, with Keras'
output (the NumPy equations below) as y_keras in its .npz beside tfjs' y.
The weights are grouped by the layer name that prefixes tfjs' weight names ("gru/kernel"); a weight that names no layer
of the configuration is an error.

As a diagnostic it also prints how far tfjs' output lies from Keras' equations (tools/make_keras_fixtures.py's NumPy
forward pass, float64, on the same weights): where tfjs follows Keras the two agree to float32 rounding, and any
difference is tfjs' own, not the importer's. A capture not marked keras_differs that differs by more than 1e-5 is an
error: its y would be no Keras reference.
"""
import json
import os
import sys
import types

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "core", "src", "test", "resources", "keras")
CELL = {"SimpleRNN": "simple_rnn_cell", "LSTM": "lstm_cell", "GRU": "gru_cell"}


def array(t, dtype=np.float32):
    return np.asarray(t["values"], dtype=dtype).reshape(t["shape"])


def keras2_name(cls, layer_config, tfjs_name):
    """Keras 2's name of a weight tfjs names "layer/leaf" (Bidirectional: "layer/forward_x/leaf")."""
    parts = tfjs_name.split("/")
    if cls in CELL:
        parts.insert(-1, CELL[cls])
    elif cls == "Bidirectional":
        parts.insert(-1, CELL[layer_config["layer"]["class_name"]])
    return "/".join(parts) + ":0"


def layers_and_weights(capture):
    """[(layer name, class, config, [(keras 2 name, array)])] in the configuration's order."""
    config = capture["model_topology"]["config"]
    entries = config["layers"] if isinstance(config, dict) else config
    out = [(e["config"]["name"], e["class_name"], e["config"], []) for e in entries]
    by_name = {name: items for name, _, _, items in out}
    classes = {name: (cls, cfg) for name, cls, cfg, _ in out}
    for spec, values in zip(capture["weight_specs"], capture["weights"]):
        layer = spec["name"].split("/")[0]
        if layer not in by_name:
            raise ValueError(f"{capture['name']}: weight {spec['name']} names no layer of the configuration")
        cls, cfg = classes[layer]
        a = np.asarray(values, np.float32).reshape(spec["shape"])
        by_name[layer].append((keras2_name(cls, cfg, spec["name"]), a))
    return out


def save_h5(path, capture):
    topology = capture["model_topology"]
    model_config = {"class_name": topology["class_name"], "config": topology["config"]}
    keras_version = topology.get("keras_version", "")
    backend = topology.get("backend", "")
    layers = layers_and_weights(capture)
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        f.attrs["keras_version"] = keras_version
        f.attrs["backend"] = backend
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([n.encode() for n, _, _, _ in layers])
        g.attrs["backend"] = backend.encode()
        g.attrs["keras_version"] = keras_version.encode()
        for name, _, _, items in layers:
            lg = g.create_group(name)
            lg.attrs["weight_names"] = np.array([k.encode() for k, _ in items])
            for k, a in items:
                lg.create_dataset(k, data=a)


def keras_reference(capture, x, mask):
    """Keras' output by tools/make_keras_fixtures.py's NumPy equations (Keras 2 semantics), or None if unavailable."""
    sys.path.insert(0, HERE)
    if "torch" not in sys.modules:
        try:
            import torch  # noqa: F401  (make_keras_fixtures imports it for its own check only)
        except ImportError:
            sys.modules["torch"] = types.ModuleType("torch")
    import make_keras_fixtures as mkf
    m = mkf.Model(False)
    for name, cls, cfg, items in layers_and_weights(capture):
        w = [a for _, a in items]
        if cls == "Bidirectional":
            w = {"forward": w[:len(w) // 2], "backward": w[len(w) // 2:]}
        m.add(cls, cfg, w)
    return m.predict(x.astype(np.float64), None if mask is None else mask.astype(np.float64))


def relative_error(a, b):
    return float(np.abs(a - b).max() / np.abs(b).max())


def main():
    captures = sys.argv[1] if len(sys.argv) > 1 else "/tmp/tfjs/captures"
    out = sys.argv[2] if len(sys.argv) > 2 else OUT
    os.makedirs(out, exist_ok=True)
    names = sorted(n[:-5] for n in os.listdir(captures) if n.endswith(".json"))
    if not names:
        raise SystemExit(f"no captures in {captures}: run tools/make_tfjs_keras_fixtures.js first")
    for name in names:
        with open(os.path.join(captures, name + ".json")) as f:
            capture = json.load(f)
        x = array(capture["x"])
        y = array(capture["y"])
        mask = None if capture["mask"] is None else array(capture["mask"])
        arrays = {"x": x, "y": y}
        if mask is not None:
            arrays["mask"] = mask
        ref = keras_reference(capture, x, mask)
        err = relative_error(y, ref)
        note = f"tfjs against Keras' equations: relative error {err:.1e}"
        if mask is not None and y.ndim == 3:
            real = mask.astype(bool)
            note += f" (real steps only: {relative_error(y[real], ref[real]):.1e})"
        extension = ".h5"
        if capture.get("keras_differs"):
            # a known difference of tfjs: Keras' output goes beside tfjs', and the model is named .hdf5 (an HDF5 file
            # as .h5 is), out of the *.h5 files KerasImporterTest compares whole with y
            arrays["y_keras"] = ref.astype(np.float32)
            extension = ".hdf5"
            note += f"; known: tfjs differs {capture['keras_differs']}"
        elif err > 1e-5:
            raise SystemExit(f"{name}: tfjs' output differs from Keras' equations (relative error {err:.1e}): not a "
                             f"Keras reference; mark the case keras_differs in make_tfjs_keras_fixtures.js if known")
        np.savez(os.path.join(out, name + ".npz"), **arrays)
        save_h5(os.path.join(out, name + extension), capture)
        print(f"{name}{extension} (tfjs {capture['tfjs_version']}): x {list(x.shape)} -> y {list(y.shape)}; {note}")
    print("wrote", os.path.abspath(out))


if __name__ == "__main__":
    main()
