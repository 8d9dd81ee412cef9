"""A library whose every track left it (its only music folder forgotten, from a terminal or
from the window) keeps no map of those tracks: the window's map kept all their points, ready
to be clicked once a new folder was added, for tracks that are no longer in the library."""

from __future__ import annotations

from gui_support import settle


def test_forgetting_the_only_music_folder_empties_the_map(qtbot, make_window, library, tmp_path):
    from musicsage.usecases.library import forget_folder

    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 12, timeout=60_000)
    forget_folder(library, str(tmp_path / "src" / "music"))  # as `musicsage forget` would
    w.app.library.check_for_changes()
    qtbot.waitUntil(lambda: w.app.library.snapshot.empty, timeout=30_000)
    settle(qtbot, w)
    assert len(w.map.track_ids) == 0 and len(w.map.xy) == 0
    assert w.app.map.points is None
    assert w.map.nearest(0.0, 0.0, 10.0) is None  # nothing left to click
