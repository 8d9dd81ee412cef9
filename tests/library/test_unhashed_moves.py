"""A moved file whose track has no content hash recorded (a library of an older version moved
before its first scan with this one) is matched on the size, tags and duration its row knows —
only when one gone track and one new file are alike (library/moves.py, MoveFinder.hold)."""

from __future__ import annotations

import os
import shutil

from library_audio import write_audio
from test_watch_moves import move_keeps_everything, scan, tid

from musicsage.library import queries as q

TAGS = {"title": "Song", "artist": "Band", "album": "Record"}


def forget_hashes(conn) -> None:
    conn.execute("DELETE FROM track_hashes")  # as a library scanned by an older version
    conn.execute("DELETE FROM track_audio_hashes")


def test_an_unhashed_track_moved_keeps_id_memberships_and_vectors(conn, music, tmp_path):
    old = write_audio(music / "Inbox/song.wav", seconds=0.5, tags=TAGS)
    write_audio(music / "Inbox/other.wav", seconds=0.6, tags={**TAGS, "title": "Other"})
    scan(conn, music)
    forget_hashes(conn)
    track_id = move_keeps_everything(conn, music, tmp_path, old, music / "Sorted/Band/01 song.wav")
    assert conn.execute("SELECT track_id FROM track_moves WHERE old_path = ?",
                        (str(old),)).fetchone()[0] == track_id


def test_two_alike_gone_tracks_and_two_new_files_are_no_move(conn, music):
    one = write_audio(music / "a/same.wav", seconds=0.5, tags=TAGS)
    two = music / "b/same.wav"
    two.parent.mkdir()
    shutil.copyfile(one, two)
    scan(conn, music)
    forget_hashes(conn)
    ids = {tid(conn, one), tid(conn, two)}
    (music / "c").mkdir()
    os.rename(one, music / "c/one.wav")
    os.rename(two, music / "c/two.wav")
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (0, 2, 2)
    assert not ids & {tid(conn, music / "c/one.wav"), tid(conn, music / "c/two.wav")}


def test_a_file_moved_and_copied_in_one_go_is_no_move(conn, music):
    old = write_audio(music / "a/song.wav", seconds=0.5, tags=TAGS)
    scan(conn, music)
    forget_hashes(conn)
    track_id = tid(conn, old)
    (music / "b").mkdir()
    shutil.copyfile(old, music / "b/copy.wav")
    os.rename(old, music / "b/song.wav")
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (0, 2, 1)
    assert q.get_track(conn, track_id)["status"] == "missing"


def test_another_size_is_no_move(conn, music):
    old = write_audio(music / "a/song.wav", seconds=0.5, tags=TAGS)
    scan(conn, music)
    forget_hashes(conn)
    track_id = tid(conn, old)
    new = write_audio(music / "b/song.wav", seconds=0.5, tags={**TAGS, "genre": "Jazz"})
    os.unlink(old)  # same title, artist, album and duration; a tag more: another size
    assert os.path.getsize(new) != q.get_track(conn, track_id)["size"]
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (0, 1, 1)
    assert tid(conn, new) != track_id


def test_a_hashed_track_is_matched_by_its_hash_only(conn, music):
    """Same size, tags and duration, other audio: with a hash recorded, a new track."""
    old = write_audio(music / "a/song.wav", seconds=0.5, tags=TAGS)
    scan(conn, music)
    track_id = tid(conn, old)
    new = write_audio(music / "b/song.wav", seconds=0.5, tags=TAGS, freq=660.0)
    os.unlink(old)
    assert os.path.getsize(new) == q.get_track(conn, track_id)["size"]
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (0, 1, 1)
    assert tid(conn, new) != track_id
