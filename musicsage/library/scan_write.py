"""Writing what a scan read into the ``tracks`` table: :class:`ScanWriter`, and the files a
scan must read again whatever their stamp (:func:`scan_error_paths`).

A part of its own, apart from :mod:`musicsage.library.scan` (which file is new, changed,
touched or moved): here each kind of finding becomes its rows, in one short transaction per
batch, so the GUI can read meanwhile and a killed scan keeps what it committed.

A track's (size, mtime_ns) is the stamp of its file as last *read*: a file that became
unreadable keeps the stamp of its last readable version, and its ``errors`` row (stage
'scan') makes every scan read it again (:func:`scan_error_paths`) — the stamp of the unreadable
file, once recorded, made the next scan call it unchanged, and it went quiet for good.
"""

from __future__ import annotations

import os

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import NOW_SQL, transaction
from musicsage.library.moves import MoveFinder, RingCut
from musicsage.library.scan_report import RECOUNTED_START, ShownPath
from musicsage.library.tags import AudioInfo
from musicsage.library.track_ids import next_track_id
from musicsage.library.tag_values import as_text
from musicsage.library.walk import FoundFile
from musicsage.library.wav_tail import unstated_tail_seconds

TRACK_COLUMNS = ("path", "size", "mtime_ns", "format", "title", "artist", "album",
                 "albumartist", "genre", "track_number", "year", "duration", "sample_rate",
                 "channels")

KEEPS_VECTORS = ("moved", "first", "touched")
"""Kinds of write whose file is the content the track's embeddings were made from: they stay
valid, and so does ``needs_analysis`` — but for an MP3, raw AAC or WAV whose length now is
not the one stored (:meth:`ScanWriter.add`)."""

RECOUNT_SLACK_S = 1.0
"""How far a stored length may be from the counted one and be kept (its vectors with it)."""


def recounted_note(stored: float | None, counted: float) -> str:
    """What the scan says of a track whose length it counted again."""
    was = "none" if stored is None else f"{stored:.1f} s"
    return (f"{RECOUNTED_START}{counted:.1f} s (stored: {was}): its "
            "vectors (if any) were dropped, and `musicsage embed` analyses it again")


def name_as_title(db_path: str) -> str:
    """The title of the track at ``db_path`` when its file has no title tag: the file's name
    less its extension, as one clean line as a tag's is (:func:`~.tag_values.as_text`): a
    name holding a newline or a tab (legal on Linux) was stored with it, and broke the lines
    that list the track."""
    name = P.display(os.path.splitext(os.path.basename(db_path))[0])
    return as_text(name) or name


def track_values(f: FoundFile, info: AudioInfo) -> dict:
    """The row of ``f``: its duration the probe's, an MP3's counted from its frames where its
    header does not bound its audio (:mod:`.mpeg_frames`: counted once, where the file is
    probed, never in the write transaction). A file without a title tag takes its name's
    (:func:`name_as_title`)."""
    tags = info.tags
    title = tags.get("title") or name_as_title(f.db_path)
    return dict(path=f.db_path, size=f.size, mtime_ns=f.mtime_ns, format=info.format,
                title=title, artist=tags.get("artist"), album=tags.get("album"),
                albumartist=tags.get("albumartist"), genre=tags.get("genre"),
                track_number=tags.get("track_number"), year=tags.get("year"),
                duration=info.duration, sample_rate=info.sample_rate, channels=info.channels)


CUT_TOLERANCE_S = 0.01
"""How much shorter than stored an Ogg file ending mid-page must read to be called shorter
than when last scanned (the same file reads to the same length; a lost page is tenths of a
second)."""

CUT_SINCE_SCANNED_NOTE = ("ends mid-page and holds less than when last scanned (cut short?): "
                          "its vectors will be made again from what is left")
"""The scan's note on a known Ogg/Opus track that :func:`cut_since_scanned` finds."""


def cut_since_scanned(conn, track_id: int, info: AudioInfo) -> bool:
    """Whether a known track's Ogg/Opus file, ending mid-page, reads shorter than the scan
    stored it. Only a note, never an error: the scan cannot tell a copy broken off from a
    different, shorter stream rip saved at the same path (an error would hold that file back
    forever), so the file is read as its whole pages, as any file ending mid-page is, and the
    user is told its vectors will be made again from what is left (at the next embed; the
    watch embeds at once)."""
    if not info.ends_mid_page or info.duration is None:
        return False
    row = conn.execute("SELECT duration FROM tracks WHERE id = ?", (track_id,)).fetchone()
    return bool(row) and row[0] is not None and row[0] - info.duration > CUT_TOLERANCE_S


GONE_ROOT_ERROR = "not found ("
"""How the scan error of a folder or file a scan was to scan and did not find begins
(:func:`~musicsage.library.gone_roots.tell_gone_roots`): a file that could not be found is
no file that failed to read."""


def scan_error_paths(conn) -> tuple[set[str], set[str]]:
    """The DB paths with a 'scan' error, in two sets read at once (one query of the same rows):

    - ``unread``: the files a scan could not read last time: every scan reads them again,
      even at the stamp their track has, until they read (or are gone). Not one that was not
      found (a music folder that is a single file, gone; a file an older watch heard go):
      back at its stamp, it is back — read as a failed file, its vectors were dropped.
    - ``not_found``: those it did not find (their error begins :data:`GONE_ROOT_ERROR`). Back
      at its stamp, such a file is asked whether it was rewritten in place meanwhile, as a
      file the watch heard written is: its "not found" row had replaced the read error of a
      file damaged with its time put back, which then passed as back and read."""
    unread: set[str] = set()
    not_found: set[str] = set()
    for path, gone in conn.execute("SELECT path, substr(message, 1, ?) = ? FROM errors"
                                   " WHERE stage = 'scan'",
                                   (len(GONE_ROOT_ERROR), GONE_ROOT_ERROR)):
        (not_found if gone else unread).add(path)
    return unread, not_found


class ScanWriter:
    """Buffers probe results and writes them in one short transaction per batch."""

    def __init__(self, conn, moves: MoveFinder | None, notes: list[tuple[ShownPath, str]]):
        self.conn = conn
        self.notes = notes
        """The scan's notes: a recounted track's is added to them (:meth:`add`)."""
        self.pending: list[tuple] = []
        self.moves = moves
        """The scan's move finder: its hashes and moves (``track_moves``) go into the same
        transaction as the batch's rows. Written apart, at the end of the scan, they were
        lost to a scan killed meanwhile (SIGKILL, a power cut): its moved tracks kept their
        new paths, but playlists naming their old paths no longer found them."""

    def add(self, kind: str, f: FoundFile, track_id: int | None, payload) -> None:
        """``kind``: 'track' (new or changed), 'moved', 'touched' (a known track's file whose
        stamp changed but not its content), 'error' (unreadable); 'first', 'first_error': the
        same for a track no scan recorded, its vectors kept — unless an MP3's or raw AAC's
        counted length, or an understated WAV's whole one, is not the one stored (an older
        scan stored its header's or a guess, and the vectors of what it spanned): then it is
        written as changed content, with a note."""
        if kind in KEEPS_VECTORS and self._recounted(f, track_id, payload):
            kind = "track"
        self.pending.append((kind, f, track_id, payload))

    def _recounted(self, f: FoundFile, track_id: int | None, info: AudioInfo) -> bool:
        """Whether the file's counted length is more than :data:`RECOUNT_SLACK_S` off the one
        its track has stored (said in :attr:`notes`), or, for a WAV whose header states
        less audio than it holds (:mod:`.wav_tail`: stored at the header's length before),
        its whole length is. The recount of unchanged files (:mod:`.mp3_recount`) leaves the
        touched, retagged and moved ones to the scan. No stored length is no older scan's: a
        track imported with its vectors (a data set) has none, and its first scan dropped the
        vectors it came with."""
        if track_id is None or info.duration is None or (
                info.guessed_duration is None and not _understated_wav(f, info)):
            return False
        row = self.conn.execute("SELECT duration FROM tracks WHERE id = ?",
                                (track_id,)).fetchone()
        stored = row[0] if row else None
        if stored is None or abs(stored - info.duration) <= RECOUNT_SLACK_S:
            return False
        self.notes.append((ShownPath.of(f.db_path), recounted_note(stored, info.duration)))
        return True

    def flush(self, *, stopping: bool = False) -> None:
        """Write what is pending, with its hashes and moves, in one transaction. A ring of
        moves written part-way (:meth:`MoveFinder.check_room`) rolls it all back: said by
        :class:`RingCut`, or not at all when ``stopping`` (the scan ends on an exception, a
        second Ctrl-C say, which goes on to say its own line)."""
        if not self.pending:
            return
        try:
            with transaction(self.conn):
                for kind, f, track_id, payload in self.pending:
                    if kind in ("error", "first_error"):
                        self._unreadable(kind, f, track_id, payload)
                    else:
                        self._read(kind, f, track_id, payload)
                if self.moves is not None:
                    self.moves.check_room()
                    self.moves.record()
        except RingCut:
            if not stopping:
                raise
        self.pending.clear()

    def _unreadable(self, kind: str, f: FoundFile, track_id: int | None, reason: str) -> None:
        if kind == "error" and track_id is not None:  # changed into unreadable: its vectors
            # describe other content; its stamp stays that of the file last read (module doc)
            changed_content(self.conn, track_id, status="present")
        q.record_error(self.conn, f.db_path, "scan", reason, track_id=track_id)

    def _read(self, kind: str, f: FoundFile, track_id: int | None, info: AudioInfo) -> None:
        conn = self.conn
        values = track_values(f, info)
        row = [values[c] for c in TRACK_COLUMNS]
        sets = ", ".join(f"{c} = ?" for c in TRACK_COLUMNS)
        if track_id is not None and self.moves is not None:  # a ring of renames (a swap)
            self.moves.make_room(f.db_path, track_id)  # a recounted move's write is 'track'
        if kind in KEEPS_VECTORS:
            conn.execute(f"UPDATE tracks SET {sets}, status = 'present',"
                         f" updated_at = {NOW_SQL} WHERE id = ?", row + [track_id])
        elif track_id is None:  # a new track: an id never used (library/track_ids)
            conn.execute(f"INSERT INTO tracks(id, {', '.join(TRACK_COLUMNS)}, status,"
                         f" needs_analysis) VALUES (?, {', '.join('?' * len(row))},"
                         " 'present', 1)", [next_track_id(conn)] + row)
        else:
            changed_content(conn, track_id, **dict(zip(TRACK_COLUMNS, row)), status="present")
        q.clear_error(conn, f.db_path, "scan")


def _understated_wav(f: FoundFile, info: AudioInfo) -> bool:
    """Whether ``f`` is a WAV whose last chunk states less audio than follows it, stored
    whole now (:func:`~.tags.probe`); only its header and what follows its audio are read."""
    return info.format == "wav" and unstated_tail_seconds(f.fs_path) is not None


def changed_content(conn, track_id: int, **columns) -> None:
    """A known track whose audio is not what its vectors were made from (its file changed;
    an MP3, raw AAC or WAV whose length was counted again, :mod:`.mp3_recount`): ``columns``
    stored, vectors dropped, analysed again by the next ``embed``."""
    q.delete_embeddings(conn, track_id)
    sets = "".join(f"{c} = ?, " for c in columns)
    conn.execute(f"UPDATE tracks SET {sets}needs_analysis = 1,"
                 f" updated_at = {NOW_SQL} WHERE id = ?", [*columns.values(), track_id])


def mark_reappeared(conn, track_ids: list[int]) -> None:
    """Tracks found again, unchanged, at their path: present again, nothing else touched."""
    if track_ids:
        with transaction(conn):
            conn.executemany(f"UPDATE tracks SET status = 'present', updated_at = {NOW_SQL}"
                             " WHERE id = ?", [(t,) for t in track_ids])
