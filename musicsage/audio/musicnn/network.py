"""Loading a ported MusiCNN network (once per process) from the wheel or the converted cache."""

from __future__ import annotations

import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from musicsage.audio.embedder import UnknownModel
from musicsage.audio.musicnn import convert, wheel
from musicsage.progress import CancelToken, ProgressFn

if TYPE_CHECKING:
    import torch

    from musicsage.audio.musicnn.model import Musicnn
    from musicsage.context import AppContext

CHECKPOINTS = convert.PORTED_MODELS  # ("MSD_musicnn", "MTT_musicnn")


@dataclass(frozen=True)
class LoadedNetwork:
    checkpoint: str          # "MSD_musicnn" | "MTT_musicnn"
    labels: tuple[str, ...]  # tag names, in output order
    module: "Musicnn"        # eval mode, on CPU; move a copy for another device


_CACHE: dict[tuple[str, str], LoadedNetwork] = {}
_LOCK = threading.Lock()


def normalise_checkpoint(name: str) -> str:
    """``msd`` / ``MSD_musicnn`` / ``mtt`` → the checkpoint dir name in the wheel."""
    key = name.strip().lower().removesuffix("_musicnn")
    for checkpoint in CHECKPOINTS:
        if checkpoint.lower().removesuffix("_musicnn") == key:
            return checkpoint
    raise UnknownModel(f"unknown MusiCNN model {name!r}: choose one of {', '.join(CHECKPOINTS)}")


def converted_available(ctx: "AppContext", checkpoint: str) -> bool:
    """A converted cache file exists and is a torch archive (a zip: a cheap check, fully
    validated on load). Garbage there counted as present: the default choice picked MusiCNN,
    then went to PyPI for the wheel — the default choice never downloads."""
    return any(zipfile.is_zipfile(p) for p in
               (convert.cache_path(d, checkpoint) for d in wheel.wheel_dirs(ctx)) if p.is_file())


def _payload_from_cache(ctx: "AppContext", checkpoint: str) -> dict | None:
    """A valid converted cache when the wheel itself is gone (None if there is none)."""
    for directory in wheel.wheel_dirs(ctx):
        if convert.cache_path(directory, checkpoint).is_file():
            try:
                return convert.load_converted(checkpoint, weights_dir=directory, wheel=None)
            except Exception:  # stale or unreadable: the wheel is needed after all
                continue
    return None


def _cache_of(ctx: "AppContext", checkpoint: str, opened: "wheel.MusicnnWheel") -> dict | None:
    """A converted cache made from the wheel ``opened`` (its fingerprint checked) in any
    models folder; None if there is none. A checkout's setup that left the wheel and its
    conversion side by side had the wheel converted again into the user's own folder."""
    fingerprint = opened.fingerprint(checkpoint).as_dict()
    for directory in wheel.wheel_dirs(ctx):
        if not convert.cache_path(directory, checkpoint).is_file():
            continue
        try:
            cached = convert.load_converted(checkpoint, weights_dir=directory, wheel=None)
        except Exception:  # stale or unreadable: another folder's, or a conversion, serves
            continue
        if cached.get("source") == fingerprint:
            return cached
    return None


def load_network(ctx: "AppContext", checkpoint: str = "MSD_musicnn", *, download: bool = True,
                 progress: ProgressFn | None = None,
                 cancel: CancelToken | None = None,
                 model_id: str | None = None) -> LoadedNetwork:
    """The network for ``checkpoint``; converts (and downloads the wheel) on first use.
    ``model_id``: the embedder's, named in the advice over a damaged wheel (None: ``tags``).

    Raises :class:`MissingWeights` with instructions when neither the wheel nor a converted
    cache is available.
    """
    from musicsage.audio.musicnn.model import Musicnn

    checkpoint = normalise_checkpoint(checkpoint)
    weights_dir = Path(ctx.weights_dir)
    key = (str(weights_dir), checkpoint)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        path = wheel.find_wheel(ctx)
        payload = None if path is not None else _payload_from_cache(ctx, checkpoint)
        if payload is None:
            if path is None:
                path = wheel.ensure_wheel(ctx, download=download, progress=progress,
                                          cancel=cancel, model_id=model_id)
            with wheel.MusicnnWheel(path, model_id, wheel.wheel_dirs(ctx)) as opened:
                payload = _cache_of(ctx, checkpoint, opened) or convert.load_converted(
                    checkpoint, weights_dir=weights_dir, wheel=opened)
        module = Musicnn(n_tags=len(payload["labels"]))
        module.load_state_dict(payload["state_dict"])
        module.eval()
        for parameter in module.parameters():
            parameter.requires_grad_(False)
        loaded = LoadedNetwork(checkpoint, tuple(payload["labels"]), module)
        _CACHE[key] = loaded
        return loaded


def run_network(module: "Musicnn", patches, *, chunk: int = 16,
                device: str = "cpu") -> "dict[str, torch.Tensor]":
    """All outputs for ``patches`` (n, 187, 96) as CPU float32 tensors, inferred in chunks.

    Chunks bound the memory of the front-end maps (≈ 10 MB per patch); on a 2-core CPU, 16
    patches per pass ran ≥ as fast as 4 and 2-3x faster than 1 (bench/musicnn_throughput.py).
    """
    import torch

    outputs: dict[str, list[torch.Tensor]] = {}
    x = torch.as_tensor(patches, dtype=torch.float32)
    with torch.inference_mode():
        for start in range(0, len(x), chunk):
            out = module(x[start:start + chunk].to(device))
            for name, value in out._asdict().items():
                outputs.setdefault(name, []).append(value.float().cpu())
    return {name: torch.cat(values) for name, values in outputs.items()}
