"""A quote opened in a dataset CSV's header row and never closed is refused in one line
naming the file and the line: read before the rows, outside their CSV error handling, it
ended ``import`` with "unexpected error (Error: unexpected end of data); this is a bug" and
a crash log."""

from __future__ import annotations

import pytest

from musicsage import cli


@pytest.mark.parametrize("above, line", [("", 1), ("\n   \n", 3)])
def test_a_quote_never_closed_in_the_header_is_named_by_its_line(tmp_path, capsys, above,
                                                                  line):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text(above + 'track_id,"title\nt1,a\n')
    lib = tmp_path / "lib"
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage import: {d / 'tracks.csv'} line {line}: a quote opened in this row is "
        "never closed (the file ends inside the quoted value)"]
    assert not (lib / "library.sqlite3").exists()


def test_a_quote_closed_before_more_text_in_the_header_is_named_too(tmp_path, capsys):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,a\n")
    (d / "memberships.csv").write_text('playlist_id,"track"_id\np1,t1\n')
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage import: {d / 'memberships.csv'} line 1: not valid CSV (',' expected "
        "after '\"'): a value that starts with a quote must end with one, any quote inside "
        "it doubled"]
