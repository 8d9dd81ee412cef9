"""Writing the demo's playlists as M3U8 and XSPF files, the way other players write them.

Entries are relative to the playlist's folder (``../Artist/Album/01 Title.flac``) or absolute,
and XSPF locations are URIs (percent-encoded relative references or ``file://`` URIs), so the
scan's playlist resolution is exercised on the demo as on a real library.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Entry:
    path: Path  # the track's absolute path
    title: str
    artist: str
    duration: float  # seconds


def _location(track: Path, playlist: Path, *, absolute: bool) -> str:
    """The track as the playlist refers to it (POSIX separators)."""
    if absolute:
        text = track.as_posix()
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a folder named in bytes that are not UTF-8: a URI says
            return track.as_uri()  # them (percent-encoded); UTF-8 text cannot (a crash)
        return text
    return Path(os.path.relpath(track, playlist.parent)).as_posix()


def m3u8_text(entries: list[Entry], playlist: Path, *, absolute: bool) -> str:
    lines = ["#EXTM3U"]
    for e in entries:
        lines.append(f"#EXTINF:{round(e.duration)},{e.artist} - {e.title}")
        lines.append(_location(e.path, playlist, absolute=absolute))
    return "\n".join(lines) + "\n"


def xspf_text(entries: list[Entry], playlist: Path, *, name: str, absolute: bool) -> str:
    tracks = []
    for e in entries:
        if absolute:
            uri = e.path.as_uri()
        else:
            uri = quote(_location(e.path, playlist, absolute=False), safe="/")
        tracks.append(
            "    <track>\n"
            f"      <location>{escape(uri)}</location>\n"
            f"      <title>{escape(e.title)}</title>\n"
            f"      <creator>{escape(e.artist)}</creator>\n"
            f"      <duration>{int(e.duration * 1000)}</duration>\n"
            "    </track>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<playlist version="1" xmlns="http://xspf.org/ns/0/">\n'
            f"  <title>{escape(name)}</title>\n"
            "  <trackList>\n" + "\n".join(tracks) + "\n  </trackList>\n</playlist>\n")


def write_playlist(path: Path, entries: list[Entry], *, name: str, fmt: str, absolute: bool) -> None:
    """Write one playlist atomically (a reader never sees half a file); a write that fails (a
    full disk) takes its ``.part`` away with it: it stayed, half written."""
    text = (m3u8_text(entries, path, absolute=absolute) if fmt == "m3u8"
            else xspf_text(entries, path, name=name, absolute=absolute))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
