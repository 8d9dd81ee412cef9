"""OpenL3 as an :class:`AudioEmbedder`: excerpts → 1-s frames → network → mean of unit vectors.

Frame policy (library scale on a laptop CPU). OpenL3 mel256 costs ≈ 20 GFLOP per 1-s frame,
so the reference setting (every 0.1 s of the whole track) would take minutes per song on two
cores. The default takes ``n_excerpts`` = 4 excerpts of 3 s spread over the track
(``max_seconds`` = 12 s in all), framed every ``hop`` = 1 s without centring (frames lie inside
each excerpt): 12 frames per track — about 6 s on a quiet 2-core laptop CPU
(bench/embed_throughput.py), milliseconds on a GPU. ``--hop`` and
``--max-seconds`` change it; the policy is part of ``model_version``, so changing it re-embeds.

Pooling: the track vector is the mean of the L2-normalised frame embeddings (every frame votes
equally, whatever its loudness); see :mod:`musicsage.audio.embedder`.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from musicsage.audio.embedder import AudioEmbedder, Span, excerpt_spans
from musicsage.audio.openl3.framing import SAMPLE_RATE, frame_audio
from musicsage.audio.openl3.variants import Variant
from musicsage.errors import MusicsageError

PORT_VERSION = "1"
DEFAULT_HOP = 1.0
DEFAULT_MAX_SECONDS = 12.0
DEFAULT_EXCERPTS = 4
CPU_CHUNK = 1
"""Frames per forward pass on the CPU: a frame's feature maps (64 × 256 × 199 floats, 13 MB)
stay under glibc's mmap threshold, so passes reuse heap memory instead of faulting fresh pages
in (8 frames per pass spent 25 % of the CPU in the kernel); larger passes are no faster per
frame on a CPU. The job runs one pass per core at once (``parallel_infer``)."""


def policy_version(*, hop: float, max_seconds: float, n_excerpts: int) -> str:
    """``model_version`` string: port version, front-end, and the frame policy."""
    return (f"torch{PORT_VERSION}-kapre014;hop={hop:g};max={max_seconds:g};"
            f"excerpts={n_excerpts};center=0;pool=mean-l2")


def check_policy(*, hop: float, max_seconds: float, n_excerpts: int) -> None:
    """Refuse a frame policy OpenL3 cannot run, in one line. Cheap (no torch, no weights):
    :func:`musicsage.audio.openl3.create_embedder` calls it before it looks for, downloads or
    converts the weights, so that ``embed --hop 0.05`` is refused at once, not seconds later."""
    if not (0.1 <= hop < math.inf and 0 < max_seconds < math.inf) or n_excerpts < 1:
        raise MusicsageError(f"OpenL3 policy needs a finite hop ≥ 0.1 s and max_seconds > 0, "
                             f"excerpts ≥ 1 (got hop {hop:g} s, max_seconds {max_seconds:g} s, "
                             f"{n_excerpts} excerpts)")


class OpenL3Embedder(AudioEmbedder):
    """One OpenL3 variant with loaded weights and a frame policy."""

    sample_rate = SAMPLE_RATE
    parallel_infer = True
    memory_per_sample = 6.0  # its frames a view of the audio (4 B), inferred 8 at a time

    def __init__(self, variant: Variant, state_dict: dict | None, *, hop: float = DEFAULT_HOP,
                 max_seconds: float = DEFAULT_MAX_SECONDS, n_excerpts: int = DEFAULT_EXCERPTS,
                 device: str | None = None, batch_size: int | None = None,
                 channels_last: bool = True) -> None:
        from musicsage.audio.device import resolve_device
        from musicsage.audio.openl3.network import OpenL3AudioNet

        check_policy(hop=hop, max_seconds=max_seconds, n_excerpts=n_excerpts)
        self.variant = variant
        self.model_id = variant.model_id
        self.dim = variant.embedding_size
        self.hop = float(hop)
        self.max_seconds = float(max_seconds)
        self.n_excerpts = int(n_excerpts)
        self.model_version = policy_version(hop=self.hop, max_seconds=self.max_seconds,
                                            n_excerpts=self.n_excerpts)
        self.device = resolve_device(device)
        self.batch_size = batch_size or (64 if self.device.startswith("cuda") else 8)
        net = OpenL3AudioNet(variant)
        if state_dict is not None:
            net.load_state_dict(state_dict, strict=True)
        self.random_weights = state_dict is None
        if self.random_weights:  # never mistaken for real OpenL3 vectors in the library
            self.model_version += ";random-weights"
        net.eval().to(self.device)
        if channels_last:
            net.use_channels_last(True)
        self.net = net

    def spans(self, duration_s: float | None) -> list[Span]:
        return excerpt_spans(duration_s, max_seconds=self.max_seconds, n_excerpts=self.n_excerpts)

    def prepare(self, excerpts: Sequence[np.ndarray]) -> np.ndarray:
        """Each excerpt → frames every ``hop`` s lying inside it (a short one: one padded frame)."""
        blocks = []
        for x in excerpts:
            x = np.asarray(x, dtype=np.float32).reshape(-1)
            if x.size == 0:
                continue
            if x.size < SAMPLE_RATE:  # one frame, padded
                blocks.append(frame_audio(x, hop_s=self.hop, center=False)[0])
                continue
            hop = int(self.hop * SAMPLE_RATE)  # frames inside the excerpt only: no end padding
            n = 1 + (x.size - SAMPLE_RATE) // hop
            blocks.append(np.lib.stride_tricks.sliding_window_view(x, SAMPLE_RATE)[::hop][:n])
        if not blocks:
            raise MusicsageError("no audio to embed")
        # One excerpt's frames are a view of its audio (``infer`` copies a chunk at a time):
        # a whole long track's frames were copied out of it, and joined in a second copy.
        return blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=0)

    def infer(self, units: np.ndarray) -> np.ndarray:
        import torch

        units = np.asarray(units, dtype=np.float32)
        chunk = CPU_CHUNK if self.device == "cpu" else max(1, len(units))
        outs = []
        with torch.inference_mode():
            for start in range(0, len(units), chunk):
                # a chunk's own copy: one excerpt's frames are a read-only view of its audio
                # (torch warned of it on the terminal), and copying all of them took the track's
                x = torch.from_numpy(np.array(units[start:start + chunk])).to(self.device)
                outs.append(self.net(x).float().cpu().numpy())
        return np.concatenate(outs, axis=0) if outs else np.zeros((0, self.dim), np.float32)

    def frame_embeddings(self, audio: np.ndarray, *, hop_s: float = 0.1,
                         center: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """The reference API: every frame of ``audio`` (48 kHz mono) → (embeddings, timestamps)."""
        frames, timestamps = frame_audio(audio, hop_s=hop_s, center=center)
        outs = [self.infer(frames[i:i + self.batch_size])
                for i in range(0, len(frames), self.batch_size)]
        return np.concatenate(outs, axis=0), timestamps
