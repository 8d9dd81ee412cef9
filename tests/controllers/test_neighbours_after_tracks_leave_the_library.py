"""The selected track's neighbour lists after some of its neighbours left the library (File ›
Remove music folder, File › Remove missing tracks): the lists kept showing them, and Save of
the neighbours wrote tracks no longer in the library."""

from __future__ import annotations

from music_support import make_music

from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import scan_library


def _neighbour_ids(app) -> set[int]:
    result = app.selection.result
    return {r["track_id"] for space in ("graph", "audio") for r in result.rows(space)}


def _selected(app, runner, track_id: int) -> set[int]:
    app.library.reload()
    runner.drain()
    app.selection.select(track_id, play=False)
    runner.drain()
    return _neighbour_ids(app)


def test_a_removed_folders_tracks_leave_the_neighbour_lists(library, make_app, tmp_path):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    kept = set(app.library.snapshot.by_id)
    second, _playlists, _paths = make_music(tmp_path / "second", n_tracks=4, seed=5)
    scan_library(library, [str(second)])
    embed_library(library, "spectral")
    shown = _selected(app, runner, min(kept))
    added = set(app.library.snapshot.by_id) - kept
    assert shown & added, "some neighbours lie in the second folder"
    folder = next(name for name, _n in app.library.folders() if "second" in name)
    app.library.forget(folder)
    runner.drain()
    assert app.selection.selected == min(kept)
    assert _neighbour_ids(app) and not _neighbour_ids(app) & added


def test_removed_missing_tracks_leave_the_neighbour_lists(library, make_app, tmp_path):
    from musicsage.controllers.missing import remove_missing

    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    seed = min(app.library.snapshot.by_id)
    gone = app.library.snapshot.by_id[next(iter(_selected(app, runner, seed)))]
    (tmp_path / "src" / "music" / gone.path.split("/music/", 1)[1]).unlink()
    scan_library(library)
    remove_missing(app.library)
    runner.drain()
    assert gone.id not in app.library.snapshot.by_id
    assert app.selection.selected == seed
    assert _neighbour_ids(app) and gone.id not in _neighbour_ids(app)
