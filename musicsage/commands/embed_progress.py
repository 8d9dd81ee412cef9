"""What a stopped ``embed`` says it kept (:class:`EmbedProgress`), apart from the command's
handler in :mod:`musicsage.commands.library`."""

from __future__ import annotations

import copy

from musicsage.audio.embed_words import MEMORY_ADVICE, MIN_EMBED_SECONDS
from musicsage.text import counted, noun


class EmbedProgress:
    """The progress callback of ``embed`` (its bars, if any, drawn as before) that keeps what
    a stopped run needs to say: how many tracks it embedded and stored, how many failed (and
    the first failed file's short name), of how many, and whether the audio part was over
    (the graph model was placing new tracks)."""

    def __init__(self, bars) -> None:
        self.bars = bars
        self.embedded, self.failed, self.total, self.placing = 0, 0, None, False
        self.vanished = 0  # of ``failed``: files gone since the last scan
        self.memory = 0  # of ``failed``: files the memory ran out on (not damaged)
        self.short = 0  # of ``failed``: files too short to analyse (a click: not damaged)
        self.first_failed = ""
        self.first_gone = False  # whether that first failed file was one gone
        self.first_memory = False  # whether it was one the memory ran out on
        self.first_short = False  # whether it was one too short to analyse

    def __call__(self, p) -> None:
        if p.stage.startswith("embed "):  # committed batches report ``embedded``
            self.total = p.total if p.total is not None else self.total
            self.embedded = int(p.extra.get("embedded", self.embedded))
            failed = int(p.extra.get("failed", self.failed))
            vanished = int(p.extra.get("vanished", self.vanished))
            memory = int(p.extra.get("short_of_memory", self.memory))
            short = int(p.extra.get("too_short", self.short))
            if failed > self.failed and not self.first_failed:  # its report names the file
                self.first_failed = p.message
                self.first_gone = vanished > self.vanished
                self.first_memory = memory > self.memory
                self.first_short = short > self.short
            self.failed, self.vanished, self.memory = failed, vanished, memory
            self.short = short
        elif p.stage.startswith("graph"):
            self.placing = True
        if self.bars is not None:
            self.bars(p)

    def _failed_text(self) -> str:
        """", 1 failed (a.mp3: replace it, or delete it and scan)": a stopped run prints no
        error list, so "1 failed" alone told neither which file nor what to do. Files gone
        since the last scan are told to scan (to "replace" or "delete" a file gone is no
        advice), and files the memory ran out on (a long track, ``--max-seconds``) to analyse
        fewer seconds ("replace it" of a file that is fine misled), and files too short to
        analyse (a click) are said to be so (:meth:`_reasons`)."""
        return f", {self.failed} failed ({self._reasons()})" if self.failed else ""

    def _reasons(self) -> str:
        """:meth:`_failed_text`'s words in its brackets: the files too short to analyse said
        apart ("replace it, or delete it and scan" of a click of 1 sample misled), then the
        others as :meth:`_not_short` says them."""
        short = min(self.short, self.failed - min(self.vanished, self.failed))
        if not short:
            return self._not_short()
        words = f"too short to analyse (under {MIN_EMBED_SECONDS:g} s): no vector"
        if short == self.failed:
            return f"{self._which()}{words}"
        rest = copy.copy(self)  # the other files, as if no file had been too short
        rest.failed, rest.short = self.failed - short, 0
        if self.first_short:  # the named file is a short one: the others go unnamed
            rest.first_failed = ""
            return f"{self._which(short)}{words}; {rest.failed} more: {rest._not_short()}"
        return f"{rest._not_short()}; {short} more {noun(short, 'is', 'are')} {words}"

    def _not_short(self) -> str:
        """:meth:`_reasons` of failed files none of which was too short to analyse."""
        memory = min(self.memory, self.failed - min(self.vanished, self.failed))
        if memory == self.failed:
            return f"{self._which()}not damaged: {MEMORY_ADVICE}"
        if not memory:
            return self._damaged_text()
        return self._apart(memory)

    def _apart(self, memory: int) -> str:
        """"a.mp3: replace it, or delete it and scan; 1 more is not damaged: analyse fewer
        …": the files the memory ran out on said apart from the others, the named one with
        its own group; "replace them" of them all, then "1 of them not damaged", told the
        user to replace a file that was fine."""
        others = self.failed - memory  # the files that did not run out of memory
        fine = f"not damaged: {MEMORY_ADVICE}"
        if self.first_memory and self.first_failed:
            return (f"{self._which(memory)}{fine}; {others} more: "
                    f"{self._damaged_text(others, named='')}")
        return f"{self._damaged_text(others)}; {memory} more {noun(memory, 'is', 'are')} {fine}"

    def _which(self, failed: int | None = None, named: str | None = None) -> str:
        """"a.mp3 and 2 more: ", ``failed`` files (all that failed) as the line names them,
        ``named`` first (the first that failed; "": unnamed)."""
        failed = self.failed if failed is None else failed
        named = self.first_failed if named is None else named
        if not named:
            return ""
        more = failed - 1
        return named + (f" and {more} more" if more else "") + ": "

    def _damaged_text(self, failed: int | None = None, named: str | None = None) -> str:
        """:meth:`_failed_text`'s words in its brackets of ``failed`` files (all that failed),
        ``named`` first, as if none had failed for want of memory."""
        failed = self.failed if failed is None else failed
        named = self.first_failed if named is None else named
        which = self._which(failed, named)
        gone = min(self.vanished, failed)
        scan = (f"gone since the last scan: scan "
                f"{noun(gone, 'its music folder', 'their music folders')}")
        if gone == failed:
            return f"{which}{scan}"
        others = failed - gone
        it = noun(others, "it", "them")
        replace = f"replace {it}, or delete {it} and scan"
        if gone and named:  # some of each: which one the named file is, said
            return self._mixed_text(gone, failed)
        if gone:
            replace = (f"{gone} {scan}; replace the {noun(others, 'other', f'{others} others')}"
                       f", or delete {it} and scan")
        return f"{which}{replace}"

    def _mixed_text(self, gone: int, failed: int) -> str:
        """"a.mp3, gone since the last scan, and 2 more: scan its music folder for it; replace
        the 2 others, or delete them and scan": "a.mp3 and 2 more: 1 gone since the last scan:
        scan …" left the user to guess whether a.mp3 was the gone one."""
        more, damaged = failed - 1, failed - gone
        folders = noun(gone, "its music folder", "their music folders")
        if self.first_gone:
            also = f" and the {counted(gone - 1, 'other')} gone" if gone > 1 else ""
            return (f"{self.first_failed}, gone since the last scan, and {more} more: scan "
                    f"{folders} for it{also}; replace the "
                    f"{noun(damaged, 'other', f'{damaged} others')}, or delete "
                    f"{noun(damaged, 'it', 'them')} and scan")
        also = f" and {counted(damaged - 1, 'other')}" if damaged > 1 else ""
        return (f"{self.first_failed} and {more} more: replace it{also}, or delete "
                f"{noun(damaged, 'it', 'them')} and scan; for the {gone} gone since the last "
                f"scan, scan {folders}")

    def kept(self, again: str) -> str:
        """What a stopped run kept and how to finish, after "interrupted: ". Tracks that
        failed are said apart: "5 of 9 tracks finished and kept" was all a run that had
        also failed on a 6th said — "finished" read as counting it, and no line told of the
        failure (a stopped run's error list is not printed)."""
        failed = self._failed_text()
        if self.placing:  # every track has its audio vector: only the graph's are left
            done = ""
            if self.embedded:
                done = f"{counted(self.embedded, 'track')} embedded and kept{failed}, but "
            elif self.failed:  # not "0 tracks embedded and kept"
                done = f"no track embedded{failed}, but "
            return (f"{done}the graph model had not placed the new tracks yet; run {again} "
                    "again to place them")
        if self.total is None:
            return f"no track was embedded; run {again} again to embed them"
        if failed:  # `embed` tries them again: "the rest" holds them
            return (f"{self.embedded} of {counted(self.total, 'track')} embedded and kept"
                    f"{failed}; run {again} again to do the rest")
        return (f"{self.embedded} of {counted(self.total, 'track')} finished and kept; run "
                f"{again} again to do the rest")
