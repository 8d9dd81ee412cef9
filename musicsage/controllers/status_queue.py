"""The status line's hold-back: a warning or error stays on the bar a few seconds before the
next line may replace it, and what comes meanwhile waits its turn — a scan's next stage (within
a second) or a second warning (the refusal to play a playlist, after its entries left out)
replaced each line before anyone could read it. Without Qt: the window only shows what this
says, at the time it says."""

from __future__ import annotations

import logging

from musicsage.text import printable

KEEP_WARNINGS = 3
"""Warnings held back at most: a burst of N would otherwise hold the bar N × the reading time,
each older than the last. The ones dropped are in the log (and the controller's notification
list, which keeps every line)."""

log = logging.getLogger(__name__)


class StatusQueue:
    """Which line goes on the status bar now, and which waits (``now``: a monotonic clock)."""

    def __init__(self, read_seconds: float, keep_warnings: int = KEEP_WARNINGS) -> None:
        self.read_seconds = read_seconds  # a warning's least time on the bar
        self.keep_warnings = keep_warnings
        self.until = 0.0  # until when the warning (or error) shown holds the bar back
        self.shown = ""  # that line as the bar shows it: others wait only while it is there
        self.info: tuple[str, str, str] | None = None  # latest info line held: details, library
        self.warnings: list[tuple[str, str, str]] = []  # the warnings held, so, in order
        self.library = ""  # the library shown (its data folder): the lines held then are of it
        self._notes: dict[str, str] = {}  # what a line of each library left adds while not shown
        self.bar: tuple[str, str] = ("", "")  # the bar's line as said, and the library it is of

    def hold(self, level: str, text: str, details: str, now: float, on_bar: str) -> bool:
        """Whether the line waits (then it is kept to show later): an info line while a warning
        is read; a warning other than the one still on the bar (``on_bar``: what the bar shows;
        the same one again, or one after the bar cleared, goes up at once); an error never."""
        if now >= self.until:
            return False
        if level == "info":
            self.info = (text, details, self.library)
            return True
        if level != "warning" or on_bar != self.shown or printable(text) == self.shown:
            return False
        if (text, details, self.library) not in self.warnings:
            self.warnings.append((text, details, self.library))
            self.info = None  # an older info line is stale
            for old, _details, _library in self.warnings[:-self.keep_warnings]:
                log.warning("not shown on the status line (newer warnings waited): %s", old)
            del self.warnings[:-self.keep_warnings]
        return True

    def showing(self, level: str, line: str, now: float) -> None:
        """``line`` goes on the bar now: a warning or error holds it for the reading time, and
        the info line held before it is stale."""
        self.bar = (line, self.library)
        if level != "info":
            self.until, self.shown = now + self.read_seconds, printable(line)
            self.info = None

    def gives_way(self, text: str, on_bar: str) -> bool:
        """``text`` is no longer true — the user's next action made it so ("Nothing is
        queued: …", then a queue started): it goes from the lines held, and a line held after
        it waits for it no more. Whether the bar shows it (``on_bar``: what the bar shows),
        for the window to clear it: it stayed there while the queue it denied played."""
        line = printable(text)
        if self.info is not None and self.info[0] == text:
            self.info = None
        self.warnings = [held for held in self.warnings if held[0] != text]
        if self.shown == line:
            self.until, self.shown = 0.0, ""
        return bool(line) and on_bar == line

    def switched(self, library: str, note: str, on_bar: str) -> str:
        """Another library, ``library``, is shown: the lines of the one left — ``on_bar``, what
        the bar shows, and those held back to come after it — say so when shown (``note``: "
        (library …, not the one shown)"): a warning holds the bar, and the last library's "1
        unreadable (music: cannot list folder)" came up over the demo just opened as if about
        it. Each line keeps its library and the note is added as it is shown, none when that
        library is shown again: one added at each switch piled up after the demo and back. The
        bar's new line ("" when it shows none)."""
        before = printable(self._as_shown(*self.bar))
        if on_bar != before:  # a line the window put up itself: of the library left
            self.bar = (on_bar, self.library)
        self._notes[self.library], self.library = note, library
        if not on_bar:
            return ""
        line = self._as_shown(*self.bar)
        if on_bar == self.shown:
            self.shown = printable(line)  # held lines still wait for it
        return line

    def _as_shown(self, text: str, library: str) -> str:
        """``text``, a line of ``library``, as the bar shows it now."""
        return text if library == self.library else text + self._notes.get(library, "")

    def wait(self, now: float) -> float | None:
        """Seconds until a held line is due (0: now); None when none is held."""
        if self.info is None and not self.warnings:
            return None
        return max(0.0, self.until - now)

    def take(self, now: float) -> tuple[str, str, str] | None:
        """The held line due now as (level, text, details): the oldest warning first (its own
        reading time starts), else the latest info line; None before the time (a coarse timer
        may wake a little early) or when none is held."""
        if now < self.until:
            return None
        if self.warnings:
            text, details, library = self.warnings.pop(0)
            self.bar, text = (text, library), self._as_shown(text, library)
            self.until, self.shown = now + self.read_seconds, printable(text)
            return "warning", text, details
        if self.info is None:
            return None
        (text, details, library), self.info = self.info, None
        self.bar = (text, library)
        return "info", self._as_shown(text, library), details
