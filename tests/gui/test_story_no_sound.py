"""A new user without a sound card: the refusal to play is said once a session, not at each
click (it replaced every other line at once), a warning waits for the one before it instead of
replacing it, and Play similar fills the queue without marking a track as playing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui_support import settle
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")

REASON = "playback disabled: no audio output device (Error querying device -1)"


@pytest.fixture
def soundless(qtbot, make_window, library, monkeypatch):
    """A window whose audio probe found no output device; warnings held 0.3 s, not 5 s."""
    monkeypatch.setattr("musicsage.gui.main_window.probe_output", lambda: REASON)
    monkeypatch.setattr("musicsage.gui.main_window.WARNING_READ_SECONDS", 0.3)
    w = make_window(library, probe_audio=True)
    settle(qtbot, w)
    qtbot.waitUntil(lambda: not w.player.available, timeout=10_000)
    now = [1000.0]
    w.app.selection.clock = lambda: now.__setitem__(0, now[0] + 10) or now[0]  # asks apart
    return w


def _refusals(w) -> list[str]:
    return [t for _level, t in w.app.notifications if t.startswith("Cannot play")]


def test_no_sound_is_said_once_then_only_when_play_is_pressed(qtbot, soundless):
    w = soundless
    ids = [t.id for t in list_tracks(w.app.ctx)]
    for tid in ids[:3]:  # clicks on tracks, each of which would play
        with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
            w.app.selection.select(tid)
    assert len(_refusals(w)) == 1
    qtbot.mouseClick(w.neighbours.play_similar_button, Qt.MouseButton.LeftButton)
    assert len(_refusals(w)) == 1
    w.player.play_refused.emit()  # Play (or Space) pressed: asked for, so said again
    assert len(_refusals(w)) == 2


def test_a_warning_waits_for_the_warning_before_it(qtbot, soundless):
    w = soundless
    bar = w.statusBar()
    w.app.notify("Left out of 'Mixed bag': 2 entries not in the library", "warning")
    w.app.notify("Cannot play 'Glass Engine': no audio output device found", "warning")
    w.app.notify("Scan finished: nothing changed")
    assert bar.currentMessage().startswith("Left out of 'Mixed bag'")
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("Cannot play"), timeout=30_000)
    qtbot.waitUntil(lambda: bar.currentMessage() == "Scan finished: nothing changed",
                    timeout=30_000)


def test_play_similar_without_sound_fills_the_queue_but_claims_nothing_plays(qtbot, soundless):
    w = soundless
    tid = list_tracks(w.app.ctx)[0].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    qtbot.mouseClick(w.neighbours.play_similar_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(w.app.queue.tracks) > 1, timeout=30_000)
    settle(qtbot, w)
    q = w.app.queue
    assert q.tracks[0] == tid
    assert not q.active and q.marked == 0  # its row marked ›, the current-but-silent mark
    assert _refusals(w), "the refusal is said (once)"
