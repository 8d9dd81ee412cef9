"""The Queue tab on a small window: "Save as playlist…" was cut to "e as playlis" at 800x500
(its row of five buttons needed 410-480 px of the panel's ~350); it now goes on a row of its own
where the row does not fit, and stays beside the others where it does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from gui_support import window_with_the_dock_open

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def _shown_queue(qtbot, w) -> None:
    ids = [t.id for t in w.app.library.snapshot.tracks[:5]]
    w.app.queue.play_list(ids, "Region")  # buttons enabled: a queue to act on
    w.right.setCurrentWidget(w.queue)
    qtbot.wait(100)


def _on_screen(button, viewport) -> QRect:
    """``button``'s rectangle in the coordinates of the scroll area's viewport."""
    return QRect(button.mapTo(viewport, button.rect().topLeft()), button.size())


def test_at_800x500_save_as_playlist_fits_the_queue_panel(qtbot, make_window, library):
    w = window_with_the_dock_open(qtbot, make_window, library, (800, 500))
    _shown_queue(qtbot, w)
    panel, viewport = w.queue, w.right_scroll.viewport()
    buttons = (panel.up_button, panel.down_button, panel.remove_button, panel.clear_button,
               panel.save_button)
    for b in buttons:  # whole: as wide as its words, inside the panel's width
        assert b.isVisible() and b.width() >= b.sizeHint().width(), b.text()
        shown = _on_screen(b, viewport)
        assert 0 <= shown.left() and shown.right() <= viewport.rect().right(), b.text()
        assert panel.rect().contains(b.geometry()), b.text()
    # the panel scrolls on so low a window: scrolled to, the button is whole on screen
    w.right_scroll.ensureWidgetVisible(panel.save_button)
    qtbot.wait(50)
    assert viewport.rect().contains(_on_screen(panel.save_button, viewport))
    assert panel.save_button.isEnabled()


def test_on_a_roomy_window_the_buttons_keep_one_row(qtbot, make_window, library):
    """The second row only where the one row does not fit: on a wide window, Save as
    playlist… sits beside Clear (no height lost under the list)."""
    w = make_window(library)
    w.resize(1600, 900)
    qtbot.waitUntil(lambda: w.size().toTuple() == (1600, 900))
    _shown_queue(qtbot, w)
    panel = w.queue
    assert panel.width() >= panel.one_row_width()
    save, clear = panel.save_button, panel.clear_button
    assert save.geometry().top() == clear.geometry().top()
    assert save.geometry().left() > clear.geometry().right()
    w.resize(800, 500)  # and back to two rows when the window is made small
    qtbot.waitUntil(lambda: w.size().toTuple() == (800, 500))
    qtbot.wait(100)
    assert save.geometry().top() > clear.geometry().bottom()
    assert save.width() >= save.sizeHint().width()
