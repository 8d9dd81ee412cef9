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
                         rep: "EmbedReport", limit: int | None, current: str | None, *,
                         plain: bool = False, kept: str | None = None) -> None:
    """Make the run's model the library's (its ``audio_model`` setting) when
    :func:`switches_library_model` says so: a run that embedded, or one with nothing to do.
    ``plain``: a run given no model, which chose ``kept``, the library's model then."""
    from musicsage.library.db import connect
    from musicsage.library.queries import set_setting

    if switches_library_model(ctx, embedder, rep, limit, current) and \
            not (plain and _switched_meanwhile(embedder, rep, current, kept)):
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

    notes, new = [getattr(embedder, "weights_note", "")], embedder.model_id
    counts = embedding_counts(connect(ctx)) if current not in (None, new) else {}
    # a run whose every track failed still switches to a model with vectors from before:
    # `embed --model X` back to X, with only failing files left, kept the other model unsaid
    switch = bool(rep.embedded or rep.total == 0 or counts.get(new))
    if not switch and counts:
        notes.append(f"the library still uses {current}: no track has a {new} vector")
    # only a --limit run is partial by choice: a full run whose old model has more vectors
    # (of tracks now missing) was told "switches once it has as many", which never came
    if switch and limit is not None and counts:
        have = counts.get(new, 0)
        if have < counts.get(current, 0):
            switch = False
            notes.append(f"the library still uses {current} ({counted(counts[current], 'track')})"
                         f"; {counted(have, new + ' vector')} kept; embed --model {new} "
                         "without --limit switches")
    rep.reason = "; ".join(n for n in [rep.reason, *notes] if n)
    return switch


def _switched_meanwhile(embedder: "AudioEmbedder | EmbedReport", rep: "EmbedReport",
                        current: str | None, kept: str | None) -> bool:
    """Whether another run switched the library to ``current`` while this run, given no
    model (it chose ``kept``, the library's then), waited for it or ran; the reason then
    says so. Ending last, such a run switched the library back to the model it had chosen,
    undoing an ``embed --model`` given after it started: a plain run never switches."""
    if current in (None, kept, embedder.model_id):
        return False
    rep.reason = "; ".join(filter(None, [
        rep.reason, f"the library now uses {current}, as another embed made it while this "
        f"one ran; embed --model {embedder.model_id} switches it back"]))
    return True
