"""Tracks a dataset dir gave without an audio file (Cora's papers) are ``present`` — never
missing — but have nothing to play or analyse. ``stats`` counted them among the present
tracks and promised them a vector: "2708 tracks have no spectral vector: `musicsage embed
--model spectral` gives them one", after which embed embedded "0 of 0". They are now counted
apart (``tracks.no_audio_file``), and the embed hint counts only tracks with a file."""

from __future__ import annotations

import json

import numpy as np

from musicsage import cli
from musicsage.commands.library import _unseen_text
from musicsage.library.db import connect
from musicsage.library.browse import without_audio_file
from musicsage.usecases.library import import_dataset, library_stats, \
    scan_library


def test_stats_counts_tracks_without_an_audio_file_apart(ctx, music, make_audio, tmp_path,
                                                         capsys):
    make_audio(music / "a.flac", seconds=0.2)
    scan_library(ctx, [music])
    d = tmp_path / "papers"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\n0,paper 0\n1,paper 1\n")
    np.save(d / "features.npy", np.ones((2, 4), dtype=np.float32))
    import_dataset(ctx, d)
    tracks = library_stats(ctx).tracks
    assert (tracks.total, tracks.present, tracks.no_audio_file) == (3, 3, 2)
    assert cli.main(["stats", "--data-dir", str(ctx.data_dir)]) == 0
    assert "tracks     3 (1 present, 2 imported without an audio file, 0 missing, " \
        in capsys.readouterr().out
    assert cli.main(["stats", "--json", "--data-dir", str(ctx.data_dir)]) == 0
    counts = json.loads(capsys.readouterr().out)["tracks"]
    assert (counts["present"], counts["no_audio_file"]) == (3, 2)  # "present": as before
    conn = connect(ctx)
    assert without_audio_file(conn, "spectral") == (2, 2)  # no spectral vector, and no file
    assert without_audio_file(conn, "spectral-dataset") == (2, 0)


def test_the_embed_hint_counts_only_tracks_with_a_file():
    graph = {"audio_model": "spectral", "unseen": 0, "seen": 5, "no_vector": 2710,
             "no_vector_no_file": 2708}
    assert _unseen_text(graph) == (
        "; 2 tracks have no spectral vector: `musicsage embed --model spectral` gives them "
        "one and a graph vector; 2708 tracks without an audio file have no spectral vector, "
        "which no embed can make: this model gives them no graph vector")
    assert "musicsage embed" not in _unseen_text(dict(graph, no_vector=2708))
    assert _unseen_text(dict(graph, no_vector_no_file=None)).startswith(
        "; 2710 tracks have no spectral vector: `musicsage embed")  # an older summary
