"""A map region drawn over tracks whose music folder is then forgotten (``musicsage forget``
in a terminal, the window open): the map lost their points, but the region kept them — the
region bar still counted 15 tracks on a map of 12, and Play in order queued the three that
had left the library."""

from __future__ import annotations

from gui_support import settle
from music_support import make_music

from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import forget_folder, scan_library


def test_a_region_loses_the_tracks_of_a_forgotten_folder(qtbot, make_window, library,
                                                         tmp_path):
    more, _, _ = make_music(tmp_path / "more", n_tracks=3, seed=9)
    scan_library(library, [str(more)])
    embed_library(library, "spectral")
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 15, timeout=60_000)
    region = w.app.map_tools.select_rect(-1e3, -1e3, 1e3, 1e3)
    assert len(region) == 15
    forget_folder(library, str(more))
    w.app.library.check_for_changes()
    qtbot.waitUntil(lambda: len(w.app.library.snapshot.tracks) == 12, timeout=30_000)
    settle(qtbot, w)
    kept = set(w.app.library.snapshot.by_id)
    assert len(w.map.track_ids) == 12
    assert w.app.map_tools.region == [t for t in region if t in kept]
    assert ("info", "3 of 15 tracks in the region left out (3 not in the library)") \
        in w.app.notifications
    w.app.map_tools.play_region()
    settle(qtbot, w)
    assert set(w.app.queue.tracks) == kept  # the 12 left, none that left the library
