"""Named audio files read once per command: :class:`ProbedFiles`.

``musicsage scan a.flac b.mp3`` reads each audio file it names (:func:`~.tags.probe`: the tags,
and a little audio decoded) before anything is opened or made, so that one that cannot be read
is refused in one line (:func:`musicsage.usecases.library.checked_scan_paths`); the scan then
read each again to store it. A part of its own because it stands between those two, which know
nothing of each other: the check keeps here what it read, and the scan, given
:meth:`ProbedFiles.probe` as its prober, takes that instead of decoding the file again — as long
as the file has the size and mtime it had when read, the scan's own sign of an unchanged file
(:mod:`musicsage.library.scan`). A file changed meanwhile is read again.
"""

from __future__ import annotations

import os

from musicsage.library import tags
from musicsage.library.tags import AudioInfo
from musicsage.library.walk import stored_ns


class ProbedFiles:
    """What :func:`~.tags.probe` said of some files (OS paths), each with the size and mtime its
    file had just before. Unreadable files are not kept: the check refuses them."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str | None], tuple[tuple[int, int], AudioInfo]] = {}

    def read(self, fs_path: str) -> AudioInfo:
        """Probe ``fs_path`` (raising :class:`~.tags.UnreadableAudio` as the probe does) and keep
        what it says."""
        stamp = stored_stamp(fs_path)  # taken first: a change while it is read shows later
        fmt = tags.audio_format(fs_path)
        info = tags.probe(fs_path, fmt)
        if stamp is not None:
            self._kept[(fs_path, fmt)] = (stamp, info)
        return info

    def probe(self, fs_path: str, fmt: str | None = None) -> AudioInfo:
        """A scan's prober: what :meth:`read` kept of ``fs_path``, if its file has not changed
        since (given once: a scan reads a file once); else :func:`~.tags.probe`."""
        kept = self._kept.pop((fs_path, fmt or tags.audio_format(fs_path)), None)
        if kept is not None and kept[0] == stored_stamp(fs_path):
            return kept[1]
        return tags.probe(fs_path, fmt)


def stored_stamp(fs_path: str) -> tuple[int, int] | None:
    """(size, mtime_ns) of a file as the library stores them (the mtime through
    :func:`~musicsage.library.walk.stored_ns`), so that it compares with a stored stamp and
    fits SQLite: the raw mtime of a file dated past 2262 never equalled the stored one and
    overflowed an INTEGER column. None when the file cannot be read (or the path is not one
    the system takes)."""
    try:
        st = os.stat(fs_path)
    except (OSError, ValueError):
        return None
    return st.st_size, stored_ns(st.st_mtime_ns)
