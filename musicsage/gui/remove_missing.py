"""File › Remove missing tracks…, beside Remove music folder (widgets only).

On only while the library shown has missing tracks (its snapshot's count) and Remove music
folder is on — that action's state already says whether the library can be written now (read,
writable, no run that a removal would upset) — and asked first: the tracks' audio analysis
leaves with them. The work is :func:`musicsage.controllers.missing.remove_missing`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from musicsage.controllers.missing import REMEDY, missing_tracks, planned, remove_missing
from musicsage.text import counted, sentence

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow

TIP = ("Remove the tracks whose files are gone from the library; playlists and files are not "
       "changed")
NONE_TIP = "No track of the library is missing its file"


def add_remove_missing(w: "MainWindow", menu: QMenu, folders: QAction) -> QAction:
    """Append the action to ``menu`` (File, after Remove music folder, whose menu action is
    ``folders``) and keep it enabled as its library and ``folders`` allow."""
    act = menu.addAction("Remove missing tracks…")
    act.setObjectName("remove_missing")
    act.triggered.connect(lambda _checked=False: ask_remove_missing(w))

    def follow() -> None:
        n = missing_tracks(w.app.library)
        act.setEnabled(folders.isEnabled() and n > 0)
        tip = f"{TIP} ({counted(n, 'missing track')})" if n else NONE_TIP
        act.setToolTip(tip if folders.isEnabled() else folders.toolTip())
        act.setStatusTip(act.toolTip())

    folders.changed.connect(follow)
    w.app.library.loaded.connect(lambda _snap: follow())
    follow()
    return act


def ask_remove_missing(w: "MainWindow") -> None:
    """Asked first, naming the count of tracks it removes (an unplugged drive's, and those
    whose files are back, are kept: said in the question, or instead of it when they are all
    there is)."""
    plan = planned(w.app.library)
    if not plan.tracks:
        w.app.notify(sentence(plan.summary(REMEDY)))
        return
    n, kept = plan.tracks, sum(k for _folder, k in plan.kept)
    them = "it" if n == 1 else "them"
    text = (f"Remove the {counted(n, 'missing track')} from the library?\n\n"
            f"{'Its file is' if n == 1 else 'Their files are'} already gone; the audio analysis "
            f"leaves with {them}. Playlists that list {them} are not changed, and no file is "
            "deleted.")
    if kept:
        text += (f" {counted(kept, 'missing track')} of a music folder that is itself gone (a "
                 f"drive unplugged?) {'is' if kept == 1 else 'are'} kept.")
    if plan.back:  # files back since the last scan (a drive plugged in again): not removed
        text += f" {plan.back_note(' and kept')}."
    if w.confirm("Remove missing tracks", text):
        remove_missing(w.app.library)
