"""What ``embed`` reports: the audio run, and the graph vectors it gave new tracks.

A module of its own so that :mod:`musicsage.usecases.embedding` stays cheap to import (the
audio job's module pulls in the decoders).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from musicsage.audio.embed_job import EmbedReport
from musicsage.usecases.inductive import InductiveReport


@dataclass
class LibraryEmbedReport(EmbedReport):
    """An :class:`EmbedReport` plus ``graph``: the current graph model's vectors for the
    tracks it never saw (None when that step did not run: the audio run was cancelled)."""

    graph: InductiveReport | None = None
    nothing_to_do: str | None = None
    """The one line for a run that found no track to embed (None: there were some)."""
    files_missing: str | None = None
    """Its words after "nothing to embed: " where tracks' audio files are missing (None where
    none is, or there were tracks to embed): the window says them after its own head."""

    @classmethod
    def of(cls, audio: EmbedReport, graph: InductiveReport | None) -> "LibraryEmbedReport":
        return cls(**vars(audio), graph=graph)

    def as_dict(self) -> dict[str, Any]:
        """The audio run's fields, ``graph``, and ``nothing_to_do``: ``embed --json`` gave a
        run with nothing to do as ``"total": 0`` alone, and a script could not tell a library
        fully embedded from one with no tracks or every file missing (the text said which)."""
        out = super().as_dict()
        out["graph"] = self.graph.as_dict() if self.graph is not None else None
        out["nothing_to_do"] = self.nothing_to_do
        return out
