"""Audio playback core, free of Qt: decode on a thread, feed a sound-card callback, seek exactly.

Why not a media framework: the app only needs play/pause/seek of local files, and owning the
sample buffer is what makes seeking exact (position after a seek is the requested sample) and
lets tests replace the sound card with a fake stream that pulls the callback and records what
it would have played.

Shape:
- a *decoder* turns a path into a header (sample rate, channels, frames if known) and blocks of
  float32 samples at the file's own rate (``musicsage.audio.decode`` gives mono excerpts at a
  model's rate, which is not what a listener wants): :func:`soundfile_blocks` streams with
  libsndfile, :func:`pyav_blocks` with FFmpeg for the rest (m4a/AAC…);
- :class:`PlaybackEngine` decodes on a background thread into one buffer (playback can start as
  soon as the first block is there), and its ``callback`` — called by the output stream on the
  audio thread — copies from the buffer at the current position, scaled by the volume;
- an output stream comes from a *stream factory* ``factory(samplerate, channels, callback)``
  returning an object with ``start()``, ``stop()`` and ``close()``; the default one wraps
  ``sounddevice.OutputStream``. :func:`probe_output` says why playback cannot work (no
  PortAudio, no output device) so a front end can disable its player with that reason.

The front end polls ``position`` (a timer); nothing here calls back into the GUI.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.library.paths import shown

log = logging.getLogger(__name__)

BLOCK_FRAMES = 65536
FALLBACK_RATES = (48000, 44100)


class PlaybackUnavailable(MusicsageError):
    """No way to output sound here (no PortAudio library, no output device)."""


class OutputStream(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...


Callback = Callable[[np.ndarray, int, Any, Any], None]
StreamFactory = Callable[[int, int, Callback], OutputStream]


@dataclass(frozen=True)
class Header:
    samplerate: int
    channels: int
    frames: int | None  # None when the container does not say


Decoder = Callable[[str], tuple[Header, Iterator[np.ndarray]]]


# --- output device -------------------------------------------------------------------------


def probe_output() -> str | None:
    """None when sound can be played, else a one-line reason a user can act on."""
    try:
        import sounddevice as sd
    except OSError as e:  # sounddevice raises OSError when libportaudio is missing
        return (f"playback disabled: the PortAudio library is missing ({e}); "
                "install it (Debian/Ubuntu: apt install libportaudio2)")
    except ImportError as e:
        return f"playback disabled: the sounddevice package is missing ({e})"
    try:
        sd.query_devices(kind="output")
    except Exception as e:  # PortAudioError / ValueError when there is no default output
        return f"playback disabled: no audio output device ({e})"
    return None


def sounddevice_stream(samplerate: int, channels: int, callback: Callback) -> OutputStream:
    """The real output: a PortAudio stream that pulls ``callback`` on its audio thread."""
    try:
        import sounddevice as sd
    except OSError as e:
        raise PlaybackUnavailable(f"PortAudio library missing: {e}") from e
    try:
        return sd.OutputStream(samplerate=samplerate, channels=channels, dtype="float32",
                               callback=callback)
    except Exception as e:
        raise PlaybackUnavailable(f"cannot open the audio output at {samplerate} Hz: {e}") from e


# --- decoding ------------------------------------------------------------------------------


def soundfile_blocks(path: str, *, block_frames: int = BLOCK_FRAMES) -> tuple[Header, Iterator[np.ndarray]]:
    """Stream a file with libsndfile (WAV/FLAC/OGG/Opus/MP3) as float32 (frames, channels)."""
    import soundfile as sf

    f = sf.SoundFile(os.fsencode(path))  # bytes: names with undecodable bytes reach the OS intact
    header = Header(int(f.samplerate), int(f.channels), int(f.frames) if f.frames > 0 else None)

    def blocks() -> Iterator[np.ndarray]:
        with f:
            while True:
                block = f.read(block_frames, dtype="float32", always_2d=True)
                if len(block) == 0:
                    return
                yield block

    return header, blocks()


def pyav_blocks(path: str) -> tuple[Header, Iterator[np.ndarray]]:
    """Stream what libsndfile cannot read (m4a/AAC, WMA…) through FFmpeg, at the native rate.

    More than two channels are downmixed to stereo (what desktop outputs expect).
    """
    import av

    fh = open(os.fsencode(path), "rb")  # a file object: FFmpeg cannot take undecodable names
    try:
        container = av.open(fh)
        stream = container.streams.audio[0]
    except Exception as e:
        fh.close()
        raise MusicsageError(f"cannot play {_name(path)}: {e}") from e
    sr = int(stream.rate or stream.codec_context.sample_rate or 0)
    if sr <= 0:
        container.close()
        fh.close()
        raise MusicsageError(f"cannot play {_name(path)}: not a readable audio file")
    channels = 1 if (stream.channels or 1) == 1 else 2
    frames = None
    if stream.duration and stream.time_base:
        frames = int(stream.duration * stream.time_base * sr)
    elif container.duration:
        frames = int(container.duration / 1_000_000 * sr)
    resampler = av.AudioResampler(format="flt", layout="mono" if channels == 1 else "stereo", rate=sr)

    def blocks() -> Iterator[np.ndarray]:
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1, channels)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1, channels)
        finally:
            container.close()
            fh.close()

    return Header(sr, channels, frames), blocks()


def _name(path: str) -> str:
    return shown(os.path.basename(path))


def default_decoder(path: str) -> tuple[Header, Iterator[np.ndarray]]:
    try:
        return soundfile_blocks(path)
    except Exception as first:  # libsndfile refused the format
        if not Path(path).is_file():
            raise MusicsageError(f"file not found: {shown(path)}") from first
        return pyav_blocks(path)


def _resampled(blocks: Iterator[np.ndarray], src: int, dst: int, channels: int) -> Iterator[np.ndarray]:
    import soxr

    rs = soxr.ResampleStream(src, dst, channels, dtype="float32")
    for block in blocks:
        out = rs.resample_chunk(block)
        if len(out):
            yield out
    tail = rs.resample_chunk(np.zeros((0, channels), np.float32), last=True)
    if len(tail):
        yield tail


# --- the engine ----------------------------------------------------------------------------


class _Buffer:
    """Decoded samples so far; grows when the header's frame count was wrong or absent."""

    def __init__(self, channels: int, expected: int | None) -> None:
        self.data = np.zeros((max(expected or 0, BLOCK_FRAMES), channels), np.float32)
        self.available = 0
        self.expected = expected
        self.complete = False

    def append(self, block: np.ndarray) -> None:
        need = self.available + len(block)
        if need > len(self.data):
            grown = np.zeros((max(need, 2 * len(self.data)), self.data.shape[1]), np.float32)
            grown[: self.available] = self.data[: self.available]
            self.data = grown  # reader holds the engine lock while swapping
        self.data[self.available:need] = block
        self.available = need

    @property
    def frames(self) -> int:
        """Best known length: exact once decoding is complete."""
        if self.complete or self.expected is None:
            return self.available
        return max(self.expected, self.available)


class PlaybackEngine:
    """One track at a time: load → play/pause/stop/seek; ``callback`` feeds the sound card.

    States: ``empty``, ``loading`` (header not known yet), ``stopped``, ``playing``,
    ``paused``, ``ended``, ``error`` (``error`` holds the message).
    """

    def __init__(self, *, stream_factory: StreamFactory | None = None,
                 decoder: Decoder | None = None) -> None:
        self._factory = stream_factory or sounddevice_stream
        self._decoder = decoder or default_decoder
        self._lock = threading.RLock()
        self._buffer: _Buffer | None = None
        self._stream: OutputStream | None = None
        self._stream_running = False
        self._pos = 0
        self._volume = 1.0
        self._samplerate = 0
        self._generation = 0  # a newer load() makes older decode threads stop
        self._autoplay = False
        self.state = "empty"
        self.error = ""
        self.path: str | None = None

    # -- properties (any thread) --------------------------------------------------------
    @property
    def samplerate(self) -> int:
        return self._samplerate

    @property
    def position(self) -> int:
        """Frames played (or, after a seek, the requested frame)."""
        return self._pos

    @property
    def duration(self) -> int:
        return self._buffer.frames if self._buffer else 0

    @property
    def position_seconds(self) -> float:
        return self._pos / self._samplerate if self._samplerate else 0.0

    @property
    def duration_seconds(self) -> float:
        return self.duration / self._samplerate if self._samplerate else 0.0

    @property
    def decoded_frames(self) -> int:
        return self._buffer.available if self._buffer else 0

    @property
    def decoding_complete(self) -> bool:
        return bool(self._buffer and self._buffer.complete)

    @property
    def volume(self) -> float:
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        self._volume = float(min(1.0, max(0.0, value)))

    # -- control (GUI thread) --------------------------------------------------------------
    # Stream start/stop/close run *outside* the lock: PortAudio's stop waits for the callback,
    # which takes the lock, so holding it there would deadlock.

    def load(self, path: str | Path, *, autoplay: bool = False) -> None:
        """Start decoding ``path`` on a background thread; playback may begin right away."""
        with self._lock:
            old = self._detach_stream()
            self._generation += 1
            gen = self._generation
            self._buffer = None
            self._pos = 0
            self._samplerate = 0
            self._autoplay = autoplay
            self.path = str(path)
            self.state = "loading"
            self.error = ""
        self._shut(old)
        threading.Thread(target=self._decode, args=(str(path), gen), name="musicsage-decode",
                         daemon=True).start()

    def play(self) -> None:
        with self._lock:
            if self.state == "loading":
                self._autoplay = True
                return
            if self.state not in ("stopped", "paused", "ended") or self._stream is None:
                return
            if self.state == "ended":
                self._pos = 0
            self.state = "playing"
            to_start = self._claim_start()
        self._start(to_start)

    def pause(self) -> None:
        with self._lock:
            if self.state == "loading":
                self._autoplay = False
            if self.state != "playing":
                return
            self.state = "paused"
            to_stop = self._claim_stop()
        self._stop(to_stop)

    def toggle(self) -> None:
        if self.state == "playing" or (self.state == "loading" and self._autoplay):
            self.pause()
        else:
            self.play()

    def stop(self) -> None:
        to_stop = None
        with self._lock:
            if self.state == "loading":
                self._autoplay = False
            if self.state in ("playing", "paused", "ended"):
                self.state = "stopped"
                to_stop = self._claim_stop()
            self._pos = 0
        self._stop(to_stop)

    def seek(self, frame: int) -> int:
        """Jump to ``frame`` (clamped to the track); the next sample played is that frame."""
        with self._lock:
            limit = self.duration
            self._pos = int(min(max(0, frame), limit)) if limit else max(0, int(frame))
            if self.state == "ended" and self._pos < limit:
                self.state = "paused"
            return self._pos

    def seek_seconds(self, seconds: float) -> int:
        return self.seek(round(seconds * self._samplerate)) if self._samplerate else 0

    def close(self) -> None:
        """Stop output and decoding (window closing)."""
        with self._lock:
            self._generation += 1
            old = self._detach_stream()
            self.state = "empty"
        self._shut(old)

    # -- the audio thread ---------------------------------------------------------------
    def callback(self, outdata: np.ndarray, frames: int, time_info: Any = None, status: Any = None) -> None:
        """Fill ``outdata`` (frames, channels) from the current position; silence otherwise."""
        with self._lock:
            buf = self._buffer
            if self.state != "playing" or buf is None:
                outdata.fill(0)
                return
            pos = self._pos
            n = max(0, min(frames, buf.available - pos))
            if n:
                np.multiply(buf.data[pos:pos + n], self._volume, out=outdata[:n])
            outdata[n:] = 0
            self._pos = pos + n
            if buf.complete and self._pos >= buf.available:
                self.state = "ended"  # the stream keeps outputting silence until stop()

    # -- internals ------------------------------------------------------------------------
    def _decode(self, path: str, gen: int) -> None:
        try:
            header, blocks = self._decoder(path)
            rate = header.samplerate
            stream = None
            last_error: Exception = PlaybackUnavailable("no usable output sample rate")
            for try_rate in (rate, *[r for r in FALLBACK_RATES if r != rate]):
                try:
                    stream = self._factory(try_rate, header.channels, self.callback)
                    break
                except PlaybackUnavailable as e:
                    if "PortAudio library" in str(e):
                        raise
                    last_error = e
            if stream is None:
                raise last_error
            if try_rate != rate:
                blocks = _resampled(blocks, rate, try_rate, header.channels)
                expected = round(header.frames * try_rate / rate) if header.frames else None
            else:
                expected = header.frames
            buf = _Buffer(header.channels, expected)
            with self._lock:
                stale = stream if gen != self._generation else None
                if stale is None:
                    self._stream = stream
                    self._samplerate = try_rate
                    self._buffer = buf  # state stays "loading" until samples are there
            if stale is not None:
                self._shut(stale)
                return
            first = True
            for block in blocks:
                to_start = None
                with self._lock:
                    if gen != self._generation:
                        return
                    buf.append(block)
                    if first:  # start the card only now: no underrun at the start
                        first = False
                        self.state = "playing" if self._autoplay else "stopped"
                        if self._autoplay:
                            to_start = self._claim_start()
                self._start(to_start)
            if buf.available == 0:
                raise MusicsageError(f"cannot play {_name(path)}: no audio in the file")
            with self._lock:
                if gen == self._generation:
                    buf.complete = True
                    if self._pos > buf.available:
                        self._pos = buf.available
        except Exception as e:
            log.warning("playback of %s failed: %s", path, e)
            old = None
            with self._lock:
                if gen == self._generation:
                    old = self._detach_stream()
                    self.state = "error"
                    self.error = str(e) if isinstance(e, MusicsageError) else f"cannot play {_name(path)}: {e}"
            self._shut(old)

    def _claim_start(self) -> OutputStream | None:
        """Under the lock: the stream to start, if it is not running yet."""
        if self._stream is None or self._stream_running:
            return None
        self._stream_running = True
        return self._stream

    def _claim_stop(self) -> OutputStream | None:
        if self._stream is None or not self._stream_running:
            return None
        self._stream_running = False
        return self._stream

    def _detach_stream(self) -> OutputStream | None:
        stream, self._stream, self._stream_running = self._stream, None, False
        return stream

    def _start(self, stream: OutputStream | None) -> None:
        if stream is None:
            return
        try:
            stream.start()
        except Exception as e:  # the device went away between load and play
            with self._lock:
                self.state = "error"
                self.error = f"cannot start audio output: {e}"
                self._stream_running = False

    @staticmethod
    def _stop(stream: OutputStream | None) -> None:
        if stream is None:
            return
        try:
            stream.stop()
        except Exception as e:  # a vanished device must not break pause
            log.warning("stopping the audio stream failed: %s", e)

    @classmethod
    def _shut(cls, stream: OutputStream | None) -> None:
        if stream is None:
            return
        cls._stop(stream)
        try:
            stream.close()
        except Exception as e:
            log.warning("closing the audio stream failed: %s", e)
