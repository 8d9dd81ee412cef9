"""``musicsage playlists`` keeps its "from" column in line when a name is written in wide
characters (Japanese, an emoji) or combining accents: padded by its characters, "東京の夜"
took 8 terminal columns where 4 were counted, and its row's file stood 4 columns right of the
others'. A name wider than the name column (40 columns) is cut with "…": a 30-character name
in Japanese, 60 columns, pushed its row's "from" 20 columns to the right."""

from __future__ import annotations

from musicsage.cli import main
from musicsage.commands.playlists import NAME_WIDTH
from musicsage.text import columns
from musicsage.context import library_option

LONG_JAPANESE = "東京の夜" * 7 + "東京"  # 30 characters, 60 columns
LONG_LATIN = "An Evening of Slow Songs for the Long Drive Home"  # 48 columns


def _listed(tmp_path, capsys, names: list[str]) -> list[str]:
    """The rows of ``musicsage playlists`` for empty playlists of ``names``, the folder of
    their files last on each."""
    return _output(tmp_path, capsys, names)[1:1 + len(names)]


def _output(tmp_path, capsys, names: list[str]) -> list[str]:
    """The lines ``musicsage playlists`` prints for empty playlists of ``names``."""
    music, lists = tmp_path / "music", tmp_path / "lists"
    music.mkdir()
    lists.mkdir()
    for name in names:
        (lists / f"{name}.m3u").write_text("# empty\n", encoding="utf-8")
    data = str(tmp_path / "data")
    assert main(["scan", str(music), "--playlists", *map(str, sorted(lists.iterdir())),
                 "--data-dir", data, "--json"]) == 0
    capsys.readouterr()
    assert main(["playlists", "--data-dir", data]) == 0
    return capsys.readouterr().out.splitlines()


def _from_columns(rows: list[str], folder) -> set[int]:
    return {columns(row[:row.index(str(folder))]) for row in rows}


def test_the_from_column_starts_at_one_terminal_column_on_every_row(tmp_path, capsys):
    rows = _listed(tmp_path, capsys, ["東京の夜", "Road Trip", "🎧 Focus", "Cafe\u0301 Noir"])
    assert len(_from_columns(rows, tmp_path / "lists")) == 1, rows


def test_a_name_wider_than_the_column_is_cut_and_the_rows_stay_in_line(tmp_path, capsys):
    rows = _listed(tmp_path, capsys, [LONG_JAPANESE, LONG_LATIN, "Jazz"])
    assert _from_columns(rows, tmp_path / "lists") == {6 + 2 + 6 + 2 + NAME_WIDTH + 2}, rows
    names = [row[:row.index(str(tmp_path / "lists"))] for row in rows]  # the file has it whole
    cut = [name for name in names if "\u2026" in name]
    assert len(cut) == 2, rows
    assert not any(LONG_JAPANESE in name or LONG_LATIN in name for name in names)
    assert any("東京の夜東京の夜" in name for name in cut)
    assert any("An Evening of" in name for name in cut)


def test_a_last_line_says_how_many_names_were_cut_and_where_they_are_whole(tmp_path, capsys):
    """A player's or dataset's playlist has no file naming it: cut, its name was nowhere in
    the text, while ``suggest NAME --add`` needs it exactly."""
    lines = _output(tmp_path, capsys, [LONG_JAPANESE, LONG_LATIN, "Jazz"])
    assert lines[-1] == (f"(2 names cut: `musicsage {library_option(tmp_path / 'data')}"
                         "playlists --json` has them whole)")


def test_no_such_line_when_every_name_fits(tmp_path, capsys):
    lines = _output(tmp_path, capsys, ["東京の夜", "Jazz"])
    assert lines[-1].startswith("2 playlists;"), lines
