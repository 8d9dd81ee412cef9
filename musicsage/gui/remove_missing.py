"""File › Remove missing tracks…, beside Remove music folder (widgets only).

On only while the library shown has missing tracks (its snapshot's count) and Remove music
folder is on — that action's state already says whether the library can be written now (read,
writable, no run that a removal would upset) — and asked first: the tracks' audio analysis
leaves with them. Its tooltip counts what it would remove, and its question waits for a check
of the files, both read off the window's thread (:func:`~musicsage.controllers.missing.
check_missing`). The work, and what Yes may remove, is the controller's
(:func:`musicsage.controllers.missing.ask_then_remove_missing`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from musicsage.controllers.missing import (CHECKING, ask_then_remove_missing, check_missing,
                                         kept_on_drives, kept_phrase, missing_tracks,
                                         removable_note)
from musicsage.text import counted, sentence

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow
    from musicsage.library.missing_report import MissingReport

TIP = ("Remove the tracks whose files are gone from the library; playlists and files are not "
       "changed")
NONE_TIP = "No track of the library is missing its file"


def add_remove_missing(w: "MainWindow", menu: QMenu, folders: QAction) -> QAction:
    """Append the action to ``menu`` (File, after Remove music folder, whose menu action is
    ``folders``) and keep it enabled as its library and ``folders`` allow."""
    act = menu.addAction("Remove missing tracks…")
    act.setObjectName("remove_missing")
    act.triggered.connect(lambda _checked=False: ask_remove_missing(w))
    counts: dict[str, str] = {}  # what a check of the snapshot shown found to remove
    check: dict = {}  # the tooltip's check running ("task"), and "again": a newer snapshot

    def follow() -> None:
        n = missing_tracks(w.app.library)
        act.setEnabled(folders.isEnabled() and n > 0)
        note = counts.get("note", f"{CHECKING.lower()}…")
        tip = f"{TIP} ({note})" if n else NONE_TIP
        act.setToolTip(tip if folders.isEnabled() else folders.toolTip())
        act.setStatusTip(act.toolTip())

    def counted_now(plan: "MissingReport") -> None:
        if not check.get("again"):  # else of a snapshot since replaced: checked again
            counts["note"] = removable_note(plan)
            follow()

    def ended(task) -> None:
        if check.get("task") is task:
            del check["task"]
            if check.pop("again", False):
                loaded()

    def loaded() -> None:
        """A new snapshot: its count of missing tracks includes those the action keeps, so
        the tooltip's count waits for a check of the files, off the window's thread. One
        check at a time, run again once at its end for the snapshots loaded meanwhile: one a
        load (each reload of the folder watch), and a superseded one read on (a look at a
        file cannot be interrupted), so on a slow drive they filled the worker lane."""
        counts.clear()
        if "task" in check:
            check["again"] = True
        elif missing_tracks(w.app.library):
            task = check["task"] = check_missing(w.app.library, counted_now)
            task.on_finished(lambda: ended(task))
        follow()

    folders.changed.connect(follow)
    w.app.library.loaded.connect(lambda _snap: loaded())
    loaded()
    return act


def ask_remove_missing(w: "MainWindow") -> None:
    """Asked first, once the files are checked off the window's thread (the status line says
    so meanwhile), naming the count of tracks it removes (an unplugged drive's, and those
    whose files are back, are kept: said in the question, or instead of it when they are all
    there is). What Yes removes, and of which library, the controller decides
    (:func:`~musicsage.controllers.missing.ask_then_remove_missing`)."""
    ask_then_remove_missing(w.app.library,
                            lambda plan: w.confirm("Remove missing tracks", _question(plan)))


def _question(plan: "MissingReport") -> str:
    """The question, also when only tracks found moved to their copies would change: a drive
    mounted inside a music folder and unplugged looks like files moved to a laptop copy, and
    moving them makes the drive's files new tracks once it is back."""
    n, kept = plan.tracks, kept_on_drives(plan)
    them = "it" if n == 1 else "them"
    text = (f"Remove the {counted(n, 'missing track')} from the library?\n\n"
            f"{'Its file is' if n == 1 else 'Their files are'} already gone; the audio analysis "
            f"leaves with {them}. Playlists that list {them} are not changed, and no file is "
            "deleted.") if n else _move_question(plan.moved)
    if plan.moved and n:
        text += f" {plan.moved_note()}; {_if_unplugged(plan.moved)}."
    if kept:
        text += f" {kept_phrase(kept)}."
    if plan.back:  # files back since the last scan (a drive plugged in again): not removed
        text += f" {plan.back_note(' and kept')}."
    return text


def _if_unplugged(n: int) -> str:
    """Why moving the ``n`` missing tracks found moved to their copies is asked: the copies may
    be a laptop's, the files on a drive only unplugged (back, they would be new tracks)."""
    return (f"if {'its' if n == 1 else 'their'} drive is only unplugged, cancel, plug it in and "
            "scan again")


def _move_question(n: int) -> str:
    """The question when the ``n`` missing tracks found moved to their copies are all that
    would change."""
    return (f"Move the {counted(n, 'missing track')} to {'its copy' if n == 1 else 'their copies'}"
            f" in the library?\n\n{'It keeps its' if n == 1 else 'They keep their'} playlist "
            f"places and audio analysis. {sentence(_if_unplugged(n))}.")
