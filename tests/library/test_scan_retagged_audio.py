"""A file retagged by another program (a tag editor fixing an album's artist) is the audio its
vectors were made from: the scan reads its tags again and keeps its vectors, and one renamed
too (tag editors rename from the tags) is a move that keeps its playlist memberships. A real
change of the audio is still analysed again."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio, write_tags

from musicsage.library.scan import resolve_roots, scan_roots

FORMATS = ["flac", "wav", "mp3", "aiff"]


def scan(conn, music):
    return scan_roots(conn, resolve_roots([music]))


def _analysed(conn, music, ext):
    """One scanned file of ``ext``, analysed (a vector, needs_analysis 0), in a playlist."""
    path = write_audio(music / f"a.{ext}", seconds=3.0, tags={"title": "A", "artist": "Wrong"})
    scan(conn, music)
    (tid,) = conn.execute("SELECT id FROM tracks").fetchone()
    with conn:
        conn.execute("UPDATE tracks SET needs_analysis = 0")
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim, vector)"
                     " VALUES (?, 'm', '1', 1, x'00000000')", (tid,))
        conn.execute("INSERT INTO playlists(id, path, name) VALUES (1, '/p.m3u', 'P')")
        conn.execute("INSERT INTO playlist_entries(playlist_id, position, raw, track_id)"
                     " VALUES (1, 0, 'a', ?)", (tid,))
    return path, tid


def _retag(path, ext, **tags):
    write_tags(os.fsencode(path), ext, {"artist": "Right", "album": "X" * 70_000, **tags})
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def _kept(conn, tid) -> tuple:
    return (conn.execute("SELECT COUNT(*) FROM audio_embeddings WHERE track_id = ?",
                         (tid,)).fetchone()[0],
            conn.execute("SELECT needs_analysis FROM tracks WHERE id = ?", (tid,)).fetchone()[0])


@pytest.mark.parametrize("ext", FORMATS)
def test_a_retagged_file_keeps_its_vectors_and_gets_its_new_tags(conn, music, ext):
    path, tid = _analysed(conn, music, ext)
    _retag(path, ext)
    rep = scan(conn, music)
    assert (rep.updated, rep.added, rep.errors) == (1, 0, [])
    assert [tuple(r) for r in conn.execute("SELECT id, artist FROM tracks")] == [(tid, "Right")]
    assert _kept(conn, tid) == (1, 0)  # nothing to embed again


@pytest.mark.parametrize("ext", FORMATS)
def test_a_renamed_and_retagged_file_is_a_move_that_keeps_its_playlists(conn, music, ext):
    path, tid = _analysed(conn, music, ext)
    _retag(path, ext)
    os.rename(path, music / f"Right - A.{ext}")
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (1, 0, 0)
    assert [tuple(r) for r in conn.execute("SELECT id, path, artist FROM tracks")] == [
        (tid, str(music / f"Right - A.{ext}"), "Right")]
    assert [tuple(r) for r in conn.execute("SELECT track_id FROM playlist_entries")] == [(tid,)]
    assert _kept(conn, tid) == (1, 0)


@pytest.mark.parametrize("ext", ["flac", "wav"])
def test_new_audio_under_the_old_name_is_analysed_again(conn, music, ext):
    path, tid = _analysed(conn, music, ext)
    write_audio(path, seconds=3.0, freq=660.0, tags={"title": "A", "artist": "Wrong"})
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    rep = scan(conn, music)
    assert rep.updated == 1
    assert _kept(conn, tid) == (0, 1)


def test_a_library_scanned_before_audio_hashes_gets_them_without_analysing_again(conn, music):
    """An older version's library has no audio hash: its first full scan records them (two
    blocks read a file, nothing analysed), so a retag after it keeps the vectors."""
    path, tid = _analysed(conn, music, "flac")
    with conn:
        conn.execute("DELETE FROM track_audio_hashes")  # as a library scanned before
    rep = scan(conn, music)
    assert (rep.unchanged, rep.updated) == (1, 0) and _kept(conn, tid) == (1, 0)
    assert conn.execute("SELECT COUNT(*) FROM track_audio_hashes WHERE hash != ''"
                        ).fetchone()[0] == 1
    _retag(path, "flac")
    assert scan(conn, music).updated == 1 and _kept(conn, tid) == (1, 0)


def test_a_format_whose_tags_are_not_told_apart_is_changed_as_before(conn, music):
    """Ogg: no audio hash (nothing guessed), so a retag is a change, analysed again."""
    path, tid = _analysed(conn, music, "ogg")
    _retag(path, "ogg")
    assert scan(conn, music).updated == 1 and _kept(conn, tid) == (0, 1)


def test_an_mp3_given_id3v1_and_ape_tags_at_its_end_keeps_its_vectors(conn, music):
    """Some taggers (foobar2000, mp3gain) write ID3v1 and APEv2 tags after the audio."""
    from mutagen.apev2 import APEv2
    from mutagen.id3 import ID3

    path, tid = _analysed(conn, music, "mp3")
    ID3(path).save(v1=2)  # an ID3v1 tag at the end
    ape = APEv2()
    ape["Artist"] = "Right"
    ape.save(path)
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert scan(conn, music).updated == 1 and _kept(conn, tid) == (1, 0)


def _vectors_and_playlist(conn, tid, playlist):
    with conn:
        conn.execute("UPDATE tracks SET needs_analysis = 0 WHERE id = ?", (tid,))
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim, vector)"
                     " VALUES (?, 'm', '1', 1, x'00000000')", (tid,))
        conn.execute("INSERT INTO playlists(id, path, name) VALUES (?, ?, 'P')",
                     (playlist, f"/p{playlist}.m3u"))
        conn.execute("INSERT INTO playlist_entries(playlist_id, position, raw, track_id)"
                     " VALUES (?, 0, 'a', ?)", (playlist, tid))


def _tracks(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT id, path, status FROM tracks ORDER BY id")]


def test_of_two_gone_copies_of_one_audio_the_one_in_the_files_folder_is_the_move(conn, music):
    """A compilation's copy and the album's, both analysed; the compilation deleted and the
    album's file retagged and renamed by a tag editor: it is the album's track (its
    playlists), not the lowest id's."""
    (music / "Best of").mkdir()
    (music / "Album").mkdir()
    best = write_audio(music / "Best of" / "01.flac", seconds=3.0, tags={"title": "Song"})
    scan(conn, music)
    (music / "Album" / "01.flac").write_bytes(best.read_bytes())
    write_tags(os.fsencode(music / "Album" / "01.flac"), "flac", {"album": "Album"})
    scan(conn, music)
    _vectors_and_playlist(conn, 1, 1)
    _vectors_and_playlist(conn, 2, 2)
    best.unlink()
    (music / "Best of").rmdir()
    _retag(music / "Album" / "01.flac", "flac")
    os.rename(music / "Album" / "01.flac", music / "Album" / "Right - Song.flac")
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (1, 0, 1)
    assert _tracks(conn) == [(1, str(music / "Best of" / "01.flac"), "missing"),
                             (2, str(music / "Album" / "Right - Song.flac"), "present")]
    assert _kept(conn, 2) == (1, 0)


def test_two_gone_tracks_of_one_audio_elsewhere_give_a_new_track(conn, music):
    """Neither gone copy lies in the new file's folder: nothing tells which it is."""
    for folder in ("A", "B"):
        (music / folder).mkdir()
        write_audio(music / folder / "s.flac", seconds=3.0, tags={"album": folder})
    scan(conn, music)
    _retag(music / "A" / "s.flac", "flac")
    os.rename(music / "A" / "s.flac", music / "Right - s.flac")
    os.unlink(music / "B" / "s.flac")
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (0, 1, 2)


def test_a_file_moved_unchanged_wins_over_a_retagged_copy_seen_first(conn, music):
    """A/song.flac moved to C/ and a retagged copy of it made in B/ (listed before C/):
    the track goes with its own file, the copy is a new track."""
    for folder in ("A", "B", "C"):
        (music / folder).mkdir()
    song = write_audio(music / "A" / "song.flac", seconds=3.0, tags={"album": "Orig"})
    scan(conn, music)
    (music / "B" / "copy.flac").write_bytes(song.read_bytes())
    write_tags(os.fsencode(music / "B" / "copy.flac"), "flac", {"album": "Other"})
    os.rename(song, music / "C" / "song.flac")
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (1, 1, 0)
    assert _tracks(conn) == [(1, str(music / "C" / "song.flac"), "present"),
                             (2, str(music / "B" / "copy.flac"), "present")]


def test_a_wav_edited_in_the_middle_and_tagged_is_analysed_again(conn, music):
    """One second muted in the middle of a take (its length and ends the same), exported
    with an artist tag: changed audio, not a retag."""
    import numpy as np
    import soundfile as sf

    t = (0.3 * np.sin(2 * np.pi * 440 * np.arange(8000 * 20) / 8000)).astype(np.float32)
    sf.write(music / "take.wav", t, 8000, subtype="PCM_16")
    scan(conn, music)
    _vectors_and_playlist(conn, 1, 1)
    t[int(8000 * 9.5):int(8000 * 10.5)] = 0
    sf.write(music / "take.wav", t, 8000, subtype="PCM_16")
    _retag(music / "take.wav", "wav")
    assert scan(conn, music).updated == 1 and _kept(conn, 1) == (0, 1)


def test_a_deleted_file_is_not_taken_for_another_whose_end_tag_is_damaged_too(conn, music):
    """Two recordings whose APEv2 footers claim more than the file: no audio hash, so the
    new one is not the gone one (both had the hash of an empty span)."""
    import struct

    def damaged(name, freq):
        path = write_audio(music / name, seconds=3.0, freq=freq, tags={"title": "take"})
        with open(path, "ab") as fh:
            fh.write(b"APETAGEX" + struct.pack("<IIII", 2000, 0x7FFFFFF0, 0, 0) + bytes(8))
        return path
    damaged("REC001.mp3", 440.0)
    scan(conn, music)
    os.unlink(music / "REC001.mp3")
    damaged("REC002.mp3", 880.0)
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (0, 1, 1)


def test_the_first_scan_after_the_upgrade_hashes_only_the_audio(conn, music, monkeypatch):
    """Content hashes still current (size and mtime as stored) are not computed again."""
    import musicsage.library.hash_backfill as backfill

    _analysed(conn, music, "flac")
    with conn:
        conn.execute("DELETE FROM track_audio_hashes")  # as a library scanned before
    called = []
    monkeypatch.setattr(backfill, "content_hash", lambda *a: called.append(a))
    assert scan(conn, music).unchanged == 1
    assert called == []
    assert conn.execute("SELECT COUNT(*) FROM track_audio_hashes").fetchone()[0] == 1
