"""TF checkpoint → PyTorch state dict, converted once and cached next to the wheel.

Variables are mapped by their plain TF names (``conv2d_5/kernel`` → ``mid1.conv.weight`` …, see
:data:`model.TF_LAYER_TO_MODULE`); Adam's slots are skipped. Every model parameter must be
filled and every remaining TF variable used, with matching shapes, or conversion fails: a
silent partial load would give a model that runs and is wrong.

The cache file (``musicnn-<model>.pt``) holds the state dict, the tag names, the cache format
version and the fingerprint of the checkpoint it came from. It is rebuilt when the format
version changes (a change to this conversion) or when the wheel's checkpoint differs; when the
wheel is gone but the cache is valid, the cache alone is enough.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from musicsage.audio.musicnn.tf_checkpoint import Checkpoint, is_optimizer_slot
from musicsage.errors import MusicsageError
from musicsage.files import save_torch_atomically

if TYPE_CHECKING:
    import torch

    from musicsage.audio.musicnn.wheel import MusicnnWheel

CACHE_FORMAT = 1
"""Bump when the conversion or the model's parameter layout changes: caches are rebuilt."""

PORTED_MODELS = ("MSD_musicnn", "MTT_musicnn")

_BN_LEAVES = {"gamma": "weight", "beta": "bias", "moving_mean": "running_mean",
              "moving_variance": "running_var"}


def _convert_tensor(module: str, leaf: str, value: np.ndarray) -> tuple[str, np.ndarray]:
    """One TF variable → (torch parameter name, array in torch layout)."""
    if leaf in _BN_LEAVES:
        return f"{module}.{_BN_LEAVES[leaf]}", value
    if leaf == "bias":
        return f"{module}.bias", value
    if leaf != "kernel":
        raise MusicsageError(f"unexpected checkpoint variable {module}/{leaf}")
    if value.ndim == 2:  # dense (in, out) → Linear (out, in)
        return f"{module}.weight", value.T
    if module.startswith("mid"):  # (7, C, 1, F) over a (time, C, 1) map → Conv1d (F, C, 7)
        return f"{module}.weight", value[:, :, 0, :].transpose(2, 1, 0)
    return f"{module}.weight", value.transpose(3, 2, 0, 1)  # HWIO → OIHW


def state_dict_from_checkpoint(checkpoint: Checkpoint) -> dict[str, "torch.Tensor"]:
    """The :class:`~musicsage.audio.musicnn.model.Musicnn` state dict held by ``checkpoint``."""
    import torch

    from musicsage.audio.musicnn.model import TF_LAYER_TO_MODULE, Musicnn

    expected = Musicnn().state_dict()
    state: dict[str, torch.Tensor] = {}
    for name, value in checkpoint.tensors(keep=lambda n: not is_optimizer_slot(n)).items():
        scope, _, leaf = name.rpartition("/")
        module = TF_LAYER_TO_MODULE.get(scope)
        if module is None:
            raise MusicsageError(f"{checkpoint.source}: unexpected variable {name!r} "
                                 "(not a MusiCNN checkpoint?)")
        key, array = _convert_tensor(module, leaf, value)
        if key not in expected or tuple(expected[key].shape) != array.shape:
            want = tuple(expected[key].shape) if key in expected else "no such parameter"
            raise MusicsageError(f"{checkpoint.source}: {name} {value.shape} does not fit "
                                 f"{key} ({want})")
        state[key] = torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))
    for key, tensor in expected.items():
        if key.endswith("num_batches_tracked"):
            state[key] = torch.zeros((), dtype=torch.long)
        elif key not in state:
            raise MusicsageError(f"{checkpoint.source}: no variable for {key}")
    return state


def cache_path(weights_dir: Path, model: str) -> Path:
    return Path(weights_dir) / f"musicnn-{model.lower()}.pt"


def _read_cache(path: Path) -> dict[str, Any] | None:
    import torch

    if not path.is_file():
        return None
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # unreadable/partial cache: rebuild it
        return None
    if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT:
        return None
    return payload


def load_converted(model: str, *, weights_dir: Path,
                   wheel: "MusicnnWheel | None") -> dict[str, Any]:
    """``{"state_dict", "labels", "model", "format", "source"}`` for ``model``, from the cache
    when it is current, else converted from ``wheel`` and cached. Raises MusicsageError when
    neither a current cache nor a wheel is there.
    """
    if model not in PORTED_MODELS:
        raise MusicsageError(f"MusiCNN model {model!r} is not ported "
                             f"(choose {', '.join(PORTED_MODELS)})")
    path = cache_path(weights_dir, model)
    cached = _read_cache(path)
    fingerprint = wheel.fingerprint(model).as_dict() if wheel is not None else None
    if cached is not None and cached.get("model") == model and (
            fingerprint is None or cached.get("source") == fingerprint):
        return cached
    if wheel is None:
        raise MusicsageError(f"MusiCNN checkpoint {model} is not available (no wheel, no cache)")
    state_dict = state_dict_from_checkpoint(wheel.checkpoint(model))
    payload = {"format": CACHE_FORMAT, "model": model, "labels": wheel.labels(model),
               "source": fingerprint, "state_dict": state_dict}
    _save_atomically(payload, path)
    return payload


def _save_atomically(payload: dict[str, Any], path: Path) -> None:
    """Write via a temporary file + rename: a crash never leaves a half-written cache.

    A weights dir that cannot be written (read-only, full) is not an error: the next run
    converts again (~0.1 s).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save_torch_atomically(path, payload)
    except OSError:
        pass
