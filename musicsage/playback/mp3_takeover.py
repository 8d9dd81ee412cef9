"""Where FFmpeg takes over an MP3 whose length libsndfile guessed (:mod:`.mpeg_length`), or
whose frames go on past the length its Info header states (files joined end to end:
:func:`~musicsage.audio.mpeg_spans.frames_past_libsndfile`).

libsndfile reads no further than its guess; FFmpeg goes on from there. Two things made that
takeover bad. FFmpeg decoded from the start of the file, dropping the frames before the guess:
in a 3-hour file whose guess is 30 minutes a seek to 2:30:00 took 15 s. Now the packets before
the place are only counted (their frame headers say how many samples each holds), and decoding
starts :data:`LEAD_FRAMES` before it (a frame's data may begin in the ones before it). And the
two decoders do not count the same audio alike after a join (MP3 files joined end to end:
libsndfile counted 2,304 samples more per join than FFmpeg), so taking FFmpeg's sample at
libsndfile's count skipped 52 ms of music: the last samples libsndfile gave are looked for in
FFmpeg's decode around that place, and playing goes on just after where they match.
"""

from __future__ import annotations

import os
from typing import Callable, Generator, Iterator

import numpy as np

from musicsage.audio.decode import sf_read
from musicsage.audio.mpeg_spans import LEAD_FRAMES, LONGER_BY
from musicsage.decoder_noise import decoder_noise_muted, might_be_noisy
from musicsage.playback.downmix import CHUNK_FRAMES, FloatFrames, _close
from musicsage.playback.mpeg_length import frame_samples
from musicsage.playback.oggtail import seek_exact

MATCH_SAMPLES = 2048
"""How much of libsndfile's last audio is looked for in FFmpeg's decode."""
SEARCH_FRAMES = 12
"""How far (in frames, either side) from libsndfile's count the match is looked for: two
frames a join, so six files joined before the guess."""
MATCH_TOLERANCE = 1e-3
"""The two decoders agree to ~1e-5 on the same frames; other music differs far more."""
SEARCH_SAMPLES = SEARCH_FRAMES * 1152


def past_guess(blocks: Iterator[np.ndarray], path: str, at: int, guess: int,
               opened: Callable[[], tuple], damaged: Callable[[], Exception],
               counted: int | None = None) -> Iterator[np.ndarray]:
    """libsndfile's ``blocks`` (from frame ``at``) of an MP3 whose length it guessed, then,
    where they stop at that guess, FFmpeg's (``opened``: its file, container, header and
    stream, closed here), invalid packets skipped; FFmpeg's too where libsndfile stops more
    than :data:`LONGER_BY` short of the ``counted`` frames (:func:`_stopped_short`: a stream
    that turns from stereo to mono midway, which libsndfile stops at, silently, as if the
    track ended there). Damaged (``damaged()`` raised) only where nothing past the guess
    decoded but those: damage past the guess after good audio is skipped without a word, as
    FFmpeg's own players do (a joined file's tag reads as damage).
    A seek past the guess, or under :data:`MATCH_SAMPLES` before it (too few of libsndfile's
    to match: a tone matches falsely), lands where playing through gets to (:func:`_behind`)."""
    tail = np.zeros((0, 0), np.float32)  # libsndfile's last samples: none before a seek
    try:
        for block in blocks if at < guess else ():
            at += len(block)
            kept = tail if len(tail) else tail.reshape(0, block.shape[1])
            tail = np.concatenate([kept, block[-MATCH_SAMPLES:]])[-MATCH_SAMPLES:]
            yield block
    finally:
        _close(blocks)
    if at < guess and not _stopped_short(at, counted):
        return  # stopped before it: the guess was long, the file ends there
    import av

    if len(tail) < MATCH_SAMPLES:  # a seek just before the guess: too few to match in a tone
        tail = tail[:0]
    where = min(at, guess)  # where libsndfile stopped, or its guess (a seek past it)
    behind = 0 if len(tail) else _behind(path, where, opened)  # (a seek: none played here)
    fh, container, header, stream = opened()
    bad = [0]
    try:
        played = yield from _taken_over(container, stream, header.channels, at - behind, tail,
                                        bad)
    except av.FFmpegError as e:  # not invalid data: the decoder failed (what came is played)
        raise damaged() from e
    finally:
        container.close()
        fh.close()
    if bad[0] and not played:
        raise damaged()


def _stopped_short(at: int, counted: int | None) -> bool:
    """Whether libsndfile, stopped at ``at`` before its guess, stopped short of the frames
    the file holds (``counted``, exact where known): at a change of the stream's channels
    (libmpg123 ends there), not at the end of the audio, which a long guess runs past."""
    return counted is not None and at < counted - LONGER_BY


def _behind(path: str, guess: int, opened: Callable[[], tuple]) -> int:
    """How many samples FFmpeg's count is behind libsndfile's at the guess (2,304 a join
    before it), found as playing through finds it: a seek past the guess landed 52 ms on
    from where playing through had got to at the same time shown."""
    tail = _libsndfile_tail(path, guess)
    if len(tail) < MATCH_SAMPLES:  # none, or cut short where libsndfile stops (a seek just
        return 0  # past a change to mono): matched there, the seek landed at the change
    import av

    fh, container, header, stream = opened()
    try:
        first, head, _rest = _window(container, stream, header.channels, guess, [0])
        return guess - first - _continued_at(head, tail, guess - first)
    except av.FFmpegError:  # damaged there: the seek's own decode says so, if it meets it
        return 0
    finally:
        container.close()
        fh.close()


def _libsndfile_tail(path: str, guess: int) -> np.ndarray:
    """libsndfile's last :data:`MATCH_SAMPLES` before its guess; none where it fails."""
    import soundfile as sf

    muted = might_be_noisy(path)
    try:
        with decoder_noise_muted(muted):
            f = sf.SoundFile(os.fsencode(path))
            with f:
                seek_exact(f, max(0, guess - MATCH_SAMPLES), None)
                return sf_read(f, MATCH_SAMPLES)
    except (RuntimeError, OSError):
        return np.zeros((0, 0), np.float32)


def _window(container, stream, channels: int, at: int,
            bad: list[int]) -> tuple[int, np.ndarray, Iterator[np.ndarray]]:
    """FFmpeg's decode around its sample ``at``: where it starts (the packets before only
    counted), what was decoded up to :data:`SEARCH_SAMPLES` past ``at``, and the rest."""
    packets, rate = container.demux(stream), stream.codec_context.sample_rate
    first = _counted(packets, at - SEARCH_SAMPLES - LEAD_FRAMES * 1152, rate)
    decoded = _decoded(packets, rate, channels, bad)
    window, wanted = [], at - first + SEARCH_SAMPLES + 1
    while sum(map(len, window)) < wanted and (block := next(decoded, None)) is not None:
        window.append(block)
    head = np.concatenate(window) if window else np.zeros((0, channels), np.float32)
    return first, head, decoded


def _taken_over(container, stream, channels: int, at: int, tail: np.ndarray,
                bad: list[int]) -> Generator[np.ndarray, None, int]:
    """FFmpeg's blocks from its sample ``at`` on, just after where ``tail`` matches near it
    (see the module); how many played."""
    first, head, decoded = _window(container, stream, channels, at, bad)
    head = head[_continued_at(head, tail, at - first):]
    played = len(head)
    if played:
        yield head
    pending: list[np.ndarray] = []
    for block in decoded:
        pending.append(block)
        if sum(map(len, pending)) >= CHUNK_FRAMES:
            yield np.concatenate(pending)
            played += sum(map(len, pending))
            pending = []
    if pending:
        yield np.concatenate(pending)
        played += sum(map(len, pending))
    return played


def _counted(packets: Iterator, before: int, rate: int) -> int:
    """Demux (never decode) ``packets`` while the next one starts before sample ``before``,
    counting each frame's samples from its header (an invalid one, a tag: none) at ``rate``,
    what they are decoded at (a frame of another rate, past a change of rate, as long as it
    plays: counted at its own, a seek past the change landed early); returns where the next
    packet starts."""
    at = 0.0
    while at < before:
        packet = next(packets, None)
        if packet is None or not packet.size:
            break  # (the flush packet: the file ends before the place, nothing to play)
        at += frame_samples(bytes(packet)[:4], rate)
    return round(at)


def _decoded(packets: Iterator, rate: int, channels: int,
             bad: list[int]) -> Iterator[np.ndarray]:
    """Each packet decoded on its own, an invalid one skipped (``bad[0]``: how many since the
    last good one): FFmpeg stops at the first, mid-file in joined MP3 files (the next file's
    tag) or at a damaged frame. Every frame comes out at ``rate`` and ``channels``, whatever
    its own (see :func:`_frames_resampled`)."""
    import av

    def frames() -> Iterator:
        for packet in packets:
            try:
                decoded = packet.decode()
            except av.InvalidDataError:
                bad[0] += 1
                continue
            if decoded:
                bad[0] = 0
            yield from decoded

    return _frames_resampled(frames(), rate, channels)


def _frames_resampled(frames: Iterator, rate: int, channels: int) -> Iterator[np.ndarray]:
    """``frames`` as float32 blocks at ``rate`` and ``channels``, the resampler built anew
    where a frame's layout, format or rate changes: a mono file joined to a stereo one
    stopped at the join ("Frame does not match AudioResampler setup")."""
    to_float, setup = None, None
    for frame in frames:
        now = (frame.format.name, frame.layout.name, frame.sample_rate)
        if now != setup:
            yield from _flushed(to_float)
            to_float, setup = FloatFrames(channels, rate), now
        yield from to_float(frame)
    yield from _flushed(to_float)


def _flushed(to_float: FloatFrames | None) -> Iterator[np.ndarray]:
    """What ``to_float`` (None: none yet) still holds."""
    if to_float is not None:
        yield from to_float(None)


def _continued_at(decoded: np.ndarray, tail: np.ndarray, expected: int) -> int:
    """Where in ``decoded`` playing goes on: just after the place within
    :data:`SEARCH_SAMPLES` of ``expected`` where ``tail`` matches it (the nearest one: in
    silence many do), else ``expected``."""
    n = len(tail)
    lo, hi = max(n, expected - SEARCH_SAMPLES), min(len(decoded), expected + SEARCH_SAMPLES)
    if not n or hi < lo or tail.shape[1] != decoded.shape[1]:
        return max(0, min(expected, len(decoded)))
    views = np.lib.stride_tricks.sliding_window_view(decoded[lo - n:hi, 0], n)
    probe = min(n, 64)  # a cheap first look at the start of each place, then the whole tail
    near = np.abs(views[:, :probe] - tail[:probe, 0]).max(axis=1) < MATCH_TOLERANCE
    ends = sorted((lo + int(i) for i in np.flatnonzero(near)), key=lambda e: abs(e - expected))
    for end in ends:
        if np.abs(decoded[end - n:end] - tail).max() < MATCH_TOLERANCE:
            return end
    return max(0, min(expected, len(decoded)))
