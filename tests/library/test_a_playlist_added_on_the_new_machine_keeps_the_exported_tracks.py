"""A library exported, its music moved to a new machine with its playlist files, one more
playlist file written there naming one of its files, the music scanned, then the export
imported. ``forget --missing`` must move every imported track to its file: the scanned copy
of that file, in the new playlist only because it was scanned, has no vector of its own, so
nothing of the user's is lost by folding it. It kept the copy (a playlist the import had not
recorded) and deleted the imported track with the export's vector: "2 moved, 1 removed", and
the file shown with no vector."""

from __future__ import annotations

from test_music_and_playlists_scanned_before_the_import import (NAMES, _exported_then_moved,
                                                                _state)

from musicsage.context import AppContext
from musicsage.usecases.library import forget_missing_tracks, import_dataset, scan_library


def test_removing_missing_tracks_moves_every_imported_one_and_keeps_its_vector(ctx, tmp_path):
    elsewhere, _ids = _exported_then_moved(ctx, tmp_path)
    (elsewhere / "Playlists" / "road.m3u").write_text("../a.flac\n", encoding="utf-8")
    first = AppContext.create(tmp_path / "first")
    scan_library(first, [str(elsewhere)], [str(elsewhere / "Playlists")])
    import_dataset(first, tmp_path / "export")
    tracks, _playlists, vectors = _state(first)
    imported = {n: tracks[(n, "missing")] for n in NAMES}
    assert set(vectors) == set(imported.values())

    removed = forget_missing_tracks(first)

    assert (removed.moved, removed.tracks) == (3, 0)
    tracks, playlists, vectors = _state(first)
    assert tracks == {(n, "present"): imported[n] for n in NAMES}, "ids and files kept"
    assert vectors == sorted(imported.values()), "every exported vector kept"
    assert playlists == {"mix": [imported["c"], imported["a"], imported["b"]],
                         "road": [imported["a"]]}
