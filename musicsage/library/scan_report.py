"""What a scan did, as its front ends tell it: :class:`ScanReport`.

A part of its own, apart from :mod:`musicsage.library.scan` (what found files mean for the
library): the report is plain data that the command line (its lines and ``--json``), the
window's summaries and the folder watch (which merges the reports of its batches) read
without any of the scanning machinery, and the scan module keeps to the rules of a scan.
:mod:`musicsage.library.scan` still exports it, where its callers import it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import os

from musicsage.library import paths as P
from musicsage.text import counted

EXAMPLES = 20
"""How many tracks a report names per kind of change (it counts them all)."""

PLAYLIST_EXAMPLES = 5
"""How many playlist files not imported ``scan --json`` names (it counts them all)."""

NOTES_LISTED = 20
"""Notes of one kind a command lists one a line; more are one line (:func:`summed_up_notes`)."""

RECOUNTED_START = "its length counted from its frames is "
"""How the note on a track whose length was counted again from its frames begins (an MP3
:mod:`.mp3_recount` counted, a touched MP3 or raw AAC file: as :mod:`.scan_write` words it)."""

TAGS_REREAD_START = "tags read again (an older version misread them): "
"""How the note on a track whose tags :mod:`.tag_reread` read again begins."""

_SUMMED_UP = (
    (RECOUNTED_START, "MP3 track", "{tracks} ({names} …) had a length counted from their"
     " frames other than the one stored: their vectors (if any) were dropped, and `musicsage"
     " embed` analyses them again"),
    (TAGS_REREAD_START, "track", "{tracks} ({names} …) had tags an older version misread: read"
     " again and stored as they read now, their vectors kept"),
)
"""The notes an upgrade writes of every track it changed: (how they begin, noun, one line)."""


def summed_up_notes(notes: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], str]:
    """``notes`` to print one a line, and one line for each kind of note an upgrade of an older
    library writes (MP3 lengths counted again, tags read again) when there are more than
    :data:`NOTES_LISTED` of it ("" when none is summed up): a library's 5,000 of them are one
    line, as in the window's summary, not 5,000 that hide every other note."""
    lines = []
    for start, noun, what in _SUMMED_UP:
        paths = [path for path, note in notes if note.startswith(start)]
        if len(paths) > NOTES_LISTED:
            notes = [(path, note) for path, note in notes if not note.startswith(start)]
            names = ", ".join(os.path.basename(path) for path in paths[:3])
            lines.append(what.format(tracks=counted(len(paths), _noun(noun, paths)),
                                     names=names))
    return notes, "; ".join(lines)


def _noun(noun: str, paths: list[str]) -> str:
    """``noun`` ("MP3 track") less its format where not every one of ``paths`` is of it: raw
    AAC tracks are counted again too, and 22 ``.aac`` files were "22 MP3 tracks"."""
    kind, _, plain = noun.rpartition(" ")
    suffix = f".{kind.lower()}"
    return noun if not kind or all(p.lower().endswith(suffix) for p in paths) else plain


def listed_errors(errors: list[tuple[str, str]], roots: list[str]
                  ) -> tuple[list[tuple[str, str]], int]:
    """The ``errors`` a scan's text lists one a line, and how many more it sums up in one
    line: every music folder's own (one that could not be listed, which the scan's line
    names too), then the files' first :data:`NOTES_LISTED`, as :func:`summed_up_notes` has
    the notes. A folder of 20,000 empty files printed 20,000 lines, among which the one
    other error was lost; the library keeps every error all the same."""
    folders = set(roots)
    own = [(path, why) for path, why in errors if str(path) in folders]
    files = [(path, why) for path, why in errors if str(path) not in folders]
    return own + files[:NOTES_LISTED], max(0, len(files) - NOTES_LISTED)


class ShownPath(str):
    """A file's path as a person reads it (:func:`~musicsage.library.paths.display`) that
    keeps the file's :func:`~musicsage.library.paths.file_uri` as ``uri``. A str, because
    every reader of a report's ``errors`` and ``notes`` (the command line, the window's
    summaries, the folder watch's filters) takes the path as the text it shows; ``--json``
    adds the URI, which names a file that is not UTF-8 exactly where the text shows U+FFFD."""

    uri: str | None

    def __new__(cls, shown: str, uri: str | None = None) -> "ShownPath":
        self = super().__new__(cls, shown)
        self.uri = uri
        return self

    def __getnewargs__(self) -> tuple[str, str | None]:  # copied and pickled with its URI
        return str(self), self.uri

    @classmethod
    def of(cls, db_path: str) -> "ShownPath":
        """The path of ``db_path`` (stored form) as shown, with its URI."""
        return cls(P.display(db_path), P.file_uri(db_path))


@dataclass
class ScanReport:
    """What a scan did. ``errors`` are (path, reason) pairs for display, each path a
    :class:`ShownPath` (its ``uri`` for ``--json``), as are ``notes``'."""

    roots: list[str] = field(default_factory=list)
    files: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reappeared: int = 0
    moved: int = 0
    missing: int = 0
    tags_read_again: int = 0
    """Unchanged tracks whose tags an older version misread, read again and stored as they
    read now (:mod:`~musicsage.library.tag_reread`; once), each with a note: counted
    unchanged too, their vectors kept."""
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(path, note) for files stored as tracks that the user should know about: audio under
    another format's extension (a FLAC named ``.mp3``), read by its content."""
    skipped_formats: dict[str, int] = field(default_factory=dict)
    """Audio files of a format that cannot be read here, by extension (``{".ape": 2}``;
    :func:`~musicsage.library.walk.unsupported_extension`): said in one line, not per file.
    They were skipped without a word, and a folder of WMA rips scanned as "no music files"."""
    playlists: list = field(default_factory=list)
    """:class:`musicsage.library.playlists.PlaylistReport` per imported playlist."""
    seconds: float = 0.0
    examples: dict[str, list[str]] = field(default_factory=dict)
    """The first few tracks (display paths, at most ``EXAMPLES`` each) per change: ``added``,
    ``changed``, ``moved``, ``back``, ``missing`` — so that a summary can name them."""
    example_uris: dict[str, list[str | None]] = field(default_factory=dict)
    """The same tracks, in the same order, as :func:`~musicsage.library.paths.file_uri` has
    them: what names a file whose name is not UTF-8 again (its example shows U+FFFD)."""
    playlist_files: list[str] = field(default_factory=list)
    """Playlist files (.m3u, .pls, .xspf …; display paths) met in the music folders that are no
    imported playlist, nor one that failed to import (its error is listed, and counted by
    ``stats``). A scan does not import them itself — rippers leave an album.m3u in every
    album folder, which would fill the library with copies of albums — but says so, else a
    user's ``Road trip.m3u`` there was ignored in silence. ``to_dict``: count and first few."""
    tell_playlist_files: bool = True
    """Whether the text tells of :attr:`playlist_files`: not after a plain re-scan of the
    library (no folder named), which would repeat it on every re-scan."""
    playlists_gone: list[str] = field(default_factory=list)
    """Names of the playlists removed from the library because their file is gone (see
    :func:`musicsage.library.playlists.store.forget_gone_playlists`)."""
    playlists_unreachable: list[str] = field(default_factory=list)
    """Names of the playlists kept though their file is missing: out of reach (a drive not
    mounted), not known to be removed (:func:`~musicsage.library.playlists.reach.
    file_unreachable`)."""

    def playlists_gone_text(self) -> str | None:
        """``1 playlist gone (its file was removed): 'a'``, and of those kept while their file
        is out of reach, ``1 playlist kept while its file cannot be reached (a drive not
        mounted?): 'b'``; None when there are none of either."""
        parts = []
        for names, what in ((self.playlists_gone, "gone ({whose} removed)"),
                            (self.playlists_unreachable,
                             "kept while {whose_} cannot be reached (a drive not mounted?)")):
            if not names:
                continue
            shown = ", ".join(repr(n) for n in names[:PLAYLIST_EXAMPLES])
            more = f" and {len(names) - PLAYLIST_EXAMPLES} more" \
                if len(names) > PLAYLIST_EXAMPLES else ""
            one = len(names) == 1
            said = what.format(whose="its file was" if one else "their files were",
                               whose_="its file" if one else "their files")
            parts.append(f"{counted(len(names), 'playlist')} {said}: {shown}{more}")
        return "; ".join(parts) or None

    def roots_text(self) -> str:
        """Where the scan's line says it scanned: ``in /a, /b``, and apart, ``— /c could not
        be read`` for the music folders whose own error is listed (permission denied, gone, a
        file now): the line named those among the folders scanned though none of their files
        was read."""
        unread = {str(path) for path, _reason in self.errors}
        read = [r for r in self.roots if r not in unread]
        failed = [r for r in self.roots if r in unread]
        text = f"in {', '.join(read)}" if read else ""
        if failed:
            text += f"{' ' if read else ''}— {', '.join(failed)} could not be read"
        return text

    def no_music_found_text(self) -> str | None:
        """``no music files found in F (musicsage reads .mp3, .flac, …)`` when the folders
        read held no audio file at all: "scanned 0 audio files … 0 new" gave no hint that the
        files there have other names. None otherwise, and where another line says why: no
        folder could be read (each has its error), files of a format skipped, an emptied
        folder whose tracks are missing (its note asks whether a drive is not mounted)."""
        from musicsage.library.tags import AUDIO_EXTENSIONS

        told = {str(path) for path, _why in self.errors + self.notes}
        read = [r for r in self.roots if r not in told]
        if self.files or self.skipped_formats or not read:
            return None
        return (f"no music files found in {', '.join(read)} "
                f"(musicsage reads {', '.join(AUDIO_EXTENSIONS)})")

    def playlist_folders(self) -> list[str]:
        """The scanned folders holding :attr:`playlist_files` (what to import them from)."""
        return [r for r in self.roots if any(P.is_under(f, r) for f in self.playlist_files)]

    def note(self, kind: str, db_path: str) -> None:
        """Keep ``db_path`` as an example of ``kind`` (the counts are kept apart)."""
        names = self.examples.setdefault(kind, [])
        if len(names) < EXAMPLES:
            names.append(P.display(db_path))
            self.example_uris.setdefault(kind, []).append(P.file_uri(db_path))

    def to_dict(self) -> dict:
        d = asdict(self)
        d["errors"] = [{"path": p, "uri": _uri(p), "reason": r} for p, r in self.errors]
        d["notes"] = [{"path": p, "uri": _uri(p), "note": n} for p, n in self.notes]
        d["playlists"] = [_with_uri(p.to_dict() if hasattr(p, "to_dict") else p, p)
                          for p in self.playlists]
        del d["playlist_files"], d["tell_playlist_files"]
        d["playlist_files_not_read"] = {"count": len(self.playlist_files),
                                        "examples": self.playlist_files[:PLAYLIST_EXAMPLES],
                                        "folders": self.playlist_folders()}
        return {"roots": d.pop("roots"), "root_uris": [_uri(r) for r in self.roots], **d}


def _uri(shown: str) -> str | None:
    """The URI a :class:`ShownPath` keeps (None for a path given as plain text)."""
    return getattr(shown, "uri", None)


def _with_uri(fields: dict, playlist) -> dict:
    """A playlist's ``fields`` with ``uri`` after ``path``: its file's, kept by the report's
    :class:`ShownPath` (None for a player's playlist, which is no file of its own)."""
    out: dict = {}
    for name, value in fields.items():
        out[name] = value
        if name == "path":
            out["uri"] = _uri(getattr(playlist, "path", None))
    return out
