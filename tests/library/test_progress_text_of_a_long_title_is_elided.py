"""The command line's progress text names the file or track it is at in a bar's width: a
track's whole title went into it, and ``tags --library`` wrote 10,000 characters a line for
a title that long (into a log, stderr not being a terminal) (commands/output.py)."""

from __future__ import annotations

import re

from library_audio import write_audio

from musicsage.cli import main
from musicsage.commands.output import MESSAGE_WIDTH, shown_message

TITLE = "Overture " + "la " * 3300 + "Finale"


def test_tags_library_shows_a_long_title_elided(ctx, music, tagger, capsys):
    write_audio(music / "long.flac", seconds=1.0, tags={"title": TITLE})
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(ctx.data_dir), "tags", "--library"]) == 0
    err = capsys.readouterr().err
    lines = [line for line in re.split(r"[\r\n]", err) if line.strip()]
    assert "Overture la" in err and "la Finale" in err  # its start and its end, elided
    assert max(map(len, lines)) < MESSAGE_WIDTH + 100, max(lines, key=len)[:300]


def test_a_long_path_keeps_its_start_and_its_file_name():
    path = "/home/me/Music/" + "Very Long Folder Name/" * 20 + "07 The Song.flac"
    shown = shown_message(path)
    assert len(shown) == MESSAGE_WIDTH
    assert shown.startswith("/home/me/Music/") and shown.endswith("/07 The Song.flac")
    assert "…" in shown
    assert shown_message("/m/a.flac") == "/m/a.flac"
    assert shown_message("a\x1bb" * 40).count("\\x1b") > 10  # escaped, then elided
