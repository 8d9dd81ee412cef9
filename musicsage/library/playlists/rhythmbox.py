"""Rhythmbox ``playlists.xml`` (``~/.local/share/rhythmbox/playlists.xml``), parsed with defusedxml.

Rhythmbox writes (``shell/rb-playlist-manager.c``, ``sources/rb-playlist-source.c``,
``sources/rb-static-playlist-source.c``): a ``<rhythmdb-playlists>`` root holding one
``<playlist>`` per playlist, with ``type`` one of

- ``static``: the user's own list; its ``<location>`` children are the tracks in order, each a
  URI (``file:///home/me/Music/A%20B.flac``) — imported;
- ``automatic``: filled from a saved query (``<conjunction>…``; the defaults "Recently Added",
  "Recently Played", "My Top Rated" are of this kind) — skipped: it holds no choice of tracks;
- ``queue``: the play queue — skipped.

The name is the ``name`` attribute, or (for the default lists) a ``<name>`` child, possibly one
per language (``xml:lang``); the untranslated one is used. Rhythmbox keeps no playlist id, so a
playlist is known by its name (a second one of the same name by its name and rank).
"""

from __future__ import annotations

from musicsage.library.playlists.base import PlaylistError, RawEntry
from musicsage.library.playlists.players import (PlayerFormat, PlayerLibrary, PlayerPlaylist,
                                                  SkippedList, register_player)

ROOT = "rhythmdb-playlists"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def detect(fs_path: str, head: bytes) -> bool:
    return b"<" + ROOT.encode() in head


def _parse(data: bytes):
    import xml.etree.ElementTree as ET

    from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise PlaylistError("refused: the file declares XML entities or external references "
                            "(a known denial-of-service and file-disclosure attack)") from exc
    except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: unknown encoding=
        raise PlaylistError(f"not a valid Rhythmbox playlists file ({exc})") from exc


def _name(node) -> str:
    name = node.get("name")
    if name:
        return name
    names = [c for c in node if c.tag == "name" and (c.text or "").strip()]
    plain = [c for c in names if c.get(XML_LANG) is None]
    return ((plain or names)[0].text or "").strip() if names else "(unnamed)"


def read_rhythmbox(fs_path: str) -> PlayerLibrary:
    with open(fs_path, "rb") as fh:
        root = _parse(fh.read())
    if root.tag != ROOT:
        raise PlaylistError(f"not a Rhythmbox playlists file (root element <{root.tag}>)")
    out = PlayerLibrary()
    for node in (c for c in root if c.tag == "playlist"):
        name, kind = _name(node), node.get("type", "")
        if kind == "static":
            entries = [RawEntry((c.text or "").strip()) for c in node if c.tag == "location"]
            out.playlists.append(PlayerPlaylist(name, name, entries))
        elif kind == "automatic":
            out.skipped.append(SkippedList(name, "automatic playlist: Rhythmbox fills it from a "
                                                 "query, it holds no choice of tracks"))
        elif kind == "queue":
            out.skipped.append(SkippedList(name or "Play Queue", "the play queue, not a playlist"))
        else:
            out.skipped.append(SkippedList(name, f"unknown playlist type {kind!r}"))
    return out


RHYTHMBOX = register_player(PlayerFormat("rhythmbox", "Rhythmbox playlists (playlists.xml)",
                                         detect, read_rhythmbox, ("playlists.xml",)))
