"""An MP3 an older scan stored at its header's guess (17.6 s of 30) whose file is then touched,
retagged or moved: the scan that reads it again counts its frames and stored the 30 s, but
kept its vectors (made from the first 17.6 s) and ``needs_analysis`` unset, as for any file
whose audio did not change; the recount of unchanged files skips it, so no later scan or
embed ever made them from the whole track."""

from __future__ import annotations

import os
import shutil

from mutagen.id3 import ID3, TIT2
from test_mp3_lengths_an_older_scan_stored import as_an_older_scan_left_it, short_guess
from test_mp3_longer_than_its_header_is_scanned_and_embedded_whole import (
    vbr_without_length_header)

from musicsage.library.scan import scan_roots
from hints_told_support import as_default


def note(guess: float) -> str:
    """What the scan says of the rip stored at its header's ``guess`` (:func:`short_guess`:
    the encoder's, 17.6 s by PyAV 18.1.0's LAME) once it counted its 30 s."""
    return (f"its length counted from its frames is 30.0 s (stored: {guess:.1f} s): its"
            " vectors (if any) were dropped, and `musicsage embed` analyses it again")


def stored(conn) -> tuple:
    """(duration, needs_analysis, vectors) of the library's one track."""
    return conn.execute(
        "SELECT t.duration, t.needs_analysis, count(e.track_id) FROM tracks t"
        " LEFT JOIN audio_embeddings e ON e.track_id = t.id GROUP BY t.id").fetchone()


def older_scan_of_a_rip(conn, music):
    rip = music / "rip.mp3"
    vbr_without_length_header(rip)
    scan_roots(conn, [str(music)])
    as_an_older_scan_left_it(conn, rip)
    return rip


def test_a_touched_mp3_stored_at_its_guess_is_analysed_again(conn, music):
    rip = older_scan_of_a_rip(conn, music)
    guess = short_guess(rip)
    os.utime(rip, (1_700_000_000, 1_700_000_000))
    rep = scan_roots(conn, [str(music)])
    duration, needs, vectors = stored(conn)
    assert 29.9 < duration < 30.2 and (needs, vectors) == (1, 0)
    assert [n for _p, n in rep.notes] == [note(guess)] and rep.unchanged == 1


def test_a_retagged_mp3_stored_at_its_guess_is_analysed_again(conn, music):
    rip = older_scan_of_a_rip(conn, music)
    guess = short_guess(rip)
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Retagged"))
    tags.save(str(rip))
    rep = scan_roots(conn, [str(music)])
    duration, needs, vectors = stored(conn)
    assert 29.9 < duration < 30.2 and (needs, vectors) == (1, 0)
    assert [n for _p, n in rep.notes] == [note(guess)] and rep.updated == 1
    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "Retagged"


def test_a_moved_mp3_stored_at_its_guess_keeps_its_track_and_is_analysed_again(conn, music):
    rip = older_scan_of_a_rip(conn, music)
    guess = short_guess(rip)
    track_id = conn.execute("SELECT id FROM tracks").fetchone()[0]
    (music / "moved").mkdir()
    rip.rename(music / "moved" / "rip.mp3")
    rep = scan_roots(conn, [str(music)])
    assert (rep.moved, rep.added, rep.missing) == (1, 0, 0)
    rows = conn.execute("SELECT id, path LIKE '%moved/rip.mp3' FROM tracks").fetchall()
    assert [tuple(r) for r in rows] == [(track_id, 1)]
    duration, needs, vectors = stored(conn)
    assert 29.9 < duration < 30.2 and (needs, vectors) == (1, 0)
    assert [n for _p, n in rep.notes] == [note(guess)]


def test_a_touched_mp3_whose_stored_length_was_counted_keeps_its_vectors(conn, music):
    rip = older_scan_of_a_rip(conn, music)
    scan_roots(conn, [str(music)])  # the recount: counted, analysed again
    conn.execute("UPDATE tracks SET needs_analysis = 0")
    conn.commit()
    os.utime(rip, (1_700_000_000, 1_700_000_000))
    rep = scan_roots(conn, [str(music)])
    assert rep.notes == [] and stored(conn)[1] == 0


def test_scan_sums_up_many_recounted_tracks_in_one_line(conn, music, data_dir, capsys):
    """A library of 5,000 such MP3s printed 5,000 note lines, hiding every other one."""
    from musicsage import cli

    rip = older_scan_of_a_rip(conn, music)
    for i in range(21):
        copy = music / f"copy{i:02}.mp3"
        shutil.copy2(rip, copy)
    assert cli.main(["--data-dir", str(data_dir), "scan", str(music)]) == 0
    for path in sorted(music.glob("*.mp3")):
        as_an_older_scan_left_it(conn, path)
    capsys.readouterr()
    assert cli.main(["--data-dir", str(data_dir), "scan", str(music)]) == 0
    notes = [line for line in as_default(capsys.readouterr().out, data_dir).splitlines()
             if "note:" in line]
    assert notes == ["note: 22 MP3 tracks (rip.mp3, copy00.mp3, copy01.mp3 …) had a length"
                     " counted from their frames other than the one stored: their vectors (if"
                     " any) were dropped, and `musicsage embed` analyses them again"]
