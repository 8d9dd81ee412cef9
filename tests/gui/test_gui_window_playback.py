"""Playback from the window: click plays, lists play, Space pauses, seek is exact; no PortAudio."""

from __future__ import annotations


import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt

from gui_support import settle
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def test_select_plays_and_neighbour_list_plays(qtbot, make_window, library, realtime_streams):
    w = make_window(library, stream_factory=realtime_streams)
    assert w.player.available
    tracks = list_tracks(library)
    first = tracks[2]
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(first.id)  # "click a track: it plays"
    qtbot.waitUntil(lambda: w.player.engine.position > 2048, timeout=10_000)
    assert w.player.engine.path == first.path
    stream = realtime_streams.made[-1]
    ref, sr = sf.read(first.path, dtype="float32", always_2d=True)
    got = stream.samples
    n = min(len(got), 2048)
    np.testing.assert_allclose(got[:n], ref[:n] * w.player.engine.volume, atol=1e-4)

    # Space pauses (a window shortcut), then seek lands exactly where asked
    w.activateWindow()
    w.neighbours.audio_list.setFocus()
    qtbot.keyClick(w.neighbours.audio_list, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.player.engine.state == "paused", timeout=30_000)
    w.player.seek_seconds(0.5)
    assert w.player.engine.position == round(0.5 * sr)

    # Enter on a neighbour row plays that neighbour
    lst = w.neighbours.audio_list
    lst.setCurrentItem(lst.topLevelItem(1))
    neighbour_id = int(lst.topLevelItem(1).data(0, Qt.ItemDataRole.UserRole))
    qtbot.keyClick(lst, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.player.track_id == neighbour_id and w.player.engine.state == "playing",
                    timeout=5000)
    assert w.player.engine.path == w.app.library.snapshot.by_id[neighbour_id].path


def test_without_portaudio_the_rest_works(qtbot, make_window, library, no_portaudio):
    w = make_window(library, probe_audio=True)
    settle(qtbot, w)
    assert not w.player.available
    assert not w.player.play_button.isEnabled()
    assert "PortAudio" in w.player.toolTip()
    assert any("PortAudio" in text for _level, text in w.app.notifications)
    assert not any(level == "error" for level, _t in w.app.notifications)
    tid = list_tracks(library)[0].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid)
    assert w.neighbours.audio_list.topLevelItemCount() > 0
    assert w.player.engine.state == "empty"


def test_without_an_audio_device_a_play_says_why(qtbot, make_window, library, monkeypatch):
    """Enter on a neighbour row did nothing at all once the startup warning had gone: it
    says on the status line why nothing plays, and the player bar stays "unavailable"."""
    reason = "playback disabled: no audio output device (Error querying device -1)"
    monkeypatch.setattr("musicsage.gui.main_window.probe_output", lambda: reason)
    w = make_window(library, probe_audio=True)
    settle(qtbot, w)
    qtbot.waitUntil(lambda: not w.player.available, timeout=10_000)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(list_tracks(library)[0].id, play=False)
    w.statusBar().clearMessage()  # the startup warning is long gone by now
    lst = w.neighbours.audio_list
    lst.setCurrentItem(lst.topLevelItem(0))
    qtbot.keyClick(lst, Qt.Key.Key_Return)
    assert w.statusBar().currentMessage() == (  # no track named: none can play
        "Cannot play tracks: no audio output device found "
        "(connect one, then restart musicsage)")
    assert w.player.title_label.text() == "Playback unavailable"
    assert w.player.engine.state == "empty"


def test_without_an_audio_device_the_first_line_says_so_plainly(qtbot, make_window, library,
                                                                monkeypatch):
    """The window's first status line ended in "(Error querying device -1)", PortAudio's
    words: it says plainly what is wrong and what to do; those words stay in the tooltips
    (the status line's, the player bar's) for whoever needs them."""
    reason = "playback disabled: no audio output device found (Error querying device -1)"
    monkeypatch.setattr("musicsage.gui.main_window.probe_output", lambda: reason)
    w = make_window(library, probe_audio=True)
    qtbot.waitUntil(lambda: not w.player.available, timeout=10_000)
    bar = w.statusBar()
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("Playback disabled"), timeout=10_000)
    assert bar.currentMessage() == ("Playback disabled: no audio output device found "
                                    "(connect one, then restart musicsage)")
    assert "Error querying device -1" in bar.toolTip()
    assert "Error querying device -1" in w.player.toolTip()
