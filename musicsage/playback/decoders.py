"""Decoding for playback: a path → a header and blocks of float32 samples at the file's own rate.

:mod:`musicsage.audio.decode` gives mono excerpts at a model's rate, which is not what a
listener wants; here libsndfile streams what it can and FFmpeg (PyAV) the rest (m4a/AAC…).
A decoder opens at any frame (``start=``): the engine keeps only a bound of decoded audio
around the play position, so a seek outside it re-opens the decoder there. Where the audio is
damaged, a decoder delivers every block before the damage, then raises :class:`DamagedAudio`.
A raw AAC (ADTS) file's first open walks all its frame headers for its length
(:mod:`~musicsage.playback.adts_length`: 153 ms for a 1-hour file on a local disk, more on a
slow network share); its later opens, at every seek, use the kept count.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from itertools import chain
from typing import Any, Generator, Iterator, Protocol

import numpy as np

from musicsage.audio.decode import sf_read
from musicsage.audio.mpeg_spans import counted_frames, frames_past_libsndfile
from musicsage.audio.pyav_read import refuse_damaged
from musicsage.decoder_noise import decoder_noise_muted, might_be_noisy
from musicsage.errors import MusicsageError, first_line
from musicsage.library.flac_zeroed import UNKNOWN_FRAMES
from musicsage.library.wav_sizes import unwritten_header
from musicsage.playback.adts_length import counted_frames as adts_counted
from musicsage.playback.downmix import (CHUNK_FRAMES, FloatFrames, _close, _mixed_down,
                                         stereo_matrix)
from musicsage.playback.chained import at_rate, part_blocks
from musicsage.playback.mp3_takeover import past_guess
from musicsage.playback.mpeg_length import length_guessed
from musicsage.playback.not_a_file import is_a_file, not_a_file
from musicsage.playback.oggtail import (Part, PartFile, is_chained, last_page_start, ogg_parts,
                                        seek_exact)
from musicsage.playback.read_stops import (AudioChanged, DamagedAudio, OverwriteWatch,
                                           check_width, damaged, same_width, shown_name,
                                           width_of)
from musicsage.playback.wav_whole import reopened_whole

BLOCK_FRAMES = 65536
SALVAGE_FRAMES = 512
"""After a failed block read, the same stretch is read again in steps this small: a damaged
FLAC's 65,536-frame read fails whole, though all but its last few hundred frames are good."""
_FLOAT_SUBTYPES = {"FLOAT", "DOUBLE"}
"""libsndfile's sample types that can hold NaN/inf; integer ones (PCM, FLAC…) cannot."""
PREROLL_SECONDS = 0.1
"""An FFmpeg seek lands this much early: the decoder's first frame after a seek lacks its
predecessor's overlap; the frames before the target are decoded and dropped."""


@dataclass(frozen=True)
class Header:
    samplerate: int
    channels: int
    frames: int | None  # None when the container does not say


class Decoder(Protocol):
    def __call__(self, path: str, start: int = 0) -> tuple[Header, Iterator[np.ndarray]]: ...


class ChainedOgg(MusicsageError):
    """An Ogg file of several parts one after another (see :func:`is_chained`): libsndfile
    reads only the first, so :func:`default_decoder` plays it part by part
    (:mod:`~musicsage.playback.chained`)."""


def _opened_soundfile(path: str, muted: bool) -> Any:
    """libsndfile's handle on ``path``, refused (and closed) where another reader plays it: a
    chained Ogg file, of which libsndfile reads the first part, and a WAV whose header was
    never written (FFmpeg reads it); one whose header understates its audio is read whole
    (:mod:`~musicsage.playback.wav_whole`)."""
    import soundfile as sf

    with decoder_noise_muted(muted):
        f = sf.SoundFile(os.fsencode(path))  # bytes: undecodable names reach the OS intact
    try:
        if f.format == "OGG" and (f.frames >= UNKNOWN_FRAMES or is_chained(path)):
            raise ChainedOgg(f"{shown_name(path)}: a chained Ogg file (libsndfile reads its "
                             "first part)")
        if f.frames == 0 and f.format in ("WAV", "WAVEX") and unwritten_header(path):
            raise MusicsageError(f"{shown_name(path)}: WAV header never written")  # FFmpeg reads it
    except Exception:
        f.close()
        raise
    return reopened_whole(f, path, muted)  # an understated WAV: all that it holds


def soundfile_blocks(path: str, start: int = 0, *,
                     block_frames: int = BLOCK_FRAMES) -> tuple[Header, Iterator[np.ndarray]]:
    """Stream a file with libsndfile (WAV/FLAC/OGG/Opus/MP3) as float32 (frames, channels),
    from frame ``start`` on. More than two channels are mixed down to stereo, as FFmpeg's
    are (:mod:`~musicsage.playback.downmix`): a stereo sound card refuses six."""
    muted = might_be_noisy(path)
    f = _opened_soundfile(path, muted)
    channels = int(f.channels)
    header = Header(int(f.samplerate), min(channels, 2),
                    int(f.frames) if 0 < f.frames < UNKNOWN_FRAMES else None)
    floats = f.subtype in _FLOAT_SUBTYPES
    width = width_of(f)
    watch = OverwriteWatch(path, width, muted)  # a WAV's new bytes read at the old width

    def blocks() -> Iterator[np.ndarray]:
        at, landed = start, not start
        with f:
            try:
                with decoder_noise_muted(muted):
                    if start:  # exact, MP3 and Ogg Vorbis too; never into a FLAC's zeros
                        _seek(f, path, start)
                landed = True
                while True:
                    with decoder_noise_muted(muted):  # a block at a time: a child may start
                        block = sf_read(f, block_frames)  # not f.read: its seek garbles MP3
                    if len(block) == 0:
                        if header.frames and at < header.frames:  # short: overwritten?
                            watch.short(same_width(path, muted, width))  # caught mid-write?
                        return
                    watch.check()  # before the block: it may hold the new bytes
                    at += len(block)
                    yield finite(block) if floats else block
            except AudioChanged:  # (a RuntimeError too): said as it is, not salvaged
                raise
            except RuntimeError as e:  # libsndfile's read errors: damaged data
                failure = e
        # the frames before the damage, then the error; not after a failed seek (done again)
        clean = landed and (yield from _salvage(path, at, muted, width))
        if not clean:
            raise damaged(path) from failure

    if channels <= 2:
        if f.format == "MP3" and header.frames:
            # the length its frames hold, as the library has it: the guess put the slider's
            # end (and a seek's limit) minutes short of the song's, till playing got there
            guessed = length_guessed(path)
            counted = (counted_frames(path, header.samplerate) if guessed
                       else frames_past_libsndfile(path, header.frames, header.samplerate))
            if guessed or counted:
                return (Header(header.samplerate, header.channels, counted or header.frames),
                        _past_guess(blocks(), path, start, header.frames, counted))
        return header, blocks()
    return header, _mixed_down(blocks(), stereo_matrix(channels, f.format == "OGG"))


def _past_guess(blocks: Iterator[np.ndarray], path: str, at: int, guess: int,
                counted: int | None) -> Iterator[np.ndarray]:
    """:func:`~musicsage.playback.mp3_takeover.past_guess`: FFmpeg goes on where libsndfile
    stops at its guess, or short of the ``counted`` frames (damage past it after good audio
    skipped without a word)."""
    return past_guess(blocks, path, at, guess, lambda: _reopened(path),
                      lambda: damaged(path), counted)


def _seek(f, path: str, start: int) -> None:
    """:func:`sf_seek`, exact in an Ogg Vorbis file's last page too: there libsndfile lands
    late (see :mod:`~musicsage.playback.oggtail`), so it seeks to where that page begins and
    the frames before ``start`` are read and dropped."""
    vorbis = f.format == "OGG" and f.subtype == "VORBIS"
    seek_exact(f, start, last_page_start(path) if vorbis else None)


def finite(block: np.ndarray) -> np.ndarray:
    """``block`` with NaN as silence and ±inf as full scale, in place. A float WAV can hold
    them (a crashed render, a buggy plug-in); NaN times the volume is NaN even muted, and the
    sound card's conversion of NaN to integers is undefined (a click, or a burst of noise)."""
    if not np.isfinite(block).all():  # the cheap check first: real files have none
        np.nan_to_num(block, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    return block


def _salvage(path: str, at: int, muted: bool,
             was: tuple | None = None) -> Generator[np.ndarray, None, bool]:
    """Read again from frame ``at`` in small steps, up to the damage: a failed read returns
    nothing of what it decoded. Returns whether the file then read to its end after all.
    :class:`AudioChanged` where the file opened again is not of ``was`` (``width_of``'s;
    None: not checked): it was overwritten while it played (a read of the new data failed)."""
    import soundfile as sf

    try:
        with decoder_noise_muted(muted):
            f = sf.SoundFile(os.fsencode(path))
        with reopened_whole(f, path, muted) as f:
            check_width(f, path, was)
            with decoder_noise_muted(muted):
                _seek(f, path, at)
            while True:
                with decoder_noise_muted(muted):
                    block = sf_read(f, SALVAGE_FRAMES)
                if len(block) == 0:
                    return True
                yield finite(block)  # rare and small: every block is checked
    except AudioChanged:
        raise
    except (RuntimeError, OSError):
        return False


def pyav_blocks(path: str, start: int = 0, *,
                seekable: bool = True) -> tuple[Header, Iterator[np.ndarray]]:
    """Stream what libsndfile cannot read (m4a/AAC, WMA…) through FFmpeg, at the native rate,
    from frame ``start`` on. More than two channels are downmixed to stereo (what desktop
    outputs expect). Not ``seekable`` (a chained Ogg file not Ogg pages throughout: FFmpeg's
    seek and length cover only its first part): decoded from the start up to ``start``, the
    length left unknown."""
    opened = _pyav_open(path)
    header = opened[2]
    if not seekable:
        header = Header(header.samplerate, header.channels, None)
    return header, _pyav_run(opened, header, start, path, seekable)


def _pyav_open(path: str, part: Part | None = None) -> tuple:
    """(file, container, header, stream) of ``path`` opened by FFmpeg; only ``part`` of it, as
    a file of its own, when given (see :class:`~musicsage.playback.oggtail.PartFile`)."""
    import av

    try:
        fh = open(os.fsencode(path), "rb")  # a file object: FFmpeg cannot take undecodable names
    except OSError as e:
        raise MusicsageError(f"cannot play {shown_name(path)}: {os_reason(e)}") from e
    try:
        if os.fstat(fh.fileno()).st_size == 0:
            raise MusicsageError(f"cannot play {shown_name(path)}: the file is empty")
        if part is not None:
            fh = PartFile(fh, part)
        try:
            container = av.open(fh)
        except av.FFmpegError as e:
            raise MusicsageError(f"cannot play {shown_name(path)}: {_ffmpeg_open_reason(e)}") from e
        try:
            header, stream = _pyav_header(container, path)
        except Exception:
            container.close()
            raise
    except Exception:
        fh.close()
        raise
    return fh, container, header, stream


def _reopened(path: str, part: Part | None = None) -> tuple:
    """:func:`_pyav_open` of a file that is playing, by FFmpeg part-way (an MP3 past
    libsndfile's guess, a chained Ogg's next part): one gone since is :class:`AudioGone`, a
    read's failure, which the engine says after "cannot play NAME past M:SS: " — it said
    "cannot play s.mp3 past 0:13: cannot play s.mp3: file not found"."""
    try:
        return _pyav_open(path, part)
    except MusicsageError as e:
        if not os.path.isfile(path):
            raise damaged(path) from e
        raise


def _pyav_run(opened: tuple, header: Header, start: int, path: str,
              seekable: bool = True) -> Iterator[np.ndarray]:
    """The blocks of what :func:`_pyav_open` opened, at ``header``'s rate and channels; the
    file and container closed at the end, or when this is closed."""
    _fh, container, _own, stream = opened
    try:
        yield from _pyav_decode(container, stream, header, start, path, seekable)
    finally:
        _pyav_close(opened)


def _pyav_close(opened: tuple) -> None:
    """Close what :func:`_pyav_open` opened: the container, then the file under it."""
    opened[1].close()
    opened[0].close()


def _pyav_header(container, path: str) -> tuple[Header, object]:
    """The header of the container's first audio stream, in words a listener reads when there
    is none or FFmpeg has no decoder for it."""
    if not container.streams.audio:
        raise MusicsageError(f"cannot play {shown_name(path)}: the file has no audio")
    stream = container.streams.audio[0]
    ctx = stream.codec_context
    if ctx is None:  # FFmpeg knows the container but not the codec
        raise MusicsageError(f"cannot play {shown_name(path)}: its audio codec is not supported")
    sr = int(ctx.sample_rate or 0)
    if sr <= 0:
        raise MusicsageError(f"cannot play {shown_name(path)}: not a readable audio file")
    channels = 1 if (ctx.channels or 1) == 1 else 2
    frames = None
    if stream.duration and stream.time_base:
        frames = int(stream.duration * stream.time_base * sr)
    elif container.duration:
        frames = int(container.duration / 1_000_000 * sr)
    if container.format.name == "aac":  # raw ADTS: FFmpeg's is a bit rate's guess
        frames = adts_counted(path, sr) or frames
    return Header(sr, channels, frames), stream


def _pyav_decode(container, stream, header: Header, start: int, path: str,
                 seekable: bool = True) -> Iterator[np.ndarray]:
    """Blocks from frame ``start`` exactly: FFmpeg seeks a little early, and the samples before
    ``start`` (known from the first frame's time stamp) are dropped. A frame that is damage
    (:func:`~musicsage.audio.pyav_read.refuse_damaged`), or that the resampler set up for the
    frames before it refuses, ends the blocks as FFmpeg's decode errors do: the ones before it
    delivered, then :class:`DamagedAudio` (it said "Frame does not match AudioResampler
    setup." and dropped them)."""
    import av

    channels, sr = header.channels, header.samplerate
    ctx = stream.codec_context  # the stream's own count, which a damaged frame's claim is not
    stream_channels = int(ctx.channels or ctx.layout.nb_channels or 0)
    to_float = FloatFrames(channels, sr)  # surround mixed down as libsndfile's is
    origin = stream.start_time or 0
    frames: Iterator = container.decode(stream)
    drop: int | None = start  # samples before ``start`` still to drop; None: known at 1st frame
    if start and stream.time_base and seekable:
        opening = _opening_frame(frames)
        if opening is not None and opening.pts is not None:
            origin = opening.pts  # where playing from the start begins (see _opening_frame)
        try:
            target = max(0.0, start / sr - PREROLL_SECONDS)
            container.seek(int(target / stream.time_base) + origin, stream=stream, backward=True)
            frames, drop = container.decode(stream), None
        except av.FFmpegError:  # not seekable: decode from the start, dropping ``start``
            frames = container.decode(stream) if opening is None else chain([opening], frames)
    pending: list[np.ndarray] = []
    try:
        for frame in chain(frames, [None]):  # None: flush the resampler
            if drop is None:
                first = None if frame is None or frame.pts is None else round(
                    (frame.pts - origin) * stream.time_base * sr)
                drop = 0 if first is None else max(0, start - first)
            if frame is not None:  # before its planes are looked at (see pyav_read)
                refuse_damaged(frame, stream_channels, frame.time or 0.0)
            for block in to_float(frame):
                cut = min(drop, len(block))
                drop -= cut
                if cut < len(block):  # not the empty rest of a dropped frame: a seek from
                    pending.append(block[cut:])  # the start summed a list of them per frame
            if sum(map(len, pending)) >= CHUNK_FRAMES:
                yield finite(np.concatenate(pending))  # FFmpeg decodes PCM_F32 as it is
                pending = []
    except (av.FFmpegError, ValueError) as e:  # (DamagedFrame is a ValueError, as PyAV's is)
        if pending:
            yield finite(np.concatenate(pending))
        raise damaged(path) from e
    if pending:
        yield finite(np.concatenate(pending))


def _opening_frame(frames: Iterator) -> Any:
    """The first frame ``frames`` decodes from the start of the file, None where it fails.
    Its time stamp, not the stream's start time, is where playing from the start begins: a
    WMA decoder's first frame comes out two packets in, stamped 93 ms on, so a seek placed by
    the start time landed 93 ms early against the position the player showed."""
    import av

    try:
        return next(iter(frames), None)
    except av.FFmpegError:  # a damaged start: the start time it is (the target may be fine)
        return None


def chained_blocks(path: str, start: int = 0) -> tuple[Header, Iterator[np.ndarray]]:
    """A chained Ogg file, part by part (:mod:`~musicsage.playback.chained`): the first part's
    rate and channels, every part's length added up."""
    parts = ogg_parts(path)
    if not parts:  # not Ogg pages throughout: FFmpeg from the start, dropping up to ``start``
        return pyav_blocks(path, start, seekable=False)
    first = _pyav_open(path, parts[0])
    _pyav_close(first)
    parts = at_rate(parts, first[2].samplerate)
    header = Header(first[2].samplerate, first[2].channels, sum(p.frames for p in parts))

    def ffmpeg(part: Part, at: int) -> Iterator[np.ndarray]:
        return _pyav_run(_reopened(path, part), header, at, path, seekable=False)

    def blocks() -> Iterator[np.ndarray]:
        try:
            yield from part_blocks(path, parts, start, header.samplerate, header.channels,
                                   ffmpeg)
        except DamagedAudio:
            raise
        except RuntimeError as e:  # libsndfile's read errors: damaged data
            raise damaged(path) from e

    return header, blocks()


def _ffmpeg_open_reason(exc: Exception) -> str:
    """FFmpeg's refusal to open a file, without its errno and the path as bytes."""
    import av

    if isinstance(exc, (av.InvalidDataError, av.ArgumentError)):  # (a damaged Monkey's Audio
        return "not a readable audio file (damaged, or not audio?)"  # header: "Invalid argument")
    if isinstance(exc, av.EOFError):
        return "the file is cut short"
    if isinstance(exc, av.FFmpegError) and exc.strerror:
        return str(exc.strerror)
    return first_line(exc)


def os_reason(exc: OSError) -> str:
    """An OS error on the file in words, without the path (the message names the file)."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (the file is not readable; give your user read access to it)"
    if exc.errno == errno.ENOENT:
        return "file not found"
    return exc.strerror or first_line(exc)


def default_decoder(path: str, start: int = 0) -> tuple[Header, Iterator[np.ndarray]]:
    if not is_a_file(path):  # a folder, a pipe (opening it waited for ever), a loop…
        raise not_a_file(path)
    try:
        return soundfile_blocks(path, start)
    except ChainedOgg:  # part by part, each opened as a file of its own
        return chained_blocks(path, start)
    except Exception:  # libsndfile refused the format
        return pyav_blocks(path, start)
