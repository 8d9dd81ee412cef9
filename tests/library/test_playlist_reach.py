"""Playlists the library must not lose or double: one whose drive is not mounted (its file and
tracks unreachable, not removed) keeps its id, so a trained model keeps its vector; one file
imported through two spellings of its folder (a symlink) is one playlist; and an entry naming
another playlist says why it is not followed, not that the user's files moved."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from library_audio import write_audio

from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.playlists.store import forget_gone_playlists
from musicsage.usecases.library import scan_library


def _playlists(ctx) -> dict[str, int]:
    return {r[1]: r[0] for r in connect(ctx).execute("SELECT id, name FROM playlists")}


@pytest.fixture
def drive(ctx, tmp_path: Path):
    """A "drive" at ``media/usb`` holding two tracks and ``mix.m3u`` at its top, scanned."""
    usb = tmp_path / "media" / "usb"
    for name in ("x.wav", "y.wav"):
        write_audio(usb / name, seconds=0.1)
    (usb / "mix.m3u").write_text("x.wav\ny.wav\n")
    scan_library(ctx, [usb], [usb / "mix.m3u"])
    return usb


def test_an_unmounted_drive_keeps_its_playlist_and_its_id(ctx, drive, tmp_path):
    before = _playlists(ctx)
    stash = tmp_path / "stash"
    shutil.move(drive, stash)  # unmounted: the mount point stays, empty
    drive.mkdir()
    rep = scan_library(ctx)
    assert rep.missing == 2 and rep.playlists_gone == [] and _playlists(ctx) == before
    assert rep.playlists_gone_text() == (
        "1 playlist kept while its file cannot be reached (a drive not mounted?): 'mix'")
    drive.rmdir()
    shutil.move(stash, drive)  # the drive is back
    assert scan_library(ctx).playlists_gone_text() is None
    assert _playlists(ctx) == before and len(q.memberships(connect(ctx))) == 2


def test_its_tracks_unreachable_keep_it_even_with_other_files_there(ctx, drive, tmp_path):
    """A mount point holding a stray file: the tracks that went with the list say enough."""
    stash = tmp_path / "stash"
    shutil.move(drive, stash)
    drive.mkdir()
    (drive / ".hidden-note.m3u").write_text("")
    (drive / "README").write_text("mount the drive here\n")
    gone = forget_gone_playlists(connect(ctx))
    assert gone.names == [] and gone.unreachable == ["mix"] and list(_playlists(ctx)) == ["mix"]


def test_a_bare_mount_point_keeps_it_while_its_tracks_are_elsewhere(ctx, tmp_path):
    music, usb = tmp_path / "music", tmp_path / "usb"
    write_audio(music / "x.wav", seconds=0.1)
    usb.mkdir()
    (usb / "mix.m3u").write_text(f"{music / 'x.wav'}\n")
    scan_library(ctx, [music], [usb / "mix.m3u"])
    (usb / "mix.m3u").unlink()
    os.utime(usb, (1e9, 1e9))  # the drive unplugged: its mount point, empty and not modified
    gone = forget_gone_playlists(connect(ctx))
    assert gone.names == [] and gone.unreachable == ["mix"]
    later = time.time() + 2  # (the kernel's file clock may lag a few ms behind time.time())
    os.utime(usb, (later, later))  # modified since the import: the file was deleted from it
    gone = forget_gone_playlists(connect(ctx))
    assert gone.names == ["mix"] and gone.unreachable == []


def test_a_deleted_file_still_leaves(ctx, drive):
    """Its folder holds other files and its tracks are there: the file was deleted."""
    (drive / "mix.m3u").unlink()
    rep = scan_library(ctx)
    assert rep.playlists_gone == ["mix"] and _playlists(ctx) == {}
    assert rep.playlists_gone_text() == "1 playlist gone (its file was removed): 'mix'"


@pytest.fixture
def linked(ctx, tmp_path: Path):
    """``real/mix.m3u`` naming two scanned tracks, and ``Link`` → ``real``."""
    music, real = tmp_path / "music", tmp_path / "real"
    for name in ("x.wav", "y.wav"):
        write_audio(music / name, seconds=0.1)
    real.mkdir()
    (real / "mix.m3u").write_text(f"{music / 'x.wav'}\n{music / 'y.wav'}\n")
    os.symlink(real, tmp_path / "Link")
    scan_library(ctx, [music])
    return real, tmp_path / "Link"


@pytest.mark.parametrize("first", [0, 1])
def test_one_file_through_a_symlink_is_one_playlist(ctx, linked, first):
    given = [linked[first], linked[1 - first]]
    scan_library(ctx, [], [given[0]])
    before = _playlists(ctx)
    rep = scan_library(ctx, [], [given[1]])
    assert _playlists(ctx) == before and rep.playlists[0].playlist_id == before["mix"]
    assert len(q.memberships(connect(ctx))) == 2  # no pair counted twice
    stored = connect(ctx).execute("SELECT path FROM playlists").fetchone()[0]
    assert stored == str(given[0] / "mix.m3u")  # the path the user gave first
    scan_library(ctx, [], list(given))  # both at once: still one
    assert _playlists(ctx) == before


def test_two_rows_from_before_become_one_on_the_next_import(ctx, linked):
    real, link = linked
    scan_library(ctx, [], [real])
    conn = connect(ctx)
    with conn:  # what an older version stored: the file twice, under both spellings
        conn.execute("INSERT INTO playlists(id, path, name) VALUES (?, ?, 'mix')",
                     (99, str(link / "mix.m3u")))
    assert scan_library(ctx).playlists_gone == []  # no crash, nothing said gone
    rep = scan_library(ctx, [], [link])
    assert rep.playlists[0].playlist_id == 1 and list(_playlists(ctx).values()) == [1]
    assert scan_library(ctx, [], [real / "mix.m3u"]).playlists[0].playlist_id == 1


def test_a_playlist_listing_playlists_says_they_are_not_followed(ctx, tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "self.m3u").write_text("self.m3u\nother.PLS\n")
    rep = scan_library(ctx, [], [lists / "self.m3u"]).playlists[0]
    assert [u["reason"] for u in rep.unresolved] == [
        "a playlist file; playlists inside playlists are not followed"] * 2
    warning = rep.none_found_warning()
    assert "not followed" in warning and "files moved" not in warning
