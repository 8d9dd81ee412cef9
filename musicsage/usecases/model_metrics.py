"""What a saved graph model's stored ``metrics`` and ``params`` say about its figures: HR@10
from too few held-out pairs, figures of an older evaluation protocol, a run that learned
nothing. Apart from :mod:`musicsage.usecases.models` (listing, switching, removing models):
these read the values a model row was saved with and touch no file, and ``stats``, the
window's evaluation table and the Retrain's choice read them without the model use cases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.graph.saved_numbers import graph_figure, saved_count

if TYPE_CHECKING:
    from musicsage.graph.store import GraphModelInfo


def few_pairs(metrics) -> int | None:
    """The held-out pairs behind a model's stored ``metrics`` when fewer than
    :data:`~musicsage.graph.reports.FEW_PAIRS` (and some), else None: what ``stats`` and
    ``models`` mark its HR@10 with, as ``eval`` notes it ("only 2 evaluation pairs: too few
    …"). A tiny library's model showed "HR@10 1.000" as if it meant something."""
    pairs = _pairs(metrics)
    return pairs if _too_few(pairs) else None


def _too_few(pairs: int | None) -> bool:
    """Whether ``pairs`` held-out pairs (None: not recorded) are too few to mean much."""
    from musicsage.graph.reports import FEW_PAIRS

    return pairs is not None and 0 < pairs < FEW_PAIRS


def _pairs(metrics) -> int | None:
    """``metrics["pairs"]`` as a count (None: missing or not a finite number)."""
    return saved_count(metrics.get("pairs") if isinstance(metrics, dict) else None)


LEARNED = "learned"
"""``params`` key: whether the run moved the weights at all (False: it kept its untrained
ones, :func:`musicsage.graph.jobs.learned_nothing`). A note's wording changes between versions;
this key does not, and a run with ``--holdout 0`` has no notes."""

_NOTHING_LEARNED_NOTES = (
    # commit 336d0b8
    "the library is too small for the graph model to learn from: in every training step "
    "each track shared a playlist with all the others drawn, so none was left to tell it "
    "apart from (loss 0 at every step) and the model kept its untrained weights; add "
    "playlists, and tracks to them",
    # commit 07ce9a6, until :data:`LEARNED` was written
    "the playlists are too few, or one holds nearly every track, for the graph model to learn "
    "from: in every training step each track shared a playlist with all the others drawn, so "
    "none was left to tell it apart from (loss 0 at every step) and the model kept its "
    "untrained weights; add playlists, and tracks to them")
"""What a model saved before :data:`LEARNED` says in its ``notes`` of a run that learned
nothing: every wording there was, as stored (rewording the note now changes none of them)."""


def learned_nothing_saved(info: "GraphModelInfo") -> bool:
    """Whether a saved model is known to have learned nothing: its :data:`LEARNED` says so,
    or, saved before that key, one of its notes does. A model saved before it without notes
    (``--holdout 0``) counts as one that learned (nothing says otherwise)."""
    learned = (getattr(info, "params", None) or {}).get(LEARNED)
    if isinstance(learned, bool):
        return not learned
    notes = (getattr(info, "metrics", None) or {}).get("notes")
    return isinstance(notes, list) and any(n in _NOTHING_LEARNED_NOTES for n in notes
                                           if isinstance(n, str))


LEARNED_NOTHING = "learned nothing"
"""How ``stats`` and the window's library summary name a saved model that learned nothing
(:func:`learned_nothing_saved`): they said "HR@10 1.000" and "trained" of it, a figure
measured on the untrained weights, while ``train`` had said the run learned nothing."""
KEPT_UNTRAINED = "kept its untrained weights"
"""What it did, in the words of ``train``'s note (:data:`~musicsage.graph.jobs.
NOTHING_LEARNED`), and why (:data:`NO_LOSS`)."""
NO_LOSS = "loss 0 at every step"
MORE_TO_LEARN_FROM = "add playlists, and tracks to them"
"""What gives the next training something to learn, as ``train``'s note ends."""


def older_protocol(metrics) -> bool:
    """Whether a model's stored figures come from an evaluation protocol before the current
    one (``metrics["protocol"]["version"]`` missing or another: before version 3, ties
    counted for the model — a collapsed model scored high): ``models`` listed its HR@10 beside
    today's as if they measured the same. False for a model with no figures."""
    from musicsage.graph.split import PROTOCOL_VERSION

    if not isinstance(metrics, dict) or (graph_figure(metrics, "hr@10") is None
                                         and graph_figure(metrics, "mrr") is None):
        return False
    protocol = metrics.get("protocol")
    version = protocol.get("version") if isinstance(protocol, dict) else None
    return not (isinstance(version, int) and version == PROTOCOL_VERSION)
