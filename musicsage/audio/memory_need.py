"""Whether the memory a track's analysis needs is there, asked before it is decoded.

A track analysed whole at a large ``--max-seconds`` (a 2-hour mix, an audiobook at ``1e9``)
needs memory in proportion to the seconds analysed: its decoded audio and the model's working
arrays (:meth:`~musicsage.audio.embedder.AudioEmbedder.memory_per_second`). Where that is more
than the whole machine has free, the kernel kills the process mid-run without a word (no
line, the track's failure not recorded), so such a track is refused before its decoding, with
the line a track the memory ran out on gets (:func:`.embed_words.memory_error`). A track that
merely comes close is tried: allocations that fail are caught and said the same way.
"""

from __future__ import annotations

import os


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


def beyond_memory(seconds: float | None, bytes_per_second: float) -> bool:
    """Whether analysing ``seconds`` of audio at ``bytes_per_second`` needs more memory than
    is available now (False where either is not known)."""
    if seconds is None or seconds <= 0:
        return False
    free = available_bytes()
    return free is not None and seconds * bytes_per_second > free
