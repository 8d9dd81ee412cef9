"""A saved graph model, put to work: embed tracks it never saw, without retraining.

The encoder is inductive: a track's vector is a function of its audio features, its contexts
(playlists, album, artist — learned vectors looked up by key) and its sampled neighbourhood.
So a library that gained tracks or playlists since training gets vectors for them in seconds:
load the model, describe the library as a :class:`~musicsage.graph.data.GraphData` (its
memberships, metadata and features), and embed. Contexts the model never saw (a new playlist)
get no learned vector (nor a two-hop row); their tracks still get neighbours through them.

``SavedModel.load(path)`` reads ``model.pt`` (``torch.load(weights_only=True)``, CPU
tensors) and puts the encoder on ``device`` (default: a CUDA GPU when torch sees one, else the
CPU — the same policy as training); :func:`current_saved_model` loads the library's current
one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from musicsage.audio.device import resolve_device
from musicsage.audio.threads import torch_threads
from musicsage.errors import TRAIN_HINT, MusicsageError
from musicsage.graph.build import build_context_graph
from musicsage.graph.checkpoint import (align_contexts, load_checkpoint, load_comember,
                                        load_two_hop)
from musicsage.graph.comember import CoMember
from musicsage.graph.config import TrainConfig
from musicsage.graph.data import GraphData
from musicsage.graph.inference import embed_tracks
from musicsage.graph.model import PinSageEncoder
from musicsage.graph.store import current_model
from musicsage.graph.two_hop import TwoHop


@dataclass(eq=False)
class SavedModel:
    """A loaded encoder and what it needs to embed: its contexts, the keys of its learned
    context vectors, its walk parameters, the audio model and width of its inputs."""

    encoder: PinSageEncoder
    config: TrainConfig
    contexts: tuple[str, ...]
    context_keys: list[str]
    audio_model: str
    feature_dim: int
    version: int
    #: where the encoder runs ('cpu', 'cuda', 'cuda:N')
    device: str = "cpu"
    #: the two-hop part joined to the encoder's vectors (None: γ = 0, or a version-2 file)
    two_hop: TwoHop | None = None
    #: the co-member view mixed in before the two-hop part (None: weight 0, or a file
    #: older than version 4)
    comember: CoMember | None = None

    @classmethod
    def load(cls, path: str | Path, *, audio_model: str | None = None,
             feature_dim: int | None = None, device: str | None = None,
             fingerprint: str | None = None) -> "SavedModel":
        """Read ``path`` onto ``device`` (auto/None, cpu, cuda, cuda:N); refuses a model
        trained on another audio model or width, and, given its model's row ``fingerprint``,
        a file trained on other data (another model's or library's copied over it)."""
        device = resolve_device(device)
        encoder, payload = load_checkpoint(path, audio_model=audio_model,
                                           feature_dim=feature_dim, fingerprint=fingerprint)
        return cls(encoder=encoder.to(device),
                   config=TrainConfig.from_dict(payload.get("train", {})),
                   contexts=tuple(payload["contexts"]),
                   context_keys=[str(k) for k in payload["context_keys"]],
                   audio_model=str(payload["audio_model"]),
                   feature_dim=int(payload["feature_dim"]), version=int(payload["version"]),
                   device=device, two_hop=load_two_hop(payload),
                   comember=load_comember(payload))

    def embed(self, data: GraphData, track_ids=None) -> np.ndarray:
        """Vectors of ``track_ids`` (default: every track of ``data``, in its order),
        computed on the graph of all of ``data``'s memberships."""
        if data.feature_dim != self.feature_dim:
            raise MusicsageError(f"this graph model expects {self.feature_dim}-d features, "
                                 f"got {data.feature_dim}-d: retrain it ({TRAIN_HINT})")
        graph = build_context_graph(data, data.memberships, self.contexts)
        align_contexts(self.encoder, self.context_keys, graph)
        self.context_keys = [str(k) for k in graph.context_keys]
        # the training's thread count (half the cores by default): with every core, torch's
        # threads spin against any other busy process (graph/config.py)
        with torch_threads(self.config.loop.torch_threads):
            emb = embed_tracks(self.encoder, data, graph, self.config.walk,
                               seed=self.config.seed + 1)
            if self.comember is not None:
                emb = self.comember.apply(emb, data.features, graph)
        if self.two_hop is not None:
            emb = self.two_hop.apply(emb, graph)
        if track_ids is None:
            return emb
        row = {tid: i for i, tid in enumerate(data.track_ids.tolist())}
        missing = [t for t in track_ids if t not in row]
        if missing:
            raise MusicsageError(f"{len(missing)} track(s) are not in the data to embed "
                                 f"(e.g. {missing[0]!r})")
        return emb[[row[t] for t in track_ids]]


def current_saved_model(conn, ctx, *, audio_model: str | None = None,
                        device: str | None = None) -> SavedModel | None:
    """The library's current graph model, loaded onto ``device``; None when there is none."""
    info = current_model(conn, ctx)
    if info is None:
        return None
    return SavedModel.load(info.checkpoint_path, audio_model=audio_model or info.audio_model,
                           device=device, fingerprint=info.fingerprint)
