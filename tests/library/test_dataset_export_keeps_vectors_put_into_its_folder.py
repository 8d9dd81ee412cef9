"""``export DIR`` again into a folder where the user put a ``features.npy`` of their own.

An export of a library without vectors writes no features.npy; vectors computed for it by
other code go into that folder as ``features.npy`` (what the docs say gives a dataset dir its
vectors). The next export into the folder removed that file as "the earlier export's", without
a word (or replaced it, once the library had vectors): hours of computing lost. It refuses now,
before writing anything; the export's own features.npy is still replaced as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset


@pytest.fixture
def library(ctx, tmp_path) -> AppContext:
    """Two tracks without audio files and without vectors."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id,title\n1,A\n2,B\n")
    import_dataset(ctx, src)
    return ctx


def _folder(tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "out"
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def test_vectors_put_into_an_export_without_any_are_not_removed(library, tmp_path):
    out = tmp_path / "out"
    export_dataset(library, out)
    mine = np.arange(10, dtype=np.float32).reshape(2, 5)
    np.save(out / "features.npy", mine)
    before = _folder(tmp_path)

    with pytest.raises(MusicsageError, match=r"features\.npy is not the one an export wrote "
                                             r"\(there is no features\.json beside it\).*move "
                                             r"it away.*nothing was written"):
        export_dataset(library, out)

    assert _folder(tmp_path) == before
    assert (np.load(out / "features.npy") == mine).all()


def test_vectors_put_in_place_of_the_exports_own_are_not_replaced(library, tmp_path):
    conn = connect(library)
    for track in q.all_tracks(conn):
        q.store_embedding(conn, track["id"], "spectral", "spectral-v1", np.ones(3))
    conn.commit()
    out = tmp_path / "out"
    export_dataset(library, out)
    np.save(out / "features.npy", np.zeros((2, 3), dtype=np.float32))  # edited by hand
    before = _folder(tmp_path)

    with pytest.raises(MusicsageError, match="its vectors are not those features.json "
                                             "describes"):
        export_dataset(library, out)
    assert _folder(tmp_path) == before


def test_the_exports_own_vectors_are_still_replaced_and_removed(library, tmp_path):
    conn = connect(library)
    for track in q.all_tracks(conn):
        q.store_embedding(conn, track["id"], "spectral", "spectral-v1", np.ones(3))
    conn.commit()
    out = tmp_path / "out"
    export_dataset(library, out)
    q.store_embedding(conn, 1, "spectral", "spectral-v1", np.full(3, 2.0))
    conn.commit()
    assert export_dataset(library, out).features == (2, 3)  # replaced: its own
    assert np.load(out / "features.npy")[0].tolist() == [2.0, 2.0, 2.0]
    info = json.loads((out / "features.json").read_text())
    info.pop("features_sha1"), info.pop("track_ids_sha1")  # an older version's export
    (out / "features.json").write_text(json.dumps(info))
    conn.execute("DELETE FROM audio_embeddings")
    conn.commit()
    assert export_dataset(library, out).features is None
    assert not (out / "features.npy").exists() and not (out / "features.json").exists()
