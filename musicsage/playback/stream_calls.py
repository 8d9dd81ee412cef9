"""Calls on one output stream that the engine's claims (``claims.py``) make: each on a thread
of its own with a deadline, since a sound device that stopped answering may never return from
stop(), abort() or start(); which call stops a stream (abort where nothing must play out); and
how much of what the callback handed over a Pause's abort drops unheard.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from musicsage.playback.output import OutputStream

log = logging.getLogger(__name__)

MOST_QUEUED_SECONDS = 1.0
"""The most output latency a Pause moves the position back over (see ``queued_frames``)."""


def played_out(stream: OutputStream, step: Callable[[], None],
               seconds: float) -> Callable[[Callable[[], None]], None] | None:
    """Stop ``stream`` with ``step`` (its stop: what is queued played out; a Pause's abort;
    a Play's start) on a thread of its own, waiting at most ``seconds``; its error
    raised here. None once it returned; else a function to hand ``closed``: the stream is
    closed, then ``closed`` called, once the call returns at last."""
    lock, errors = threading.Lock(), []
    after: list = [False, None]  # [the stop returned, what to call then]
    finished = threading.Event()

    def close_then(closed: Callable[[], None]) -> None:
        try:
            stream.close()
        except Exception as e:
            log.warning("closing a hung audio stream failed: %s", e)
        finally:
            closed()

    def stop() -> None:
        try:
            step()
        except Exception as e:
            errors.append(e)
        finished.set()
        with lock:
            after[0], then = True, after[1]
        if then is not None:
            close_then(then)

    threading.Thread(target=stop, name="musicsage-output-end", daemon=True).start()
    if finished.wait(seconds):
        if errors:
            raise errors[0]
        return None

    def waiting(closed: Callable[[], None]) -> None:
        with lock:
            returned = after[0]
            after[1] = None if returned else closed
        if returned:  # it returned meanwhile: close it here
            close_then(closed)
    return waiting


def queued_frames(stream: OutputStream, rate: int) -> int:
    """Frames handed to ``stream`` that its abort() drops unheard: its output latency
    (PortAudio's ``latency``: from the callback's samples to the speaker) at ``rate``. 0
    for a stream without an abort(): its stop() plays them out, or one that states no
    latency; at most ``MOST_QUEUED_SECONDS`` (a driver's absurd figure moves no position far)."""
    latency = getattr(stream, "latency", None)
    if not hasattr(stream, "abort") or not isinstance(latency, (int, float)):
        return 0  # (a duplex stream's latency is a pair: not one of ours)
    return round(min(max(0.0, float(latency)), MOST_QUEUED_SECONDS) * rate)


def stopper(stream: OutputStream, now: bool) -> Callable[[], None]:
    """``stream``'s abort (nothing played out) where it has one and ``now``, else its stop:
    PortAudio's stop() waits for what is queued, which a hung device never plays."""
    return getattr(stream, "abort", stream.stop) if now else stream.stop
