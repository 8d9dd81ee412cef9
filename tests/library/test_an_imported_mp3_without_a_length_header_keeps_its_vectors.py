"""A track imported from a data set has its vectors but no stored length (the import stores
none). The first scan of its MP3 without a length header counts the frames, found "no stored
length" unequal to the count, and took it for a length an older scan stored at its header's
guess: the imported vectors were dropped, the track analysed again, with a note
"(stored: none)". No stored length is no older scan's: the vectors stay."""

from __future__ import annotations

import numpy as np
from test_mp3_longer_than_its_header_is_scanned_and_embedded_whole import (
    vbr_without_length_header)

from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset, scan_library


def test_the_first_scan_of_an_imported_mp3_without_a_length_header_keeps_its_vectors(
        ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    vbr_without_length_header(music / "rip.mp3")
    scan_library(ctx, [music])
    q.store_embedding(connect(ctx), 1, "spectral", "spectral-v1", np.arange(8.0))
    export_dataset(ctx, tmp_path / "export")
    fresh = AppContext.create(tmp_path / "fresh")
    import_dataset(fresh, tmp_path / "export")
    conn = connect(fresh)
    assert conn.execute("SELECT duration, needs_analysis FROM tracks").fetchone()[:] == (None, 0)
    rep = scan_library(fresh, [music])
    assert rep.notes == [] and (rep.updated, rep.unchanged) == (0, 1)
    ids, vectors = q.get_embeddings(conn, "spectral")
    assert len(ids) == 1 and vectors[0].tolist() == list(np.arange(8.0))
    duration, needs = conn.execute("SELECT duration, needs_analysis FROM tracks").fetchone()
    assert 29.9 < duration < 30.2 and needs == 0, "its length counted, nothing to analyse"
