"""Audio files → mono float32 excerpts at a model's sample rate.

Pure functions with an explicit target rate. libsndfile (``soundfile``) reads WAV, FLAC, OGG,
Opus and MP3 and seeks sample-exactly (an MP3 with a pre-roll, :func:`sf_seek`; its reads go
through :func:`sf_read`, which the player uses too); PyAV (FFmpeg) reads the rest, and an MP3
holding more than libsndfile reads (joined files, no length header: :mod:`.mpeg_spans`) and a
WAV holding more than its header states (:data:`WAV_TAIL`). A raw AAC file's length is its
frames' count (:mod:`~musicsage.library.adts_frames`), not FFmpeg's guess from its bit rate. Only
the requested spans are read: a decoder seeks to each span's start and stops at its end, so
memory stays bounded by the spans' length whatever the file's length (a 2-hour mix costs the
same as a 3-minute song when the frame policy wants three 8-s excerpts).

Channels are mixed down by averaging; resampling uses soxr (high quality). Every failure to
read a file — missing, unsupported, corrupt, truncated before any audio — raises
:class:`DecodeError`, a :class:`MusicsageError`, so callers record a per-track error and go on.

Paths are OS paths: a ``str`` (file names that are not valid UTF-8 carry their raw bytes as
``surrogateescape`` code points, as ``os.listdir`` and ``sys.argv`` give them), ``bytes`` or a
``Path``. A path stored in the library DB is turned into this form by
:func:`musicsage.library.paths.to_fs` first. Such names reach libsndfile as bytes and PyAV as
an open file object, since neither can encode the escaped code points itself; messages show
undecodable bytes as U+FFFD (they end up in the DB and on terminals, which need valid text).
"""

from __future__ import annotations

import math
import os
import stat
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from musicsage.audio import damage, mpeg_spans, pyav_read
from musicsage.audio.dsp import BlockResampler, resample, to_mono  # (still decode.to_mono, …)
from musicsage.audio.pyav_read import SEEK_PREROLL_S  # (still decode.SEEK_PREROLL_S)
from musicsage.decoder_noise import decoder_noise_muted, might_be_noisy
from musicsage.errors import AUDIO_ENDS_EARLY, MusicsageError, decoder_reason, first_line
from musicsage.library import adts_frames, wav_tail
from musicsage.library.flac_zeroed import UNKNOWN_FRAMES
from musicsage.library.paths import shown
from musicsage.library.wav_sizes import unwritten_header

Span = tuple[float, float]  # (start_s, length_s)
MPEG_SEEK_PREROLL_S = 1.0
"""The same as :data:`SEEK_PREROLL_S` (PyAV's) for libsndfile's MP3 seek (libmpg123). After
it, libmpg123's output is wrong until its bit reservoir is whole again: 0.1 s later for a
stereo 44.1-kHz file, but up to 0.5 s in mono 16/22.05-kHz files (measured), where 0.2 s left
one seek in three wrong."""
WAV_TAIL = "pyav-wav-tail"
""":attr:`AudioInfo.backend` of a WAV holding audio past its ``data`` chunk's stated end
(:mod:`~musicsage.library.wav_tail`): FFmpeg reads it to its end (``ignore_length``), where
libsndfile stops at the header's length."""


class DecodeError(MusicsageError):
    """A file could not be decoded (the message names the file and the reason)."""


class DecodeMemoryError(DecodeError):
    """The memory ran out holding a file's excerpts (a long one asked of a long track): no
    fault of the file's, yet still one track's failure (a :class:`MusicsageError`, which
    ``tags --library`` and ``embed`` record and go on), not a crash of the whole run."""


def out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is a real allocation failure (numpy's, soxr's). FFmpeg's ENOMEM, which
    PyAV raises as ``av.error.MemoryError`` (a ``MemoryError`` too), is left out: FFmpeg
    returns it for some damaged files (a packet size of 4 GiB), which are to be replaced."""
    if isinstance(exc, DecodeMemoryError):
        return True
    if not isinstance(exc, MemoryError):
        return False
    av_error = sys.modules.get("av.error")  # an FFmpeg error exists only once PyAV is loaded
    return av_error is None or not isinstance(exc, av_error.FFmpegError)


@dataclass(frozen=True)
class AudioInfo:
    """What a decoder reports about a file before reading samples."""

    path: str
    duration_s: float | None  # None when the container does not say
    sample_rate: int
    channels: int
    backend: str  # "soundfile" | "pyav" | "ffmpeg-mpeg" (mpeg_spans.BACKEND) | WAV_TAIL


# --- public API -----------------------------------------------------------------------------


def probe(path: str | bytes | os.PathLike) -> AudioInfo:
    """Duration, rate and channels of ``path`` (soundfile first, PyAV fallback)."""
    p = _existing(path)
    try:
        with decoder_noise_muted(might_be_noisy(p)):
            return _sf_probe(p)
    except _NotForSoundfile:
        pass
    return _av_probe(p)


def read_spans(path: str | bytes | os.PathLike, spans: Sequence[Span], *, sr: int,
               info: AudioInfo | None = None) -> list[np.ndarray]:
    """Mono float32 excerpts of ``path`` at ``sr`` Hz, one per span (empty spans dropped).

    Spans past the end of the audio are clipped: a file whose header counts only what it
    holds (a WAV cut short) yields that. Raises :class:`DecodeError` when no span yields any
    audio, and when a span meets data the decoder cannot read — a FLAC or MP3 cut short
    (its header still counts the whole track) or damaged inside: such a file is reported,
    not embedded from the part before the damage, which would hide that it is broken.
    """
    p = _existing(path)
    info = info or probe(p)
    try:
        rate = info.sample_rate
        if info.backend == "soundfile":  # resampled as read: already at ``sr``
            with decoder_noise_muted(might_be_noisy(p)):
                raw, rate = _sf_read_spans(p, spans, info, sr), sr
        elif info.backend == mpeg_spans.BACKEND:  # more than libsndfile reads (the module)
            raw = mpeg_spans.read(p, _sample_ranges(spans, info.sample_rate, None))
        else:
            raw = _av_read_spans(p, spans, info)
    except DecodeError:
        raise
    except Exception as exc:  # decoder libraries raise many types for corrupt data
        if out_of_memory(exc):  # no memory for the spans: no fault of the file's
            raise _memory_error(p) from exc
        raise DecodeError(f"{_name(p)}: {damage.described(p, info, exc, _describe)}") from exc
    try:
        out = [resample(x, rate, sr) for x in raw if x.size]
    except MemoryError as exc:
        raise _memory_error(p) from exc
    if not out:  # a WAV whose header was never written: "truncated" hid that its audio is there
        why = unwritten_header(str(p)) or "no audio could be decoded (empty or truncated file)"
        raise DecodeError(f"{_name(p)}: {why}")
    return out


def memory_per_second(info: AudioInfo) -> float:
    """Bytes a second of a span costs at most while :func:`read_spans` decodes it, about.
    libsndfile's path resamples a block at a time as it reads (the output, at the model's rate,
    is the model's share). PyAV's path holds a span at the file's rate, every channel in
    pieces and joined (8 B a frame a channel), and its mix-down: measured, 13 B a frame for
    mono 48 kHz AAC, 21 B for stereo 44.1 kHz (the MPEG path's pieces are mono: less)."""
    if info.backend == "soundfile":
        return 0.0
    return (8.0 * max(1, info.channels) + 8.0) * info.sample_rate


def read_span(path: str | bytes | os.PathLike, start_s: float, length_s: float, *, sr: int,
              info: AudioInfo | None = None) -> np.ndarray:
    """One excerpt (see :func:`read_spans`)."""
    return read_spans(path, [(start_s, length_s)], sr=sr, info=info)[0]


def load(path: str | bytes | os.PathLike, *, sr: int, max_seconds: float | None = None) -> np.ndarray:
    """The whole file (or its first ``max_seconds``) as one mono array at ``sr``; for tools
    and tests (the embed job reads spans chosen by the embedder instead)."""
    info = probe(path)
    length = max_seconds if max_seconds is not None else (info.duration_s or 24 * 3600.0)
    return read_spans(path, [(0.0, length)], sr=sr, info=info)[0]


# --- soundfile backend ----------------------------------------------------------------------


class _NotForSoundfile(Exception):
    """libsndfile cannot open this file; try PyAV."""


def _sf_probe(p: Path) -> AudioInfo:
    import soundfile as sf

    try:
        i = sf.info(os.fsencode(p))
    except Exception as exc:
        raise _NotForSoundfile() from exc
    if i.samplerate <= 0 or i.channels <= 0:
        raise _NotForSoundfile()
    frames = i.frames if 0 < i.frames < UNKNOWN_FRAMES else damage.unstated_frames(p, i)
    duration = frames / i.samplerate if frames else None
    info = AudioInfo(str(p), duration, int(i.samplerate), int(i.channels), "soundfile")
    if i.format.startswith("WAV") and (tail := wav_tail.unstated_tail_seconds(str(p))):
        return replace(info, duration_s=(duration or 0.0) + tail, backend=WAV_TAIL)
    return mpeg_spans.past_libsndfile(info, frames) if i.format == "MP3" else info


def _sf_read_spans(p: Path, spans: Sequence[Span], info: AudioInfo, sr: int) -> list[np.ndarray]:
    """Each span's samples, mono at ``sr``."""
    import soundfile as sf

    out = []
    with sf.SoundFile(os.fsencode(p)) as f:
        total = f.frames if 0 < f.frames < UNKNOWN_FRAMES else None
        at = 0  # the read position, counted here: ``f.tell()`` is a seek, which MP3 cannot spare
        for start, n in _sample_ranges(spans, info.sample_rate, total):
            if f.seekable():
                sf_seek(f, start)
            else:  # not seekable: read and drop, one block at a time (bounded memory)
                _sf_skip(f, start - at)
            data, got = _sf_read_all(f, n, BlockResampler(
                info.sample_rate, sr, n if total is not None else None))
            if total is not None and got < n // 2:  # counted, not there: cut since
                raise DecodeError(f"{_name(p)}: {AUDIO_ENDS_EARLY}")
            at = start + got
            out.append(data)
    return out


def sf_seek(f, start: int) -> None:
    """Move soundfile ``f`` to frame ``start`` so that the next :func:`sf_read` gives exactly
    the samples a decode from the start gives there. libmpg123 restarts decoding where an MP3
    seek lands: its first ~100 ms came out silent, then wrong, so an MPEG file is sought
    ``MPEG_SEEK_PREROLL_S`` early and the samples before ``start`` are read and dropped.
    A file libsndfile cannot seek in (GSM 6.10, G.721 WAV) is read forward to ``start``
    instead: on a file just opened, as the player's decoders call this, that lands there too."""
    if not f.seekable():
        _sf_skip(f, start)
        return
    damage.refuse_zeroed_seek(f, start)  # a FLAC's zeros: not libFLAC's search of them
    mpeg = f.format == "MP3"  # libsndfile's MPEG major format (layers I–III), whatever the name
    early = min(start, round(MPEG_SEEK_PREROLL_S * f.samplerate) if mpeg
                else damage.seek_lead(f, start))  # (a FLAC of no stated length: one)
    f.seek(start - early)
    _sf_skip(f, early)


def sf_read(f, frames: int) -> np.ndarray:
    """Up to ``frames`` float32 frames ``(n, channels)`` from where soundfile ``f`` is.

    Not ``f.read``: python-soundfile ends every read with a seek to where the read stopped,
    and libsndfile hands an MP3's seek to libmpg123, which restarts decoding there — each
    read after the first began with a stretch of wrong samples (a garble every 1.5 s in the
    player). libsndfile's own read keeps the decoder going; its errors raise as ``f.read``'s
    do (``soundfile.LibsndfileError``, a ``RuntimeError``)."""
    import soundfile as sf

    try:  # python-soundfile's own names (0.10–0.14): a release without them reads as before
        readf, cast, check = sf._snd.sf_readf_float, sf._ffi.cast, sf._error_check
        handle, error = f._file, sf._snd.sf_error
    except AttributeError:
        return f.read(max(0, frames), dtype="float32", always_2d=True)
    out = np.empty((max(0, frames), f.channels), np.float32)
    got = readf(handle, cast("float *", out.ctypes.data), len(out))
    if (code := error(handle)) and not damage.past_last_frame(f, code):  # (a FLAC's padding)
        check(code)  # after the read: the error it left
    return out[:got]


def _sf_read_all(f, n: int, into: BlockResampler,
                 block: int = 1 << 16) -> tuple[np.ndarray, int]:
    """``n`` frames (fewer at the end) mixed down to mono and resampled ``into`` the model's
    rate, a block at a time, and how many frames were read: a length the header did not
    bound (no frame count) costs memory only for what the file holds, a long excerpt of a
    5.1 file is never held in its six channels at once, nor a long one at the file's rate."""
    got = 0
    while n > 0:
        part = sf_read(f, min(n, block))
        if len(part) == 0:
            break
        into.add(to_mono(part))
        got += len(part)
        n -= len(part)
    return into.finish(), got


def _sf_skip(f, n: int, block: int = 1 << 16) -> None:
    while n > 0:
        got = len(sf_read(f, min(n, block)))
        if got == 0:
            return
        n -= got


# --- PyAV backend ---------------------------------------------------------------------------


class _AvContainer:
    """A PyAV container read from an open file object (FFmpeg takes a UTF-8 path, which a
    name with undecodable bytes cannot be), closing both together."""

    def __init__(self, p: Path, options: dict[str, str] | None = None) -> None:
        import av

        self._file = open(os.fsencode(p), "rb")
        try:
            self._container = av.open(self._file, mode="r", options=options or {})
        except BaseException:
            self._file.close()
            raise

    def __getattr__(self, name: str):
        return getattr(self._container, name)

    def close(self) -> None:
        try:
            self._container.close()
        finally:
            self._file.close()


def _av_open(p: Path, options: dict[str, str] | None = None):
    try:
        container = _AvContainer(p, options)
    except Exception as exc:
        raise DecodeError(f"{_name(p)}: not a readable audio file ({_describe(exc)})") from exc
    if not container.streams.audio:
        container.close()
        raise DecodeError(f"{_name(p)}: no audio stream")
    return container


def _av_open_for(p: Path, info: AudioInfo):
    """:func:`_av_open` as ``info`` says to read ``p``: a :data:`WAV_TAIL` to its end."""
    return _av_open(p, {"ignore_length": "1"}) if info.backend == WAV_TAIL else _av_open(p)


def _av_probe(p: Path) -> AudioInfo:
    container = _av_open(p)
    try:
        return _av_info(p, container)
    except DecodeError:
        raise
    except Exception as exc:
        raise DecodeError(f"{_name(p)}: not a readable audio file ({_describe(exc)})") from exc
    finally:
        container.close()


def _av_info(p: Path, container) -> AudioInfo:
    """Rate, channels and duration from the first audio stream's headers."""
    stream = container.streams.audio[0]
    ctx = stream.codec_context
    duration = None
    if stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / 1_000_000  # av.time_base is microseconds
    if container.format.name == "aac":  # raw ADTS: FFmpeg's length is a bit rate's guess
        duration = _adts_seconds(p, duration)
    rate = int(ctx.sample_rate or stream.sample_rate or 0)
    channels = int(getattr(ctx, "channels", 0) or len(ctx.layout.channels) or 0)
    if rate <= 0 or channels <= 0:
        raise DecodeError(f"{_name(p)}: not a readable audio file (no sample rate or channels)")
    return AudioInfo(str(p), duration if duration and duration > 0 else None, rate,
                     channels, "pyav")


def _adts_seconds(p: Path, guess: float | None) -> float | None:
    """The length of the raw AAC file ``p`` counted from its frame headers
    (:mod:`~musicsage.library.adts_frames`), or FFmpeg's ``guess`` where they cannot be."""
    counted = adts_frames.counted_length(p)
    return counted[0] / counted[1] if counted and counted[0] else guess


def _av_read_spans(p: Path, spans: Sequence[Span], info: AudioInfo) -> list[np.ndarray]:
    """Decode each span: seek (keyframe before the start), decode, cut to exact samples."""
    sr = info.sample_rate
    container = _av_open_for(p, info)
    out = []
    try:
        stream = container.streams.audio[0]
        for start, n in _sample_ranges(spans, sr, None):
            try:
                out.append(pyav_read.read_range(container, stream, start, n, sr, seek=True,
                                                channels=info.channels))
            except pyav_read.Unseekable:
                container.close()
                container = _av_open_for(p, info)
                stream = container.streams.audio[0]
                out.append(pyav_read.read_range(container, stream, start, n, sr, seek=False,
                                                channels=info.channels))
    finally:
        container.close()
    return out


# --- helpers --------------------------------------------------------------------------------


def _sample_ranges(spans: Iterable[Span], sr: int, total: int | None) -> list[tuple[int, int]]:
    """Spans in seconds → (start_sample, n_samples), clipped to ``total``, empty ones dropped."""
    ranges = []
    for start_s, length_s in spans:
        if not (math.isfinite(start_s) and math.isfinite(length_s)) or length_s <= 0:
            continue
        start = max(0, int(round(start_s * sr)))
        n = int(round(length_s * sr))
        if total is not None:
            n = min(n, total - start)
        if n > 0:
            ranges.append((start, n))
    return ranges


def _existing(path: str | bytes | os.PathLike) -> Path:
    """``path`` when it is a regular file; else what it is, in one line. A FIFO, a device or
    a socket exists but is no file to decode ("file not found" misled), and opening a FIFO to
    read it would block until a writer came: only ``stat`` looks at it, it is never opened.
    A file that ``stat`` cannot reach (a folder on its way without permission) is said as such:
    ``Path.is_file`` raised the ``PermissionError``, and ``embed`` printed its traceback."""
    p = Path(os.fsdecode(path))
    try:
        st = os.stat(p)
    except (FileNotFoundError, NotADirectoryError):
        raise DecodeError(f"{shown(p)}: file not found") from None
    except OSError as exc:
        raise DecodeError(f"{shown(p)}: cannot reach the file "
                          f"({exc.strerror or type(exc).__name__})") from None
    if not stat.S_ISREG(st.st_mode):
        what = ("a folder, not an audio file" if stat.S_ISDIR(st.st_mode) else
                "not a regular file (a FIFO, device or socket), not an audio file")
        raise DecodeError(f"{shown(p)}: {what}")
    if st.st_size == 0:  # said as the scan says it, not as FFmpeg's "Invalid data found"
        raise DecodeError(f"{shown(p)}: empty file")
    return p


def _name(p: Path) -> str:
    return shown(p.name)


def _memory_error(p: Path) -> DecodeMemoryError:
    return DecodeMemoryError(f"{_name(p)}: not enough memory to decode its audio (the file is "
                             "not damaged)")


def _describe(exc: BaseException) -> str:
    """The decoder's reason, without what the message already says: FFmpeg's and the OS's
    errors carry an errno and the path ("[Errno 1094995529] Invalid data … 'b'/x/y.md''"),
    of which only ``strerror`` is news."""
    reason = getattr(exc, "strerror", None)
    return decoder_reason((reason if isinstance(reason, str) and reason else first_line(exc))[:200])
