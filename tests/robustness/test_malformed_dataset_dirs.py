"""Dataset dirs that are not what they claim: a ``features.npy`` that is empty, an ``.npz``
archive, text, an array of strings or complex numbers, a header that promises more than the
file holds; ids too large for SQLite. Both readers — ``import`` and ``train``/``eval
--dataset`` — refuse each in one line (exit 1) and change nothing; before, numpy's own
exceptions (EOFError, AttributeError, ValueError, MemoryError) and SQLite's OverflowError
ended them as crashes (exit 70)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from robust_support import assert_clean_success, assert_one_line_failure, cli

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.graph.data import GraphData
from musicsage.usecases.library import import_dataset, library_stats

N_TRACKS = 8


def dataset(d, features=None):
    """A consistent dataset dir of 8 tracks in two playlists; ``features`` replaces the
    features.npy bytes when given."""
    d.mkdir(parents=True)
    (d / "tracks.csv").write_text("track_id,title\n" + "".join(
        f"t{i},Song {i}\n" for i in range(N_TRACKS)), encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"p{i % 2},t{i}\n" for i in range(N_TRACKS)), encoding="utf-8")
    np.save(d / "features.npy", np.ones((N_TRACKS, 4), np.float32))
    if features is not None:
        (d / "features.npy").write_bytes(features)
    return d


def npy_bytes(array) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def npz_bytes() -> bytes:
    buf = io.BytesIO()
    np.savez(buf, features=np.ones((N_TRACKS, 4), np.float32))
    return buf.getvalue()


def header_claiming(rows: int) -> bytes:
    """A valid .npy header for float32 [rows, 4] followed by a few bytes of data."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f4", "fortran_order": False,
                                               "shape": (rows, 4)})
    return buf.getvalue() + b"\0" * 64


BAD_FEATURES = {
    "empty": (b"", "not a NumPy .npy file"),
    "npz archive": (npz_bytes(), "not a NumPy .npy file"),
    "text": (b"0.1,0.2\n0.3,0.4\n", "not a NumPy .npy file"),
    "strings": (npy_bytes(np.full((N_TRACKS, 4), "x")), "not real numbers"),
    "complex": (npy_bytes(np.ones((N_TRACKS, 4), np.complex64)), "not real numbers"),
    "cut short": (npy_bytes(np.ones((N_TRACKS, 4), np.float32))[:-20], "not a readable array"),
    "huge header": (header_claiming(10**13), "not a readable array"),
}


@pytest.mark.parametrize("case", list(BAD_FEATURES))
def test_bad_features_file_is_refused_by_both_readers(tmp_path, case):
    raw, message = BAD_FEATURES[case]
    d = dataset(tmp_path / "ds", raw)
    ctx = AppContext.create(tmp_path / "data")
    with pytest.raises(MusicsageError, match=message):
        import_dataset(ctx, d)
    assert library_stats(ctx).tracks.total == 0
    with pytest.raises(MusicsageError, match=message):
        GraphData.from_dataset_dir(d)


def test_the_command_line_says_it_in_one_line(tmp_path):
    d = dataset(tmp_path / "ds", npz_bytes())
    data = tmp_path / "data"
    assert_one_line_failure(cli("import", str(d), data_dir=data), "import", "features.npy")
    assert_one_line_failure(cli("eval", "--dataset", str(d), "--seeds", "1", data_dir=data),
                            "eval", "features.npy")
    assert not (data / "crash-logs").exists()


def test_ids_too_large_for_sqlite_are_imported_under_new_ids(tmp_path):
    d = dataset(tmp_path / "ds")
    big = [str(2**63 + i) for i in range(N_TRACKS)]  # SQLite's integers stop at 2**63 - 1
    (d / "tracks.csv").write_text("track_id\n" + "\n".join(big) + "\n", encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"{2**64 + i % 2},{t}\n" for i, t in enumerate(big)), encoding="utf-8")
    ctx = AppContext.create(tmp_path / "data")
    rep = import_dataset(ctx, d)
    assert (rep.tracks, rep.playlists, rep.memberships, rep.unknown_memberships) == (
        N_TRACKS, 2, N_TRACKS, 0)
    stats = library_stats(ctx)
    assert stats.tracks.total == N_TRACKS and stats.playlists.unresolved == 0
    again = cli("export", str(tmp_path / "out"), data_dir=tmp_path / "data")
    assert_clean_success(again)
