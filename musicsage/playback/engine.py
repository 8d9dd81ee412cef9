"""The playback engine: decode on a thread around the play position, feed the sound card, seek
exactly.

:class:`PlaybackEngine` runs one worker thread per loaded track. It decodes into a
:class:`~musicsage.playback.store.ChunkStore` at most ``AHEAD_SECONDS`` ahead of the position
(playback can start as soon as the first block is there), drops what lies more than
``BEHIND_SECONDS`` behind, re-opens the decoder where a seek lands outside what is held, and
watches the output stream (gone, or stalled: not called back for ``STALL_SECONDS``, see
``claims.py``). Each stream's callback — called by that stream on the audio thread —
copies from the store at the current position, scaled by the volume, while that stream is the
engine's (one let go of gets silence). Owning the samples is what makes seeking exact
(position after a seek is the requested sample): within what is held, or up to
``AHEAD_SECONDS`` past it (decoded through), for every format; where the decoder is re-opened,
too: libsndfile's seek is sample-exact, MP3's and an Ogg Vorbis file's last page's once it
lands early and drops what lies before (``decoders.py``), and FFmpeg's formats are placed by
their time stamps.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from musicsage.errors import MusicsageError, decoder_reason, first_line
from musicsage.playback.claims import StreamClaims
from musicsage.playback.decoders import DamagedAudio, Decoder, _close, default_decoder, shown_name
from musicsage.playback.opening import open_output
from musicsage.playback.output import (Callback, OutputStream, PlaybackUnavailable, StreamFactory,
                                       failure_line, output_failed, sounddevice_stream)
from musicsage.playback.source import Source
from musicsage.playback.store import ChunkStore
from musicsage.text import format_time

log = logging.getLogger(__name__)

AHEAD_SECONDS = 30.0
"""Decode no further than this ahead of the position (a 1-hour FLAC held whole is 1.25 GB)…"""
REFILL_SECONDS = 20.0
"""…and start decoding again once less than this is left: a burst every ten seconds."""
BEHIND_SECONDS = 15.0
"""Decoded audio kept behind the position: a seek back within it decodes nothing."""
WATCH_SECONDS = 0.25
"""How often an idle worker looks at the output stream (a device lost or stalled while
playing: a stall is said within ``STALL_SECONDS`` plus this)."""


class PlaybackEngine(StreamClaims):
    """One track at a time: load → play/pause/stop/seek; a stream's callback feeds the card.

    States: ``empty``, ``loading`` (header not known yet), ``stopped``, ``playing``,
    ``paused``, ``ended``, ``error`` (``error`` holds the message, ``error_kind`` what failed).
    A damaged file plays up to the damage; ``note`` says so at once, and reaching that point
    is an ``error`` of kind ``"file"`` with the same line.
    """

    def __init__(self, *, stream_factory: StreamFactory | None = None,
                 decoder: Decoder | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._factory = stream_factory or sounddevice_stream
        self._decoder = decoder or default_decoder
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)  # the worker waits on it
        super().__init__(clock)
        self._store: ChunkStore | None = None
        self._pos = 0
        self._volume = 1.0
        self._samplerate = 0
        self._awaited = (0.0, 0.0)  # (seconds at, seconds long) while no output is open
        self._refill = 0  # REFILL_SECONDS in frames at the output's rate
        self._reopen_at: int | None = None  # a seek outside the store: the worker re-opens
        self._generation = 0  # a newer load() makes older workers stop
        self._autoplay = False
        self.state, self.error = "empty", ""
        self.error_kind = ""
        """What an ``error`` state is about: ``"file"`` (this track cannot be played: the next
        may) or ``"device"`` (the audio output failed: no other track will play either, so a
        queue must stop rather than skip through every track); ``""`` without an error.
        After a ``"device"`` error, :meth:`play` loads the same track again where it stopped
        (a new stream; ``generation`` counts it as a load)."""
        self.note = ""
        """Set while a damaged track still plays: where its audio stops (the line ``error``
        takes when playback gets there)."""
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
        return self._store.frames if self._store else 0

    @property
    def position_seconds(self) -> float:
        """Seconds played; while no output is open (loading, or it would not open), where
        playback is to begin: a Play that failed again on a missing device showed 0:00, and
        the Play after the device came back started the track over."""
        return self._pos / self._samplerate if self._samplerate else self._awaited[0]

    @property
    def duration_seconds(self) -> float:
        """The track's length; while no output is open, the length known before (the same
        track loaded again where it stopped), else 0."""
        return self.duration / self._samplerate if self._samplerate else self._awaited[1]

    @property
    def decoded_frames(self) -> int:
        """Frames decoded up to (from the start, or from where a seek re-opened the file)."""
        return self._store.hi if self._store else 0

    @property
    def held_frames(self) -> int:
        """Decoded frames in memory: bounded by the seconds ahead and behind the position."""
        return self._store.held if self._store else 0

    @property
    def decoding_complete(self) -> bool:
        """The decoder got to the end of the track (or to its damage): nothing left to do
        unless a seek lands outside what is held."""
        return bool(self._store and self._store.exhausted)

    @property
    def going(self) -> bool:
        """Playing, or loading to play (not once paused while it loads): what Pause stops."""
        return self.state == "playing" or (self.state == "loading" and self._autoplay)

    @property
    def volume(self) -> float:
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        self._volume = float(min(1.0, max(0.0, value)))

    # -- control (GUI thread) --------------------------------------------------------------
    # Stream start/stop/close run *outside* the lock: PortAudio's stop waits for the callback,
    # which takes the lock, so holding it there would deadlock.

    def load(self, path: str | Path, *, autoplay: bool = False, start_seconds: float = 0.0,
             length_seconds: float | None = None) -> None:
        """Start decoding ``path`` on a background thread; playback may begin right away (from
        ``start_seconds``: Play after a lost output goes on where it stopped; ``length_seconds``:
        the library's, the length of a file whose header states none — a FLAC stream rip)."""
        with self._lock:
            old = self._detach_stream()
            self._generation += 1
            gen = self._generation
            known = self.duration_seconds if str(path) == self.path else 0.0  # read again
            self._awaited = (start_seconds, length_seconds or known)
            self._store = None
            self._pos = 0
            self._samplerate = 0
            self._reopen_at = None
            self._autoplay = autoplay
            self.path = str(path)
            self.state = "loading"
            self.error = self.error_kind = self.note = ""
            self._wake.notify_all()  # the previous track's worker ends
        self._let_go(old)
        threading.Thread(target=self._decode, args=(str(path), gen),
                         name="musicsage-playback", daemon=True).start()

    def play(self) -> None:
        with self._lock:
            if self.path and self._stream is None and (
                    self.state == "stopped"  # Stop closed the output
                    or self.state == "error" and self.error_kind == "device"):
                again = (self.path, self.position_seconds)
            else:
                again = None
                if self.state == "loading":
                    self._autoplay = True
                    return
                if self.state not in ("stopped", "paused", "ended") or self._stream is None:
                    return
                if self.state == "ended":
                    self._pos = 0
                    self._seek_store(0)
                self.state = "playing"
                gen, to_start = self._generation, self._claim_start()
        if again is not None:  # no output (Stop, or it failed): open one, where it stopped
            self.load(again[0], autoplay=True, start_seconds=again[1])
        elif to_start is not None:
            self._answer("play", self._start, gen, to_start)

    def pause(self) -> None:
        with self._lock:
            if self.state == "loading":
                self._autoplay = False
            if self.state != "playing":
                return
            self.state, gen, to_stop = "paused", self._generation, self._claim_stop()
        if to_stop is not None:
            self._answer("pause", self._stop, gen, to_stop, True)

    def toggle(self) -> None:
        (self.pause if self.going else self.play)()

    def stop(self) -> None:
        """Back to the start, and the output closed: a stopped player holds no sound device
        (Play opens one again, as after a lost output)."""
        old = None
        with self._lock:
            if self.state == "loading":
                self._autoplay = False
            if self.state in ("playing", "paused", "ended", "stopped"):
                self.state = "stopped"
            if self.state in ("stopped", "error"):
                old = self._detach_stream()
            self._pos = 0
            self._awaited = (0.0, self._awaited[1])
            self._seek_store(0)
        self._let_go(old)

    def seek(self, frame: int) -> int:
        """Jump to ``frame`` (clamped to the track); the next sample played is that frame."""
        with self._lock:
            limit = self.duration
            self._pos = int(min(max(0, frame), limit)) if limit else max(0, int(frame))
            self._seek_store(self._pos)
            if self.state == "ended" and self._pos < limit:
                self.state = "paused"
            return self._pos

    def seek_seconds(self, seconds: float) -> int:
        """:meth:`seek` in seconds; while no output is open (loading, a Play that failed), the
        place playback is to begin, clamped to the length known (0:00 where none is known)."""
        with self._lock:
            if self._samplerate:
                return self.seek(round(seconds * self._samplerate))
            length = self._awaited[1]
            self._awaited = (min(max(0.0, seconds), length), length)
            return 0

    def close(self) -> None:
        """Stop output and decoding (window closing)."""
        with self._lock:
            self._generation += 1
            old = self._detach_stream()
            self.state = "empty"
            self._wake.notify_all()
        self._let_go(old)

    # -- the audio thread ---------------------------------------------------------------
    def _callback_for(self, token: object) -> Callback:
        """The callback of one stream, which plays while ``token`` is the engine's
        ``_feeding``. A stream let go of (a stalled one until its abort() returns, one closed
        after a newer load) may still call back: it gets silence, and moves neither the
        position nor the count the stall watch keeps of the stream that plays now."""
        def callback(outdata: np.ndarray, frames: int, time_info: Any = None,
                     status: Any = None) -> None:
            self._fill(token, outdata, frames)

        return callback

    def _fill(self, token: object, outdata: np.ndarray, frames: int) -> None:
        """Fill ``outdata`` (frames, channels) from the current position; silence otherwise."""
        with self._lock:
            if token is not self._feeding:
                outdata.fill(0)
                return
            self._pulls += 1  # the device is alive: what the stall watch looks for
            store = self._store
            if self.state != "playing" or store is None:
                outdata.fill(0)
                return
            n = store.read(outdata[:frames], self._pos, self._volume)
            outdata[n:] = 0
            self._pos += n
            if (store.end is not None and self._pos >= store.end
                    or store.exhausted and self._pos >= store.hi):  # (a seek past damage)
                self._track_done()  # the worker stops the stream (after what is queued)
            elif not store.exhausted and store.hi - self._pos < self._refill:
                self._wake.notify()

    # -- internals: the worker ------------------------------------------------------------
    def _decode(self, path: str, gen: int) -> None:
        """The worker of one load: open the file and the output, then feed the store."""
        try:
            header, blocks = self._decoder(path)
            token = object()  # this stream's: see _callback_for
            try:
                stream, rate, channels = open_output(self._factory, header,
                                                     self._callback_for(token))
            except Exception:
                _close(blocks)
                raise
            source = Source(path, self._decoder, header, blocks, rate, channels)
            store = ChunkStore(channels, source.expected or round(self._awaited[1] * rate) or None)
            with self._lock:
                stale = gen != self._generation
                if not stale:
                    self._stream, self._samplerate, self._store = stream, rate, store
                    self._feeding = token
                    self._refill = round(REFILL_SECONDS * rate)
                    start = self._pos or round(self._awaited[0] * rate)  # seek's, lost output's
                    known = max(store.frames, round(self._awaited[1] * rate))  # past a guess too
                    start = self._pos = min(start, known) if known else start
                    store.reset(start)  # state stays "loading" until samples are there
            if stale:
                source.close()
                self._let_go(stream)
                return
            self._feed(gen, source, store, start)
        except Exception as e:
            log.warning("playback of %s failed: %s", path, e)
            self._fail(gen, path, e)

    def _feed(self, gen: int, source: Source, store: ChunkStore, start: int) -> None:
        """Decode while the store is short of ``AHEAD_SECONDS``, re-open where a seek asks,
        watch the stream; return when a newer load (or close) came or the output failed."""
        ahead = round(AHEAD_SECONDS * source.rate)
        behind = round(BEHIND_SECONDS * source.rate)
        blocks: Iterator[np.ndarray] = source.blocks_from(start)
        filling = True  # between AHEAD and REFILL: go on if filling, else wait for REFILL
        try:
            while True:
                with self._lock:
                    if gen != self._generation:
                        return
                    trouble = self._output_trouble()
                    done = self._claim_stop() if self.state in ("ended", "error") else None
                    target, self._reopen_at = self._reopen_at, None
                    left = store.hi - self._pos
                    if store.exhausted or left >= ahead:
                        filling = False
                    elif left < self._refill:
                        filling = True
                    if target is None and not filling and trouble is None and done is None:
                        self._wake.wait(WATCH_SECONDS)
                        continue
                if done is not None:  # the track is over: no silence played on and on
                    self._stop(gen, done)
                    continue
                if trouble is not None:
                    self._lose_output(gen, *trouble)
                    return
                if target is not None:
                    _close(blocks)
                    blocks = source.blocks_from(target)
                    continue
                to_start = self._next_block(gen, blocks, store, behind)
                self._start(gen, to_start)
        finally:
            _close(blocks)
            source.close()

    def _next_block(self, gen: int, blocks: Iterator[np.ndarray], store: ChunkStore,
                    behind: int) -> OutputStream | None:
        """Decode one block into the store; the stream to start when it was the first."""
        try:
            block, failure = next(blocks, None), None
        except Exception as e:
            block, failure = None, e
        with self._lock:
            if gen != self._generation or self._reopen_at is not None:
                return None  # a seek came meanwhile: this block (or failure) is not wanted
            if failure is not None:
                self._damaged(store, failure)
            elif block is None and store.hi == store.start > 0:
                store.exhausted = True  # a seek past the audio the file holds: it ends there,
                # yet it ends earlier (not known where): the length stays what was known
            elif block is None:
                store.finish()
                if self.state == "loading" and store.hi == 0:
                    raise MusicsageError(f"cannot play {shown_name(self.path or '')}: no audio "
                                         "in the file (empty, or cut short?)")
                self._pos = min(self._pos, store.frames)
            else:
                store.append(block)
                store.trim_before(self._pos - behind)
            if self.state != "loading":
                return None
            self.state = "playing" if self._autoplay else "stopped"  # samples are there now
            return self._claim_start() if self._autoplay else None

    def _damaged(self, store: ChunkStore, exc: Exception) -> None:
        """Under the lock: the decoder failed part-way; the track ends where the good audio
        does, and ``note`` says so (``error`` too, once playback gets there)."""
        if self.state == "loading" and store.hi == 0:
            raise exc  # nothing to play: the load fails as a whole
        reason = exc.reason if isinstance(exc, DamagedAudio) else first_line(exc)
        ran = store.hi > store.start  # else a seek landed past the damage: it lies before
        at = format_time((store.hi if ran else store.start) / self._samplerate)
        where = "past" if ran else "from"  # (where before the target is not known)
        self.note = f"cannot play {shown_name(self.path or '')} {where} {at}: {reason}"
        log.warning("playback: %s (%s)", self.note, exc)
        if ran:
            store.finish()
            self._pos = min(self._pos, store.frames)
        else:  # the length stays what was known (not the seek's target); playing there ends
            store.exhausted = True

    def _track_done(self) -> None:
        """Under the lock: playback reached the end of what can be played."""
        if self.note:
            self.error, self.error_kind, self.state = self.note, "file", "error"  # state last
        else:
            self.state = "ended"
        self._wake.notify_all()  # the worker stops the stream

    def _seek_store(self, frame: int) -> None:
        """Under the lock: have the worker re-open the decoder when ``frame`` lies outside
        what is held (or soon decoded); wake it either way (the position moved)."""
        store = self._store
        forward = round(AHEAD_SECONDS * self._samplerate)
        if store is not None and not store.reaches(frame, forward):
            self._reopen_at = frame
            store.reset(frame)
        self._wake.notify_all()

    def _fail(self, gen: int, path: str, exc: Exception) -> None:
        old = None
        with self._lock:
            if gen == self._generation:
                old = self._detach_stream()
                self.error = _failure(path, exc)  # the error before the state: a reader
                self.error_kind = "device" if isinstance(exc, PlaybackUnavailable) else "file"
                self.state = "error"  # that sees "error" (no lock) finds its words
        self._let_go(old)
        if isinstance(exc, PlaybackUnavailable):
            output_failed()  # only now: a re-scan frees every stream (see output.py)


def _failure(path: str | Path, exc: Exception) -> str:
    """The player's one line for a file it could not play: the app's own message as it is, a
    decoder's in words a listener reads ("damaged audio data?", not libsndfile's "Unspecified
    internal error.")."""
    if isinstance(exc, DamagedAudio):
        return f"cannot play {shown_name(str(path))}: {exc.reason}"
    if isinstance(exc, MusicsageError):
        return failure_line(exc)  # an output's with its parts (see OutputFailure)
    return f"cannot play {shown_name(str(path))}: {decoder_reason(first_line(exc))}"
