"""The ``demo`` command: build the synthesized demo library and say how to open it. Apart
from the graph model's commands (train, eval, models), which work on a library the user
has: the demo makes a library of its own from nothing, in stages, and ends with the command
that opens the window on it."""

from __future__ import annotations

import argparse
import sys

from musicsage.commands.output import print_json, progress_bars
from musicsage.commands.registry import handler, require_writable
from musicsage.context import AppContext, library_option
from musicsage.text import counted, printable


@handler("demo")
def _demo(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx = _demo_library(args, ctx)
    require_writable(ctx)
    try:
        rep = _build(args, ctx)
    except BaseException:
        _say_moved_aside(ctx)  # a stop or failure during the music: said nowhere else
        raise
    for note in rep.notes:
        print(f"note: {printable(note)}", file=sys.stderr)
    if args.json:
        print_json(rep.as_dict())
        return 0
    state = "reused (already built)" if rep.reused else ("ready" if rep.complete else "partly built")
    print(f"demo library {state}: {counted(rep.n_tracks, 'track')}, "
          f"{counted(rep.n_playlists, 'playlist')} in {rep.music_dir}")
    print(f"library: {rep.data_dir}")
    for name, details in rep.stages.items():
        shown = ", ".join(f"{k} {v}" for k, v in details.items()
                          if k not in _DEMO_DETAILS_UNSHOWN and not isinstance(v, (dict, list)))
        print(f"  {name:<9} {details['seconds']:7.1f} s  {shown}".rstrip())
    for name, why in rep.skipped.items():
        print(f"  {name:<9} skipped: {why}", file=sys.stderr)
    if rep.stages:
        print(f"  {'total':<9} {rep.total_seconds:7.1f} s")
    if rep.complete:
        print(f"open it: {_window_command(rep.data_dir)}")
    return 0


def _build(args: argparse.Namespace, ctx: AppContext):
    """:func:`~musicsage.usecases.demo.build_demo` as the command asked, with its bars, and
    a stop (Ctrl-C, SIGTERM) said with the way to resume."""
    from musicsage.commands.stopping import STOP_ERRORS, stop_requests
    from musicsage.usecases.demo import build_demo

    with progress_bars(not args.json) as bars, stop_requests() as stop:
        try:
            return build_demo(ctx, n_tracks=args.tracks, seed=args.seed, music_dir=args.dir,
                              seconds=args.seconds, until=args.until,
                              progress=_counted_stages_only(bars), cancel=stop.cancel)
        except STOP_ERRORS as exc:
            if not stop.ends(exc):
                raise
            again = f"`musicsage {library_option(getattr(args, 'data_dir', None))}demo`"
            raise stop.stopped("the demo is partly built (finished stages and rendered tracks "
                               f"are kept); run {again} again to resume") from None


def _say_moved_aside(ctx: AppContext) -> None:
    """The files at the demo's names a stopped build moved aside, on stderr: the line said
    with the music's end came never, for a build stopped while it rendered."""
    from musicsage.usecases.demo import moved_aside_notes

    for note in moved_aside_notes(ctx):
        print(f"note: {printable(note)}", file=sys.stderr)


def _demo_library(args: argparse.Namespace, ctx: AppContext) -> AppContext:
    """The library the demo is built into: ``--data-dir`` when given; else the demo's own
    (:func:`~musicsage.usecases.demo.demo_data_dir`, the one ``main.py --demo`` opens). Why:
    without ``--data-dir`` the demo was scanned into the user's own library — its 240
    tracks and 40 playlists among theirs, its folder one of their music folders, a graph
    model trained on both made current. A default data dir that already holds a demo (built
    there by an earlier version) keeps it: that build resumes or is reused where it is, and
    one line says that it is part of that library and how to build the demo's own (it went
    on there unsaid, mixed with the user's library)."""
    from musicsage.context import default_data_dir
    from musicsage.usecases.demo import builds_apart, demo_data_dir

    given = getattr(args, "data_dir", None)
    if builds_apart(given):
        return AppContext.create(demo_data_dir())
    if given is not None:
        return ctx
    # the folder named, not checked: demo_data_dir() refused the build here, in another
    # library, where that folder is a link to nowhere
    own = f"`musicsage {library_option(default_data_dir() / 'demo', always_named=True)}demo`"
    note = (f"the demo is built in the library at {ctx.data_dir}, where an earlier version "
            "built it: its tracks and playlists are part of that library; for the demo in "
            f"a library of its own (the one main.py --demo opens), run {own}")
    print(f"note: {printable(note)}", file=sys.stderr)
    return ctx


_DEMO_DETAILS_UNSHOWN = {"seconds", "model_version", "reason", "max_steps", "two_hop_gamma",
                         "comember_weight"}
"""A stage's details the text leaves to ``--json``: the analysis settings' string
("port1;MSD_musicnn;max_pool;excerpts=1x6.03s…"), why the audio model was chosen, the
training's internals — a new user's first run read them as noise."""


def _counted_stages_only(bars):
    """``bars`` for the stages that count something: each stage announces itself before
    its work is counted (the window's status line says it), and on stderr that drew
    "0it [00:00, ?it/s]" — for good, for the stages that count nothing (the maps)."""
    if bars is None:
        return None
    from musicsage.library.lock import WAIT_WORDS

    counted_stages: set[str] = set()

    def on_progress(p) -> None:
        if p.total is not None:
            counted_stages.add(p.stage)
        if p.stage in counted_stages or WAIT_WORDS in (p.message or ""):
            bars(p)  # a wait for another build is said, counted or not

    return on_progress


def _window_command(data_dir) -> str:
    """The command that opens the window on ``data_dir``, from any folder: this Python with
    the checkout's ``main.py`` by its absolute path ("python main.py" worked only in the
    checkout, and only with the venv active), else ``-m musicsage`` (an installed package,
    whose ``musicsage`` with no command opens the window too). A checkout is known by its
    ``pyproject.toml`` beside ``main.py``: installed, the folder above the package is
    site-packages, where another project's ``main.py`` may lie."""
    import shlex
    from pathlib import Path

    import musicsage

    root = Path(musicsage.__file__).resolve().parent.parent
    main_py = root / "main.py"
    checkout = main_py.is_file() and (root / "pyproject.toml").is_file()
    start = [str(main_py)] if checkout else ["-m", "musicsage"]
    return shlex.join([sys.executable, *start, "--data-dir", str(data_dir)])
