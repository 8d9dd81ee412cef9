"""A file the folder watch heard written, or that the user named to ``musicsage scan``, whose
stamp is the one stored (a tag editor's "preserve timestamps", a restore by ``cp -p``): read
when it was rewritten, left alone when nothing tells it was — never its vectors dropped
because its content could not be looked at."""

from __future__ import annotations

import os

from library_audio import write_audio, write_tags

from musicsage.library import tags
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.watch import plan_watch
from musicsage.library.watch_apply import apply_changes
from musicsage.library.watch_events import Batch


def _analysed(conn, music, names: list[str]) -> list:
    paths = [write_audio(music / name, seconds=0.5, tags={"title": name, "artist": "Old"})
             for name in names]
    scan_roots(conn, resolve_roots([music]))
    with conn:
        conn.execute("UPDATE tracks SET needs_analysis = 0")
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) SELECT id, 'm', '1', 1, x'00000000' FROM tracks")
    return paths


def _retag_keeping_the_time(path, artist: str) -> None:
    st = os.stat(path)
    write_tags(os.fsencode(path), "flac", {"artist": artist})
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.path.getsize(path) == st.st_size  # the tag fit its padding


def _stored(conn) -> tuple:
    return ({tuple(r) for r in conn.execute("SELECT artist, needs_analysis FROM tracks")},
            conn.execute("SELECT COUNT(*) FROM audio_embeddings").fetchone()[0])


def test_a_file_heard_written_that_cannot_be_opened_keeps_its_vectors(conn, music,
                                                                        monkeypatch):
    """Restored by root's ``cp -p`` with mode 000: same bytes, same time, unreadable to the
    user. Its hash cannot be read: nothing tells it was rewritten, so it is not read (the
    read failed, and the failure dropped the vectors of a file that never changed)."""
    from musicsage.library import moves

    (path,) = _analysed(conn, music, ["a.flac"])
    real_hash, real_probe = moves.content_hash, tags.probe

    def unreadable(fs_path, *args):
        if os.fspath(fs_path) == os.fspath(path):
            raise tags.UnreadableAudio("[Errno 13] Permission denied")
        return real_probe(fs_path, *args)

    monkeypatch.setattr(moves, "content_hash",
                        lambda p, size: None if p == os.fspath(path) else real_hash(p, size))
    monkeypatch.setattr(tags, "probe", unreadable)

    rep = apply_changes(conn, plan_watch(conn), Batch(paths={os.fspath(path): False}))

    assert _stored(conn) == ({("Old", 0)}, 1)
    assert (rep.scan.updated, rep.scan.unchanged, rep.scan.errors) == (0, 1, [])
    assert not rep.look_again


def test_a_bulk_retag_of_more_files_than_a_batch_names_is_read(conn, music):
    """Picard saving 101 files of an album, their times put back: the batch scans their
    folder (more than 100 paths are folded into folders), yet each file was heard written."""
    paths = _analysed(conn, music, [f"album/{i:03}.flac" for i in range(101)])
    for p in paths:
        _retag_keeping_the_time(p, "New")

    rep = apply_changes(conn, plan_watch(conn),
                        Batch(paths={os.fspath(p): False for p in paths}))

    assert (rep.scan.updated, rep.scan.errors) == (101, [])
    assert _stored(conn) == ({("New", 0)}, 101)


def test_a_file_named_to_scan_is_read_though_its_time_was_put_back(conn, music, ctx):
    """Retagged while no watch ran: ``musicsage scan FILE`` naming it reads it."""
    from musicsage.usecases.library import scan_library

    path, other = _analysed(conn, music, ["a.flac", "b.flac"])
    _retag_keeping_the_time(path, "New")
    _retag_keeping_the_time(other, "New")

    rep = scan_library(ctx, [os.fspath(path)])

    assert (rep.updated, rep.errors) == (1, [])
    assert _stored(conn) == ({("New", 0), ("Old", 0)}, 2)  # b.flac, not named: not opened


def test_a_title_an_import_set_survives_the_same_bytes_heard_written(conn, music, ctx):
    """A restore by ``cp -p`` (or a tag editor that saved nothing new, its time put back) of a
    file whose title a dataset ``import`` set: the bytes are the ones hashed, so it is not read
    — the file's own tag must not replace the title the user imported."""
    from musicsage.usecases.library import scan_library

    (path,) = _analysed(conn, music, ["a.flac"])
    with conn:
        conn.execute("UPDATE tracks SET title = 'Imported Title'")
    st, data = os.stat(path), path.read_bytes()
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))

    rep = apply_changes(conn, plan_watch(conn), Batch(paths={os.fspath(path): False}))
    named = scan_library(ctx, [os.fspath(path)])

    assert (rep.scan.updated, named.updated) == (0, 0)
    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "Imported Title"
    assert _stored(conn) == ({("Old", 0)}, 1)


def test_a_file_named_through_a_link_to_its_folder_is_read(conn, music, ctx, tmp_path):
    """``scan ~/M/a.flac`` where ``~/M`` links to the music folder: the file named is the
    library's ``~/Music/a.flac``, and it is read like one named by that spelling."""
    from musicsage.usecases.library import scan_library

    (path,) = _analysed(conn, music, ["a.flac"])
    link = tmp_path / "linked-music"
    link.symlink_to(music)
    _retag_keeping_the_time(path, "New")

    rep = scan_library(ctx, [os.fspath(link / "a.flac")])

    assert (rep.updated, rep.errors) == (1, [])
    assert _stored(conn) == ({("New", 0)}, 1)
