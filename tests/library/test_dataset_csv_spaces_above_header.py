"""A dataset dir's CSV file whose header follows a line of nothing but spaces is read, as
docs/dataset-dir.md says such lines are skipped: the line of spaces was taken for the
header, and the file refused as lacking every column ("tracks.csv: missing column(s)
track_id") although its header named them on the next line."""

from __future__ import annotations

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library.dataset_read import read_tracks_csv


def test_a_line_of_spaces_above_the_header_is_skipped(tmp_path, capsys):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("   \n\t\ntrack_id,title\nt1,Daybreak\nt2,Nightbus\n")
    (d / "memberships.csv").write_text("  \nplaylist_id,track_id\nroad,t1\nroad,t2\n")
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 0
    assert capsys.readouterr().out.startswith("imported 2 tracks, 1 playlist, 2 memberships")


def test_lines_named_after_it_are_still_the_files_own(tmp_path):
    path = tmp_path / "tracks.csv"
    path.write_text("  \ntrack_id\nt1\nt2\nt1\n")
    with pytest.raises(MusicsageError) as exc:
        read_tracks_csv(path)
    assert str(exc.value) == (f"{path}: duplicate track_id 't1' on lines 3 and 5 (an id that "
                              "is not unique cannot name one row)")


def test_a_file_of_nothing_but_spaces_is_empty(tmp_path):
    path = tmp_path / "tracks.csv"
    path.write_text("\n   \n\n")
    with pytest.raises(MusicsageError) as exc:
        read_tracks_csv(path)
    assert str(exc.value) == (f"{path} is empty: missing column(s) track_id; write at least "
                              "a header row: track_id")
