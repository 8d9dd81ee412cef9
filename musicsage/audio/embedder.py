"""The contract every audio model implements, and the registry that builds them by name.

An embedder turns a track's audio into one fixed-size vector. The embed job
(:mod:`musicsage.audio.embed_job`) drives every model through the same four steps, so that
decoding and CPU-side preparation run in worker threads while inference is batched across
tracks on one device:

1. ``spans(duration_s)``: which excerpts of the track to decode (the *frame policy*: a
   2-hour file is never decoded whole when three 8-second excerpts are all the model needs).
2. ``prepare(excerpts)``: thread-safe, numpy-only work on the decoded excerpts (each a mono
   float32 array at ``sample_rate``), giving the model's *units* as one array ``[n_units, ...]``
   (OpenL3: 1-s frames of raw audio; MusiCNN: 3-s mel patches; spectral: the finished vector).
3. ``infer(units)``: the model itself on a batch of units, possibly from several tracks,
   giving ``[n_units, unit_dim]`` float32. Called from one thread at a time unless the
   embedder sets ``parallel_infer`` (then one call per CPU core runs at once).
4. ``pool(unit_embeddings)``: the units of one track → ``[dim]`` float32. The default (and
   OpenL3's) pooling is the **mean of L2-normalised unit embeddings**: every excerpt frame
   votes with equal weight whatever its loudness, and cosine similarity between tracks then
   compares their average direction.

``embed_track``/``embed_batch`` chain these for callers that do not need the overlap.

Identity: ``model_id`` names *what* the vector is (``openl3-mel256-music-512``,
``musicnn-msd-max_pool``, ``spectral``) and is the key under which it is stored;
``model_version`` names *how* it was computed (code version + frame policy + pooling), so a
changed policy makes stored vectors stale and they are recomputed deliberately.

Registry: the families are listed once, in :data:`musicsage.audio_models.FAMILIES`;
:func:`get_embedder` maps a family name or model id to ``create_embedder(ctx, **policy)`` in
that family's module, imported lazily (torch stays out of ``musicsage --help``). A family
module provides:

- ``create_embedder(ctx, **policy) -> AudioEmbedder`` — raises :class:`MissingWeights` when its
  weights are absent and cannot be fetched.
- ``weights_available(ctx, **policy) -> bool`` — cheap (no download, no torch import needed),
  used by :func:`available_models` and the default-model choice.
- optionally ``identity(ctx, **policy) -> (model_id, model_version)`` — the same two strings
  the embedder would carry, computed without torch or weights: with it, ``embed`` on a library
  with nothing to do answers at once (:func:`embedder_identity`).
"""

from __future__ import annotations

import importlib
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from musicsage.audio_models import FAMILIES, AudioModelFamily, family_named
from musicsage.errors import MusicsageError

if TYPE_CHECKING:
    from musicsage.context import AppContext

Span = tuple[float, float]
"""An excerpt to decode: (start_s, length_s) in seconds of the original file."""

class MissingWeights(MusicsageError):
    """A model's weights are absent (and could not be fetched).

    The message says how to get them and which fallback the app uses meanwhile, e.g.
    ``"OpenL3 weights not found (…): download <url> into <dir> or pass --openl3-weights PATH;
    using 'spectral' instead"``.
    """


class UnknownModel(MusicsageError):
    """A model name that no family answers to."""


class AudioEmbedder(ABC):
    """One audio model with one frame policy. See the module docstring for the four steps.

    Subclasses set the attributes below in ``__init__`` (plain attributes, read by the job and
    stored with every vector).
    """

    model_id: str
    """Storage key; starts with ``openl3``, ``musicnn`` or ``spectral``."""
    model_version: str
    """Code version + frame policy + pooling; a different value makes stored vectors stale."""
    sample_rate: int
    """Rate (Hz) of the mono excerpts ``prepare`` receives."""
    dim: int
    """Length of the pooled track vector."""
    device: str = "cpu"
    """Where ``infer`` runs (``cpu`` or ``cuda``/``cuda:N``)."""
    batch_size: int = 32
    """Preferred number of units per ``infer`` call (the job fills batches up to this)."""
    parallel_infer: bool = False
    """True when ``infer`` may run in several threads at once, each call single-threaded: the
    job then runs one inference lane per CPU core (see :mod:`musicsage.audio.threads`).
    Torch models are; a model whose ``infer`` keeps state between calls is not."""
    memory_per_sample: float = 12.0
    """Bytes a sample of audio analysed at ``sample_rate`` costs at most, about
    (:meth:`memory_per_second`): measured, a whole long track at ``--max-seconds 1e9``."""

    @abstractmethod
    def spans(self, duration_s: float | None) -> list[Span]:
        """Excerpts to decode for a track of ``duration_s`` seconds (None = unknown length).

        Spans are sorted, non-overlapping and inside ``[0, duration_s]``. A track shorter than
        the policy needs is decoded whole (one span).
        """

    @abstractmethod
    def prepare(self, excerpts: Sequence[np.ndarray]) -> np.ndarray:
        """Decoded excerpts (mono float32 at ``sample_rate``) → units ``[n_units, ...]``.

        Thread-safe and numpy-only. Must return at least one unit for any non-empty audio
        (short audio is zero-padded); raises :class:`MusicsageError` for no audio at all.
        """

    @abstractmethod
    def infer(self, units: np.ndarray) -> np.ndarray:
        """Units (any number, from any tracks) → ``[n_units, unit_dim]`` float32."""

    def pool(self, unit_embeddings: np.ndarray) -> np.ndarray:
        """One track's unit embeddings → ``[dim]`` float32: mean of L2-normalised rows."""
        return mean_of_unit_vectors(unit_embeddings)

    def memory_per_second(self) -> float:
        """Bytes a second of audio analysed at once costs at most, about: the decoded audio
        (float32 at ``sample_rate``) and the model's working arrays, which every model keeps
        within a few copies of it (a model whose units grow past that says so). An ``embed``
        refuses a track needing more than the machine has free, before decoding it
        (:mod:`musicsage.audio.memory_need`)."""
        return self.memory_per_sample * self.sample_rate

    # --- conveniences over the four steps ----------------------------------------------------

    def embed_track(self, excerpts: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
        """One track (a waveform, or its list of excerpts) → ``[dim]`` float32."""
        if isinstance(excerpts, np.ndarray) and excerpts.ndim == 1:
            excerpts = [excerpts]
        return self.embed_batch([excerpts])[0]

    def embed_batch(self, tracks: Sequence[Sequence[np.ndarray]]) -> np.ndarray:
        """Several tracks (each a list of excerpts) → ``[n_tracks, dim]`` float32.

        Units of all tracks are inferred together in chunks of ``batch_size``.
        """
        unit_sets = [self.prepare(list(t)) for t in tracks]
        counts = [len(u) for u in unit_sets]
        if not unit_sets:
            return np.zeros((0, self.dim), np.float32)
        all_units = np.concatenate(unit_sets, axis=0)
        outs = [self.infer(all_units[i:i + self.batch_size])
                for i in range(0, len(all_units), self.batch_size)]
        embs = np.concatenate(outs, axis=0)
        pooled, start = [], 0
        for n in counts:
            pooled.append(self.pool(embs[start:start + n]))
            start += n
        return np.stack(pooled).astype(np.float32, copy=False)

    def describe(self) -> str:
        """One line for the CLI/GUI: which model, which policy, which device."""
        return f"{self.model_id} ({self.model_version}, {self.device})"


def excerpt_spans(duration_s: float | None, *, max_seconds: float, n_excerpts: int) -> list[Span]:
    """The usual frame policy: ``n_excerpts`` equal excerpts totalling ``max_seconds``.

    Excerpt i is centred in the i-th of ``n_excerpts`` equal parts of the track, so intro,
    body and outro all vote. A track no longer than ``max_seconds`` is taken whole; an unknown
    duration gives one span from the start (the decoder stops at the real end).
    """
    if not 0 < max_seconds < math.inf or n_excerpts < 1:  # NaN and inf fail too
        raise MusicsageError("max_seconds must be positive and finite, and n_excerpts at least 1")
    if duration_s is None or not np.isfinite(duration_s) or duration_s <= 0:
        return [(0.0, float(max_seconds))]
    if duration_s <= max_seconds:
        return [(0.0, float(duration_s))]
    length = max_seconds / n_excerpts
    spans = []
    for i in range(n_excerpts):
        centre = duration_s * (i + 0.5) / n_excerpts
        start = min(max(0.0, centre - length / 2), duration_s - length)
        spans.append((round(start, 6), round(length, 6)))
    return spans


WHOLE_TRACK_S = 1e6
"""A ``max_seconds`` from which on every track is analysed whole (11½ days: no recording is
longer), whatever the value: ``1e6`` and ``1e9`` compute the same vectors."""


def max_seconds_as_stored(given: float | None, stored: Any) -> Any:
    """The ``max_seconds`` an ``embed`` runs with: ``given``, else the ``stored`` one the
    library was analysed with — also where both are at least :data:`WHOLE_TRACK_S`, "the
    whole track" alike. Each value is a version of its own (it is written in the vectors'
    ``model_version``), so ``--max-seconds 1e6`` on a library analysed at ``1e9`` analysed
    every track again to compute the same vectors. Normalising the version text instead would
    have made every library analysed at such a value stale once."""
    if given is None or (_whole_track(given) and _whole_track(stored)):
        return stored
    return given


def _whole_track(max_seconds: Any) -> bool:
    return isinstance(max_seconds, (int, float)) and WHOLE_TRACK_S <= max_seconds < math.inf


def mean_of_unit_vectors(rows: np.ndarray) -> np.ndarray:
    """Mean of the L2-normalised rows of ``rows`` (all-zero rows stay zero)."""
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim != 2 or len(rows) == 0:
        raise MusicsageError("no frames to pool")
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit = rows / np.maximum(norms, 1e-12)
    return unit.mean(axis=0).astype(np.float32)


@dataclass(frozen=True)
class ModelAvailability:
    """Whether a family can run now, and why (or why not), for ``embed`` and the GUI."""

    family: str
    available: bool
    reason: str


def _family_module(family: AudioModelFamily):
    """Import a family's module lazily; None when it is not installed (yet)."""
    try:
        return importlib.import_module(family.module)
    except ImportError:
        return None


def _family(name: str) -> AudioModelFamily:
    family = family_named(name)
    if family is None:
        raise UnknownModel(f"unknown audio model {name!r}: choose one of "
                           f"{', '.join(f.name for f in FAMILIES)}")
    return family


def family_of(name: str) -> str:
    """``openl3-mel256-music-512`` / ``openl3`` → ``openl3``; unknown names raise UnknownModel."""
    return _family(name).name


def why_no_hop(name: str) -> str | None:
    """Why the family of ``name`` has no ``hop`` to set (its module's ``NO_HOP``: spectral's
    frames are fixed), or None when ``hop`` applies to it. ``embed`` refuses a hop given for
    such a family and forgets one stored for it: run with the value silently dropped, a
    ``--hop`` seemed to matter, and it was even kept as the library's analysis setting."""
    module = _family_module(_family(name))
    return getattr(module, "NO_HOP", None) if module is not None else None


def available_models(ctx: "AppContext", **policy: Any) -> list[ModelAvailability]:
    """Each family in the registry's preference order with its availability and a reason."""
    result = []
    for family in FAMILIES:
        module = _family_module(family)
        if module is None:
            result.append(ModelAvailability(family.name, False, f"{family.name} is not installed"))
            continue
        try:
            ok = bool(module.weights_available(ctx, **policy))
        except MusicsageError as exc:
            result.append(ModelAvailability(family.name, False, str(exc)))
            continue
        reason = ("needs no weights" if not family.needs_weights
                  else "weights present" if ok else "weights not found")
        result.append(ModelAvailability(family.name, ok, reason))
    return result


def _policy_for(family: AudioModelFamily, name: str, policy: dict[str, Any]) -> dict[str, Any]:
    if family.name != name.strip().lower():
        policy.setdefault("model_id", name.strip().lower())
    return {k: v for k, v in policy.items() if v is not None}


def embedder_identity(name: str, ctx: "AppContext", **policy: Any) -> tuple[str, str] | None:
    """``(model_id, model_version)`` that :func:`get_embedder` with the same arguments would
    give, without building it (no torch, no weights loaded); None when the family cannot tell
    or its weights are not on disk."""
    family = _family(name)
    module = _family_module(family)
    hook = getattr(module, "identity", None)
    if hook is None:
        return None
    clean = _policy_for(family, name, dict(policy))
    try:
        if not module.weights_available(ctx, **clean):
            return None  # building it would fetch or refuse the weights: the caller must see that
    except MissingWeights:  # damaged or unreadable weights: building it refuses, saying why
        return None
    return hook(ctx, **clean)


def get_embedder(name: str, ctx: "AppContext", **policy: Any) -> AudioEmbedder:
    """Build the embedder for ``name`` (a family or a full model id) with ``policy``.

    ``policy`` keys understood by all families: ``hop`` (s; no effect where
    :func:`why_no_hop` says why), ``max_seconds`` (s),
    ``device``, and ``model_id`` (set here when ``name`` is a full id such as
    ``openl3-mel128-env-6144``, naming the variant); families accept their own (OpenL3:
    ``variant``, ``weights``, ``weights_dir``, ``download``, ``progress``, ``cancel``) and
    should ignore keys they do not know.
    ``None`` values mean "the family's default". Raises :class:`MissingWeights` or
    :class:`UnknownModel`.
    """
    family = _family(name)
    module = _family_module(family)
    if module is None:
        raise MissingWeights(f"audio model {family.name!r} is not available in this installation")
    return module.create_embedder(ctx, **_policy_for(family, name, policy))
