"""The tracks' counts as the window says them (``stats``' text may too): of the files whose
analysis failed (retried by every ``embed``), those only too short to analyse (a click of 200
samples: read fine, not damaged, given no vector) told apart. They were counted with the files
that could not be decoded: the window said "1 could not be read" of a click, ``stats`` "1
failed analysis", both read as a damaged file to replace."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING

from musicsage.library.browse import LibraryStats

if TYPE_CHECKING:
    from musicsage.context import AppContext

TOO_SHORT_WORDS = ": too short to analyse ("
"""What the failure :func:`~musicsage.audio.embed_words.too_short_error` records holds, after
the file's name: how the ``errors`` row of a click is told from that of a damaged file."""


def said_stats(ctx: "AppContext", found: LibraryStats, pending: tuple[int, int] | None
               ) -> LibraryStats:
    """``found`` with what ``embed`` would analyse and how many of them failed their last
    analysis (``pending``; None: not known, ``found`` returned as it is) and, of those, how
    many were too short to analyse (``tracks.too_short``)."""
    if pending is None:  # failures not told (the model's weights absent): plain counts
        return found
    needing, failed = pending
    tracks = replace(found.tracks, needs_analysis=needing, unreadable=failed,
                     too_short=too_short_failed(ctx) if failed else 0)
    return replace(found, tracks=tracks)


def too_short_failed(ctx: "AppContext") -> int:
    """How many tracks ``embed`` would analyse for the library's audio model failed their
    last analysis, since their file last changed, only for being too short to analyse; 0
    when that cannot be told (the model's identity unknown)."""
    from musicsage.audio.selection import current_identity, current_model_id
    from musicsage.library.db import connect

    model_id = current_model_id(ctx)
    identity = None if model_id is None else current_identity(ctx, model_id)
    if identity is None or identity[0] != model_id:
        return 0
    return _too_short_among_pending(connect(ctx), *identity)


def _too_short_among_pending(conn: sqlite3.Connection, model_id: str, version: str) -> int:
    """Of the tracks lacking a ``model_id``/``version`` vector, those whose ``embed`` failure
    (one row per path and stage, recorded since the track last changed, as ``stats`` counts
    failures) says the audio was too short. The errors are read first: most libraries have
    none, and then no track is listed."""
    from musicsage.library.queries import list_errors, tracks_needing_embedding

    short = {str(r["path"]): str(r["created_at"])
             for r in list_errors(conn, f"embed:{model_id}")
             if str(r["message"]).startswith(_named(str(r["path"])) + TOO_SHORT_WORDS)}
    if not short:
        return 0
    return sum(1 for t in tracks_needing_embedding(conn, model_id, version)
               if t["path"] in short and short[t["path"]] >= (t["updated_at"] or ""))


def _named(path: str) -> str:
    """How a failure's message names the file at the stored ``path`` (its file name, as
    :func:`~musicsage.audio.embed_words.too_short_error` writes it): the words are looked for
    right after it, not anywhere — a damaged file named "Intro: too short to analyse (live)"
    was counted as a click."""
    from musicsage.library.paths import display

    return os.path.basename(display(path))
