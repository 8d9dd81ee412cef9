"""The window opens on "Opening the library…", not on the welcome page (whose "Add your music
folder…" was focused for seconds over a library of 28,000 tracks being read)."""

from __future__ import annotations

from musicsage.gui.opening_page import OPENING_TEXT


def test_the_window_says_the_library_is_opening_until_it_is_read(qtbot, make_window, ctx):
    w = make_window(ctx, wait=False)
    assert w.stack.currentWidget() is w.opening and w.opening.text() == OPENING_TEXT
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=30_000)
    assert w.stack.currentWidget() is w.welcome, "an empty library: the welcome page"
