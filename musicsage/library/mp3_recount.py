"""Lengths that scans before a format's length was counted stored, counted again once: MP3
tracks stored with their header's length (before :mod:`.mpeg_frames`), raw AAC tracks stored
with FFmpeg's and mutagen's guess from the first frames' bit rate (before :mod:`.adts_frames`:
16 s stored as 219 s) and WAV tracks whose header states less audio than they hold, stored
at the header's length (before :mod:`.wav_tail`).

A scan skips a file whose stamp it knows, so an existing library kept the wrong length and
the vectors made from it (``embed``'s excerpts past a raw AAC's end: "no audio could be
decoded"; an MP3's or a WAV's first part only) until the file changed (there is no
``--force``). The next scan after the upgrade counts them once, each recount in turn
(:func:`_recounts`, one loop: :func:`_recount_once`): a track whose count differs from its
stored length by more than :data:`RECOUNT_SLACK_S` takes the counted one and is analysed
again, its vectors dropped, as a changed file is (:func:`~.scan_write.changed_content`), a
note each — but a raw AAC whose stored guess is within :data:`AAC_GUESS_SHARE` of its count
takes the count and keeps its vectors, unsaid. A file touched, retagged or moved since is
read by the scan, which compares the same way (:meth:`.ScanWriter.add`).

Cheap for a library of ordinary files: each counter reads what the probe reads — an MP3's
first frame and past the end its header states (:func:`~.mpeg_frames.counted_length`), a
WAV's header and, where bytes follow its audio, what they begin with
(:func:`~.wav_tail.whole_seconds`, the scan's own count); a raw AAC's frame headers are
walked, as the scan of a new one does. Which tracks are left is kept in ``settings``, a key
per recount (no schema change): none recounted yet, the ids whose file was out of reach (a
drive not mounted, counted once it is back), or none left. A cancelled recount keeps what it
wrote and starts over at the next scan (what it wrote then matches).
"""

from __future__ import annotations

from typing import Callable, Collection, NamedTuple

from musicsage.library import adts_frames
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import transaction
from musicsage.library.mpeg_frames import counted_length
from musicsage.library.scan_report import ScanReport, ShownPath
from musicsage.library.scan_write import RECOUNT_SLACK_S, changed_content, recounted_note
from musicsage.library.walk import as_last_scanned
from musicsage.library.wav_tail import tail_note, whole_seconds
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

RECOUNT_KEY = "mp3_lengths_recount"
"""``settings`` key: absent before the first recount; then the ids of the MP3 tracks whose
file it could not reach (recounted by the next scan), ``[]`` once none is left."""

AAC_WAV_KEY = "aac_wav_lengths_recount"
"""The same as :data:`RECOUNT_KEY`, for the raw AAC and WAV tracks: a library whose MP3s
were counted again under an older version counts these once all the same."""

STAGE = "scan: counting MP3 lengths"
"""The MP3 recount's progress stage (the window's words for it: ``controllers/wording.py``)."""

AAC_WAV_STAGE = "scan: counting AAC and WAV lengths"
"""The raw AAC and WAV recount's progress stage (its words: ``controllers/wording.py``)."""

AAC_GUESS_SHARE = 0.02
"""A raw AAC length an older scan stored within 2 % of its count takes the count but keeps
its vectors, unsaid: FFmpeg's guess for a constant-bitrate raw AAC is 0.4–0.6 % off (241.1 s
stored for 240 s), and vectors of excerpts that much off are nearly those of the count
(cosine 0.97–1.0 in the review's measure) — dropping them had most raw AAC songs past 4
minutes analysed again, off the map until the next ``embed``. The guesses it is for are off
many times over (16 s stored as 219 s). A WAV has no such margin: its stored length was the
header's, exact, and what follows is audio never analysed (and the scan's note is said)."""

BATCH = 200
"""Tracks recounted per write transaction (short ones: the window reads meanwhile)."""

Counter = Callable[[str, int, "int | None", str], "tuple[bool, float | None]"]
"""(stored path, size, mtime_ns, format) → (whether the file could be reached, its counted
seconds if it is as last scanned and its length is one an older scan did not count — None
otherwise)."""


class Recount(NamedTuple):
    """One once-only recount: where what is left is kept, its stage, its tracks' formats, and
    how one of them is counted."""
    key: str
    stage: str
    formats: tuple[str, ...]
    counted: Counter
    near: "Callable[[str, float, float], bool] | None" = None
    """(format, stored, counted) → whether the stored length was a guess near enough that
    its vectors stand: the count is stored, the vectors kept, nothing said."""


def recount_old_lengths(conn, result: ScanReport, listed: "Collection[str] | None" = None,
                        *, cancel: CancelToken | None = None,
                        progress: ProgressFn | None = None) -> None:
    """Recount, once, the tracks of the library whose file is as last scanned and whose
    length an older version may have stored wrong (module doc), writing those whose length
    was wrong and telling them in ``result``. ``listed``: the paths this scan's listing
    found; a track stored missing and not among them stays left, its file not looked for (an
    unplugged drive's, a stale mount waiting on each), as :mod:`.tag_reread` does."""
    for recount in _recounts():
        _recount_once(conn, result, recount, listed, cancel, progress)


def _recounts() -> tuple[Recount, ...]:
    """The recounts, in turn (their counters looked up at each scan)."""
    return (Recount(RECOUNT_KEY, STAGE, ("mp3",), _counted_seconds),
            Recount(AAC_WAV_KEY, AAC_WAV_STAGE, ("aac", "wav"), _aac_or_wav_seconds,
                    _near_aac_guess))


def _recount_once(conn, result: ScanReport, recount: Recount, listed: "Collection[str] | None",
                  cancel: CancelToken | None, progress: ProgressFn | None) -> None:
    """:func:`recount_old_lengths` of one recount: those of its tracks left, if any."""
    left = q.get_setting(conn, recount.key)
    if left == []:
        return
    rows, unreached = _left_rows(conn, recount, left, listed)
    found: list[tuple[int, str, float | None, float]] = []
    near: list[tuple[int, str, float | None, float]] = []
    try:
        for done, (track_id, path, size, mtime_ns, stored, fmt) in enumerate(rows, start=1):
            check_cancel(cancel)
            if done == 1:  # as the first file is opened, at once: a drive's worth of files
                report(progress, recount.stage, 0, len(rows))  # may be counted before the next
            reached, counted = recount.counted(path, size, mtime_ns, fmt)
            if not reached:
                unreached.append(track_id)
            elif counted is not None and (stored is None
                                          or abs(counted - stored) > RECOUNT_SLACK_S):
                close = stored is not None and recount.near is not None and recount.near(
                    fmt, stored, counted)
                (near if close else found).append((track_id, path, stored, counted))
            if len(found) + len(near) >= BATCH:
                _write(conn, found, result, near)
            if done % 200 == 0 or done == len(rows):
                report(progress, recount.stage, done, len(rows), P.display(path))
    finally:  # also on cancel: what was counted is kept
        _write(conn, found, result, near)
    if sorted(unreached) != left:  # a batch that counted nothing writes nothing
        with transaction(conn):
            q.set_setting(conn, recount.key, sorted(unreached))


def _left_rows(conn, recount: Recount, left, listed: "Collection[str] | None",
               ) -> tuple[list[tuple], list[int]]:
    """(The rows of ``recount``'s tracks to count: id, path, size, mtime_ns, duration,
    format; the ids left listed, stored missing and not ``listed``: not looked for) of the
    tracks ``left`` lists (absent: all of them)."""
    wanted = None if not isinstance(left, list) else set(left)
    marks = ", ".join("?" * len(recount.formats))
    rows: list[tuple] = []
    unreached: list[int] = []
    for track_id, path, size, mtime_ns, stored, fmt, status in conn.execute(
            "SELECT id, path, size, mtime_ns, duration, format, status FROM tracks"
            f" WHERE format IN ({marks}) AND size IS NOT NULL ORDER BY id", recount.formats):
        if wanted is not None and track_id not in wanted:
            continue
        if status != "present" and (listed is None or path not in listed):
            unreached.append(track_id)  # stored missing, not listed: not looked for
        else:
            rows.append((track_id, path, size, mtime_ns, stored, fmt))
    return rows, unreached


def _counted_seconds(path: str, size: int, mtime_ns: int | None,
                     _fmt: str = "mp3") -> tuple[bool, float | None]:
    """An MP3's :data:`Counter`: its frames counted where its header does not bound its
    audio. A file that cannot be opened is unreached, counted next time:
    :func:`~.mpeg_frames.counted_length` gives None on a read error too, which would read as
    a header that bounds the audio, and the track would never be counted."""
    reached, fs_path = as_last_scanned(path, size, mtime_ns)
    if fs_path is None:
        return reached, None
    counted = counted_length(fs_path)
    return True, (counted[0] / counted[1] if counted else None)


def _aac_or_wav_seconds(path: str, size: int, mtime_ns: int | None,
                        fmt: str) -> tuple[bool, float | None]:
    """A raw AAC's or WAV's :data:`Counter`: a raw AAC's frames counted (where they can be:
    else the guess stands, as the scan stores it), a WAV's audio past its header's stated
    end added to what it states (none past it: None, the stored length stands)."""
    reached, fs_path = as_last_scanned(path, size, mtime_ns)
    if fs_path is None:
        return reached, None
    if fmt == "aac":
        counted = adts_frames.counted_length(fs_path)
        return True, (counted[0] / counted[1] if counted else None)
    return True, whole_seconds(fs_path)


def _near_aac_guess(fmt: str, stored: float, counted: float) -> bool:
    """Whether a raw AAC's stored length is a guess within :data:`AAC_GUESS_SHARE` of its
    count (its vectors stand)."""
    return fmt == "aac" and abs(counted - stored) <= AAC_GUESS_SHARE * counted


def _write(conn, found: list[tuple[int, str, float | None, float]], result: ScanReport,
           near: list[tuple[int, str, float | None, float]]) -> None:
    """Store the counted lengths of ``found`` (emptied), their vectors dropped, and say so;
    those of ``near`` (emptied) alone, vectors kept, unsaid."""
    if not found and not near:
        return
    with transaction(conn):
        for track_id, _path, _stored, counted in found:
            changed_content(conn, track_id, duration=counted)
        conn.executemany("UPDATE tracks SET duration = ? WHERE id = ?",
                         [(counted, track_id) for track_id, _path, _stored, counted in near])
    near.clear()
    for _track_id, path, stored, counted in found:  # (counted unchanged: its file is)
        result.notes.append((ShownPath.of(path), recounted_note(stored, counted)))
        if (wav_note := _wav_note(path)) is not None:
            result.notes.append((ShownPath.of(path), wav_note))
    found.clear()


def _wav_note(path: str) -> str | None:
    """What the scan says of a WAV whose header states less audio than it holds
    (:func:`~.wav_tail.tail_note`: other players stop at the header's length, and how to
    rewrite the header), said again with its recount; None for any other file."""
    if not P.is_file_path(path):
        return None
    try:
        return tail_note(P.to_fs(path))
    except (OSError, ValueError):
        return None
