"""The words the demo's welcome card and status line say after a build stopped or was
paused: what stopped it, what is kept, and how opening the demo goes on (or why it will be
refused). Apart from :mod:`musicsage.controllers.demo`, which drives the build."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from musicsage.errors import MusicsageError

if TYPE_CHECKING:
    from musicsage.demo.state import DemoState

RETRY_ADVICE = "; try again"
"""Where a failure's own advice begins (:func:`musicsage.processes.exit_reason`'s words):
:func:`stopped_note` says how to try again instead."""


def stopped_note(message: str, state: "DemoState | None",
                 resume: str = "Open demo library", *, refused: str | None = None) -> str:
    """What the welcome card says after a build that started and failed: what stopped it, and
    the way on. The card went back to its first-launch state, and the status line's "the
    background process stopped unexpectedly (exit code -9)" did not say the finished stages
    are kept or that opening the demo again resumes (a cancelled build says so). ``state``:
    the demo's state file as the build left it. A build refused before it starts never gets
    here (:meth:`DemoController.open` checks first, :func:`refused_note`), so None is a build
    stopped before it recorded anything: opening starts it again. Recorded with no stage
    finished: the files the first stage rendered are kept, and opening resumes it.
    ``resume``: what opens the demo where the words are read (the card's button; for the
    status line, the menu's entry). The message's own advice ("…; try again, or close other
    programs") goes: the way on said here is how to try again, and the line gave two.
    ``state`` and ``refused``: what opening will go on from, or why it will refuse
    (:func:`recorded_for_open`)."""
    why = message.partition(RETRY_ADVICE)[0].rstrip(".")
    if refused:
        return f"The demo build stopped: {why}. {resume} cannot resume it: {refused}."
    if state is None:
        return f"The demo build stopped: {why}. {resume} starts it again."
    if not state.stages:
        return f"The demo build stopped: {why}. {resume} resumes it."
    return f"The demo build stopped: {why}. Its finished stages are kept: {resume} resumes it."


def paused_note(state: "DemoState | None", resume: str = "Open demo library", *,
                refused: str | None = None) -> str:
    """What the welcome card says after Cancel: that the build is paused, what is kept and
    how it goes on. The card went back to its first-launch state without a word, as if the
    minutes of work were thrown away (only the status line said "paused"). ``state``: what
    opening goes on from (:func:`recorded_for_open`: a state file that does not read is the
    one its music's manifest describes; None: nothing recorded yet), or ``refused``: why
    opening will refuse (a state file that does not read, and no manifest to resume from)."""
    if refused:
        return f"The demo build is paused, but {resume} cannot resume it: {refused}."
    if state is None:
        return f"The demo build was cancelled before it made anything: {resume} starts it."
    kept = "its finished stages are kept" if state.stages else "the music made so far is kept"
    return f"The demo build is paused: {kept}, and {resume} resumes it."


def recorded_for_open(data_dir: "os.PathLike[str] | str",
                      music_dir: "os.PathLike[str] | str | None") -> tuple["DemoState | None",
                                                                            str | None]:
    """What Open demo library will go on from, as the build reads it
    (:func:`~musicsage.demo.guards.recorded_state`): the recorded state (a state file that
    does not read: the one its music's manifest describes), None for nothing recorded; or,
    second, why it will refuse (such a file, and no manifest: a cancel in the first stage).
    A note said from the state file alone said "starts it again" or "resumes it" there."""
    from pathlib import Path

    from musicsage.demo.guards import asked_music_folder, recorded_state
    from musicsage.usecases.demo import DEMO_MUSIC_SUBDIR

    try:  # a `~nouser/m` folder is refused in one line (it raised RuntimeError here)
        music = (asked_music_folder(music_dir) if music_dir is not None
                 else Path(data_dir) / DEMO_MUSIC_SUBDIR)
        return recorded_state(Path(data_dir), music, asked=music_dir is not None)[0], None
    except MusicsageError as exc:
        # the window's words follow a build that made files: "nothing was created" is untrue
        return None, (str(exc).removesuffix(" (nothing was changed)")
                      .removesuffix(" (nothing was created)"))
