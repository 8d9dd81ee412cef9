"""The rows an import reads (:class:`~musicsage.library.dataset_read.TableRows`, made when
reached) compare and show as the list of dicts they stand for: two reads of one dataset dir
are equal, and a failing assertion shows the rows, not ``<TableRows object at 0x…>``. A row
is a fresh dict each read: changing it changes nothing held."""

from __future__ import annotations

from musicsage.library.dataset_read import read_dataset

ROWS = [{"track_id": "a", "title": "A"}, {"track_id": "b", "title": "B"}]


def _dataset(d):
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\na,A\nb,B\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np,a\n")
    return d


def test_two_reads_of_one_dataset_dir_are_equal(tmp_path):
    d = _dataset(tmp_path / "ds")
    first, second = read_dataset(d), read_dataset(d)
    assert first.rows == second.rows and not first.rows != second.rows
    assert first.rows == ROWS and ROWS == first.rows
    assert first.rows != ROWS[:1] and first.rows != second.memberships
    assert first.rows != tuple(ROWS) and first.rows != "a"


def test_the_rows_show_as_their_list(tmp_path):
    rows = read_dataset(_dataset(tmp_path / "ds")).rows
    assert repr(rows) == repr(ROWS)


def test_a_row_is_a_fresh_dict_each_read(tmp_path):
    rows = read_dataset(_dataset(tmp_path / "ds")).rows
    rows[0]["title"] = "X"
    assert rows[0]["title"] == "A" and rows == ROWS
