#!/usr/bin/env python3
"""Writes k2_lstm_sequences_gzip.h5: the fixture k2_lstm_sequences.h5 with every weight stored the way h5py stores
compressed data (chunked, shuffled, gzip level 4), and its .npz copied (the numbers are the same). Keras' own
`model.save("m.h5")` writes uncompressed datasets, but HDF5 files get repacked (h5repack, or a copy with h5py) and a
reader of untrusted files meets filters; KerasImporterTest imports this one like every other fixture.

Run with Debian's h5py (no PyTorch needed), after tools/make_keras_fixtures.py:
    apt-get install python3-h5py  &&  /usr/bin/python3 tools/make_keras_compressed_fixture.py
"""
import os
import shutil

import h5py

DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core", "src", "test", "resources", "keras")
SRC = os.path.join(DIR, "k2_lstm_sequences")
DST = os.path.join(DIR, "k2_lstm_sequences_gzip")


def copy(src, dst):
    for k, v in src.attrs.items():
        dst.attrs[k] = v
    for name, node in src.items():
        if isinstance(node, h5py.Group):
            copy(node, dst.create_group(name))
        else:
            d = dst.create_dataset(name, data=node[()], chunks=True, shuffle=True, compression="gzip",
                                   compression_opts=4)
            for k, v in node.attrs.items():
                d.attrs[k] = v


def main():
    with h5py.File(SRC + ".h5", "r") as src, h5py.File(DST + ".h5", "w") as dst:
        copy(src, dst)
    shutil.copyfile(SRC + ".npz", DST + ".npz")
    with h5py.File(DST + ".h5", "r") as f:
        filters = set()
        f.visititems(lambda n, o: filters.update(o.compression and [o.compression] or [])
                     if isinstance(o, h5py.Dataset) else None)
        assert filters == {"gzip"}, filters
    print("wrote", DST + ".h5")


if __name__ == "__main__":
    main()
