"""The one analysis pipeline of a library: scan → embed → audio map → train → graph map.

Two front ends walk it. The demo build (:mod:`musicsage.usecases.demo`) runs every stage in
order in one background process, with a small budget. The window chains the same stages as
separate jobs (each run as its use case declares: scanning on a thread, embedding in a child
process …), asking :func:`next_stage` what follows the stage that just finished, and stops
before training, which the user starts with Retrain. The stage functions here are the only
place where a stage's options (audio budget, torch threads, training steps) are applied.

(The audio map comes before training so that a front end can show the map and audio
neighbours while the graph model trains.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from musicsage.audio.embed_job import EmbedReport
    from musicsage.context import AppContext
    from musicsage.graph.reports import TrainReport
    from musicsage.library.scan import ScanReport
    from musicsage.usecases.snapshot import LibrarySnapshot

STAGES = ("scan", "embed", "audio_map", "train", "map")
"""The library pipeline, in order: files → DB → audio vectors → audio map → graph model →
graph map."""


@runs(Mode.THREAD)
def scan(ctx: "AppContext", paths: Sequence[str] = (), playlists: Sequence[str] = (),
         progress=None, cancel=None, *, refuse_unreadable: bool = True) -> "ScanReport":
    """The scan stage: folders and playlist files into the library DB (``refuse_unreadable``:
    :func:`~musicsage.usecases.library.checked_scan_paths`)."""
    from musicsage.usecases.library import scan_library

    return scan_library(ctx, list(paths), list(playlists), progress=progress, cancel=cancel,
                        refuse_unreadable=refuse_unreadable)


@runs(Mode.PROCESS)
def embed(ctx: "AppContext", model: str | None = None, *,
          max_seconds: Mapping[str, float] | None = None, torch_threads: int | None = None,
          progress=None, cancel=None) -> "EmbedReport":
    """The embed stage: audio vectors of every track lacking one, with ``model`` (default: the
    library's audio model, else the best available). ``max_seconds`` caps the seconds of audio analysed per track, per family
    (a family left out uses its model's default); ``torch_threads`` caps the CPU threads
    the model's inference uses (see ``embed_library``'s ``threads``)."""
    from musicsage.audio_models import family_named
    from musicsage.usecases.embedding import default_audio_model, embed_library

    budget = None
    if max_seconds:
        family = family_named(model or default_audio_model(ctx))
        if family is not None:
            budget = (max_seconds or {}).get(family.name)
    return embed_library(ctx, model, max_seconds=budget, threads=torch_threads,
                         progress=progress, cancel=cancel)


@runs(Mode.PROCESS)
def train(ctx: "AppContext", *, torch_threads: int | None = None, progress=None, cancel=None,
          **options) -> "TrainReport":
    """The train stage: a new graph model, made current
    (:func:`~musicsage.usecases.training.train_graph` ``options``: audio_model, max_steps …).
    ``torch_threads`` (the demo's 1) is the training's thread count too, unless its options
    name one: training sets its own (half the cores by default), which replaced the pin."""
    from musicsage.audio.threads import torch_threads as pinned
    from musicsage.usecases.training import train_graph

    if torch_threads is not None:
        options["options"] = {"threads": torch_threads, **(options.get("options") or {})}
    with pinned(torch_threads):
        return train_graph(ctx, progress=progress, cancel=cancel, **options)


def map_spaces(ctx: "AppContext", spaces: Sequence[str], progress=None,
               cancel=None) -> tuple[list[str], dict[str, str]]:
    """The map stages: compute (or find cached) the maps of ``spaces``; returns the spaces
    mapped and, per space that could not be, why (no vectors yet). Cancel propagates."""
    from musicsage.errors import Cancelled, MusicsageError
    from musicsage.usecases.search import map_points
    from musicsage.usecases.spaces import SearchSpaces

    found = SearchSpaces(ctx)
    done, notes = [], {}
    for space in spaces:
        try:
            map_points(ctx, space, progress=progress, cancel=cancel, spaces=found)
            done.append(space)
        except Cancelled:
            raise
        except MusicsageError as exc:
            notes[space] = str(exc)
    return done, notes


def next_stage(done: str, snapshot: "LibrarySnapshot", *, last: str = "map") -> str | None:
    """The stage to run after ``done`` on the library of ``snapshot``, or None once ``last``
    is reached. A stage with nothing to do is passed over: embed when every present track has
    a vector of the current audio model. (The map stages are drawn by a window on its own
    from a fresh snapshot; they count as done here.)"""
    order = STAGES[: STAGES.index(last) + 1]
    if done not in order or done == last:
        return None
    following = order[order.index(done) + 1:]
    for stage in following:
        if stage == "embed" and not snapshot.needs_embedding:
            continue
        if stage in ("audio_map", "map"):
            continue
        return stage
    return None


