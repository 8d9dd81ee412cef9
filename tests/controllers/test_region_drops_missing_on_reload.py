"""A map region made while its tracks could play, then a rescan finds one's file gone: the
region drops it when the new snapshot loads and says so in one line, as making a region does.
It still counted the track ("8 tracks") and Play in order queued it without a word."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from musicsage.search.types import MapPoints
from musicsage.usecases.library import scan_library


def test_a_region_drops_a_track_whose_file_went_since(library, tmp_path, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = np.array(sorted(t.id for t in app.library.snapshot.tracks), np.int64)
    app.map.points = MapPoints(ids, np.stack([np.arange(len(ids)), np.zeros(len(ids))], 1)
                               .astype(np.float32), "audio", None)
    regions = []
    app.map_tools.region_changed.connect(regions.append)
    assert len(app.map_tools.select_rect(-1, -1, len(ids), 1)) == len(ids)
    gone = app.library.snapshot.by_id[int(ids[2])]
    Path(gone.path).unlink()
    scan_library(library, [str(tmp_path / "src" / "music")])  # the library fixture's music
    before = len(app.notifications)
    app.library.reload()
    runner.drain()
    assert gone.id not in app.map_tools.region
    assert len(app.map_tools.region) == len(ids) - 1
    assert regions[-1] == app.map_tools.region, "the bar and the rims follow"
    assert ("info", f"1 of {len(ids)} tracks in the region left out (1 missing)") in (
        app.notifications[before:])
    app.map_tools.play_region()
    assert gone.id not in app.queue.tracks
