"""Removing a music folder from the library (``forget``): its tracks leave the library and
nothing else does — no file on disk, no playlist entry, no track of another folder — and no
track id is ever given out again."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.usecases.library import forget_folder, import_dataset, library_stats, scan_library


@pytest.fixture
def two_folders(ctx, tmp_path, make_audio):
    """Music in ``keep/`` and ``drop/`` (``drop/live/`` too), scanned, with spectral
    vectors; a playlist naming a track of each; one unreadable file in ``drop/``."""
    from musicsage.usecases.embedding import embed_library

    folders = {name: tmp_path / name for name in ("keep", "drop")}
    files = {}
    for name, folder in folders.items():
        for i in range(3):
            files[f"{name}{i}"] = make_audio(folder / ("live" if i == 2 else "") / f"{name}{i}.wav",
                                             freq=300.0 + 110 * i + (50 if name == "drop" else 0))
    (folders["drop"] / "broken.mp3").write_bytes(b"not audio at all")
    playlist = tmp_path / "mix.m3u8"
    playlist.write_text(f"#EXTM3U\n{files['keep0']}\n{files['drop0']}\n{files['drop1']}\n",
                        encoding="utf-8")
    scan_library(ctx, [str(folders["keep"]), str(folders["drop"])], [str(playlist)])
    embed_library(ctx, "spectral")
    return folders, files, playlist


def ids_by_name(conn) -> dict[str, int]:
    return {os.path.splitext(os.path.basename(r["path"]))[0]: int(r["id"])
            for r in conn.execute("SELECT id, path FROM tracks")}


def test_a_removed_folder_takes_its_tracks_and_nothing_else(ctx, conn, two_folders):
    folders, files, playlist = two_folders
    on_disk = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in [*files.values(), playlist]}
    before = ids_by_name(conn)

    rep = forget_folder(ctx, str(folders["drop"]) + "/")  # as typed, with a slash

    assert (rep.tracks, rep.kept, rep.entries, rep.playlists) == (3, 0, 2, 1)
    assert rep.summary() == (f"removed {folders['drop']} from the library: 3 tracks left it (no "
                             "file was touched); 2 playlist entries in 1 playlist now unresolved "
                             "(adding the folder back resolves them, but to new tracks: "
                             "their audio is analysed again, and the graph model learns them "
                             "at its next training)")
    assert set(ids_by_name(conn)) == {"keep0", "keep1", "keep2"}
    assert q.library_roots(conn) == [P.from_fs(str(folders["keep"]))]
    gone = [before[f"drop{i}"] for i in range(3)]
    for table in ("audio_embeddings", "track_hashes"):
        marks = ", ".join("?" * len(gone))
        assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE track_id IN ({marks})",
                            gone).fetchone()[0] == 0
    assert not [r for r in conn.execute("SELECT path FROM errors") if "drop" in r[0]]
    entries = conn.execute("SELECT raw, track_id FROM playlist_entries ORDER BY position").fetchall()
    assert [(os.path.basename(r[0]), r[1]) for r in entries] == [
        ("keep0.wav", before["keep0"]), ("drop0.wav", None), ("drop1.wav", None)]
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in on_disk} == on_disk
    stats = library_stats(ctx)
    assert stats.tracks.total == 3 and stats.embeddings == {"spectral": 3} and stats.errors == 0


def test_a_folder_added_back_comes_back_with_new_ids_and_its_playlist_entries(ctx, conn,
                                                                            two_folders,
                                                                            make_audio):
    """Ids are never reused: a graph model keeps vectors under the ids it was trained on."""
    folders, files, _ = two_folders
    before = ids_by_name(conn)
    forget_folder(ctx, str(folders["drop"]))
    make_audio(folders["keep"] / "keep3.wav", freq=900.0)
    scan_library(ctx, [str(folders["keep"])])
    assert ids_by_name(conn)["keep3"] > max(before.values()), "a forgotten id was handed out"

    scan_library(ctx, [str(folders["drop"])])
    after = ids_by_name(conn)
    assert all(after[f"drop{i}"] > after["keep3"] for i in range(3))
    resolved = [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries ORDER BY position")]
    assert resolved == [after["keep0"], after["drop0"], after["drop1"]]


def test_a_dataset_id_that_was_retired_is_not_taken(ctx, conn, two_folders, tmp_path):
    folders, _, _ = two_folders
    top = max(ids_by_name(conn).values())
    forget_folder(ctx, str(folders["drop"]))
    dataset = tmp_path / "ds"
    dataset.mkdir()
    (dataset / "tracks.csv").write_text(f"track_id,title\n{top},Old id\n{top + 50},Free id\n",
                                        encoding="utf-8")
    (dataset / "memberships.csv").write_text("playlist_id,track_id\n", encoding="utf-8")
    np.save(dataset / "features.npy", np.ones((2, 4), np.float32))
    import_dataset(ctx, str(dataset))
    titles = {r["title"]: r["id"] for r in conn.execute("SELECT id, title FROM tracks")}
    assert titles["Old id"] > top and titles["Free id"] == top + 50


def test_a_folder_scanned_before_the_folder_around_it_leaves_with_it(ctx, conn, two_folders):
    """``scan drop/live`` then ``scan drop``: live/ is folded into drop/ (one music folder),
    so removing drop/ takes live/'s tracks too, and live/ alone is part of nothing to remove."""
    folders, _, _ = two_folders
    forget_folder(ctx, str(folders["drop"]))
    scan_library(ctx, [str(folders["drop"] / "live")])
    scan_library(ctx, [str(folders["drop"])])
    with pytest.raises(MusicsageError) as err:
        forget_folder(ctx, str(folders["drop"] / "live"))
    assert str(err.value) == (
        f"{folders['drop'] / 'live'} is not one of the library's music folders: it is part of "
        f"{folders['drop']} (only a whole music folder can be removed: {folders['drop']}, "
        f"{folders['keep']})")
    rep = forget_folder(ctx, str(folders["drop"]))
    assert (rep.tracks, rep.kept) == (3, 0)
    assert set(ids_by_name(conn)) == {"keep0", "keep1", "keep2"}


def test_folders_inside_folders_keep_what_another_one_holds(ctx, conn, two_folders):
    """A library remembered both (before scans folded them): each keeps what the other holds."""
    folders, _, _ = two_folders
    with conn:
        conn.execute("INSERT INTO library_roots(path) VALUES (?)",
                     (P.from_fs(str(folders["drop"] / "live")),))
    rep = forget_folder(ctx, str(folders["drop"]))
    assert (rep.tracks, rep.kept) == (2, 1)
    assert rep.summary().endswith("; 1 track kept: another music folder holds it")
    assert set(ids_by_name(conn)) == {"keep0", "keep1", "keep2", "drop2"}
    assert forget_folder(ctx, str(folders["drop"] / "live")).tracks == 1


def test_only_a_music_folder_of_the_library_can_be_removed(ctx, conn, two_folders):
    folders, files, _ = two_folders
    for wrong in (str(folders["drop"] / "live"), str(files["keep0"]), "/nowhere", ""):
        with pytest.raises(MusicsageError, match="music folders") as err:
            forget_folder(ctx, wrong)
        assert str(folders["keep"]) in str(err.value) and "\n" not in str(err.value)
    assert len(ids_by_name(conn)) == 6


def test_the_command_line_removes_a_folder_and_says_what_it_did(ctx, capsys, two_folders,
                                                                 monkeypatch):
    folders, _, _ = two_folders
    data = ["--data-dir", str(ctx.data_dir)]
    assert cli.main(["stats", *data]) == 0
    assert f"folders    {folders['drop']}, {folders['keep']}" in capsys.readouterr().out
    monkeypatch.chdir(folders["drop"].parent)
    assert cli.main(["forget", "drop", "--json", *data]) == 0  # relative to the working folder
    report = json.loads(capsys.readouterr().out)
    assert report == {"root": str(folders["drop"]), "tracks": 3, "kept": 0, "entries": 2,
                      "playlists": 1}
    assert cli.main(["forget", "drop", *data]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"musicsage forget: {folders['drop']} is not one of the library's music folders "
        f"({folders['keep']})"]
    assert cli.main(["forget", "keep", *data]) == 0
    assert capsys.readouterr().out.startswith(f"removed {folders['keep']} from the library: 3 "
                                              "tracks left it")
    assert cli.main(["stats", *data]) == 0
    assert "folders    none" in capsys.readouterr().out


def test_removing_waits_for_an_embedding_run_of_the_library(ctx, two_folders):
    """An embedding run (the window's, another terminal's) writes vectors for the tracks it
    listed: a folder is removed only once it has finished, and says it is waiting."""
    import threading
    import time

    from musicsage.library.db import connect
    from musicsage.library.lock import library_lock

    folders, _, _ = two_folders
    said, done = [], []
    with library_lock(connect(ctx), "embed"):
        worker = threading.Thread(target=lambda: done.append(
            forget_folder(ctx, str(folders["drop"]), progress=said.append)))
        worker.start()
        deadline = time.monotonic() + 20
        while not said and time.monotonic() < deadline:
            time.sleep(0.05)
        assert said and "embedding run of this library is running" in said[0].message
        assert not done and len(ids_by_name(connect(ctx))) == 6
    worker.join(20)
    assert done and done[0].tracks == 3


def test_a_wait_names_what_the_holder_of_the_scan_lock_is_doing(ctx):
    """One lock serves scans, imports, playlist imports and folder removals: an import waiting
    for another import said "another scan of this library is running"."""
    import threading
    import time

    from musicsage.library.db import connect
    from musicsage.library.lock import scan_lock

    def wait_then_release(said: list) -> None:
        with scan_lock(connect(ctx), progress=said.append, stage="import"):
            pass

    for stage, words in (("import", "another import"), ("scan", "another scan"),
                         ("forget", "another removal of a folder")):
        said = []
        with scan_lock(connect(ctx), stage=stage):
            worker = threading.Thread(target=wait_then_release, args=(said,))
            worker.start()
            deadline = time.monotonic() + 20
            while not said and time.monotonic() < deadline:
                time.sleep(0.05)
        worker.join(20)
        assert said and said[0].message.startswith(f"{words} of this library is running "
                                                   "(process "), said
