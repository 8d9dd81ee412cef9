"""A WAV whose ``data`` chunk states less audio than follows it, the chunk being the file's
last: a recorder that stopped before it last fixed its header, or audio appended to a file
without rewriting the header. libsndfile (the scan's, the player's and ``embed``'s reader)
and FFmpeg read the chunk as stated, so the rest was never heard, and the track was stored
at the header's length, silently. FFmpeg's ``ignore_length`` and ``sox --ignore-length``
read such a file to its end, as players that trust the file over its header do: ``embed``
reads it so now (:mod:`musicsage.audio.decode`), and the scan stores its whole length
(:func:`whole_seconds`, as the recount of older scans' lengths counts it); the player plays
it whole too where its header's sizes can say so (:func:`stated_whole`,
:mod:`musicsage.playback.wav_whole`); most other players stop at the header's length
(:func:`tail_note` says so).

Only the clear case is taken: the bytes after the stated end are no chunk (four letters: a
``LIST`` or ``id3 `` chunk after the audio, or one cut off by the file's end, is no audio)
nor a bare tag, and they hold at least :data:`MIN_TAIL_SECONDS` of audio. After an odd size
both places are looked at: the pad byte the format asks for, or none (Python's ``wave``
writes none, and mutagen, Picard's and beets' tagger, then appends its ``id3 `` chunk right
after the audio: its cover picture was read as 0.6 s of noise). A ``data`` size of 0 (a
header never written: :func:`.wav_sizes.unwritten_header`) and one left open (0xFFFFFFFF,
which libsndfile reads to the end) are not this, nor two WAV files joined end to end (the
second's ``RIFF`` header reads as a chunk: its audio stays unread, as before).
"""

from __future__ import annotations

import os
from typing import BinaryIO

from musicsage.decoder_noise import decoder_noise_muted, might_be_noisy
from musicsage.library.flac_zeroed import UNKNOWN_FRAMES
from musicsage.library.paths import shell_word
from musicsage.library.wav_sizes import SIZE_LEFT_OPEN, wav_sizes

TAG_MARKS = (b"ID3", b"TAG", b"APETAGEX")
"""How a tag appended bare after a WAV's audio begins."""
CHUNK_ID_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _")
"""The bytes chunk ids are made of (``LIST``, ``id3 ``, ``_PMX``). Loud audio often begins
with four of them too (1 % of places in 16-bit stereo, a quarter in 8-bit), and the four after
them read as a size that fits in a long recording, so such an id counts as a chunk only where
the chunks from it lead to the file's end (:func:`_chunks_to_the_end`), or where it is one of
:data:`KNOWN_CHUNKS` (a chunk cut off by the file's end too)."""
KNOWN_CHUNKS = frozenset({b"LIST", b"id3 ", b"ID3 ", b"JUNK", b"PAD ", b"bext", b"iXML",
                          b"_PMX", b"cue ", b"smpl", b"acid", b"cart", b"fact", b"inst", b"axml",
                          b"chna", b"levl", b"PEAK", b"ResU", b"DISP"})
"""Chunks writers put after a WAV's audio: one of these cut off by the file's end is no
audio either."""
MAX_CHUNKS_FOLLOWED = 64
"""How many chunks after the audio are followed before the bytes are taken for audio."""
MIN_TAIL_SECONDS = 0.1
"""The least audio past the stated end taken as audio (a stray byte or two is a writer's
slip, not a recording's lost end)."""


def unstated_tail_seconds(fs_path: str) -> float | None:
    """Seconds of audio the WAV at ``fs_path`` holds past its ``data`` chunk's stated end,
    that chunk being its last (see the module); None for any other file."""
    sizes = wav_sizes(fs_path)
    if sizes is None or sizes.data_at is None or not sizes.byte_rate \
            or sizes.data_size in (None, 0, SIZE_LEFT_OPEN):
        return None
    end = sizes.data_at + sizes.data_size  # a pad byte after an odd size, or none (see below)
    tail = sizes.file_size - end - (sizes.data_size & 1)
    if tail < MIN_TAIL_SECONDS * sizes.byte_rate or any(
            _chunk_at(fs_path, at) for at in {end, end + (sizes.data_size & 1)}):
        return None
    return (sizes.file_size - sizes.data_at - sizes.data_size) / sizes.byte_rate


def whole_seconds(fs_path: str) -> float | None:
    """The seconds of the WAV at ``fs_path`` whose ``data`` chunk, its last, states less audio
    than follows it, as the scan stores them and the recount of older scans' lengths counts
    them (one formula, so the two never disagree and make a track analysed again for
    nothing): libsndfile's frames over its rate, plus :func:`unstated_tail_seconds` — not the
    header's byte rate, which libsndfile ignores for PCM (a header whose byte rate is wrong:
    30 s counted for the 40 s stored). None for any other file, or one libsndfile does not
    open or whose frames it does not know: the stated length stands. The tail is looked at
    first, so most WAVs are read no further than their header; libsndfile's chatter is
    muted, as the scan's own read of the file is."""
    import soundfile as sf

    tail = unstated_tail_seconds(fs_path)
    if tail is None:
        return None
    try:
        with decoder_noise_muted(might_be_noisy(fs_path)):
            info = sf.info(os.fsencode(fs_path))
    except (RuntimeError, OSError, ValueError, TypeError):
        return None
    if not info.samplerate or not 0 < info.frames < UNKNOWN_FRAMES:
        return None
    return info.frames / info.samplerate + tail


def stated_whole(file_size: int) -> bool:
    """Whether a WAV of ``file_size`` bytes can be given a header that states all of it: its
    RIFF size has 32 bits, so one of 4 GiB or more cannot (a recorder killed past 4 GiB, a
    32-bit writer that wrapped a longer take's sizes). Only such a file is played whole
    (:mod:`musicsage.playback.wav_whole`), and only for it does :func:`tail_note` say so."""
    return file_size - 8 < SIZE_LEFT_OPEN


def tail_note(fs_path: str) -> str | None:
    """One line saying that the WAV at ``fs_path`` holds more audio than its header states,
    that musicsage analyses all of it and plays all of it too where :func:`stated_whole`
    (else its player, as most players, stops at the header's length), and how to rewrite the
    header (as RF64 where the file is 4 GiB or more: a WAV's sizes cannot state it, and sox
    writes no RF64); None for any other file. The commands name the file by its whole path,
    quoted, as :func:`.wav_sizes.unwritten_header`'s do."""
    seconds = unstated_tail_seconds(fs_path)
    if seconds is None:
        return None
    whole = os.path.abspath(fs_path)
    given, fixed = shell_word(whole), shell_word(os.path.splitext(whole)[0] + "-fixed.wav")
    said = (f"its header states less audio than it holds ({seconds:.1f} s more follow: a "
            "recording stopped before its header was fixed, or audio appended?); ")
    try:
        played = stated_whole(os.path.getsize(fs_path))
    except OSError:
        played = False
    if not played:
        return said + ("all of it is analysed, but musicsage's player, as most players, "
                       "stops at the header's length until the file is rewritten as RF64, "
                       f"e.g. `ffmpeg -ignore_length 1 -i {given} -c copy -rf64 auto {fixed}`")
    return said + ("musicsage analyses and plays all of it, but most other players stop at "
                   "the header's length until the header is rewritten, e.g. "
                   f"`ffmpeg -ignore_length 1 -i {given} -c copy {fixed}` or "
                   f"`sox --ignore-length {given} {fixed}`")


def _chunk_at(fs_path: str, at: int) -> bool:
    """Whether the bytes at ``at`` begin chunks (:func:`_chunks_to_the_end`) or a tag some
    taggers append bare (ID3v2 with its cover picture, ID3v1, APEv2), which read as audio
    would be noise."""
    try:
        with open(fs_path, "rb") as fh:
            return _chunks_to_the_end(fh, at, os.fstat(fh.fileno()).st_size)
    except OSError:
        return True  # unread: the stated length stands


def _chunks_to_the_end(fh: BinaryIO, at: int, file_size: int) -> bool:
    """Whether, from ``at``, chunks follow one another to the file's end (an id of
    :data:`CHUNK_ID_BYTES` and a size each, a pad byte allowed after an odd one, the last
    ending at the end, give or take a byte), or lead to a known chunk or a bare tag; audio
    whose bytes read as an id and a size that fits is never followed by another such pair
    that ends where the file does."""
    for _ in range(MAX_CHUNKS_FOLLOWED):
        fh.seek(at)
        head = fh.read(8)
        if head.startswith(TAG_MARKS) or head[:4] in KNOWN_CHUNKS:
            return True
        if len(head) < 8 or not all(b in CHUNK_ID_BYTES for b in head[:4]):
            return False
        at += 8 + int.from_bytes(head[4:], "little")
        if at > file_size:
            return False
        if file_size - at <= 1:
            return True
        fh.seek(at)
        first = fh.read(1)
        if not first or first[0] not in CHUNK_ID_BYTES:
            at += 1  # the pad byte after an odd size
    return False
