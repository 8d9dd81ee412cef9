"""The playback engine: decode on a thread into one buffer, feed the sound card, seek exactly.

:class:`PlaybackEngine` decodes on a background thread into one buffer (playback can start as
soon as the first block is there), and its ``callback`` — called by the output stream on the
audio thread — copies from the buffer at the current position, scaled by the volume. Owning the
sample buffer is what makes seeking exact (position after a seek is the requested sample).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from musicsage.errors import MusicsageError, decoder_reason, first_line
from musicsage.playback.decoders import (BLOCK_FRAMES, Decoder, _name, _resampled,
                                         default_decoder)
from musicsage.playback.output import (FALLBACK_RATES, OutputStream, PlaybackUnavailable,
                                       StreamFactory, sounddevice_stream)

log = logging.getLogger(__name__)


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
        self.error_kind = ""
        """What an ``error`` state is about: ``"file"`` (this track cannot be played: the next
        may) or ``"device"`` (the audio output failed: no other track will play either, so a
        queue must stop rather than skip through every track); ``""`` without an error."""
        self.path: str | None = None

    # -- properties (any thread) --------------------------------------------------------
    @property
    def generation(self) -> int:
        """How many loads so far: a poller that sees it change knows a new track was loaded,
        even when the state reads the same ("error" after "error")."""
        return self._generation

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
            self.error_kind = ""
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
            expected = header.frames
            if try_rate != rate:
                blocks = _resampled(blocks, rate, try_rate, header.channels)
                expected = round(header.frames * try_rate / rate) if header.frames else None
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
                    self.error = _failure(path, e)
                    self.error_kind = "device" if isinstance(e, PlaybackUnavailable) else "file"
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
                self.error_kind = "device"
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


def _failure(path: str | Path, exc: Exception) -> str:
    """The player's one line for a file it could not play: the app's own message as it is, a
    decoder's in words a listener reads ("damaged audio data?", not libsndfile's "Unspecified
    internal error.")."""
    if isinstance(exc, MusicsageError):
        return str(exc)
    return f"cannot play {_name(path)}: {decoder_reason(first_line(exc))}"
