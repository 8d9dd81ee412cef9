"""The window while "Compute embeddings" runs on a library left half-embedded: opened, it says
what lacks a vector (and starts nothing); running, the summary and the audio list's hint say
the embeddings are being computed; done, both say what the library holds."""

from __future__ import annotations

import pytest

from gui_support import settle
from music_support import forget_vectors

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def test_a_half_embedded_library_then_its_embedding_run(qtbot, make_window, library):
    lacking = forget_vectors(library, 5)
    w = make_window(library)
    summary = w.library.summary
    assert "Audio model: <b>spectral</b> (7 of 12 embedded)" in summary.text()
    assert any(text.startswith("5 tracks still lack an audio embedding")
               for _level, text in w.app.notifications)
    assert not w.app.library.embedding, "nothing heavy started unasked"

    w.app.selection.select(lacking[0], play=False)
    qtbot.waitUntil(lambda: w.neighbours.audio_stack.currentIndex() == 1, timeout=30_000)
    assert "use Analyse ▸ Compute embeddings" in w.neighbours.audio_note.text()

    w.app.library.embed_model = "spectral"
    w.actions_.embed.trigger()
    assert "(computing…)" in summary.text()
    assert "being computed now" in w.neighbours.audio_note.text()
    settle(qtbot, w, timeout=120_000)
    assert "Audio model: <b>spectral</b> (12 embedded)" in summary.text()
    qtbot.waitUntil(lambda: w.neighbours.audio_stack.currentIndex() == 0, timeout=30_000)
