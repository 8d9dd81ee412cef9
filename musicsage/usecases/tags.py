"""Music tags of a file (MusiCNN): what ``tags FILE`` prints and the window shows per track."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from musicsage.context import AppContext


class TagScore(NamedTuple):
    tag: str
    p: float
    """Probability in [0, 1]."""


@runs(Mode.HELPER, progress=False, cancel=False)
def track_tags(ctx: "AppContext | None", path: str | os.PathLike, top: int = 10,
               model: str = "MSD_musicnn", *, progress=None, cancel=None) -> list[TagScore]:
    """The ``top`` most probable MusiCNN tags of the file at ``path``, most probable first.

    ``model``: ``MSD_musicnn`` (Million Song Dataset tags: genres, eras, moods) or
    ``MTT_musicnn`` (MagnaTagATune: instruments, "classical", "vocals" …). ``ctx`` None uses
    the per-user dirs. Raises MusicsageError for an unreadable file or missing checkpoints.
    From the window it runs in the helper process: MusiCNN needs torch, which the window's
    own process never imports.
    """
    from musicsage.audio.musicnn import track_tags as run
    from musicsage.context import AppContext

    ctx = ctx if ctx is not None else AppContext.create()
    return [TagScore(tag, float(p)) for tag, p in
            run(ctx, path, top=top, model=model, progress=progress, cancel=cancel)]
