"""A failure line on stderr names a file as it is: a U+3000 or no-break space in its name was
shown as an ASCII space (``str.split`` joined every kind of space), so the name a user copied
from the line was not the file's. Line breaks and tabs still become one space (one line),
and an escape is still written visibly."""

from __future__ import annotations

from musicsage.cli_errors import fail


def test_a_failure_line_keeps_the_spaces_of_a_files_name(capsys):
    assert fail("scan", "cannot read 東京\u3000タワー.mp3 or Mr.\u00a0Blue.flac") == 1
    line = capsys.readouterr().err
    assert line == "musicsage scan: cannot read 東京\u3000タワー.mp3 or Mr.\u00a0Blue.flac\n"


def test_a_failure_line_is_still_one_line_with_escapes_shown(capsys):
    fail("play", "cannot play\n  music/\x1b[31mred.mp3\t(gone)\n")
    line = capsys.readouterr().err
    assert line == "musicsage play: cannot play music/\\x1b[31mred.mp3 (gone)\n"
