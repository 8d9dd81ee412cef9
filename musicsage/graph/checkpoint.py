"""Checkpoints: a state dict plus plain metadata, loadable with ``torch.load(weights_only=True)``.

Metadata says what the weights mean: the audio model and feature width they were trained on,
the encoder and training configs, the contexts switched on, the key of every learned context
vector (so a library that gained playlists can still be embedded: unknown contexts get no
vector), and the data fingerprint. Loading for features of another audio model or width is
refused with a message that says so, instead of producing garbage neighbours.

Versions: ``format`` names the file kind and ``version`` its layout. Version 4 adds the
co-member view (``comember``: its weight, its encoder's sizes and state dict, whose context
rows follow ``context_keys``; or None; :mod:`~musicsage.graph.comember`); a version-3 file
loads without it — the vectors it always gave. Version 3 adds the
two-hop part (``two_hop``: its weight γ and one basis row per context key, or None;
:mod:`~musicsage.graph.two_hop`). Version 2 nests the training config (encoder / loop /
walk) and loads as γ = 0 — the vectors it was trained to give, nothing to recompute; version
1 files (flat config, no ``version`` key) still load — their encoder fields are a subset of
version 2's and their state dicts match.
A file of an unknown (newer) version is refused with a message saying to upgrade musicsage
to use it, or to retrain, rather than loaded into weights it may not fit; so is one whose
archive fails its own checksums (:func:`~musicsage.graph.checkpoint_archive.archive_problem`:
torch does not check them) or whose description lacks a part. So is a whole file whose
description names no musicsage graph model (another program's), in the words ``models``
lists it with (:data:`~musicsage.graph.checkpoint_archive.FOREIGN`), before torch reads it.

Weights are written as CPU tensors and read with ``map_location='cpu'``, whatever device the
model trained on (``device``, kept as plain metadata): a model trained on a GPU opens on a
machine without one, and the caller moves it where it will run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import torch

from musicsage.errors import TRAIN_HINT, MusicsageError, first_line
from musicsage.files import save_torch_atomically
from musicsage.graph.build import context_rows
from musicsage.graph.checkpoint_archive import (FORMAT, LEGACY_FORMATS, OTHER_MODEL,
                                                CheckpointDamaged, archive_problem, other_data)
from musicsage.graph.device import to_device
from musicsage.graph.comember import CoMember, CoMemberEncoder
from musicsage.graph.model import EncoderConfig, PinSageEncoder
from musicsage.graph.two_hop import TwoHop

VERSION = 4
# FORMAT, and LEGACY_FORMATS (format strings of earlier layouts that still load, -> their
# version), are checkpoint_archive's: its listing tells a model.pt musicsage wrote from
# another program's by them, without torch
#: what every version's payload holds, read by :func:`load_checkpoint` and
#: :class:`~musicsage.graph.serve.SavedModel` alike
REQUIRED = ("state_dict", "encoder", "audio_model", "feature_dim", "contexts", "context_keys")


def save_checkpoint(path: str | Path, result, data) -> None:
    """Write the trained model of ``result`` (a :class:`~musicsage.graph.train.TrainResult`)."""
    model = result.model
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "encoder": model.config.to_dict(),
        "train": result.config.to_dict(),
        "audio_model": data.audio_model,
        "feature_dim": int(data.feature_dim),
        "contexts": list(result.contexts),
        "context_keys": [str(k) for k in result.graph.context_keys],
        "fingerprint": data.fingerprint(),
        "best_step": int(result.best_step),
        "best_val_hr10": (None if result.best_val_hr10 is None
                          else float(result.best_val_hr10)),
        "device": str(result.device),  # where it trained; the weights above are CPU tensors
        "two_hop": _two_hop_payload(result.two_hop, result.graph.context_keys),
        "comember": _comember_payload(result.comember, result.graph.context_keys),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_torch_atomically(path, payload, durable=True)  # minutes of training: fsynced


def load_checkpoint(path: str | Path, *, audio_model: str | None = None,
                    feature_dim: int | None = None, fingerprint: str | None = None):
    """(encoder in eval mode, metadata dict). Refuses weights trained on other features, and,
    given its model's row ``fingerprint``, a file trained on other data than that model
    (:data:`~musicsage.graph.checkpoint_archive.OTHER_MODEL`: another model's or library's)."""
    path = Path(path)
    if not path.is_file():
        raise MusicsageError(f"no graph model at {path}")
    damage = archive_problem(path)  # CheckpointUnreadable for a file the user may not read
    if damage is not None:  # FOREIGN too: in the listing's words, before torch reads it
        raise CheckpointDamaged(path, damage)
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - unpickling errors come in many types
        # torch's own text runs over lines and advises weights_only=False, which would run
        # whatever code a file overwritten by another program holds: its kind is enough
        raise MusicsageError(f"{path} is not a readable graph model: it is damaged or no "
                             f"graph model file ({type(exc).__name__}); retrain it "
                             f"({TRAIN_HINT})") from None
    version = checkpoint_version(payload)
    if version is None:
        raise MusicsageError(f"{path} is not a musicsage graph model (another program's "
                             f"file?): retrain it ({TRAIN_HINT})")  # it gave no way on
    if version > VERSION:
        # the model is whole: a newer musicsage uses it, so that is the first way out (inside
        # the bracket: the callers cut the trailing "retrain it (…)" for advice of their own)
        raise MusicsageError(f"{path} was written by a newer musicsage (graph model version "
                             f"{version}; this one reads up to {VERSION}: upgrade musicsage "
                             f"to use it): retrain it ({TRAIN_HINT})")
    missing = [key for key in REQUIRED if key not in payload]
    unlisted = [key for key in ("contexts", "context_keys")
                if not isinstance(payload.get(key), (list, tuple))]
    try:  # a payload lacking one crashed `models --use` and `embed` with a KeyError
        if missing or unlisted:
            raise ValueError(f"no {missing[0]}" if missing else f"{unlisted[0]} is not a list")
        trained_on, dim = str(payload["audio_model"]), int(payload["feature_dim"])
    except (TypeError, ValueError) as exc:
        raise MusicsageError(f"{path} is not a readable graph model: its description is "
                             f"incomplete ({first_line(exc)}); retrain it ({TRAIN_HINT})"
                             ) from None
    if other_data(fingerprint, payload.get("fingerprint")):  # its vectors are not this one's
        raise CheckpointDamaged(path, OTHER_MODEL)
    if audio_model is not None and audio_model != trained_on:
        raise MusicsageError(f"this graph model was trained on '{trained_on}' features, not "
                             f"'{audio_model}': retrain it ({TRAIN_HINT})")
    if feature_dim is not None and int(feature_dim) != dim:
        raise MusicsageError(f"this graph model expects {dim}-d '{trained_on}' features, got "
                             f"{feature_dim}-d: retrain it ({TRAIN_HINT})")
    try:
        model = PinSageEncoder(EncoderConfig.from_dict(payload["encoder"]))
        model.load_state_dict(payload["state_dict"])
    except (KeyError, TypeError, ValueError, RuntimeError, MusicsageError) as exc:
        raise MusicsageError(f"{path}: the graph model's weights do not fit this version "
                             f"({first_line(exc)}): retrain it ({TRAIN_HINT})"
                             ) from None
    model.eval()
    return model, dict(payload, version=version)


def _two_hop_payload(two_hop, context_keys) -> dict | None:
    """The part's weight and basis; its rows follow the checkpoint's ``context_keys``."""
    if two_hop is None:
        return None
    if two_hop.context_keys != [str(k) for k in context_keys]:
        raise ValueError("the two-hop basis must follow the training graph's contexts")
    return {"gamma": float(two_hop.gamma), "basis": torch.from_numpy(two_hop.basis.copy())}


def load_two_hop(payload: dict) -> TwoHop | None:
    """The two-hop part of a loaded checkpoint (None before version 3, or for γ = 0)."""
    part = payload.get("two_hop")
    if not part or float(part.get("gamma", 0.0)) <= 0:
        return None
    basis = part["basis"].numpy().astype(np.float32)
    keys = [str(k) for k in payload["context_keys"]]
    if basis.ndim != 2 or len(basis) != len(keys):
        raise MusicsageError(f"the graph model's two-hop part does not fit its contexts: "
                             f"retrain it ({TRAIN_HINT})")
    return TwoHop(keys, basis, float(part["gamma"]))


def _comember_payload(view: CoMember | None, context_keys) -> dict | None:
    """The view's weight, sizes and weights; its context rows follow ``context_keys``."""
    if view is None:
        return None
    if view.context_keys != [str(k) for k in context_keys]:
        raise ValueError("the co-member encoder's rows must follow the training graph's contexts")
    e = view.encoder
    return {"weight": float(view.weight), "in_dim": e.in_dim, "dim": e.dim, "hidden": e.hidden,
            "state_dict": {k: v.detach().cpu() for k, v in e.state_dict().items()}}


def load_comember(payload: dict) -> CoMember | None:
    """The co-member view of a loaded checkpoint (None before version 4, or weight 0)."""
    part = payload.get("comember")
    if not part or float(part.get("weight", 0.0)) <= 0:
        return None
    keys = [str(k) for k in payload["context_keys"]]
    try:
        encoder = CoMemberEncoder(int(part["in_dim"]), len(keys), int(part["dim"]),
                                  int(part["hidden"]))
        encoder.load_state_dict(part["state_dict"])
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise MusicsageError(f"the graph model's co-member view does not fit its contexts "
                             f"({first_line(exc)}): retrain it ({TRAIN_HINT})") from None
    return CoMember(encoder.eval(), keys, float(part["weight"]))


def checkpoint_version(payload) -> int | None:
    """The layout version of a loaded payload, None when it is no musicsage graph model."""
    if not isinstance(payload, dict):
        return None
    if payload.get("format") == FORMAT:
        version = payload.get("version")
        return int(version) if isinstance(version, int) else None
    return LEGACY_FORMATS.get(payload.get("format"))


def align_contexts(model, trained_keys: list[str], graph) -> None:
    """Re-index the learned context vectors to ``graph``'s contexts, in place (by key).

    Contexts the model never saw (a new playlist) get a zero vector — exactly "no learned
    information" for the input projection. The new table is made where the old one is, on
    the model's device (the numpy :func:`~musicsage.graph.build.lined_up` of the other saved
    tables would take it through the host).
    """
    table = model.project.contexts
    if table is None:
        return
    old = table.weight.detach()
    new = torch.zeros((max(graph.n_contexts, 1), old.shape[1]), dtype=old.dtype,
                      device=old.device)
    src = context_rows(trained_keys, graph)
    known = np.flatnonzero(src >= 0)
    new[to_device(known, old.device)] = old[to_device(src[known], old.device)]
    table.weight = torch.nn.Parameter(new)
