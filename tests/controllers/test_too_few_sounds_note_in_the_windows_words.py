"""The Audio only list of a library of two songs says why it is empty in the window's words:
its note lower-cased the embeddings hint, so the window could not rewrite it and said "add
music, then compute embeddings in the window, or musicsage embed" — a terminal's command in
the window, and never "being computed now" while the window was embedding the rest."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "search"))
from search_helpers import Library  # noqa: E402

from musicsage.controllers.selection import empty_list_note  # noqa: E402


@pytest.fixture
def two_songs(ctx, tmp_path):
    """A library of two tracks with audio vectors (the rest of its music not embedded yet)."""
    library = Library(ctx, tmp_path / "music")
    library.add(2)
    base = np.linspace(1.0, 2.0, 16, dtype=np.float32)
    library.embed(np.stack([base, base * 1.01 + 0.001]))
    library.add(3, start=2)  # scanned, waiting for their embeddings
    library.conn.commit()
    return library


def _audio_note(ctx, library, *, embedding: bool) -> str:
    from musicsage.usecases.search import similar_tracks

    result = similar_tracks(ctx, library.ids[0], 10, "audio")
    assert result.audio == [] and "audio" in result.notes
    return empty_list_note(result, "audio", graph_available=False, missing=0,
                           embedding=embedding)


def test_the_empty_audio_list_names_the_windows_control(ctx, two_songs):
    note = _audio_note(ctx, two_songs, embedding=False)
    assert note == ("Nothing to compare by sound yet: fewer than 3 different tracks have an "
                    "audio vector, and each is compared against the spread of the library's "
                    "sounds: add music, then embed it (use Analyse ▸ Compute embeddings).")
    assert "musicsage" not in note


def test_while_the_window_embeds_it_says_they_are_being_computed(ctx, two_songs):
    note = _audio_note(ctx, two_songs, embedding=True)
    assert note.endswith("add music, then embed it (being computed now: Analyse ▸ Compute "
                         "embeddings is running).")
    assert "musicsage" not in note and "use Analyse" not in note
