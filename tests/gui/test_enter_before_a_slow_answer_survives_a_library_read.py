"""Enter pressed within the typing delay waits for the answer to the words typed, to pick its
first row. A library read that lands before that answer (the folder watch after each batch,
a training run, the demo's stages: reads come unprompted) asks the search again; it used to
forget the waiting Enter, so the answer came, listed, and nothing was picked — the key lost.
Only a search that gives no answer (it failed) forgets it
(test_enter_whose_search_failed_picks_nothing_later)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def test_an_enter_waiting_for_a_slow_search_picks_after_a_library_read(
        qtbot, make_window, library, monkeypatch):
    from musicsage.controllers import library as controller

    search = controller.search_tracks

    def slow(ctx, text, **kw):
        if text:
            time.sleep(1.5)  # a big library, a slow disk
        return search(ctx, text, **kw)

    monkeypatch.setattr(controller, "search_tracks", slow)
    w = make_window(library)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    box = w.library.search
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "Song")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # within the typing delay: it waits for the answer
    qtbot.wait(100)
    w.app.library.reload()  # a watcher's read lands before the answer
    qtbot.waitUntil(lambda: w.library.results.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: w.app.selection.selected is not None, timeout=10_000)
