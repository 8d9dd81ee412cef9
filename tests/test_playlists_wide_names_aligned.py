"""``musicsage playlists`` keeps its "from" column in line when a name is written in wide
characters (Japanese, an emoji): padded by its characters, "東京の夜" took 8 terminal columns
where 4 were counted, and its row's file stood 4 columns right of the others'."""

from __future__ import annotations

import unicodedata

from musicsage.cli import main


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_the_from_column_starts_at_one_terminal_column_on_every_row(tmp_path, capsys):
    music, lists = tmp_path / "music", tmp_path / "lists"
    music.mkdir()
    lists.mkdir()
    names = ["東京の夜", "Road Trip", "🎧 Focus"]
    for name in names:
        (lists / f"{name}.m3u").write_text("# empty\n", encoding="utf-8")
    data = str(tmp_path / "data")
    assert main(["scan", str(music), "--playlists", *map(str, sorted(lists.iterdir())),
                 "--data-dir", data, "--json"]) == 0
    capsys.readouterr()

    assert main(["playlists", "--data-dir", data]) == 0
    rows = capsys.readouterr().out.splitlines()[1:4]
    starts = {_columns(row[:row.index(str(lists))]) for row in rows}
    assert len(starts) == 1, rows
