"""The demo library: synthesized music and playlists, then the library pipeline over them.

``generate`` (:mod:`musicsage.demo`) writes the music, then the stages of
:mod:`musicsage.usecases.pipeline` run as they do for a user's own library: scan → embed →
audio map → train → graph map. Where the demo lives:

* ``musicsage demo [DIR] [--data-dir D]``: audio and playlists in DIR (default
  D/demo-music), scanned into the library at D (default: the per-user data dir).
* ``main.py --demo``: the library at :func:`demo_data_dir` (<user data dir>/demo), its music in
  <that>/demo-music — the user's own library is never touched.

Progress: each report's ``stage`` is the demo stage (generate, scan, embed, audio_map, train,
map); ``extra`` carries the inner use case's extras (train: step, loss, val_hr10 …) plus
``inner_stage``, ``demo_index`` (0-based), ``demo_stages`` (6) and ``demo_label``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.demo.library import DemoPlan
    from musicsage.demo.state import DemoReport, DemoState, DemoStatus

DEMO_MUSIC_SUBDIR = "demo-music"
DEMO_TRAIN_STEPS = 200
"""Training budget of the demo's graph model (the library's own training uses its default):
on the demo, validation HR@10 peaks at 100-400 steps; 200 steps take ~5 s of CPU."""
DEMO_EMBED_MAX_SECONDS = {"openl3": 3.0, "musicnn": 6.0}
"""Seconds of audio per demo track for the heavy audio models (the 20-s demo tracks loop one
groove, so a few seconds carry the sound; this keeps the first launch within minutes)."""
DEMO_TORCH_THREADS = 1
"""torch intra-op threads during the demo's embed and train stages (restored afterwards).
Measured on the shared 2-core machine: MusiCNN on 49 tracks 10.6 s with 1 thread vs 27 s with
2; 200 training steps 22 s vs 235 s (idle-spinning worker threads under contention). One
thread also leaves a core to the window while the demo builds."""
DEMO_STAGE_LABELS = {"generate": "Composing and rendering music",
                     "scan": "Scanning the demo library", "embed": "Listening to every track",
                     "audio_map": "Drawing the map", "train": "Training the graph model",
                     "map": "Drawing the graph model's map"}


@dataclass(frozen=True)
class _Build:
    """What every stage of one build needs."""

    ctx: "AppContext"
    state: "DemoState"
    plan: "DemoPlan"
    music: Path
    audio_model: str | None
    train_steps: int
    workers: int | None
    notes: list[str] = field(default_factory=list)
    """One line each for what was found and mended (:attr:`DemoReport.notes`)."""
    kept_model: int | None = None
    """A repaired demo (its music re-rendered, or its state recovered): the graph model the
    library uses, which stays current (:func:`_keep_graph_model`)."""


def demo_data_dir() -> Path:
    """The library directory ``main.py --demo`` uses: ``<user data dir>/demo``. Refused in
    one line where it lies under a link to nowhere (the user data dir on a drive not
    mounted): every caller opens it as a data dir, whose refusal named a ``--data-dir`` the
    user never gave."""
    from musicsage.context import default_data_dir, refuse_unreachable

    folder = default_data_dir() / "demo"
    refuse_unreachable(folder, "the demo's library folder", DEMO_LIBRARY_WAY)
    return folder


DEMO_LIBRARY_WAY = "give --data-dir a folder for the demo's library"
"""The way on where the demo's own library folder cannot be used: the command line's words,
which the window says its own way (:func:`musicsage.controllers.demo.refused_note`)."""


def builds_apart(data_dir: "str | os.PathLike[str] | None") -> bool:
    """Whether ``musicsage demo`` builds into the demo's own library (:func:`demo_data_dir`):
    no ``--data-dir`` given (``data_dir`` None), and the default library holds no demo an
    earlier version built there. One rule for the checks before the build and the build:
    the checks looked at the default library while the build went to the demo's own."""
    from musicsage.context import default_data_dir
    from musicsage.demo.state import state_path

    return data_dir is None and not os.path.lexists(state_path(default_data_dir()))


def moved_aside_notes(ctx: "AppContext") -> list[str]:
    """The line (none, or one) naming the files at the demo's names that a build stopped
    before its music was finished moved aside (``NAME.yours``): a stop's own line said
    nothing of them (:data:`~musicsage.demo.aside.ASIDE_KEY`). Read from the manifest."""
    from musicsage.demo.aside import stopped_aside_note
    from musicsage.demo.manifest import read_manifest
    from musicsage.errors import MusicsageError

    try:  # said beside a stop or a failure: never a failure of its own
        music = demo_dir(ctx)
        note = stopped_aside_note(music, read_manifest(music))
    except (OSError, ValueError, MusicsageError):  # no manifest of the demo's there to read
        return []
    return [note] if note else []


def demo_dir(ctx: "AppContext") -> Path:
    """The demo's music folder for the library at ``ctx`` (where it was built, else where
    :func:`build_demo` would put it: ``ctx.data_dir / 'demo-music'``). Cheap."""
    from musicsage.demo.state import read_state

    state = read_state(ctx.data_dir)
    return Path(state.music_dir) if state else ctx.data_dir / DEMO_MUSIC_SUBDIR


def demo_status(ctx: "AppContext") -> "DemoStatus":
    """Where the demo stands in the library at ``ctx`` (``state``: absent | partial | ready).
    Reads the state file, stats a finished demo's files and reads each one's first 4 bytes
    and last 4 KiB (probing only a file in doubt), and opens the library read-only for one
    query (fine at start-up). ``partial``: a build was cancelled or killed, or its music
    or library tracks are gone; :func:`build_demo` resumes it. ``ready``: it returns at once."""
    from musicsage.demo.guards import library_lost, music_unsound
    from musicsage.demo.state import DemoStatus, read_state

    state = read_state(ctx.data_dir)
    if state is None:
        return DemoStatus("absent", ctx.data_dir / DEMO_MUSIC_SUBDIR, [], "generate", None, None)
    if state.complete and music_unsound(Path(state.music_dir)):  # build_demo renders it again
        return DemoStatus("partial", Path(state.music_dir), [], "generate", state.n_tracks,
                          state.seed)
    if library_lost(ctx.db_path, state):  # build_demo scans it again
        return DemoStatus("partial", Path(state.music_dir), ["generate"], "scan",
                          state.n_tracks, state.seed)
    return DemoStatus("ready" if state.complete else "partial", Path(state.music_dir),
                      state.done, state.next_stage, state.n_tracks, state.seed)


@runs(Mode.PROCESS)
def build_demo(ctx: "AppContext", *, n_tracks=None, seed=None, progress=None, cancel=None,
               music_dir=None, seconds=None, until=None, audio_model=None, train_steps=None,
               workers=None) -> "DemoReport":
    """Build the demo library into the library at ``ctx``; resumable, see the module doc.

    ``n_tracks`` synthesized tracks of ~``seconds`` s and their playlists go into
    ``music_dir`` (default ``ctx.data_dir/'demo-music'``). A finished stage is recorded in
    ``ctx.data_dir/demo-state.json``, so the next call resumes at the first unfinished one
    (and inside it: rendered files and embedded tracks are kept). A finished demo with the
    same parameters returns at once (``reused=True``). ``n_tracks``, ``seed``, ``seconds`` and
    ``music_dir`` left as None keep those of the demo already here (else 240 tracks, seed 0,
    20 s); other values rebuild it. ``until`` stops after that stage (e.g. ``'scan'``).
    ``audio_model`` (default: the default audio model) and ``train_steps`` (default
    :data:`DEMO_TRAIN_STEPS`) let tests and benchmarks choose cheaper settings.
    """
    from musicsage.demo.guards import build_lock
    from musicsage.demo.state import STAGES, DemoReport

    started = time.perf_counter()
    _check_until(until)
    with build_lock(ctx, _demo_progress(progress, "generate", 0, len(STAGES)), cancel):
        build = _prepare(ctx, n_tracks, seed, seconds, music_dir, audio_model=audio_model,
                         train_steps=int(train_steps or DEMO_TRAIN_STEPS), workers=workers)
        state = build.state
        rep = DemoReport(music_dir=build.music, data_dir=ctx.data_dir, n_tracks=state.n_tracks,
                         n_playlists=len(build.plan.playlists), seed=state.seed,
                         seconds_per_track=state.seconds, reused=state.complete,
                         complete=state.complete, notes=build.notes)
        last = STAGES.index(until) if until else len(STAGES) - 1
        for index, name in enumerate(STAGES[: last + 1]):
            if name not in state.stages:
                _run_stage(build, rep, name, index, progress, cancel)
    rep.complete = state.complete
    rep.total_seconds = round(time.perf_counter() - started, 2)
    return rep


def check_demo(ctx: "AppContext", *, n_tracks=None, seed=None, seconds=None, music_dir=None,
               until=None) -> None:
    """Refuse, writing nothing, what :func:`build_demo` would refuse with these arguments.
    The command line calls it before it makes the data dir, so that a refused ``demo``
    leaves no ``cache/`` or ``demo-state.json`` behind; build_demo checks again (the window
    calls it directly)."""
    _check_until(until)
    _settings(ctx, n_tracks, seed, seconds, music_dir)


def _check_until(until: str | None) -> None:
    from musicsage.demo.state import STAGES
    from musicsage.errors import MusicsageError

    if until is not None and until not in STAGES:
        raise MusicsageError(f"unknown demo stage {until!r} (one of {', '.join(STAGES)})")


@dataclass(frozen=True)
class _Settings:
    """A build's settings, checked: the recorded state, the plan and the music folder."""

    state: "DemoState | None"
    plan: "DemoPlan"
    music: Path
    changed: bool
    """The state must be recorded anew (no demo yet, or other parameters or folder)."""
    recovered: bool = False
    """The state file was unreadable: ``state`` is the one the music's manifest describes."""
    reopened: bool = False
    """The recorded demo's music is gone or cut short, some of it (``music_unsound``): its
    stages must run again."""
    lost: bool = False
    """The library holds none of the demo's tracks: every stage after ``generate`` runs again."""


def _settings(ctx: "AppContext", n_tracks, seed, seconds, music_dir) -> _Settings:
    """The build's plan and music folder, from the arguments and the recorded state, refused
    in one line (nothing written) when the parameters or the folder are not acceptable."""
    from musicsage.demo.guards import (asked_music_folder, check_writable, library_lost,
                                       music_unsound, recorded_state)
    from musicsage.demo.library import DEFAULT_SECONDS, DEFAULT_TRACKS, plan_demo

    asked = asked_music_folder(music_dir) if music_dir is not None else None
    state, recovered = recorded_state(ctx.data_dir, asked or ctx.data_dir / DEMO_MUSIC_SUBDIR,
                                      asked=asked is not None)
    # None: as before (or the default); 0 is a value, and plan_demo refuses it
    n_tracks = int(n_tracks if n_tracks is not None
                   else (state.n_tracks if state else DEFAULT_TRACKS))
    seconds = float(seconds if seconds is not None
                    else (state.seconds if state else DEFAULT_SECONDS))
    seed = int(seed if seed is not None else (state.seed if state else 0))
    plan = plan_demo(n_tracks, seed=seed, seconds=seconds)
    music = (asked if asked is not None
             else Path(state.music_dir) if state is not None else ctx.data_dir / DEMO_MUSIC_SUBDIR)
    changed = bool(state is None or state.fingerprint != plan.fingerprint
                   or Path(state.music_dir) != music)
    _check_music_folder(ctx, music, new=changed)
    reopened = bool(not changed and "generate" in state.stages and music_unsound(music))
    if changed or reopened or "generate" not in state.stages:  # files to write: refused
        # before the state file is touched
        check_writable(music, repair=reopened, library=ctx.data_dir)
    lost = bool(not changed and not reopened and library_lost(ctx.db_path, state))
    return _Settings(state, plan, music, changed, recovered, reopened, lost)


def _check_music_folder(ctx: "AppContext", music: Path, *, new: bool) -> None:
    """Refuse a music folder that is the library's own folder (or holds it), a newly chosen
    folder of the user's own files, or a folder holding another library's demo (regenerating
    it would change files that library lists: :func:`musicsage.demo.manifest.check_owner`)."""
    from musicsage.demo.manifest import check_folder, check_owner
    from musicsage.errors import MusicsageError

    data, folder = os.path.realpath(ctx.data_dir), os.path.realpath(music)
    if data == folder or data.startswith(folder.rstrip(os.sep) + os.sep):
        raise MusicsageError(f"{music} holds the library itself ({ctx.data_dir}): give the "
                             "demo music a folder of its own (nothing was changed)")
    if new:
        check_folder(music)  # refuse a folder of the user's own files before recording it
    check_owner(music, ctx.data_dir)


def _prepare(ctx: "AppContext", n_tracks, seed, seconds, music_dir, **options) -> _Build:
    """The build's plan and state: the recorded one, or a fresh one when parameters changed
    (the demo recorded before then leaves the library first:
    :func:`~musicsage.demo.old_demo.forget_old_demo`); its stages reopened when its music is
    gone or cut short; an unreadable state file kept aside, renamed."""
    from musicsage.demo.old_demo import forget_old_demo
    from musicsage.demo.state import DemoState, state_path, write_state

    checked = _settings(ctx, n_tracks, seed, seconds, music_dir)
    state, plan, music = checked.state, checked.plan, checked.music
    repaired = not checked.changed and (checked.recovered or checked.reopened)
    model = _current_graph_model(ctx) if repaired else None
    kept_words = "" if model is None else f"; graph model {model} stays current (not retrained)"
    notes = []
    if checked.recovered:
        bad = state_path(ctx.data_dir)
        kept = bad.with_name(bad.name + ".unreadable")
        os.replace(bad, kept)
        notes.append(f"{bad} could not be read (kept as {kept.name}): resuming the demo that "
                     f"{music}'s manifest describes{kept_words}")
    if checked.changed:
        if state is not None:
            forget_old_demo(ctx, state, music)
        state = DemoState(str(music), plan.fingerprint, plan.n_tracks, plan.seed, plan.seconds)
    elif checked.reopened:
        notes.append(_reopened_note(music, model is None) + kept_words)
    elif checked.lost:
        state.stages = {k: v for k, v in state.stages.items() if k == "generate"}
        notes.append(f"the library at {ctx.data_dir} holds none of the demo's tracks (its "
                     "database moved or replaced?): scanning, embedding and training again")
    if repaired:
        _keep_graph_model(state, model)
    if checked.changed or checked.recovered or checked.reopened or checked.lost:
        write_state(ctx.data_dir, state)
    return _Build(ctx, state, plan, music, **options, notes=notes, kept_model=model)


def _current_graph_model(ctx: "AppContext") -> int | None:
    """The graph model the library uses (None: none yet, or no library yet — not made by
    asking)."""
    from musicsage.usecases.training import current_model_id

    return current_model_id(ctx) if ctx.db_path.is_file() else None


def _keep_graph_model(state: "DemoState", model: int | None) -> None:
    """Reopen a repaired demo's stages: generate, scan and embed run again (each only does
    what is missing: files gone, tracks without vectors). The later ones run again only when
    the library has no current graph model — a repair trained a new model and made it
    current, replacing the one the user had chosen (``models --use``); the maps are drawn
    again when the embed stage changed vectors (:func:`_embed`)."""
    later = {} if model is None else {
        name: {**state.stages.get(name, {}), "kept_model": model} for name in _AFTER_EMBED}
    state.stages.clear()
    state.stages.update(later)


def _reopened_note(music: Path, retrain: bool) -> str:
    """The line that says how much of a finished demo's music is gone or cut short, and what
    is done."""
    from musicsage.demo.guards import missing_words

    found, count = missing_words(music)
    it = "it" if count <= 1 else "them"
    if retrain:
        return f"{found}: rendering {it} again, then scanning, embedding and training anew"
    return f"{found}: rendering {it} again and scanning"


def _run_stage(build: _Build, rep: "DemoReport", name: str, index: int, progress,
               cancel) -> None:
    """Run one stage and record it (in the state file and the report), or its skip reason."""
    from musicsage.demo.state import STAGES, write_state
    from musicsage.progress import check_cancel, report

    check_cancel(cancel)
    t0 = time.perf_counter()
    forward = _demo_progress(progress, name, index, len(STAGES))
    report(forward, name, 0, None)
    details = _STAGES[name](build, forward, cancel)
    if "skipped" in details:
        rep.skipped[name] = details["skipped"]
        return
    details["seconds"] = round(time.perf_counter() - t0, 2)
    build.state.stages[name] = details
    write_state(build.ctx.data_dir, build.state)
    rep.stages[name] = details


def _demo_progress(progress, name: str, index: int, count: int):
    """Forward an inner use case's progress as demo stage ``name`` (see the module doc); the
    message reads "<what> (i/6): <inner message>" so a status line alone says it all."""
    if progress is None:
        return None
    from musicsage.progress import Progress, is_wait

    label = f"{DEMO_STAGE_LABELS[name]} ({index + 1}/{count})"

    def forward(p: Progress) -> None:
        extra = {**p.extra, "inner_stage": p.stage, "demo_index": index, "demo_stages": count,
                 "demo_label": DEMO_STAGE_LABELS[name]}
        # a wait for another build of the demo is no stage of this one: no "(1/6)" label
        message = p.message if is_wait(p) else f"{label}: {p.message}" if p.message else label
        progress(Progress(name, p.done, p.total, message, extra))

    return forward


def _generate(build: _Build, progress, cancel) -> dict:
    from musicsage.demo.aside import kept_notes
    from musicsage.demo.library import generate_demo

    plan = build.plan
    r = generate_demo(build.music, n_tracks=plan.n_tracks, seed=plan.seed, seconds=plan.seconds,
                      workers=build.workers, progress=progress, cancel=cancel,
                      library=build.ctx.data_dir)
    build.notes.extend(kept_notes(build.music, r.kept, plan))  # moved aside, not deleted
    return {"tracks": r.tracks, "playlists": r.playlists, "rendered": r.rendered}


def _scan(build: _Build, progress, cancel) -> dict:
    from musicsage.demo.library import PLAYLIST_DIR
    from musicsage.usecases import pipeline

    r = pipeline.scan(build.ctx, [str(build.music)], [str(build.music / PLAYLIST_DIR)],
                      progress=progress, cancel=cancel)
    return {"added": r.added, "errors": len(r.errors), "playlists": len(r.playlists),
            "unresolved": sum(len(p.unresolved) for p in r.playlists)}


def _embed(build: _Build, progress, cancel) -> dict:
    from musicsage.usecases import pipeline
    from musicsage.usecases.embedding import default_audio_model

    model = build.audio_model or default_audio_model(build.ctx)
    r = pipeline.embed(build.ctx, model, max_seconds=DEMO_EMBED_MAX_SECONDS,
                       torch_threads=DEMO_TORCH_THREADS, progress=progress, cancel=cancel)
    if r.embedded and build.kept_model is not None:  # a repair changed vectors: new maps
        for name in ("audio_map", "map"):
            build.state.stages.pop(name, None)
    return {"model_id": r.model_id, "model_version": r.model_version, "embedded": r.embedded,
            "failed": r.failed, "reason": r.reason}


def _audio_map(build: _Build, progress, cancel) -> dict:
    from musicsage.usecases.search import map_points

    map_points(build.ctx, "audio", progress=progress, cancel=cancel)  # no audio map: an error
    return {"spaces": ["audio"]}


def _train(build: _Build, progress, cancel) -> dict:
    from musicsage.usecases import pipeline

    audio_model = build.state.stages.get("embed", {}).get("model_id")
    r = pipeline.train(build.ctx, audio_model=audio_model, max_steps=build.train_steps,
                       torch_threads=DEMO_TORCH_THREADS, progress=progress, cancel=cancel)
    done = {"model_id": r.model_id, "steps": r.steps, "best_step": r.best_step,
            "two_hop_gamma": r.two_hop_gamma, "comember_weight": r.comember_weight,
            "metrics": r.metrics, "learned": None if r.learned else False}
    build.notes.extend(r.notes)  # a model that learned nothing (too few tracks) says so
    return {"audio_model": audio_model, "max_steps": build.train_steps,
            **{k: v for k, v in done.items() if v is not None}}


def _map(build: _Build, progress, cancel) -> dict:
    from musicsage.usecases import pipeline

    spaces, notes = pipeline.map_spaces(build.ctx, ["graph", "audio"], progress, cancel)
    if "graph" not in spaces and "train" not in build.state.stages:
        # the audio map is cached for the window; the stage stays open for the graph map
        return {"skipped": notes.get("graph", "no graph model yet")}
    if not spaces:
        return {"skipped": "; ".join(notes.values())}
    return {"spaces": spaces, **({"notes": notes} if notes else {})}


_AFTER_EMBED = ("audio_map", "train", "map")
"""The stages a repaired demo keeps while the library has a graph model (:func:`_prepare`)."""

_STAGES: dict[str, Callable[[_Build, object, object], dict]] = {
    "generate": _generate, "scan": _scan, "embed": _embed, "audio_map": _audio_map,
    "train": _train, "map": _map}
