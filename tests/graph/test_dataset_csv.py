"""One dataset dir, one reading: ``import`` (:func:`~musicsage.library.dataset_read.read_dataset`)
and ``train``/``eval --dataset`` (:meth:`~musicsage.graph.data.GraphData.from_dataset_dir`)
read tracks.csv and memberships.csv through the same CSV reader. With pandas on the training
side, a row longer than the header was read by ``import`` and refused by ``train``, a line of
spaces was refused by ``import`` and skipped by ``train``, and both named the wrong line after
a blank line or a value spanning lines."""

from __future__ import annotations

import json

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.graph.data import GraphData
from musicsage.library.dataset_read import read_dataset

TRACKS = "track_id,title,artist\n" + "".join(f"t{i},Song {i},A{i % 2}\n" for i in range(4))
MEMBERS = "playlist_id,track_id\n" + "".join(f"p{i % 2},t{i}\n" for i in range(4))
QUOTED_NEWLINE = TRACKS.replace("Song 1", '"Song\n1"')  # row t1 spans lines 3 and 4

#: case: (tracks.csv, memberships.csv, what both readers say: None = both read it; else the
#: refusal's text after the folder's path)
ODD_FILES = {
    # "Hello, World" unquoted: three cells where the header has two after track_id
    "overlong row": (TRACKS.replace("Song 2,A0", "Hello, World,A0"), MEMBERS, None),
    "byte-order marks": ("\ufeff" + TRACKS, "\ufeff" + MEMBERS, None),
    "trailing comma": (TRACKS.replace("\n", ",\n").replace("artist,\n", "artist\n"), MEMBERS,
                       None),
    "blank lines": (TRACKS.replace("t1,", "\nt1,"), MEMBERS.replace("p1,t3", "\n\np1,t3"),
                    None),
    "a line of spaces": (TRACKS.replace("t1,", "   \nt1,"), MEMBERS, None),
    "CRLF": (TRACKS.replace("\n", "\r\n"), MEMBERS.replace("\n", "\r\n"), None),
    "quoted newline": (QUOTED_NEWLINE, MEMBERS, None),
    "short row": (TRACKS.replace("t2,Song 2,A0", "t2"), MEMBERS, None),
    "empty id after a quoted newline": (
        QUOTED_NEWLINE.replace("t3,", ","), MEMBERS,
        "tracks.csv line 6: empty track_id (a blank cell, or a row with fewer cells than "
        "the header); every row needs one"),
    "duplicate id after a blank line": (
        TRACKS.replace("t1,", "\nt1,").replace("t3,", "t0,"), MEMBERS,
        "tracks.csv: duplicate track_id 't0' on lines 2 and 6 (an id that is not unique "
        "cannot name one row)"),
    "empty playlist_id after a blank line": (
        TRACKS, MEMBERS.replace("p1,t3", "\n,t3"), "memberships.csv line 6: empty playlist_id"),
    "no track_id column": (TRACKS.replace("track_id", "id"), MEMBERS,
                           "tracks.csv: missing column(s) track_id"),
    "no playlist_id column": (TRACKS, MEMBERS.replace("playlist_id", "playlist"),
                              "memberships.csv: missing column(s) playlist_id"),
    "empty memberships.csv": (TRACKS, "", "memberships.csv is empty: missing column(s) "
                              "playlist_id, track_id; write at least a header row: "
                              "playlist_id,track_id"),
    "not UTF-8": (TRACKS.replace("Song 2", "Caf\udce9"), MEMBERS,
                  "tracks.csv is not UTF-8 text (byte 0xe9 on line 4): save it as UTF-8"),
    "quote never closed": (TRACKS.replace("Song 2", '"Song 2'), MEMBERS,
                           "tracks.csv line 4: a quote opened in this row is never closed"),
    "quote closed before more text": (TRACKS.replace("Song 2", '"Song" 2'), MEMBERS,
                                      "tracks.csv line 4: not valid CSV"),
}


def write(d, tracks: str, members: str):
    d.mkdir()
    for name, text in (("tracks.csv", tracks), ("memberships.csv", members)):
        (d / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    np.save(d / "features.npy", np.ones((4, 2), np.float32))
    return d


def import_reads(d):
    """What ``import`` reads: each track's id and artist, and the (playlist, track) pairs."""
    files = read_dataset(d)
    tracks = [(row["track_id"], row.get("artist", "")) for row in files.rows]
    return tracks, {(m["playlist_id"], m["track_id"]) for m in files.memberships}


def train_reads(d):
    """What ``train --dataset`` reads, in the same terms."""
    data = GraphData.from_dataset_dir(d)
    artists = [data.metadata_keys["artist"][i] if i >= 0 else ""
               for i in data.metadata["artist"]]
    tracks = list(zip(data.track_ids.tolist(), artists))
    pairs = {(data.playlist_keys[p], data.track_ids[t]) for t, p in data.memberships}
    return tracks, pairs


def outcome(read, d):
    try:
        return read(d)
    except MusicsageError as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize("case", list(ODD_FILES))
def test_both_readers_give_one_file_one_verdict_and_the_same_rows(tmp_path, case):
    tracks, members, refusal = ODD_FILES[case]
    d = write(tmp_path / "ds", tracks, members)
    by_import, by_train = outcome(import_reads, d), outcome(train_reads, d)
    assert by_import == by_train
    if refusal is None:
        assert [t for t, _ in by_import[0]] == ["t0", "t1", "t2", "t3"]
        assert len(by_import[1]) == 4
    else:
        assert by_import.startswith(f"refused: {d}/{refusal}"), by_import


def test_an_overlong_row_keeps_the_headers_cells_for_both(tmp_path):
    """Its extra cells are left out (``import`` notes the line); the cells it keeps are
    the ones the header names, shifted as the user wrote them, for both readers alike."""
    d = write(tmp_path / "ds", ODD_FILES["overlong row"][0], MEMBERS)
    assert read_dataset(d).overlong == [4]
    assert import_reads(d)[0][2] == train_reads(d)[0][2] == ("t2", "World")


def test_lines_are_counted_in_the_file_not_in_rows(tmp_path):
    """A membership of an unknown track (refused by ``train`` only) is named by its line in
    the file, blank lines and values over several lines counted."""
    d = write(tmp_path / "ds", QUOTED_NEWLINE, MEMBERS.replace("p1,t3", "\n\np1,zz"))
    with pytest.raises(MusicsageError) as err:
        GraphData.from_dataset_dir(d)
    assert "(line 7, track_id 'zz')" in str(err.value)


def test_train_and_eval_tell_of_an_overlong_row_once(dataset, tmp_path, capsys):
    """A comma inside an unquoted title moves the artist and album into the wrong cells,
    which the contexts are made of: ``import`` said so and ``train``/``eval --dataset`` read
    the same rows in silence. Now each says it once (not once per seed)."""
    import shutil

    from musicsage import cli

    d = shutil.copytree(dataset, tmp_path / "ds")
    rows = (d / "tracks.csv").read_text().splitlines()
    rows[3] += ",an extra cell"
    (d / "tracks.csv").write_text("\n".join(rows) + "\n")
    note = "1 row of tracks.csv has more cells than its header (line 4)"
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(d),
                     "--out", str(tmp_path / "out"), "--max-steps", "5"]) == 0
    assert capsys.readouterr().out.count(note) == 1
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "eval", "--dataset", str(d),
                     "--seeds", "2", "--set", "max_steps=5", "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert sum(note in n for n in notes) == 1 and notes[0].startswith(note)
