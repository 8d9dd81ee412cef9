"""A Playlist tab row of a track imported from a dataset dir without a file said why it
cannot play twice over: "Why: No audio file: no audio file (imported from …)" — its path is
the reason already. It says it once; a missing file still names its path after the reason."""

from __future__ import annotations

import numpy as np

from musicsage.context import AppContext
from musicsage.controllers.playlist_tracks import PlaylistRow, playlist_tracks
from musicsage.gui.playlist_rows import PlaylistRowsModel, why_not_playable
from musicsage.usecases.library import import_dataset


def _dataset_without_files(d):
    """A dataset dir of 12 tracks with no audio file, in two playlists."""
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\n" + "".join(
        f"t{i},Song {i}\n" for i in range(12)))
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"p{i % 2},t{i}\n" for i in range(12)))
    np.save(d / "features.npy", np.random.default_rng(0).normal(size=(12, 4))
            .astype(np.float32))
    return d


def test_a_row_without_a_file_says_no_audio_file_once(qtbot, tmp_path):
    from musicsage.controllers.app import AppController
    from musicsage.controllers.tasks import InlineRunner

    imported = AppContext.create(tmp_path / "imported")
    import_dataset(imported, _dataset_without_files(tmp_path / "ds"))
    runner = InlineRunner()
    app = AppController(imported, runner)
    app.library.reload()
    runner.drain()
    snap = app.library.snapshot
    view = playlist_tracks(snap, snap.playlists[0].id)
    model = PlaylistRowsModel()
    model.show(view.rows)

    why = model.why_of(view.rows[0].track_id)

    assert why.startswith("No audio file (imported from "), why
    assert why.casefold().count("no audio file") == 1, why


def test_a_missing_file_still_names_its_path():
    row = PlaylistRow(3, 1, "Song", "Ann", "~/Music/song.mp3", 10.0, "missing")
    assert why_not_playable(row) == "The file is missing (moved or deleted?): ~/Music/song.mp3"
