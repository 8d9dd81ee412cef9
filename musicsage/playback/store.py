"""Decoded audio around the play position, in chunks: what the sound card's callback reads.

A track is never decoded into one array: a 1-hour FLAC is 1.25 GB as float32, and growing one
array means copying it under the lock the callback needs (a dropout). :class:`ChunkStore`
holds a contiguous run of decoded chunks, frames ``[lo, hi)``; the engine decodes only a bound
ahead of the position, drops chunks a bound behind it, and :meth:`ChunkStore.reset` starts a new
run where a seek landed outside it. Appending and reading never copy what is stored.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np


class ChunkStore:
    """Frames ``[lo, hi)`` of one track at the output's rate, in the order they were decoded.

    ``exhausted``: the decoder of the current run reached the end of what it can read;
    ``end``: the track's length once some run got there (kept across runs: seeks clamp to it).
    ``start``: where the current run started; ``reached``: the furthest frame any run decoded
    up to (a guessed length played past, then a seek back, kept the length played).
    Not thread-safe: the engine's lock guards it.
    """

    def __init__(self, channels: int, expected: int | None) -> None:
        self.channels = channels
        self.expected = expected
        self.lo = self.hi = self.start = self.reached = 0
        self.end: int | None = None
        self.exhausted = False
        self.read_from = self.read_to = 0
        """Where the reads that followed one another without a jump (a seek) began, and
        where the last ended: what may be still queued in the sound card lies between."""
        self._starts: list[int] = []
        self._chunks: list[np.ndarray] = []

    @property
    def frames(self) -> int:
        """Best known length of the track: exact once a run reached its end, else the
        furthest point ever reached (a run's ``hi`` drops with a seek back: the length with
        it, and a seek past the guess was clamped to it) or the header's, whichever is more
        (``expected``: the library's length where the header states none, a FLAC stream rip)."""
        if self.end is not None:
            return self.end
        return max(self.expected or 0, self.reached)

    @property
    def held(self) -> int:
        """Frames in memory (what the bounds ahead and behind the position keep small)."""
        return self.hi - self.lo

    def reaches(self, frame: int, forward: int) -> bool:
        """Whether ``frame`` is held, or the current run will get there after decoding at most
        ``forward`` frames more (cheaper, and exact for every format, unlike re-opening)."""
        if self.exhausted:
            return self.lo <= frame <= self.hi
        return self.lo <= frame <= self.hi + forward

    def reset(self, frame: int) -> None:
        """Forget every chunk: a new run starts at ``frame`` (a seek outside the held run)."""
        self._starts.clear()
        self._chunks.clear()
        self.lo = self.hi = self.start = frame
        self.exhausted = False

    def append(self, block: np.ndarray) -> None:
        """Add the next decoded block at ``hi`` (kept as it is: no copy)."""
        if len(block) == 0:
            return
        self._starts.append(self.hi)
        self._chunks.append(block)
        self.hi += len(block)
        self.reached = max(self.reached, self.hi)

    def finish(self) -> None:
        """The current run's decoder has no more: the track ends at ``hi`` (or earlier, if an
        earlier run already found a shorter end, e.g. damage)."""
        self.exhausted = True
        self.end = self.hi if self.end is None else min(self.end, self.hi)

    def trim_before(self, frame: int) -> None:
        """Drop the chunks that end at or before ``frame`` (played long enough ago)."""
        drop = 0
        while drop < len(self._chunks) and self._starts[drop] + len(self._chunks[drop]) <= frame:
            drop += 1
        if drop:
            del self._starts[:drop], self._chunks[:drop]
            self.lo = self._starts[0] if self._starts else self.hi

    def read(self, out: np.ndarray, pos: int, volume: float) -> int:
        """Copy the held frames from ``pos`` on into ``out`` scaled by ``volume``; how many
        were there (``out``'s rest is left to the caller: silence where nothing is decoded)."""
        if pos != self.read_to:  # the position jumped (a seek): a new run of reads
            self.read_from = self.read_to = pos
        if not self.lo <= pos < self.hi:
            return 0
        i = bisect_right(self._starts, pos) - 1
        done = 0
        while done < len(out) and i < len(self._chunks):
            chunk, offset = self._chunks[i], pos + done - self._starts[i]
            n = min(len(out) - done, len(chunk) - offset)
            np.multiply(chunk[offset:offset + n], volume, out=out[done:done + n])
            done += n
            i += 1
        self.read_to = pos + done
        return done

    def unread_back(self, pos: int, frames: int) -> int:
        """``pos`` moved back by ``frames`` read just before it, no further than the run of
        reads that ended there goes (nothing read before a seek is of the place it left)."""
        if pos != self.read_to:  # nothing read since the position last jumped
            return pos
        return max(self.read_from, self.lo, pos - frames)
