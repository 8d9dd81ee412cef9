"""``playlists PLAYLIST`` reads that playlist alone; a .m3u8 is named alike everywhere; the
``stats --json`` example of docs/cli.md holds every key; two processes upgrading an older
tag cache at once."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from library_audio import write_audio

from musicsage import cli
from musicsage.library import tag_cache
from musicsage.usecases.library import import_dataset
from musicsage.usecases.playlists import playlist_members, playlist_summaries

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_one_playlists_list_reads_its_own_members_and_tracks_only(ctx, tmp_path,
                                                                  monkeypatch):
    d = tmp_path / "d"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\n" + "".join(f"{i},T{i}\n"
                                                               for i in range(1, 7)))
    (d / "memberships.csv").write_text("playlist_id,track_id\n1,1\n1,2\n1,1\n1,9\n2,3\n2,4\n")
    import_dataset(ctx, d)
    window_count = {s.id: s for s in playlist_summaries(ctx)}[1]
    import musicsage.library.browse as browse

    read: list[int] = []
    real_ids = browse.playlist_track_ids

    def track_ids(conn, playlist_id):
        read.append(playlist_id)
        return real_ids(conn, playlist_id)

    def every_track(*_a, **_k):
        raise AssertionError("every track of the library read for one playlist")
    monkeypatch.setattr(browse, "playlist_track_ids", track_ids)
    monkeypatch.setattr(browse, "list_tracks", every_track)
    members = playlist_members(ctx, 1)
    assert read == [1]
    assert members.playlist == window_count  # the counts the window's list shows
    assert [(tid, t.title) for tid, t in members.tracks] == [(1, "T1"), (2, "T2"), (1, "T1")]


def test_a_m3u8_is_m3u8_in_the_scan_line_and_in_playlists_json(ctx, tmp_path, capsys):
    music = tmp_path / "music"
    write_audio(music / "a.wav")
    (music / "mix.m3u8").write_text("#EXTM3U\na.wav\n", encoding="utf-8")
    assert cli.main(["--data-dir", str(ctx.data_dir), "scan", str(music),
                     "--playlists", str(music / "mix.m3u8")]) == 0
    assert "playlist 'mix' (m3u8):" in capsys.readouterr().out
    assert [s.format for s in playlist_summaries(ctx)] == ["m3u8"]
    assert cli.main(["--data-dir", str(ctx.data_dir), "playlists", "--json"]) == 0
    assert [p["format"] for p in json.loads(capsys.readouterr().out)["playlists"]] == ["m3u8"]


def _keys(value, prefix=""):
    if not isinstance(value, dict):
        return set()
    return {prefix + k for k in value} | {key for k, v in value.items()
                                          for key in _keys(v, prefix + k + ".")}


def test_the_stats_json_example_holds_every_key(ctx, tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id\n1\n")
    import_dataset(ctx, d)
    assert cli.main(["--data-dir", str(ctx.data_dir), "stats", "--json"]) == 0
    real = json.loads(capsys.readouterr().out)
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    example = re.search(r"### `stats --json`\n\n```json\n(.*?)```", text, re.S).group(1)
    documented = json.loads(example)
    assert _keys(real["tracks"]) == _keys(documented["tracks"])
    assert set(real) == set(documented)


def test_two_processes_upgrading_an_old_tag_cache_at_once(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    with sqlite3.connect(tag_cache.cache_path(cache)) as old:  # before content_hash
        old.execute("CREATE TABLE track_tags (path TEXT NOT NULL, model TEXT NOT NULL,"
                    " size INTEGER, mtime_ns INTEGER, tags TEXT NOT NULL,"
                    " PRIMARY KEY (path, model))")
    real = sqlite3.connect

    class Racing:
        """A connection whose column check is answered just before the other process
        (the window, say) adds the column."""

        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, *args):
            result = self._conn.execute(sql, *args)
            if sql.startswith("PRAGMA table_info"):
                rows = result.fetchall()
                with real(tag_cache.cache_path(cache)) as other:
                    other.execute("ALTER TABLE track_tags ADD COLUMN content_hash TEXT")
                return iter(rows)
            return result

        def __getattr__(self, name):
            return getattr(self._conn, name)

    monkeypatch.setattr(tag_cache.sqlite3, "connect", lambda *a, **k: Racing(real(*a, **k)))
    track = {"id": 1, "path": "/m/a.wav", "size": 3, "mtime_ns": 4, "content_hash": None}
    assert tag_cache.store_tags(cache, track, "musicnn", [("rock", 0.9)])
    monkeypatch.setattr(tag_cache.sqlite3, "connect", real)
    assert tag_cache.cached_tags(cache, [track], "musicnn") == {1: [("rock", 0.9)]}
