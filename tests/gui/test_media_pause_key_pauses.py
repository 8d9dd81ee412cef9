"""A headset's or a remote's Pause key (XF86AudioPause, Qt's Key_MediaPause) pauses the
track, wherever the focus is in the window: the window knew the play/pause key and Play but
not Pause, which did nothing. A second press leaves it paused (it is no toggle); Help ▸
Keyboard shortcuts lists it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.gui.shortcuts_dialog import shortcut_rows
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py)."""


def test_the_media_pause_key_pauses_and_only_pauses(qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.app.selection.select(list_tracks(library)[3].id, play=True)
    qtbot.waitUntil(lambda: w.player.engine.state == "playing")
    rows = w.neighbours.audio_list  # the focus anywhere: a list here
    rows.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is rows)
    for _press in range(2):
        qtbot.keyClick(rows, Qt.Key.Key_MediaPause)
        assert w.player.engine.state == "paused"
    keys = [(keys, what) for _group, rows_ in shortcut_rows(w) for keys, what in rows_]
    assert ("Media Pause", "Pause") in keys
