"""Players' libraries as playlist sources: one shared contract every reader passes (Picard's
format-test pattern), then what is particular to each player.

The files are written by ``player_files`` in the players' real formats (see the sources cited
there): Apple Music/iTunes Library.xml, Rhythmbox playlists.xml, Strawberry and Clementine
SQLite databases.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from library_audio import write_audio
from player_files import (Win, file_url, write_clementine, write_itunes, write_rhythmbox,
                          write_strawberry)

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.playlists import import_playlists, player_format_for
from musicsage.library.scan import resolve_roots, scan_roots

NOT_FOUND = "no track in the library at this location"


@pytest.fixture
def music(tmp_path):
    """Three real files (a non-ASCII name, an '&' and spaces) and one that does not exist."""
    root = tmp_path / "music"
    files = {"a": root / "Artist/Album/01 One.wav", "b": root / "Björk/Homogenic/02 Jóga.wav",
             "c": root / "Other/Sub Dir/03 Three & Four.wav"}
    for f in files.values():
        write_audio(f, seconds=0.1)
    files["missing"] = root / "Gone/04 Missing.wav"
    files["root"] = root
    return files


@pytest.fixture
def scanned(conn, music):
    scan_roots(conn, resolve_roots([music["root"]]))
    return {k: q.track_by_path(conn, P.from_fs(str(v)))["id"] for k, v in music.items()
            if k in ("a", "b", "c")}


def user_playlists(m):
    return [("Road trip", [m["a"], m["b"], m["missing"], m["c"], Win("Björk/Homogenic/02 Jóga.wav")]),
            ("Road trip", [m["c"], m["a"]]),  # a second playlist of the same name
            ("Ünïcode ♫ & more", [m["b"]])]


def entry_ids(conn, playlist_id):
    return [r["track_id"] for r in q.playlist_entries(conn, playlist_id)]


def digest(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


class PlayerReaderContract:
    """What every player reader must do. Subclasses say how to write their format."""

    format_name = ""
    filename = ""
    built_ins: list[str] = []
    """Names of the lists the player makes itself, which the writer adds and must be skipped."""

    def write(self, path: Path, playlists) -> Path:
        raise NotImplementedError

    def source(self, tmp_path, music, playlists=None) -> Path:
        folder = tmp_path / "player"
        folder.mkdir(exist_ok=True)
        return self.write(folder / self.filename, playlists or user_playlists(music))

    def test_recognised_by_content(self, tmp_path, music):
        path = self.source(tmp_path, music)
        assert player_format_for(str(path)).name == self.format_name
        other = tmp_path / "player" / "notes.xml"
        other.write_text('<?xml version="1.0"?><notes><n>hi</n></notes>')
        assert player_format_for(str(other)) is None

    def test_user_playlists_resolved_like_m3u(self, conn, tmp_path, music, scanned):
        reports = import_playlists(conn, [str(self.source(tmp_path, music))])
        imported = [r for r in reports if not r.skipped]
        assert [r.name for r in imported] == ["Road trip", "Road trip", "Ünïcode ♫ & more"]
        assert all(r.format == self.format_name and r.error is None for r in imported)
        first, dup, uni = imported
        a, b, c = scanned["a"], scanned["b"], scanned["c"]
        assert entry_ids(conn, first.playlist_id) == [a, b, None, c, b]  # Windows URL by suffix
        assert (first.entries, first.resolved) == (5, 4)
        (missing,) = first.unresolved  # reported as M3U reports it, raw as the player wrote it
        assert (missing["position"], missing["reason"]) == (2, NOT_FOUND)
        assert missing["raw"].startswith("file://") and missing["raw"].endswith("/Gone/04%20Missing.wav")
        assert dup.playlist_id != first.playlist_id and entry_ids(conn, dup.playlist_id) == [c, a]
        assert entry_ids(conn, uni.playlist_id) == [b]
        names = {r["name"] for r in q.playlist_rows(conn)}
        assert names == {"Road trip", "Ünïcode ♫ & more"}  # nothing of the built-ins
        assert len(q.all_tracks(conn)) == 3  # never invents tracks

    def test_built_in_lists_listed_as_skipped_with_why(self, conn, tmp_path, music, scanned):
        reports = import_playlists(conn, [str(self.source(tmp_path, music))])
        skipped = {r.name: r.skipped for r in reports if r.skipped}
        assert set(skipped) == set(self.built_ins)
        assert all(len(why) > 10 for why in skipped.values())
        assert all(r.error.startswith(repr(r.name) + " skipped: ") for r in reports if r.skipped)

    def test_reimport_keeps_ids_and_drops_what_the_player_removed(self, conn, tmp_path, music,
                                                                  scanned):
        path = self.source(tmp_path, music)
        before = {r.name + str(i): r.playlist_id for i, r in enumerate(
            r for r in import_playlists(conn, [str(path)]) if not r.skipped)}
        path.unlink()
        m = music
        self.source(tmp_path, music, [("Road trip", [m["b"], m["a"]]), ("Road trip", [m["c"], m["a"]])])
        reports = import_playlists(conn, [str(path)])
        kept = [r for r in reports if not r.skipped]
        assert [r.playlist_id for r in kept] == [before["Road trip0"], before["Road trip1"]]
        assert entry_ids(conn, kept[0].playlist_id) == [scanned["b"], scanned["a"]]
        removed = [r for r in reports if r.skipped and r.skipped.startswith("removed")]
        assert [r.name for r in removed] == ["Ünïcode ♫ & more"]
        assert len(q.playlist_rows(conn)) == 2

    def test_scan_takes_it_and_a_rescan_follows_its_changes(self, ctx, conn, tmp_path, music):
        from musicsage.usecases.library import scan_library

        path = self.source(tmp_path, music)
        rep = scan_library(ctx, [str(music["root"])], [str(path)])
        assert sorted(r.name for r in rep.playlists if not r.skipped) == [
            "Road trip", "Road trip", "Ünïcode ♫ & more"]
        assert scan_library(ctx).playlists == []  # unchanged: not read again
        path.unlink()
        self.source(tmp_path, music, [("Fresh", [music["c"]])])
        rep = scan_library(ctx)
        assert [r.name for r in rep.playlists if not r.skipped] == ["Fresh"]
        assert [r["name"] for r in q.playlist_rows(conn)] == ["Fresh"]

    def test_its_folder_can_be_given_instead(self, conn, tmp_path, music, scanned):
        path = self.source(tmp_path, music)
        (path.parent / "notes.txt").write_text("not a playlist")
        reports = import_playlists(conn, [str(path.parent)])
        assert len([r for r in reports if not r.skipped]) == 3 and not any(
            r.error and not r.skipped for r in reports)

    def test_the_players_file_is_never_written(self, conn, tmp_path, music, scanned):
        path = self.source(tmp_path, music)
        before, listing = digest(path), sorted(os.listdir(path.parent))
        import_playlists(conn, [str(path)])
        import_playlists(conn, [str(path)])
        assert digest(path) == before and sorted(os.listdir(path.parent)) == listing

    def test_unreadable_file_is_one_line_and_recorded(self, conn, tmp_path, music):
        path = self.source(tmp_path, music)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3] + b"\x00garbage")
        fmt = player_format_for(str(path))
        from musicsage.library.playlists.players import import_player_library

        reports = import_player_library(conn, str(path), fmt=fmt or _format(self.format_name))
        assert len(reports) == 1 and reports[0].error and "\n" not in reports[0].error
        assert conn.execute("SELECT COUNT(*) FROM errors WHERE stage = 'playlist'").fetchone()[0] == 1


def _format(name):
    from musicsage.library.playlists import PLAYER_FORMATS

    return PLAYER_FORMATS[name]


class TestItunes(PlayerReaderContract):
    format_name, filename = "itunes", "Library.xml"
    built_ins = ["Library", "Music", "Downloaded", "Recently Added"]

    def write(self, path, playlists):
        return write_itunes(path, playlists)


class TestRhythmbox(PlayerReaderContract):
    format_name, filename = "rhythmbox", "playlists.xml"
    built_ins = ["Recently Added", "Play Queue"]

    def write(self, path, playlists):
        return write_rhythmbox(path, playlists)


class TestStrawberry(PlayerReaderContract):
    format_name, filename = "strawberry", "strawberry.db"
    built_ins = ["Dynamic random"]

    def write(self, path, playlists):
        return write_strawberry(path, playlists)


class TestClementine(PlayerReaderContract):
    format_name, filename = "clementine", "clementine.db"
    built_ins = ["Dynamic random"]

    def write(self, path, playlists):
        return write_clementine(path, playlists)


# --- Apple Music / iTunes ------------------------------------------------------------------------


def test_itunes_folders_become_name_prefixes_and_cloud_tracks_are_explained(conn, tmp_path, music,
                                                                            scanned):
    path = write_itunes(tmp_path / "Library.xml",
                        [("Summer", [music["a"]]), ("Winter", [music["b"]]), ("Loose", [music["c"]])],
                        folders={"Seasons": ["Summer", "Winter"]}, remote_in="Loose")
    reports = import_playlists(conn, [str(path)])
    names = [r.name for r in reports if not r.skipped]
    assert names == ["Seasons / Summer", "Seasons / Winter", "Loose"]
    assert "folder" in next(r.skipped for r in reports if r.name == "Seasons")
    loose = next(r for r in reports if r.name == "Loose")
    assert entry_ids(conn, loose.playlist_id) == [scanned["c"], None]
    assert "cloud" in loose.unresolved[0]["reason"]
    assert q.playlist_entries(conn, loose.playlist_id)[1]["title"] == "Cloud Artist - Streamed Song"


def test_itunes_plist_that_is_not_a_library_and_entity_bombs_are_refused(conn, tmp_path):
    import plistlib

    from musicsage.library.playlists.itunes import ITUNES

    other = tmp_path / "Info.plist"
    other.write_bytes(plistlib.dumps({"CFBundleName": "Something"}))
    assert "not an iTunes" in import_playlists(conn, [str(other)])[0].error
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa">'
                     b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><plist version="1.0"><dict>'
                     b"<key>Playlists</key><array><dict><key>Name</key><string>&b;</string>"
                     b"</dict></array></dict></plist>")
    rep = import_playlists(conn, [str(bomb)])
    assert rep[0].format == "itunes" and "entity" in rep[0].error
    assert ITUNES.detect(str(bomb), bomb.read_bytes())


# --- Rhythmbox -----------------------------------------------------------------------------------


def test_rhythmbox_refuses_entities_and_reads_names_in_elements(conn, tmp_path, music, scanned):
    bomb = tmp_path / "playlists.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    '<rhythmdb-playlists><playlist name="&x;" type="static"/></rhythmdb-playlists>')
    assert "refused" in import_playlists(conn, [str(bomb)])[0].error
    named = tmp_path / "named.xml"
    named.write_text('<?xml version="1.0"?><rhythmdb-playlists><playlist type="static">'
                     '<name xml:lang="fr">Voyage</name><name>Trip</name>'
                     f"<location>{file_url(music['a'])}</location></playlist></rhythmdb-playlists>")
    (rep,) = import_playlists(conn, [str(named)])
    assert rep.name == "Trip" and entry_ids(conn, rep.playlist_id) == [scanned["a"]]


# --- Strawberry / Clementine ---------------------------------------------------------------------


@pytest.mark.parametrize("writer", [write_strawberry, write_clementine])
def test_read_while_the_player_holds_an_exclusive_lock(conn, tmp_path, music, scanned, writer):
    path = writer(tmp_path / "player.db", user_playlists(music))
    player = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    player.execute("BEGIN EXCLUSIVE")  # the player in the middle of a save
    try:
        reports = import_playlists(conn, [str(path)])
        assert [r.resolved for r in reports if not r.skipped] == [4, 2, 1]
        player.execute("INSERT INTO playlists(name) VALUES ('written meanwhile')")
    finally:
        player.execute("COMMIT")  # we never held a lock it had to wait for
        player.close()


def test_strawberry_in_wal_mode_is_read_from_a_copy(conn, tmp_path, music, scanned):
    path = write_strawberry(tmp_path / "strawberry.db", user_playlists(music))
    player = sqlite3.connect(path, isolation_level=None)
    player.execute("PRAGMA journal_mode = WAL")
    player.execute("PRAGMA wal_autocheckpoint = 0")
    pid = player.execute("INSERT INTO playlists(name, ui_order) VALUES ('Only in the WAL', 5)").lastrowid
    player.execute("INSERT INTO playlist_items(playlist, type, url) VALUES (?, 1, ?)",
                   (pid, file_url(music["c"])))
    assert os.path.getsize(str(path) + "-wal") > 0
    try:
        before = sorted(os.listdir(tmp_path))
        reports = import_playlists(conn, [str(path)])
        wal_list = next(r for r in reports if r.name == "Only in the WAL")
        assert entry_ids(conn, wal_list.playlist_id) == [scanned["c"]]
        assert sorted(os.listdir(tmp_path)) == before
    finally:
        player.close()


def test_collection_song_gone_and_streams_are_explained(conn, tmp_path, music, scanned):
    path = write_strawberry(tmp_path / "strawberry.db", [("Mix", [music["a"], music["b"], music["c"]])])
    player = sqlite3.connect(path, isolation_level=None)
    player.execute("DELETE FROM songs WHERE url = ?", (file_url(music["b"]),))
    player.execute("INSERT INTO playlist_items(playlist, type, url, title) VALUES"
                   " (1, 5, 'http://radio.example/stream', 'Radio')")
    player.close()
    (mix,) = [r for r in import_playlists(conn, [str(path)]) if not r.skipped]
    assert entry_ids(conn, mix.playlist_id) == [scanned["a"], None, scanned["c"], None]
    reasons = [u["reason"] for u in mix.unresolved]
    assert "no longer in Strawberry's collection" in reasons[0] and "http URL" in reasons[1]


def test_cli_scan_with_player_library(data_dir, tmp_path, music, capsys):
    from musicsage.cli import main

    path = write_rhythmbox(tmp_path / "playlists.xml", user_playlists(music))
    code = main(["scan", str(music["root"]), "--playlists", str(path), "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "playlist 'Road trip' (rhythmbox): 5 entries, 4 resolved, 1 unresolved" in out
    assert "'Play Queue' skipped: the play queue" in err
