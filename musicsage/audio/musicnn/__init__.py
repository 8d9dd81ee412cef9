"""MusiCNN (Pons & Serra 2019) ported to PyTorch, reading the checkpoints of the PyPI wheel.

The app's pretrained *music* model that needs no GitHub download: the ``musicnn==0.1.0`` wheel
(fetched by ``scripts/setup.sh`` into ``models/``, or on first use from PyPI) carries the TF1
checkpoints; :mod:`.tf_checkpoint` reads them without TensorFlow, :mod:`.convert` turns them
into a cached torch state dict, :mod:`.model` is the network, :mod:`.features` its input.

Entry points (light to import; torch loads only when a model is built):

- :func:`available` / :func:`weights_available` — are the checkpoints on disk (no download)?
- :func:`identity` — (model id, model version) of a policy, without building anything.
- :func:`create_embedder` — the :class:`~musicsage.audio.embedder.AudioEmbedder` for
  ``musicnn-<msd|mtt>-<max_pool|penultimate|taggram>`` (registry hook).
- :func:`track_tags` — the top tags of a file.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from musicsage.audio.musicnn.embedding import MusicnnEmbedder
    from musicsage.context import AppContext

__all__ = ["available", "weights_available", "identity", "create_embedder", "track_tags"]


def available(ctx: "AppContext", checkpoint: str = "MSD_musicnn") -> bool:
    """True when ``checkpoint`` can be loaded without a download (wheel or converted cache)."""
    from musicsage.audio.musicnn import network, wheel

    try:
        checkpoint = network.normalise_checkpoint(checkpoint)
    except Exception:
        return False
    return wheel.find_wheel(ctx) is not None or network.converted_available(ctx, checkpoint)


def weights_available(ctx: "AppContext", **policy: Any) -> bool:
    """Registry hook: are the checkpoints of ``policy['model_id']`` (default MSD) on disk?
    Not when the wheel there is damaged or unreadable, which raises :class:`MissingWeights`
    naming it: "weights not found — `embed --model …` downloads them" was said of it, and
    that command refused to download over it ("… is damaged (not a zip): delete it")."""
    from musicsage.audio.embedder import MissingWeights
    from musicsage.audio.musicnn.embedding import parse_model_id

    model_id, checkpoint, _ = parse_model_id(policy.get("model_id"))
    if available(ctx, checkpoint):
        return True
    if (unusable := _unusable_wheel(ctx, model_id)) is not None:
        raise MissingWeights(unusable)
    return False


def _unusable_wheel(ctx: "AppContext", model_id: str) -> str | None:
    """Why the wheel in this user's models folder, there but no zip, cannot be used (what
    :func:`~musicsage.audio.musicnn.wheel.ensure_wheel` refuses to download over), naming
    ``model_id`` in the advice; None when there is none (one in a checkout's ``models/``
    this user does not write is passed over: a download goes to their own folder), nor
    where ``ensure_wheel`` downloads past it (another user's, the first folder the user's
    own): a plain ``embed`` sent them to do by hand what ``embed --model`` does itself."""
    from musicsage.audio.musicnn import wheel, wheel_advice

    checkout = ctx.not_written_models_dir
    target_dir = wheel.wheel_dirs(ctx)[0]
    for path in (d / wheel.WHEEL_NAME for d in wheel.wheel_dirs(ctx) if d != checkout):
        if path.is_file() and wheel_advice.blocks(path, target_dir):  # ensure_wheel's check
            return wheel.not_usable(path, model_id, wheel.wheel_dirs(ctx), wheel.HOW_TO_GET)
    return None


def identity(ctx: "AppContext", *, model_id: str | None = None, max_seconds: float | None = None,
             hop: float | None = None, pooling: str | None = None,
             **_: Any) -> tuple[str, str]:
    """Registry hook: (model id, model version) of the embedder ``policy`` would build,
    without torch or the weights."""
    from musicsage.audio.musicnn.embedding import FramePolicy

    policy = FramePolicy.of(model_id, max_seconds, hop, pooling)
    return policy.model_id, policy.model_version


def create_embedder(ctx: "AppContext", **policy: Any) -> "MusicnnEmbedder":
    """Registry hook: the MusiCNN embedder (downloads the wheel on first use if absent).

    Policy: ``model_id``, ``max_seconds``, ``hop``, ``pooling``, ``device``, ``progress``,
    ``cancel``; keys meant for other families are ignored.
    """
    from musicsage.audio.musicnn.embedding import MusicnnEmbedder

    return MusicnnEmbedder(ctx, **policy)


def track_tags(ctx: "AppContext", path: str | os.PathLike[str], *, top: int = 10,
               model: str = "MSD_musicnn", progress=None, cancel=None) -> list[tuple[str, float]]:
    """The ``top`` most probable tags of the file at ``path`` as (tag, probability)."""
    from musicsage.audio.musicnn.tagger import tag_probabilities

    tags = tag_probabilities(ctx, path, model=model, progress=progress, cancel=cancel)
    return tags[:max(0, top)]
