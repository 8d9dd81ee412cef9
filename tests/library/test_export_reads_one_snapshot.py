"""``export`` read the library in several queries, each seeing what was committed by then: a
scan in another process (or the window's folder watch) committing between them paired a
rewritten file's old vector with the file's new content_hash. The export looked whole, and
an import of it then took the old content's vector as the new file's, for good. The export
reads the library as one snapshot now: the vector goes with the hash of the content it was
made from, so the first scan of the imported library calls the file rewritten."""

from __future__ import annotations

import threading

import numpy as np
from rewrite_support import library, rewrite, vectors

import musicsage.library.dataset as dataset
from musicsage.context import AppContext
from musicsage.usecases.library import export_dataset, import_dataset, scan_library


def test_a_scan_committing_during_the_export_leaves_it_consistent(ctx, tmp_path, monkeypatch):
    music = tmp_path / "music"
    before = library(ctx, music)
    read_hashes = dataset.exported_hashes
    scanned = []

    def scan_then_read(conn):
        """The scan of the rewritten file commits after the export read the vectors."""
        rewrite(music / "t1.wav", 1000.0)
        worker = threading.Thread(target=lambda: scanned.append(scan_library(ctx, [music])))
        worker.start()
        worker.join()
        return read_hashes(conn)

    monkeypatch.setattr(dataset, "exported_hashes", scan_then_read)
    report = export_dataset(ctx, tmp_path / "export")
    assert scanned and scanned[0].updated == 1, "the scan ran, and saw the file changed"
    assert report.tracks == 3

    fresh = AppContext.create(tmp_path / "fresh")
    import_dataset(fresh, tmp_path / "export")
    first = scan_library(fresh, [music])

    assert (first.updated, first.unchanged) == (1, 2), "t1 is known as rewritten"
    after = vectors(fresh)
    assert sorted(after) == ["t0.wav", "t2.wav"], "no vector of t1's old content kept"
    assert all(np.array_equal(after[name], before[name]) for name in after)
