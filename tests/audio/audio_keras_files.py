"""Helpers for the OpenL3 tests: Keras weight files written the way Keras lays them out.

``save_weights`` files: root attribute ``layer_names``; per layer a group with attribute
``weight_names`` and datasets ``<layer>/<weight>:0``. Values are random; tests check that the
loader puts each one where it belongs.
"""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from musicsage.audio.openl3.network import CONV_CHANNELS


def keras_layers(rng: np.random.Generator, *, with_kapre: bool = False,
                 conv_override: dict | None = None) -> list[tuple[str, list[tuple[str, np.ndarray]]]]:
    """(layer name, [(weight name, array)]) in model order, Keras 2 auto-naming."""
    def bn(i, c):
        name = f"batch_normalization_{i}"
        return (name, [(f"{name}/gamma:0", rng.uniform(0.5, 1.5, c)),
                       (f"{name}/beta:0", rng.normal(0, 0.1, c)),
                       (f"{name}/moving_mean:0", rng.normal(0, 0.1, c)),
                       (f"{name}/moving_variance:0", rng.uniform(0.5, 1.5, c))])

    def conv(name, c_in, c_out):
        shape = (conv_override or {}).get(name, (3, 3, c_in, c_out))
        return (name, [(f"{name}/kernel:0", rng.normal(0, 0.05, shape)),
                       (f"{name}/bias:0", rng.normal(0, 0.01, shape[-1]))])

    layers = [("input_1", [])]
    if with_kapre:  # pre-v0.4 files carried kapre's own (fixed) weights
        layers.append(("melspectrogram_1", [("melspectrogram_1/real_kernels:0",
                                             rng.normal(size=(2048, 1, 1, 1025)))]))
    layers.append(bn(1, 1))
    c_in, n_bn, n_act, n_pool = 1, 1, 0, 0
    for i, c_out in enumerate(CONV_CHANNELS):
        last = i == len(CONV_CHANNELS) - 1
        layers.append(conv("audio_embedding_layer" if last else f"conv2d_{i + 1}", c_in, c_out))
        if not last:
            n_bn += 1
            layers.append(bn(n_bn, c_out))
            n_act += 1
            layers.append((f"activation_{n_act}", []))
        if i in (1, 3, 5):
            n_pool += 1
            layers.append((f"max_pooling2d_{n_pool}", []))
        c_in = c_out
    return layers


def write_keras_h5(path, layers, *, whole_model: bool = False) -> None:
    with h5py.File(path, "w") as f:
        root = f.create_group("model_weights") if whole_model else f
        root.attrs["layer_names"] = np.array([n.encode() for n, _ in layers])
        root.attrs["backend"] = b"tensorflow"
        root.attrs["keras_version"] = b"2.2.4"
        for name, weights in layers:
            g = root.create_group(name)
            g.attrs["weight_names"] = np.array([w.encode() for w, _ in weights], dtype="S")
            for wname, value in weights:
                g.create_dataset(wname, data=np.asarray(value, np.float32))



@pytest.fixture(scope="module")
def keras_bytes(tmp_path_factory) -> bytes:
    """A whole Keras weights file's bytes (made once per test module), for tests that damage
    copies of it."""
    path = tmp_path_factory.mktemp("keras") / "w.h5"
    write_keras_h5(path, keras_layers(np.random.default_rng(5)))
    return path.read_bytes()

def expected_state(layers) -> dict[str, np.ndarray]:
    """What each torch parameter must hold, derived independently from the Keras arrays."""
    weighted = [(n, dict(w)) for n, w in layers if w and "spectrogram" not in n]
    targets = ["input_bn"] + [t for i in range(8) for t in
                              ([f"convs.{i}", f"bns.{i}"] if i < 7 else [f"convs.{i}"])]
    out = {}
    for (name, arrays), prefix in zip(weighted, targets):
        get = {k.split("/")[-1][:-2]: v for k, v in arrays.items()}
        if "kernel" in get:
            out[f"{prefix}.weight"] = get["kernel"].transpose(3, 2, 0, 1)
            out[f"{prefix}.bias"] = get["bias"]
        else:
            out[f"{prefix}.weight"] = get["gamma"]
            out[f"{prefix}.bias"] = get["beta"]
            out[f"{prefix}.running_mean"] = get["moving_mean"]
            out[f"{prefix}.running_var"] = get["moving_variance"]
    return out
