"""A track's file moved onto another track's name (``mv a.wav b.wav``, both scanned): the next
scan said "1 changed, 1 moved" for one file moved, and what became of the rows depended on
which track was scanned first and on playlists. Moved onto a track scanned after it, in no
playlist, the moved track took the path (right). Moved onto a track scanned before it, or one
in a playlist, the moved track was left missing with its vectors and playlist places, and the
other track's row held the moved audio, its vectors dropped, to be analysed again: ``forget
--missing`` then took the moved song's playlist places with it.

Now the moved track takes the path whatever the order, with its id, vectors and playlists; the
other track, whose audio is gone, leaves the library and its playlist entries (which name the
path) play the file there. The scan says one move, and a note says what happened."""

from __future__ import annotations

import os

from musicsage.cli import main
from musicsage.usecases.library import scan_library


def _two_tracks(ctx, conn, tmp_path, make_audio, listed: str):
    """a.wav and b.wav scanned in that order (a's id the lower), each with a vector; the
    playlist lists the ``listed`` ones (``"ab"``, ``"b"``…)."""
    music = tmp_path / "music"
    make_audio(music / "a.wav", freq=220.0)
    make_audio(music / "b.wav", freq=330.0)
    mix = tmp_path / "mix.m3u"
    mix.write_text("".join(f"{music / n}.wav\n" for n in listed), encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)] if listed else [])
    ids = {n: conn.execute("SELECT id FROM tracks WHERE path = ?",
                           (str(music / f"{n}.wav"),)).fetchone()[0] for n in "ab"}
    assert ids["a"] < ids["b"]
    with conn:
        for tid in ids.values():
            conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                         " vector) VALUES (?, 'spectral', 'v', 1, x'0000803f')", (tid,))
    return music, ids


def _rows(conn):
    return ([tuple(r) for r in conn.execute("SELECT id, path, status FROM tracks ORDER BY id")],
            [r[0] for r in conn.execute("SELECT track_id FROM audio_embeddings")],
            [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries"
                                        " ORDER BY position")])


def test_moved_onto_a_track_scanned_before_it_keeps_the_moved_track(ctx, conn, tmp_path,
                                                                    make_audio):
    music, ids = _two_tracks(ctx, conn, tmp_path, make_audio, listed="a")
    os.replace(music / "b.wav", music / "a.wav")  # b's song moved onto a's name

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 1, 0)
    tracks, vectors, entries = _rows(conn)
    assert tracks == [(ids["b"], str(music / "a.wav"), "present")], "b's track, at a.wav"
    assert vectors == [ids["b"]], "its vector kept: nothing to analyse again"
    assert entries == [ids["b"]], "a's playlist entry plays the file at its path"
    assert not report.examples.get("changed")
    assert report.notes == [(str(music / "a.wav"), (
        "moved here from b.wav, over another track's file: that track left the library (its "
        "audio was overwritten); its 1 playlist entry now plays this file"))]
    again = scan_library(ctx)
    assert (again.updated, again.moved, again.unchanged) == (0, 0, 1)


def test_moved_onto_a_track_in_a_playlist_keeps_both_entries(ctx, conn, tmp_path,
                                                             make_audio):
    music, ids = _two_tracks(ctx, conn, tmp_path, make_audio, listed="ab")
    os.replace(music / "a.wav", music / "b.wav")

    report = scan_library(ctx)

    assert (report.updated, report.moved, report.missing) == (0, 1, 0)
    tracks, vectors, entries = _rows(conn)
    assert tracks == [(ids["a"], str(music / "b.wav"), "present")]
    assert vectors == [ids["a"]]
    assert entries == [ids["a"], ids["a"]], "no playlist entry lost, none left unresolved"
    assert "moved here from a.wav" in report.notes[0][1]


def test_the_command_line_says_one_move_and_what_became_of_the_other(tmp_path, make_audio,
                                                                      capsys):
    music, data = tmp_path / "music", tmp_path / "data"
    make_audio(music / "a.wav", freq=220.0)
    make_audio(music / "b.wav", freq=330.0)
    assert main(["scan", str(music), "--data-dir", str(data)]) == 0
    os.replace(music / "a.wav", music / "b.wav")
    capsys.readouterr()

    assert main(["scan", str(music), "--data-dir", str(data)]) == 0

    out = capsys.readouterr().out
    assert "0 new, 0 changed, 0 unchanged, 1 moved, 0 back, 0 now missing" in out
    assert (f"note: {music / 'b.wav'}: moved here from a.wav, over another track's file: "
            "that track left the library (its audio was overwritten)\n") in out


def test_a_file_copied_over_another_with_its_original_still_there_is_a_change(
        ctx, conn, tmp_path, make_audio):
    """A guard: ``cp a.wav b.wav`` (a tag editor's "save as" over another file) leaves a's
    file where it was: b's track is changed, a's untouched, no move."""
    music, ids = _two_tracks(ctx, conn, tmp_path, make_audio, listed="b")
    (music / "b.wav").write_bytes((music / "a.wav").read_bytes())

    report = scan_library(ctx)

    assert (report.updated, report.moved, report.missing, report.notes) == (1, 0, 0, [])
    tracks, _vectors, entries = _rows(conn)
    assert [t[0] for t in tracks] == [ids["a"], ids["b"]]
    assert entries == [ids["b"]]
