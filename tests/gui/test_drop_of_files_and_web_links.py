"""Web links dragged from a browser onto the window.

- Among local files, the files were added and the links dropped without a word (the window
  took only the drop's local files). The files are still added, and the drop's line (and the
  scan's summary after it) says how many links were left out and why, once, the first named.
- Alone, they were refused by the drag itself: the cursor said no, and nothing said why. The
  drop is taken and the same line says why nothing was added; nothing is scanned.
"""

from __future__ import annotations

import numpy as np
import soundfile as sf
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from gui_support import settle

LINKS = ["https://example.com/music/song.mp3", "http://radio.example.org/stream?id=7"]
SAID = ("2 web links were not added (musicsage plays files on this computer: save them "
        "first): https://example.com/music/song.mp3 and 1 more")


def _mime(paths, links) -> QMimeData:
    """What a file manager and a browser put on a drag: ``text/uri-list``."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths] + [QUrl(u) for u in links])
    return data


def _drag_and_drop(w, data: QMimeData) -> tuple[bool, bool]:
    """The drag entering the window, then the drop, sent through Qt as a drag delivers them:
    whether the window took each (plain bools: a failed assert's repr of the event crashed)."""
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, enter)
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, drop)
    return enter.isAccepted(), drop.isAccepted()


def _wav(path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(8000) / 16000
    sf.write(str(path), (0.2 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), 16000)


def test_a_drop_of_a_file_and_web_links_adds_the_file_and_counts_the_links(
        qtbot, make_window, library, tmp_path):
    w = make_window(library)
    settle(qtbot, w)
    before = w.app.library.snapshot.stats.tracks.present
    song = tmp_path / "downloads" / "new song.wav"
    _wav(song)
    w.app.notifications.clear()

    entered, dropped = _drag_and_drop(w, _mime([song], LINKS))

    assert entered and dropped
    assert w.app.notifications[0] == ("warning", SAID)
    qtbot.waitUntil(lambda: any(t.startswith("Scan finished") for _l, t in w.app.notifications))
    settle(qtbot, w)
    assert w.app.library.snapshot.stats.tracks.present == before + 1
    summary = next(t for _l, t in w.app.notifications if t.startswith("Scan finished"))
    assert summary.startswith("Scan finished: 1 new")
    assert summary.endswith("; " + SAID)
    assert sum(t.count("web link") for _l, t in w.app.notifications) == 2, \
        "said with the drop, and with the scan's summary: not once a link"
    w.grab().save(str(tmp_path / "mixed_drop.png"))


def test_a_drop_of_web_links_alone_says_why_nothing_was_added(qtbot, make_window, library,
                                                              tmp_path, monkeypatch):
    w = make_window(library)
    settle(qtbot, w)
    scans = []
    monkeypatch.setattr(w.app.library, "scan", lambda *a, **k: scans.append(a))
    w.app.notifications.clear()

    entered, dropped = _drag_and_drop(w, _mime([], LINKS[:1]))

    assert entered, "the drag was refused: nothing said why"
    assert not dropped and not scans
    assert w.app.notifications == [("warning", (
        "1 web link was not added (musicsage plays files on this computer: save it first): "
        "https://example.com/music/song.mp3"))]
    w.grab().save(str(tmp_path / "links_drop.png"))
