"""Web links dragged from a browser onto the Queue tab (a guard: it holds before and after
the Queue tab's "Play next").

A drop onto the window says how many web links it left out and why (:mod:`musicsage.
controllers.drops`). The queue's rows take drops too (a row dragged to another place), and
their drop handler moves the chosen row wherever anything is let go: were a browser's drag
ever taken there, its links would move a queued track and say nothing. The rows refuse a drag
they did not start, so Qt hands it to the window: the same one line, nothing scanned, no row
moved; and the same on the empty tab. The drag is sent as Qt delivers one (to the window,
which finds the widget under the pointer), its moves taken as a drag's last step was.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from gui_support import settle

from musicsage.gui.explore_wiring import show_tab

LINKS = ["https://example.com/music/song.mp3", "http://radio.example.org/stream?id=7"]
SAID = ("2 web links were not added (musicsage plays files on this computer: save them "
        "first): https://example.com/music/song.mp3 and 1 more")


def _drop_on(w, widget, links, *, entering=None) -> bool:
    """Drag ``links`` over ``widget`` (into the window over ``entering``, if given) and let
    go, delivered as a drag is: to the window, which finds the widget under the pointer
    (whether the drop was taken, as a plain bool)."""
    data = QMimeData()
    data.setUrls([QUrl(u) for u in links])
    at = QPointF(widget.mapTo(w, widget.rect().center()))
    first = (QPointF(entering.mapTo(w, entering.rect().center())) if entering is not None
             else at)
    args = (Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    window = w.windowHandle()
    QApplication.sendEvent(window, QDragEnterEvent(first.toPoint(), *args))
    for step in (first, at):
        move = QDragMoveEvent(step.toPoint(), *args)
        move.setAccepted(True)  # as Qt sends a move once the drag's last step was taken
        QApplication.sendEvent(window, move)
    drop = QDropEvent(at, *args)
    QApplication.sendEvent(window, drop)
    return drop.isAccepted()


def test_web_links_dropped_on_the_queues_rows_say_why_they_were_not_added(
        qtbot, make_window, library, monkeypatch):
    w = make_window(library)
    settle(qtbot, w)
    ids = [t.id for t in w.app.library.snapshot.tracks[:4]]
    w.app.queue.play_list(ids, "Playlist: Mix (4 tracks)")
    show_tab(w, "queue")
    qtbot.waitUntil(lambda: w.queue.list.isVisible())
    w.queue.list.setCurrentRow(0)
    scans = []
    monkeypatch.setattr(w.app.library, "scan", lambda *a, **k: scans.append(a))
    w.app.notifications.clear()

    _drop_on(w, w.queue.list.viewport(), LINKS, entering=w.map)

    assert w.app.notifications == [("warning", SAID)]
    assert w.app.queue.tracks == ids, "the queue as it was: no row moved"
    assert w.queue.heading.text() == "Playlist: Mix (4 tracks)"
    assert not scans


def test_web_links_dropped_on_the_empty_queue_tab_say_why_too(qtbot, make_window, library):
    w = make_window(library)
    settle(qtbot, w)
    show_tab(w, "queue")
    qtbot.waitUntil(lambda: w.queue.empty.isVisible())
    w.app.notifications.clear()

    _drop_on(w, w.queue.empty, LINKS)

    assert w.app.notifications == [("warning", SAID)]
    assert w.app.queue.tracks == []
