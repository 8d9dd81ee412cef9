"""Write a list of tracks as an extended M3U8 playlist a music player opens.

Format (what VLC, mpv, foobar2000, Rhythmbox, Winamp … read): UTF-8 without BOM, ``\\n`` line
ends, ``#EXTM3U`` first, then per track ``#EXTINF:<whole seconds or -1>,<artist - title>`` and
the absolute path. A file name that is not valid UTF-8 (stored escaped, see
:mod:`musicsage.library.paths`) is written as a percent-encoded ``file://`` URI of its raw
bytes, since raw bytes would make the playlist invalid UTF-8. Tracks without a file (imported
from a dataset dir) are left out: a player could do nothing with them.
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path
from typing import Iterable, Mapping

from musicsage.errors import MusicsageError


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _entry_path(stored: str) -> str | None:
    from musicsage.library.paths import is_file_path, to_fs, to_fs_bytes

    if not stored or not is_file_path(stored):
        return None
    if to_fs(stored) == stored:
        return stored
    return "file://" + urllib.parse.quote(to_fs_bytes(stored), safe="/")


def m3u_text(tracks: Iterable[Mapping], *, name: str | None = None) -> tuple[str, int]:
    """The playlist text and how many tracks it holds."""
    lines = ["#EXTM3U"]
    if name:
        lines.append(f"#PLAYLIST:{_one_line(name)}")
    count = 0
    for t in tracks:
        path = _entry_path(t.get("path") or "")
        if path is None:
            continue
        duration = t.get("duration")
        seconds = int(round(duration)) if isinstance(duration, (int, float)) and duration > 0 else -1
        title = t.get("title") or os.path.splitext(os.path.basename(path))[0]
        label = f"{t['artist']} - {title}" if t.get("artist") else title
        lines += [f"#EXTINF:{seconds},{_one_line(label)}", path]
        count += 1
    return "\n".join(lines) + "\n", count


def write_m3u(path: str | os.PathLike, tracks: Iterable[Mapping], *,
              name: str | None = None) -> int:
    """Write ``tracks`` (dicts with path, title, artist, duration) to ``path`` atomically.

    Returns the number of tracks written. An unwritable destination raises
    :class:`MusicsageError` and leaves any existing file untouched.
    """
    text, count = m3u_text(tracks, name=name)
    dest = Path(path).expanduser()
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(text.encode("utf-8", "surrogateescape"))
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise MusicsageError(f"cannot write playlist {dest}: {exc.strerror or exc}") from exc
    return count
