"""A status line longer than the room it has keeps both its ends (task s73 window). The bar
cut it at its right edge, mid-word and without a mark: in a 1024-px window while a task's
label, progress and Cancel take the bar's right, "… so the map leaves them out: Analyse ▸
Compute embeddings" lost its advice, and (in an 800-px window too) a line of the library left
behind lost its "(library …, not the one shown)", and read as one about the library shown. Now its
middle gives way, marked "…"; the bar's message and its tooltip stay whole."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QSizeGrip

from gui_support import settle

pytestmark = pytest.mark.usefixtures("shared_helper")

SCAN = "Scan finished: 1 unreadable (music: cannot list folder: Permission denied)"


def _lacking() -> str:
    """The line of a library opened with tracks still lacking an audio embedding."""
    from musicsage.controllers.summaries import lacking_note

    stats = SimpleNamespace(tracks=SimpleNamespace(needs_analysis=91),
                            errors_by_stage={"embed:musicnn": 3})
    return lacking_note(SimpleNamespace(audio_model="musicnn", stats=stats))


def _room(w) -> int:
    """The width Qt gives the bar's message: from 6 px in to 2 px short of the first
    permanent widget shown (else the size grip, else 12 px short of the right)."""
    bar, line = w.statusBar(), w.status_line
    grip = bar.findChild(QSizeGrip)
    right = grip.x() if grip is not None and grip.isVisible() else bar.width() - 12
    shown = [x.x() - 2 for x in (line.task, line.progress, line.cancel) if x.isVisible()]
    return min(shown[:1] + [right]) - 6


def _shown(bar) -> str:
    """The text the bar draws (a plain QStatusBar draws its whole message, cut at its room)."""
    shown = getattr(bar, "shown_message", None)
    return shown() if shown is not None else bar.currentMessage()


def _message_image(bar, room: int) -> QImage:
    """The bar's message's room as drawn."""
    return bar.grab().toImage().copy(QRect(6, 0, room, bar.height()))


@pytest.mark.parametrize("which, size, task", [
    ("lacking", (1024, 640), True), ("library left", (800, 600), False),
    ("library left", (1024, 640), True)],
    ids=["advice-1024-task", "library-800", "library-1024-task"])
def test_a_long_status_line_keeps_its_end_in_view(qtbot, make_window, library, tmp_path,
                                                   which, size, task):
    from musicsage.context import AppContext

    w = make_window(library)
    w.resize(*size)
    settle(qtbot, w)
    bar, line = w.statusBar(), w.status_line
    if task:  # what a running task shows on the bar's right
        line.task.setText("Listening to the tracks (47 of 91, a file.flac)")
        for widget in (line.task, line.progress, line.cancel):
            widget.show()
    left = AppContext.create(tmp_path / "home" / "someone" / ".local" / "share" / "musicsage")
    text = _lacking() if which == "lacking" else SCAN + w.app.library.elsewhere(left)
    end = "Analyse ▸ Compute embeddings" if which == "lacking" else "not the one shown)"
    assert text.endswith(end)
    w.app.notify(text, "warning")
    qtbot.waitUntil(lambda: bar.currentMessage() == text, timeout=10_000)
    qtbot.wait(50)  # laid out
    room, width = _room(w), bar.fontMetrics().horizontalAdvance
    assert width(text) > room, "the line is longer than its room here"
    shown = _shown(bar)
    assert width(shown) <= room, ("cut at the bar's edge", shown, room)
    assert shown.endswith(end) and shown.startswith(text[:12]) and "…" in shown, shown
    assert bar.currentMessage() == text and bar.toolTip() == text, "whole for the hover"
    # what is drawn, not only what the bar says it draws: its message's room as Qt draws the
    # elided line itself, which fits (the long one was drawn whole, cut at the room's end)
    drawn = _message_image(bar, room)
    bar.showMessage(shown)
    qtbot.waitUntil(lambda: bar.currentMessage() == shown, timeout=10_000)
    assert _message_image(bar, room) == drawn, "the bar draws the elided line"
    shots = os.environ.get("MUSICSAGE_TEST_SHOTS", str(tmp_path))  # to look at
    w.grab().save(os.path.join(shots, f"status_{which.replace(' ', '_')}_{size[0]}.png"))
