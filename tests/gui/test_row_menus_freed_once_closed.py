"""A row's menu (a track list's, the playlists', the play queue's) is made anew each time it
opens: each one was kept, parented to its list, after it closed, with the access letters'
helper it now has, so a session of right-clicks grew the window by a menu each. Closed, the
menu is freed."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_list import PlaylistList
from musicsage.gui.playlist_panel import PlaylistPanel
from musicsage.gui.queue_panel import QueuePanel

OPENINGS = 5


def _right_click(target: QWidget, pos: QPoint) -> None:
    """A right-click at ``pos`` in ``target``; the menu that opens is closed again."""
    closer = QTimer()
    closer.setInterval(20)

    def close_menu() -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu):
            popup.close()

    closer.timeout.connect(close_menu)
    closer.start()
    try:
        QApplication.sendEvent(target, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                         target.mapToGlobal(pos)))
    finally:
        closer.stop()


def _menus_after_right_clicks(qtbot, owner: QWidget, viewport: QWidget, pos: QPoint) -> int:
    before = len(owner.findChildren(QMenu))
    for _ in range(OPENINGS):
        _right_click(viewport, pos)
    qtbot.wait(50)  # the freed menus go as the event loop runs
    return len(owner.findChildren(QMenu)) - before


def test_a_track_lists_row_menu_is_freed_once_closed(qtbot):
    rows = tuple(PlaylistRow(10 + i, i + 1, f"Song {i}", "Band", f"/music/{i}.flac", 185.0, "")
                 for i in range(3))
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.show_tracks(PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", rows, 0, ""))
    panel.show()
    qtbot.waitExposed(panel)
    tracks = panel.list
    pos = tracks.visualItemRect(tracks.topLevelItem(1)).center()
    assert _menus_after_right_clicks(qtbot, tracks, tracks.viewport(), pos) == 0


def test_the_playlists_row_menu_is_freed_once_closed(qtbot):
    box = PlaylistList()
    qtbot.addWidget(box)
    box.show_playlists([(1, "Jazz", 4), (2, "Folk", 2)])
    box.show()
    qtbot.waitExposed(box)
    pos = box.list.visualItemRect(box.list.item(0)).center()
    assert _menus_after_right_clicks(qtbot, box.list, box.list.viewport(), pos) == 0


def test_the_queues_row_menu_is_freed_once_closed(qtbot):
    panel = QueuePanel()
    qtbot.addWidget(panel)
    panel.show_queue(["Song A — Band", "Song B — Band", "Song C — Band"], 0, "Radio", "",
                     "close")
    panel.show()
    qtbot.waitExposed(panel)
    queue = panel.list
    pos = queue.visualRect(queue.model().index(1, 0)).center()
    assert _menus_after_right_clicks(qtbot, queue, queue.viewport(), pos) == 0
