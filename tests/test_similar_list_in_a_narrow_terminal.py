"""``similar`` and ``suggest`` in a narrow terminal (``COLUMNS=10``, a phone's ssh window): the
titles were cut to nothing and each row read " 1 *  0.995", a score of no track. The lists
are laid out for 60 columns at least; a line the terminal wraps still names its track."""

from __future__ import annotations

from musicsage.cli import main
from music_support import make_music


def test_a_narrow_terminal_still_shows_the_titles(tmp_path, capsys, monkeypatch):
    music, playlists, _paths = make_music(tmp_path, n_tracks=8, seconds=0.5)
    data = ["--data-dir", str(tmp_path / "lib")]
    assert main([*data, "scan", str(music), "--playlists", str(playlists)]) == 0
    assert main([*data, "embed", "--model", "spectral"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "10")

    assert main([*data, "similar", "Rock Song 0", "-k", "3", "--space", "audio"]) == 0
    similar = capsys.readouterr().out.splitlines()
    assert main([*data, "suggest", "Mix 1", "-k", "3", "--space", "audio"]) == 0
    suggest = capsys.readouterr().out.splitlines()

    for rows in (similar, suggest):
        ranked = [line for line in rows if line.startswith((" 1 ", " 2 ", " 3 "))]
        assert len(ranked) == 3 and all(" Band - " in line for line in ranked), rows
