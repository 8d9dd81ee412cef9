"""``stats`` counted a vector holding NaN or infinite values as any other: a user learnt of
damaged vectors only when ``train`` refused the library. Its embeddings line now counts them
per audio model, a missing track's too."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "search"))
from search_helpers import AUDIO_MODEL, Library, run_cli  # noqa: E402

from musicsage.library.damaged_vectors import damaged_counts  # noqa: E402


def test_stats_counts_the_damaged_vectors(ctx, tmp_path, capsys):
    library = Library(ctx, tmp_path / "music")
    library.add(6)
    vectors = np.ones((6, 4), np.float32)
    vectors[1, 2], vectors[4, 0] = np.nan, -np.inf
    library.embed(vectors)
    library.embed(np.ones((6, 3), np.float32), model_id="spectral-other")
    library.set_missing(library.ids[4])

    rc, out, _ = run_cli(capsys, ctx, "stats")
    assert rc == 0
    line = next(s for s in out.splitlines() if s.startswith("embeddings "))
    assert (f"{AUDIO_MODEL}: 5 (+1 of missing tracks; 2 damaged: NaN or infinite values, "
            "or the wrong length)") in line
    assert "spectral-other: 5 (+1 of missing tracks)," in line + ","


def test_a_vector_cut_short_counts_as_damaged_an_empty_library_as_none(ctx, tmp_path):
    library = Library(ctx, tmp_path / "music")
    library.add(2)
    assert damaged_counts(library.conn) == {}
    library.embed(np.zeros((2, 4), np.float32))
    library.conn.execute("UPDATE audio_embeddings SET vector = x'0000803f00' WHERE track_id = ?",
                         (library.ids[0],))
    assert damaged_counts(library.conn) == {AUDIO_MODEL: 1}
