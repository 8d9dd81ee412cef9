"""What a FLAC that libsndfile fails to read midway is: cut short, or damaged inside (where).

A FLAC cut after the scan (a copy to a full disk, a download stopped) and one with a damaged
frame inside (the scan reads its start and its last second only) both fail at ``embed`` in
libsndfile's words: "Internal psf_fseek() failed." for an excerpt past the cut, "flac decoder
lost sync." or "unknown error in flac decoder." at the cut or the damage. These say neither
what is wrong with the file nor where. The file's last second tells the two apart, as the
scan tells a cut file (:data:`~musicsage.errors.AUDIO_ENDS_EARLY`); a damaged one is named
with the time the audio stops decoding, which a user can listen to. Such a file is still
reported, not embedded from the audio around the damage (:func:`.decode.read_spans`).

A FLAC holding zeroed bytes (a download never finished, a failing drive) is named as such,
from the time its audio stops (:mod:`musicsage.library.flac_zeroed`): before anything seeks in
it, for libFLAC searched the zeros for minutes — a seek to an excerpt there (refused at once,
:func:`refuse_zeroed_seek`) and the look at the last second here both did.

A FLAC whose header states no length (a live stream's or a pipe's encoder) that was stopped
mid-frame (the stream cut off) is a track of its whole frames, as the scan counts it
(:mod:`musicsage.library.unstated_length`): libFLAC's "lost sync" in its cut last frame is its
end (:func:`past_last_frame`), not damage — ``embed`` failed it "damaged audio data at 0:27" and
the player stopped a block early with those words. libFLAC's seek in such a file fails on a
frame's first sample (its search reads the cut frame): :func:`seek_lead` goes one sample early.
``embed`` counts such a file's length as the scan does (:func:`unstated_frames`), so that its
excerpts are spread over it as over any track's, not one taken from its start.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Callable, Protocol

from musicsage.audio.pyav_read import DamagedFrame as DamagedAvFrame
from musicsage.errors import AUDIO_ENDS_EARLY
from musicsage.library.flac_zeroed import (UNKNOWN_FRAMES, audio_start, frame_follows,
                                          lands_in_zeros, zeroed_reason)
from musicsage.library.unstated_length import DamagedFrame, damaged_at, unstated_length

TAIL_SECONDS = 1.0
"""The end read to tell a cut file, as the scan's check reads it."""
BLOCK_FRAMES = 4096
"""Frames read at a time when looking for the damage (a FLAC frame's usual size)."""
_STARTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Each open FLAC's :func:`audio_start`, read once: every seek asks it (:func:`seek_lead`,
:func:`refuse_zeroed_seek`)."""


class _Read(Protocol):
    """What is known of the file read (:class:`.decode.AudioInfo`, which imports this)."""

    backend: str
    sample_rate: int
    duration_s: float | None


class _Header(Protocol):
    """What libsndfile's ``sf.info`` says of a file, as :func:`unstated_frames` reads it."""

    format: str
    frames: int
    samplerate: int


class ZeroedSeek(RuntimeError):
    """A seek in a FLAC refused: its place lies in zeroed bytes (:func:`refuse_zeroed_seek`).

    A ``RuntimeError`` only so that :func:`described` takes it as it takes libsndfile's read
    errors (it looks for a FLAC's zeroed bytes behind those alone): of another type the file
    would be said "cannot decode (frame 441000 lies in zeroed bytes)", a frame for a time."""


def refuse_zeroed_seek(f, start: int) -> None:
    """Raise :class:`ZeroedSeek` when seeking soundfile ``f`` (a FLAC opened by its path) to
    frame ``start`` would land in zeroed bytes, before libFLAC searches them (90 s for one
    excerpt of a 5-minute file): asked by :func:`.decode.sf_seek`, through which ``embed``'s
    excerpts and the player's seeks all go. :func:`described` then names the zeroed bytes;
    the player says "damaged audio data" (a ``RuntimeError``, as libsndfile's)."""
    if start > 0 and f.format == "FLAC" and isinstance(f.name, (str, bytes)) \
            and (begun := _audio_start(f)) and lands_in_zeros(f.name, start, f.frames, begun):
        raise ZeroedSeek(f"frame {start} lies in zeroed bytes")


def past_last_frame(f, error: int) -> bool:
    """Whether the libsndfile ``error`` that a read of soundfile ``f`` left lies past a FLAC's
    last whole frame: libFLAC reports "lost sync" in the zeros (a tool's padding, a file
    allocated larger), a tag (ID3v1, APEv2) or a text trailer after it once it has decoded
    every sample, and a read that asked for more (the player's blocks, a FLAC whose length is
    not stated) lost the last frames with it: "damaged audio data" said of a whole file. So
    too its "lost sync" in the cut last frame of a FLAC whose header states no length; one
    whose header states it, cut so, is damaged, as the scan says. Past means no frame follows
    (:func:`.frame_follows`), as the scan counts a stream. Asked on errors only."""
    if not error or f.format != "FLAC" or not f.seekable() or not isinstance(f.name,
                                                                           (str, bytes)):
        return False
    at = f.tell()  # libsndfile's count of frames read, told without a seek (it clears error)
    if 0 < f.frames < UNKNOWN_FRAMES and at != f.frames:  # short of the stated length: damage
        return False
    return not frame_follows(f.name, at)


def seek_lead(f, start: int) -> int:
    """The samples before ``start`` to seek soundfile ``f`` to, then read and drop: 1 where
    ``start`` is the first sample of a frame of a FLAC whose header states no length, else 0.
    There libFLAC's seek failed ("Internal psf_fseek() failed.") once the file was cut
    mid-frame (its search, bounded by the cut frame, closed on the frame before), and the
    player's read again after a failed block always asks one. A fixed-size stream's frames
    begin at multiples of its block size (STREAMINFO's), as an encoder writes a stream."""
    if start <= 0 or f.format != "FLAC" or f.frames < UNKNOWN_FRAMES or not isinstance(
            f.name, (str, bytes)):
        return 0
    if (begun := _audio_start(f)) is None:
        return 0
    return 1 if not begun[1] or start % begun[1] == 0 else 0  # (0: frames of any size)


def _audio_start(f) -> tuple[int, int] | None:
    """:func:`audio_start` of the FLAC soundfile ``f`` (opened by its path), read once per
    open file (:data:`_STARTS`); None where it is not laid out as a FLAC or cannot be read."""
    if f not in _STARTS:
        try:
            with open(os.fsencode(f.name), "rb") as fh:
                _STARTS[f] = audio_start(fh)
        except OSError:
            _STARTS[f] = None
    return _STARTS[f]


def unstated_frames(path: Path, info: _Header) -> int | None:
    """The frames a FLAC whose header states no length holds (``info``: libsndfile's
    ``sf.info``), counted as the scan counts them: its length unknown, ``embed`` took one
    excerpt from its start (the first 30 s of an hour's live set), where the same audio of a
    stated length gets excerpts spread over it. None for any other file, or where the count
    fails (nothing decodes, damage: :func:`.decode.read_spans` then says what)."""
    if info.format != "FLAC" or info.frames < UNKNOWN_FRAMES:
        return None
    import soundfile as sf

    try:
        with sf.SoundFile(os.fsencode(path)) as snd:
            seconds = unstated_length(snd)
    except (RuntimeError, OSError, ValueError):
        return None
    return round(seconds * info.samplerate) if seconds else None


def described(path: Path, info: _Read, exc: BaseException,
              describe: Callable[[BaseException], str]) -> str:
    """The words after ``"name: "`` for ``exc``, raised while reading ``path``'s excerpts:
    a FLAC's as above, a frame PyAV decoded that is damage (:mod:`.pyav_read`) in its own
    words ("damaged audio data at 0:02 …"), any other's ``cannot decode (<the reason>)``."""
    if isinstance(exc, DamagedAvFrame):
        return str(exc)
    fallback = f"cannot decode ({describe(exc)})"
    if info.backend != "soundfile" or not isinstance(exc, RuntimeError):
        return fallback
    frames = round((info.duration_s or 0.0) * info.sample_rate)
    zeroed = zeroed_reason(os.fsencode(path), info.sample_rate, frames)  # (an ID3v2 before too)
    if zeroed:  # first: the look at the last second below would search the zeros
        return zeroed
    if not _is_flac(path):
        return fallback
    import soundfile as sf

    try:
        with sf.SoundFile(os.fsencode(path)) as f:
            if _ends_early(f):
                return AUDIO_ENDS_EARLY
            if f.frames >= UNKNOWN_FRAMES and (counted := _counted_damage(f)):
                return counted
        at = _first_undecodable(path)
    except (RuntimeError, OSError):  # gone or changed meanwhile: the first reason stands
        return fallback
    if at is None:  # reads through from the start: only a seek failed
        return fallback
    return damaged_at(at / info.sample_rate)


def _is_flac(path: Path) -> bool:
    """Whether ``path`` begins as a FLAC stream does, told by its bytes before libsndfile
    opens it again: an MP3 (named ``.flac`` or not) opened outside the muting of
    :mod:`musicsage.decoder_noise` spilled libmpg123's lines onto the terminal."""
    try:
        with open(os.fsencode(path), "rb") as f:
            return f.read(4) == b"fLaC"
    except OSError:
        return False


def _ends_early(f) -> bool:
    """Whether the last second of the length the header states does not read."""
    frames = f.frames if 0 < f.frames < UNKNOWN_FRAMES else 0
    tail = min(frames, max(1, int(TAIL_SECONDS * f.samplerate)))
    if not frames or not f.seekable():
        return False
    try:
        f.seek(frames - tail)
        return len(f.read(tail, dtype="float32")) < tail // 2
    except RuntimeError:
        return True


def _first_undecodable(path: Path) -> int | None:
    """The frame where reading ``path`` from its start fails (to a block), or None."""
    import soundfile as sf

    at = 0
    with sf.SoundFile(os.fsencode(path)) as f:
        while True:
            try:
                got = len(f.read(BLOCK_FRAMES, dtype="float32"))
            except RuntimeError:
                return at
            if got == 0:
                return None
            at += got


def _counted_damage(f) -> str | None:
    """The scan's words for the FLAC ``f`` of no stated length when its count stops on a
    damaged frame (:func:`.unstated_length`), so that ``embed`` names the time the scan
    names: read to a block, it said 0:00 where the scan said 0:01. None otherwise."""
    try:
        unstated_length(f)
    except DamagedFrame as exc:
        return str(exc)
    except (RuntimeError, ValueError):  # nothing decodes, zeros (said before): not this
        pass
    return None
