"""A file whose modification time changed but whose content did not keeps its audio vectors.

``touch music/*/*.flac``, a restore from a backup or ``cp -r`` to a new disk without ``-p``
gave every file a new mtime, and the next scan counted them all changed: their vectors were
dropped and the whole library had to be embedded again (minutes to hours). The scan now
compares the file's content hash with the one recorded for the track
(:meth:`musicsage.library.moves.MoveFinder.same_content`); the folder watch, which scans the
files it sees touched, does the same.
"""

from __future__ import annotations

import os

import numpy as np
from library_audio import write_audio
from rewrite_support import rewrite

from musicsage import cli
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.moves import current_hashes
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes

MODEL = "spectral-test"


def scan(conn, *roots, prober=None):
    return scan_roots(conn, resolve_roots(roots), prober=prober)


def embedded(conn, path) -> int:
    """Scan-time track of ``path`` with a vector stored and marked analysed; its id."""
    track_id = q.track_by_path(conn, P.from_fs(str(path)))["id"]
    q.store_embedding(conn, track_id, MODEL, "1", np.ones(4, np.float32))
    q.mark_analysed(conn, [track_id])
    conn.commit()
    return track_id


def touch(path, seconds: int = 7) -> int:
    """A new mtime, the same bytes (what ``touch`` does); returns it."""
    mtime = os.stat(path).st_mtime_ns + seconds * 10**9
    os.utime(path, ns=(mtime, mtime))
    return mtime


def test_a_touched_file_keeps_its_vectors_and_is_not_counted_changed(conn, music):
    f = write_audio(music / "a.flac", seconds=1.0, tags={"title": "Song"})
    other = write_audio(music / "b.flac", seconds=0.8, freq=330.0)
    scan(conn, music)
    track_id, other_id = embedded(conn, f), embedded(conn, other)
    mtime = touch(f)
    rep = scan(conn, music)
    assert (rep.updated, rep.unchanged, rep.added) == (0, 2, 0)
    assert rep.examples.get("changed") is None
    row = q.get_track(conn, track_id)
    assert row["mtime_ns"] == mtime and row["needs_analysis"] == 0 and row["title"] == "Song"
    assert q.embedding_counts(conn) == {MODEL: 2}
    assert set(current_hashes(conn, [track_id, other_id])) == {track_id, other_id}
    assert scan(conn, music).unchanged == 2  # the new mtime is recorded: not read again


def test_a_file_rewritten_at_the_same_size_still_loses_its_vectors(conn, music):
    f = write_audio(music / "a.wav", seconds=1.0)
    scan(conn, music)
    track_id = embedded(conn, f)
    rewrite(f, 660.0)  # other audio, same size, a new mtime
    rep = scan(conn, music)
    assert (rep.updated, rep.unchanged) == (1, 0)
    assert q.embedding_counts(conn) == {} and q.get_track(conn, track_id)["needs_analysis"] == 1


def test_without_a_hash_recorded_for_the_track_a_touch_is_a_change(conn, music):
    """No hash of the content the vectors were made from (or a stale one): unknown, so the
    file is changed, as before."""
    f = write_audio(music / "a.flac", seconds=1.0)
    g = write_audio(music / "b.flac", seconds=0.8, freq=330.0)
    scan(conn, music)
    a, b = embedded(conn, f), embedded(conn, g)
    conn.execute("DELETE FROM track_hashes WHERE track_id = ?", (a,))
    conn.execute("UPDATE track_hashes SET mtime_ns = mtime_ns + 1 WHERE track_id = ?", (b,))
    conn.commit()
    touch(f), touch(g)
    rep = scan(conn, music)
    assert rep.updated == 2 and q.embedding_counts(conn) == {}


def test_a_touched_file_is_read_again_so_its_tags_stay_true(conn, music):
    """Its tags are read again (the hash covers only the first and last blocks: a tag edit
    in between, at the same size, is not missed), its vectors kept."""
    f = write_audio(music / "a.flac", seconds=1.0, tags={"title": "Song"})
    scan(conn, music)
    embedded(conn, f)
    touch(f)
    calls = []

    def prober(fs_path, fmt):
        from musicsage.library.tags import probe

        calls.append(fs_path)
        return probe(fs_path, fmt)

    assert scan(conn, music, prober=prober).unchanged == 1 and calls == [str(f)]
    assert q.embedding_counts(conn) == {MODEL: 1}


def test_a_touched_file_that_comes_back_keeps_its_vectors(conn, music, tmp_path):
    f = write_audio(music / "a.flac", seconds=1.0)
    scan(conn, music)
    track_id = embedded(conn, f)
    away = tmp_path / "away.flac"
    os.rename(f, away)
    assert scan(conn, music).missing == 1
    os.rename(away, f)
    touch(f)  # restored from a backup: the same content, a new mtime
    rep = scan(conn, music)
    assert (rep.reappeared, rep.updated) == (1, 0)
    assert q.get_track(conn, track_id)["status"] == "present"
    assert q.embedding_counts(conn) == {MODEL: 1}


def test_the_folder_watch_keeps_them_too(conn, music):
    f = write_audio(music / "a.flac", seconds=1.0)
    scan(conn, music)
    track_id = embedded(conn, f)
    mtime = touch(f)
    rep = apply_changes(conn, WatchPlan(roots=[str(music)]), Batch(paths={str(f): False}))
    assert rep.scan.updated == 0 and rep.empty and not rep.needs_embedding
    assert q.get_track(conn, track_id)["mtime_ns"] == mtime
    assert q.embedding_counts(conn) == {MODEL: 1}


def test_the_scan_command_says_unchanged(tmp_path, music, capsys):
    data = tmp_path / "lib"
    files = [write_audio(music / f"{n}.flac", seconds=0.6, freq=200.0 + 50 * n)
             for n in range(3)]
    assert cli.main(["--data-dir", str(data), "scan", str(music)]) == 0
    for f in files:
        touch(f)
    capsys.readouterr()
    assert cli.main(["--data-dir", str(data), "scan", str(music)]) == 0
    assert "0 new, 0 changed, 3 unchanged" in capsys.readouterr().out
