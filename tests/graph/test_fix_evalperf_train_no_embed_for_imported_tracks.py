"""A library whose playlist tracks partly came from a dataset dir without a features.npy:
``train`` counted them apart ("42 playlist memberships, 12 of them of tracks with …
embeddings") and advised "compute the other tracks' embeddings (embed)", which has no audio
to analyse for them (``embed`` says to import the dir again with its vectors)."""

from __future__ import annotations

import numpy as np
from dataset_files import write_dataset

from musicsage import cli


def test_tracks_imported_without_vectors_are_not_sent_to_embed(tmp_path, capsys):
    features = np.random.default_rng(0).normal(size=(40, 4)).astype(np.float32)
    with_vectors = write_dataset(tmp_path / "a", features,
                                 [(f"a{i % 3}", f"t{i}") for i in range(12)])
    without = tmp_path / "b"
    without.mkdir()
    (without / "tracks.csv").write_text("track_id\n" + "".join(f"u{i}\n" for i in range(30)))
    (without / "memberships.csv").write_text(
        "playlist_id,track_id\n" + "".join(f"b{i % 3},u{i}\n" for i in range(30)))
    data_dir = str(tmp_path / "lib")
    for folder in (with_vectors, without):
        assert cli.main(["--data-dir", data_dir, "import", str(folder)]) == 0
    capsys.readouterr()
    assert cli.main(["--data-dir", data_dir, "train", "--max-steps", "1"]) == 1
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line == ("musicsage train: the graph model needs more playlists: 42 playlist "
                    "memberships, 12 of them of tracks with 'spectral-dataset' embeddings; at "
                    "least 20 are needed — put more tracks in playlists")
