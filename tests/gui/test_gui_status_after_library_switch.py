"""Lines of a library left (File ▸ Open demo library, Back to my library) name it: a warning
holds the status bar a few seconds, and the last library's "cannot list folder" came up over
the library just opened as if about it (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest

from gui_support import settle
from music_support import make_music

pytestmark = pytest.mark.usefixtures("shared_helper")

UNREADABLE = "Scan finished: 1 unreadable (music: cannot list folder: Permission denied)"
SECOND = "Folder watch: /x/music is not watched (Permission denied)"


def test_the_left_librarys_lines_name_it(qtbot, make_window, library, tmp_path):
    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library

    other = AppContext.create(tmp_path / "other-data")
    music, _, _ = make_music(tmp_path / "other", n_tracks=3, seconds=1.0, seed=7)
    scan_library(other, [str(music)], [])
    w = make_window(library)
    bar = w.statusBar()
    w.app.notify(UNREADABLE, "warning")
    w.app.notify(SECOND, "warning")  # held back while the first is read
    assert bar.currentMessage() == UNREADABLE
    w.app.set_context(other)
    w.app.library.reload()
    settle(qtbot, w)
    note = f" (library {library.data_dir}, not the one shown)"
    assert bar.currentMessage() == UNREADABLE + note
    w.grab().save(str(tmp_path / "switched.png"))
    qtbot.waitUntil(lambda: bar.currentMessage().startswith(SECOND), timeout=60_000)
    assert bar.currentMessage() == SECOND + note
