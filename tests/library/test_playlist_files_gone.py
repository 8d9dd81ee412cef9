"""A playlist follows its file: once the file is gone from its folder (deleted, or renamed),
the library stops using the playlist — it was kept for good, so a rename left two copies of it
(doubling its pairs in training and leaking them into the held-out evaluation) and a deleted
one was still suggested from. A playlist whose folder is gone (a drive not mounted) is kept,
as the tracks of a music folder that is gone are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.playlists.store import forget_gone_playlists
from musicsage.usecases.library import scan_library


@pytest.fixture
def road_trip(ctx, tmp_path: Path):
    """Two tracks and ``lists/a.m3u8`` naming both, scanned: ``(music, lists)``."""
    music, lists = tmp_path / "music", tmp_path / "lists"
    for name in ("x.wav", "y.wav"):
        write_audio(music / name, seconds=0.1)
    lists.mkdir()
    (lists / "a.m3u8").write_text("../music/x.wav\n../music/y.wav\n")
    scan_library(ctx, [music], [lists])
    return music, lists


def _playlists(ctx) -> dict[str, int]:
    return {r[1]: r[0] for r in connect(ctx).execute("SELECT id, name FROM playlists")}


def test_a_renamed_file_leaves_one_playlist_not_two(ctx, road_trip):
    _music, lists = road_trip
    (lists / "a.m3u8").rename(lists / "Road trip.m3u8")
    rep = scan_library(ctx, [], [lists])
    assert list(_playlists(ctx)) == ["Road trip"] and rep.playlists_gone == ["a"]
    assert len(q.memberships(connect(ctx))) == 2  # no pair counted twice
    assert rep.playlists_gone_text() == "1 playlist gone (its file was removed): 'a'"
    assert rep.to_dict()["playlists_gone"] == ["a"]


def test_a_plain_rescan_drops_a_deleted_one_and_imports_a_renamed_one(ctx, road_trip):
    _music, lists = road_trip
    (lists / "b.m3u").write_text("../music/x.wav\n")
    scan_library(ctx, [], [lists / "b.m3u"])
    (lists / "a.m3u8").rename(lists / "c.m3u8")  # same size and time: the file renamed
    (lists / "b.m3u").unlink()
    (lists / "other.m3u").write_text("../music/y.wav\n")  # never imported: stays out
    removed = _playlists(ctx)
    rep = scan_library(ctx)
    assert sorted(rep.playlists_gone) == ["a", "b"] and list(_playlists(ctx)) == ["c"]
    assert _playlists(ctx)["c"] > max(removed.values())  # no removed id handed out again
    assert scan_library(ctx).playlists_gone == []  # said once


def test_a_playlist_whose_folder_is_gone_is_kept(ctx, road_trip, tmp_path):
    _music, lists = road_trip
    lists.rename(tmp_path / "unplugged")
    assert scan_library(ctx).playlists_gone == [] and list(_playlists(ctx)) == ["a"]
    (tmp_path / "unplugged").rename(lists)
    (lists / "a.m3u8").rename(lists / "elsewhere.txt")  # its folder there, the file not
    os.symlink(tmp_path / "nowhere.m3u8", lists / "a.m3u8")  # a link to a drive not mounted
    assert scan_library(ctx).playlists_gone == [] and list(_playlists(ctx)) == ["a"]


def test_a_folder_that_cannot_be_read_keeps_its_playlists(ctx, road_trip, monkeypatch):
    _music, lists = road_trip
    (lists / "a.m3u8").unlink()
    real = os.scandir

    def refused(path="."):
        if os.fspath(path) == str(lists):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", refused)
    assert forget_gone_playlists(connect(ctx)).names == [] and list(_playlists(ctx)) == ["a"]


def test_the_watch_drops_a_playlist_whose_file_was_deleted(ctx, road_trip):
    from musicsage.library.watch import Batch
    from musicsage.library.watch_apply import WatchPlan, apply_changes

    music, lists = road_trip
    (lists / "a.m3u8").unlink()
    rep = apply_changes(connect(ctx), WatchPlan(roots=[str(music)]),
                        Batch(paths={str(lists / "a.m3u8"): False}))
    assert not rep.empty and _playlists(ctx) == {}
    assert rep.summary() == "1 playlist gone (its file was removed): 'a'"


def test_the_cli_says_which_playlist_went(data_dir, road_trip, capsys):
    _music, lists = road_trip
    (lists / "a.m3u8").rename(lists / "Road trip.m3u8")
    assert main(["--data-dir", str(data_dir), "scan", "--playlists", str(lists)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "1 playlist gone (its file was removed): 'a'" in out


def test_a_model_trained_before_keeps_working(two_models, tmp_path):
    from musicsage.usecases.suggest import suggest_tracks

    ctx, _first, _second = two_models
    conn = connect(ctx)
    names = [r[0] for r in conn.execute("SELECT name FROM playlists ORDER BY id")]
    with conn:  # the first playlist's file: gone from a folder that is there
        conn.execute("UPDATE playlists SET path = ? WHERE name = ?",
                     (str(tmp_path / "gone.m3u"), names[0]))
    assert forget_gone_playlists(conn).names == [names[0]]
    assert suggest_tracks(ctx, names[1], k=3).graph
    with pytest.raises(MusicsageError):
        suggest_tracks(ctx, names[0], k=3)
