"""Writers of music players' library files, in the formats the players themselves write.

Each writer takes playlists as ``(name, [entry, …])`` where an entry is a ``Path`` (a file on
this machine, which may be missing) or a :class:`Win` (a file of the same library as the player
saw it on Windows, ``C:\\Users\\me\\Music\\…``), and encodes locations the way that player does.
The structures follow the players' own sources and documented exports (cited per writer), not a
guess; only columns/keys that matter for reading playlists are filled, with the real names.

A plain module (not a conftest) with a name unique across tests/.
"""

from __future__ import annotations

import plistlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class Win:
    """A library file as a Windows player stored it: ``C:\\Users\\me\\Music\\<rel>``."""

    rel: str


def file_url(path: Path | Win, *, host: str = "") -> str:
    """``file://`` URL, percent-encoded UTF-8 as Qt (QUrl::FullyEncoded), GLib and Apple write it."""
    if isinstance(path, Win):
        return f"file://{host}/C:/Users/me/Music/" + quote(path.rel)
    return f"file://{host}" + quote(str(path))


# --- Apple Music / iTunes Library.xml -----------------------------------------------------------


def write_itunes(target: Path, playlists, *, folders: dict[str, list[str]] | None = None,
                 remote_in: str | None = None) -> Path:
    """An iTunes "Library.xml" (File > Library > Export Library), written with plistlib as the
    XML property list Apple writes: top-level keys Major/Minor Version, Application Version,
    Date, Features, Show Content Ratings, Music Folder, Library Persistent ID, Tracks (a dict
    keyed by the track id as a string: Track ID, Name, Artist, Kind, Size, Persistent ID, Track
    Type File|Remote, Location ``file://localhost/…``) and Playlists (Master "Library",
    Distinguished Kind built-ins, smart lists with Smart Info/Smart Criteria data, folders with
    Folder true and children pointing at them with Parent Persistent ID, user lists with
    Playlist Items ``[{"Track ID": n}]``). Key names as read by e.g. pothiers/imeta/tryit.py and
    kanataxa/andante's sample export.

    ``folders``: folder name -> names of playlists in it. ``remote_in``: a playlist that also
    gets an Apple Music (Track Type Remote, no Location) track.
    """
    tracks: dict[str, dict] = {}
    ids: dict[str, int] = {}

    def track_id(entry) -> int:
        url = file_url(entry, host="localhost")
        if url not in ids:
            n = ids[url] = 1000 + 2 * len(ids)
            name = (entry.rel if isinstance(entry, Win) else entry.name).rsplit("/", 1)[-1]
            tracks[str(n)] = {"Track ID": n, "Name": name.rsplit(".", 1)[0], "Artist": "Artist",
                              "Kind": "MPEG audio file", "Size": 4_000_000, "Total Time": 200_000,
                              "Persistent ID": f"{n:016X}", "Track Type": "File", "Location": url}
        return ids[url]

    def pl(name: str, pid: str, items: list[int], **extra) -> dict:
        d = {"Name": name, "Description": "", "Playlist ID": 5000 + len(lists),
             "Playlist Persistent ID": pid, "All Items": True}
        d.update(extra)
        if items:
            d["Playlist Items"] = [{"Track ID": i} for i in items]
        return d

    lists: list[dict] = []
    user = [(name, [track_id(e) for e in entries]) for name, entries in playlists]
    if remote_in is not None:
        tracks["1"] = {"Track ID": 1, "Name": "Streamed Song", "Artist": "Cloud Artist",
                       "Persistent ID": "00000000000000C1", "Track Type": "Remote",
                       "Apple Music": True}
        user = [(n, items + [1] if n == remote_in else items) for n, items in user]
    everything = [int(k) for k in tracks]
    lists.append(pl("Library", "A000000000000001", everything, Master=True, Visible=False))
    lists.append(pl("Music", "A000000000000002", everything, **{"Distinguished Kind": 4, "Music": True}))
    lists.append(pl("Downloaded", "A000000000000003", everything[:1], **{"Distinguished Kind": 65}))
    lists.append(pl("Recently Added", "A000000000000004", everything,
                    **{"Smart Info": b"\x01\x01\x00\x03", "Smart Criteria": b"SLst\x00\x01"}))
    parent_of: dict[str, str] = {}
    for i, folder in enumerate(folders or {}):
        fid = f"F{i:015X}"
        lists.append(pl(folder, fid, [], Folder=True))
        parent_of.update({child: fid for child in folders[folder]})
    for i, (name, items) in enumerate(user):
        extra = {"Parent Persistent ID": parent_of[name]} if name in parent_of else {}
        lists.append(pl(name, f"B{i:015X}", items, **extra))
    doc = {"Major Version": 1, "Minor Version": 1, "Application Version": "12.13.2.3",
           "Date": datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc).replace(tzinfo=None),
           "Features": 5, "Show Content Ratings": True,
           "Music Folder": "file://localhost/C:/Users/me/Music/iTunes/iTunes%20Media/",
           "Library Persistent ID": "6B6A2D4B9C042AA1", "Tracks": tracks, "Playlists": lists}
    target.write_bytes(plistlib.dumps(doc, fmt=plistlib.FMT_XML, sort_keys=False))
    return target


# --- Rhythmbox playlists.xml --------------------------------------------------------------------


def write_rhythmbox(target: Path, playlists) -> Path:
    """Rhythmbox's ``playlists.xml`` as ``rb_playlist_manager_save_playlists`` writes it
    (GNOME/rhythmbox shell/rb-playlist-manager.c, sources/rb-playlist-source.c,
    rb-static-playlist-source.c, data/playlists.xml.in): root ``<rhythmdb-playlists>``, each
    playlist with name/show-browser/browser-position/search-type/type attributes; static ones
    list ``<location>`` URIs; the default automatic lists carry ``<name>`` children and a query;
    the play queue comes last with type="queue"."""
    parts = ['<?xml version="1.0"?>', "<rhythmdb-playlists>",
             '  <playlist type="automatic" limit-count="0" limit-size="0" limit-time="0" '
             'sort-key="FirstSeen" sort-direction="1">', "    <name>Recently Added</name>",
             '    <name xml:lang="de">Kürzlich hinzugefügt</name>',
             '    <conjunction><equals prop="type">song</equals><subquery><conjunction>'
             '<current-time-within prop="first-seen">604800</current-time-within>'
             "</conjunction></subquery></conjunction>", "  </playlist>"]
    for name, entries in playlists:
        parts.append(f'  <playlist name={quoteattr(name)} show-browser="false" '
                     'browser-position="180" search-type="search-match" type="static">')
        parts += [f"    <location>{escape(file_url(e))}</location>" for e in entries]
        parts.append("  </playlist>")
    parts += ['  <playlist name="Play Queue" show-browser="false" browser-position="180" '
              'search-type="search-match" type="queue"/>', "</rhythmdb-playlists>", ""]
    target.write_text("\n".join(parts), encoding="utf-8")
    return target


# --- Strawberry and Clementine SQLite databases -------------------------------------------------

STRAWBERRY_DDL = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (20);
CREATE TABLE songs (
  title TEXT, album TEXT, artist TEXT, albumartist TEXT, track INTEGER NOT NULL DEFAULT -1,
  disc INTEGER NOT NULL DEFAULT -1, year INTEGER NOT NULL DEFAULT -1, genre TEXT,
  beginning INTEGER NOT NULL DEFAULT 0, length INTEGER NOT NULL DEFAULT 0,
  source INTEGER NOT NULL DEFAULT 0, directory_id INTEGER NOT NULL DEFAULT -1,
  url TEXT NOT NULL, filetype INTEGER NOT NULL DEFAULT 0, filesize INTEGER NOT NULL DEFAULT -1,
  mtime INTEGER NOT NULL DEFAULT -1, ctime INTEGER NOT NULL DEFAULT -1,
  unavailable INTEGER DEFAULT 0);
CREATE TABLE playlists (
  name TEXT NOT NULL, last_played INTEGER NOT NULL DEFAULT -1,
  ui_order INTEGER NOT NULL DEFAULT 0, special_type TEXT, ui_path TEXT,
  is_favorite INTEGER NOT NULL DEFAULT 0, dynamic_playlist_type INTEGER,
  dynamic_playlist_backend TEXT, dynamic_playlist_data BLOB);
CREATE TABLE playlist_items (
  playlist INTEGER NOT NULL, type INTEGER NOT NULL DEFAULT 0, collection_id INTEGER,
  playlist_url TEXT, title TEXT, album TEXT, artist TEXT, albumartist TEXT,
  beginning INTEGER, length INTEGER, source INTEGER, directory_id INTEGER, url TEXT NOT NULL,
  filetype INTEGER, filesize INTEGER, mtime INTEGER, ctime INTEGER, unavailable INTEGER DEFAULT 0);
CREATE INDEX idx_url ON songs (url);
"""
"""strawberrymusicplayer/strawberry data/schema/schema.sql (schema 20), the columns that
matter here with their real names and types (songs has ~70 columns, most omitted)."""

CLEMENTINE_DDL = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (51);
CREATE TABLE songs (
  title TEXT, album TEXT, artist TEXT, albumartist TEXT, composer TEXT, track INTEGER,
  disc INTEGER, bpm REAL, year INTEGER, genre TEXT, comment TEXT, compilation INTEGER,
  length INTEGER, bitrate INTEGER, samplerate INTEGER, directory INTEGER NOT NULL,
  filename TEXT NOT NULL, mtime INTEGER NOT NULL, ctime INTEGER NOT NULL,
  filesize INTEGER NOT NULL, unavailable INTEGER DEFAULT 0);
CREATE TABLE playlists (
  name TEXT NOT NULL, last_played INTEGER NOT NULL DEFAULT -1,
  ui_order INTEGER NOT NULL DEFAULT 0, dynamic_playlist_type TEXT,
  dynamic_playlist_data BLOB, dynamic_playlist_backend TEXT DEFAULT "songs",
  special_type TEXT, ui_path TEXT, is_favorite INTEGER NOT NULL DEFAULT 0);
CREATE TABLE playlist_items (
  playlist INTEGER NOT NULL, type TEXT NOT NULL, library_id INTEGER, url TEXT, title TEXT,
  artist TEXT, album TEXT, length INTEGER, radio_service TEXT, albumartist TEXT,
  composer TEXT, track INTEGER, disc INTEGER, year INTEGER, genre TEXT, filename TEXT,
  mtime INTEGER, ctime INTEGER, filesize INTEGER, beginning INTEGER, cue_path TEXT);
CREATE INDEX idx_filename ON songs (filename);
"""
"""clementine-player/Clementine data/schema/schema-7.sql (playlists, playlist_items: type TEXT
'Library'|'File'|'Stream'|'Radio', library_id, url) with the later ALTERs: schema-10/11/20/23/
33/39/46 (playlists columns), schema-26/29 (playlist_items song columns, ``filename``)."""


def _write_player_db(target: Path, ddl: str, playlists, sql: dict[str, str]) -> Path:
    """Fill a Strawberry/Clementine-shaped database: one song row per distinct file, items from
    the collection except each playlist's last entry (a plain file item), then one dynamic
    playlist. ``sql`` holds the player's statements (its column names and type values)."""
    conn = sqlite3.connect(target, isolation_level=None)
    conn.executescript(ddl)
    rowid: dict[str, int] = {}
    for url in dict.fromkeys(file_url(e) for _, es in playlists for e in es):
        rowid[url] = conn.execute(sql["song"], (url.rsplit("/", 1)[-1], url)).lastrowid
    for order, (name, entries) in enumerate(playlists):
        pid = conn.execute("INSERT INTO playlists(name, ui_order) VALUES (?, ?)",
                           (name, order)).lastrowid
        for i, url in enumerate(file_url(e) for e in entries):
            if i == len(entries) - 1:
                conn.execute(sql["file_item"], (pid, url.rsplit("/", 1)[-1], url))
            else:
                conn.execute(sql["collection_item"], (pid, rowid[url]))
    dyn = conn.execute(sql["dynamic"]).lastrowid
    conn.execute(sql["collection_item"], (dyn, 1))
    conn.close()
    return target


def write_strawberry(target: Path, playlists) -> Path:
    """A ``strawberry.db`` as Strawberry leaves it. Songs of the collection are ``songs`` rows
    (``url`` = QUrl FullyEncoded, ``source`` 2); a playlist item from the collection is
    ``type`` 2 with ``collection_id`` = songs.ROWID and an empty song's columns (``url`` '',
    CollectionPlaylistItem::DatabaseSongMetadata is ``Song(Source::Collection)``); a file
    dropped in from a file manager is ``type`` 1 (LocalFile) with its own ``url``. Also a
    dynamic playlist (dynamic_playlist_type 1 = PlaylistGenerator::Type::Query). See
    src/playlist/playlistbackend.cpp (SavePlaylist, GetPlaylistItems), src/core/song.h
    (Source), src/core/sqlquery.cpp (BindUrlValue)."""
    return _write_player_db(target, STRAWBERRY_DDL, playlists, {
        "song": "INSERT INTO songs(title, artist, url, source) VALUES (?, 'Artist', ?, 2)",
        "file_item": "INSERT INTO playlist_items(playlist, type, title, artist, url)"
                     " VALUES (?, 1, ?, 'Artist', ?)",
        "collection_item": "INSERT INTO playlist_items(playlist, type, collection_id, title, url)"
                           " VALUES (?, 2, ?, '', '')",
        "dynamic": "INSERT INTO playlists(name, ui_order, dynamic_playlist_type,"
                   " dynamic_playlist_backend) VALUES ('Dynamic random', 99, 1, 'songs')"})


def write_clementine(target: Path, playlists) -> Path:
    """A ``clementine.db`` as Clementine leaves it: library songs in ``songs`` (``filename`` =
    QUrl::toEncoded, src/core/song.cpp BindToQuery); a library item is ``type`` 'Library' with
    ``library_id`` = songs.ROWID and empty song columns (LibraryPlaylistItem); a dropped file
    is a 'File' item with its own ``filename``. Also a dynamic ('Query') playlist. See
    src/playlist/playlistbackend.cpp (GetPlaylistRows, SavePlaylist) and
    src/playlist/playlistitem.cpp (NewFromType)."""
    return _write_player_db(target, CLEMENTINE_DDL, playlists, {
        "song": "INSERT INTO songs(title, artist, directory, filename, mtime, ctime, filesize)"
                " VALUES (?, 'Artist', 1, ?, 0, 0, 1000)",
        "file_item": "INSERT INTO playlist_items(playlist, type, title, artist, filename)"
                     " VALUES (?, 'File', ?, 'Artist', ?)",
        "collection_item": "INSERT INTO playlist_items(playlist, type, library_id, filename)"
                           " VALUES (?, 'Library', ?, '')",
        "dynamic": "INSERT INTO playlists(name, ui_order, dynamic_playlist_type)"
                   " VALUES ('Dynamic random', 99, 'Query')"})
