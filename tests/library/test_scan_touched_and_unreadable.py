"""A file whose only change is its mtime (``touch``, ``cp -r`` without ``-p``) keeps its
track's embeddings; a file that cannot be read is read again, and reported, by every scan
until it reads — it went quiet after one scan, "unchanged" and present."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from library_audio import write_audio

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library import tags as tags_mod
from musicsage.library.browse import library_stats
from musicsage.library.moves import current_hashes
from musicsage.library.scan import resolve_roots, scan_roots

MODEL = "spectral"


def scan(conn, *roots, **kw):
    return scan_roots(conn, resolve_roots(roots), **kw)


def counting_prober(title: str | None = None):
    """The real probe, recording each file read (and giving the title ``title``, if set)."""
    calls = []

    def prober(fs_path, fmt):
        calls.append(fs_path)
        info = tags_mod.probe(fs_path, fmt)
        if title is not None:
            info.tags["title"] = title
        return info

    prober.calls = calls
    return prober


def embedded_track(conn, path: Path) -> int:
    """``path``'s track id, once it has a vector and no analysis pending."""
    tid = q.track_by_path(conn, P.from_fs(str(path)))["id"]
    q.store_embedding(conn, tid, MODEL, "v1", [1.0, 2.0])
    q.mark_analysed(conn, [tid])
    return tid


def later(path: Path, seconds: int = 5) -> int:
    """Move ``path``'s mtime ``seconds`` on (whatever the clock's step); the new mtime."""
    mtime = path.stat().st_mtime_ns + seconds * 10**9
    os.utime(path, ns=(mtime, mtime))
    return mtime


# --- touched ------------------------------------------------------------------------------------


def test_a_touched_file_keeps_its_vectors_and_records_its_new_mtime(conn, music):
    f = write_audio(music / "a.flac", tags={"title": "Old"})
    write_audio(music / "b.flac")
    scan(conn, music)
    tid = embedded_track(conn, f)
    mtime = later(f)
    prober = counting_prober(title="Edited")
    rep = scan(conn, music, prober=prober)
    assert (rep.unchanged, rep.updated, rep.errors) == (2, 0, [])
    assert prober.calls == [str(f)]  # its tags are read again, nothing else is opened
    row = q.get_track(conn, tid)
    assert (row["mtime_ns"], row["needs_analysis"], row["title"]) == (mtime, 0, "Edited")
    assert q.embedding_counts(conn) == {MODEL: 1}
    assert tid in current_hashes(conn, [tid])  # the hash follows the new stamp
    again = counting_prober()
    assert scan(conn, music, prober=again).unchanged == 2 and again.calls == []


def test_a_library_copied_back_without_times_keeps_every_vector(conn, music, tmp_path):
    """``cp -r backup/. music/`` (no ``-p``): every file has a new mtime, none new content."""
    files = [write_audio(music / f"{i}.wav", freq=200.0 + 100 * i) for i in range(3)]
    scan(conn, music)
    ids = [embedded_track(conn, f) for f in files]
    shutil.copytree(music, tmp_path / "backup")
    for f in files:
        shutil.copyfile(tmp_path / "backup" / f.name, f)
        later(f)
    rep = scan(conn, music)
    assert (rep.unchanged, rep.updated) == (3, 0)
    assert q.embedding_counts(conn) == {MODEL: 3}
    assert all(q.get_track(conn, t)["needs_analysis"] == 0 for t in ids)


def test_a_touched_file_that_was_missing_is_back_with_its_vectors(conn, music, tmp_path):
    f = write_audio(music / "a.wav")
    scan(conn, music)
    tid = embedded_track(conn, f)
    away = tmp_path / "away.wav"
    os.rename(f, away)
    assert scan(conn, music).missing == 1
    shutil.copyfile(away, f)  # brought back, with a new mtime
    later(f)
    rep = scan(conn, music)
    assert (rep.reappeared, rep.updated) == (1, 0)
    assert q.get_track(conn, tid)["status"] == "present"
    assert q.embedding_counts(conn) == {MODEL: 1}


def test_new_content_of_the_same_size_is_still_a_changed_file(conn, music):
    f = write_audio(music / "a.wav", freq=220.0)
    scan(conn, music)
    tid = embedded_track(conn, f)
    size = f.stat().st_size
    write_audio(f, freq=660.0)
    later(f)
    assert f.stat().st_size == size
    assert scan(conn, music).updated == 1
    assert q.embedding_counts(conn) == {} and q.get_track(conn, tid)["needs_analysis"] == 1


def test_without_a_hash_at_the_tracks_stamp_a_touched_file_is_changed(conn, music):
    """No hash to compare with (none recorded for the stamp the track has): changed, as
    before — the content is not known to be the same."""
    f = write_audio(music / "a.wav")
    scan(conn, music)
    tid = embedded_track(conn, f)
    conn.execute("DELETE FROM track_hashes")
    conn.execute("DELETE FROM track_audio_hashes")
    later(f)
    assert scan(conn, music).updated == 1 and q.embedding_counts(conn) == {}
    assert q.get_track(conn, tid)["needs_analysis"] == 1


# --- unreadable ---------------------------------------------------------------------------------


def scan_errors(conn) -> list[str]:
    return [Path(P.display(r["path"])).name for r in q.list_errors(conn, "scan")]


def test_an_unreadable_file_is_read_and_reported_on_every_scan_until_it_reads(conn, music):
    f = write_audio(music / "a.flac")
    scan(conn, music)
    tid = embedded_track(conn, f)
    f.write_text("not audio any more")
    for _ in range(2):  # the second scan called it unchanged and said nothing
        prober = counting_prober()
        rep = scan(conn, music, prober=prober)
        assert prober.calls == [str(f)] and rep.unchanged == 0
        assert [Path(p).name for p, _ in rep.errors] == ["a.flac"]
        assert scan_errors(conn) == ["a.flac"] and library_stats(conn).errors == 1
        row = q.get_track(conn, tid)
        assert (row["status"], row["needs_analysis"]) == ("present", 1)
        assert q.embedding_counts(conn) == {}
    write_audio(f, seconds=1.5)
    rep = scan(conn, music)
    assert (rep.updated, rep.errors) == (1, [])
    assert scan_errors(conn) == [] and library_stats(conn).errors == 0
    assert q.get_track(conn, tid)["needs_analysis"] == 1


def test_an_unreadable_file_restored_with_its_old_time_is_read_again(conn, music, tmp_path):
    """``cp -p`` of the original back over it: the track's stamp again, but the error row says
    the last read failed — it is read, and the error goes."""
    f = write_audio(music / "a.wav")
    scan(conn, music)
    embedded_track(conn, f)
    shutil.copy2(f, tmp_path / "backup.wav")
    f.write_bytes(b"\x00" * 100)
    assert scan(conn, music).errors
    shutil.copy2(tmp_path / "backup.wav", f)
    rep = scan(conn, music)
    assert (rep.updated, rep.errors) == (1, []) and scan_errors(conn) == []


def test_an_unreadable_file_moved_away_and_back_is_reported_again(conn, music, tmp_path):
    """Its error row went when it vanished; its track's stamp is still that of the last
    readable file, so it is read again when it is back."""
    f = write_audio(music / "a.wav")
    scan(conn, music)
    f.write_text("broken")
    assert scan(conn, music).errors
    os.rename(f, tmp_path / "away.wav")
    assert scan(conn, music).missing == 1 and scan_errors(conn) == []
    os.rename(tmp_path / "away.wav", f)
    rep = scan(conn, music)
    assert [Path(p).name for p, _ in rep.errors] == ["a.wav"] and scan_errors(conn) == ["a.wav"]
