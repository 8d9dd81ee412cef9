"""``export DIR`` again into a folder where the user put a ``features.npy`` of their own.

An export of a library without vectors writes no features.npy; vectors computed for it by
other code go into that folder as ``features.npy`` (what the docs say gives a dataset dir its
vectors). The next export into the folder removed that file as "the earlier export's", without
a word (or replaced it, once the library had vectors): hours of computing lost. It refuses now,
before writing anything; the export's own features.npy is still replaced as before.

Also refused: a features.npy beside a features.json in the documented hand-written form (no
fingerprints: every export into a folder it marks writes them). Not refused: the export's own
features.json saved again with a byte-order mark (import accepts one). A FIFO in place of
either file is refused without being opened (opening one waited for ever, the folder locked).
"""

from __future__ import annotations

import codecs
import json
import os
import stat
import threading
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

    with pytest.raises(MusicsageError, match=r"features\.npy is not the one the last finished "
                                             r"export wrote \(there is no features\.json beside "
                                             r"it\): move it away.*nothing was written"):
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


def _with_vectors(library: AppContext) -> None:
    conn = connect(library)
    for track in q.all_tracks(conn):
        q.store_embedding(conn, track["id"], "spectral", "spectral-v1", np.ones(3))
    conn.commit()


def test_the_exports_own_vectors_are_still_replaced_and_removed(library, tmp_path):
    _with_vectors(library)
    conn = connect(library)
    out = tmp_path / "out"
    export_dataset(library, out)
    q.store_embedding(conn, 1, "spectral", "spectral-v1", np.full(3, 2.0))
    conn.commit()
    assert export_dataset(library, out).features == (2, 3)  # replaced: its own
    assert np.load(out / "features.npy")[0].tolist() == [2.0, 2.0, 2.0]
    conn.execute("DELETE FROM audio_embeddings")
    conn.commit()
    assert export_dataset(library, out).features is None
    assert not (out / "features.npy").exists() and not (out / "features.json").exists()


@pytest.mark.parametrize("vectors", [False, True], ids=["no-vectors", "vectors"])
def test_vectors_beside_a_hand_written_features_json_are_kept(library, tmp_path, vectors):
    """docs/dataset-dir.md's features.json, ``{"model_id", "model_version"}``, beside the
    user's own vectors: no export wrote that pair (an export's has fingerprints)."""
    out = tmp_path / "out"
    export_dataset(library, out)
    if vectors:
        _with_vectors(library)
    mine = np.arange(10, dtype=np.float32).reshape(2, 5)
    np.save(out / "features.npy", mine)
    (out / "features.json").write_text(json.dumps({"model_id": "spectral-mine",
                                                   "model_version": "1"}))
    before = _folder(tmp_path)

    with pytest.raises(MusicsageError, match=r"features\.npy is not the one the last finished "
                                             r"export wrote \(features\.json beside it has no "
                                             r"fingerprints\): move it and features\.json "
                                             r"beside it away"):
        export_dataset(library, out)
    assert _folder(tmp_path) == before


def test_the_exports_own_features_json_saved_with_a_byte_order_mark(library, tmp_path):
    _with_vectors(library)
    out = tmp_path / "out"
    export_dataset(library, out)
    info = out / "features.json"
    info.write_bytes(codecs.BOM_UTF8 + info.read_bytes())  # an editor's save
    conn = connect(library)
    q.store_embedding(conn, 1, "spectral", "spectral-v1", np.full(3, 2.0))
    conn.commit()

    assert export_dataset(library, out).features == (2, 3)
    assert np.load(out / "features.npy")[0].tolist() == [2.0, 2.0, 2.0]


def test_a_half_written_folder_is_refused_with_a_way_out(library, tmp_path):
    """An older version's export killed between its features.npy and its features.json left
    the new vectors beside the old features.json; import says "export again", so the export's
    refusal must say what to do about an interrupted export too — and that must work."""
    _with_vectors(library)
    out = tmp_path / "out"
    export_dataset(library, out)
    np.save(out / "features.npy", np.full((2, 3), 2.0, dtype=np.float32))  # the killed one's

    with pytest.raises(MusicsageError, match=r"move it away \(yours, or left by an interrupted "
                                             r"export\), then export again \(nothing was "
                                             r"written\)"):
        export_dataset(library, out)
    os.rename(out / "features.npy", tmp_path / "features.npy")
    assert export_dataset(library, out).features == (2, 3)


@pytest.mark.parametrize("name", ["features.npy", "features.json"])
def test_a_fifo_in_the_folder_is_refused_not_waited_on(library, tmp_path, name):
    _with_vectors(library)
    out = tmp_path / "out"
    export_dataset(library, out)
    (out / name).unlink()
    os.mkfifo(out / name)
    raised: list[BaseException] = []

    def run() -> None:
        try:
            export_dataset(library, out)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    hung = thread.is_alive()
    if hung:  # a writer opening and closing the FIFO lets the export's read end
        try:
            os.close(os.open(out / name, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # no reader waiting on it after all
            pass
        thread.join(30)
    assert not hung, f"the export waited on the FIFO {name}"
    assert len(raised) == 1 and isinstance(raised[0], MusicsageError), raised
    assert "is a named pipe (FIFO), not a file" in str(raised[0])
    assert stat.S_ISFIFO(os.lstat(out / name).st_mode)
