"""A stored vector cut short (a damaged database) reads as a row of NaN: the export wrote it
into features.npy and said it was done, and both its readers then refused the whole folder
("features must be finite numbers") — found at the import, when the library it came from
may be gone. Such a track is left out now, as a track without a vector is, and the report
says why and what mends it. An export that refuses its audio model makes no folder."""

from __future__ import annotations

import numpy as np
import pytest
from rewrite_support import library, vectors

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.graph.data import GraphData
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset


def test_a_damaged_vector_is_left_out_and_the_export_imports(ctx, tmp_path):
    before = library(ctx, tmp_path / "music")
    conn = connect(ctx)
    damaged = next(t["id"] for t in q.all_tracks(conn) if t["path"].endswith("t1.wav"))
    conn.execute("UPDATE audio_embeddings SET vector = x'0000803f00' WHERE track_id = ?",
                 (damaged,))

    report = export_dataset(ctx, tmp_path / "export")

    width = before["t0.wav"].size
    assert (report.tracks, report.features, report.skipped_tracks) == (2, (2, width), 1)
    assert any("1 track whose spectral vector is damaged" in note and "musicsage embed" in note
               for note in report.notes), report.notes
    fresh = AppContext.create(tmp_path / "fresh")
    imported = import_dataset(fresh, tmp_path / "export")
    assert imported.tracks == 2
    after = vectors(fresh)
    assert sorted(after) == ["t0.wav", "t2.wav"]
    assert all(np.array_equal(after[name], before[name]) for name in after)
    assert GraphData.from_dataset_dir(tmp_path / "export").features.shape == (2, width)


def test_an_unknown_audio_model_makes_no_folder(ctx, tmp_path):
    library(ctx, tmp_path / "music")
    with pytest.raises(MusicsageError, match="no embeddings for audio model 'nope'"):
        export_dataset(ctx, tmp_path / "export", audio_model="nope")
    assert not (tmp_path / "export").exists()
