"""Dataset dirs that are not what they claim: a ``features.npy`` that is empty, an ``.npz``
archive, text, an array of strings or complex numbers, a header that promises more than the
file holds; ids too large for SQLite. Both readers — ``import`` and ``train``/``eval
--dataset`` — refuse each in one line (exit 1) and change nothing; before, numpy's own
exceptions (EOFError, AttributeError, ValueError, MemoryError) and SQLite's OverflowError
ended them as crashes (exit 70)."""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest
from robust_support import (assert_clean_success, assert_one_line_failure, cli, cli_in_process,
                            db_snapshot)

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
    "cut short": (npy_bytes(np.ones((N_TRACKS, 4), np.float32))[:-20], "cut short"),
    "huge header": (header_claiming(10**13), "cut short"),
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
    """End to end, in child processes: the other cases call the CLI's main in this process
    (cli_in_process), which this proves is what the real command prints and exits with."""
    d = dataset(tmp_path / "ds", npz_bytes())
    data = tmp_path / "data"
    assert_one_line_failure(cli("import", str(d), data_dir=data), "import", "features.npy")
    assert_one_line_failure(cli("eval", "--dataset", str(d), "--seeds", "1", data_dir=data),
                            "eval", "features.npy")
    assert not (data / "crash-logs").exists()


def test_ids_too_large_for_sqlite_are_imported_under_new_ids(tmp_path, capfd):
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
    again = cli_in_process(capfd, "export", str(tmp_path / "out"), data_dir=tmp_path / "data")
    assert_clean_success(again)


# --- files that are readable but wrong: both readers say which file, and where ------------------

TRACKS = "track_id,title\n" + "".join(f"t{i},Song {i}\n" for i in range(N_TRACKS))
MEMBERS = "playlist_id,track_id\n" + "".join(f"p{i % 2},t{i}\n" for i in range(N_TRACKS))

#: case: (file, its content, fragments of the one line both `import` and `train --dataset` say)
BOTH_REFUSE = {
    # (n, 0) trained on no features at all; a 1-D array "did not match" as many rows as it had
    "no feature columns": ("features.npy", npy_bytes(np.ones((N_TRACKS, 0), np.float32)),
                           ["features.npy has shape (8, 0): no feature columns"]),
    "1-D features": ("features.npy", npy_bytes(np.ones(N_TRACKS, np.float32)),
                     ["features.npy has shape (8,): it must be 2-D, one row per track"]),
    # `train --dataset` said "track ids are not unique", naming neither the file nor the id
    "duplicate track id": ("tracks.csv", TRACKS + "t3,Again\n",
                           ["tracks.csv: duplicate track_id 't3' on lines 5 and 10"]),
    # `train --dataset` skipped a features.json it could not read, without a word
    "features.json not JSON": ("features.json", '{"model_id": openl3}',
                               ["features.json: not usable (Expecting value"]),
    "features.json a list": ("features.json", '["openl3-mel128"]',
                             ["features.json: not usable (not a JSON object with a model_id"]),
    "features.json model_id a number": ("features.json", '{"model_id": 5}',
                                        ["features.json: not usable (audio model id"]),
    # a row cut short: `train --dataset` refused the unknown track '', naming no file or line
    "short membership row": ("memberships.csv", MEMBERS.replace("p0,t2\n", "p0\n"),
                             ["memberships.csv line 4: empty track_id"]),
    # an empty playlist_id made a playlist named '' (both readers)
    "empty playlist_id": ("memberships.csv", MEMBERS.replace("p1,t3\n", ",t3\n"),
                          ["memberships.csv line 5: empty playlist_id"]),
    "semicolons": ("tracks.csv", TRACKS.replace(",", ";"),
                   ["tracks.csv", "track_id", "separates columns with semicolons"]),
    "tabs": ("memberships.csv", MEMBERS.replace(",", "\t"),
             ["memberships.csv", "playlist_id", "separates columns with tabs"]),
    "another case": ("tracks.csv", TRACKS.replace("track_id", "Track_ID"),
                     ["tracks.csv", "it has 'Track_ID'", "rename it track_id"]),
}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """A data dir whose library holds an imported dataset: a refused import must leave it."""
    root = tmp_path_factory.mktemp("library")
    assert_clean_success(cli("import", str(dataset(root / "good")), data_dir=root / "data"))
    return root / "data"


def broken(d, file: str, content: str | bytes):
    """The 8-track dataset dir with ``file`` replaced by ``content``."""
    dataset(d)
    raw = content.encode("utf-8") if isinstance(content, str) else content
    (d / file).write_bytes(raw)
    return d


@pytest.mark.parametrize("case", list(BOTH_REFUSE))
def test_a_wrong_file_is_refused_by_both_readers_naming_it(tmp_path, library, capfd, case):
    file, content, fragments = BOTH_REFUSE[case]
    d = broken(tmp_path / "ds", file, content)
    data = shutil.copytree(library, tmp_path / "data")
    before = db_snapshot(data / "library.sqlite3")
    assert_one_line_failure(cli_in_process(capfd, "import", str(d), data_dir=data), "import",
                            *fragments)
    assert db_snapshot(data / "library.sqlite3") == before
    out = tmp_path / "out"
    train = cli_in_process(capfd, "train", "--dataset", str(d), "--out", str(out),
                           "--max-steps", "5", data_dir=data)
    assert_one_line_failure(train, "train", *fragments)
    assert not out.exists()


def test_a_membership_of_an_unknown_track_is_named_by_its_line(tmp_path, library, capfd):
    """`import` keeps it as an unresolved entry; `train --dataset` refuses it, and named
    neither the file nor the line."""
    d = broken(tmp_path / "ds", "memberships.csv", MEMBERS + "p1,zz\np0,t1\np0,yy\n")
    out = tmp_path / "out"
    train = cli_in_process(capfd, "train", "--dataset", str(d), "--out", str(out),
                           "--max-steps", "5", data_dir=tmp_path / "data")
    assert_one_line_failure(train, "train", f"{d}/memberships.csv: 2 memberships name tracks "
                            "that are not in the track list of tracks.csv (first: line 10, "
                            "track_id 'zz')")
    assert not out.exists()
    rep = import_dataset(AppContext.create(tmp_path / "data"), d)
    assert rep.unknown_memberships == 2
    assert rep.notes == ["2 memberships name track ids absent from tracks.csv (first: "
                         "memberships.csv line 10, track_id 'zz'; kept as unresolved entries)"]


def test_a_playlist_id_named_twice_is_named_by_its_lines(tmp_path, library, capfd):
    d = broken(tmp_path / "ds", "playlists.csv", "playlist_id,name\np0,A\np1,B\np0,C\n")
    data = shutil.copytree(library, tmp_path / "data")
    before = db_snapshot(data / "library.sqlite3")
    assert_one_line_failure(cli_in_process(capfd, "import", str(d), data_dir=data), "import",
                            f"{d}/playlists.csv: duplicate playlist_id 'p0' on lines 2 and 4")
    assert db_snapshot(data / "library.sqlite3") == before


def test_a_trailing_comma_on_every_row_reads_the_same_to_both(tmp_path):
    """pandas took the first column of such a file as its index: `train --dataset` read the
    titles as the track ids (and refused every membership), where `import` drops the extra
    empty cell."""
    d = broken(tmp_path / "ds", "tracks.csv", TRACKS.replace("\n", ",\n").replace(
        "track_id,title,\n", "track_id,title\n"))
    data = GraphData.from_dataset_dir(d)
    assert data.track_ids.tolist() == [f"t{i}" for i in range(N_TRACKS)]
    assert data.memberships.shape == (N_TRACKS, 2)
    ctx = AppContext.create(tmp_path / "data")
    assert import_dataset(ctx, d).unknown_memberships == 0
    assert import_dataset(ctx, d).notes == []  # an empty extra cell loses nothing


def test_import_notes_rows_with_more_cells_than_the_header(tmp_path):
    """A title with an unquoted comma ('Hello, World') shifts its row's cells: `import` kept
    the header's cells and dropped the rest without a word."""
    d = dataset(tmp_path / "ds")
    rows = (d / "tracks.csv").read_text().splitlines()
    rows[3] = "t2,Hello, World"  # line 4 of the file
    (d / "tracks.csv").write_text("\n".join(rows) + "\n")
    rep = import_dataset(AppContext.create(tmp_path / "data"), d)
    assert rep.tracks == N_TRACKS
    assert rep.notes == ["1 row of tracks.csv has more cells than its header (line 4): "
                         "the extra cells were left out; a comma inside an unquoted value "
                         "shifts the cells after it (quote a value that holds a comma)"]


def test_import_names_an_unknown_membership_by_its_own_line_after_blank_lines(tmp_path, library):
    """Blank lines before it: the note names the file's line, not the row's index + 2."""
    d = broken(tmp_path / "ds", "memberships.csv", MEMBERS + "\n\np1,zz\n")
    rep = import_dataset(AppContext.create(tmp_path / "data"), d)
    line = (MEMBERS + "\n\np1,zz\n").splitlines().index("p1,zz") + 1
    assert rep.notes == ["1 membership names a track id absent from tracks.csv (first: "
                         f"memberships.csv line {line}, track_id 'zz'; kept as unresolved "
                         "entries)"]
