"""Whether an ``embed`` run makes its model the library's audio model, and the line saying so.

Kept out of :mod:`musicsage.audio.selection` (at its size limit). The library shows the
vectors of one audio model (:func:`~musicsage.audio.selection.current_model_id`: the
``audio_model`` setting while vectors of it exist). ``embed --model spectral --limit 1`` on a
library of 5 OpenL3 vectors made spectral its model: ``similar`` then said the query had no
audio embedding and the map shrank to 1 track. A run leaving its model with fewer vectors
than the library's current one keeps the current one, and says how to switch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musicsage.audio.embed_job import EmbedReport
    from musicsage.audio.embedder import AudioEmbedder
    from musicsage.context import AppContext

AUDIO_MODEL_SETTING = "audio_model"
"""The settings-table key naming the library's audio model (here, not in
:mod:`~musicsage.audio.selection`, so that :mod:`musicsage.audio.openl3` may read it too)."""


def settle_library_model(ctx: "AppContext", embedder: "AudioEmbedder | EmbedReport",
                         rep: "EmbedReport", limit: int | None, current: str | None) -> None:
    """Make the run's model the library's (its ``audio_model`` setting) when
    :func:`switches_library_model` says so: a run that embedded, or one with nothing to do."""
    from musicsage.library.db import connect
    from musicsage.library.queries import set_setting

    if switches_library_model(ctx, embedder, rep, limit, current):
        set_setting(connect(ctx), AUDIO_MODEL_SETTING, embedder.model_id)


def switches_library_model(ctx: "AppContext", embedder: "AudioEmbedder | EmbedReport",
                           rep: "EmbedReport", limit: int | None, current: str | None) -> bool:
    """After a run: whether ``embedder``'s model (or a report's, for a run with nothing to do)
    becomes the library's (``current`` is the library's now), not when a ``--limit`` run
    would leave the library showing fewer tracks; the report's ``reason`` then says so in
    one line, as it says the note of a remembered OpenL3 weights file that was gone."""
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_counts
    from musicsage.text import counted

    notes = [getattr(embedder, "weights_note", "")]
    switch = bool(rep.embedded or rep.total == 0)
    # only a --limit run is partial by choice: a full run whose old model has more vectors
    # (of tracks now missing) was told "switches once it has as many", which never came
    if switch and limit is not None and current is not None and current != embedder.model_id:
        new, counts = embedder.model_id, embedding_counts(connect(ctx))
        have = counts.get(new, 0)
        if have < counts.get(current, 0):
            switch = False
            notes.append(f"the library still uses {current} ({counted(counts[current], 'track')})"
                         f"; {counted(have, new + ' vector')} kept; embed --model {new} "
                         "without --limit switches")
    rep.reason = "; ".join(n for n in [rep.reason, *notes] if n)
    return switch
