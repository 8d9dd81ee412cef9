"""What the folder watch's line says of its embedding (:class:`~musicsage.library.watch_apply.
WatchReport`): what it embedded, how far it got when stopped, the tracks that failed, and an
embedding that could not run at all.

``embed`` is the caller's after-batch report, any of: the embed run's report (``embedded``,
``failed``, ``errors``), the count of a run stopped half-way (``embedded``, ``failed``,
``total``), or a stand-in for a run that could not start (``message``: the library's model's
weights gone). Duck-typed: ``library`` may not import the audio or use-case packages.
Also how many tracks a watch that starts has to embed (:func:`tracks_lacking_vectors`).
"""

from __future__ import annotations

import os
from typing import Any

from musicsage.library.paths import display
from musicsage.text import counted


def embed_error(embed: Any) -> str:
    """Why the embedding could not run at all (the library's model cannot run: its weights
    gone), in one line; "" when it ran. "1 new ('c.wav')" was all a batch said of it, and a
    watch's first step (the catch-up) said nothing: the error was in ``--json`` only."""
    return " ".join(str(getattr(embed, "message", "") or "").splitlines()).strip()


def embedded_text(embed: Any, *, catch_up: bool, interrupted: bool) -> str:
    """What the embedding did: "12 embedded"; how far it got when the watch was stopped in
    it (the batch's tracks are stored all the same, and said: "0 updates" was said of a batch
    of 240 new tracks); for the watch's first step, which tracks; that it could not run, and
    why; the tracks that failed (a watch said "1 new ('x.mp3')" of a track left without a
    vector, and tried it again, silently, at every start)."""
    done, total = getattr(embed, "embedded", 0), getattr(embed, "total", None)
    failed = getattr(embed, "failed", 0)
    if embed_error(embed):
        which = "tracks that lack a vector " if catch_up else ""
        return f"{which}not embedded: {embed_error(embed)}"
    if interrupted:
        of = f" of {counted(total, 'track')}" if total else ""
        return (f"embedding interrupted: {done}{of} embedded and kept"
                + (f", {failed} failed" if failed else ""))  # `embed` says them too
    said = ([f"{counted(done, 'track')} that lacked a vector embedded" if catch_up
             else f"{done} embedded"] if done else [])
    return ", ".join(said + ([failed_text(embed, failed)] if failed else []))


def failed_text(embed: Any, failed: int) -> str:
    """``2 failed to embed ('x.mp3': cannot decode …; 1 more)``: the first failure named,
    with its reason (the embed report keeps a few), on one line."""
    errors = getattr(embed, "errors", None) or []
    text = f"{failed} failed to embed"
    if errors:
        path, message = display(str(errors[0][0])), display(str(errors[0][1]))
        name = os.path.basename(path.rstrip("/")) or path
        more = f"; {failed - 1} more" if failed > 1 else ""
        text += f" ('{name}': {message.removeprefix(f'{path}: ')}{more})"  # named once
    return " ".join(text.splitlines())


def tracks_lacking_vectors(conn, model_id: str) -> int:
    """Present tracks with an audio file and no vector of ``model_id`` (of any version: what
    ``embed`` re-analyses for new settings is its business, not a reason for the watch to
    start it): what a watch embeds as it starts."""
    return conn.execute(
        "SELECT COUNT(*) FROM tracks t WHERE t.status = 'present' AND substr(t.path, 1, 1) = '/'"
        " AND NOT EXISTS (SELECT 1 FROM audio_embeddings e WHERE e.track_id = t.id"
        " AND e.model_id = ?)", (model_id,)).fetchone()[0]
