"""A tag editor that puts a file's modification time back after saving it (Picard's "preserve
timestamps", Mp3tag's "preserve file modification time"), the new tag fitting the old padding
(same size): the folder watch hears the file written, yet its batch found the stamp stored
and called the file unchanged — the library kept the old tags for good, no later scan
opening the file either. Its content hash, recorded at that stamp, tells the file was
rewritten: the batch reads it (its audio unchanged, its vectors kept)."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio, write_tags

from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.watch import plan_watch
from musicsage.library.watch_apply import apply_changes
from musicsage.library.watch_events import Batch


def _retag_keeping_the_time(path, ext: str, artist: str) -> None:
    st = os.stat(path)
    write_tags(os.fsencode(path), ext, {"artist": artist})
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.path.getsize(path) == st.st_size  # the tag fit its padding


def _analysed(conn, music, ext: str):
    path = write_audio(music / f"a.{ext}", seconds=2.0, tags={"title": "A", "artist": "Old"})
    scan_roots(conn, resolve_roots([music]))
    with conn:
        conn.execute("UPDATE tracks SET needs_analysis = 0")
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) SELECT id, 'm', '1', 1, x'00000000' FROM tracks")
    return path


def _stored(conn) -> tuple:
    return (conn.execute("SELECT artist, needs_analysis FROM tracks").fetchone()[:],
            conn.execute("SELECT COUNT(*) FROM audio_embeddings").fetchone()[0])


@pytest.mark.parametrize("ext", ["flac", "mp3"])
def test_a_file_the_watch_heard_written_is_read_though_its_time_was_put_back(conn, music, ext):
    path = _analysed(conn, music, ext)
    _retag_keeping_the_time(path, ext, "New")

    rep = apply_changes(conn, plan_watch(conn), Batch(paths={os.fspath(path): False}))

    assert (rep.scan.updated, rep.scan.added, rep.scan.errors) == (1, 0, [])
    assert _stored(conn) == (("New", 0), 1)  # its audio unchanged: its vectors kept
    again = scan_roots(conn, resolve_roots([music]))
    assert (again.updated, again.unchanged) == (0, 1)


def test_a_file_whose_time_alone_was_set_is_still_unchanged(conn, music):
    """An event with nothing rewritten (a copy of the same bytes with its time kept,
    ``cp -p``): no read, nothing said."""
    path = _analysed(conn, music, "flac")
    st = os.stat(path)
    with open(path, "rb") as fh:
        data = fh.read()
    with open(path, "wb") as fh:  # the copy's bytes written over the file, then its time
        fh.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))

    rep = apply_changes(conn, plan_watch(conn), Batch(paths={os.fspath(path): False}))

    assert (rep.scan.updated, rep.scan.unchanged, rep.empty) == (0, 1, True)
    assert _stored(conn) == (("Old", 0), 1)


def test_a_plain_scan_does_not_hash_unchanged_files(conn, music, monkeypatch):
    """Only the watch, which heard a write, looks inside a file whose stamp is the one stored:
    a rescan of a library opens none of its unchanged files."""
    from musicsage.library import moves

    _analysed(conn, music, "flac")
    hashed: list[str] = []
    monkeypatch.setattr(moves, "content_hash", lambda p, size: hashed.append(p))

    rep = scan_roots(conn, resolve_roots([music]))

    assert (rep.unchanged, hashed) == (1, [])
