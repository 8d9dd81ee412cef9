"""Playlist files that are traps: XSPF entity bombs and external entities (README), and — issue 16
item 6 — FIFOs, devices and huge files with a playlist's extension. The scan goes on, says what
it refused in one line each, and imports nothing from them."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from playlist_traps import BOMB, external_entity
from robust_support import assert_clean_success, cli, lines, tone_file, tree_snapshot

from musicsage.library.playlists import PlaylistError, format_for
from musicsage.library.playlists.store import MAX_PLAYLIST_BYTES


def test_xspf_entity_bomb_refused():
    with pytest.raises(PlaylistError, match="refused.*entit"):
        format_for("x.xspf").parse(BOMB, "x.xspf")


def test_xspf_external_entity_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("/etc/shadow-like secret")
    with pytest.raises(PlaylistError, match="external entity") as info:
        format_for("x.xspf").parse(external_entity(secret), "x.xspf")
    assert "shadow-like" not in str(info.value)


def test_scan_refuses_trap_playlists_in_one_line_each_and_imports_the_rest(tmp_path):
    music = tmp_path / "music"
    song = tone_file(music / "song.wav", seconds=0.5)
    secret = tmp_path / "secret.txt"
    secret.write_text("/etc/shadow-like secret")
    lists = tmp_path / "playlists"
    lists.mkdir()
    (lists / "good.m3u8").write_text(f"{song}\n")
    (lists / "bomb.xspf").write_bytes(BOMB)
    (lists / "xxe.xspf").write_bytes(external_entity(secret))
    os.mkfifo(lists / "pipe.m3u")  # reading it would block for ever
    os.symlink("/dev/zero", lists / "zero.pls")  # reading it would fill memory
    with open(lists / "huge.xspf", "wb") as fh:  # sparse: 51 MB on paper, no disk used
        fh.truncate(MAX_PLAYLIST_BYTES + 2**20)
    before = tree_snapshot(tmp_path)
    data = tmp_path / "data"

    proc = cli("scan", str(music), "--playlists", str(lists), data_dir=data, timeout=120)
    assert_clean_success(proc)
    said = {line.split(":", 1)[0].rsplit("/", 1)[-1]: line for line in lines(proc.stderr)
            if line.startswith("playlist ")}
    assert set(said) == {"bomb.xspf", "xxe.xspf", "pipe.m3u", "zero.pls", "huge.xspf"}
    assert "entity expansion" in said["bomb.xspf"]
    assert "external entit" in said["xxe.xspf"] and "shadow-like" not in proc.stderr
    assert "not a regular file" in said["pipe.m3u"] and "not a regular file" in said["zero.pls"]
    assert "too large for a playlist (51.0 MB; the limit is 50 MB)" in said["huge.xspf"]
    assert "playlist 'good' (m3u8): 1 entry, 1 resolved" in proc.stdout

    stats = json.loads(cli("stats", "--json", data_dir=data).stdout)
    assert stats["playlists"]["total"] == 1 and stats["errors"] == 5
    dump = "\n".join(sqlite3.connect(data / "library.sqlite3").iterdump())
    assert "shadow-like" not in dump
    after = tree_snapshot(tmp_path)  # the user's files (and the traps) are as they were
    assert {k: v for k, v in after.items() if not k.startswith(b"data")} == \
        {k: v for k, v in before.items() if not k.startswith(b"data")}


def test_a_playlist_just_over_the_limit_says_by_how_much(ctx, tmp_path):
    """Rounded to whole MB, 47 bytes over read "50 MB; the limit is 50 MB"."""
    from musicsage.library.db import connect
    from musicsage.library.playlists.store import import_playlist_file

    conn = connect(ctx)

    just_over = tmp_path / "just_over.m3u"
    with open(just_over, "wb") as fh:
        fh.truncate(MAX_PLAYLIST_BYTES + 47)
    error = import_playlist_file(conn, str(just_over)).error
    assert error == ("too large for a playlist (52,428,847 bytes, 47 over; the limit is 50 MB)")
