"""``musicsage map`` on a library whose only folder was forgotten: it printed "graph
(graph-1): 0 tracks mapped (trivial, 0.0 s)" and exited 0, beside "no audio embeddings yet
(… embed)" for the audio side, though the library simply has no tracks left."""

from __future__ import annotations

import pytest
from hints_told_support import as_default

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.usecases.library import forget_folder, import_dataset
from musicsage.usecases.search import NO_TRACKS, map_points
from musicsage.usecases.training import current_graph_model


def test_the_map_of_a_library_with_no_tracks_says_to_add_music(ctx, dataset, capsys):
    import_dataset(ctx, dataset)
    assert cli.main(["--data-dir", str(ctx.data_dir), "train", "--max-steps", "5",
                     "--json"]) == 0
    assert current_graph_model(ctx) is not None
    forget_folder(ctx, str(dataset))  # the only "folder": every track leaves the library
    capsys.readouterr()
    assert cli.main(["--data-dir", str(ctx.data_dir), "map"]) == 1
    out, err = capsys.readouterr()
    assert NO_TRACKS in as_default(err, ctx.data_dir) and "mapped" not in out
    for space in ("graph", "audio"):
        with pytest.raises(MusicsageError) as refused:
            map_points(ctx, space)
        assert str(refused.value) == NO_TRACKS


def test_an_empty_library_is_told_without_reading_every_track_id(ctx, monkeypatch):
    """Whether the library has a track is one indexed step (7 ms to read 28,000 ids before)."""
    from musicsage.library import queries
    from musicsage.library.db import connect

    def every_id(_conn):
        raise AssertionError("every track id read to tell an empty library")

    monkeypatch.setattr(queries, "library_track_ids", every_id)
    with pytest.raises(MusicsageError) as refused:
        map_points(ctx, "audio")
    assert str(refused.value) == NO_TRACKS
    assert not queries.any_tracks(connect(ctx))
