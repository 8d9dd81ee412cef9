"""The window's folder watch says a new file it cannot read (``touch x.flac``) on the status
line, as a scan does — it said nothing: the batch counted as "nothing changed"."""

from __future__ import annotations

import pytest

from music_support import make_music
from musicsage.context import AppContext
from musicsage.usecases.library import scan_library

pytestmark = pytest.mark.usefixtures("shared_helper")

WAIT_MS = 60_000


def test_an_unreadable_new_file_is_said_on_the_status_line(qtbot, make_window, tmp_path):
    music, _playlists, _paths = make_music(tmp_path / "src", n_tracks=4)
    ctx = AppContext.create(tmp_path / "data")
    scan_library(ctx, [str(music)])
    w = make_window(ctx)
    qtbot.waitUntil(lambda: bool(w.app.watch.folders), timeout=WAIT_MS)
    notes = []
    w.app.notified.connect(lambda level, text, details: notes.append((level, text)))
    (music / "x.flac").touch()
    line = "Folder watch: 1 unreadable (x.flac: empty file)"
    qtbot.waitUntil(lambda: ("warning", line) in notes, timeout=WAIT_MS)
    assert w.statusBar().currentMessage() == line
