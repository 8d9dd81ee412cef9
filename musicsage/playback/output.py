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

from musicsage.errors import MusicsageError

log = logging.getLogger(__name__)

FALLBACK_RATES = (48000, 44100)
"""Output rates tried when the device refuses the file's own rate (the audio is resampled)."""


class PlaybackUnavailable(MusicsageError):
    """No way to output sound here (no PortAudio library, no output device)."""


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


def output_failed() -> None:
    """The output failed (lost while playing, or it would not open or start): the next stream
    :func:`sounddevice_stream` opens re-scans the sound devices first. PortAudio lists them
    once, when it starts; without a re-scan a device plugged in again, or another one chosen
    meanwhile, is not found until the app restarts."""
    global _rescan
    _rescan = True


def sounddevice_stream(samplerate: int, channels: int, callback: Callback) -> OutputStream:
    """The real output: a PortAudio stream that pulls ``callback`` on its audio thread."""
    global _rescan
    try:
        import sounddevice as sd
    except OSError as e:
        raise PlaybackUnavailable(f"PortAudio library missing: {e}") from e
    with _open_lock:
        if _rescan:
            _rescan = False
            try:  # the way sounddevice documents to re-scan; closes no stream of ours (none open)
                sd._terminate()
                sd._initialize()
            except Exception as e:
                log.warning("re-scanning the sound devices failed: %s", e)
        try:
            return sd.OutputStream(samplerate=samplerate, channels=channels, dtype="float32",
                                   callback=callback)
        except Exception as e:
            raise PlaybackUnavailable(
                f"cannot open the audio output at {samplerate} Hz: {e}") from e
