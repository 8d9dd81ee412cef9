"""MusiCNN as an :class:`AudioEmbedder`: model ids, the frame policy, pooling.

Model ids: ``musicnn-<msd|mtt>-<layer>`` with layer ``max_pool`` (753-d, the default: the
FAQ of the original names it, with the taggram, the best layer for transfer), ``penultimate``
(200-d) or ``taggram`` (50 tag probabilities). Plain ``musicnn`` is ``musicnn-msd-max_pool``.

Frame policy (recorded in ``model_version``): the network sees 3-s patches (187 frames). A
track longer than ``max_seconds`` plus one excerpt (default 60 + 15 s = 75 s) is not
analysed whole: ``max_seconds`` is split into excerpts of 5 patches (≈15 s; fewer for a small
``max_seconds``) spread evenly over the track (centred in equal slices, so intros, outros
and the middle are all heard). Patches inside an excerpt start every ``hop`` seconds (default
3 s: no overlap, as the original). A shorter track is analysed whole; one shorter than a patch is repeat-padded.
Why 60 s: 20 patches keep a 4-minute track within the 2-s budget on two CPU cores, and
spreading them over four places of the track covers its variation better than one block.

Pooling (patch vectors → track vector): see :func:`pool_patches`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from musicsage.audio.embedder import AudioEmbedder, Span, UnknownModel
from musicsage.audio.musicnn import features
from musicsage.errors import MusicsageError

if TYPE_CHECKING:
    from musicsage.context import AppContext

PORT_VERSION = 1
"""Bump when a change to the port changes the vectors (makes stored ones stale)."""

LAYERS = {"max_pool": 753, "penultimate": 200, "taggram": 50}
DATASETS = {"msd": "MSD_musicnn", "mtt": "MTT_musicnn"}
DEFAULT_MODEL_ID = "musicnn-msd-max_pool"
PATCH_SECONDS = features.PATCH_FRAMES * features.HOP / features.SAMPLE_RATE  # 2.992 s
EXCERPT_PATCHES = 5
EXCERPT_MARGIN_S = 0.05  # resampling may round an excerpt a few samples short of 5 patches
DEFAULT_MAX_SECONDS = 60.0
POOLINGS = ("mean", "mean-unit")
DEFAULT_POOLING = "mean"
CPU_CHUNK = 2
"""Patches per forward pass on the CPU. The feature maps of a pass are ≈ 9 MB per patch: two
patches stay under glibc's mmap threshold, so a pass reuses heap memory instead of faulting
fresh pages in (16 per pass spent 40 % of the CPU in the kernel), and run as fast per patch
as any larger pass (bench/musicnn_throughput.py, bench/library_scale.py)."""


def parse_model_id(model_id: str | None) -> tuple[str, str, str]:
    """``musicnn-msd-max_pool`` → (canonical id, checkpoint ``MSD_musicnn``, ``max_pool``)."""
    key = (model_id or DEFAULT_MODEL_ID).strip().lower()
    if key == "musicnn":
        key = DEFAULT_MODEL_ID
    parts = key.split("-", 2)
    if len(parts) == 2 and parts[1] in DATASETS:
        parts.append("max_pool")
    valid = len(parts) == 3 and parts[0] == "musicnn" and parts[1] in DATASETS
    if not valid or parts[2] not in LAYERS:
        raise UnknownModel(f"unknown MusiCNN model id {model_id!r}: use musicnn-<msd|mtt>-"
                           f"<{'|'.join(LAYERS)}> (e.g. {DEFAULT_MODEL_ID})")
    return "-".join(parts), DATASETS[parts[1]], parts[2]


def pool_patches(rows: np.ndarray, how: str = DEFAULT_POOLING) -> np.ndarray:
    """Patch vectors ``[n, d]`` → one track vector ``[d]``.

    * ``mean`` (default): the plain mean of the patch vectors, as the original averages its
      taggram over patches for song-level tags. The magnitude of a ``max_pool`` feature says
      how strongly a timbre or rhythm detector fired somewhere in the patch; a plain mean keeps
      that, where normalising each patch first would let quiet, sparse patches (silence,
      fade-outs) weigh as much as the body of the track. Downstream comparisons standardise
      the features and use cosine, so no normalisation is needed here. Measured on 30 ≈9-s
      excerpts of five recordings (two classical, jazz, electronic, blues), z-scored cosine,
      MSD max_pool: genre silhouette 0.374 (mean) vs 0.316 (mean-unit); a classical excerpt's
      nearest excerpt from *another* recording is classical 89% vs 83% of the time.
    * ``mean-unit``: the mean of L2-normalised patch vectors (every patch votes equally,
      whatever its loudness) — the AudioEmbedder default, kept for comparison.

    numpy's overflow and invalid-value warnings are kept quiet here, for every caller: a float
    file whose samples are far out of range gives patch vectors whose sum overflows, and the
    warning's bare source line ("ret = umr_sum(arr, …)") landed among a command's lines. The
    vector still comes back with its infinite or NaN values, which the caller refuses (the
    embed job counts such a track as failed); ``mean-unit`` gives all NaN when a patch's norm
    is infinite (each patch over its infinite norm is a finite zero, and that zero vector was
    stored as the track's). Any other error is raised as before.
    """
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim != 2 or len(rows) == 0:
        raise MusicsageError("no patches to pool")
    if how not in POOLINGS:
        raise ValueError(f"unknown pooling {how!r}")
    with np.errstate(over="ignore", invalid="ignore"):  # this thread's, restored after
        if how == "mean":
            return rows.mean(axis=0)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        if not np.isfinite(norms).all():  # x / inf is 0: a finite zero vector, stored
            return np.full(rows.shape[1], np.nan, np.float32)
        return (rows / np.maximum(norms, 1e-12)).mean(axis=0).astype(np.float32)


def excerpt_spans(duration_s: float | None, *, max_seconds: float,
                  excerpt_seconds: float) -> list[Span]:
    """The frame policy: the whole track when short, else evenly spread excerpts."""
    if duration_s is None or not math.isfinite(duration_s) or duration_s <= 0:
        return [(0.0, max_seconds)]
    if duration_s <= max_seconds + excerpt_seconds:
        return [(0.0, duration_s)]
    n = max(1, round(max_seconds / excerpt_seconds))
    slice_len = duration_s / n
    return [(round(max(0.0, (i + 0.5) * slice_len - excerpt_seconds / 2), 3), excerpt_seconds)
            for i in range(n)]


@dataclass(frozen=True)
class FramePolicy:
    """What a MusiCNN vector is computed from: model id, layer, frame policy, pooling.

    Plain arithmetic (no torch, no weights), so the embed command can tell that nothing needs
    embedding without loading the network.
    """

    model_id: str
    checkpoint: str
    layer: str
    max_seconds: float
    hop_frames: int
    excerpt_seconds: float
    pooling: str

    @classmethod
    def of(cls, model_id: str | None = None, max_seconds: float | None = None,
           hop: float | None = None, pooling: str | None = None) -> "FramePolicy":
        model_id, checkpoint, layer = parse_model_id(model_id)
        # ``is None``, not ``or``: a 0 given (``--hop 0``) must be refused below, not read
        # as "the default"
        max_seconds = float(DEFAULT_MAX_SECONDS if max_seconds is None else max_seconds)
        hop = float(PATCH_SECONDS if hop is None else hop)
        if not (0 < max_seconds < math.inf and 0 < hop < math.inf):  # NaN and inf fail too
            raise MusicsageError(f"max_seconds and hop must be positive and finite (got "
                                 f"max_seconds {max_seconds:g} s, hop {hop:g} s)")
        pooling = pooling or DEFAULT_POOLING
        if pooling not in POOLINGS:
            raise MusicsageError(f"unknown pooling {pooling!r} (choose {', '.join(POOLINGS)})")
        hop_frames = max(1, round(hop * features.SAMPLE_RATE / features.HOP))
        # excerpts of 5 patches, fewer when max_seconds asks for less than that
        patches = min(EXCERPT_PATCHES, max(1, math.floor(max_seconds / PATCH_SECONDS)))
        return cls(model_id, checkpoint, layer, max_seconds, hop_frames,
                   patches * PATCH_SECONDS + EXCERPT_MARGIN_S, pooling)

    @property
    def model_version(self) -> str:
        return (f"port{PORT_VERSION};{self.checkpoint};{self.layer};"
                f"excerpts={round(self.max_seconds / self.excerpt_seconds)}x"
                f"{self.excerpt_seconds:.2f}s(whole<={self.max_seconds + self.excerpt_seconds:.0f}s);"
                f"hop={self.hop_frames * features.HOP / features.SAMPLE_RATE:.3f}s;"
                f"pool={self.pooling}")


class MusicnnEmbedder(AudioEmbedder):
    """Track vectors from a ported MusiCNN layer (see the module docstring)."""

    batch_size = 16
    parallel_infer = True
    memory_per_sample = 9.0  # the audio (4 B) and its log-mel, taken in blocks; patches apart

    def __init__(self, ctx: "AppContext", *, model_id: str | None = None,
                 max_seconds: float | None = None, hop: float | None = None,
                 pooling: str | None = None, device: str | None = None, progress=None,
                 cancel=None, **_ignored: Any) -> None:
        from musicsage.audio.musicnn.network import load_network

        policy = FramePolicy.of(model_id, max_seconds, hop, pooling)
        self.model_id, self.checkpoint, self.layer = policy.model_id, policy.checkpoint, policy.layer
        self.max_seconds, self.pooling = policy.max_seconds, policy.pooling
        self.hop_frames, self.excerpt_seconds = policy.hop_frames, policy.excerpt_seconds
        self.model_version = policy.model_version
        self.sample_rate = features.SAMPLE_RATE
        self.dim = LAYERS[self.layer]
        self.device = self._pick_device(device)
        if self.device != "cpu":
            # 64 patches per pass: measured on an H200 (torch 2.11, host copies included),
            # MusiCNN ran 5,400 patches/s at 64, 4,800 at 16 and 2,600-3,100 at 128-1,024
            # (the front end's ~10 MB of feature maps per patch outgrow the caches).
            self.batch_size = 64
        self.network = load_network(ctx, self.checkpoint, progress=progress, cancel=cancel,
                                    model_id=self.model_id)
        self._module = self.network.module
        if self.device != "cpu":
            import copy

            self._module = copy.deepcopy(self.network.module).to(self.device)

    @staticmethod
    def _pick_device(device: str | None) -> str:
        from musicsage.audio.device import resolve_device

        return resolve_device(device)

    def memory_per_second(self) -> float:
        """The audio's share (the default) and the patches': one of 72 KB every hop, 187
        times as many at a hop of one frame as at the default 3 s."""
        patch = features.PATCH_FRAMES * features.N_MELS * 4
        per_second = features.SAMPLE_RATE / (self.hop_frames * features.HOP)
        return super().memory_per_second() + patch * per_second

    def spans(self, duration_s: float | None) -> list[Span]:
        return excerpt_spans(duration_s, max_seconds=self.max_seconds,
                             excerpt_seconds=self.excerpt_seconds)

    def prepare(self, excerpts: Sequence[np.ndarray]) -> np.ndarray:
        patches = []
        for audio in excerpts:
            audio = np.asarray(audio, dtype=np.float32)
            if audio.size == 0:
                continue
            spectrogram = features.log_mel_spectrogram(audio)
            starts = features.patch_starts(len(spectrogram), hop_frames=self.hop_frames)
            patches.append(features.to_patches(spectrogram, starts))
        if not patches:
            raise MusicsageError("no audio to analyse")
        patches = patches[0] if len(patches) == 1 else np.concatenate(patches)  # one: no copy
        if not np.isfinite(patches).all():  # refused here: a network need not pass NaN through
            from musicsage.audio.embed_job import non_finite_error

            raise MusicsageError(non_finite_error(self.model_id))
        return patches

    def infer(self, units: np.ndarray) -> np.ndarray:
        from musicsage.audio.musicnn.network import run_network

        chunk = CPU_CHUNK if self.device == "cpu" else self.batch_size
        outputs = run_network(self._module, units, chunk=chunk, device=self.device)
        return outputs[self.layer].numpy().astype(np.float32, copy=False)

    def pool(self, unit_embeddings: np.ndarray) -> np.ndarray:
        return pool_patches(unit_embeddings, self.pooling)
