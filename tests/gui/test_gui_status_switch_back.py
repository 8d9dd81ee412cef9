"""A library left and opened again (File ▸ Open demo library, then Back to my library): its
own lines on the status bar are plain again, and those of the library left in between name
that one once — the note was added at each switch, so the first library's warnings came back
with two "(library …, not the one shown)" piled up (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest

from gui_support import settle
from music_support import make_music

pytestmark = pytest.mark.usefixtures("shared_helper")

FIRST = "Scan finished: 1 unreadable (music: cannot list folder: Permission denied)"
SECOND = "Folder watch: /x/music is not watched (Permission denied)"


def test_a_librarys_lines_are_plain_again_when_it_is_shown_again(
        qtbot, make_window, library, tmp_path):
    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library

    other = AppContext.create(tmp_path / "other-data")
    music, _, _ = make_music(tmp_path / "other", n_tracks=3, seconds=1.0, seed=7)
    scan_library(other, [str(music)], [])
    w = make_window(library)
    home = w.app.ctx
    bar = w.statusBar()
    w.app.notify(FIRST, "warning")
    w.app.notify(SECOND, "warning")  # held back while the first is read
    w.app.set_context(other)
    assert bar.currentMessage() == FIRST + f" (library {library.data_dir}, not the one shown)"
    w.app.set_context(home)
    w.app.library.reload()
    settle(qtbot, w)
    assert bar.currentMessage() == FIRST, "its own line, shown again, without a note"
    qtbot.waitUntil(lambda: bar.currentMessage().startswith(SECOND), timeout=60_000)
    w.grab().save(str(tmp_path / "back.png"))
    assert bar.currentMessage() == SECOND


def test_a_line_held_in_the_library_left_between_names_it_once(tmp_path):
    from musicsage.controllers.status_queue import StatusQueue

    q = StatusQueue(5.0)
    q.library = "/a"
    q.showing("warning", "A one", 0.0)
    assert q.switched("/b", " (library /a, not the one shown)", "A one") == (
        "A one (library /a, not the one shown)")
    q.hold("warning", "B one", "", 1.0, "A one (library /a, not the one shown)")
    assert q.switched("/a", " (library /b, not the one shown)",
                      "A one (library /a, not the one shown)") == "A one"
    assert q.take(6.0) == ("warning", "B one (library /b, not the one shown)", "")
    q.hold("info", "A two", "", 7.0, "B one (library /b, not the one shown)")
    assert q.take(11.5) == ("info", "A two", "")
