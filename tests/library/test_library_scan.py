"""Scanning folders: formats and tags, incremental re-scan, bad input, resumability."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from library_audio import ALL_FORMATS, write_audio

from musicsage.errors import Cancelled, MusicsageError
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library import scan as scan_mod
from musicsage.library import tags as tags_mod
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.progress import CancelToken

TAGS = {"title": "Song Title", "artist": "Some Artist", "album": "An Album",
        "albumartist": "Various", "genre": "Jazz", "tracknumber": "3/12", "date": "2001-05-03"}


def scan(conn, *roots, **kw):
    return scan_roots(conn, resolve_roots(roots), **kw)


def counting_prober():
    calls = []

    def prober(fs_path, fmt):
        calls.append(fs_path)
        return tags_mod.probe(fs_path, fmt)

    prober.calls = calls
    return prober


def track(conn, path) -> dict:
    row = q.track_by_path(conn, P.from_fs(str(path)))
    assert row is not None, f"{path} not in the library"
    return dict(row)


# --- formats and tags -------------------------------------------------------------------------


@pytest.mark.parametrize("ext", ALL_FORMATS)
def test_every_format_tags_and_stream_facts(conn, music, ext):
    f = write_audio(music / f"song.{ext}", seconds=2.0, channels=2, tags=TAGS)
    rep = scan(conn, music)
    assert rep.added == 1 and rep.errors == []
    t = track(conn, f)
    assert (t["title"], t["artist"], t["album"], t["albumartist"], t["genre"]) == (
        "Song Title", "Some Artist", "An Album", "Various", "Jazz")
    assert (t["track_number"], t["year"]) == (3, 2001)
    assert t["format"] == ext and t["channels"] == 2
    assert t["duration"] == pytest.approx(2.0, abs=0.15)
    assert t["sample_rate"] == {"opus": 48000, "m4a": 44100}.get(ext, 22050)
    assert t["status"] == "present" and t["needs_analysis"] == 1
    st = os.stat(f)
    assert (t["size"], t["mtime_ns"]) == (st.st_size, st.st_mtime_ns)


def test_untagged_file_gets_file_name_as_title(conn, music):
    write_audio(music / "No Tags Here.flac")
    scan(conn, music)
    assert track(conn, music / "No Tags Here.flac")["title"] == "No Tags Here"


def test_non_ascii_spaces_and_non_utf8_names(conn, music, tmp_path):
    nice = write_audio(music / "Ärger über Café – 東京 mit Leerzeichen.flac", tags={"title": "Ü"})
    raw_dir = os.fsencode(music) + b"/Latin1 caf\xe9"
    raw = raw_dir + b"/d\xe9j\xe0 vu.wav"
    write_audio(raw, tags={"title": "latin-1 name"})
    rep = scan(conn, music)
    assert rep.added == 2 and rep.errors == []
    assert track(conn, nice)["title"] == "Ü"
    stored = P.from_fs(raw)
    row = q.track_by_path(conn, stored)
    assert row["title"] == "latin-1 name"
    assert P.to_fs_bytes(row["path"]) == raw  # reversible to the real file name
    assert os.path.exists(P.to_fs(row["path"]))
    rep2 = scan(conn, music, prober=counting_prober())
    assert rep2.unchanged == 2  # odd names are stable identities too


# --- incremental --------------------------------------------------------------------------------


def test_rescan_reads_nothing_unchanged(conn, music):
    for i in range(5):
        write_audio(music / f"a{i}.wav")
    scan(conn, music)
    prober = counting_prober()
    rep = scan(conn, music, prober=prober)
    assert prober.calls == [] and rep.unchanged == 5 and rep.added == 0


def test_changed_file_is_refreshed_and_flagged(conn, music):
    f = write_audio(music / "a.flac", tags={"title": "old"})
    write_audio(music / "b.flac", tags={"title": "other"})
    scan(conn, music)
    tid = track(conn, f)["id"]
    other = track(conn, music / "b.flac")["id"]
    conn.execute("UPDATE tracks SET needs_analysis = 0")
    q.store_embedding(conn, tid, "spectral", "v1", [1.0, 2.0])
    q.store_embedding(conn, other, "spectral", "v1", [1.0, 2.0])
    write_audio(f, seconds=1.5, tags={"title": "new"})
    st = os.stat(f)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    prober = counting_prober()
    rep = scan(conn, music, prober=prober)
    assert rep.updated == 1 and rep.unchanged == 1 and len(prober.calls) == 1
    t = track(conn, f)
    assert t["id"] == tid and t["title"] == "new" and t["needs_analysis"] == 1
    assert t["duration"] == pytest.approx(1.5, abs=0.05)
    assert q.get_embeddings(conn, "spectral")[0].tolist() == [other]


def test_vanished_file_is_missing_with_memberships_then_reappears(conn, music, tmp_path):
    f = write_audio(music / "sub" / "a.wav")
    write_audio(music / "b.wav")
    scan(conn, music)
    tid = track(conn, f)["id"]
    conn.execute("INSERT INTO playlists(id, path, name) VALUES (1, '/p.m3u', 'p')")
    conn.execute("INSERT INTO playlist_entries VALUES (1, 0, 'sub/a.wav', NULL, ?)", (tid,))
    moved = tmp_path / "elsewhere.wav"
    os.rename(f, moved)
    rep = scan(conn, music)
    assert rep.missing == 1
    assert track(conn, f)["status"] == "missing"
    assert q.memberships(conn) == [(1, tid)]
    assert [r["id"] for r in q.present_tracks(conn)] != [] and tid not in [r["id"] for r in q.present_tracks(conn)]
    os.rename(moved, f)
    prober = counting_prober()
    rep = scan(conn, music, prober=prober)
    assert rep.reappeared == 1 and prober.calls == []  # unchanged meanwhile: not re-read
    assert track(conn, f)["status"] == "present"


def test_scan_of_one_folder_leaves_other_roots_and_dataset_tracks_alone(conn, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    fa = write_audio(a / "x.wav")
    write_audio(b / "y.wav")
    scan(conn, a)
    scan(conn, b)
    conn.execute("INSERT INTO tracks(path, status, needs_analysis) VALUES ('dataset:/d#1', 'present', 0)")
    os.remove(b / "y.wav")
    scan(conn, a)  # b is not scanned: its vanished file is not noticed yet
    assert track(conn, b / "y.wav")["status"] == "present"
    assert q.track_by_path(conn, "dataset:/d#1")["status"] == "present"
    assert track(conn, fa)["status"] == "present"


def test_given_path_must_exist_but_vanished_root_marks_missing(conn, ctx, tmp_path):
    from musicsage.usecases.library import library_stats, scan_library

    with pytest.raises(MusicsageError, match="no such file or folder"):
        scan_library(ctx, [tmp_path / "typo"])
    d = tmp_path / "drive"
    write_audio(d / "x.wav")
    scan_library(ctx, [d])
    os.rename(d, tmp_path / "unmounted")
    rep = scan_library(ctx)  # no paths: re-scan remembered roots
    assert rep.missing == 1 and rep.errors and "not found" in rep.errors[0][1]
    assert library_stats(ctx).errors == 1  # the error the scan said (gone_roots.py)


def test_a_remembered_folder_now_a_file_is_said_and_its_tracks_kept_as_missing(conn, ctx,
                                                                              tmp_path):
    """Someone deleted ~/Music/x and made a file named x: a re-scan said nothing (0 errors)."""
    import shutil

    from musicsage.usecases.library import library_stats, scan_library

    d = tmp_path / "x"
    write_audio(d / "a.wav")
    write_audio(d / "sub" / "b.wav")
    scan_library(ctx, [d])
    shutil.rmtree(d)
    d.write_text("not music")
    rep = scan_library(ctx)  # no paths: re-scan remembered roots
    assert rep.errors == [(str(d), "now a file, not a folder (its 2 tracks are marked missing)")]
    assert rep.missing == 2 and rep.added == 0
    assert [t["status"] for t in q.all_tracks(conn)] == ["missing", "missing"]  # kept, not deleted
    assert q.library_roots(conn) == [str(d)] and library_stats(ctx).errors == 1  # as said
    d.unlink()
    write_audio(d / "a.wav")
    assert scan_library(ctx).reappeared == 1


def test_a_file_or_folder_inside_a_music_folder_is_scanned_as_part_of_it(ctx, conn, music):
    """``scan ~/Music/a/song.ogg`` added the file as a music folder of its own, which then
    outlived a ``forget ~/Music`` (and kept its track)."""
    from musicsage.usecases.library import forget_folder, scan_library

    f = write_audio(music / "a" / "one.ogg")
    write_audio(music / "a" / "b" / "two.ogg")
    scan_library(ctx, [music])
    write_audio(f, seconds=1.5)
    os.utime(f, ns=(1, 1))  # changed: the scan of the file alone reads it again
    assert scan_library(ctx, [f]).updated == 1
    assert scan_library(ctx, [music / "a" / "b", music / "a"]).unchanged == 2
    assert q.library_roots(conn) == [str(music)]
    assert forget_folder(ctx, str(music)).tracks == 2
    assert q.all_tracks(conn) == [] and q.library_roots(conn) == []


def test_a_scan_of_a_folder_around_music_folders_folds_them_into_it(ctx, conn, music):
    """``scan ~/Music/a`` then ``scan ~/Music`` kept a/ as a music folder of its own: the
    window listed both, and ``forget ~/Music`` kept a/'s tracks. Only rows go: no track moves."""
    from musicsage.library.watch import plan_watch
    from musicsage.usecases.library import forget_folder, scan_library

    write_audio(music / "a" / "one.ogg")
    write_audio(music / "b" / "two.ogg")
    write_audio(music / "top.ogg")
    scan_library(ctx, [music / "a"])
    scan_library(ctx, [music / "b" / "two.ogg"])  # a single file, remembered too
    assert q.library_roots(conn) == [str(music / "a"), str(music / "b" / "two.ogg")]
    plan = plan_watch(conn)  # a watch begun before the fold
    before = {r["path"]: r["id"] for r in q.all_tracks(conn)}
    assert scan_library(ctx, [music]).added == 1
    assert q.library_roots(conn) == [str(music)]
    after = {r["path"]: r["id"] for r in q.all_tracks(conn)}
    assert {p: after[p] for p in before} == before
    assert plan.removed_roots(conn) == set()  # folded, not removed: still followed
    assert forget_folder(ctx, str(music)).tracks == 3
    assert q.all_tracks(conn) == [] and q.library_roots(conn) == []


def test_a_library_holding_nested_music_folders_is_folded_by_a_plain_rescan(ctx, conn, music):
    """Libraries scanned before the fold hold both rows; the next ``scan`` folds them."""
    from musicsage.usecases.library import scan_library

    write_audio(music / "a" / "one.ogg")
    scan_library(ctx, [music])
    with conn:
        conn.execute("INSERT INTO library_roots(path) VALUES (?)", (str(music / "a"),))
    assert scan_library(ctx).unchanged == 1
    assert q.library_roots(conn) == [str(music)]


def test_a_watch_rescan_of_a_folder_forgotten_while_it_waited_adds_nothing(ctx, conn, music):
    """The watch checks for forgotten folders, then waits for the scan lock; a ``forget``
    holding it committed meanwhile, and the rescan brought the folder's files back under new
    ids. The rescan (``remember_roots=False``) keeps only paths still in a music folder."""
    from musicsage.usecases.library import forget_folder, scan_library

    write_audio(music / "a" / "one.ogg")
    scan_library(ctx, [music])
    forget_folder(ctx, str(music))
    late = write_audio(music / "a" / "late.ogg")
    rep = scan_roots(conn, [str(late), str(music / "a")], remember_roots=False)
    assert rep.added == 0 and q.all_tracks(conn) == [] and q.library_roots(conn) == []


def test_single_file_root(conn, music):
    f = write_audio(music / "one.ogg")
    write_audio(music / "two.ogg")
    rep = scan(conn, f)
    assert rep.added == 1 and len(q.all_tracks(conn)) == 1


# --- bad input ----------------------------------------------------------------------------------


def errors_by_name(conn) -> dict[str, str]:
    return {P.display(r["path"]).rsplit("/", 1)[-1]: r["message"] for r in q.list_errors(conn, "scan")}


def test_bad_files_are_recorded_and_scan_goes_on(conn, music):
    write_audio(music / "good.flac")
    rng = np.random.default_rng(0)
    (music / "random.mp3").write_bytes(rng.bytes(20_000))
    (music / "empty.mp3").write_bytes(b"")
    full = write_audio(music / "full.flac", seconds=5.0)
    data = Path(full).read_bytes()
    (music / "truncated.flac").write_bytes(data[: len(data) // 2])
    (music / "garbage.m4a").write_bytes(rng.bytes(5000))
    os.remove(full)
    (music / "notes.txt").write_text("not audio")
    (music / "cover.jpg").write_bytes(rng.bytes(100))
    rep = scan(conn, music)
    assert rep.added == 1
    errs = errors_by_name(conn)
    assert set(errs) == {"random.mp3", "empty.mp3", "truncated.flac", "garbage.m4a"}
    assert "empty file" in errs["empty.mp3"]
    assert "mp3" in errs["random.mp3"]
    assert "truncated" in errs["truncated.flac"]
    assert {p.rsplit("/", 1)[-1] for p, _ in rep.errors} == set(errs)
    # errors are retried, and cleared once the file reads
    write_audio(music / "random.mp3")
    scan(conn, music)
    assert "random.mp3" not in errors_by_name(conn)
    os.remove(music / "empty.mp3")
    scan(conn, music)
    assert "empty.mp3" not in errors_by_name(conn)


def test_changed_file_that_became_unreadable(conn, music):
    f = write_audio(music / "a.flac")
    scan(conn, music)
    tid = track(conn, f)["id"]
    q.store_embedding(conn, tid, "spectral", "v1", [1.0])
    Path(f).write_bytes(b"\x00" * 100)
    scan(conn, music)
    assert errors_by_name(conn)["a.flac"]
    assert q.get_embeddings(conn, "spectral")[0].size == 0
    assert track(conn, f)["needs_analysis"] == 1


def test_unreadable_file_simulated(conn, music, monkeypatch):
    """Tests run as root, for whom chmod 000 changes nothing: make open() fail instead."""
    write_audio(music / "ok.wav")
    locked = write_audio(music / "locked.wav")
    real_open = open

    def fake_open(path, *a, **kw):
        if os.fsdecode(path).endswith("locked.wav"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *a, **kw)

    monkeypatch.setattr(tags_mod, "open", fake_open, raising=False)
    rep = scan(conn, music)
    assert rep.added == 1
    assert errors_by_name(conn)["locked.wav"] == "cannot read file: Permission denied"
    assert os.path.exists(locked)


# Real permissions (mode 000 files and folders, for root too) and symlink loops: see
# tests/robustness/test_filesystem_traps.py.


def test_unlistable_folder_is_an_error_and_not_marked_missing(conn, music, monkeypatch):
    inside = write_audio(music / "private" / "a.wav")
    write_audio(music / "b.wav")
    scan(conn, music)
    real_scandir = os.scandir

    def fake_scandir(path="."):
        if os.fsdecode(path).endswith("private"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(scan_mod.os, "scandir", fake_scandir)
    rep = scan(conn, music)
    assert any("cannot list folder" in reason for _, reason in rep.errors)
    assert track(conn, inside)["status"] == "present"  # unknown, so not "missing"


def test_hidden_folders_and_resource_forks_ignored(conn, music):
    write_audio(music / ".Trash-1000" / "deleted.wav")
    (music / "._song.wav").write_bytes(b"\x00" * 10)
    write_audio(music / "song.wav")
    rep = scan(conn, music)
    assert rep.added == 1 and rep.errors == []


LINUX = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="Linux's /proc, /sys, /dev")


@LINUX
def test_a_link_to_a_system_folder_is_not_walked(conn, music, monkeypatch):
    """A link to /proc (or a walk of /) led the walk into /proc/self/root, i.e. / again, and
    through the whole file system; /proc, /sys and /dev are virtual file systems, skipped."""
    from musicsage.library import walk as walk_mod

    write_audio(music / "song.wav")
    for name, target in (("proc", "/proc"), ("sys", "/sys"), ("dev", "/dev")):
        (music / f"{name}-link").symlink_to(target)
    listed = []
    real_scandir = os.scandir

    def scandir(folder):
        real = os.path.realpath(folder)
        assert not any(P.is_under(real, top) for top in ("/proc", "/sys", "/dev")), folder
        listed.append(folder)
        return real_scandir(folder)

    monkeypatch.setattr(walk_mod.os, "scandir", scandir)
    rep = scan(conn, music)
    assert rep.added == 1 and rep.errors == [] and listed == [str(music)]


@LINUX
@pytest.mark.parametrize("given", ["/proc/self", "/proc/self/root", "/dev", "/sys/kernel",
                                   "<link>"])
def test_a_system_folder_is_refused_as_a_root(conn, tmp_path, given):
    """``scan /proc/self`` stored the whole file system under /proc/self/root/…; ``scan /dev``
    was remembered as a music folder holding nothing. A link to one is caught too."""
    if given == "<link>":
        (tmp_path / "devices").symlink_to("/dev")
        given = str(tmp_path / "devices")
    with pytest.raises(MusicsageError) as err:
        resolve_roots([given], music=True)
    assert str(err.value) == f"{given} is a system folder, not music: nothing was scanned"
    assert q.library_roots(conn) == []


# --- progress, cancel, resume -------------------------------------------------------------------


def test_progress_and_cancel_then_resume(conn, music):
    for i in range(12):
        write_audio(music / f"t{i:02d}.wav", seconds=0.2)
    cancel = CancelToken()
    prober = counting_prober()

    def cancelling_prober(fs_path, fmt):
        if len(prober.calls) == 7:
            cancel.cancel()
        return prober(fs_path, fmt)

    with pytest.raises(Cancelled):
        scan(conn, music, cancel=cancel, prober=cancelling_prober, batch_size=3)
    done = len(q.all_tracks(conn))
    assert done == 8  # the file in hand when cancel came is finished and committed
    seen = []
    prober2 = counting_prober()
    rep = scan(conn, music, prober=prober2, progress=seen.append)
    assert len(prober2.calls) == 12 - done and rep.added == 12 - done and rep.unchanged == done
    assert seen[-1].stage == "scan" and seen[-1].done == seen[-1].total == 12


# kill -9 mid-scan: tests/robustness/test_kill.py.


def test_cli_scan_in_process(ctx, music, capsys):
    from musicsage.cli import main

    write_audio(music / "x y.flac", tags={"title": "XY"})
    (music / "bad.mp3").write_bytes(b"nope" * 100)
    assert main(["scan", str(music), "--data-dir", str(ctx.data_dir)]) == 0
    out, err = capsys.readouterr()
    assert "1 new" in out and "1 error" in out and "1 errors" not in out and "bad.mp3" in err
    assert main(["scan", str(music / "nope"), "--data-dir", str(ctx.data_dir)]) == 1
    assert "no such file or folder" in capsys.readouterr().err
