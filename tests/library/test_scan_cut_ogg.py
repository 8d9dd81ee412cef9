"""An Ogg or Opus file cut short after a scan (a copy broken off, a file truncated): its
decoder reads it as a shorter, whole stream, and the scan stored it as a changed track, said
nothing, and the embedder made its vectors from what was left. It must be an error ("audio
ends early"), as a FLAC or MP3 cut alike is, read again by the next scan."""

from __future__ import annotations

import pytest

from musicsage.errors import AUDIO_ENDS_EARLY
from musicsage.library.scan import scan_roots


def _cut(path, keep: float) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return data


@pytest.mark.parametrize("name", ["song.ogg", "song.opus"])
def test_a_cut_ogg_file_is_an_error_and_reads_again_once_whole(conn, music, make_audio, name):
    song = music / name
    make_audio(song, seconds=6.0, tags={"title": "Song"})
    rep = scan_roots(conn, [str(music)])
    assert (rep.added, rep.errors) == (1, [])
    (track_id, duration), = conn.execute("SELECT id, duration FROM tracks")

    whole = _cut(song, 0.9)
    rep = scan_roots(conn, [str(music)])

    assert rep.errors == [(str(song), AUDIO_ENDS_EARLY)]
    assert rep.updated == 0
    assert tuple(conn.execute("SELECT duration, needs_analysis FROM tracks WHERE id = ?",
                              (track_id,)).fetchone()) == (duration, 1)  # not the shorter length
    assert conn.execute("SELECT COUNT(*) FROM errors WHERE stage = 'scan'").fetchone()[0] == 1

    song.write_bytes(whole)  # copied again in full
    rep = scan_roots(conn, [str(music)])
    assert (rep.errors, rep.updated) == ([], 1)
    assert conn.execute("SELECT COUNT(*) FROM errors").fetchone()[0] == 0


def test_a_new_ogg_file_cut_short_is_no_track(conn, music, make_audio):
    """A partial copy the scan (or the folder watch) meets: an error, not a short track."""
    make_audio(music / "whole.ogg", seconds=3.0)
    make_audio(music / "partial.ogg", seconds=6.0)
    _cut(music / "partial.ogg", 0.9)
    rep = scan_roots(conn, [str(music)])
    assert rep.added == 1
    assert [p for p, _r in rep.errors] == [str(music / "partial.ogg")]
    assert [r[0] for r in conn.execute("SELECT path FROM tracks")] == [str(music / "whole.ogg")]


def test_a_cut_ogg_file_given_to_scan_is_refused_as_a_cut_mp3_is(ctx, tmp_path, make_audio,
                                                                 capsys):
    """``scan cut.ogg`` scanned it and remembered it as a music folder; ``scan cut.mp3`` was
    refused in one line, nothing scanned."""
    from musicsage import cli

    song = tmp_path / "cut.ogg"
    make_audio(song, seconds=6.0)
    _cut(song, 0.9)
    code = cli.main(["--data-dir", str(tmp_path / "lib"), "scan", str(song)])
    err = capsys.readouterr().err
    assert code != 0
    assert f"{song} cannot be read: {AUDIO_ENDS_EARLY}; nothing was scanned" in err
