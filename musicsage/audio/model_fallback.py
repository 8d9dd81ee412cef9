"""What an ``embed`` whose audio model cannot run (weights missing, damaged, not downloadable)
says to do instead: which model the default choice would use (:func:`fallback_for`), and
whether to offer it "meanwhile" or as a switch of the whole library (:func:`instead`); and
the check that stops a plain ``embed`` when the library's own model cannot run from the files
on disk (:func:`check_weights_on_disk`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from musicsage.audio.embedder import MissingWeights, available_models
from musicsage.audio_models import family_named

if TYPE_CHECKING:
    from musicsage.context import AppContext


def fallback_for(ctx: "AppContext", family: str, **policy: Any) -> str:
    """The family the default choice would use instead of ``family``."""
    for a in available_models(ctx, **policy):
        if a.family != family and a.available:
            return a.family
    return "spectral"


def instead(ctx: "AppContext", name: str, family: str, library_model: str | None) -> str:
    """What to do when ``name`` (of ``family``) cannot run, for a library whose audio model is
    ``library_model``. A library already of ``family`` is told that another model replaces
    its vectors (:func:`switch_hint`): "pass --model musicnn to embed with it meanwhile" read
    as harmless where the watch, the window or ``embed --model openl3`` ran the library's own
    model, and it was no stopgap but a switch of every track. Only a library without vectors
    of ``family`` may embed with another "meanwhile"."""
    fallback = fallback_for(ctx, family)
    owned = library_model is not None and family_named(library_model) is family_named(family)
    if owned:
        return switch_hint(name, fallback)
    return f"pass --model {fallback} to embed with it meanwhile"


def switch_hint(name: str, fallback: str) -> str:
    """What an ``embed`` that cannot run the library's model says to do instead."""
    return (f"nothing was embedded (pass --model {fallback} to embed the library with "
            f"{fallback} instead of {name}: every track)")


def check_weights_on_disk(ctx: "AppContext", name: str, family: str, policy: dict) -> None:
    """Raise :class:`MissingWeights` when the library's audio model ``name`` cannot run from
    the files on disk. A plain ``embed`` then stops and says so: embedding with another model
    would switch the library (the graph model could not use the new vectors), and fetching
    weights is what ``--model`` asks for, never the default choice."""
    for a in available_models(ctx, **{**policy, "model_id": name}):
        if a.family == family and not a.available:
            how = how_to_enable(name, family, a.reason)
            raise MissingWeights(f"{name}, the library's audio model, cannot run: {a.reason}"
                                 f"{how}; {switch_hint(name, fallback_for(ctx, family))}")


NOT_FOUND = "weights not found"
"""How :func:`~musicsage.audio.embedder.available_models` starts a reason that gives no
advice of its own (a family's check that raises says what to do itself)."""


def how_to_enable(name: str, family: str, reason: str = NOT_FOUND) -> str:
    """The family's words for getting its weights (:meth:`~musicsage.audio_models.
    AudioModelFamily.how_to_enable_for`), for the model ``name`` of the library: its download
    named by the library's own id (``--model openl3`` is OpenL3's default variant, and a
    library of ``openl3-mel128-env-6144`` told so switched every track to another model).
    Nothing when ``reason`` already says what to do (a damaged file: "delete it (embed
    --model … downloads it again)"): a second command after it contradicted the first."""
    if not reason.startswith(NOT_FOUND):
        return ""
    return family_named(family).how_to_enable_for(name)
