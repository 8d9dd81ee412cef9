"""The library summary's graph model line and its tooltip (gui/library_panel.py shows
them): whether a model is trained, its notes (which model, its HR@10), whether its files are
damaged or it learned nothing."""

from __future__ import annotations

import html
from typing import Sequence

from musicsage.controllers.wording import METRIC_TIPS
from musicsage.usecases.model_metrics import (KEPT_UNTRAINED, LEARNED_NOTHING,
                                              MORE_TO_LEARN_FROM, NO_LOSS)

HR_TIP = f"HR@10: {METRIC_TIPS['hr@10']}."
"""What the summary's HR@10 means, in the training dock's words."""
UNUSABLE = " — unusable: Retrain"
"""After the graph model's line while its files are damaged (the window shows audio only)."""
LEARNED_NOTHING_TIP = (f"It {LEARNED_NOTHING}: it {KEPT_UNTRAINED} ({NO_LOSS}); "
                       f"{MORE_TO_LEARN_FROM}, then Retrain.")
"""The tooltip's words for a model that learned nothing, as ``train`` and ``stats`` say it."""


def graph_line(label: str | None, notes: Sequence[str] = (), unusable: bool = False,
               learned_nothing: bool = False) -> str:
    """The summary's graph model line, short: "trained" and its ``notes`` in brackets ("model
    2", the HR@10: :attr:`~musicsage.usecases.snapshot.LibrarySnapshot.graph_notes`), not the
    model's name (``label``). "Graph model: pinsage-musicnn-msd-max_pool (HR@10 0.628 on only
    43 pairs)" took five lines of the panel and, at 1024x640, most of the playlists' rows; the
    name (a recipe's id) and what the numbers mean are in :func:`graph_tip`.
    ``learned_nothing`` (:func:`~musicsage.usecases.model_metrics.learned_nothing_saved`):
    "learned nothing" and no HR@10, which the untrained weights scored — "trained (HR@10
    1.000, only 1 pair)" was said of a model ``train`` had said learned nothing."""
    if not label:
        return "Graph model: <b>not trained yet</b>"
    state = "trained"
    if learned_nothing:
        state = LEARNED_NOTHING
        notes = _without_hr10(notes) + [KEPT_UNTRAINED]
    shown = ", ".join(notes).replace(" on only ", ", only ")
    in_brackets = f" ({_hr10_with_its_figure(shown)})" if shown else ""
    return (f"Graph model: <b>{state}</b>" + in_brackets
            + (html.escape(UNUSABLE) if unusable else ""))


def graph_tip(label: str | None, notes: Sequence[str] = (), unusable: bool = False,
              learned_nothing: bool = False) -> str:
    """The summary's tooltip: the graph model's whole label, and what its HR@10 means — or,
    when it learned nothing, that and what to do instead (its HR@10 means nothing)."""
    if not label:
        return "Graph model: none trained yet (Retrain trains one on your playlists)"
    if learned_nothing:  # "graph-1 (HR@10 1.000 on only 1 pair)": a figure of no training
        label = _label_without_hr10(label, notes)
    first = f"Graph model in use: {label}" + (UNUSABLE if unusable else "")
    if learned_nothing:
        return "\n".join([first, LEARNED_NOTHING_TIP])
    return "\n".join([first]
                     + ([HR_TIP] if any(n.startswith("HR@10") for n in notes) else [])
                     + (["Measured on so few pairs, it says little."]
                        if any(" on only " in n for n in notes) else []))


def _hr10_with_its_figure(shown: str) -> str:
    """``shown`` html-escaped, "HR@10" joined to its figure by a non-breaking space: the
    summary wrapped between them ("trained (HR@10" / "0.628, only 43 pairs)" at 800x600,
    1366x768 and 1920x1080), the figure read apart from what it measures."""
    return html.escape(shown).replace("HR@10 ", "HR@10&nbsp;")


def _without_hr10(notes: Sequence[str]) -> list[str]:
    """``notes`` less the HR@10, which a model that learned nothing scored untrained."""
    return [n for n in notes if not n.startswith("HR@10")]


def _label_without_hr10(label: str, notes: Sequence[str]) -> str:
    """``label`` (the model's name, then ``notes`` in brackets: how
    :attr:`~musicsage.usecases.snapshot.LibrarySnapshot.graph_label` builds it) with its
    HR@10 note left out; a label not so built is kept whole."""
    bracket = f" ({', '.join(notes)})"
    if not notes or not label.endswith(bracket):
        return label
    kept = _without_hr10(notes)
    return label[: -len(bracket)] + (f" ({', '.join(kept)})" if kept else "")
