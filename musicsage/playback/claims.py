"""The engine's hold on its output stream: who may start, stop or close it, and when.

A *claim*, made under the engine's lock, says what should happen (start the stream, stop it);
:meth:`StreamClaims._start` and :meth:`StreamClaims._stop` then do it outside that lock
(PortAudio's stop waits for the callback, which takes the lock) but under ``_control``, after
checking that the claim still stands: a newer load, a pause or a stop may have come between,
and a stale claim must never start, stop or close a stream that is not its own. Closing a
stream takes ``_control`` too, so it waits for a start in progress and then aborts what it
started; a start waits for ``_control`` at most ``CONTROL_WAIT_SECONDS``, and its own start()
gets all of ``START_SECONDS`` — only what is left of it after that wait where the call it
waited on was given up as hung: one deadline for a start behind a hung device. An
output that fails in use (start or stop raising, the stream going inactive by itself, or its
callback no longer called while it plays: a stall) makes the engine's state a ``"device"``
error.

The window never waits on the sound device: what a user's action asks of it (Pause's stop,
Play's start, the close of the stream that Next, Stop or closing lets go of) runs on a thread of
its own, waited for at most ``ANSWER_SECONDS`` (see :meth:`StreamClaims._answer`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from musicsage.errors import first_line
from musicsage.playback.output import (RESTART_HINT, OutputFailure, OutputStream, abandoning,
                                       output_failed)
from musicsage.playback.stream_calls import played_out, queued_frames, stopper

log = logging.getLogger(__name__)

STALL_SECONDS = 3.0
"""A playing stream whose callback has not been called for this long has stalled: a Bluetooth
headset gone without an error from the driver, a suspended PulseAudio sink. PortAudio keeps
such a stream ``active``; without this the position froze with the player saying "playing"."""
UNHEARD_SECONDS = 10.0
"""A stream started (its start() returned) yet never called back for this long is a device
error too: a suspended PulseAudio sink, a Bluetooth transport gone. The stall watch judges only
a device heard once: the bar said "waiting…" for as long as it lasted, never what to do."""
LOOK_GAP_SECONDS = 1.0
"""Two looks at a playing stream further apart than this time no stall: the worker was not
running in between (the process stopped or swapped out, the GIL held by a long C call), and
neither was the callback, which needs the GIL too; the count it sees is stale, not a silent
device. The watch starts again from that look (the worker looks every ``WATCH_SECONDS``)."""
ANSWER_SECONDS = 0.25
"""How long a user's action waits for the sound device: a working one has answered by then
(what the window shows next is so); one that stopped taking audio, whose stop() may never
return, keeps only the action's own thread waiting, never the window."""
END_STOP_SECONDS = 2.0
"""How long the stop at a track's end may wait for the device to play out what is queued (a
working one: its latency), and a Pause's abort. Past it the device is taken as hung: the
stream is let go of, and the call goes on waiting on a thread of its own. It held ``_control``
for ever: every later track, and Play, failed with "the sound device does not answer" until
the app restarted. Shorter than ``CONTROL_WAIT_SECONDS``: a queue loads the next track as soon
as one ends, and that track's start waits for ``_control`` while this stop holds it."""

START_SECONDS = 10.0
"""How long a Play's start() may take (a Bluetooth headset waking up takes a few seconds)
before the device is taken as hung, as at ``END_STOP_SECONDS``: a start() that never returned
held ``_control`` for ever, the player saying "playing" at 0:00, every later Play failing."""
CONTROL_WAIT_SECONDS = START_SECONDS
"""How long a start waits for another call on the device (a start, a stop) to give back
``_control``; if a call was given up as hung meanwhile, its own start() then gets what is
left of ``START_SECONDS`` since it was asked (at least ``LAST_START_SECONDS``), else all of it
(a headset that woke in 9.9 s left a Next's 0.8 s start 0.5 s: "did not start"). It was
3 s: Next pressed while a headset took 5 s to wake said "the sound device does not answer" (a
queue stopped) though it answered; then 12 s, with a start()'s own 10 s after it: Next or Stop
and Play on a device that hung showed "playing" at 0:00 for 20 s before saying so. A start
may still be given up while another call holds ``_control`` (two starts queued behind one that
hangs): a ``"device"`` error, not the player saying "playing" at 0:00 for ever."""
LAST_START_SECONDS = 0.5
"""The least time a start() is given after a long wait for ``_control`` (a working device
starts in far less): the device may have answered the call it waited on."""


LOST_ADVICE = "reconnect it or switch the sound output"
HUNG_ADVICE = LOST_ADVICE + RESTART_HINT
"""A device left inside a call that never returned: its stream stays open, and no re-scan
(which would free it underneath) finds a device reconnected meanwhile (``abandoning``)."""


def output_lost_message(what: str, detail: str, advice: str = LOST_ADVICE) -> OutputFailure:
    """The one line for an output that failed in use. Play then loads the track again where
    it stopped, on a new stream, which re-scans the devices first (see ``output_failed``) once
    every stream let go of is closed: not while one hangs in a call (``HUNG_ADVICE`` says so)."""
    return OutputFailure(f"{what} ({detail})", advice)


class StreamClaims:
    """The stream half of :class:`~musicsage.playback.engine.PlaybackEngine`, which provides
    the attributes declared here (its lock, the worker's condition, the load counter, the
    state that a failed output sets)."""

    _lock: Any  # a threading.RLock
    _wake: threading.Condition
    _generation: int
    _pos: int  # the engine's position, its store and rate (see engine.py)
    _store: Any  # a ChunkStore
    _samplerate: int
    state: str
    error: str
    error_kind: str

    def __init__(self, clock: Callable[[], float]) -> None:
        self._control = threading.RLock()  # stream start/stop/close, one at a time
        self._stream: OutputStream | None = None
        self._stream_running = False  # start claimed (under the lock), not yet stopped
        self._stream_live = False  # start() returned: ``active`` now says whether it runs
        self._start_claimed = 0.0  # when the last start was claimed (time.monotonic())
        self._live_at: float | None = None  # the first look at it started, not yet heard
        self._hangs = 0  # calls on the device given up as hung (under _control, _left_hung)
        self._clock = clock  # seconds, for the stall watch (tests step it by hand)
        self._pulls = 0  # callbacks since this stream was opened (the callback counts them)
        self._heard: tuple[int, float] | None = None  # (_pulls, when the watch saw it change)
        self._looked = float("-inf")  # when the stall watch last looked (the clock's time)
        self._feeding: object | None = None  # the token of the callback that plays (engine.py)
        self._started: OutputStream | None = None  # the stream start() ran on, not stopped
        # since (under _control): a start and a stop run on threads of their own may come in
        # either order; PortAudio refuses to start a started stream or stop a stopped one
        self._stopping: list[OutputStream] = []  # (under _control) let go of by a load, Next
        # or Stop while its stop at the track's end hung: that stop's thread closes it

    def _output_trouble(self) -> tuple[str, str, bool] | None:
        """Under the lock, on the worker's every look: what failed in the output that should
        run (the ``what``, ``detail`` and ``hung`` of :meth:`_lose_output`), None while it
        works."""
        last = self._looked  # the previous look (the stall watch's look sets it)
        if self._stream_live and not getattr(self._stream, "active", True):
            # PortAudio ends a stream whose device failed (its host thread exits)
            return "audio output lost", "the sound device stopped", False
        if self._output_stalled():
            return ("audio output stalled", f"no sound went out for {STALL_SECONDS:g} s",
                    True)
        if self._output_unheard(last):
            return ("audio output stalled",
                    f"the sound device took no sound in {UNHEARD_SECONDS:g} s", True)
        return None

    def _output_unheard(self, last: float) -> bool:
        """Under the lock, after the stall watch's look: the track plays on a started stream
        never called back for ``UNHEARD_SECONDS``, counted from the first look that saw it so
        and, as the stall watch's, again after a gap between looks (``LOOK_GAP_SECONDS``)."""
        now = self._looked
        if not (self._stream_live and self.state == "playing") or self._pulls:
            self._live_at = None
            return False
        if self._live_at is None or now - last > LOOK_GAP_SECONDS:
            self._live_at = now
        return now - self._live_at >= UNHEARD_SECONDS

    def _output_stalled(self) -> bool:
        """Under the lock: the track plays on a started stream, yet the callback has not been
        called for ``STALL_SECONDS``. The watch starts when the state is first seen playing
        on a live stream, so a pause, the time a load takes and the end of a track are never
        counted; buffering is not a stall either (the callback still comes, playing silence).
        A stream never called back at all is not judged: only a device that was heard. Nor is
        a gap between two looks longer than ``LOOK_GAP_SECONDS`` (see there): the watch starts
        again, so only time the worker saw pass counts toward a stall."""
        now, last = self._clock(), self._looked
        self._looked = now
        if not (self._stream_live and self.state == "playing" and self._pulls):
            self._heard = None
            return False
        if (self._heard is None or self._heard[0] != self._pulls
                or now - last > LOOK_GAP_SECONDS):
            self._heard = (self._pulls, now)
            return False
        return now - self._heard[1] >= STALL_SECONDS

    def _claim_start(self) -> OutputStream | None:
        """Under the lock: the stream to start, if it is not running yet."""
        if self._stream is None or self._stream_running:
            return None
        self._stream_running, self._start_claimed = True, time.monotonic()
        return self._stream

    @property
    def device_waiting(self) -> bool:
        """The track is to play, and its stream's start() has not returned for
        ``STALL_SECONDS`` (a headset waking, a device that hung: up to ``START_SECONDS``,
        the wait for another call on it counted), or it returned and the device has not
        pulled any sound since (a suspended sink: a device error after ``UNHEARD_SECONDS``):
        the player bar says so, where it showed "playing" at 0:00 in silence."""
        with self._lock:
            return (self.state == "playing" and self._stream_running
                    and not (self._stream_live and self._pulls)
                    and time.monotonic() - self._start_claimed >= STALL_SECONDS)

    def _claim_stop(self) -> OutputStream | None:
        if self._stream is None or not self._stream_running:
            return None
        self._stream_running = self._stream_live = False
        return self._stream

    def _detach_stream(self) -> OutputStream | None:
        stream, self._stream = self._stream, None
        self._stream_running = self._stream_live = False
        self._pulls, self._heard, self._feeding = 0, None, None
        return stream

    def _back_to_heard(self, gen: int, paused: OutputStream) -> None:
        """Once a Pause's abort() of ``paused`` returned, or was given up as hung (a device
        that hung did not play them either): the position less what the callback handed it
        that the abort dropped unheard (``stream_calls.queued_frames``), no further back than
        the last seek. The position had counted those frames as played: each Pause and Play skipped
        the device's latency of the music (up to a few hundred ms on PulseAudio). Only after
        the abort, and only while the same track holds the same stream: a Play that came first
        keeps the stream running (nothing is dropped, and moving back played up to a second
        twice), and a newer load has a position of its own."""
        with self._lock:
            if gen == self._generation and paused is self._stream and self._store is not None:
                self._pos = self._store.unread_back(self._pos,
                                                    queued_frames(paused, self._samplerate))

    def _claim_holds(self, gen: int, stream: OutputStream, running: bool) -> bool:
        with self._lock:
            return (gen == self._generation and stream is self._stream
                    and self._stream_running == running)

    def _answer(self, what: str, step: Callable[..., None], *args: Any) -> None:
        """Run ``step(*args)`` for a user's action on a thread of its own, and wait for it at
        most ``ANSWER_SECONDS``: a device that hangs there keeps that thread, not the window.
        The claims (see the module's docstring) keep what it does right if it ends later."""
        worker = threading.Thread(target=step, args=args, name=f"musicsage-output-{what}",
                                  daemon=True)
        worker.start()
        worker.join(ANSWER_SECONDS)

    def _start(self, gen: int, stream: OutputStream | None) -> None:
        """Start ``stream`` if the claim to start it still stands; a device error if another
        call on the device holds ``_control`` past ``CONTROL_WAIT_SECONDS``, or if start() has
        not returned ``START_SECONDS`` after it was asked (the wait for ``_control`` counted
        where the call it waited on was given up as hung)."""
        if stream is None:
            return
        asked, hangs = time.monotonic(), self._hangs  # one deadline if the call waited on hung
        if not self._control.acquire(timeout=CONTROL_WAIT_SECONDS):
            if not self._claim_holds(gen, stream, True):
                return  # let go of meanwhile: nothing to say
            failure = "the sound device does not answer"  # another call still inside it
            advice = HUNG_ADVICE  # whose stream no re-scan can free until it returns
        else:
            try:
                if not self._claim_holds(gen, stream, True):
                    return
                if self._started is not stream:  # else a pause's stop has not come yet
                    left = START_SECONDS - (time.monotonic() - asked)  # (it held _control
                    if self._hangs == hangs:  # the call waited on answered: a working device
                        left = START_SECONDS  # (one waking 9.9 s left 0.5 s for this one)
                    hung = played_out(stream, stream.start, max(LAST_START_SECONDS, left))
                    if hung is not None:  # for ever, the player "playing" at 0:00)
                        return self._left_hung(gen, stream, hung, "the sound device did not "
                                               f"start in {START_SECONDS:g} s")
                    self._started = stream
            except Exception as e:  # the device went away between load and play
                failure, advice = first_line(e), LOST_ADVICE
            else:
                with self._lock:
                    self._stream_live = stream is self._stream and self._stream_running
                return
            finally:
                self._control.release()
        # outside _control: the close that _lose_output starts takes it, and is waited for
        self._lose_output(gen, "cannot start the audio output", failure, advice=advice)

    def _stop(self, gen: int, stream: OutputStream | None, now: bool = False) -> None:
        """Stop ``stream`` if the claim to stop it still stands. ``now`` (a pause): aborted,
        not played out, where it can be: PortAudio's stop() waits for what is queued, which a
        device that stopped taking audio never plays (what is queued is not heard: the
        position is moved back over it once aborted, see :meth:`_back_to_heard`)."""
        if stream is None:
            return
        with self._control:
            if not self._claim_holds(gen, stream, False) or self._started is not stream:
                return  # a play() came after: the stream is to keep running
            try:  # a Pause's abort() may hang too: it held _control for ever
                hung = played_out(stream, stopper(stream, now), END_STOP_SECONDS)
                if now:
                    self._back_to_heard(gen, stream)
                if hung is not None:
                    return self._left_hung(gen, stream, hung, (
                        f"the sound device did not pause in {END_STOP_SECONDS:g} s" if now else
                        f"the track's end was not played out in {END_STOP_SECONDS:g} s"))
                self._started = None
                return
            except Exception as e:  # PortAudio cannot stop it: the device is gone
                log.warning("stopping the audio stream failed: %s", e)
                failure = first_line(e)
        self._lose_output(gen, "audio output lost", failure)  # outside _control, as _start's

    def _left_hung(self, gen: int, stream: OutputStream,
                   waiting: Callable[[Callable[[], None]], None], detail: str) -> None:
        """Under ``_control``: the stop at a track's end (a Play's start, a Pause's abort:
        ``detail`` says which) did not return. Let go of the stream (a ``"device"``
        error: Play opens a new one) without touching it again here; the thread still in that
        call closes it once it returns (``waiting``), and until then it counts as abandoned,
        so no re-scan frees it underneath (see ``abandoning``). A queue's next track (or
        Next, Stop) may have let go of it meanwhile: its :meth:`_shut`, waiting for
        ``_control``, then leaves it alone (``_stopping``): an abort() or close() while that
        call is still inside it is what that count is there to prevent."""
        with self._lock:
            ours = gen == self._generation and stream is self._stream
            if ours:
                self._detach_stream()
                # the error before the state: a reader that sees "error" finds its words
                self.error_kind = "device"
                self.error = output_lost_message("audio output stalled", detail, HUNG_ADVICE)
                self.state = "error"
        self._started, self._hangs = None, self._hangs + 1
        if not ours:
            self._stopping.append(stream)
        waiting(abandoning())
        if ours:  # else a newer track plays on (its own stream says if that device fails)
            output_failed()

    def _lose_output(self, gen: int, what: str, detail: str, hung: bool = False,
                     advice: str = LOST_ADVICE) -> None:
        """The output failed while in use: say so (a device error: a queue stops) and let
        the stream go; Play loads the track again, on a new stream, where it stopped (the
        position is kept). ``hung``: the device stopped calling back (see :meth:`_abandon`).
        The stream let go of is counted as abandoned (``abandoning``) before the error shows,
        until it is closed: Play may follow at once, and its new stream must not re-scan the
        devices (which frees every stream) while this one is still being stopped or closed."""
        closed = abandoning()
        with self._lock:
            current = gen == self._generation
            old = self._detach_stream() if current else None
            if current:
                self.error_kind = "device"  # the error before the state, as in _abandon
                self.error = output_lost_message(what, detail, advice)
                self.state = "error"
                self._wake.notify_all()
        if current:
            output_failed()  # the next open re-scans once ``old`` is closed
        if hung and old is not None:
            self._abandon(old, closed)
            return
        self._let_go(old, closed)

    def _abandon(self, stream: OutputStream, closed: Callable[[], None]) -> None:
        """Let go of a stalled stream without waiting on it: PortAudio's stop() plays out
        what is queued, which a device that stopped taking audio may never do. It is aborted
        (nothing played out) and closed on a thread of its own, outside ``_control``, so
        neither this worker nor the next stream's start waits on that device. ``closed`` (from
        ``abandoning``) once close() returned: until then no re-scan frees it underneath."""
        def shut() -> None:
            try:
                self._shut(stream)
            finally:
                closed()

        threading.Thread(target=shut, name="musicsage-stalled-output", daemon=True).start()

    def _let_go(self, stream: OutputStream | None,
                closed: Callable[[], None] | None = None) -> None:
        """Abort and close a stream the engine no longer holds (Next, Stop, closing, a failed
        output) without the window waiting on its device (:meth:`_answer`): nothing of the
        track it played needs to play out, and a hung device's stop() may never return,
        which would leave the stream open and every re-scan skipped. It is counted as
        abandoned until closed, so that no re-scan frees it underneath (see ``abandoning``);
        ``closed``: the count already taken."""
        if stream is None:
            if closed is not None:
                closed()
            return
        done = closed or abandoning()

        def shut() -> None:
            try:
                self._shut(stream)
            finally:
                done()

        self._answer("close", shut)

    def _shut(self, stream: OutputStream | None) -> None:
        """Abort and close ``stream`` (nothing played out: see
        :func:`~musicsage.playback.stream_calls.stopper`)."""
        if stream is None:
            return
        with self._control:  # waits for a start in progress (detached: no other comes)
            if self._started is stream:
                self._started = None
            if any(s is stream for s in self._stopping):  # its hung stop's thread closes it
                self._stopping = [s for s in self._stopping if s is not stream]
                return
        for step in (stopper(stream, True), stream.close):  # outside _control: the next
            try:  # stream may start meanwhile, whatever this device does
                step()
            except Exception as e:  # a vanished device must not break a load or close
                log.warning("%s of the audio stream failed: %s", step.__name__, e)

