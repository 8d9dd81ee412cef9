"""A quote never closed in a large tracks.csv is refused naming its line and the cause: the
quoted value takes in the lines after it until Python's CSV reader stops at its limit, and
that was said as "not valid CSV (field larger than field limit (131072))", which names no
cause. ``import`` and ``train``/``eval --dataset`` read the file through one reader."""

from __future__ import annotations

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library.dataset_read import read_tracks_csv


def test_a_quote_never_closed_in_a_large_file_is_named_by_its_line(tmp_path, capsys):
    d = tmp_path / "ds"
    d.mkdir()
    rows = [f"t{i},Song {i}" for i in range(20_000)]
    rows[49] = 't49,"Song 49'  # line 51 of the file
    (d / "tracks.csv").write_text("track_id,title\n" + "\n".join(rows) + "\n")
    words = (f"{d / 'tracks.csv'} line 51: a value of more than 131,072 characters starts in "
             "this row: a quote opened in it and never closed takes in the lines after it "
             "(close it, and double any quote inside a value), or the file is not a CSV table")
    with pytest.raises(MusicsageError) as exc:
        read_tracks_csv(d / "tracks.csv")
    assert str(exc.value) == words
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [f"musicsage import: {words}"]
