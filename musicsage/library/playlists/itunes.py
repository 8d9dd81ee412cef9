"""Apple Music / iTunes ``Library.xml`` (File > Library > Export Library…, or the XML file iTunes
shares with other applications): an XML property list, read with :mod:`plistlib`.

Its shape: a top-level dict with ``Tracks`` (a dict from track id, as a string, to a dict with
``Track ID``, ``Name``, ``Artist``, ``Location`` — a ``file://`` URL, percent-encoded, e.g.
``file://localhost/C:/Users/me/Music/iTunes/iTunes%20Media/…`` on Windows or
``file:///Users/me/Music/…`` on a Mac — and ``Track Type`` ``File``, ``URL`` or ``Remote``) and
``Playlists`` (a list of dicts with ``Name``, ``Playlist ID``, ``Playlist Persistent ID`` and
``Playlist Items``: a list of ``{"Track ID": n}``).

Lists the app makes itself are skipped, each reported with why, by their real markers:

- ``Master``: the whole library ("Library");
- ``Distinguished Kind``: built-in lists (Music, Movies, TV Shows, Podcasts, Audiobooks,
  Purchased, Downloaded, Genius …); older iTunes marked some of them with a true ``Music``,
  ``Movies``, ``TV Shows``, ``Podcasts``, ``Audiobooks``, ``iTunesU`` or ``Purchased Music`` key;
- ``Smart Info`` / ``Smart Criteria``: smart playlists ("Recently Added", "Top 25 Most Played",
  and the user's own rules) — filled from rules, so they carry no choice of tracks;
- ``Visible`` false: hidden internal lists;
- ``Folder`` true: a folder. Its ``Playlist Items`` repeat its children's tracks, so it is not
  imported itself; the playlists inside it (``Parent Persistent ID``) are, named
  ``Folder / Sub-folder / Playlist``.

plistlib refuses XML entity declarations, so entity-expansion files fail as unreadable.
"""

from __future__ import annotations

import plistlib
from xml.parsers.expat import ExpatError

from musicsage.library.playlists.base import PlaylistError
from musicsage.library.playlists.players import (PlayerEntry, PlayerFormat, PlayerLibrary,
                                                  PlayerPlaylist, SkippedList, register_player)

BUILT_IN_FLAGS = ("Music", "Movies", "TV Shows", "Podcasts", "Audiobooks", "iTunesU",
                  "Purchased Music")
FOLDER_SEPARATOR = " / "


def detect(fs_path: str, head: bytes) -> bool:
    return b"<plist" in head and b"<dict>" in head


def _skip_reason(pl: dict) -> str | None:
    if pl.get("Master"):
        return "the whole library (Master), not a playlist"
    if "Distinguished Kind" in pl:
        return f"built-in list (Distinguished Kind {pl['Distinguished Kind']})"
    if any(pl.get(flag) is True for flag in BUILT_IN_FLAGS):
        return "built-in list"
    if "Smart Info" in pl or "Smart Criteria" in pl:
        return "smart playlist: filled from rules, not a choice of tracks"
    if pl.get("Folder"):
        return "folder: its playlists are imported with its name as a prefix"
    if pl.get("Visible") is False:
        return "hidden list"
    return None


def _persistent_id(pl: dict, key: str) -> str | None:
    """``pl[key]`` (``Playlist Persistent ID``, ``Parent Persistent ID``) as text when it is
    the hex string iTunes writes (or a number), else None: a damaged file's ``<array>`` or
    ``<dict>`` there cannot key a lookup, and stopped the whole scan ("unhashable type")."""
    value = pl.get(key)
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        return None
    return str(value)


def _full_name(pl: dict, by_id: dict[str, dict]) -> str:
    """``Folder / Sub-folder / Name`` following ``Parent Persistent ID`` (cycle-safe)."""
    parts = [str(pl.get("Name") or "(unnamed)")]
    seen = {_persistent_id(pl, "Playlist Persistent ID")}
    parent = by_id.get(_persistent_id(pl, "Parent Persistent ID") or "")
    while parent is not None and _persistent_id(parent, "Playlist Persistent ID") not in seen:
        seen.add(_persistent_id(parent, "Playlist Persistent ID"))
        parts.append(str(parent.get("Name") or "(unnamed)"))
        parent = by_id.get(_persistent_id(parent, "Parent Persistent ID") or "")
    return FOLDER_SEPARATOR.join(reversed(parts))


def _entry(track_id, tracks: dict) -> PlayerEntry:
    track = tracks.get(str(track_id))
    if not isinstance(track, dict):
        return PlayerEntry(f"Track ID {track_id}", None,
                           no_file=f"track {track_id} is not in the library's track list")
    name, artist = track.get("Name"), track.get("Artist")
    title = f"{artist} - {name}" if artist and name else (name or artist)
    location = track.get("Location")
    if isinstance(location, str) and location.strip():
        return PlayerEntry(location.strip(), title)
    kind = track.get("Track Type") or "unknown"
    return PlayerEntry(f"Track ID {track_id}", title,
                       no_file=f"no local file (track type {kind}: a cloud or store track)")


def read_itunes(fs_path: str) -> PlayerLibrary:
    try:
        with open(fs_path, "rb") as fh:
            data = plistlib.load(fh, fmt=plistlib.FMT_XML)
    except (plistlib.InvalidFileException, ExpatError, ValueError, TypeError,
            LookupError) as exc:  # LookupError: an unknown encoding= in its XML declaration
        raise PlaylistError(f"not a readable iTunes/Music library ({exc})") from exc
    except AttributeError as exc:  # plistlib's own failure, seen on a <date> it cannot parse
        raise PlaylistError("not a readable iTunes/Music library (a value it could not read, "
                            "such as a <date> that is not a date)") from exc
    if not isinstance(data, dict) or not isinstance(data.get("Playlists"), list):
        raise PlaylistError("a property list, but not an iTunes/Music library (no Playlists)")
    tracks = data.get("Tracks") if isinstance(data.get("Tracks"), dict) else {}
    lists = [pl for pl in data["Playlists"] if isinstance(pl, dict)]
    by_id = {pid: pl for pl in lists if (pid := _persistent_id(pl, "Playlist Persistent ID"))}
    out = PlayerLibrary()
    for pl in lists:
        name = _full_name(pl, by_id)
        reason = _skip_reason(pl)
        if reason is not None:
            out.skipped.append(SkippedList(name, reason))
            continue
        items = pl.get("Playlist Items") if isinstance(pl.get("Playlist Items"), list) else []
        entries = [_entry(item.get("Track ID"), tracks) for item in items if isinstance(item, dict)]
        key = _persistent_id(pl, "Playlist Persistent ID") or f"id-{pl.get('Playlist ID')}"
        out.playlists.append(PlayerPlaylist(key, name, entries))
    return out


ITUNES = register_player(PlayerFormat(
    "itunes", "Apple Music / iTunes library (Library.xml)", detect, read_itunes,
    ("Library.xml", "iTunes Library.xml", "iTunes Music Library.xml")))
