"""Two MP3s an older scan stored at their header's guess, then swapped (``mv a t; mv b a;
mv t b``). A moved MP3 whose counted length is not the one stored is written as changed
content (its vectors made from a part of it), and that write did not set aside the track
still at its new path: the first write of the ring failed on "UNIQUE constraint failed:
tracks.path", and every later scan with it (exit 70, until the files were renamed back).
Now the songs still swap tracks, each counted again."""

from __future__ import annotations

import os

from test_mp3_lengths_an_older_scan_stored import as_an_older_scan_left_it
from test_mp3_longer_than_its_header_is_scanned_and_embedded_whole import (
    vbr_without_length_header)

from musicsage.cli import main
from musicsage.library.scan import scan_roots


def _swapped_after_an_older_scan(conn, music) -> dict[str, int]:
    """a.mp3 (30 s) and b.mp3 (24 s), stored at their guess, swapped: their track ids."""
    a, b = music / "a.mp3", music / "b.mp3"
    vbr_without_length_header(a, 30.0)
    vbr_without_length_header(b, 24.0, noise=(0.0, 2.0))
    scan_roots(conn, [str(music)])
    as_an_older_scan_left_it(conn, a)
    as_an_older_scan_left_it(conn, b)
    ids = {n: conn.execute("SELECT id FROM tracks WHERE path = ?",
                           (str(music / f"{n}.mp3"),)).fetchone()[0] for n in "ab"}
    os.replace(a, music / "t.mp3")
    os.replace(b, a)
    os.replace(music / "t.mp3", b)
    return ids


def test_swapped_mp3s_stored_at_their_guess_swap_their_tracks(conn, music):
    ids = _swapped_after_an_older_scan(conn, music)

    report = scan_roots(conn, [str(music)])

    assert (report.added, report.moved, report.missing) == (0, 2, 0)
    rows = {r[0]: (os.path.basename(r[1]), round(r[2])) for r in conn.execute(
        "SELECT id, path, duration FROM tracks")}
    assert rows == {ids["a"]: ("b.mp3", 30), ids["b"]: ("a.mp3", 24)}, \
        "each track follows its song, its length counted"
    assert conn.execute("SELECT count(*) FROM tracks WHERE path LIKE 'moving:%'").fetchone()[0] == 0


def test_the_command_scans_such_a_swap_and_the_next_scan_too(conn, music, ctx, capsys):
    _swapped_after_an_older_scan(conn, music)
    conn.close()

    assert main(["scan", "--data-dir", str(ctx.data_dir)]) == 0
    assert "2 moved" in capsys.readouterr().out
    assert main(["scan", "--data-dir", str(ctx.data_dir)]) == 0
    assert "0 moved" in capsys.readouterr().out
