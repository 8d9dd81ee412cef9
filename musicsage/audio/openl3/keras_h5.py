"""Read the official OpenL3 Keras weight files (h5, optionally gzipped) into this port's layout.

A Keras ``save_weights`` file lists its layers in the root attribute ``layer_names``; each
layer's group lists its arrays in the attribute ``weight_names`` (``conv2d_3/kernel:0``, …).
The auto-numbered layer names differ between Keras versions, so layers are matched **by
order**, not by name: the weight-bearing layers of an OpenL3 audio file must read
BN, (Conv, BN) × 7, Conv — anything else fails loudly, as does any array of an unexpected
shape. kapre's own spectrogram layers (present in files older than v0.4.0) are skipped: the
front-end is rebuilt from first principles in :mod:`musicsage.audio.openl3.network`.

Layout conversions: Conv2D kernels ``(kh, kw, c_in, c_out)`` → torch ``(c_out, c_in, kh, kw)``
(``permute(3, 2, 0, 1)``); BN ``gamma, beta, moving_mean, moving_variance`` → ``weight, bias,
running_mean, running_var``.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from musicsage.errors import MusicsageError

if TYPE_CHECKING:
    import h5py

BN_KEYS = {"gamma": "weight", "beta": "bias", "moving_mean": "running_mean",
           "moving_variance": "running_var"}
CONV_KEYS = {"kernel": "weight", "bias": "bias"}
SKIPPED_LAYER_MARKERS = ("spectrogram",)


class WeightsFormatError(MusicsageError):
    """A weights file that is not an OpenL3 audio model in the expected layout."""


@dataclass(frozen=True)
class KerasLayer:
    name: str
    kind: str  # "conv" | "bn"
    arrays: dict[str, np.ndarray]  # short Keras name (kernel, gamma, …) → array


def read_h5_bytes(path: str | os.PathLike[str]) -> bytes:
    """The h5 file's bytes, gunzipped when the file is gzip-compressed (by content, not name)."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:  # zlib.error: damaged deflate data
            raise WeightsFormatError(f"{Path(path).name}: corrupt gzip data ({exc})") from None
    return raw


H5_READ_ERRORS = (OSError, KeyError, RuntimeError, ValueError, TypeError)
"""What h5py raises reading a damaged file: a header or a B-tree zeroed on disk gives
"KeyError: 'Unable to synchronously open object (bad object header version number)'",
"RuntimeError: Unable to synchronously check link existence (…)", or a ValueError out of a
garbled attribute; each ended ``embed`` in "unexpected error …; this is a bug"."""


def read_keras_layers(path: str | os.PathLike[str]) -> list[KerasLayer]:
    """The weight-bearing layers of a Keras weights file, in file order. Any read error of
    h5py's (a damaged file) is a :class:`WeightsFormatError` naming it; only the reads are
    guarded so: a bug of ours past them (in :func:`_kind`) called a good file damaged, and
    the user was told to delete it."""
    import h5py

    data = read_h5_bytes(path)
    name = Path(path).name
    try:
        with h5py.File(io.BytesIO(data), "r") as f:
            raw = _raw_layers(f, name)
    except H5_READ_ERRORS as exc:
        raise WeightsFormatError(f"{name}: not a readable HDF5 weights file "
                                 f"({_h5_reason(exc)})") from None
    return [KerasLayer(layer, _kind(layer, arrays), arrays) for layer, arrays in raw]


def _h5_reason(exc: BaseException) -> str:
    """h5py's reason in a few words, its own parentheses unwrapped: "Unable to synchronously
    open object (bad object header version number)" is "bad object header version number"."""
    text = str(exc.args[0] if isinstance(exc, KeyError) and exc.args else exc).strip()
    text = (text.splitlines() or [type(exc).__name__])[0]
    inner = re.fullmatch(r"Unable to [^(]*\((.+)\)", text)
    return inner.group(1) if inner else text


def _raw_layers(root: h5py.Group, name: str) -> list[tuple[str, dict[str, np.ndarray]]]:
    """``(layer name, {short Keras name: array})`` of each weight-bearing layer of the open
    file ``root`` (named ``name``), read and nothing more: what may raise h5py's read errors."""
    if "layer_names" not in root.attrs and "model_weights" in root:
        root = root["model_weights"]  # a whole-model save: weights live one level down
    if "layer_names" not in root.attrs:
        raise WeightsFormatError(f"{name}: no 'layer_names' attribute (not a Keras weights file)")
    layers = []
    for raw_name in root.attrs["layer_names"]:
        layer = _text(raw_name)
        if layer not in root:
            raise WeightsFormatError(f"{name}: layer {layer!r} listed but absent")
        group = root[layer]
        weight_names = [_text(w) for w in group.attrs.get("weight_names", [])]
        if not weight_names or any(m in layer.lower() for m in SKIPPED_LAYER_MARKERS):
            continue
        layers.append((layer, {w.split("/")[-1].split(":")[0]:
                               np.asarray(group[w], dtype=np.float32) for w in weight_names}))
    return layers


def _kind(name: str, arrays: dict[str, np.ndarray]) -> str:
    keys = set(arrays)
    if keys == set(CONV_KEYS):
        return "conv"
    if keys == set(BN_KEYS):
        return "bn"
    raise WeightsFormatError(f"layer {name!r} has unexpected weights {sorted(keys)}")


def keras_to_state_dict(layers: list[KerasLayer], model) -> dict:
    """Map Keras layers onto :class:`OpenL3AudioNet`'s parameters; every one must be set.

    Returns a complete state dict for ``model`` (checked against ``model.state_dict()``:
    same keys, same shapes). Raises :class:`WeightsFormatError` on any mismatch.
    """
    import torch

    expected = ["bn"] + ["conv", "bn"] * (len(model.convs) - 1) + ["conv"]
    kinds = [layer.kind for layer in layers]
    if kinds != expected:
        raise WeightsFormatError(
            f"expected {len(expected)} weight layers ({_seq(expected)}), found {len(kinds)} "
            f"({_seq(kinds)}): not an OpenL3 audio model file")
    targets = ["input_bn"]
    for i in range(len(model.convs)):
        targets.append(f"convs.{i}")
        if i < len(model.bns):
            targets.append(f"bns.{i}")
    reference = model.state_dict()
    state: dict[str, torch.Tensor] = {}
    for layer, prefix in zip(layers, targets):
        mapping = CONV_KEYS if layer.kind == "conv" else BN_KEYS
        for keras_key, torch_key in mapping.items():
            array = layer.arrays[keras_key]
            if keras_key == "kernel":
                if array.ndim != 4:
                    raise WeightsFormatError(f"{layer.name}/kernel has shape {array.shape}, "
                                             "expected (3, 3, c_in, c_out)")
                array = np.transpose(array, (3, 2, 0, 1))
            key = f"{prefix}.{torch_key}"
            want = tuple(reference[key].shape)
            if array.shape != want:
                raise WeightsFormatError(
                    f"{layer.name}/{keras_key}: shape {layer.arrays[keras_key].shape} does not fit "
                    f"{key} {want} (wrong model variant or file?)")
            state[key] = torch.from_numpy(np.ascontiguousarray(array))
        if layer.kind == "bn":
            state[f"{prefix}.num_batches_tracked"] = torch.tensor(0, dtype=torch.long)
    missing = set(reference) - set(state)
    if missing:
        raise WeightsFormatError(f"weights file leaves parameters unset: {sorted(missing)}")
    return state


def load_keras_weights(path: str | os.PathLike[str], model) -> dict:
    """Read ``path`` and return a complete state dict for ``model`` (not yet loaded)."""
    try:
        layers = read_keras_layers(path)
        return keras_to_state_dict(layers, model)
    except WeightsFormatError as exc:
        name = Path(path).name
        msg = str(exc)
        raise WeightsFormatError(msg if msg.startswith(name) else f"{name}: {msg}") from None


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _seq(kinds: list[str]) -> str:
    text = ",".join(kinds)
    return text if len(text) < 80 else text[:77] + "..."
