"""What a stopped ``embed`` says it kept (:class:`EmbedProgress`), apart from the command's
handler in :mod:`musicsage.commands.library`."""

from __future__ import annotations

from musicsage.text import counted


class EmbedProgress:
    """The progress callback of ``embed`` (its bars, if any, drawn as before) that keeps what
    a stopped run needs to say: how many tracks it embedded and stored, how many failed, of
    how many, and whether the audio part was over (the graph model was placing new tracks)."""

    def __init__(self, bars) -> None:
        self.bars = bars
        self.embedded, self.failed, self.total, self.placing = 0, 0, None, False

    def __call__(self, p) -> None:
        if p.stage.startswith("embed "):  # committed batches report ``embedded``
            self.total = p.total if p.total is not None else self.total
            self.embedded = int(p.extra.get("embedded", self.embedded))
            self.failed = int(p.extra.get("failed", self.failed))
        elif p.stage.startswith("graph"):
            self.placing = True
        if self.bars is not None:
            self.bars(p)

    def kept(self, again: str) -> str:
        """What a stopped run kept and how to finish, after "interrupted: ". Tracks that
        failed are said apart: "5 of 9 tracks finished and kept" was all a run that had
        also failed on a 6th said — "finished" read as counting it, and no line told of the
        failure (a stopped run's error list is not printed)."""
        failed = f", {self.failed} failed" if self.failed else ""
        if self.placing:  # every track has its audio vector: only the graph's are left
            done = f"{counted(self.embedded, 'track')} embedded and kept{failed}, but " if (
                self.embedded or self.failed) else ""
            return (f"{done}the graph model had not placed the new tracks yet; run {again} "
                    "again to place them")
        if self.total is None:
            return f"no track was embedded; run {again} again to embed them"
        if failed:  # `embed` tries them again: "the rest" holds them
            return (f"{self.embedded} of {counted(self.total, 'track')} embedded and kept"
                    f"{failed}; run {again} again to do the rest")
        return (f"{self.embedded} of {counted(self.total, 'track')} finished and kept; run "
                f"{again} again to do the rest")
