"""Two CSV files joined into one (``cat part1.csv part2.csv > tracks.csv``) keep the second
one's header as a row: ``import`` stored a track named ``track_id`` (and ``train --dataset``
trained on it, in a playlist named ``playlist_id``) that no one made, without a word. Such a
row is refused, naming its line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from musicsage.cli import main


def _joined(d: Path) -> Path:
    """24 tracks in three playlists, tracks.csv and memberships.csv each two files joined."""
    d.mkdir()
    head = "track_id,title\n"
    (d / "tracks.csv").write_text(head + "".join(f"t{i},Song {i}\n" for i in range(12))
                                  + head + "".join(f"t{i},Song {i}\n" for i in range(12, 24)))
    members = "playlist_id,track_id\n"
    (d / "memberships.csv").write_text(
        members + "".join(f"p{i % 3},t{i}\n" for i in range(12))
        + members + "".join(f"p{i % 3},t{i}\n" for i in range(12, 24)))
    np.save(d / "features.npy", np.ones((25, 4), np.float32))
    return d


def test_import_refuses_a_tracks_csv_holding_its_header_again(tmp_path, capsys):
    d = _joined(tmp_path / "ds")
    assert main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage import: {d / 'tracks.csv'} line 14: the header again (track_id,title), "
        "read as a row: were two files joined? remove that line"]
    assert not (tmp_path / "lib").exists()


@pytest.mark.parametrize("fixed", ["", "tracks.csv"])
def test_train_refuses_a_csv_holding_its_header_again(tmp_path, capsys, fixed):
    d = _joined(tmp_path / "ds")
    if fixed:  # tracks.csv mended (a row only like its header is a row): memberships.csv next
        (d / "tracks.csv").write_text("track_id,title\n" + "".join(
            f"t{i},Song {i}\n" for i in range(24)) + "track_id,Title\n")
    assert main(["train", "--dataset", str(d), "--out", str(tmp_path / "out"),
                 "--max-steps", "2"]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    expected = (f"{d / 'tracks.csv'} line 14: the header again (track_id,title)" if not fixed
                else f"{d / 'memberships.csv'} line 14: the header again (playlist_id,track_id)")
    assert last == f"musicsage train: {expected}, read as a row: were two files joined? remove " \
                   "that line"
    assert not (tmp_path / "out").exists()


def test_import_refuses_a_header_again_that_starts_with_a_byte_order_mark(tmp_path, capsys):
    """Two files saved as Excel's "CSV UTF-8" each start with a byte-order mark: joined, the
    second one's header was stored as a track ``\\ufefftrack_id``."""
    d = _joined(tmp_path / "ds")
    half = "\ufefftrack_id,title\n"
    (d / "tracks.csv").write_text(half + "".join(f"t{i},Song {i}\n" for i in range(12)) + half
                                  + "".join(f"t{i},Song {i}\n" for i in range(12, 24)),
                                  encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage import: {d / 'tracks.csv'} line 14: the header again (track_id,title), "
        "read as a row: were two files joined? remove that line"]
    assert not (tmp_path / "lib").exists()
