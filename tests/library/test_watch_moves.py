"""A moved or renamed file keeps its track: id, playlist memberships, embeddings (library/moves.py
hooked into the scan). Matching is by size + a hash of the first and last blocks."""

from __future__ import annotations

import os
import shutil
import sqlite3

import numpy as np
import pytest
from library_audio import write_audio

from musicsage.library import db
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.hash_backfill import backfill_hashes
from musicsage.library.moves import BLOCK, content_hash
from musicsage.library.playlists import import_playlist_file
from musicsage.library.scan import resolve_roots, scan_roots

MODEL = "spectral-test"


def scan(conn, *roots):
    return scan_roots(conn, resolve_roots(roots))


def tid(conn, path):
    row = q.track_by_path(conn, P.from_fs(str(path)))
    return None if row is None else row["id"]


def embed(conn, track_id, value=1.0):
    q.store_embedding(conn, track_id, MODEL, "1", np.full(4, value, np.float32))
    q.mark_analysed(conn, [track_id])


def test_content_hash_reads_first_and_last_blocks(tmp_path):
    f = tmp_path / "x.bin"
    data = bytearray(os.urandom(3 * BLOCK))
    f.write_bytes(data)
    base = content_hash(str(f), len(data))
    data[BLOCK + 5] ^= 0xFF  # the middle is not read
    f.write_bytes(data)
    assert content_hash(str(f), len(data)) == base
    data[-1] ^= 0xFF
    f.write_bytes(data)
    assert content_hash(str(f), len(data)) != base
    assert content_hash(str(tmp_path / "gone"), 1) is None


def test_moved_file_keeps_id_memberships_and_embeddings(conn, music, tmp_path):
    old = write_audio(music / "Inbox/song.flac", seconds=0.5, tags={"title": "Song"})
    write_audio(music / "Inbox/other.flac", seconds=0.6, freq=330.0)
    scan(conn, music)
    move_keeps_everything(conn, music, tmp_path, old, music / "Sorted/Artist/song.flac")


def move_keeps_everything(conn, music, tmp_path, old, new) -> int:
    """Embed ``old``'s track and put it in a playlist, move the file to ``new`` and scan:
    the track keeps its id, vectors and membership (its id returned)."""
    track_id = tid(conn, old)
    embed(conn, track_id)
    m3u = tmp_path / "mix.m3u8"
    m3u.write_text(f"{old}\n")
    playlist = import_playlist_file(conn, str(m3u)).playlist_id
    new.parent.mkdir(parents=True)
    os.rename(old, new)
    rep = scan(conn, music)
    assert (rep.moved, rep.added, rep.missing) == (1, 0, 0)
    assert tid(conn, new) == track_id and tid(conn, old) is None
    row = q.get_track(conn, track_id)
    assert row["status"] == "present" and row["needs_analysis"] == 0
    assert q.embedding_counts(conn) == {MODEL: 1}
    assert [r["track_id"] for r in q.playlist_entries(conn, playlist)] == [track_id]
    return track_id


def test_move_with_new_mtime_between_roots_while_not_running(conn, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    old = write_audio(a / "x/track.wav", seconds=0.5)
    b.mkdir()
    scan(conn, a)
    scan(conn, b)
    track_id = tid(conn, old)
    embed(conn, track_id)
    new = b / "y/renamed.wav"
    new.parent.mkdir()
    shutil.copyfile(old, new)  # a copy to another disk: new mtime…
    os.utime(new, ns=(1, 10**18))
    old.unlink()               # …then the original removed
    rep = scan(conn, b)        # only the destination root is scanned
    assert rep.moved == 1 and tid(conn, new) == track_id
    row = q.get_track(conn, track_id)
    assert row["mtime_ns"] == 10**18 and row["title"] == "renamed"  # untagged: the new name
    assert q.embedding_counts(conn) == {MODEL: 1}


def test_a_copy_or_an_edited_file_is_a_new_track(conn, music, tmp_path):
    orig = write_audio(music / "orig.wav", seconds=0.5)
    edited = write_audio(music / "edit.wav", seconds=0.5, freq=550.0)
    scan(conn, music)
    ids = tid(conn, orig), tid(conn, edited)
    shutil.copyfile(orig, music / "copy.wav")  # original still there: a copy
    moved_edit = music / "sub/edit-moved.wav"
    moved_edit.parent.mkdir()
    os.rename(edited, moved_edit)
    with open(moved_edit, "r+b") as fh:  # and edited in the same breath: not the same content
        fh.seek(-10, os.SEEK_END)
        fh.write(b"\x01" * 10)
    rep = scan(conn, music)
    assert (rep.added, rep.moved, rep.missing) == (2, 0, 1)
    assert tid(conn, music / "copy.wav") not in ids and tid(conn, moved_edit) not in ids
    assert q.get_track(conn, ids[1])["status"] == "missing"


def test_two_identical_files_moved_are_claimed_once_each(conn, music):
    one = write_audio(music / "a/same.wav", seconds=0.5)
    two = music / "b/same.wav"
    two.parent.mkdir()
    shutil.copyfile(one, two)
    scan(conn, music)
    ids = {tid(conn, one), tid(conn, two)}
    (music / "c").mkdir()
    os.rename(one, music / "c/one.wav")
    os.rename(two, music / "c/two.wav")
    rep = scan(conn, music)
    assert rep.moved == 2 and {tid(conn, music / "c/one.wav"), tid(conn, music / "c/two.wav")} == ids


def test_tracks_scanned_before_hashes_existed_are_backfilled(conn, music):
    old = write_audio(music / "song.wav", seconds=0.5)
    write_audio(music / "gone.wav", seconds=0.4)
    scan(conn, music)
    conn.execute("DELETE FROM track_hashes")  # as a library scanned by an older version
    os.unlink(music / "gone.wav")
    cursor, done = 0, 0
    while (cursor := backfill_hashes(conn, after=cursor, limit=1)) is not None:
        done += 1  # the folder watch's idle backfill, a track at a time
    assert done == 2 and conn.execute("SELECT COUNT(*) FROM track_hashes").fetchone()[0] == 1
    track_id = tid(conn, old)
    os.rename(old, music / "renamed.wav")
    assert scan(conn, music).moved == 1 and tid(conn, music / "renamed.wav") == track_id


def test_a_track_dated_after_2262_is_backfilled_and_found_moved(conn, music):
    """A file dated past SQLite's 64-bit nanoseconds (``touch -d 2300-01-01``): its stored
    time is wrapped, and the backfill compared the raw time with it, so the track was never
    hashed and its later move read as a delete plus a new track."""
    song = write_audio(music / "song.wav", seconds=0.5)
    year_2300_ns = 10_413_792_000_000_000_000
    os.utime(song, ns=(year_2300_ns, year_2300_ns))
    if os.stat(song).st_mtime_ns != year_2300_ns:
        pytest.skip("this file system cannot hold a time after 2262")
    scan(conn, music)
    conn.execute("DELETE FROM track_hashes")  # as a library scanned by an older version
    assert backfill_hashes(conn) is not None
    assert conn.execute("SELECT COUNT(*) FROM track_hashes").fetchone()[0] == 1
    track_id = tid(conn, song)
    os.rename(song, music / "renamed.wav")
    assert scan(conn, music).moved == 1 and tid(conn, music / "renamed.wav") == track_id


def test_a_plain_scan_records_the_hashes_an_old_library_lacks(conn, music, tmp_path):
    """Not only the window's folder watch: ``scan`` readies a library scanned by an older
    version for move detection — for the folders it scans, and once."""
    old = write_audio(music / "song.wav", seconds=0.5)
    elsewhere = write_audio(tmp_path / "other" / "tune.wav", seconds=0.4)
    scan(conn, music)
    scan(conn, tmp_path / "other")
    conn.execute("DELETE FROM track_hashes")  # as a library scanned by an older version
    assert scan(conn, music).unchanged == 1
    hashed = {r[0] for r in conn.execute("SELECT track_id FROM track_hashes")}
    assert hashed == {tid(conn, old)}, "the scanned folder's tracks, not the other folder's"
    track_id = tid(conn, old)
    os.rename(old, music / "renamed.wav")
    assert scan(conn, music).moved == 1 and tid(conn, music / "renamed.wav") == track_id
    assert tid(conn, elsewhere) is not None


def test_a_version_1_library_is_migrated_and_kept(tmp_path):
    path = tmp_path / "library.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    db.migrate(conn, db.MIGRATIONS[:1])
    conn.execute("INSERT INTO tracks(path, size, mtime_ns) VALUES ('/m/a.wav', 1, 2)")
    conn.close()
    conn = db.open_connection(path)
    assert db.applied_versions(conn) == [m.version for m in db.MIGRATIONS]
    assert conn.execute("SELECT path FROM tracks").fetchone()[0] == "/m/a.wav"
    assert conn.execute("SELECT COUNT(*) FROM track_hashes").fetchone()[0] == 0


def test_a_playlist_naming_the_old_path_keeps_the_track_when_read_again(ctx, conn, music, tmp_path):
    from musicsage.usecases.library import scan_library

    old = write_audio(music / "Inbox/song.flac", seconds=0.5)
    m3u = tmp_path / "lists/mix.m3u8"
    m3u.parent.mkdir()
    m3u.write_text(f"{old}\n{music}/not there.flac\n")  # an unresolved entry: re-read on growth
    scan_library(ctx, [str(music)], [str(m3u.parent)])
    track_id = tid(conn, old)
    os.rename(old, music / "song.flac")
    write_audio(music / "another.wav", seconds=0.3)  # the library grows: playlists re-read
    rep = scan_library(ctx)
    assert rep.moved == 1 and [p.name for p in rep.playlists] == ["mix"]
    (playlist,) = q.playlist_rows(conn)
    assert [r["track_id"] for r in q.playlist_entries(conn, playlist["id"])] == [track_id, None]
    write_audio(music / "Inbox/song.flac", seconds=0.7, freq=880.0)  # a new file at the old path
    scan_library(ctx)
    m3u.write_text(m3u.read_text() + "\n")  # the playlist edited: read again
    scan_library(ctx)
    assert q.playlist_entries(conn, playlist["id"])[0]["track_id"] == tid(conn, old) != track_id
