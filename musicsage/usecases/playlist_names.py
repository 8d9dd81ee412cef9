"""File names for the playlists the window saves: the name its save dialog offers, made of a
title (a track's, a playlist's, the queue's), and the name a user typed there, as written.

The saver writes M3U8 text (:mod:`musicsage.search.m3u`) whatever the name; a name the
library does not read as a playlist gets ``.m3u8``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from musicsage.search.m3u import PLAYLIST_SUFFIXES
from musicsage.text import one_line

MAX_NAME_BYTES = 200
"""The most UTF-8 bytes of a name offered, its extension included: most file systems allow
255, and a long title ("Symphony No. 9 …, Op. 125 'Choral' - IV. Presto …") failed the save
with "File name too long"."""
SUFFIX = ".m3u8"
_SLASHES = str.maketrans({"/": "-", "\\": "-"})
_LEADING_DOTS_AND_SPACES = re.compile(r"^[.\s]+")
_TRAILING_DOTS_AND_SPACES = re.compile(r"[.\s]+$")


def playlist_file_name(title: str) -> str:
    """``title`` as the name of one file: '/' and '\\' become '-' ("Similar to AC/DC …" was a
    path into a folder "AC" that does not exist), it is on one line (:func:`one_line`: a tab
    in a tag, U+2028 a space), leading dots go (a queue named after ".NET Jams" was saved as
    a hidden file, which file managers do not show; a space of any kind among them too:
    ". \u3000x" offered "\u3000x.m3u8", :func:`_unhidden`), and a name too long is cut,
    with "…", between two characters."""
    name = _unhidden(one_line(title).translate(_SLASHES)) or "Playlist"
    room = MAX_NAME_BYTES - len(SUFFIX.encode())
    encoded = name.encode("utf-8", "replace")
    if len(encoded) > room:
        cut = encoded[:room - len("…".encode())].decode("utf-8", "ignore")
        name = cut.rstrip() + "…"
    return name + SUFFIX


def _unhidden(name: str) -> str:
    """``name`` without its leading dots and the spaces of any kind among them (". \u3000.x"
    is hidden as ".x" is), and without spaces at its end."""
    return _LEADING_DOTS_AND_SPACES.sub("", name).rstrip()


def default_playlist_path(title: str) -> Path:
    """Where the save dialog starts: the home folder, and :func:`playlist_file_name`."""
    return Path.home() / playlist_file_name(title)


def with_playlist_suffix(path: str) -> str:
    """The file a name typed in the save dialog is written to: ``mix`` as ``mix.m3u8`` — saved
    as typed, it was not a playlist to the library (a drop or a scan left it out). ``.m3u``
    and ``.m3u8`` are kept (what the saver writes, both read back); any other extension
    (``.pls``, ``Mr. Brightside``) is part of the name. "" (the dialog cancelled) stays "".
    Dots and spaces at the end go (``mix.`` was written as ``mix..m3u8``, ``mix.m3u8 `` as
    ``mix.m3u8 .m3u8``); a name of only those, or only an extension (``.m3u``: a hidden file
    named ``.m3u.m3u8``), is ``Playlist``, as a title that leaves no name is."""
    if not path:
        return path
    folder, name = os.path.split(path)
    name = _TRAILING_DOTS_AND_SPACES.sub("", name)
    if not name or name.lower() in PLAYLIST_SUFFIXES:  # it was only dots, or an extension
        name = "Playlist" + name
    if Path(name).suffix.lower() not in PLAYLIST_SUFFIXES:
        name += SUFFIX
    return os.path.join(folder, name)
