"""A move across drives is a copy, then a delete. A scan between the two (the folder watch,
whose batches a long copy splits) takes the copy for a new track — its original is still
there — and the next one marks the original missing: its playlist places and vectors were
lost to a file that merely moved. :func:`adopt_copies` gives the missing track its copy's
path back, when the copy is the one other file of that content and holds nothing of its own."""

from __future__ import annotations

import shutil

from musicsage.library.copy_moves import adopt_copies
from musicsage.usecases.library import scan_library


def _library(ctx, conn, tmp_path, make_audio):
    """A music folder of two tracks, the first in a playlist and with a vector; scanned."""
    music = tmp_path / "music"
    make_audio(music / "a" / "song.wav", freq=330.0)
    make_audio(music / "a" / "other.wav", freq=550.0)
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'a' / 'song.wav'}\n", encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    tid = conn.execute("SELECT id FROM tracks WHERE path LIKE '%/song.wav'").fetchone()[0]
    _give_vector(conn, tid, "v", "0000803f")
    return music, tid


def _copy_then_delete(ctx, music, name="song.wav"):
    """Copied to b/ (a scan sees the copy, the original still there), then the original
    deleted (the next scan marks it missing)."""
    (music / "b").mkdir(exist_ok=True)
    shutil.copy2(music / "a" / name, music / "b" / name)
    scan_library(ctx)
    (music / "a" / name).unlink()
    return scan_library(ctx)


def _copy_scanned(ctx, conn, music) -> int:
    """The original copied to b/ and scanned (the original still there): the copy's id."""
    (music / "b").mkdir()
    shutil.copy2(music / "a" / "song.wav", music / "b" / "song.wav")
    scan_library(ctx)
    return conn.execute("SELECT id FROM tracks WHERE path LIKE '%/b/song.wav'").fetchone()[0]


def _give_vector(conn, track_id, version, vector) -> None:
    """A one-number spectral vector of ``version`` (hex bytes ``vector``) for the track."""
    with conn:
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     f" vector) VALUES (?, 'spectral', ?, 1, x'{vector}')", (track_id, version))


def test_the_missing_original_takes_its_copys_place(ctx, conn, tmp_path, make_audio):
    music, tid = _library(ctx, conn, tmp_path, make_audio)
    copy_id = _copy_scanned(ctx, conn, music)
    (music / "a" / "song.wav").unlink()

    report = scan_library(ctx)

    assert (report.missing, report.moved) == (0, 1)
    assert report.examples["moved"] == [str(music / "b" / "song.wav")]
    assert not report.examples.get("missing")
    row = conn.execute("SELECT path, status FROM tracks WHERE id = ?", (tid,)).fetchone()
    assert tuple(row) == (str(music / "b" / "song.wav"), "present")
    assert conn.execute("SELECT 1 FROM tracks WHERE id = ?", (copy_id,)).fetchone() is None
    assert [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries")] == [tid]
    assert conn.execute("SELECT count(*) FROM audio_embeddings WHERE track_id = ?",
                        (tid,)).fetchone()[0] == 1, "its vector stays"
    report = scan_library(ctx)
    assert (report.added, report.updated, report.missing) == (0, 0, 0), "as scanned: unchanged"
    assert conn.execute("SELECT id FROM tracks WHERE path LIKE '%/b/song.wav'"
                        ).fetchone()[0] == tid
    music_b = music / "b" / "song.wav"
    music_b.rename(music / "song.wav")  # moved again later: still found by its hash
    scan_library(ctx)
    assert conn.execute("SELECT path FROM tracks WHERE id = ?", (tid,)).fetchone()[0] \
        == str(music / "song.wav")


def test_a_copy_with_places_of_its_own_is_left_alone(ctx, conn, tmp_path, make_audio):
    music, tid = _library(ctx, conn, tmp_path, make_audio)
    (music / "b").mkdir()
    shutil.copy2(music / "a" / "song.wav", music / "b" / "song.wav")
    mix2 = tmp_path / "mix2.m3u"
    mix2.write_text(f"{music / 'b' / 'song.wav'}\n", encoding="utf-8")
    scan_library(ctx, [], [str(mix2)])
    scan_library(ctx)
    (music / "a" / "song.wav").unlink()
    scan_library(ctx)

    assert adopt_copies(conn, [tid]) == {}
    assert conn.execute("SELECT status FROM tracks WHERE id = ?", (tid,)).fetchone()[0] \
        == "missing"


def test_two_copies_tell_none(ctx, conn, tmp_path, make_audio):
    music, tid = _library(ctx, conn, tmp_path, make_audio)
    (music / "c").mkdir()
    shutil.copy2(music / "a" / "song.wav", music / "c" / "song.wav")
    report = _copy_then_delete(ctx, music)

    assert report.missing == 1
    assert adopt_copies(conn, [tid]) == {}


def test_the_copys_vector_stays_when_the_original_had_none(ctx, conn, tmp_path, make_audio):
    """The folder watch embedded the copy, not yet the original: the copy's row left the
    library, and its vector with it (a cascade), though it is the same audio's."""
    music, tid = _library(ctx, conn, tmp_path, make_audio)
    with conn:
        conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (tid,))
    copy_id = _copy_scanned(ctx, conn, music)
    _give_vector(conn, copy_id, "v", "00000040")
    (music / "a" / "song.wav").unlink()

    assert scan_library(ctx).moved == 1

    assert [tuple(r) for r in conn.execute("SELECT track_id, vector FROM audio_embeddings")] \
        == [(tid, b"\x00\x00\x00\x40")], "the copy's vector is the track's now"


def test_the_originals_own_vector_wins_over_the_copys(ctx, conn, tmp_path, make_audio):
    """A guard, not a fix's test: of the same model and version, the track keeps its own
    vector (the one its neighbours and the graph model were computed from). It passed before
    out-of-date rows were replaced by the copy's, and fails should the copy's win here too."""
    music, tid = _library(ctx, conn, tmp_path, make_audio)
    copy_id = _copy_scanned(ctx, conn, music)
    _give_vector(conn, copy_id, "v", "00000040")
    (music / "a" / "song.wav").unlink()

    scan_library(ctx)

    assert [tuple(r) for r in conn.execute("SELECT track_id, vector FROM audio_embeddings")] \
        == [(tid, b"\x00\x00\x80\x3f")]


def test_a_stale_audio_hash_does_not_become_current(ctx, conn, tmp_path, make_audio):
    """The track's audio hash was of its file before a change: given the copy's stamp, it
    was taken for the copy's audio (a retag's audio compared with the wrong one)."""
    music, tid = _library(ctx, conn, tmp_path, make_audio)
    _copy_scanned(ctx, conn, music)
    with conn:
        conn.execute("INSERT INTO track_audio_hashes(track_id, size, mtime_ns, hash) VALUES"
                     " (?, 1, 1, 'of an older file') ON CONFLICT(track_id) DO UPDATE SET"
                     " size = 1, mtime_ns = 1, hash = excluded.hash", (tid,))
    (music / "a" / "song.wav").unlink()

    assert scan_library(ctx).moved == 1

    track = conn.execute("SELECT size, mtime_ns FROM tracks WHERE id = ?", (tid,)).fetchone()
    stale = conn.execute("SELECT size, mtime_ns FROM track_audio_hashes WHERE hash = "
                         "'of an older file'").fetchall()
    assert all(tuple(row) != tuple(track) for row in stale), "still not of the file as it is"
    assert tuple(conn.execute("SELECT size, mtime_ns FROM track_hashes WHERE track_id = ?",
                              (tid,)).fetchone()) == tuple(track), "the content hash follows"


def test_the_copys_current_audio_hash_replaces_a_stale_one(ctx, conn, tmp_path, make_audio):
    """The track's audio hash was of its file before a change: the copy's, of the file as
    it is, is the one a later retag is compared with (else the track had none current until
    a full scan's backfill: the folder watch's batches and ``forget --missing`` run none)."""
    music, tid = _library(ctx, conn, tmp_path, make_audio)
    copy_id = _copy_scanned(ctx, conn, music)
    copy_hash = tuple(conn.execute("SELECT size, mtime_ns, hash FROM track_audio_hashes WHERE"
                                   " track_id = ?", (copy_id,)).fetchone())
    with conn:
        conn.execute("UPDATE track_audio_hashes SET size = 1, mtime_ns = 1, hash = 'older'"
                     " WHERE track_id = ?", (tid,))
    (music / "a" / "song.wav").unlink()
    with conn:  # marked missing as a scan does, with no scan's backfill after
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (tid,))

    assert list(adopt_copies(conn, [tid])) == [tid]

    assert tuple(conn.execute("SELECT size, mtime_ns, hash FROM track_audio_hashes WHERE"
                              " track_id = ?", (tid,)).fetchone()) == copy_hash
