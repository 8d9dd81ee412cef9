"""Enter pressed within the typing delay waits for the answer to the words typed, to pick its
first row. When that search failed, no answer came and the Enter kept waiting: the next
library read asked the search again, and its answer picked the first track — the selection
moved, the map jumped, with no key pressed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def test_an_enter_whose_search_failed_picks_nothing_after_a_library_read(
        qtbot, make_window, library, monkeypatch):
    from musicsage.controllers import library as controller

    search, failed = controller.search_tracks, []

    def fails_once(ctx, text, **kw):
        if text and not failed:
            failed.append(text)
            raise OSError("disk I/O error")
        return search(ctx, text, **kw)

    monkeypatch.setattr(controller, "search_tracks", fails_once)
    w = make_window(library)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    box = w.library.search
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "Song")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # within the typing delay: it waits for the answer
    qtbot.waitUntil(lambda: failed == ["Song"])
    qtbot.wait(300)  # the failure has come back: no answer
    assert w.app.selection.selected is None and not w.library.results.isVisible()

    w.app.library.reload()  # a library read: the search is asked again, and answers
    qtbot.waitUntil(lambda: w.library.results.isVisible(), timeout=30_000)
    qtbot.wait(300)
    assert w.library.results.count() > 1, "the answer is listed"
    assert w.app.selection.selected is None, "no track picked without a key pressed"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter now picks the first row, as ever
    qtbot.waitUntil(lambda: w.app.selection.selected is not None)
