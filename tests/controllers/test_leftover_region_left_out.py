"""A map region mixing tracks with and without an audio file (a library partly imported from
a dataset dir) kept the tracks with files and dropped the others without a word: it says how
many it left out, in one line, once for the region."""

from __future__ import annotations

import numpy as np

from musicsage.search.types import MapPoints
from musicsage.usecases.library import import_dataset


def test_a_region_says_how_many_of_its_tracks_it_left_out(library, tmp_path, make_app):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist\n" + "".join(
        f"t{i},Paper {i},Writer\n" for i in range(3)), encoding="utf-8")
    import_dataset(library, d)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    tracks = app.library.snapshot.tracks
    ids = np.array(sorted(t.id for t in tracks), np.int64)
    app.map.points = MapPoints(ids, np.stack([np.arange(len(ids)), np.zeros(len(ids))], 1)
                               .astype(np.float32), "audio", None)
    before = len(app.notifications)
    region = app.map_tools.select_rect(-1, -1, len(ids), 1)  # every track
    assert len(region) == len(ids) - 3
    assert app.notifications[before:] == [
        ("info", f"3 of {len(ids)} tracks in the region left out (no audio file)")]
    playable = [i for i, t in enumerate(ids) if app.library.snapshot.by_id[int(t)].playable]
    before = len(app.notifications)
    app.map_tools.select_rect(-1, -1, max(playable) + 0.5, 1)  # files only
    assert app.notifications[before:] == [], "a region that leaves nothing out says nothing"
