"""A selected track's tags are read in the window's helper process, which outlives the library
it read them from. It kept its connection to that library: once the window showed another one
(File ▸ Open demo library, or back), the library left still had its -wal and -shm, held open by
the helper until the window closed. The helper now closes its connections after each call."""

from __future__ import annotations

import os
import time

from gui_support import settle
from music_support import make_music


def open_under(pid: int, folder) -> list[str]:
    """Process ``pid``'s open files inside ``folder``."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder) + os.sep):
            found.append(os.path.basename(target))
    return sorted(found)


def test_the_library_left_after_a_tags_lookup_keeps_no_file_open(qtbot, make_window, library,
                                                                   tmp_path):
    from musicsage.context import AppContext
    from musicsage.library.db import close_thread_connections
    from musicsage.library.tag_cache import store_tags
    from musicsage.usecases.library import list_tracks, scan_library
    from musicsage.usecases.tags import EXPLAIN_TAG_MODEL, _facts

    other = AppContext.create(tmp_path / "other-data")
    music, _, _ = make_music(tmp_path / "other", n_tracks=3, seconds=1.0, seed=7)
    scan_library(other, [str(music)], [])
    track = list_tracks(library)[0].id
    fact, = _facts(library, [track]).values()  # tags kept: the helper reads them, no MusiCNN
    assert store_tags(library.cache_dir, fact, EXPLAIN_TAG_MODEL, [("rock", 0.9)])
    close_thread_connections()  # the test's own: only the window's and its helper's count
    w = make_window(library)
    said: list[str] = []
    w.app.selection.tags.connect(lambda text, _why: said.append(text))

    w.app.selection.select(track, play=False)
    qtbot.waitUntil(lambda: any("rock" in text for text in said), timeout=60_000)
    helpers = [p.pid for p in w.workers.helper._executor._processes.values()]
    assert helpers, "the tags came from the helper process"
    assert w.app.set_context(other)
    w.app.library.reload()
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=60_000)
    settle(qtbot, w)

    deadline = time.monotonic() + 10
    while (open_under(os.getpid(), library.data_dir) and time.monotonic() < deadline):
        qtbot.wait(50)
    assert all(os.path.exists(f"/proc/{pid}") for pid in helpers), "the helper still runs"
    assert [open_under(pid, library.data_dir) for pid in helpers] == [[]] * len(helpers)
    assert open_under(os.getpid(), library.data_dir) == []
    left = sorted(os.listdir(library.data_dir))
    assert "library.sqlite3-wal" not in left and "library.sqlite3-shm" not in left
