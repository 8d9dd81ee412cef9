"""The Queue tab's radio mode ("Stay close to the seed" / "Drift from track to track") only
where it means something: after "Play in order" of a map region (a fixed list, never refilled)
the choice was still shown, as if it changed what plays next. It is hidden there, and shown
again when "Play similar" starts a radio (and on an empty queue: the next radio's choice)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui_support import settle

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def _play_in_order(qtbot, w) -> list[int]:
    """Select the whole map as a region and press the region bar's "Play in order"."""
    settle(qtbot, w)
    region = w.app.map_tools.select_rect(-1e9, -1e9, 1e9, 1e9)
    assert len(region) > 1
    qtbot.waitUntil(w.map_tools.play_button.isVisible)
    qtbot.mouseClick(w.map_tools.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.app.queue.tracks == region)
    return region


def _play_similar(qtbot, w) -> None:
    """Select a track and press "Play similar" under its neighbours."""
    tid = w.app.library.snapshot.tracks[0].id
    w.app.selection.select(tid, play=False)
    button = w.neighbours.play_similar_button
    qtbot.waitUntil(button.isEnabled, timeout=30_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.app.queue.radio and w.app.queue.seed == tid)


def test_play_in_order_hides_the_radio_mode_and_play_similar_shows_it(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    mode = w.queue.mode
    w.right.setCurrentWidget(w.queue)
    qtbot.wait(50)
    assert mode.isVisible()  # an empty queue: the mode the next radio starts with

    _play_in_order(qtbot, w)
    assert w.right.currentWidget() is w.queue and w.queue.list.isVisible()
    assert not mode.isVisible()  # a fixed list never refills: nothing to choose

    _play_similar(qtbot, w)
    w.right.setCurrentWidget(w.queue)
    qtbot.wait(50)
    assert mode.isVisible() and mode.isEnabled()
    qtbot.mouseClick(w.queue.clear_button, Qt.MouseButton.LeftButton)
    assert mode.isVisible()  # cleared: chosen for the next radio

    _play_in_order(qtbot, w)  # and hidden again when a region replaces a radio
    assert not mode.isVisible()
    settle(qtbot, w)


def test_a_queue_shown_without_the_controller_keeps_the_mode(qtbot):
    """Shown without the controller's word (``mode_applies``), the choice stays; with it
    false (a fixed list), it is hidden."""
    from musicsage.gui.queue_panel import QueuePanel

    panel = QueuePanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_queue(["A — B", "C — D"], 0, "Radio", "", "drift")
    assert panel.mode.isVisible() and panel.mode.currentData() == "drift"
    panel.show_queue(["A — B", "C — D"], 0, "Region", "", "drift", mode_applies=False)
    assert not panel.mode.isVisible()
