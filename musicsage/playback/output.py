"""The sound card side of playback: can sound be played here, and the real output stream.

An output stream comes from a *stream factory* ``factory(samplerate, channels, callback)``
returning an object with ``start()``, ``stop()`` and ``close()``; tests pass a fake one that
pulls the callback and records what it would have played.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Protocol

import numpy as np

from musicsage.errors import MusicsageError, first_line

log = logging.getLogger(__name__)

FALLBACK_RATES = (48000, 44100)
"""Output rates tried when the device refuses the file's own rate (the audio is resampled)."""


class PlaybackUnavailable(MusicsageError):
    """No way to output sound here (no PortAudio library, no output device). Its message is
    an :class:`OutputFailure` where it says what to do (see :func:`failure_line`)."""


class PortAudioMissing(PlaybackUnavailable):
    """No PortAudio library: no stream opens at any rate (``opening.py`` stops trying)."""


class OutputFailure(str):
    """The player's line for an audio output that failed — "``what``: ``advice``, then press
    Play" — with its parts kept. A str, so it travels as the line does (the engine's
    ``error``, the player bar's ``failed``, the queue's notice); the queue words its own line
    from the parts (``controllers/queue_output.py``): it parsed the English line, which a
    rewording would have silently turned into two pieces of advice."""

    what: str
    advice: str

    def __new__(cls, what: str, advice: str) -> "OutputFailure":
        line = super().__new__(cls, f"{what}: {advice}, then press Play")
        line.what, line.advice = what, advice
        return line

    def __getnewargs__(self) -> tuple[str, str]:
        """Its parts, for a copy or a pickle (``copy.copy`` raised a TypeError: ``__new__``
        was called with the line alone)."""
        return self.what, self.advice


def failure_line(exc: Exception) -> str:
    """``exc``'s message, as its :class:`OutputFailure` where it was raised with one (``str``
    of an exception is a plain str: the parts would be lost)."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, OutputFailure) else str(exc)


class OutputStream(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...


Callback = Callable[[np.ndarray, int, Any, Any], None]
StreamFactory = Callable[[int, int, Callback], OutputStream]


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
        return f"playback disabled: no audio output device found ({e})"
    return None


_rescan = False
_open_lock = threading.Lock()
_abandoned = 0
"""Streams let go of while still open (a stalled one, aborted and closed on a thread of its
own): see :func:`abandoning`."""
_all_closed = threading.Condition(_open_lock)
RESCAN_WAIT_SECONDS = 2.0
"""How long an open that should re-scan waits for abandoned streams to be closed; past it,
the stream opens without a re-scan and the next open re-scans."""
_waited_out = 0
"""The count of abandoned streams the last wait timed out on: while it is the same, no open
waits again (one left inside a call that never returns made every later track start wait 2 s,
for the whole session); a count above it is waited for only until it is back to it (a track's
end played out: each next track waited 2 s for 0), and it is 0 once all are closed."""
RESTART_HINT = " (if it is not found, restart musicsage)"
"""Added to the advice while a stream left inside a call on the device keeps the re-scan off:
PortAudio's list of devices stays the one it read at start, so a device reconnected meanwhile
is not found until that call returns, or the app restarts."""


def output_failed() -> None:
    """The output failed (lost while playing, or it would not open or start): the next stream
    :func:`sounddevice_stream` opens re-scans the sound devices first. PortAudio lists them
    once, when it starts; without a re-scan a device plugged in again, or another one chosen
    meanwhile, is not found until the app restarts. Not while a stream let go of is still
    open (see :func:`abandoning`): the first open after it is closed re-scans."""
    global _rescan
    _rescan = True


def abandoning() -> Callable[[], None]:
    """Count a stream let go of while still open; call what this returns once its close()
    has returned (or failed). While any is counted, no re-scan runs: PortAudio's terminate
    frees every open stream, and that stream's abort() or close() still to come would then
    touch freed memory (a crash in the C library)."""
    global _abandoned
    with _open_lock:
        _abandoned += 1
    done = threading.Event()

    def closed() -> None:
        global _abandoned, _waited_out
        with _open_lock:
            if not done.is_set():  # counted down once, however often it is called
                done.set()
                _abandoned -= 1
                _waited_out = _waited_out if _abandoned else 0  # none left to wait for
                _all_closed.notify_all()

    return closed


def sounddevice_stream(samplerate: int, channels: int, callback: Callback) -> OutputStream:
    """The real output: a PortAudio stream that pulls ``callback`` on its audio thread."""
    global _rescan, _waited_out
    try:
        import sounddevice as sd
    except OSError as e:
        raise PortAudioMissing(f"PortAudio library missing: {e}") from e
    with _open_lock:
        if _rescan:  # those still open past the last wait are not waited for again
            _all_closed.wait_for(lambda: _abandoned <= _waited_out, RESCAN_WAIT_SECONDS)
        stale = _rescan and _abandoned > 0  # PortAudio's list of devices stays as it was
        if _rescan and not stale:
            _rescan = False
            try:  # sounddevice's documented re-scan: no stream of ours is open (the engine
                # closed its last one, the abandoned ones are closed)
                sd._terminate()
                sd._initialize()
            except Exception as e:
                log.warning("re-scanning the sound devices failed: %s", e)
        elif stale:  # left to the next open, once the abandoned streams are closed
            _waited_out = _abandoned
            log.warning("sound devices not re-scanned: a stalled stream is not closed yet")
        try:
            return sd.OutputStream(samplerate=samplerate, channels=channels, dtype="float32",
                                   callback=callback)
        except Exception as e:  # none connected, or one another program holds alone
            raise PlaybackUnavailable(OutputFailure(
                f"cannot open the audio output at {samplerate} Hz ({first_line(e)})",
                "connect a sound device" + (RESTART_HINT if stale else "")  # (the device's
                + " or close the program holding it")) from e  # hint, not the program's)
