"""Whether the memory a track's analysis needs is there, asked before it is decoded.

A track analysed whole at a large ``--max-seconds`` (a 2-hour mix, an audiobook at ``1e9``)
needs memory in proportion to the seconds analysed: its decoded audio and the model's working
arrays (:meth:`~musicsage.audio.embedder.AudioEmbedder.memory_per_second`). Where that is more
than the whole machine has free, the kernel kills the process mid-run without a word (no
line, the track's failure not recorded), so such a track is refused before its decoding, with
the line a track the memory ran out on gets (:func:`.embed_words.memory_error`). A track that
merely comes close is tried: allocations that fail are caught and said the same way. Tracks
decoded at the same time count together: one that fits alone but not beside the others waits
for them, until the run is cancelled or fails: a waiting track is then given up at once, not
decoded.
"""

from __future__ import annotations

import os
import threading

from musicsage.progress import CancelToken, check_cancel

_turns = threading.Condition()  # guards _in_flight; a waiting track is woken by a release
_in_flight = 0
"""Bytes reserved by the tracks of this process being decoded now (:func:`reserve_memory`)."""
POLL_S = 0.1
"""How often a waiting track looks at the free memory and the run's Cancel again (a release
within the run wakes it at once; memory freed outside it and a Cancel are only seen so)."""


def available_bytes() -> int | None:
    """The memory the system can give without swapping (Linux: ``MemAvailable``), or None
    where it cannot tell (then nothing is refused beforehand)."""
    try:
        with open("/proc/meminfo", "rb") as f:
            for line in f:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def reserve_memory(seconds: float | None, bytes_per_second: float,
                   cancel: CancelToken | None = None) -> int | None:
    """Reserve the memory analysing ``seconds`` of audio needs, waiting while other tracks'
    reservations are in flight; the bytes reserved (0 where the length or the free memory is
    not known), or None where it does not fit even alone (then the track is refused).
    ``cancel`` set, before or during the wait, raises :class:`~musicsage.errors.Cancelled`
    with nothing reserved: the tracks waiting were decoded one after another, and thrown
    away, before a cancelled run stopped (seconds each for a long mix).

    Checked each alone, two long tracks decoded by two workers at once both passed against the
    same free memory and together still ran out; a track now counts what the others being
    decoded will take. A reservation lasts until the track's units are prepared
    (:func:`release_memory`): from then on what it holds is taken, and the system's free
    memory says so itself."""
    need = int(seconds * bytes_per_second) if seconds is not None and seconds > 0 else 0
    global _in_flight
    with _turns:
        while True:
            check_cancel(cancel)  # a decode after the Cancel only delays the run's stop
            free = available_bytes()
            if need == 0 or free is None:
                return 0
            if need + _in_flight <= free:
                _in_flight += need
                return need
            if _in_flight == 0:  # alone, it still would not fit: waiting would not help
                return None
            _turns.wait(timeout=POLL_S)  # (memory freed outside the run counts too)


def release_memory(reserved: int) -> None:
    """The end of a :func:`reserve_memory` reservation (the track prepared, or failed)."""
    global _in_flight
    with _turns:
        _in_flight -= reserved
        _turns.notify_all()
